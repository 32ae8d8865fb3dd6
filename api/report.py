"""The evidence report for a legal office: HTML (one self-contained file), Markdown, CSV,
and the terminal table of `dutygraph findings`.

Pure functions of the findings and the rows queries/findings.report_data()
returns; they read no store and write no file (the CLI does that).

>>> render_csv([], {}).startswith("\\ufeff")
True
"""
from __future__ import annotations

import csv
import io
import unicodedata
from html import escape

from api.csv_cells import formula_safe_row
from api.report_template import CSS, bar_chart, heatmap
from graph.review_store import effective_status

TYPE_ZH = {
    "no_assignee": "无责任单位", "several_leads": "多个牵头单位", "shared_without_lead": "共同负责无牵头",
    "same_duty_different_holders": "同一事项不同承担单位", "split_jurisdiction": "按情形划分职责",
    "split_repeated": "重复的职责划分", "pending_assignment": "过渡性安排", "vague_only": "仅泛指单位",
    "open_ended": "列表以“等”结尾", "naming": "单位名称", "body_vs_list": "正文与列表不一致", "overdue": "已过完成时限",
    "law_authority_differs": "与法定主管部门不一致", "designation_missing": "法定须指定而未指定",
    "law_authority_without_local_holder": "法定单位本地无承担", "allocated_twice": "同一法定职责两处分配",
}
SEVERITY_ZH = {"critical": "严重", "high": "高", "medium": "中", "low": "低", "info": "提示"}
STATUS_ZH = {"open": "待审", "accepted": "已确认", "dismissed": "已驳回", "resolved": "已解决", "reopened": "证据已变,重新待审"}
CSV_FIELDS = ["id", "type", "severity", "status", "note", "title_zh", "departments", "provisions", "quotes",
              "evidence_hash"]


def anchor(provision_id: str) -> str:
    return "p-" + provision_id.replace(":", "-")


def _grouped_evidence(evidence: list[dict]) -> list[dict]:
    """One quote per (doc, unit, quote) with every department it names (a list names several)."""
    groups: dict[tuple, dict] = {}
    for e in evidence:
        g = groups.setdefault((e["doc"], e["unit"], e["quote"]),
                              {"doc": e["doc"], "unit": e["unit"], "quote": e["quote"], "span": e["span"], "who": []})
        if e["department"]:
            role = {"lead": "牵头", "responsible": "负责", "supporting": "配合", "mentioned": "正文提及"}.get(e["role"], "")
            g["who"].append(f"{e['department']}({role})" if role else e["department"])
    return list(groups.values())


def _counts(findings: list[dict]) -> tuple[dict, dict]:
    by_type: dict[str, int] = {}
    by_sev: dict[str, int] = {}
    for f in findings:
        by_type[f["type"]] = by_type.get(f["type"], 0) + 1
        by_sev[f["severity"]] = by_sev.get(f["severity"], 0) + 1
    return by_type, by_sev


# -- HTML ------------------------------------------------------------------------------
def render_html(findings: list[dict], departments: list[dict], marks: dict, provisions: dict, *,
                calendar: list[dict] = (), overlaps: dict | None = None, today: str = "",
                title: str = "职责分析报告:交叉、冲突与空白") -> str:
    """One HTML file: summary, heatmap, bar chart, calendar, findings with quotes, provision texts."""
    out = [f'<!DOCTYPE html><html lang="zh-CN"><head><meta charset="utf-8"><title>{escape(title)}</title>'
           f'<style>{CSS}</style></head><body><h1>{escape(title)}</h1>']
    out.append(f'<p class="muted">截至 {escape(today)} · 共 {len(findings)} 项发现 · '
               f'每项发现的证据引文均可链接到文末的条款原文。</p>')
    out.append(_summary_html(findings, marks))
    out.append('<h2>单位职责交叉矩阵</h2><p class="muted">两单位共同承担职责的条款数(颜色越深越多;对角线为灰色)。</p>')
    out.append(heatmap(overlaps or {"departments": [], "matrix": []}))
    out.append('<h2>各单位职责数</h2>')
    out.append(bar_chart(departments))
    out.append(_calendar_html(calendar))
    out.append('<h2>发现</h2>')
    for f in findings:
        out.append(_finding_html(f, effective_status(f, marks)))
    out.append('<h2>条款原文</h2>')
    for pid in sorted(provisions, key=lambda k: (provisions[k].get("doc_number", ""), provisions[k].get("order", 0))):
        p = provisions[pid]
        doc = p.get("doc_number") or p.get("doc_title", "")
        out.append(f'<div class="prov" id="{anchor(pid)}"><strong>{escape(doc)} {escape(p["unit"])}</strong> '
                   f'<span class="muted">{escape(p.get("heading", ""))} · 原文位置 {p.get("span_start", 0)}–'
                   f'{p.get("span_end", 0)}</span><pre>{escape(p.get("text", ""))}</pre></div>')
    out.append("</body></html>")
    return "".join(out)


def _summary_html(findings, marks) -> str:
    by_type, by_sev = _counts(findings)
    statuses: dict[str, int] = {}
    for f in findings:
        s = effective_status(f, marks)["status"]
        statuses[s] = statuses.get(s, 0) + 1
    rows = "".join(f'<tr><td>{escape(TYPE_ZH.get(t, t))}</td><td>{escape(t)}</td><td>{n}</td></tr>'
                   for t, n in sorted(by_type.items(), key=lambda kv: -kv[1]))
    sev = " · ".join(f'<span class="sev-{s}">{SEVERITY_ZH[s]} {n}</span>' for s, n in by_sev.items())
    st = " · ".join(f'{STATUS_ZH.get(s, s)} {n}' for s, n in sorted(statuses.items()))
    return (f'<h2 class="first">概况</h2><p>按严重程度:{sev}</p><p>审核状态:{escape(st)}</p>'
            f'<table><tr><th>类型</th><th>代码</th><th>数量</th></tr>{rows}</table>')


def _calendar_html(calendar) -> str:
    if not calendar:
        return '<h2>职责时限日历</h2><p>没有写明完成时限的职责。</p>'
    out = ['<h2>职责时限日历</h2><table><tr><th>单位</th><th>完成时限</th><th>条款</th><th>内容</th><th>状态</th></tr>']
    for c in calendar:
        name = c["department"].replace("VAGUE:", "泛指:")
        state = '<span class="overdue">已逾期</span>' if c["status"] == "overdue" else "未到期"
        out.append(f'<tr><td>{escape(name)}</td><td>{escape(c["deadline_date"])}<br><span class="muted">'
                   f'{escape(c["deadline"])}</span></td><td><a href="#{anchor(c["provision_id"])}">{escape(c["doc"])} '
                   f'{escape(c["unit"])}</a></td><td>{escape(c["heading"])}</td><td>{state}</td></tr>')
    out.append("</table>")
    return "".join(out)


def _finding_html(f: dict, review: dict) -> str:
    status = review["status"]
    note = f' — {escape(review["note"])}' if review["note"] else ""
    links = " ".join(f'<a href="#{anchor(p["provision_id"])}">{escape(p["doc"])} {escape(p["unit"])}</a>'
                     for p in f["provisions"])
    quotes = "".join(f'<blockquote>{escape(g["quote"])}<br><span class="muted">{escape(g["doc"])} {escape(g["unit"])}'
                     f'{" · " + escape("、".join(g["who"])) if g["who"] else ""}</span></blockquote>'
                     for g in _grouped_evidence(f["evidence"]))
    return (f'<div class="finding {f["severity"]}" id="{escape(f["id"].replace(":", "-"))}">'
            f'<div><span class="sev-{f["severity"]}">[{SEVERITY_ZH[f["severity"]]}]</span> '
            f'<strong>{escape(TYPE_ZH.get(f["type"], f["type"]))}</strong> '
            f'<span class="status status-{status}">{STATUS_ZH.get(status, status)}{note}</span> '
            f'<span class="muted">{escape(f["id"])}</span></div>'
            f'<p>{escape(f["title_zh"])}</p><p class="muted">涉及单位:{escape("、".join(f["departments"]) or "无")}'
            f' · 条款:{links}</p>{quotes}</div>')


# -- Markdown, CSV, terminal -------------------------------------------------------------
def render_md(findings: list[dict], marks: dict, *, today: str = "", title: str = "职责分析报告") -> str:
    by_type, by_sev = _counts(findings)
    lines = [f"# {title}", "", f"截至 {today} · 共 {len(findings)} 项发现", "",
             "| 类型 | 代码 | 数量 |", "|---|---|---|"]
    lines += [f"| {TYPE_ZH.get(t, t)} | {t} | {n} |" for t, n in sorted(by_type.items(), key=lambda kv: -kv[1])]
    lines += ["", "按严重程度:" + " · ".join(f"{SEVERITY_ZH[s]} {n}" for s, n in by_sev.items()), ""]
    for f in findings:
        review = effective_status(f, marks)
        lines += [f"## [{SEVERITY_ZH[f['severity']]}] {f['title_zh']}", "",
                  f"- 类型:{TYPE_ZH.get(f['type'], f['type'])} (`{f['type']}`) · id `{f['id']}` · "
                  f"状态:{STATUS_ZH.get(review['status'], review['status'])}"
                  + (f"({review['note']})" if review["note"] else ""),
                  f"- 涉及单位:{'、'.join(f['departments']) or '无'}",
                  f"- 条款:{'; '.join(p['doc'] + ' ' + p['unit'] for p in f['provisions'])}", ""]
        for g in _grouped_evidence(f["evidence"]):
            who = f" — {'、'.join(g['who'])}" if g["who"] else ""
            lines.append(f"> {g['quote'].replace(chr(10), ' ')}  \n> *{g['doc']} {g['unit']}{who}*")
            lines.append("")
    return "\n".join(lines) + "\n"


def render_csv(findings: list[dict], marks: dict) -> str:
    """One row per finding, UTF-8 with a BOM so that Excel reads the Chinese."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(CSV_FIELDS)
    for f in findings:
        review = effective_status(f, marks)
        # notes and quotes come from outside: no cell may run as a formula
        writer.writerow(formula_safe_row([
            f["id"], f["type"], f["severity"], review["status"], review["note"], f["title_zh"],
            "、".join(f["departments"]),
            "; ".join(f"{p['doc']} {p['unit']}" for p in f["provisions"]),
            " | ".join(g["quote"].replace("\n", " ") for g in _grouped_evidence(f["evidence"])),
            f["evidence_hash"]]))
    return "\ufeff" + buffer.getvalue()


def render_table(findings: list[dict], marks: dict, width: int = 120) -> str:
    """The terminal table of `dutygraph findings`: severity, type, status, id, explanation."""
    lines = [_pad("级别", 4) + "  " + _pad("类型", 28) + "  " + _pad("状态", 8) + "  " + _pad("id", 20) + "  说明"]
    for f in findings:
        status = effective_status(f, marks)["status"]
        head = (_pad(SEVERITY_ZH[f["severity"]], 4) + "  " + _pad(f["type"], 28) + "  " +
                _pad(STATUS_ZH.get(status, status), 8) + "  " + _pad(f["id"], 20) + "  ")
        lines.append(head + _clip(f["title_zh"], max(20, width - _width(head))))
    by_type, _ = _counts(findings)
    lines.append(f"{len(findings)} findings: " + ", ".join(f"{t} {n}" for t, n in sorted(by_type.items())))
    return "\n".join(lines)


def _width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def _pad(text: str, width: int) -> str:
    return text + " " * max(0, width - _width(text))


def _clip(text: str, width: int) -> str:
    out, used = "", 0
    for c in text:
        w = _width(c)
        if used + w > width - 1:
            return out + "…"
        out, used = out + c, used + w
    return out
