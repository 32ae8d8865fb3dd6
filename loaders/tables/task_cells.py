"""A role cell of a task-division table → TableAssignees.

The column gives the role; inside the cell "(牵头)" after a name or "★" before
it makes that name the lead (the prose rules of `loaders.assignments`, reused
so that a mark means the same in a table as in a bracket note).  A list ending
in 等 is open-ended.  Text that names nobody the registry or the name rules
know is reported, never silently dropped: an unseen city's 各区(市)人民政府
should reach the review list rather than vanish.

>>> from ontology.registry import default_registry
>>> from loaders.tables.grid import Cell, join_cells
>>> src = "市发展改革委（牵头）、市财政局等"
>>> found, notes = role_assignees(join_cells(src, [Cell(src, 0, len(src))]), default_registry(), "responsible")
>>> [(a.mention.canonical, a.role, a.open_ended) for a in found], notes
([('市发展改革委', 'lead', True), ('市财政局', 'responsible', True)], [])
>>> src = "市发展改革委牵头，市财政局配合"
>>> found, _ = role_assignees(join_cells(src, [Cell(src, 0, len(src))]), default_registry(), "responsible")
>>> [(a.mention.canonical, a.role) for a in found]
[('市发展改革委', 'lead'), ('市财政局', 'supporting')]
"""
from __future__ import annotations

import re
from dataclasses import replace

from loaders.assignments import (_LABEL_START, _clause_holders, _list_mentions, _marked_lead, _parse_bracket,
                                 _without_lead_marks)
from loaders.tables import TableAssignee
from loaders.tables.grid import Cell, Joined, is_cjk, join_cells
from loaders.textmap import MappedText, clean

# What may stand between names without naming anyone.
_FILLER = re.compile(r"^(?:等|及|和|与|以及)?(?:其他)?(?:有关|相关)?(?:部门|单位)?(?:等)?"
                     r"(?:按职责分工|按职责)?(?:牵头|配合|协助|参与|会同|负责|落实)*$")
_PIECE = re.compile(r"[^、，,;；\s及和与]+")
# A cell written as a sentence ("市发展改革委牵头，市财政局配合"): the verb gives the role.
_VERB = re.compile(r"牵头|配合|协助|参与|会同")
_CLAUSE = re.compile(r"[^，,；;。]+")


def role_assignees(cell: Joined, registry, role: str) -> tuple[list[TableAssignee], list[str]]:
    """Assignees of one role cell; the second value holds reasons for doubt."""
    text = cell.text
    if _LABEL_START.search(text):       # "牵头：省经信厅；配合：省通信管理局": labelled fields in the cell
        fields = _parse_bracket(text, 0, registry).holders
        if fields:
            return [TableAssignee(mention=replace(h.mention, start=cell.source_span(h.mention.start, h.mention.end)[0],
                                                 end=cell.source_span(h.mention.start, h.mention.end)[1]),
                                  role=h.role, quote_span=cell.fragment_span(h.mention.start, h.mention.end),
                                  open_ended=h.open_ended) for h in fields], []
    blank, marks = _without_lead_marks(text)
    found: list[TableAssignee] = []
    notes: list[str] = []
    covered = list(blank)
    for m, open_ended, said in _mentions(blank, registry):
        marked = bool(marks) and _marked_lead(m, 0, text, marks)
        a, b = cell.source_span(m.start, m.end)
        found.append(TableAssignee(
            mention=replace(m, start=a, end=b), role="lead" if marked else said or role,
            quote_span=cell.fragment_span(m.start, m.end), open_ended=open_ended))
        covered[m.start:m.end] = "、" * (m.end - m.start)
        if m.resolution.uncertain:
            notes.append(f"department '{m.printed}' resolved by {m.resolution.how} to {m.canonical}")
    for piece in _PIECE.findall("".join(covered)):
        if not _FILLER.match(piece) and any(is_cjk(ch) for ch in piece):
            notes.append(f"'{piece}' in the {role} cell is not a known department or department form")
    return found, notes


def _mentions(text: str, registry):
    """(mention, open_ended, role said by a verb or "") for every name in the cell."""
    if not _VERB.search(text):
        for mentions, open_ended in _list_mentions(text, 0, registry):
            yield from ((m, open_ended, "") for m in mentions)
        return
    for clause in _CLAUSE.finditer(text):
        holders = _clause_holders(clause.group(), clause.start(), registry, "table")
        if holders:
            yield from ((h.mention, h.open_ended, h.role) for h in holders)
            continue
        for mentions, open_ended in _list_mentions(clause.group(), clause.start(), registry):
            yield from ((m, open_ended, "") for m in mentions)


# A list goes on after these: the next fragment continues the same item list.
_OPEN_END = ("、", "，", ",", "；", ";", "及", "和", "与", "(", "（")


def joined_holders(source: str, fragments: list[Cell], registry) -> Joined:
    """A role cell's fragments joined into one text.

    Fragments on different lines continue each other (a wrapped cell: "区生态环境" / "分局").  Two
    fragments of one printed line with only spaces between them come from a row kept on one line,
    cells a space apart: when the first one is complete names by itself ("基教科 各区教育局、…")
    the space was a border between names, and a 、 mapped to that space keeps them two names.

    >>> from ontology.registry import default_registry
    >>> src = "基教科 各区教育局"
    >>> joined_holders(src, [Cell("基教科", 0, 3), Cell("各区教育局", 4, 9)], default_registry()).text
    '基教科、各区教育局'
    """
    chars: list[str] = []
    origin: list[int] = []
    previous: Cell | None = None
    for cell in fragments:
        if previous is not None and _border_between(source, previous, cell, registry):
            chars.append("、")
            origin.append(previous.end)
        m = clean(source, cell.start, cell.end)
        chars.extend(m.text)
        origin.extend(m.origin)
        previous = cell
    return Joined(MappedText("".join(chars), tuple(origin), source), list(fragments))


def _border_between(source: str, before: Cell, after: Cell, registry) -> bool:
    gap = source[before.end:after.start]
    if not gap or gap.strip() or "\n" in gap:
        return False
    text = clean(source, before.start, before.end).text
    if not text or text.endswith(_OPEN_END):
        return False
    found, doubts = role_assignees(join_cells(source, [before]), registry, "responsible")
    return bool(found) and not doubts
