"""One PDF page's lines in reading order, without its running header and footer.

- **Columns.** A page set in two columns has a gutter: an upright strip in the middle of the text
  that almost no line crosses.  Lines that cross it (a title over both columns) stand where they
  are; between two of them the left column is read before the right one.
- **Running headers and footers.** A line at the very top or bottom of the page that repeats on
  other pages (digits aside: 第3页, 3/7) is the page's furniture, as is a bare page number there.
- **Paragraphs.** Each line knows whether it runs to the right edge of its column (the paragraph
  goes on) and whether it is indented (a new paragraph starts), so lines broken by the layout can
  be joined again (loaders/pdf_text.py).
"""
from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

from loaders.pdf_glyphs import Line, group_lines, line_text

# The top and bottom of a page where running headers, footers and page numbers stand.
FURNITURE_BAND = 0.08
PAGE_NUMBER = re.compile(r"^(?:[-—–－·•\s]*\d{1,4}[-—–－·•\s]*|第\s*\d+\s*页(?:\s*[,，/]?\s*共\s*\d+\s*页)?"
                         r"|\d+\s*/\s*\d+|page\s*\d+(?:\s*of\s*\d+)?)$", re.I)


@dataclass
class Block:
    """A line of text or a table, placed on its page."""
    top: float
    side: str                   # full | left | right
    page: int
    line: Line | None = None
    table: object = None        # loaders.pdf_tables.PdfTable
    full: bool = False          # the line runs to the right edge of its column
    indent: bool = False        # the line starts indented (a new paragraph)
    title: bool = False         # centred and larger than the body text: a title (which may wrap)

    @property
    def text(self) -> str:
        return self.line.text if self.line else ""


def furniture_keys(rows: list[Line], height: float) -> set[str]:
    """Keys of the lines in the top and bottom bands of one page (digits folded)."""
    return {_key(r) for r in rows if _in_band(r, height)}


def _key(line: Line) -> str:
    return re.sub(r"\d+", "#", re.sub(r"\s+", "", line.text))


def _in_band(line: Line, height: float) -> bool:
    return line.bottom < height * FURNITURE_BAND * 1.5 or line.top > height * (1 - FURNITURE_BAND * 1.5)


def drop_furniture(rows: list[Line], height: float, repeated: set[str], body_size: float) -> list[Line]:
    """The page's lines without running headers, footers and page numbers.  A line at the very top
    or bottom in type clearly smaller than the body's (a browser's date and address line) is one
    too, even on a document of one page where nothing can repeat."""
    return [r for r in rows if not (_in_band(r, height) and (
        _key(r) in repeated or PAGE_NUMBER.match(r.text) or (_outermost(r, rows) and r.size < 0.8 * body_size)))]


def body_size(pages: list[list[Line]]) -> float:
    """The type size of most lines of the document."""
    sizes = sorted(r.size for rows in pages for r in rows)
    return sizes[len(sizes) // 2] if sizes else 0.0


def _outermost(line: Line, rows: list[Line]) -> bool:
    """Nothing stands above it (a header) or below it (a footer) but lines of its own height."""
    return all(r.top >= line.top - 1 for r in rows if r.bottom < line.top + 1 and r is not line) or \
        all(r.bottom <= line.bottom + 1 for r in rows if r.top > line.bottom - 1 and r is not line)


def repeated_keys(pages: list[set[str]]) -> set[str]:
    """Band lines that stand on at least two pages and on half of them: running headers/footers."""
    counts = Counter(k for keys in pages for k in keys)
    need = max(2, len(pages) // 2)
    return {k for k, n in counts.items() if n >= need}


def page_blocks(rows: list[Line], tables: list, page_no: int) -> list[Block]:
    """A page's lines (already free of furniture) and tables, in reading order."""
    if not rows and not tables:
        return []
    gutter = _gutter(rows)
    blocks: list[Block] = []
    for row in rows:
        if gutter is None or _crosses(row, gutter):
            blocks.append(Block(row.top, "full", page_no, row))
            continue
        left = [c for c in row.chars if c["x1"] <= gutter]
        right = [c for c in row.chars if c["x1"] > gutter]
        for side, chars in (("left", left), ("right", right)):
            if chars:
                blocks.append(Block(min(c["top"] for c in chars), side, page_no, Line(chars, line_text(chars))))
    for table in tables:
        x0, top, x1, _ = table.bbox
        side = "full" if gutter is None or x0 < gutter < x1 else ("left" if x1 <= gutter else "right")
        blocks.append(Block(top, side, page_no, table=table))
    _mark_edges(blocks)
    return _reading_order(blocks)


def _reading_order(blocks: list[Block]) -> list[Block]:
    out: list[Block] = []
    left: list[Block] = []
    right: list[Block] = []
    for b in sorted(blocks, key=lambda b: b.top):
        if b.side == "full":
            out += left + right + [b]
            left, right = [], []
        else:
            (left if b.side == "left" else right).append(b)
    return out + left + right


def _mark_edges(blocks: list[Block]) -> None:
    """Each line: does it reach its column's right edge, is it indented from the left edge, is it
    a title line (centred, in a larger size than most lines of the page)?"""
    sizes = sorted(b.line.size for b in blocks if b.line)
    body = sizes[len(sizes) // 2] if sizes else 0
    for side in ("full", "left", "right"):
        lines = [b for b in blocks if b.side == side and b.line]
        if not lines:
            continue
        left = min(b.line.x0 for b in lines)
        right = max(b.line.x1 for b in lines)
        for b in lines:
            em = b.line.size
            b.full = b.line.x1 >= right - 1.2 * em
            b.indent = b.line.x0 >= left + 0.8 * em
            b.title = em > 1.15 * body and abs((b.line.x0 + b.line.x1) - (left + right)) / 2 < 1.5 * em


def _gutter(rows: list[Line]) -> float | None:
    """The x of the gutter between two columns, or None for a page of one column."""
    if len(rows) < 6:
        return None
    left = min(r.x0 for r in rows)
    right = max(r.x1 for r in rows)
    width = right - left
    best, best_cross = None, len(rows) + 1
    x = left + 0.3 * width
    while x <= left + 0.7 * width:
        cross = sum(1 for r in rows if _crosses(r, x))
        if cross < best_cross:
            best, best_cross = x, cross
        x += 2.0
    if best is None or best_cross > 0.2 * len(rows):
        return None
    both = sum(1 for r in rows if not _crosses(r, best) and r.x0 < best < r.x1)
    if both < 0.3 * len(rows):
        return None
    # Columns of prose, not of an unruled table: each side is filled by its lines, and has no gutter
    # of its own (a table has several columns, two columns of text have one gutter between them).
    for side in (_side(rows, best, left=True), _side(rows, best, left=False)):
        if len(side) < 3 or _gutter(side) is not None:
            return None
        width = max(r.x1 for r in side) - min(r.x0 for r in side)
        widths = sorted(r.x1 - r.x0 for r in side)
        if widths[len(widths) // 2] < 0.6 * width:
            return None
    return best


def _side(rows: list[Line], x: float, left: bool) -> list[Line]:
    """The lines of one side of a gutter at x (rows that cross it left out)."""
    out = []
    for r in rows:
        if _crosses(r, x):
            continue
        chars = [c for c in r.chars if (c["x1"] <= x) == left]
        if chars:
            out.append(Line(chars, ""))
    return out


def _crosses(row: Line, x: float) -> bool:
    """Does the line run through x (a character on it, or a gap narrower than a character)?"""
    prev = None
    for c in row.chars:
        if c["x0"] <= x <= c["x1"]:
            return True
        if prev is not None and prev["x1"] < x < c["x0"]:
            return c["x0"] - prev["x1"] < 0.8 * row.size
        prev = c
    return False


def page_rows(chars: list[dict], tables: list) -> list[Line]:
    """The lines of a page outside its tables (all columns of one height together)."""
    outside = [c for c in chars if not any(_within(c, t.bbox) for t in tables)]
    return group_lines(outside)


def _within(ch: dict, box) -> bool:
    x = (ch["x0"] + ch["x1"]) / 2
    y = (ch["top"] + ch["bottom"]) / 2
    return box[0] - 1 <= x <= box[2] + 1 and box[1] - 1 <= y <= box[3] + 1
