"""A 基本养老服务清单: 服务对象 | 序号 | 服务项目 | 服务内容及标准 | 牵头单位 | 服务类型.

Rows are 清单/<n> by their sequence: the printed numbers are often garbled
("co.", "S", 9 for 6).  服务对象 is a merged cell: blank means the one above,
and its text may be split over the rows it spans ("…残疾老" / "年人").  Page
numbers and other debris in that column (". 37 .") are no 服务对象.  A lead
name cut by the column border ("…的 市文" | "化广电和旅游局") is put together again.
"""
from __future__ import annotations

import re

from loaders.tables import Table, TableRow
from loaders.tables.cells import list_assignees
from loaders.tables.grid import Cell, Line, is_garbage, is_header_like, match_header, norm
from loaders.tables.listrows import Record, collect

KIND = "service_list"
COLUMNS = {"target": ("服务对象", "对象"), "num": ("序号", "编号"), "item": ("服务项目", "项目"),
           "content": ("服务内容", "内容", "标准"), "lead": ("牵头单位", "牵头部门", "责任单位"),
           "type": ("服务类型", "类型")}
REQUIRED = ("item", "content", "lead")
HEADER_WORDS = ("服务对象", "序号", "服务项目", "服务内容", "牵头单位", "服务类型")
FIELDS = {"target": "服务对象", "item": "服务项目", "content": "服务内容及标准", "lead": "牵头单位",
          "type": "服务类型"}
_SHORT_TAIL = 3      # a 服务对象 piece this short ends the piece above ("年人")
# Vertical or OCR-mangled text comes out as single characters spaced apart ("蒸 粉 形 多").
_SPACED = re.compile(r"(?:[\u4e00-\u9fff]\s+){2,}[\u4e00-\u9fff]")
# A name's first characters stranded at the end of a text cell (" 市文").
_STRAY = re.compile(r"(?<=\s)(?:市|县|区)[\u4e00-\u9fff]{1,3}")


def roles_of(cells: list[str]) -> list[str] | None:
    if not any("服务" in c for c in cells):
        return None
    return match_header(cells, COLUMNS, REQUIRED)


def read(source: str, lines: list[Line], registry) -> Table:
    roles = roles_of([c.text for c in lines[0].cells])
    records = collect(source, lines[1:], roles,
                      starts=lambda t: bool(t.get("item") or t.get("num", "").strip()),
                      skip=lambda cells: is_header_like(cells, HEADER_WORDS, 3))
    targets = _targets(records)
    table = Table(KIND, (lines[0].start, lines[-1].end))
    for seq, (record, (target, target_notes)) in enumerate(zip(records, targets), 1):
        printed = record.text("num")
        doubts = list(target_notes)
        if printed != str(seq):
            doubts.append(f"row number printed as '{printed}'; numbered by sequence")
        fields = {FIELDS[r]: record.text(r) for r in FIELDS if r != "target"}
        fields["服务对象"] = target
        item = record.parts.get("item", [])
        if any(_SPACED.fullmatch(c.text.strip()) for c in item):
            doubts.append(f"服务项目 '{fields['服务项目']}' looks garbled (single characters spaced apart)")
        row = TableRow(unit=f"清单/{seq}", kind="service_item", heading=fields["服务项目"],
                       text="", span=record.span, fields=fields, uncertain=doubts)
        lead = record.joined("lead")
        if lead is not None:
            row.assignees, notes = list_assignees(lead, registry, role="lead")
            row.uncertain += notes
            _repair_split_name(record, row, registry)
        else:
            row.uncertain.append("no 牵头单位 cell")
        row.text = norm(" ".join(fields[FIELDS[r]] for r in roles if r in FIELDS))
        table.rows.append(row)
    return table


def _targets(records: list[Record]) -> list[tuple[str, list[str]]]:
    """服务对象 of every row: merged cells inherit, split texts are joined."""
    groups: list[list[Cell]] = []
    owner: list[int | None] = []
    notes: list[list[str]] = []
    for record in records:
        mine: list[str] = []
        cells = [c for c in record.parts.get("target", []) if c.text.strip()]
        text = "".join(norm(c.text) for c in cells)
        if text and is_garbage(text):
            mine.append(f"debris '{text}' in the 服务对象 column ignored")
            cells, text = [], ""
        if text and groups and len(text) <= _SHORT_TAIL:
            groups[-1].extend(cells)           # the tail of the merged cell above
        elif text:
            groups.append(list(cells))
        owner.append(len(groups) - 1 if groups else None)
        notes.append(mine)
    return [("".join(norm(c.text) for c in groups[g]) if g is not None else "", n)
            for g, n in zip(owner, notes)]


def _repair_split_name(record: Record, row: TableRow, registry) -> None:
    """A lead name cut in two by the column border: its head ends the content cell.

    When the lead cell starts with a fragment ("化广电和旅游局"), the registry has
    already recovered the name; the head left in the content cell (" 市文") is
    confirmed here and dropped from the content.  When the lead cell is whole,
    a copy of a name's head in the content is dropped as well, with a note.
    """
    content_cells = record.parts.get("content", [])
    raw = "".join(c.text for c in content_cells)
    for m in _STRAY.finditer(raw):
        for size in range(len(m.group()), 1, -1):
            head = raw[m.start(): m.start() + size]
            for a in row.assignees:
                name = a.mention.canonical
                if name.startswith(head) and not raw[m.start():].startswith(name):
                    whole = norm(head) + norm(a.mention.printed)
                    how = ("cut between the content and the lead cell"
                           if registry.resolve(whole) and a.mention.resolution.how == "fragment"
                           else "stray copy in the content cell")
                    row.uncertain.append(f"lead name '{name}': '{head}' {how}; removed from the content")
                    row.fields["服务内容及标准"] = norm(raw[: m.start()] + raw[m.start() + size:])
                    return
