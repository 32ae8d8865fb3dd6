"""A department's page: its obligations by document and role, deadlines (overdue marked), and the CSV.

>>> csv_text = render_csv({"department": {"name": "市民政局"}, "duties": []}, date(2025, 1, 1))
>>> csv_text.startswith("\\ufeff文号,")
True
>>> _cell("=HYPERLINK(1)")
"'=HYPERLINK(1)"
"""
from __future__ import annotations

import csv
import io
from datetime import date
from itertools import groupby

from api.csv_cells import formula_safe
from api.web.layout import KIND_ZH, ROLE_ZH, doc_href, esc, page, prov_href, quote_html, role_badge
from graph.schema import ROLE_ORDER

CSV_HEADER = ["文号", "文件标题", "条款", "事项", "角色", "情形", "完成时限", "时限日期", "时限状态",
              "原文引文", "列表以“等”结尾", "过渡性安排", "条款编号", "目标指标"]


def deadline_state(duty: dict, today: date) -> str:
    """overdue, due, or '' (no dated deadline)."""
    if not duty.get("deadline_date"):
        return ""
    return "overdue" if date.fromisoformat(duty["deadline_date"]) < today else "due"


def _deadline_html(duty: dict, today: date) -> str:
    if not duty.get("deadline"):
        return '<span class="muted">未写明</span>'
    state = deadline_state(duty, today)
    badge = {"overdue": '<span class="badge overdue">已逾期</span>', "due": '<span class="badge due">未到期</span>'}
    when = esc(duty["deadline_date"] or "")
    return f'{esc(duty["deadline"])}{"<br>" + when if when and when != esc(duty["deadline"]) else ""} {badge.get(state, "")}'


def _duty_row(d: dict, today: date) -> str:
    tags = ""
    if d.get("open_ended"):
        tags += '<span class="tag" title="列表以“等”结尾,可能还有其他单位">等</span>'
    if d.get("pending"):
        tags += '<span class="tag warn">过渡性安排</span>'
    if d.get("condition"):
        tags += f'<span class="tag">情形:{esc(d["condition"])}</span>'
    state = deadline_state(d, today)
    return (f'<tr class="{"is-overdue" if state == "overdue" else ""}">'
            f'<td data-label="条款"><a href="{esc(prov_href(d["provision_id"]))}">{esc(d["unit"])}</a></td>'
            f'<td data-label="事项"><strong>{esc(d["heading"])}</strong> {tags}'
            f'<div class="quote">{quote_html(d["quote"])}</div>{_targets_html(d)}</td>'
            f'<td data-label="完成时限">{_deadline_html(d, today)}</td></tr>')


def _targets_html(duty: dict) -> str:
    targets = duty.get("targets") or []
    if not targets:
        return ""
    items = "".join(f'<li>{quote_html(t["quote"])}</li>' for t in targets)
    return f'<div class="targets"><span class="tag">目标指标</span><ul>{items}</ul></div>'


def render_department(data: dict, today: date, csv_href: str) -> str:
    dept, duties = data["department"], data["duties"]
    overdue = sum(1 for d in duties if deadline_state(d, today) == "overdue")
    aliases = f'<p class="muted">又称:{esc("、".join(dept["aliases"]))}</p>' if dept.get("aliases") else ""
    summary = (f'<div class="stats"><span>{role_badge("lead")} {dept["lead"]}</span>'
               f'<span>{role_badge("responsible")} {dept["responsible"]}</span>'
               f'<span>{role_badge("supporting")} {dept["supporting"]}</span>'
               f'<span class="{"overdue" if overdue else ""}">已逾期 {overdue}</span></div>')
    out = [f'<h1>{esc(dept["name"])}</h1><p class="muted">{esc(KIND_ZH.get(dept["kind"], dept["kind"]))} · '
           f'共 {data["total"]} 项职责(今天按 {today.isoformat()} 计)</p>{aliases}{summary}'
           f'<p><a class="button" href="{esc(csv_href)}" download>下载 CSV(Excel 可直接打开)</a></p>']
    if len(duties) < data["total"]:
        out.append(f'<p class="warn">只显示前 {len(duties)} 项;完整清单请下载 CSV。</p>')
    if not duties:
        out.append('<p class="none">该单位没有职责。</p>')
    by_doc = groupby(duties, key=lambda d: (d["doc_id"], d["doc_number"], d["doc_title"]))
    for (doc_id, number, title), rows in by_doc:
        rows = sorted(rows, key=lambda d: ROLE_ORDER.get(d["role"], 9))   # stable: document order within a role
        out.append(f'<section class="docgroup"><h2><a href="{esc(doc_href(doc_id))}">{esc(number or title)}</a></h2>'
                   f'<p class="doctitle">{esc(title)}</p>')
        for role, group in groupby(rows, key=lambda d: d["role"]):
            group = list(group)
            out.append(f'<h3>{role_badge(role)} {esc(ROLE_ZH.get(role, role))}({len(group)})</h3>'
                       f'<table class="duties"><thead><tr><th>条款</th><th>事项与原文</th><th>完成时限</th></tr>'
                       f'</thead><tbody>{"".join(_duty_row(d, today) for d in group)}</tbody></table>')
        out.append('</section>')
    return page(dept["name"], "".join(out), active="单位")


_cell = formula_safe      # a CSV cell Excel will not run as a formula (document text comes from outside)


def render_csv(data: dict, today: date) -> str:
    """One row per duty, UTF-8 with a BOM so that Excel reads the Chinese."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(CSV_HEADER)
    for d in data["duties"]:
        state = {"overdue": "已逾期", "due": "未到期"}.get(deadline_state(d, today), "")
        writer.writerow([_cell(v) for v in (
            d["doc_number"], d["doc_title"], d["unit"], d["heading"], ROLE_ZH.get(d["role"], d["role"]),
            d["condition"], d["deadline"], d["deadline_date"], state, d["quote"].replace("\n", " "),
            "是" if d["open_ended"] else "", "是" if d["pending"] else "", d["provision_id"],
            ";".join(t["quote"].replace("\n", " ") for t in d.get("targets", [])))])
    return "\ufeff" + buffer.getvalue()
