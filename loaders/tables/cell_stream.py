"""A task table flattened to one cell per line, as text copied from a web page leaves it.

    序号 / 任务类型 / 重点内容 / 责任单位 / 参考文件        (the header, a cell per line)
    1 / 海绵城市 / 建设管理 / 区建设管理委负责… / 区建设管理委、区发展改革委、 / 区水务局，各街镇 / 《…》

Blank lines between cells carry no meaning, a cell may break over several lines, and a
group row (`行动一：…`, `旧区改造`) may stand between rows.  What the layout lost, the
content tells: a 序号 is the next number, a holder cell is nothing but department names,
a deadline cell reads as a date, a reference cell cites documents (《…》).  Each line is
placed in the first column at or after the current one whose content it fits; a cell
continues over the next line while its text is open (ends in 、 or an unclosed bracket).

A page stored as plain text may also keep each row on one line with single spaces between the
cells (`1 加强水资源保 护 严守… 市水利局 市发展改革委等`), where a space cannot tell a cell border
from a break inside a cell.  Such rows are cut into their words and placed word by word, as if each
word stood on a line of its own; only a row's first word may be its 序号.

The result is the same `Record`s the other spellings produce (`task_division.read`).

>>> from ontology.registry import default_registry
>>> from loaders.tables.detect import find_tables
>>> src = "序号\\n\\n工作任务\\n\\n推进单位\\n\\n1\\n\\n推进规划研究\\n\\n区规划资源局、\\n区建设管理委\\n\\n2\\n\\n完成改造\\n"
>>> rows = find_tables(src, 0, len(src), default_registry())[0].rows
>>> [(r.unit, r.heading, [a.mention.printed for a in r.assignees]) for r in rows]
[('1', '推进规划研究', ['区规划资源局', '区建设管理委']), ('2', '完成改造', ['区规划资源局', '区建设管理委'])]
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from loaders.tables.grid import Cell, Line, bracket_depth, join_cells, norm
from loaders.tables.task_cells import role_assignees
from loaders.tables.task_columns import Column, column_of, columns_of, header_word

# A header cell printed alone on its line: a short label, no sentence punctuation.
HEADER_CELL_MAX = 12
MAX_COLUMNS = 10
_PUNCT = re.compile(r"[。，,；;：:！？!?、]")
_NUMBER = re.compile(r"^(\d{1,6})\s*[.．﹒、]?$")
# A row kept on one line: its 序号, white space, then its other cells.
_ROW_ON_LINE = re.compile(r"^\s*\d{1,6}\s*[.．﹒、]?\s+\S")
_WORD = re.compile(r"\S+")
# A task numbered inside the task column: "2.一般公共预算收入…" (not "2.5亿元").
_TASK_NUMBER = re.compile(r"^\s*((\d{1,3})\s*[.．、](?!\d))\s*\S")
_WIDE_GAP = re.compile(r"\s{2,}|\u3000")
_DEADLINE = re.compile(r"^(?:\d{4}\s*年|\d{4}[-—–~至]|20\d\d|长期|持续|常态|每年|每季度|每月|年底|年内|[上下]半年)")
_GROUP = re.compile(r"^(?:[一二三四五六七八九十]{1,3}\s*[、.．﹒]|[(（][一二三四五六七八九十]{1,3}[)）]"
                    r"|[\u4e00-\u9fff]{1,4}[一二三四五六七八九十]{1,3}\s*[:：]|第[一二三四五六七八九十]{1,3}[部分章节])")
# A cell is still open on the next line: a list separator or an open bracket at its end.
_OPEN_END = ("、", "，", ",", "及", "和", "与")
# A category cell (任务类型) is a short phrase.
CATEGORY_MAX = 12
CATEGORY_LINES = 2
# A holder cell is a list of names, not a paragraph.
HOLDERS_MAX = 80
# Row numbers an excerpt may skip.
NUMBER_GAP = 5
FIRST_ROW_MAX = 1000
# Past the last row of the table, prose runs long.
PROSE_MIN = 80


@dataclass
class Placed:
    line: Line
    column: int | None      # header column index, or None: not a cell of this row


def header_at(lines: list[Line], i: int) -> tuple[list[Column], int] | None:
    """The columns of a header printed a cell per line from lines[i] (or on one line, words apart,
    above rows a cell per line), and the index of the line after it."""
    one_line = _one_line_header(lines, i)
    if one_line is not None:
        return one_line
    texts, j = [], i
    while j < len(lines) and len(texts) < MAX_COLUMNS:
        line = lines[j]
        if line.blank:
            j += 1
            continue
        text = norm(line.text).strip("*")
        if line.tabbed or not _header_cell(text):
            break
        texts.append(text)
        j += 1
    while texts and len(texts) >= 3:
        merged = _rejoined(texts)
        columns = columns_of(merged)
        if columns is not None and "num" in [c.kind for c in columns] and all(map(header_word, columns)):
            return columns, _line_after(lines, i, len(texts))
        texts.pop()
    return None


def _rejoined(texts: list[str]) -> list[str]:
    """Header cells broken over two lines ("区政府" / "分管领导"): a line that is no header word
    alone joins the next one when together they are."""
    out: list[str] = []
    k = 0
    while k < len(texts):
        if k + 1 < len(texts) and not header_word(column_of(texts[k])) \
                and header_word(column_of(texts[k] + texts[k + 1])):
            out.append(texts[k] + texts[k + 1])
            k += 2
            continue
        out.append(texts[k])
        k += 1
    return out


def _one_line_header(lines: list[Line], i: int) -> tuple[list[Column], int] | None:
    """"序号 重点任务 牵头单位 完成时限" on one line, then "1" alone on the next (a header over rows
    printed a cell per line) or "1 推进… 市财政局" (rows on one line, cells a space apart)."""
    words = lines[i].text.split()
    if lines[i].tabbed or len(words) < 3 or not all(_header_cell(w) for w in words):
        return None
    j = i + 1
    while j < len(lines) and lines[j].blank:
        j += 1
    if j >= len(lines) or lines[j].tabbed:
        return None
    # Rows on one line only under a header whose words are one space apart: wider gaps are an
    # aligned table (`delimited`), whose columns the positions tell.
    if not (_NUMBER.match(norm(lines[j].text)) or (
            _ROW_ON_LINE.match(lines[j].text) and not _WIDE_GAP.search(lines[i].text.strip()))):
        return None
    columns = columns_of(words)
    if columns is None or "num" not in [c.kind for c in columns]:
        return None
    return columns, i + 1


def _header_cell(text: str) -> bool:
    return 0 < len(text) <= HEADER_CELL_MAX and not _PUNCT.search(text) and not _NUMBER.match(text)


def _line_after(lines: list[Line], i: int, cells: int) -> int:
    """Index just after the `cells`-th non-blank line from i."""
    j = i
    while cells:
        if not lines[j].blank:
            cells -= 1
        j += 1
    return j


def scan(source: str, lines: list[Line], columns: list[Column], registry) -> tuple[list[tuple[str, list[Placed]]], int]:
    """Rows of the table whose body starts at lines[0]: (printed 序号, placed lines) each,
    the lines before the first number as a row with printed "", and where the table ends."""
    names = [c.name for c in columns]
    num = [c.kind for c in columns].index("num")
    rows: list[tuple[str, list[Line]]] = [("", [])]
    body, leading = _words_of_rows(lines)
    expected, k, end = 1, 0, len(lines)
    while k < len(body):
        line = body[k]
        if line.blank:
            k += 1
            continue
        text = norm(line.text)
        if text == names[0] and _repeats_header(body, k, names):
            k = _line_after(body, k, len(names))
            continue
        number = _NUMBER.match(text) if k in leading else None
        value = int(number.group(1)) if number else 0
        # The next number, a few skipped (an excerpt, 节选), or 1 again (a second table part).
        # The first row may start anywhere (an excerpt: 24, 25 …), though not at a year.
        first = len(rows) == 1 and value < FIRST_ROW_MAX
        if number and (first or expected <= value <= expected + NUMBER_GAP or (value == 1 and len(rows) > 1)):
            rows.append((number.group(1), [line]))
            expected = value + 1
        else:
            rows[-1][1].append(line)
        k += 1
    rows = [sub for printed, row_lines in rows
            for sub in _numbered_tasks(source, printed, row_lines, registry)]
    placed = []
    for n, (printed, row_lines, in_group) in enumerate(rows):
        last = n == len(rows) - 1
        cells = _place(source, row_lines[1:] if printed else row_lines, columns, num, registry, bool(printed),
                       in_group)
        if last and printed:
            cut = next((p for p, c in enumerate(cells) if c.column is None), None)
            if cut is not None:
                end = cells[cut].line.index - lines[0].index
                cells = cells[:cut]
        placed.append((printed, ([Placed(row_lines[0], num)] if printed else []) + cells))
    if len(rows) > 1 and rows[-1][1]:
        end = min(end, _after(lines, rows[-1][1], placed[-1][1]))
    return placed, end


def _numbered_tasks(source: str, printed: str, row_lines: list[Line], registry) -> list[tuple[str, list[Line], bool]]:
    """A row whose 序号 covers a group of tasks, each numbered in the task column with holders of its
    own (1 / 主要预期目标 / 1.地区生产总值… / ★区发改委 / 2.一般公共预算… / ★区财政局): one row per task,
    named by the task's number, which the document counts on through its groups.  A task cell that
    only lists points (1.… 2.…) under one holder cell stays one row."""
    if not printed:
        return [(printed, row_lines, False)]
    starts = [k for k, ln in enumerate(row_lines) if k and _TASK_NUMBER.match(norm(ln.text))]
    numbers = [int(_TASK_NUMBER.match(norm(row_lines[k].text)).group(2)) for k in starts]
    if len(starts) < 2 or any(b != a + 1 for a, b in zip(numbers, numbers[1:])):
        return [(printed, row_lines, False)]
    bounds = starts + [len(row_lines)]
    if not all(any(_content(norm(ln.text), source, ln, registry) == "holders" for ln in row_lines[a:b] if not ln.blank)
               for a, b in zip(bounds, bounds[1:])):
        return [(printed, row_lines, False)]
    subs = [(str(numbers[0]), row_lines[:bounds[1]], False)]
    for n, a, b in zip(numbers[1:], bounds[1:], bounds[2:]):
        line = row_lines[a]
        lead = len(line.text) - len(line.text.lstrip())
        cut = lead + _TASK_NUMBER.match(line.text.lstrip()).end(1)
        number = Line(line.index, line.start + lead, line.start + cut, line.text[lead:cut])
        rest = Line(line.index, line.start + cut, line.end, line.text[cut:])
        subs.append((str(n), [number, rest] + row_lines[a + 1:b], True))   # the group's cells are above
    return subs


def _words_of_rows(lines: list[Line]) -> tuple[list[Line], set[int]]:
    """The lines to place and which of them may carry a 序号.  Rows kept on one line with their
    cells a space apart are cut into words; each word is a Line of its own at its source offsets,
    under its line's index (so the table's extent still counts whole lines)."""
    first = next((ln for ln in lines if not ln.blank), None)
    if first is None or first.tabbed or not _ROW_ON_LINE.match(first.text):
        return lines, set(range(len(lines)))
    body: list[Line] = []
    leading: set[int] = set()
    for line in lines:
        if line.blank or line.tabbed:
            leading.add(len(body))
            body.append(line)
            continue
        for n, m in enumerate(_WORD.finditer(line.text)):
            if n == 0:
                leading.add(len(body))
            body.append(Line(line.index, line.start + m.start(), line.start + m.end(), m.group()))
    return body, leading


def _after(lines: list[Line], row_lines: list[Line], cells: list[Placed]) -> int:
    """Index (in lines) just after the last placed line of the last row."""
    last = max(c.line.index for c in cells) if cells else row_lines[0].index
    return last - lines[0].index + 1


def _repeats_header(lines: list[Line], k: int, names: list[str]) -> bool:
    texts = [norm(ln.text) for ln in lines[k:k + 3 * len(names)] if not ln.blank][:len(names)]
    return texts == names


def _place(source: str, row_lines: list[Line], columns: list[Column], num: int, registry,
           numbered: bool, in_group: bool = False) -> list[Placed]:
    """Each line of one row in its column, in header order after the 序号; lines that fit
    no column left (group rows, the next row's leading cells, prose after the table) get None.
    A later task of a group row starts at the task column: the cells before it are the group's."""
    order = [k for k in range(len(columns)) if k > num] if numbered else []
    if in_group:
        task = next((k for k in order if columns[k].kind == "task"), None)
        order = [k for k in order if task is None or k >= task]
    placed: list[Placed] = []
    at, open_cell, counts = 0, False, {}
    for line in row_lines:
        if line.blank:
            continue
        text = norm(line.text)
        column = None
        if order and not _GROUP.match(text):
            kind = _content(text, source, line, registry)
            at, column = _column_for(kind, text, columns, order, at, open_cell, counts)
        placed.append(Placed(line, column))
        if column is not None:
            counts[column] = counts.get(column, 0) + 1
            open_cell = text.endswith(_OPEN_END) or bracket_depth(text) > 0 or (
                columns[column].kind in ("task", "reference", "field") and not text.endswith(("。", "）", ")", "》")))
    return placed


def _content(text: str, source: str, line: Line, registry) -> str:
    if _DEADLINE.match(text) and len(text) <= 30:
        return "deadline"
    if text.startswith(("《", "〈")):
        return "reference"
    found, doubts = role_assignees(join_cells(source, [Cell(line.text, line.start, line.end)]), registry,
                                   "responsible")
    if found and (not doubts or _mostly_names(text, found)):
        return "holders"
    return "text"


def _mostly_names(text: str, found) -> bool:
    """A list with a name the rules do not know (之江实验室 once was one) is still a list:
    short, no sentence punctuation, and most of it known names."""
    named = sum(len(a.mention.printed) for a in found)
    return len(text) <= HOLDERS_MAX and not re.search(r"[。；;：:！？]", text) and named * 2 >= len(text)


def _column_for(kind: str, text: str, columns: list[Column], order: list[int], at: int,
                open_cell: bool, counts: dict[int, int]) -> tuple[int, int | None]:
    """(new position in `order`, column) for a line of this content at position `at`."""
    current = columns[order[at]]
    filled = set(counts)
    ahead = range(at, len(order))
    if kind == "holders":
        roles = [p for p in ahead if columns[order[p]].kind == "role"]
        if not roles:
            return at, None
        if current.kind == "role" and (open_cell or order[at] not in filled):
            return at, order[at]
        nxt = next((p for p in roles if order[p] not in filled), roles[-1])
        return nxt, order[nxt]
    if kind in ("deadline", "reference"):
        wanted = [p for p in ahead if columns[order[p]].kind == kind]
        if wanted and not (open_cell and current.kind in ("task", "reference", "field")):
            return wanted[0], order[wanted[0]]
    if open_cell and current.kind != "role":
        return at, order[at]
    if current.kind == "category":
        if len(text) <= CATEGORY_MAX and counts.get(order[at], 0) < CATEGORY_LINES:
            return at, order[at]
        at += 1
        if at >= len(order):
            return at - 1, None
        current = columns[order[at]]
    if current.kind in ("task", "field", "reference") and (order[at] not in filled or len(text) < PROSE_MIN):
        return at, order[at]
    if current.kind == "task" and order[at] in filled:
        return at, order[at]
    # After the holders: the next column that takes text, else the line is not this row's.
    later = [p for p in range(at + 1, len(order)) if columns[order[p]].kind in ("field", "reference", "deadline")]
    if later and current.kind == "role":
        return later[0], order[later[0]]
    return at, None
