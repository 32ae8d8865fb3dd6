"""Cells of a table line in the three spellings text extraction produces.

* TAB between cells (PDF/Word text export): `grid.Line.cells`;
* Markdown pipes, "| 1 | 推进… | 市财政局 |", under a "|---|---|" separator line;
  "<br>" inside a cell is a line break of that cell;
* aligned spaces, "1   推进…        市财政局": a cell belongs to the column under
  whose header it starts, measured in display columns (a CJK character is two).

Every cell is a slice of the source, so quotes taken from cells stay exact.

>>> from loaders.tables.grid import split_lines
>>> src = "| 序号 | 任务 | 牵头单位 |\\n|---|---|---|\\n| 1 | 推进改革<br>试点 | 市财政局 |\\n"
>>> lines = split_lines(src, 0, len(src))
>>> lay = layout_of(lines, 0)
>>> [c.text for c in lay.cells(lines[2])]
['1', '推进改革<br>试点', '市财政局']
>>> [p.text for p in pieces(lay.cells(lines[2])[1])]
['推进改革', '试点']
>>> src = "序号  任务      牵头单位\\n1     推进改革  市财政局\\n      试点\\n"
>>> lines = split_lines(src, 0, len(src))
>>> [c.text for c in layout_of(lines, 0).cells(lines[2])]
['', '试点', '']
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from typing import Callable

from loaders.tables.grid import Cell, Line

_SEPARATOR = re.compile(r"^\s*\|?\s*:?-{3,}:?\s*(?:\|\s*:?-{3,}:?\s*)*\|?\s*$")
_BREAK = re.compile(r"<br\s*/?>", re.I)
# Two display columns of white space separate aligned cells; one space may sit
# inside a cell (PDF line breaks, "PM 2.5").
_GAP = 2


@dataclass(frozen=True)
class Layout:
    kind: str                       # tab | pipe | spaces
    starts: tuple[int, ...] = ()    # spaces: display column where each header cell starts
    ends: tuple[int, ...] = ()      # … and where it ends

    def cells(self, line: Line) -> list[Cell]:
        if self.kind == "tab":
            return line.cells
        if self.kind == "pipe":
            return _pipe_cells(line)
        return self._placed(line)

    def member(self, line: Line) -> bool:
        """Does this line look like a line of the table (not yet a section row)?"""
        if self.kind == "tab":
            return line.tabbed
        if self.kind == "pipe":
            return line.text.lstrip().startswith("|") or _bars(line) >= _BARE_PIPE_MIN
        segments = _segments(line)
        if len(segments) >= 2:
            return True
        if len(segments) != 1:
            return False
        # A lone piece continues a cell when it starts in a later column and
        # stays inside it; prose after the table runs across the columns.
        start, end, _ = segments[0]
        k = self._column_at(start)
        limit = self.starts[k + 1] if k + 1 < len(self.starts) else start + 2 * self._last_width()
        return k > 0 and end <= limit + _GAP

    def _last_width(self) -> int:
        return max(8, self.ends[-1] - self.starts[-1])

    def _column_at(self, col: int) -> int:
        # A cell may start left of a header centred above it, but not before the
        # middle of the gap after the previous header.
        k = 0
        for i in range(1, len(self.starts)):
            if col >= (self.ends[i - 1] + self.starts[i]) // 2:
                k = i
        return k

    def _placed(self, line: Line) -> list[Cell]:
        placed: dict[int, list[tuple[int, int]]] = {}
        for start, end, (a, b) in _segments(line):
            placed.setdefault(self._column_at(start), []).append((a, b))
        cells = []
        for k in range(len(self.starts)):
            spans = placed.get(k)
            if not spans:
                cells.append(Cell("", line.end, line.end))
                continue
            a, b = spans[0][0], spans[-1][1]
            cells.append(Cell(line.text[a - line.start: b - line.start], a, b))
        return cells


def layout_of(lines: list[Line], i: int) -> Layout | None:
    """The spelling of the table whose header would be lines[i], or None."""
    line = lines[i]
    if line.tabbed:
        return Layout("tab")
    if line.text.lstrip().startswith("|"):
        # the separator under the header, or under a second header row (责任单位 over 牵头单位 | 配合单位)
        below = [ln for ln in lines[i + 1:i + 3]]
        if below and is_separator(below[0]):
            return Layout("pipe")
        if len(below) == 2 and below[0].text.lstrip().startswith("|") and is_separator(below[1]):
            return Layout("pipe")
        return None
    if _bars(line) >= _BARE_PIPE_MIN:
        # "序号 | 实事项目 | 责任单位 |": pipes without the leading bar or the separator line, when the
        # next line is cut the same way
        below = next((ln for ln in lines[i + 1:i + 3] if not ln.blank), None)
        return Layout("pipe") if below is not None and _bars(below) >= _BARE_PIPE_MIN else None
    segments = _segments(line)
    if len(segments) < 3:
        return None
    return Layout("spaces", tuple(s for s, _, _ in segments), tuple(e for _, e, _ in segments))


_BARE_PIPE_MIN = 2     # bars in a line of a table written without its leading bar: three cells at least


def _bars(line: Line) -> int:
    return len(re.findall(r"(?<!\\)\|", line.text))


def is_separator(line: Line) -> bool:
    """The "|---|:---:|" line under a Markdown header."""
    return "-" in line.text and bool(_SEPARATOR.match(line.text))


def pieces(cell: Cell) -> list[Cell]:
    """A cell split at "<br>" (a Markdown cell's own line breaks), blanks dropped."""
    parts, pos = [], 0
    for m in list(_BREAK.finditer(cell.text)) + [None]:
        stop = m.start() if m else len(cell.text)
        part = _trimmed(cell.text, cell.start, pos, stop)
        if part.text:
            parts.append(part)
        pos = m.end() if m else pos
    return parts


def extent(lines: list[Line], i: int, layout: Layout, is_section: Callable[[str], bool]) -> int:
    """End (exclusive) of the table whose header is lines[i]; trailing blanks excluded.

    A line outside the layout stays in the table when it is a section row
    ("一、优化政务服务" printed across the table) and table lines follow it.
    """
    j, last = i + 1, i
    while j < len(lines):
        line = lines[j]
        if layout.member(line) or (layout.kind == "pipe" and is_separator(line)):
            last = j
        elif line.blank:
            if layout.kind == "pipe":
                break               # a Markdown table has no blank line inside
        elif not (is_section(line.text.strip()) and _member_follows(lines, j + 1, layout)):
            break
        j += 1
    return last + 1


def _member_follows(lines: list[Line], j: int, layout: Layout) -> bool:
    while j < len(lines) and lines[j].blank:
        j += 1
    return j < len(lines) and layout.member(lines[j])


def _pipe_cells(line: Line) -> list[Cell]:
    text = line.text
    bars = [m.start() for m in re.finditer(r"(?<!\\)\|", text)]
    if not bars:
        return [_trimmed(text, line.start, 0, len(text))]
    # Leading and trailing pipes are optional in Markdown.
    if text[: bars[0]].strip():
        bars.insert(0, -1)
    if text[bars[-1] + 1:].strip():
        bars.append(len(text))
    return [_trimmed(text, line.start, a + 1, b) for a, b in zip(bars, bars[1:])]


def _trimmed(text: str, base: int, a: int, b: int) -> Cell:
    """text[a:b] without surrounding white space, as a Cell at source offset base."""
    part = text[a:b]
    lead = len(part) - len(part.lstrip())
    part = part.strip()
    if not part:
        return Cell("", base + b, base + b)
    return Cell(part, base + a + lead, base + a + lead + len(part))


def _segments(line: Line) -> list[tuple[int, int, tuple[int, int]]]:
    """Runs of text separated by at least _GAP display columns of white space:
    (display start, display end, (source start, source end))."""
    result = []
    col, seg_start, seg_at, gap, gap_at = 0, None, 0, 0, 0
    end_col = end_at = 0
    for k, ch in enumerate(line.text):
        w = _width(ch)
        if ch.isspace():
            if seg_start is not None and gap == 0:
                end_col, end_at = col, k
            gap += w
        else:
            if seg_start is not None and gap >= _GAP:
                result.append((seg_start, end_col, (line.start + seg_at, line.start + end_at)))
                seg_start = None
            if seg_start is None:
                seg_start, seg_at = col, k
            gap = 0
        col += w
    if seg_start is not None:
        if gap == 0:
            end_col, end_at = col, len(line.text)
        result.append((seg_start, end_col, (line.start + seg_at, line.start + end_at)))
    return result


def _width(ch: str) -> int:
    if ch == "\t":
        return _GAP
    return 2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1
