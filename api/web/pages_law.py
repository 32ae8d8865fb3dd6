"""The law pages: the laws and regulations loaded, and one law's coverage in each place — for every
article with duties, the authority the law names, the local provisions that implement it with their
holders, and the law findings raised on it (the legal office's table, issue 13).

>>> "&lt;b&gt;" in render_laws([{"id": "doc:x", "title": "<b>", "kind": "law", "date": "", "provisions": 3,
...                              "implemented_by": 0}])
True
"""
from __future__ import annotations

from api.web.layout import TYPE_ZH, dept_href, esc, law_href, page, prov_href, quote_html, role_badge

LAW_KIND_ZH = {"law": "法律", "regulation": "行政法规", "local_regulation": "地方性法规"}


def render_laws(laws: list[dict]) -> str:
    rows = "".join(f'<tr><td><a href="{esc(law_href(d["title"]))}">{esc(d["title"])}</a></td>'
                   f'<td>{esc(LAW_KIND_ZH.get(d["kind"], d["kind"]))}</td><td>{esc(d["date"])}</td>'
                   f'<td class="n">{d["provisions"]}</td><td class="n">{d["implemented_by"]}</td></tr>'
                   for d in laws)
    body = (f'<h1>法律法规</h1><p class="muted">共 {len(laws)} 部。“本地落实条款”是引用该法条文的本地文件条款数。</p>'
            f'<div class="scroll"><table><thead><tr><th>名称</th><th>类别</th><th>日期</th><th>条款</th>'
            f'<th>本地落实条款</th></tr></thead><tbody>{rows or "<tr><td colspan=5>尚未载入法律法规</td></tr>"}'
            f'</tbody></table></div>')
    return page("法律法规", body, active="法律法规")


def _law_holders(unit: dict) -> str:
    """The authorities the law names, grouped by the sentence that names them (公安、交通…等部门 is one
    sentence and four holders): each holder once, as the law names it without its level, the quote once."""
    groups: dict[str, list[dict]] = {}
    for h in unit["law_holders"]:
        groups.setdefault(h["quote"], []).append(h)
    items = []
    for quote, holders in groups.items():
        names = "".join(f'<li>{role_badge(h["role"])} {_authority(h)}</li>' for h in holders)
        items.append(f'<ul class="holders">{names}</ul><div class="quote">{quote_html(quote)}</div>')
    return "".join(items)


def _authority(h: dict) -> str:
    level = f' <span class="muted">({esc(h["level"])})</span>' if h["level"] else ""
    designated = ' <span class="tag warn" title="法律规定由地方人民政府指定">须指定</span>' if h["designated"] else ""
    name = h["department"].replace("VAGUE:", "泛指:", 1)
    return f'<span title="{esc(h["printed"])}">{esc(name)}</span>{level}{designated}'


def _local(unit: dict, dept_ids: dict[str, str]) -> str:
    if not unit["local"]:
        return '<p class="none">本地文件未落实</p>'
    items = []
    for loc in unit["local"]:
        who = "".join(f'<li>{role_badge(h["role"])} {_department(h, dept_ids)}</li>'
                      for h in loc["holders"]) or '<li class="none">未写明单位</li>'
        items.append(f'<li><a href="{esc(prov_href(loc["provision_id"]))}">{esc(loc["doc"])} {esc(loc["unit"])}</a>'
                     f'<ul class="holders">{who}</ul></li>')
    return f'<ul class="plain">{"".join(items)}</ul>'


def _department(h: dict, dept_ids: dict[str, str]) -> str:
    if h["department"] in dept_ids:
        return f'<a href="{esc(dept_href(dept_ids[h["department"]]))}">{esc(h["department"])}</a>'
    return esc(h["department"] or "泛指:" + (h["vague"] or ""))


def _field_departments(unit: dict) -> str:
    named = [f'{esc(key)}:{esc("、".join(names) or "本地无对应单位")}'
             for key, names in unit["departments_of_field"].items()]
    return "<br>".join(named) or '<span class="muted">—</span>'


def _findings(unit: dict) -> str:
    return "".join(f'<span class="tag warn">{esc(TYPE_ZH.get(k, k))}</span>' for k in unit["findings"]) \
        or '<span class="muted">—</span>'


def _place(law: dict, place: dict, offset: int, dept_ids: dict[str, str]) -> str:
    rows = "".join(
        f'<tr{" class=flagged" if u["findings"] else ""}><td data-label="条款">'
        f'<a href="{esc(prov_href(u["provision_id"]))}">{esc(u["unit"])}</a></td>'
        f'<td data-label="法律规定">{_law_holders(u)}</td><td data-label="本地承担">{_local(u, dept_ids)}</td>'
        f'<td data-label="同领域本地单位">{_field_departments(u)}</td><td data-label="问题">{_findings(u)}</td></tr>'
        for u in place["units"])
    shown = f'{offset + 1}–{offset + len(place["units"])} / {place["total"]}' if place["units"] else "0"
    more = ""
    if offset + len(place["units"]) < place["total"]:
        more = (f'<p><a href="{esc(law_href(law["title"], place["place"], offset + len(place["units"])))}">'
                f'下一页 →</a></p>')
    return (f'<section><h2>{esc(place["place"] or "未知地区")}</h2><p class="muted">规定职责的条款 {shown}</p>'
            f'<div class="scroll"><table class="law"><thead><tr><th>条款</th><th>法律规定</th><th>本地承担</th>'
            f'<th>同领域本地单位</th><th>问题</th></tr></thead><tbody>{rows}</tbody></table></div>{more}</section>')


def render_law(answer: dict, offset: int = 0) -> str:
    law = answer["law"]
    places = "".join(_place(law, p, offset, answer["dept_ids"]) for p in answer["places"]) or (
        '<p class="none">尚无本地文件落实该法;载入引用该法条文的本地文件(依据《…》第X条、法律条文对照表)后,'
        '这里列出每条规定的本地承担单位。</p>')
    body = (f'<h1>{esc(law["title"])}</h1><p class="muted">{esc(LAW_KIND_ZH.get(law["kind"], law["kind"]))} '
            f'{esc(law["date"])}</p>{places}')
    return page(law["title"], body, active="法律法规")
