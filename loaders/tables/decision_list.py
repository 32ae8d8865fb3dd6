"""A 重大行政决策事项目录: 序号 | 事项名称 | 承办单位 | 完成时间 → 目录/<n>, role responsible."""
from __future__ import annotations

import re

from loaders.tables import Table, TableRow
from loaders.tables.cells import list_assignees
from loaders.tables.grid import Line, is_header_like, match_header, norm
from loaders.tables.listrows import collect

KIND = "decision_list"
COLUMNS = {"num": ("序号",), "name": ("事项名称", "决策事项", "名称"),
           "dept": ("承办单位", "责任单位", "牵头单位", "单位"), "deadline": ("完成时间", "完成时限", "时间", "时限")}
REQUIRED = ("name", "dept")
HEADER_WORDS = ("序号", "事项名称", "承办单位", "完成时间")
_NUM = re.compile(r"\d{1,3}")


def roles_of(cells: list[str]) -> list[str] | None:
    if not any("承办" in c or "决策" in c for c in cells):
        return None
    return match_header(cells, COLUMNS, REQUIRED)


def read(source: str, lines: list[Line], registry) -> Table:
    roles = roles_of([c.text for c in lines[0].cells])
    records = collect(source, lines[1:], roles,
                      starts=lambda t: bool(_NUM.fullmatch(t.get("num", "").strip())),
                      skip=lambda cells: is_header_like(cells, HEADER_WORDS))
    table = Table(KIND, (lines[0].start, lines[-1].end))
    for seq, record in enumerate(records, 1):
        printed = record.text("num")
        doubts = [] if printed == str(seq) else [f"row number printed as '{printed}'; numbered by sequence"]
        name = record.text("name")
        row = TableRow(unit=f"目录/{seq}", kind="decision_item", heading=name,
                       text=norm(" ".join(record.text(r) for r in roles if not r.startswith("_"))),
                       span=record.span, deadline=record.text("deadline"), uncertain=doubts,
                       fields={"事项名称": name, "承办单位": record.text("dept"),
                               "完成时间": record.text("deadline")})
        dept = record.joined("dept")
        if dept is not None:
            row.assignees, notes = list_assignees(dept, registry, role="responsible")
            row.uncertain += notes
        table.rows.append(row)
    return table
