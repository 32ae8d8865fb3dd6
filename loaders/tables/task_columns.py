"""The header of a task-division table (任务分工表): what each column holds.

A header cell is a role column when it names one of the labels of
`loaders.assignments.LABEL_ROLES` (牵头单位 → lead, 责任单位 → responsible,
配合单位 → supporting …); when a cell names two ("责任单位(★为牵头单位)"), the
first one is the column's role and the other is a note about marks inside it.
The other cells are the task text, the 序号, the deadline, a category
(类别/领域, a merged cell, so blank means "as above") or a plain field.

>>> [(c.kind, c.role, c.name) for c in columns_of(["序号", "重点任务", "牵头单位", "配合单位", "完成时限"])]
[('num', '', '序号'), ('task', '', '重点任务'), ('role', 'lead', '牵头单位'), ('role', 'supporting', '配合单位'), ('deadline', '', '完成时限')]
>>> columns_of(["序号", "设备类别", "数量"]) is None
True
>>> [c.role for c in columns_of(merged_header(["序号", "任务", "责任分工", "", "时限"],
...                                            ["", "", "牵头单位", "配合单位", ""])) if c.role]
['lead', 'supporting']
"""
from __future__ import annotations

import re
from dataclasses import dataclass, replace

from loaders.assignments import LABEL_ROLES
from loaders.tables.grid import norm
from ontology import vocab

# Header words are data (ontology/labels.yaml); a role column is named by a role label.
ROLE_LABELS = {k: v for k, v in LABEL_ROLES.items() if v}
_HEADERS = vocab.table_headers()
NUM_WORDS, DEADLINE_WORDS, CATEGORY_WORDS = _HEADERS["num"], _HEADERS["deadline"], _HEADERS["category"]
REFERENCE_WORDS, TASK_WORDS, OTHER_WORDS = _HEADERS["reference"], _HEADERS["task"], _HEADERS["other"]
# A header cell is a short label; anything longer is running text.
MAX_HEADER = 24
_NOTE = re.compile(r"[(（].*$")


@dataclass(frozen=True)
class Column:
    kind: str       # num | task | role | deadline | category | reference | field
    role: str       # role columns: lead | responsible | supporting
    name: str       # the header as printed, without its bracketed note: the field name

    @property
    def known(self) -> bool:
        return self.kind != "field"


def columns_of(cells: list[str]) -> list[Column] | None:
    """The columns of a header row, or None unless it has a role and a task column."""
    texts = [norm(c).strip("*") for c in cells]
    if any(len(t) > MAX_HEADER for t in texts):
        return None
    columns = [_column(t) for t in texts]
    kinds = [c.kind for c in columns]
    if "role" in kinds and "task" not in kinds:
        # 序号 / 2022年预期目标 / 责任单位: a column of what is to be done under a header word of its own
        # (目标, 项目, 指标 …) is the task column when no column says 任务
        first = next((k for k, c in enumerate(columns) if c.kind == "field" and not _names_a_person(c.name)
                      and any(w in c.name for w in OTHER_WORDS)), None)
        if first is not None:
            columns[first] = replace(columns[first], kind="task")
            kinds[first] = "task"
    if "role" not in kinds or "task" not in kinds:
        return None
    return columns


def header_word(column: Column) -> bool:
    """A header cell a table may have: a known column kind or one of the other header words (备注, 领导 …)."""
    return column.known or any(w in column.name for w in OTHER_WORDS)


def column_of(text: str) -> Column:
    """The column a single header cell makes."""
    return _column(norm(text).strip("*"))


def _names_a_person(name: str) -> bool:
    """分管领导, 责任领导: a column of people, never of holders or tasks."""
    return any(label in name for label, role in LABEL_ROLES.items() if role is None)


def is_header(cells: list[str]) -> bool:
    """A header row repeated after a page break."""
    return columns_of(cells) is not None


def is_sub_header(cells: list[str]) -> bool:
    """The second line of a two-level header: "责任分工" above "牵头单位 | 配合单位".

    Only role labels (and blank cells under the first line's merged cells).
    """
    texts = [norm(c) for c in cells if norm(c)]
    # Exactly a label (with an optional note): a body cell may say "…等责任单位".
    return bool(texts) and all((_NOTE.sub("", t) or t) in ROLE_LABELS for t in texts)


def merged_header(top: list[str], sub: list[str]) -> list[str]:
    """Header texts of a two-level header: a sub-label replaces the label above it."""
    width = max(len(top), len(sub))
    top, sub = top + [""] * (width - len(top)), sub + [""] * (width - len(sub))
    return [s if norm(s) else t for t, s in zip(top, sub)]


def _column(text: str) -> Column:
    name = _NOTE.sub("", text) or text
    if _names_a_person(name):
        return Column("field", "", name)     # 牵头领导 holds 牵头 but names people, not holders
    hits = [(text.find(label), label) for label in ROLE_LABELS if label in text]
    if hits:
        label = min(hits, key=lambda h: (h[0], -len(h[1])))[1]
        return Column("role", ROLE_LABELS[label], name)
    if any(w in text for w in NUM_WORDS):
        return Column("num", "", name)
    if any(w in name for w in DEADLINE_WORDS):
        return Column("deadline", "", name)
    if any(w in name for w in CATEGORY_WORDS):
        return Column("category", "", name)
    if any(w in name for w in REFERENCE_WORDS):
        return Column("reference", "", name)
    if any(w in name for w in TASK_WORDS):
        return Column("task", "", name)
    return Column("field", "", name)
