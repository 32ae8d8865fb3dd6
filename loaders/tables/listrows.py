"""Rows of a simple list table: one numbered row per record, cells that may
continue on the following lines (a row's text runs on after a page break).

>>> from loaders.tables.grid import split_lines
>>> src = "1\\t甲\\t市民政局\\n\\t乙\\t\\n2\\t丙\\t市财政局\\n"
>>> recs = collect(src, split_lines(src, 0, len(src)), ["num", "name", "dept"],
...                starts=lambda cells: bool(cells.get("num", "").strip()))
>>> [(r.text("num"), r.text("name")) for r in recs]
[('1', '甲乙'), ('2', '丙')]
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable

from loaders.tables.grid import Cell, Joined, Line, align, cell_text, join_cells


@dataclass
class Record:
    source: str
    lines: list[Line] = field(default_factory=list)
    parts: dict[str, list[Cell]] = field(default_factory=dict)   # role → non-blank fragments

    def joined(self, role: str, strip: bool = False) -> Joined | None:
        cells = self.parts.get(role)
        return join_cells(self.source, cells, strip) if cells else None

    def text(self, role: str) -> str:
        cell = self.joined(role)
        return cell.text if cell else ""

    @property
    def span(self) -> tuple[int, int]:
        return self.lines[0].start, self.lines[-1].end


def collect(source: str, lines: list[Line], roles: list[str],
            starts: Callable[[dict[str, str]], bool],
            tail_is_last: Callable[[str], bool] = lambda t: True,
            skip: Callable[[list[str]], bool] = lambda cells: False) -> list[Record]:
    """Group lines into records: a line for which `starts(cells)` holds opens a
    record, any other non-blank line continues the open one, column by column."""
    records: list[Record] = []
    for line in lines:
        if line.blank or skip([c.text for c in line.cells]):
            continue
        aligned = align(line, roles, tail_is_last)
        texts = {role: cell_text(source, c) for role, c in aligned.cells.items()}
        if starts(texts) or not records:
            records.append(Record(source))
        record = records[-1]
        record.lines.append(line)
        for role, cell in aligned.cells.items():
            if texts[role]:
                record.parts.setdefault(role, []).append(cell)
    return records
