"""A document's text with every assignment highlighted and linked to its department; one provision's page.

>>> row = {"provision_id": "prov:1", "unit": "一", "kind": "clause", "heading": "h", "order": 1, "depth": 0,
...        "text": "<img src=x onerror=alert(1)>(市民政局负责)", "span_start": 0, "span_end": 0, "holders": []}
>>> html = render_document({"document": {"id": "doc:1", "number": "n", "title": "t", "issuer": "", "date": "",
...                         "source": "", "provisions": 1}, "provisions": [row], "dept_ids": {}, "missing": 0})
>>> "<img" in html
False
"""
from __future__ import annotations

from api.web.highlight import highlight
from api.web.layout import ROLE_ZH, doc_href, esc, page, prov_href, quote_html
from api.web.pages_search import holder_list, holder_marks


def _text(p: dict, dept_ids: dict[str, str], seen: set | None = None) -> str:
    """The provision's text with its quotes marked; quotes printed elsewhere follow it.

    A quote printed elsewhere (a blanket 以下均需县(区)人民政府落实 above the
    clauses, a table cell) is quoted in full the first time a page shows it
    (`seen` remembers), and named by its holders after that.
    """
    html, unplaced = highlight(p["text"], p.get("span_start"), holder_marks(p["holders"], dept_ids))
    seen = set() if seen is None else seen
    for g in unplaced:
        who = "、".join((f'<a href="{esc(h["href"])}">{esc(h["name"])}</a>' if h.get("href") else esc(h["name"]))
                       + f'({ROLE_ZH.get(h.get("role") or "", "")})' for h in g["holders"])
        key = (g["quote"], tuple(g["span"]))
        quote = "" if key in seen else f'原文另见:{quote_html(g["quote"])} '
        seen.add(key)
        html += f'<span class="elsewhere" title="{esc(g["quote"])}">{quote}— {who}</span>'
    return html


def render_document(data: dict) -> str:
    doc, dept_ids = data["document"], data["dept_ids"]
    parts = [f'<p class="crumbs"><a href="/ui/documents">文件</a> ›</p><h1>{esc(doc["number"] or doc["title"])}</h1>'
             f'<p class="doctitle">{esc(doc["title"])}</p>'
             f'<p class="muted">{esc(doc["issuer"])} · {esc(doc["date"])} · 来源 {esc(doc["source"])} · '
             f'{doc["provisions"]} 个条款</p>'
             f'<p class="legend"><mark class="q role-lead">牵头</mark> <mark class="q role-responsible">负责</mark> '
             f'<mark class="q role-supporting">配合</mark> 标出分配职责的原文;点单位名称查看该单位的全部职责。</p>']
    if data["missing"]:
        parts.append(f'<p class="warn">另有 {data["missing"]} 个条款(多为序言、说明)与任何职责无关,未在此列出;'
                     f'完整原文见来源文件 {esc(doc["source"])}。</p>')
    seen: set = set()
    for p in data["provisions"]:
        depth = min(p["depth"], 4)
        cls = "sec" if p["kind"] == "section" else "cl"
        parts.append(f'<div class="prov {cls} depth-{depth}" id="{esc(p["provision_id"].replace(":", "-"))}">'
                     f'<a class="unit" href="{esc(prov_href(p["provision_id"]))}" title="条款 {esc(p["unit"])}">'
                     f'{esc(p["unit"])}</a><p class="ptext">{_text(p, dept_ids, seen)}</p></div>')
    return page(doc["number"] or doc["title"], f'<article class="document">{"".join(parts)}</article>',
                active="文件")


def render_provision(data: dict) -> str:
    p, dept_ids = data["provision"], data["dept_ids"]
    crumbs = [f'<a href="{esc(doc_href(p["doc_id"]))}">{esc(p["doc_number"] or p["doc_title"])}</a>']
    if data["parent"]:
        q = data["parent"]
        crumbs.append(f'<a href="{esc(prov_href(q["provision_id"]))}">{esc(q["unit"])} {esc(q["heading"])}</a>')
    children = "".join(f'<li><a href="{esc(prov_href(c["provision_id"]))}">{esc(c["unit"])}</a> {esc(c["heading"])}</li>'
                       for c in data["children"])
    cites = "".join(f'<li>{esc(c)}</li>' for c in p.get("citations", []))
    body = (f'<p class="crumbs">{" › ".join(crumbs)} ›</p><h1>{esc(p["unit"])} {esc(p["heading"])}</h1>'
            f'<p class="doctitle">{esc(p["doc_title"])}</p><h2>责任单位</h2>{holder_list(p["holders"], dept_ids)}'
            f'<h2>条款原文</h2><p class="ptext box">{_text(p, dept_ids)}</p>'
            f'<p class="muted">在来源文件中的位置:第 {p["span_start"]}–{p["span_end"]} 个字符'
            + (f'(PDF 第 {int(p["page"])} 页)' if p.get("page") else "") + '</p>'
            + (f'<h2>下级条款</h2><ul class="plain">{children}</ul>' if children else "")
            + (f'<h2>引用的文件</h2><ul class="plain">{cites}</ul>' if cites else ""))
    return page(f'{p["doc_number"]} {p["unit"]}', body, active="文件")
