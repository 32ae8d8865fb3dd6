"""Find the annex tables in one document and hand each to its reader.

A table starts at a header row (tab-separated cells whose keywords say the
kind) and runs over the following lines while they carry tabs; blank lines
inside are skipped when a tabbed line follows (a page break).  A line that no
reader of these kinds claims may head a task-division table (`task_division`),
which is also read in Markdown pipe and space-aligned spelling; it is tried
last so that a header the specific readers know keeps its kind.  Statistical
tables (专栏 设备类别 / 数量 / 投资 …) have no duties: they are only reported
with their span so that the prose parser skips their lines.

>>> from ontology.registry import default_registry
>>> src = "正文。\\n序号\\t事项名称\\t承办单位\\t完成时间\\n1\\t发布地价\\t市自然资源局\\t2024年6月\\n"
>>> [(t.kind, [r.unit for r in t.rows]) for t in find_tables(src, 0, len(src), default_registry())]
[('decision_list', ['目录/1'])]
"""
from __future__ import annotations

from loaders.tables import Table
from loaders.tables import decision_list, law_articles, service_list, statistics, task_division, yijianshi
from loaders.tables.grid import Line, split_lines

# Tried in this order: the first reader that recognises a header row reads the table.
READERS = (law_articles, yijianshi, service_list, decision_list)


def find_tables(source: str, start: int, end: int, registry) -> list[Table]:
    lines = split_lines(source, start, end)
    tables: list[Table] = []
    claimed: set[int] = set()
    i = 0
    while i < len(lines):
        reader = _reader_for(lines[i]) if lines[i].tabbed else None
        if reader is not None:
            j = extent(lines, i)
            tables.append(reader.read(source, lines[i:j], registry))
        else:
            header = task_division.header_at(lines, i)
            if header is None:
                i += 1
                continue
            j = task_division.table_end(source, lines, i, header, registry)
            # Tables without 序号 name their rows 表<k>/<n>: k counts task tables only,
            # so adding a reader for another kind does not renumber them.
            k = 1 + sum(t.kind == task_division.KIND for t in tables)
            tables.append(task_division.read(source, lines[i:j], header, registry, k))
        claimed.update(range(i, j))
        i = j
    tables.extend(statistics.find(source, lines, claimed))
    return sorted(tables, key=lambda t: t.span)


def _reader_for(line: Line):
    texts = [c.text for c in line.cells]
    for reader in READERS:
        if reader.roles_of(texts) is not None:
            return reader
    return None


def extent(lines: list[Line], i: int) -> int:
    """End (exclusive) of the table whose header is lines[i]; trailing blanks excluded."""
    j = i + 1
    last = i
    while j < len(lines):
        if lines[j].tabbed:
            last = j
        elif not lines[j].blank:
            break
        j += 1
    return last + 1
