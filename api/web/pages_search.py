"""The search page (who is responsible for a topic) and the lists of departments and documents.

>>> html = render_search({"q": "<x>", "answers": [], "dept_ids": {}})
>>> "&lt;x&gt;" in html and "<x>" not in html
True
"""
from __future__ import annotations

from api.web.highlight import highlight
from api.web.layout import KIND_ZH, dept_href, doc_href, esc, holder_name, page, prov_href, role_badge

EXAMPLES = ("秸秆禁烧", "噪声污染", "尾矿库", "养老服务", "校外培训")


def _search_form(q: str = "") -> str:
    chips = "".join(f'<a class="chip" href="/?q={esc(t)}">{esc(t)}</a>' for t in EXAMPLES)
    return (f'<form class="search" action="/" method="get" role="search">'
            f'<input type="search" name="q" value="{esc(q)}" maxlength="200" placeholder="输入事项,如:秸秆禁烧" '
            f'aria-label="事项" required autofocus><button type="submit">查找责任单位</button></form>'
            f'<p class="examples">例如:{chips}</p>')


def holder_marks(holders: list[dict], dept_ids: dict[str, str]) -> list[dict]:
    """The quotes of a provision's own holders, as highlight marks (inherited ones are shown apart)."""
    return [{"quote": h["quote"], "span": h["span"],
             "holders": [{"name": holder_name(h), "role": h["role"],
                          "href": dept_href(dept_ids[h["department"]]) if h.get("department") in dept_ids else None}]}
            for h in holders if not h.get("inherited_from")]


def holder_list(holders: list[dict], dept_ids: dict[str, str]) -> str:
    """Departments with their roles, conditions, deadlines; where a holder comes from a heading above."""
    if not holders:
        return '<p class="none">本条未写明责任单位</p>'
    items = []
    for h in holders:
        name = holder_name(h)
        link = (f'<a href="{esc(dept_href(dept_ids[h["department"]]))}">{esc(name)}</a>'
                if h.get("department") in dept_ids else f'<span>{esc(name)}</span>')
        extra = []
        if h.get("open_ended"):
            extra.append('<span class="tag" title="列表以“等”结尾,可能还有其他单位">等</span>')
        if h.get("pending"):
            extra.append('<span class="tag warn">过渡性安排</span>')
        if h.get("condition"):
            extra.append(f'<span class="tag">情形:{esc(h["condition"])}</span>')
        if h.get("deadline"):
            extra.append(f'<span class="tag">时限:{esc(h["deadline"])}</span>')
        if h.get("inherited_from"):
            extra.append(f'<span class="tag muted" title="{esc(h["quote"])}">承自上级条款 {esc(h["inherited_from"])}</span>')
        items.append(f'<li>{role_badge(h["role"])} {link} {"".join(extra)}</li>')
    return f'<ul class="holders">{"".join(items)}</ul>'


def _answer(rank: int, a: dict, dept_ids: dict[str, str]) -> str:
    text, _unplaced = highlight(a["text"], a.get("span_start"), holder_marks(a["holders"], dept_ids))
    return (f'<article class="answer"><div class="cite"><span class="rank">{rank}</span>'
            f'<a class="docnum" href="{esc(doc_href(a["doc_id"]))}">{esc(a["doc_number"] or a["doc_title"])}</a> '
            f'<a class="unit" href="{esc(prov_href(a["provision_id"]))}">{esc(a["unit"])}</a> '
            f'<strong>{esc(a["heading"])}</strong></div>'
            f'<div class="doctitle">{esc(a["doc_title"])}</div>'
            f'{holder_list(a["holders"], dept_ids)}<p class="ptext">{text}</p></article>')


def render_search(data: dict) -> str:
    q, answers = data["q"], data["answers"]
    if not answers:
        body = f'<p class="none">没有找到与“{esc(q)}”相关的条款。换一个说法试试,例如用更短的词。</p>'
    else:
        body = (f'<p class="muted">与“{esc(q)}”最相关的 {len(answers)} 个条款(按相关程度排序),'
                f'黄色为分配职责的原文。</p>'
                + "".join(_answer(i, a, data["dept_ids"]) for i, a in enumerate(answers, 1)))
    return page(f"{q} · 谁负责", f'<h1>谁负责?</h1>{_search_form(q)}<section class="results">{body}</section>',
                active="搜索")


def render_home(data: dict) -> str:
    top = data["departments"][:12]
    depts = "".join(f'<li><a href="{esc(dept_href(d["id"]))}">{esc(d["name"])}</a> '
                    f'<span class="muted">{d["lead"] + d["responsible"] + d["supporting"]} 项</span></li>' for d in top)
    docs = "".join(f'<li><a href="{esc(doc_href(d["id"]))}">{esc(d["number"] or d["title"])}</a> '
                   f'<span class="muted">{esc(d["title"])}</span></li>' for d in data["documents"])
    body = (f'<h1>谁负责?</h1><p class="lead">输入一个事项,查看哪些政策文件的哪一条规定了由哪个单位牵头、负责或配合。</p>'
            f'{_search_form()}<div class="cols"><section><h2>职责最多的单位</h2><ul class="plain">{depts}</ul>'
            f'<p><a href="/ui/departments">全部单位 →</a></p></section>'
            f'<section><h2>文件</h2><ul class="plain">{docs or "<li>尚未载入文件</li>"}</ul></section></div>')
    return page("搜索", body, active="搜索")


def render_departments(departments: list[dict]) -> str:
    rows = "".join(
        f'<tr><td><a href="{esc(dept_href(d["id"]))}">{esc(d["name"])}</a>'
        f'{"<br><span class=muted>又称:" + esc("、".join(d["aliases"])) + "</span>" if d["aliases"] else ""}</td>'
        f'<td>{esc(KIND_ZH.get(d["kind"], d["kind"]))}</td><td class="n">{d["lead"]}</td>'
        f'<td class="n">{d["responsible"]}</td><td class="n">{d["supporting"]}</td></tr>' for d in departments)
    body = (f'<h1>单位</h1><p class="muted">共 {len(departments)} 个单位,按职责数排序。</p><div class="scroll">'
            f'<table><thead><tr><th>单位</th><th>类别</th><th>牵头</th><th>负责</th><th>配合</th></tr></thead>'
            f'<tbody>{rows}</tbody></table></div>')
    return page("单位", body, active="单位")


def render_documents(documents: list[dict]) -> str:
    rows = "".join(f'<tr><td><a href="{esc(doc_href(d["id"]))}">{esc(d["number"] or d["id"])}</a></td>'
                   f'<td>{esc(d["title"])}</td><td>{esc(d["issuer"])}</td><td>{esc(d["date"])}</td>'
                   f'<td class="n">{d["provisions"]}</td></tr>' for d in documents)
    body = (f'<h1>文件</h1><div class="scroll"><table><thead><tr><th>文号</th><th>标题</th><th>发文机关</th>'
            f'<th>日期</th><th>条款</th></tr></thead><tbody>{rows}</tbody></table></div>')
    return page("文件", body, active="文件")
