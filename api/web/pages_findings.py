"""The findings page: overlaps, conflicts and gaps, filtered, each with its evidence side by side
and, when the server has a write token, the review marks (accept, or dismiss with a note).

>>> _query({"type": "several_leads", "department": "", "offset": 50})
'type=several_leads&amp;offset=50'
"""
from __future__ import annotations

from urllib.parse import urlencode

from api.report import _grouped_evidence
from api.web.highlight import highlight
from api.web.layout import SEVERITY_ZH, STATUS_ZH, TYPE_ZH, dept_href, esc, page, prov_href, quote_html
from graph.review_store import effective_status
from queries.findings_rules import MESSAGE_FIELDS, SEVERITIES

STATUS_FILTER = ("open", "accepted", "dismissed", "resolved", "reopened")


def _query(params: dict) -> str:
    return esc(urlencode({k: v for k, v in params.items() if v not in (None, "", 0)}))


def _select(name: str, chosen: str, options: list[tuple[str, str]], label: str) -> str:
    opts = "".join(f'<option value="{esc(v)}"{" selected" if v == chosen else ""}>{esc(t)}</option>'
                   for v, t in [("", "全部")] + options)
    return f'<label>{esc(label)}<select name="{esc(name)}">{opts}</select></label>'


def _filters(data: dict, chosen: dict) -> str:
    types = [(t, f"{TYPE_ZH.get(t, t)}") for t in MESSAGE_FIELDS]
    sevs = [(s, f"{SEVERITY_ZH[s]}及以上") for s in SEVERITIES]
    depts = [(d, d) for d in data["departments"]]
    docs = [(d["number"] or d["id"], d["number"] or d["title"]) for d in data["documents"]]
    statuses = [(s, STATUS_ZH[s]) for s in STATUS_FILTER]
    return (f'<form class="filters" method="get" action="/ui/findings">'
            f'{_select("type", chosen.get("type") or "", types, "类型")}'
            f'{_select("severity", chosen.get("severity") or "", sevs, "严重程度")}'
            f'{_select("department", chosen.get("department") or "", depts, "单位")}'
            f'{_select("document", chosen.get("document") or "", docs, "文件")}'
            f'{_select("status", chosen.get("status") or "", statuses, "审核状态")}'
            f'<button type="submit">筛选</button> <a href="/ui/findings">清除</a></form>')


def _evidence_column(group: list[dict], prov: dict | None, ref: dict, dept_ids: dict[str, str]) -> str:
    who = []
    for g in group:
        who += g["who"]
    head = (f'<div class="ev-head"><a href="{esc(prov_href(ref["provision_id"]))}">{esc(ref["doc"])} '
            f'{esc(ref["unit"])}</a> <span>{esc(ref.get("heading", ""))}</span></div>')
    quotes = "".join(f'<blockquote>{quote_html(g["quote"])}<div class="who">{esc("、".join(g["who"]) or "未写明单位")}'
                     f'</div></blockquote>' for g in group)
    text = ""
    if prov is not None:
        marks = [{"quote": g["quote"], "span": g["span"], "holders": []} for g in group]
        html, _ = highlight(prov["text"], prov.get("span_start"), marks)
        text = f'<details><summary>条款全文</summary><p class="ptext">{html}</p></details>'
    return f'<div class="ev-col">{head}{quotes}{text}</div>'


def _evidence(f: dict, provisions: dict, dept_ids: dict[str, str]) -> str:
    """One column per provision cited, in the finding's order: the conflicting texts next to each other."""
    groups = _grouped_evidence(f["evidence"])
    cols = []
    for ref in f["provisions"]:
        mine = [g for g in groups if (g["doc"], g["unit"]) == (ref["doc"], ref["unit"])]
        cols.append(_evidence_column(mine, provisions.get(ref["provision_id"]), ref, dept_ids))
    cited = {(r["doc"], r["unit"]) for r in f["provisions"]}
    stray = [g for g in groups if (g["doc"], g["unit"]) not in cited]
    if stray:
        cols.append(_evidence_column(stray, None, {"provision_id": "", "doc": stray[0]["doc"],
                                                   "unit": stray[0]["unit"]}, dept_ids))
    return f'<div class="evidence">{"".join(cols)}</div>'


def _review_form(f: dict) -> str:
    fid = esc(f["id"])
    return (f'<form class="review" data-id="{fid}"><label>审核说明<textarea name="note" rows="2" maxlength="2000" '
            f'placeholder="驳回时必须说明理由,例如:两单位分别牵头,系有意安排"></textarea></label>'
            f'<div class="actions"><button type="submit" name="status" value="accepted">确认问题</button>'
            f'<button type="submit" name="status" value="dismissed" class="secondary">驳回</button>'
            f'<button type="submit" name="status" value="open" class="link">撤销标记</button>'
            f'<span class="msg" role="status"></span></div></form>')


def _finding(f: dict, review: dict, data: dict, reviewable: bool) -> str:
    status = review["status"]
    note = f'<span class="note">说明:{esc(review["note"])}</span>' if review["note"] else ""
    changed = '<span class="tag warn">证据在标记后有变化</span>' if review["evidence_changed"] else ""
    depts = "、".join(f'<a href="{esc(dept_href(data["dept_ids"][d]))}">{esc(d)}</a>' if d in data["dept_ids"]
                     else esc(d) for d in f["departments"]) or "无"
    return (f'<article class="finding sev-{esc(f["severity"])}" id="{esc(f["id"].replace(":", "-"))}">'
            f'<div class="fhead"><span class="sev">{esc(SEVERITY_ZH.get(f["severity"], f["severity"]))}</span>'
            f'<strong>{esc(TYPE_ZH.get(f["type"], f["type"]))}</strong>'
            f'<span class="status status-{esc(status)}" data-status-for="{esc(f["id"])}">'
            f'{esc(STATUS_ZH.get(status, status))}</span>{changed}<span class="fid">{esc(f["id"])}</span></div>'
            f'<p class="ftitle">{esc(f["title_zh"])}</p><p class="muted">涉及单位:{depts}</p>{note}'
            f'{_evidence(f, data["provisions"], data["dept_ids"])}'
            f'{_review_form(f) if reviewable else ""}</article>')


def render_findings(data: dict, marks: dict, chosen: dict, reviewable: bool) -> str:
    rows = [(f, effective_status(f, marks)) for f in data["findings"]]
    token = ('<div class="tokenbox"><label>审核口令(仅保存在本浏览器标签页)'
             '<input type="password" id="review-token" autocomplete="off"></label></div>') if reviewable else \
        '<p class="muted">服务器未配置写入口令(DUTYGRAPH_API_TOKEN),审核标记不可用。</p>'
    start, end = data["offset"] + 1, data["offset"] + len(rows)
    pager = []
    if data["offset"] > 0:
        pager.append(f'<a href="/ui/findings?{_query({**chosen, "offset": max(data["offset"] - data["limit"], 0)})}">'
                     f'← 上一页</a>')
    if end < data["total"]:
        pager.append(f'<a href="/ui/findings?{_query({**chosen, "offset": end})}">下一页 →</a>')
    summary = (f'<p class="muted">共 {data["total"]} 项,显示第 {start}–{end} 项。按严重程度、类型排序。</p>'
               if rows else '<p class="none">没有符合条件的问题。</p>')
    body = (f'<h1>问题发现:交叉、冲突与空白</h1>{_filters(data, chosen)}{token}{summary}'
            + "".join(_finding(f, r, data, reviewable) for f, r in rows)
            + f'<p class="pager">{" ".join(pager)}</p>'
            + '<p><a href="/report">打印版报告(含统计图表)→</a></p>')
    return page("问题发现", body, active="问题发现", scripts=("review.js",) if reviewable else ())

