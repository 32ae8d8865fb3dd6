"""The "高效办成一件事" list: items (一件事/<n>) and their sub-items (一件事/<n>/<具体事项>).

Header: 阶段 | 序号 | "一件事"名称 | 具体事项 | 责任部门 (★为该"一件事"牵头部门).

The item number and name are merged cells printed in the vertical middle of
the item's rows, so the rows of an item are found, not read: boundaries
between numbers are chosen by `boundaries.split_items` with a cost that wants
one ★ lead and one name per item, the number near the middle of the item
(rows the extraction displaced do not count for the middle) and no cell cut in
two.  A blank 责任部门 cell is a merged cell: the sub-item takes the cell above
within its item (below when it is the item's first).
"""
from __future__ import annotations

from loaders.tables import Table, TableAssignee, TableRow
from loaders.tables.boundaries import split_items
from loaders.tables.cells import list_assignees
from loaders.tables.grid import Line, align, join_cells, match_header, norm
from loaders.tables.layout import Group, Row, group_rows, read_row, width_limit

KIND = "yijianshi"
COLUMNS = {"stage": ("阶段",), "num": ("序号", "编号"), "name": ("名称",),
           "item": ("具体事项", "事项"), "dept": ("责任部门", "部门", "单位")}
REQUIRED = ("name", "item", "dept")
MARK = "一件事"
PAD = 0.6            # a table row's padding, in text lines: rows are taller than their lines
W_STAR = W_NAME = W_CUT = 3.0
W_OFF = 0.1
_QUOTES = {'"': '"', "“": "”", "「": "」", "'": "'"}


def roles_of(cells: list[str]) -> list[str] | None:
    if MARK not in "".join(cells):
        return None
    return match_header(cells, COLUMNS, REQUIRED)


def read(source: str, lines: list[Line], registry) -> Table:
    roles = roles_of([c.text for c in lines[0].cells])
    looks_dept = (lambda t: not t.strip() or "★" in t
                  or bool(registry.split_list(norm(t), 0)))
    rows = [read_row(source, align(line, roles, looks_dept), i, registry)
            for i, line in enumerate(lines[1:])
            if roles_of([c.text for c in line.cells]) is None]
    limit = width_limit(rows)
    table = Table(KIND, (lines[0].start, lines[-1].end))
    anchors, notes = _anchors(rows)
    segments = _segments(rows)
    for seg in segments:
        seg_anchors = [(n, [p for p in ps if seg[0].pos <= p <= seg[-1].pos])
                       for n, ps in anchors]
        seg_anchors = [(n, ps) for n, ps in seg_anchors if ps]
        if seg_anchors:
            table.rows.extend(_read_segment(source, seg, seg_anchors, limit, registry, notes))
    return table


def _anchors(rows: list[Row]) -> tuple[list[tuple[int, list[int]]], dict[int, list[str]]]:
    """Item numbers in sequence, each with the lines that print it (a number can be
    printed twice on adjacent lines).  A number the extraction lost is put at its
    item's name when the names between two numbers say how many are missing;
    a list without numbers is numbered by its names."""
    clusters = _name_clusters(rows)
    anchors: list[tuple[int, list[int]]] = []
    notes: dict[int, list[str]] = {}
    for r in rows:
        if r.num is None:
            continue
        last = anchors[-1] if anchors else None
        if last and r.num == last[0] and r.pos - last[1][-1] <= 2:
            last[1].append(r.pos)
        elif last is None or r.num == last[0] + 1:
            anchors.append((r.num, [r.pos]))
        elif last[0] < r.num <= last[0] + 3:
            missing = range(last[0] + 1, r.num)
            between = [c for c in clusters if last[1][-1] < c[0].pos and c[-1].pos < r.pos
                       and not _owns(c, last[1][-1]) and not _owns(c, r.pos)]
            if len(between) == len(missing):
                for n, c in zip(missing, between):
                    anchors.append((n, [c[len(c) // 2].pos]))
                    notes.setdefault(n, []).append(f"number {n} not printed; placed at its name")
            else:
                notes.setdefault(r.num, []).append(f"numbers {list(missing)} missing before this item")
            anchors.append((r.num, [r.pos]))
        else:
            notes.setdefault(last[0], []).append(f"number '{r.num}' out of sequence ignored")
    if not anchors and clusters:
        for n, c in enumerate(clusters, 1):
            anchors.append((n, [c[len(c) // 2].pos]))
            notes.setdefault(n, []).append("no item numbers printed; numbered by the names")
    return anchors, notes


def _owns(cluster: list[Row], pos: int) -> bool:
    """Is the number on line `pos` printed within (or right beside) this name cell?"""
    return cluster[0].pos - 1 <= pos <= cluster[-1].pos + 1


def _segments(rows: list[Row]) -> list[list[Row]]:
    """Section rows ((一) 企业, (二) 个人) end an item for sure."""
    segments, current = [], []
    for r in rows:
        if r.section:
            if current:
                segments.append(current)
            current = []
        else:
            current.append(r)
    if current:
        segments.append(current)
    return segments


# -- names ------------------------------------------------------------------------

def _name_clusters(rows: list[Row]) -> list[list[Row]]:
    """Fragments of one item name: up to the fragment holding 一件事; a bare
    "一件事" right after a complete name is a duplicate of it."""
    frags = [r for r in rows if r.name]
    marked = any(MARK in r.name for r in frags)
    clusters: list[list[Row]] = []
    for r in frags:
        if clusters:
            last = clusters[-1]
            complete = any(MARK in x.name for x in last)
            bare = norm(r.name).strip("".join(_QUOTES) + "”」") == MARK
            if marked and not complete:
                last.append(r)
                continue
            if marked and complete and bare and r.pos - last[-1].pos <= 2:
                last.append(r)
                continue
            if not marked and r.pos - last[-1].pos <= 1:
                last.append(r)
                continue
        clusters.append([r])
    return clusters


def heading(cluster: list[Row]) -> tuple[str, list[str]]:
    """The item name from its fragments: stem + "一件事", dropping garbled repeats.

    >>> heading([Row(0, 0, 0, name='退休"供事"'), Row(1, 0, 0, name='"一件事"')])
    ('退休"一件事"', ['name fragment \\'"供事"\\' dropped'])
    """
    text = "".join(norm(r.name) for r in cluster)
    if MARK not in text:
        return text, []
    stem = text[: text.index(MARK)]
    quote = stem[-1] if stem and stem[-1] in _QUOTES else ""
    stem = stem.rstrip("".join(_QUOTES))
    notes = []
    cut = min((stem.find(q) for q in _QUOTES if q in stem), default=-1)
    if cut > 0:
        notes.append(f"name fragment '{stem[cut:]}{quote}' dropped")
        stem = stem[:cut]
    return stem + quote + MARK + _QUOTES.get(quote, ""), notes


# -- items ------------------------------------------------------------------------

def _read_segment(source, seg: list[Row], anchors, limit, registry, notes) -> list[TableRow]:
    base = seg[0].pos
    n = len(seg)
    loose = group_rows(seg, None)
    glued = {r.pos - base for g in loose for r in g.rows[1:]}   # a line glued to the one above
    clusters = _name_clusters(seg)
    starts = [c[0].pos - base for c in clusters]
    spans = [(c[0].pos - base, c[-1].pos - base) for c in clusters]
    has_stars = any(r.star for r in seg)
    top, mid, bottom = _heights(seg, loose)
    local = [[p - base for p in ps] for _, ps in anchors]

    def item_cost(a: int, b: int, k: int) -> float:
        cost = 0.0
        if has_stars:
            cost += W_STAR * abs(sum(1 for r in seg[a:b] if r.star) - 1)
        if clusters:
            cost += W_NAME * abs(sum(1 for s in starts if a <= s < b) - 1)
        centre = (top[a] + bottom[b - 1]) / 2
        placed = [p for p in range(a, b) if seg[p].placed] or local[k]
        closest = min(abs(mid[p] - centre) for p in placed)
        off = min(abs(mid[p] - centre) for p in local[k])
        # The number is printed on the line nearest the middle of its merged cell:
        # a line nearer than the number's own speaks against the split.  Among
        # equally possible splits, the one with the number nearer the middle wins.
        return cost + (off - closest) + W_OFF * off * off

    def cut_cost(b: int) -> float:
        cost = W_CUT if b in glued else 0.0
        return cost + sum(W_NAME for first, last in spans if first < b <= last)

    bounds, near = split_items(n, local, item_cost, cut_cost)
    out = []
    for k, (num, _) in enumerate(anchors):
        a, b = bounds[k], bounds[k + 1]
        doubts = list(notes.get(num, []))
        for side in (k - 1, k):
            if 0 <= side < len(near) and near[side]:
                doubts.append(_boundary_doubt(seg, bounds[side + 1], near[side],
                                              anchors[side][0], anchors[side + 1][0]))
        out.extend(_item_rows(source, num, seg[a:b], limit, registry, doubts))
    return out


def _boundary_doubt(seg: list[Row], chosen: int, others: list[int], before: int, after: int) -> str:
    """Name the rows that an almost as good split would move to the other item."""
    lo, hi = min(others + [chosen]), max(others + [chosen])
    names = [r.item or r.dept for r in seg[lo:hi] if r.item or r.dept]
    shown = "、".join(names[:3]) + ("…" if len(names) > 3 else "")
    return f"{len(names)} row(s) ({shown}) could belong to item {before} or {after}"


def _heights(seg: list[Row], groups: list[Group]):
    """Vertical position of every line, in text lines; lines that are not `placed`
    take no height, and every visual row adds its padding."""
    first = {g.first: g for g in groups}
    last = {g.last: g for g in groups}
    cursor = 0.0
    top, mid, bottom = [], [], []
    for r in seg:
        h = 1.0 if r.placed else 0.0
        top.append(cursor)
        g = first.get(r.pos)
        if g is not None and any(x.placed for x in g.rows):
            cursor += PAD / 2
        mid.append(cursor + h / 2)
        cursor += h
        g = last.get(r.pos)
        if g is not None and any(x.placed for x in g.rows):
            cursor += PAD / 2
        bottom.append(cursor)
    return top, mid, bottom


def _item_rows(source, num: int, rows: list[Row], limit, registry, doubts: list[str]) -> list[TableRow]:
    unit = f"一件事/{num}"
    clusters = _name_clusters(rows)
    name, name_notes = heading([r for c in clusters for r in c]) if clusters else ("", [])
    doubts = doubts + name_notes + [n for r in rows for n in r.notes]
    if len(clusters) != 1:
        doubts.append(f"{len(clusters)} name cells found for the item")
    subs: list[TableRow] = []
    extra: list[TableAssignee] = []
    previous: tuple[list[TableAssignee], str] | None = None
    pending: list[tuple[TableRow, Group]] = []       # sub-items waiting for a department below
    groups = group_rows(rows, limit)
    for i, g in enumerate(groups):
        dept_rows = [r for chain in g.chains for r in chain]
        found, why = [], []
        if dept_rows:
            cell = join_cells(source, [r.dept_cell for r in dept_rows])
            found, why = list_assignees(cell, registry)
        if not g.blocks:
            extra.extend(found)
            doubts.append(f"责任部门 '{''.join(r.dept for r in dept_rows)}' stands on a line "
                          "whose 具体事项 was lost in extraction")
            continue
        item_rows = sorted((r for b in g.blocks for r in b), key=lambda r: r.pos)
        cell = join_cells(source, [r.item_cell for r in item_rows], strip=True)
        row = TableRow(unit=f"{unit}/{cell.text}", kind="sub_item", heading=cell.text,
                       text="", span=(g.rows[0].start, g.rows[-1].end), parent_unit=unit,
                       fields={"具体事项": cell.text}, uncertain=why)
        if dept_rows:
            dept_text = "".join(r.dept for r in dept_rows)
            row.assignees, previous = found, (found, dept_text)
            for waiting, _ in pending:
                waiting.assignees = list(found)
                waiting.fields["责任部门"] = dept_text
            pending = []
        elif previous is not None:
            row.assignees, dept_text = list(previous[0]), previous[1]
            nxt = groups[i + 1] if i + 1 < len(groups) else None
            if nxt is not None and nxt.chains and nxt.first == g.last + 1:
                row.uncertain.append("blank 责任部门: taken from the merged cell above; "
                                     "the cell below could span this row too")
        else:
            dept_text = ""
            pending.append((row, g))
        row.fields["责任部门"] = dept_text
        subs.append(row)
    for waiting, _ in pending:
        waiting.uncertain.append("no 责任部门 found for this sub-item")
    for row in subs:
        row.text = norm(f"{row.heading} {row.fields.get('责任部门', '')}")
    subs = _merge_duplicates(subs)
    item = TableRow(unit=unit, kind="service_item", heading=name,
                    text=norm(" ".join(r.text for r in rows if r.text and not r.displaced)),
                    span=_span([r for r in rows if not r.blank] or rows),
                    fields={"序号": str(num), "名称": name,
                            "具体事项": "、".join(r.heading for r in subs)},
                    uncertain=doubts)
    item.assignees = _item_assignees(subs, extra, item)
    return [item] + subs


def _span(rows: list[Row]) -> tuple[int, int]:
    return rows[0].start, rows[-1].end


def _merge_duplicates(subs: list[TableRow]) -> list[TableRow]:
    """A sub-item printed twice in one item (extraction repeats) is one sub-item."""
    seen: dict[str, TableRow] = {}
    out = []
    for row in subs:
        if row.unit in seen:
            first = seen[row.unit]
            known = {(a.mention.canonical, a.role) for a in first.assignees}
            first.assignees += [a for a in row.assignees if (a.mention.canonical, a.role) not in known]
            first.uncertain.append("sub-item printed twice; merged")
            continue
        seen[row.unit] = row
        out.append(row)
    return out


def _item_assignees(subs: list[TableRow], extra: list[TableAssignee], item: TableRow):
    """The ★ department leads the item; every other department of its sub-items is responsible."""
    everyone = [a for r in subs for a in r.assignees] + extra
    leads = {a.mention.canonical for a in everyone if a.role == "lead"}
    if len(leads) != 1:
        item.uncertain.append(f"{len(leads)} ★ lead departments found for the item")
    result, seen = [], set()
    for a in sorted(everyone, key=lambda a: a.role != "lead"):
        role = "lead" if a.mention.canonical in leads else "responsible"
        if a.mention.canonical in seen:
            continue
        seen.add(a.mention.canonical)
        result.append(TableAssignee(a.mention, role, a.quote_span, open_ended=a.open_ended))
    return result

