"""The pieces of the HTML report that are not findings: style sheet and inline SVG charts.

No JavaScript, no web fonts, no external file: a legal officer opens the
report offline and prints it.  Every text is escaped here.

>>> "<svg" in bar_chart([{"name": "市民政局", "lead": 2, "responsible": 20, "supporting": 0}])
True
>>> heatmap({"departments": [], "matrix": []})
'<p>无数据</p>'
"""
from __future__ import annotations

from html import escape

CSS = """
body{font-family:"Noto Sans CJK SC","Source Han Sans SC","Microsoft YaHei","PingFang SC",SimSun,sans-serif;
 margin:2em auto;max-width:1100px;color:#222;line-height:1.5;padding:0 1em}
h1{font-size:1.6em;border-bottom:2px solid #333}h2{margin-top:2em;border-bottom:1px solid #999}
table{border-collapse:collapse;width:100%;margin:.5em 0}th,td{border:1px solid #bbb;padding:.25em .4em;
 vertical-align:top;font-size:.9em}th{background:#eee}
.sev-critical,.sev-high{color:#a00;font-weight:bold}.sev-medium{color:#b60}.sev-low{color:#36c}.sev-info{color:#666}
.finding{border:1px solid #ccc;border-left:6px solid #999;padding:.5em .8em;margin:1em 0;page-break-inside:avoid}
.finding.high,.finding.critical{border-left-color:#c00}.finding.medium{border-left-color:#e80}
.finding.low{border-left-color:#39c}.finding.info{border-left-color:#aaa}
.status{display:inline-block;padding:0 .4em;border-radius:3px;background:#eee;font-size:.85em}
.status-dismissed,.status-resolved{background:#dfd}.status-reopened{background:#fdd}.status-accepted{background:#ffd}
blockquote{margin:.3em 0 .3em 1em;padding-left:.6em;border-left:3px solid #ddd;color:#333}
.prov{border-top:1px dotted #999;padding:.5em 0;page-break-inside:avoid}.prov pre{white-space:pre-wrap;
 font-family:inherit;margin:.2em 0}
.muted{color:#666;font-size:.85em}.overdue{color:#a00}
@media print{a{color:inherit;text-decoration:none}h2{page-break-before:always}h2.first{page-break-before:auto}
 .finding,.prov{page-break-inside:avoid}}
"""

_BAR_COLOURS = (("lead", "#c0392b", "牵头"), ("responsible", "#e67e22", "负责"), ("supporting", "#3498db", "配合"))


def bar_chart(departments: list[dict], limit: int = 40) -> str:
    """Duties per department as horizontal stacked bars (lead, responsible, supporting)."""
    rows = [d for d in departments if d["lead"] + d["responsible"] + d["supporting"]][:limit]
    if not rows:
        return "<p>无数据</p>"
    top = max(d["lead"] + d["responsible"] + d["supporting"] for d in rows)
    label_w, bar_w, row_h = 230, 560, 18
    height = row_h * len(rows) + 40
    parts = [f'<svg role="img" aria-label="各单位职责数" '
             f'width="{label_w + bar_w + 60}" height="{height}" font-size="12">']
    for i, d in enumerate(rows):
        y = 10 + i * row_h
        parts.append(f'<text x="{label_w - 6}" y="{y + 12}" text-anchor="end">{escape(d["name"])}</text>')
        x = label_w
        for key, colour, zh in _BAR_COLOURS:
            w = bar_w * d[key] / top
            if w:
                parts.append(f'<rect x="{x:.1f}" y="{y}" width="{w:.1f}" height="{row_h - 4}" fill="{colour}">'
                             f'<title>{escape(d["name"])} {zh} {d[key]}</title></rect>')
            x += w
        total = d["lead"] + d["responsible"] + d["supporting"]
        parts.append(f'<text x="{x + 4:.1f}" y="{y + 12}">{total}</text>')
    y = height - 14
    for i, (_, colour, zh) in enumerate(_BAR_COLOURS):
        parts.append(f'<rect x="{label_w + i * 80}" y="{y - 10}" width="12" height="12" fill="{colour}"/>'
                     f'<text x="{label_w + i * 80 + 16}" y="{y}">{zh}</text>')
    parts.append("</svg>")
    return "".join(parts)


def heatmap(overlaps: dict, limit: int = 30) -> str:
    """Department × department: provisions both hold, as a colour grid (diagonal = own total)."""
    names = overlaps["departments"][:limit]
    if not names:
        return "<p>无数据</p>"
    m = overlaps["matrix"]
    off = [m[i][j] for i in range(len(names)) for j in range(len(names)) if i != j] or [0]
    top = max(off) or 1
    cell, label = 18, 200
    size = label + cell * len(names) + 10
    parts = [f'<svg class="heatmap" role="img" aria-label="单位职责交叉矩阵" '
             f'width="{size}" height="{size}" font-size="11">']
    for i, n in enumerate(names):
        y = label + i * cell
        parts.append(f'<text x="{label - 4}" y="{y + 13}" text-anchor="end">{escape(n)}</text>')
        x = label + i * cell + 12
        parts.append(f'<text x="{x}" y="{label - 4}" transform="rotate(-60 {x} {label - 4})">{escape(n)}</text>')
    for i, a in enumerate(names):
        for j, b in enumerate(names):
            v = m[i][j]
            if i == j:
                fill = "#ddd"
            else:
                shade = int(255 - 200 * v / top)
                fill = f"rgb(255,{shade},{shade})" if v else "#fff"
            parts.append(f'<rect x="{label + j * cell}" y="{label + i * cell}" width="{cell - 1}" height="{cell - 1}" '
                         f'fill="{fill}" stroke="#eee"><title>{escape(a)} × {escape(b)}: {v}</title></rect>')
            if v and i != j and v * 2 >= top:
                parts.append(f'<text x="{label + j * cell + 3}" y="{label + i * cell + 13}" font-size="9">{v}</text>')
    parts.append("</svg>")
    return "".join(parts)
