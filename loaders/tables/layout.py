"""Rows of a "一件事" list as the extraction printed them: cells, ghosts, row groups.

One visual table row can span several text lines (a wrapped 具体事项, a
department list continued after "、"), and one line can carry text that is no
part of it: a leading *ghost* cell, either a tab-less repeat of the same row
(recoverable) or a blob of many rows the extractor could not place
(*displaced*: its line cannot be trusted for vertical position).

>>> _continues_item("道路货物运输经营许可(危险货物道路运", "输经营", limit=None, dept_here=False,
...                 dept_before=False, width_before=0)
True
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from rapidfuzz import fuzz

from loaders.tables.cells import STAR
from loaders.tables.grid import (Aligned, Cell, bracket_depth, cell_text, display_width, is_garbage,
                                 norm, strip_noise)

_SECTION = re.compile(r"^[(（][^()（）]{1,3}[)）]")
_NUMBER = re.compile(r"\d{1,3}")
# A department cell that continues on the next line, or continues the line above.
_DEPT_OPEN_END = re.compile(r"(?:[、,，及和与]|有关|相关|的)$")
_DEPT_TAIL = re.compile(r"^(?:等|部门|单位|及|和|、)")
_DEPT_FRAGMENT = re.compile(r"^(?:等)?(?:有关|相关)?(?:部门|单位)$|^等$|(?:有关|相关|的)$")


@dataclass
class Row:
    """One text line of the table, its cells mapped to columns."""
    pos: int
    start: int
    end: int
    num: int | None = None
    name: str = ""
    item: str = ""
    item_cell: Cell | None = None
    dept: str = ""
    dept_cell: Cell | None = None
    star: bool = False
    section: bool = False
    displaced: bool = False      # a blob of other rows sits on this line: its position is unreliable
    blank: bool = False
    notes: list[str] = field(default_factory=list)
    text: str = ""               # the row's own cells, whitespace-normalised

    @property
    def placed(self) -> bool:
        """Does this line count for vertical positions?  Not when displaced, blank,
        or left empty once its garbage was dropped (extraction noise, no row)."""
        has_text = bool(self.item or self.dept or self.name or self.num is not None)
        return has_text and not self.displaced and not self.blank


def read_row(source: str, aligned: Aligned, pos: int, registry) -> Row:
    line = aligned.line
    row = Row(pos, line.start, line.end, blank=not line.text.strip())
    get = {role: cell_text(source, c) for role, c in aligned.cells.items()}
    row.text = " ".join(t for r, t in get.items() if t and not r.startswith("_"))
    item = strip_noise(get.get("item", ""))
    if item and is_garbage(item):
        row.notes.append(f"garbled 具体事项 cell '{item}' dropped")
        item = ""
    if item:
        row.item, row.item_cell = item, aligned.cells["item"]
    dept = get.get("dept", "")
    if dept and not _dept_ok(dept, registry):
        row.notes.append(f"garbled 责任部门 cell '{dept}' dropped")
        dept = ""
    if dept:
        row.dept, row.dept_cell, row.star = dept, aligned.cells["dept"], any(c in dept for c in STAR)
    num = get.get("num", "").strip()
    row.num = int(num) if _NUMBER.fullmatch(num) else None
    name = get.get("name", "")
    garbled_row = bool(get.get("item")) and not row.item
    if name and (is_garbage(name, 0.5) or garbled_row or _NUMBER.fullmatch(name)):
        if len(name.strip("()（）\"“”-_ ")) > 1 and not _NUMBER.fullmatch(name):
            row.notes.append(f"garbled name fragment '{name}' dropped")
        name = ""
    row.name = name
    stage = get.get("stage", "")
    row.section = bool(_SECTION.match(stage)) and not row.item and not row.dept
    if aligned.ghost is not None and aligned.ghost.text.strip():
        _read_ghost(source, aligned.ghost, row, registry)
    return row


def _dept_ok(text: str, registry) -> bool:
    """A department cell, or a piece of one that continues another line."""
    if any(c in text for c in STAR) or _DEPT_FRAGMENT.search(text) or _DEPT_TAIL.match(text):
        return True
    return bool(registry.split_list(text.replace(" ", ""), 0))


def _read_ghost(source: str, ghost: Cell, row: Row, registry) -> None:
    """A ghost that repeats this row fills the cells the row lost; any other ghost
    means text of other rows was dumped on this line (displaced)."""
    text = cell_text(source, ghost)
    own = [t for t in (row.item, row.dept.lstrip(STAR)) if t]
    if len(registry.mentions(text)) > 2 or (own and not all(fuzz.partial_ratio(t, text) >= 90
                                                            for t in own[:1])):
        row.displaced = True
        return
    if row.item and row.dept:
        return
    tokens = [(m.group(), ghost.start + m.start()) for m in re.finditer(r"\S+", ghost.text)]
    for token, at in tokens:
        t = norm(token)
        if len(t) < 4 or "一件事" in t or _NUMBER.fullmatch(t) or t == row.name:
            continue
        if registry.resolve(t) is not None:
            if not row.dept:
                row.dept, row.dept_cell = t, Cell(token, at, at + len(token))
                row.star = any(c in t for c in STAR)
        elif not row.item and not is_garbage(t):
            row.item, row.item_cell = t, Cell(token, at, at + len(token))
            row.notes.append(f"具体事项 '{t}' read from the tab-less repeat of the row")


# -- grouping lines into visual rows ----------------------------------------------

@dataclass
class Group:
    """One visual row: the lines of one 具体事项 and of the department cell beside it."""
    blocks: list[list[Row]] = field(default_factory=list)   # 具体事项 lines
    chains: list[list[Row]] = field(default_factory=list)   # 责任部门 lines

    @property
    def rows(self) -> list[Row]:
        seen = {r.pos: r for part in self.blocks + self.chains for r in part}
        return [seen[p] for p in sorted(seen)]

    @property
    def first(self) -> int:
        return self.rows[0].pos

    @property
    def last(self) -> int:
        return self.rows[-1].pos


def _continues_item(before: str, here: str, limit: int | None, dept_here: bool,
                    dept_before: bool, width_before: int) -> bool:
    """Is `here` the next line of the 具体事项 cell that ends with `before`?"""
    if bracket_depth(before) > 0 or before[-1] in "、,，及和与或":
        return True
    if len(here) <= 2:               # "检查": a word cut off by the cell width
        return True
    # A line as wide as the column wrapped, unless both lines have their own department.
    return bool(limit) and width_before >= limit and not (dept_here and dept_before)


def group_rows(rows: list[Row], width_limit: int | None) -> list[Group]:
    """Visual rows of consecutive lines.  Without `width_limit` only the sure
    signals join lines (open brackets, 1–2 character tails, list separators)."""
    blocks: list[list[Row]] = []
    for r in rows:
        if not r.item:
            continue
        if blocks and blocks[-1][-1].pos == r.pos - 1:
            prev = blocks[-1]
            before = "".join(x.item for x in prev)
            if _continues_item(before, r.item, width_limit, bool(r.dept),
                               any(x.dept for x in prev), display_width(prev[-1].item)):
                prev.append(r)
                continue
        blocks.append([r])
    chains: list[list[Row]] = []
    for r in rows:
        if not r.dept:
            continue
        if chains and chains[-1][-1].pos == r.pos - 1:
            prev = chains[-1][-1]
            if (_DEPT_OPEN_END.search(prev.dept) or _DEPT_TAIL.match(r.dept)
                    or (not prev.item and not r.item and not r.star)):
                chains[-1].append(r)
                continue
        chains.append([r])
    groups = [Group(blocks=[b]) for b in blocks]
    owner = {r.pos: g for g in groups for r in g.blocks[0]}
    for chain in chains:
        hit = []
        for r in chain:
            g = owner.get(r.pos)
            if g is not None and g not in hit:
                hit.append(g)
        if not hit:
            groups.append(Group(chains=[chain]))
            continue
        target = hit[0]
        for other in hit[1:]:          # one department cell beside two 事项 lines: one row
            target.blocks += other.blocks
            target.chains += other.chains
            groups.remove(other)
            for r in other.rows:
                owner[r.pos] = target
        target.chains.append(chain)
    return sorted(groups, key=lambda g: g.first)


def width_limit(rows: list[Row]) -> int | None:
    """The 具体事项 column width: the widest line printed without an inner break."""
    widths = [display_width(r.item) for r in rows if r.item and r.item_cell is not None
              and not re.search(r"[\u4e00-\u9fff]\s+[\u4e00-\u9fff]", r.item_cell.text)]
    return max(widths) - 2 if len(widths) >= 4 else None
