"""Annex tables whose columns the PDF extraction scrambled.

The contract between the table readers and the rest of the loader:

    find_tables(source, start, end, registry) -> list[Table]

`source` is the whole file text; [start, end) is one document's span in it.
Each Table says which lines it occupies (so the prose parser skips them) and
holds its rows.  Every span is an offset into `source`, so a quote is always
`source[a:b]`.  Department names in cells are resolved with
`registry.split_list(cell_text, offset)`; a cell that cannot be read keeps its
row, with the reason in `uncertain`.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from ontology.registry import Mention


@dataclass
class TableAssignee:
    mention: Mention            # resolved department, spans in the source text
    role: str                   # lead | responsible | supporting
    quote_span: tuple[int, int]  # the cell (or cell part) that names it, in the source text
    condition: str = ""         # sub-case this holder covers (每日凌晨2时至上午8时 …)
    pending: bool = False       # 待…职能调整后, 由承接部门负责
    open_ended: bool = False


@dataclass
class TableRow:
    unit: str                   # 一件事/3, 一件事/3/食品经营许可, 清单/4, 第七十条, 目录/2, 12 (序号), 表1/3
    kind: str                   # service_item | sub_item | law_article | decision_item | task_row
    heading: str                # the row's name (事项名称, 服务项目, article label)
    text: str                   # the row's cells joined, whitespace-normalised
    span: tuple[int, int]
    fields: dict[str, str] = field(default_factory=dict)   # column → cell text
    assignees: list[TableAssignee] = field(default_factory=list)
    uncertain: list[str] = field(default_factory=list)
    parent_unit: str = ""       # a sub_item's service_item unit
    deadline: str = ""


@dataclass
class Table:
    kind: str                   # yijianshi | service_list | law_articles | decision_list | task_division | statistics
    span: tuple[int, int]
    rows: list[TableRow] = field(default_factory=list)
    law: str = ""               # law_articles: the law's full title


def find_tables(source: str, start: int, end: int, registry) -> list[Table]:
    from loaders.tables.detect import find_tables as _find
    return _find(source, start, end, registry)
