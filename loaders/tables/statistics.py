"""Statistical tables (专栏: 设备类别 | 2024年 数量 投资 …): no duties, only their lines.

A block of consecutive tabbed lines is statistical when most of its cells
after the first column are numbers or the words of a statistics header
(years, 数量, 投资, 合计 …).  Its span also covers the unit line ("单位:台(套)、万元",
or its garbled form) and the 专栏 caption just around it, so that the prose
parser does not read them as clauses.

>>> from loaders.tables.grid import split_lines
>>> src = "单位:万元\\n\\n类别\\t2024年\\t2025年\\n汽车\\t6000\\t6780\\n家电\\t20000\\t12000\\n"
>>> [t.span for t in find(src, split_lines(src, 0, len(src)), set())]
[(0, 49)]
"""
from __future__ import annotations

import re

from loaders.tables import Table
from loaders.tables.grid import Line

KIND = "statistics"
MIN_LINES = 3
MIN_SHARE = 0.5
_NUMERIC = re.compile(r"^[\d.,%\-—~]+$|^(?:\d{2,4}[)\-—~]*)?\d*年$|^(?:数量|投资|金额|拉动消费|合计|小计|总计)$")
_UNIT = re.compile(r"^\S{0,2}位\s*[:：]")            # 单位: (平位: when garbled)
_CAPTION = re.compile(r"^专栏\s*\d+")
_AROUND = 4                                          # lines searched above and below for those


def find(source: str, lines: list[Line], claimed: set[int]) -> list[Table]:
    tables, i = [], 0
    while i < len(lines):
        if i in claimed or not lines[i].tabbed:
            i += 1
            continue
        j = i
        while j < len(lines) and lines[j].tabbed and j not in claimed:
            j += 1
        if j - i >= MIN_LINES and _numeric_share(lines[i:j]) >= MIN_SHARE:
            first, last = _widen(lines, i, j - 1, claimed)
            tables.append(Table(KIND, (lines[first].start, lines[last].end)))
            claimed.update(range(first, last + 1))
            i = last + 1
        else:
            i = j
    return tables


def _numeric_share(block: list[Line]) -> float:
    cells = [c.text.strip() for line in block for c in line.cells[1:] if c.text.strip()]
    if not cells:
        return 0.0
    return sum(1 for c in cells if _NUMERIC.match(c.replace(" ", ""))) / len(cells)


def _widen(lines: list[Line], first: int, last: int, claimed: set[int]) -> tuple[int, int]:
    """Take in the unit line and caption next to the block (blank lines between allowed)."""
    def belongs(k: int) -> bool:
        text = lines[k].text.strip()
        return bool(_UNIT.match(text) or _CAPTION.match(text)) and len(text) <= 40

    for step, edge in ((-1, first), (1, last)):
        k, best = edge + step, edge
        while 0 <= k < len(lines) and abs(k - edge) <= _AROUND and k not in claimed:
            if belongs(k):
                best = k
            elif not lines[k].blank:
                break
            k += step
        if step < 0:
            first = best
        else:
            last = best
    return first, last
