"""A task-division table (任务分工表): 序号 | 重点任务 | 牵头单位 | 责任单位 | 完成时限.

The commonest table of 实施方案 documents.  Its header (TAB, Markdown pipes or
aligned spaces, see `delimited`) has a task column and one or more role
columns (`task_columns`).  Each numbered row becomes a TableRow "task_row":

* unit: the 序号 as printed ("12"); a table without numbers is "表<k>/<n>";
* a line whose 序号 cell is empty continues the row above, column by column
  (a wrapped task or department list);
* a row printed across the table ("一、优化政务服务") is a section, not a row:
  it becomes the 类别 field of the rows under it;
* blank cells of a numbered row are merged cells: 类别 and 完成时限 are taken
  from the row above, and so are the holders when every role cell is blank
  (with a note, since a blank may also mean "nobody").

>>> from ontology.registry import default_registry
>>> from loaders.tables.detect import find_tables
>>> src = "序号\\t重点任务\\t牵头单位\\t完成时限\\n一、优化服务\\n1\\t推进一网通办。\\t市数据局\\t2025年6月\\n"
>>> [(r.unit, r.heading, r.fields["类别"], r.deadline) for r in find_tables(src, 0, len(src), default_registry())[0].rows]
[('1', '推进一网通办', '一、优化服务', '2025年6月')]
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from loaders.tables import Table, TableRow, cell_stream
from loaders.tables.delimited import Layout, extent, is_separator, layout_of, pieces
from loaders.tables.grid import Cell, Line, cell_text, join_cells, norm
from loaders.tables.task_cells import joined_holders, role_assignees
from loaders.tables.task_columns import Column, columns_of, is_header, is_sub_header, merged_header
from ontology import vocab

KIND = "task_division"
HEADING_MAX = 60
_NUMBER = re.compile(r"^(\d{1,6})\s*[.．﹒、]?$")
_SECTION = re.compile(r"^(?:[一二三四五六七八九十]{1,3}\s*[、.．﹒]|[(（][一二三四五六七八九十]{1,3}[)）]|第[一二三四五六七八九十]{1,3}[部分章节])")
_SENTENCE_END = "。；;"
_DEADLINE_LIKE = re.compile(r"\d{4}\s*年|月底|年底|季度|持续|长期|常态")


@dataclass(frozen=True)
class Header:
    layout: Layout
    columns: list[Column]
    height: int = 1         # 2 for a two-level header (责任分工 over 牵头单位 | 配合单位)


def header_at(lines: list[Line], i: int) -> Header | None:
    """A task-division header at lines[i], in any of the three spellings."""
    layout = layout_of(lines, i)
    if layout is None or layout.kind == "spaces":
        stream = cell_stream.header_at(lines, i)
        if stream:
            return Header(Layout("stream"), stream[0], stream[1] - i)
    if layout is None:
        return None
    texts = [c.text for c in layout.cells(lines[i])]
    height = 1
    # Only TAB rows keep cell positions under a merged header cell; a Markdown
    # table has one header row, and aligned spaces would need the sub-columns.
    if layout.kind in ("tab", "pipe") and i + 1 < len(lines) and layout.member(lines[i + 1]) \
            and not (layout.kind == "pipe" and is_separator(lines[i + 1])):
        sub = [c.text for c in layout.cells(lines[i + 1])]
        if is_sub_header(sub):
            texts, height = merged_header(texts, sub), 2
    columns = columns_of(texts)
    if columns is None:
        return None
    if layout.kind == "spaces" and sum(c.known for c in columns) < 3:
        return None     # plain words spaced apart are no header unless most are header words
    return Header(layout, columns, height)


def table_end(source: str, lines: list[Line], i: int, header: Header, registry) -> int:
    if header.layout.kind == "stream":
        _, end = cell_stream.scan(source, lines[i + header.height:], header.columns, registry)
        return i + header.height + end
    return extent(lines, i, header.layout, is_section)


def is_section(text: str) -> bool:
    """A sub-heading printed across the table: "一、优化政务服务", "(二)…", "第一部分…"."""
    text = text.strip("*| \t\u3000")
    return bool(_SECTION.match(text)) and len(text) <= 40 and "。" not in text


@dataclass
class _Record:
    printed: str = ""
    section: str = ""
    lines: list[Line] = field(default_factory=list)
    parts: dict[int, list[Cell]] = field(default_factory=dict)    # column index → fragments


def read(source: str, lines: list[Line], header: Header, registry, number: int = 1) -> Table:
    """The table whose header is lines[0]; `number` counts task tables in the document."""
    if header.layout.kind == "stream":
        records, notes = _stream_records(source, lines[header.height:], header, registry), {}
    else:
        records, notes = _records(source, lines[header.height:], header)
    table = Table(KIND, (lines[0].start, lines[-1].end))
    previous: TableRow | None = None
    for seq, record in enumerate(records, 1):
        unit = _NUMBER.match(record.printed).group(1) if record.printed else f"表{number}/{seq}"
        row = _row(source, record, header.columns, unit, previous, registry)
        row.uncertain += notes.get(seq - 1, [])
        table.rows.append(row)
        previous = row
    return table


def _records(source: str, lines: list[Line], header: Header) -> tuple[list[_Record], dict[int, list[str]]]:
    """Group the body lines into rows; a section row sets the 类别 of the rows below."""
    columns, layout = header.columns, header.layout
    num = next((k for k, c in enumerate(columns) if c.kind == "num"), None)
    aligned = []
    for line in lines:
        if line.blank or (layout.kind == "pipe" and is_separator(line)):
            continue
        cells = layout.cells(line) if layout.member(line) else [Cell(line.text, line.start, line.end)]
        texts = [c.text for c in cells]
        if is_header(texts) or is_sub_header(texts):
            continue                    # the header repeated after a page break
        aligned.append((line, _align(cells, columns)))
    numbered = num is not None and any(_NUMBER.match(cell_text(source, c[num])) for _, c in aligned
                                       if num in c)
    records: list[_Record] = []
    notes: dict[int, list[str]] = {}
    section = ""
    for line, cells in aligned:
        texts = {k: cell_text(source, c) for k, c in cells.items()}
        filled = {t for t in texts.values() if t}
        if len(filled) == 1 and _spans_table(next(iter(filled)), texts, num):
            section = next(iter(filled)).strip("*")
            continue
        printed = texts.get(num, "") if num is not None else ""
        if numbered:
            starts = bool(_NUMBER.match(printed))
        else:
            printed = ""
            starts = _starts_unnumbered(source, texts, columns, records)
        open_row = records[-1] if records and records[-1].section == section else None
        if starts and open_row is not None and numbered and not open_row.printed:
            # Lines above the first number of a section: the number was printed
            # lower in its (taller) cell, so they belong to this row.
            open_row.printed = printed
        elif starts or open_row is None:
            if not starts and numbered:
                notes.setdefault(len(records), []).append("lines before the first 序号 of a section")
            records.append(_Record(printed if starts else "", section))
        record = records[-1]
        record.lines.append(line)
        for k, cell in cells.items():
            if texts[k] and k != num:
                record.parts.setdefault(k, []).extend(pieces(cell))
    return records, notes


def _stream_records(source: str, lines: list[Line], header: Header, registry) -> list[_Record]:
    """Rows of a table printed a cell per line; a line that is no cell of its row is a
    group row (行动一：…, 旧区改造) and names the 类别 of the rows below it."""
    rows, _ = cell_stream.scan(source, lines, header.columns, registry)
    records, section = [], ""
    for printed, placed in rows:
        record = _Record(printed, section) if printed else None
        for p in placed:
            if p.column is None or record is None:
                section = norm(p.line.text)
                continue
            record.lines.append(p.line)
            if p.column != [c.kind for c in header.columns].index("num"):
                text = p.line.text
                lead = len(text) - len(text.lstrip())
                record.parts.setdefault(p.column, []).append(
                    Cell(text.strip(), p.line.start + lead, p.line.start + lead + len(text.strip())))
        if record is not None:
            records.append(record)
    return records


def _align(cells: list[Cell], columns: list[Column]) -> dict[int, Cell]:
    """Column index → cell.  A line with fewer cells than columns lost the tabs of
    empty cells: it is right-aligned when its last cell looks like the last
    column's content (a deadline, a department), else left-aligned."""
    while len(cells) > len(columns) and not cells[-1].text.strip():
        cells = cells[:-1]
    if len(cells) > len(columns):         # surplus cells: part of the last column
        last = cells[len(columns) - 1]
        end = cells[-1]
        cells = cells[:len(columns) - 1] + [Cell(last.text, last.start, end.end)]
    if len(cells) < len(columns) and len(cells) > 1 and _looks_last(cells[-1].text, columns[-1]):
        return dict(zip(range(len(columns) - len(cells), len(columns)), cells))
    return dict(zip(range(len(cells)), cells))


def _looks_last(text: str, column: Column) -> bool:
    if column.kind == "deadline":
        return bool(_DEADLINE_LIKE.search(text))
    return column.kind == "role" and bool(re.search(r"(?:局|委|办|政府|中心|部门|单位)[)）等]*$", text.strip()))


def _spans_table(text: str, texts: dict[int, str], num: int | None) -> bool:
    """One text alone on a line is a section row when it reads as a heading or
    stands in the 序号 column (where a continuation line never has text)."""
    if is_section(text):
        return True
    at = [k for k, t in texts.items() if t]
    return num is not None and at == [num] and not _NUMBER.match(text)


def _starts_unnumbered(source: str, texts: dict[int, str], columns: list[Column],
                       records: list[_Record]) -> bool:
    """Without 序号: a task with its own holders opens a row, and so does any
    task after a row whose task text has ended."""
    task = next(k for k, c in enumerate(columns) if c.kind == "task")
    if not texts.get(task):
        return False
    if any(texts.get(k) for k, c in enumerate(columns) if c.kind == "role"):
        return True
    if not records or task not in records[-1].parts:
        return True
    before = join_cells(source, records[-1].parts[task]).text
    return before.endswith(tuple(_SENTENCE_END))


def _row(source: str, record: _Record, columns: list[Column], unit: str,
         previous: TableRow | None, registry) -> TableRow:
    texts = {k: join_cells(source, cells).text for k, cells in record.parts.items()}
    fields = {c.name: texts.get(k, "") for k, c in enumerate(columns) if c.kind != "num"}
    if record.printed:
        fields[columns[[c.kind for c in columns].index("num")].name] = unit
    doubts: list[str] = []
    for k, c in enumerate(columns):
        # A blank 类别 or 完成时限 cell in a numbered row is a cell merged with the one above.
        if c.kind in ("category", "deadline") and not texts.get(k) and previous is not None:
            fields[c.name] = previous.fields.get(c.name, "")
    if record.section:
        fields.setdefault("类别", record.section)
    task = next(k for k, c in enumerate(columns) if c.kind == "task")
    deadline = next((fields[c.name] for c in columns if c.kind == "deadline"), "")
    row = TableRow(unit=unit, kind="task_row", heading=_heading(texts.get(task, "")),
                   text=norm(" ".join(texts[k] for k in sorted(texts))),
                   span=(record.lines[0].start, record.lines[-1].end), fields=fields, deadline=deadline)
    roles = [(k, c) for k, c in enumerate(columns) if c.kind == "role"]
    for k, c in roles:
        cells = record.parts.get(k)
        if cells and norm(join_cells(source, cells).text) in vocab.same_as_above() and previous is not None:
            # "同上": the holders of this column in the row above
            row.assignees += [a for a in previous.assignees if a.role == c.role]
            continue
        if cells:
            found, notes = role_assignees(joined_holders(source, cells, registry), registry, c.role)
            row.assignees += found
            doubts += notes
    if not any(record.parts.get(k) for k, _ in roles) and previous is not None and previous.assignees:
        row.assignees = list(previous.assignees)
        doubts.append("every role cell blank: holders taken from the row above (merged cells)")
    row.uncertain = doubts
    return row


def _heading(task: str) -> str:
    """The task's first phrase (up to 。；:), at most HEADING_MAX characters."""
    head = re.split(r"[。；;:：]", task, maxsplit=1)[0]
    return head[:HEADING_MAX]
