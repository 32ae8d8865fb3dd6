"""Ruled tables of a PDF page → rows of cells, the table model every table reader takes.

The ruling lines give the grid: each cell is a box between lines, and a box that spans several
grid columns or rows is a merged cell.  The rows are written as the Word and web readers write
them (loaders/formats.py): one line a row, TAB between cells, so the task-table, 一件事 and
service-list readers see a PDF table exactly as one from a web page.  Merged cells are written
as the text readers expect them:

- a cell spanning rows in the body (牵头单位 shared by three tasks) is repeated in every row it
  covers, so each row names its holders;
- in a two-level header (责任单位 over 牵头单位 | 配合单位) a cell stands in its first slot only,
  the others empty, as a Markdown two-level header is written;
- a cell spanning columns stands in its first slot; a row of one cell across the whole table (a
  group row 一、优化政务服务) is written alone, without TABs;
- lines inside a cell are one cell (a cell broken over lines).

A table continued over a page break (same columns, starting at the top of the next page) is one
table: a repeated header is dropped, a row split by the break is joined back, and a merged cell
running over the break keeps its text on the new page.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from loaders.pdf_glyphs import group_lines, join_broken

_SETTINGS = {"vertical_strategy": "lines", "horizontal_strategy": "lines"}


@dataclass
class GridCell:
    row: int
    col: int
    rows: int
    cols: int
    text: str


@dataclass
class PdfTable:
    page: int                   # 1-based
    bbox: tuple[float, float, float, float]   # x0, top, x1, bottom
    col_edges: tuple[float, ...]
    nrows: int
    row_tops: tuple[float, ...] = ()
    cells: list[GridCell] = field(default_factory=list)

    @property
    def ncols(self) -> int:
        return len(self.col_edges) - 1

    def header_rows(self) -> int:
        """Rows of a two-level header: the depth of row 0's cells when one of them spans columns."""
        top = [c for c in self.cells if c.row == 0]
        if len(top) > 1 and any(c.cols > 1 for c in top):
            return max(c.rows for c in top)
        return 0

    def same_columns(self, other: "PdfTable", tolerance: float = 3.0) -> bool:
        return self.ncols == other.ncols and all(
            abs(a - b) <= tolerance for a, b in zip(self.col_edges, other.col_edges))


def find_tables(page, page_no: int) -> list[PdfTable]:
    """Every ruled table of a pdfplumber page with at least two rows and two columns."""
    tables = []
    for found in page.find_tables(_settings(page)):
        boxes = [c for c in found.cells if c]
        xs = _edges([v for b in boxes for v in (b[0], b[2])])
        ys = _edges([v for b in boxes for v in (b[1], b[3])])
        if len(xs) < 3 or len(ys) < 3:
            continue
        chars = [ch for ch in page.chars if _inside(ch, found.bbox)]
        table = PdfTable(page_no, tuple(found.bbox), tuple(xs), len(ys) - 1, tuple(ys[:-1]))
        for box in boxes:
            c0, c1 = _index(xs, box[0]), _index(xs, box[2])
            r0, r1 = _index(ys, box[1]), _index(ys, box[3])
            if c1 <= c0 or r1 <= r0:
                continue
            inside = [ch for ch in chars if _inside(ch, box)]
            text = ""
            for line in group_lines(inside):
                text = join_broken(text, line.text)
            table.cells.append(GridCell(r0, c0, r1 - r0, c1 - c0, text))
        if table.cells:
            tables.append(table)
    return tables


def _settings(page) -> dict:
    """Ruling lines only.  A table cut by a page break has no rule under a cell that runs on (nor
    over it on the next page): a closing rule is added at the table's top and bottom, and where
    its upright rules run on past them, so the cells cut by the break are still cells."""
    ends: set[float] = set()
    upright = [e for e in page.edges if e["orientation"] == "v" and e["bottom"] - e["top"] > 4]
    for found in page.find_tables(_SETTINGS):
        x0, top, x1, bottom = found.bbox
        mine = [e for e in upright if x0 - 1 <= e["x0"] <= x1 + 1 and e["top"] <= bottom + 1 and e["bottom"] >= top - 1]
        low = max((e["bottom"] for e in mine), default=bottom)
        high = min((e["top"] for e in mine), default=top)
        ends.update((round(max(low, bottom), 1), round(min(high, top), 1)))
    return {**_SETTINGS, "explicit_horizontal_lines": sorted(ends)} if ends else _SETTINGS


def _edges(values: list[float], tolerance: float = 2.0) -> list[float]:
    edges: list[float] = []
    for v in sorted(values):
        if not edges or v - edges[-1] > tolerance:
            edges.append(v)
    return edges


def _index(edges: list[float], value: float) -> int:
    return min(range(len(edges)), key=lambda i: abs(edges[i] - value))


def _inside(ch: dict, box) -> bool:
    x = (ch["x0"] + ch["x1"]) / 2
    y = (ch["top"] + ch["bottom"]) / 2
    return box[0] <= x <= box[2] and box[1] <= y <= box[3]


@dataclass
class _Row:
    cells: list[str]
    spanned: list[bool]         # the slot holds a cell that spans more than this row
    ids: list[int]              # which cell of the page holds the slot
    page: int = 0
    top: float = 0.0
    alone: bool = False         # one cell across the whole table: a group row


def _expand(table: PdfTable) -> list[_Row]:
    header = table.header_rows()
    rows = [_Row([""] * table.ncols, [False] * table.ncols, [-1] * table.ncols, table.page, table.row_tops[r])
            for r in range(table.nrows)]
    for n, cell in enumerate(table.cells):
        for r in range(cell.row, min(cell.row + cell.rows, table.nrows)):
            if r < header and r != cell.row:
                continue        # a two-level header names a cell once, in its first row
            rows[r].cells[cell.col] = cell.text
            rows[r].spanned[cell.col] = cell.rows > 1
            rows[r].ids[cell.col] = n
        if cell.cols == table.ncols and cell.rows == 1:
            rows[cell.row].alone = True
    return rows


def _key(row: _Row) -> str:
    return re.sub(r"\s+", "", "|".join(row.cells))


def merge_rows(parts: list[PdfTable]) -> list[tuple[list[str], int, float]]:
    """The rows of one table printed over several pages (`parts`, in order): cells, page, top."""
    rows = _expand(parts[0])
    header = max(1, parts[0].header_rows())
    head_keys = [_key(r) for r in rows[:header]]
    for part in parts[1:]:
        more = _expand(part)
        if [_key(r) for r in more[:header]] == head_keys:
            more = more[header:]            # the header repeated on the new page
        if more and rows:
            last, first = rows[-1], more[0]
            if not first.alone and not first.cells[0].strip() and any(c.strip() for c in first.cells):
                # a row split by the page break: its 序号 stayed on the page before
                last.cells = [join_broken(a, b) if b not in a else a for a, b in zip(last.cells, first.cells)]
                for k, spanned in enumerate(first.spanned):
                    # a merged cell that began in the split row covers the rows after it too
                    for row in more[1:] if spanned else ():
                        if row.ids[k] != first.ids[k]:
                            break
                        row.cells[k] = last.cells[k]
                more = more[1:]
            elif not first.alone:
                _carry_over_break(rows, more)
        rows.extend(more)
    return [(r.cells[:1] if r.alone else r.cells, r.page, r.top) for r in rows]


def _carry_over_break(before: list[_Row], after: list[_Row]) -> None:
    """A merged cell cut by the page break prints its text on one side only (in the middle of the
    whole cell): the rows it covers on the other side get it too."""
    last, first = before[-1], after[0]
    for k in range(min(len(last.cells), len(first.cells))):
        if not (last.spanned[k] or first.spanned[k]) or bool(last.cells[k].strip()) == bool(first.cells[k].strip()):
            continue
        if last.cells[k].strip():
            source, targets, cell = last.cells[k], after, first.ids[k]
        else:
            source, targets, cell = first.cells[k], reversed(before), last.ids[k]
        for row in targets:
            if row.ids[k] != cell or row.page != (first.page if targets is after else last.page):
                break
            row.cells[k] = source


def table_lines(parts: list[PdfTable]) -> list[tuple[str, int, float, float]]:
    """The table as text lines (TAB between cells; TABs and line breaks inside a cell are spaces),
    each with the page and the position (x0, top) of its row."""
    out = []
    for cells, page, top in merge_rows(parts):
        cells = [re.sub(r"[\t\n]+", " ", c).strip() for c in cells]
        if any(cells):
            out.append(("\t".join(cells), page, parts[0].bbox[0], top))
    return out
