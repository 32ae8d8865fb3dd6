"""A PDF file → the plain text the parsers read, with the page of every line.

The text has the shape the other readers give (loaders/formats.py): one paragraph a line, a
table row a line with TAB between cells.  Paragraphs broken by the layout are joined again
(a line that runs to its column's right edge goes on in the next line unless that one is
indented or starts a numbered unit), columns are read one after the other, running headers,
footers and page numbers are left out, and tables are read from their ruling lines
(loaders/pdf_tables.py), a table continued over a page break as one.

The result is a `PdfText`: a `str` (so everything downstream reads it unchanged) that also
knows, for every character offset, the page and the position on the page it came from.

Library: pdfplumber (MIT, on pdfminer.six) for characters with positions and ruling lines;
why, measured against pypdfium2 and PyMuPDF, is in the README.
"""
from __future__ import annotations

import bisect
import io
import logging
import re

from graph.errors import InputError
from loaders import limits
from loaders.pdf_glyphs import join_broken
from loaders.pdf_layout import (Block, body_size, drop_furniture, furniture_keys, page_blocks, page_rows,
                                repeated_keys)
from loaders.pdf_tables import find_tables, table_lines

# A page of a scan: almost no text, and pictures over at least this share of its area.
SCANNED_IMAGE_SHARE = 0.3
_MEANINGFUL = re.compile(r"[\u4e00-\u9fff0-9A-Za-z]")
# A line that starts a numbered unit (after a list bullet, maybe) never continues the paragraph above it.
_UNIT_START = re.compile(r"^[-－•·▪]?\s*(?:[一二三四五六七八九十]+、|[（(][一二三四五六七八九十\d]{1,3}[)）]|\d{1,3}[.．、](?!\d)"
                         r"|第[一二三四五六七八九十百零]+[章节条]|附件\d*)")


def is_pdf(data: bytes) -> bool:
    return data[:1024].lstrip().startswith(b"%PDF-")


# Where a piece of text stood: page (from 1), and the left and top of its printed line in points
# from the page's top-left corner.
Place = tuple[int, float, float]


class PdfText(str):
    """Text read from a PDF that knows where each piece of it stood: `place(offset)` → (page, x0, top)
    of the printed line holding that character (a paragraph joined from several lines, or pages,
    keeps each line's place)."""
    starts: tuple[int, ...]
    places: tuple[Place, ...]

    def __new__(cls, lines: list[tuple[str, list[tuple[int, Place]]]]):
        obj = super().__new__(cls, "\n".join(text for text, _ in lines))
        starts, places, offset = [], [], 0
        for text, pieces in lines:
            for at, place in pieces:
                starts.append(offset + at)
                places.append(place)
            offset += len(text) + 1
        obj.starts, obj.places = tuple(starts), tuple(places)
        return obj

    def place(self, offset: int) -> Place:
        k = bisect.bisect_right(self.starts, offset) - 1
        return self.places[max(0, k)] if self.places else (0, 0.0, 0.0)


def place_of(text: str, offset: int) -> tuple[int, tuple[float, ...]]:
    """(page, (x0, top)) of an offset of `text`; (0, ()) when the text was not read from a PDF.

    >>> place_of("plain text", 3)
    (0, ())
    """
    if not isinstance(text, PdfText) or not text.places:
        return 0, ()
    page, x0, top = text.place(offset)
    return page, (x0, top)


def page_of(text: str, offset: int) -> int:
    """The PDF page an offset of `text` came from; 0 when the text was not read from a PDF."""
    return place_of(text, offset)[0]


def pdf_to_text(data: bytes, source: str) -> PdfText:
    import pdfplumber
    from pdfminer.pdfparser import PDFSyntaxError
    from pdfminer.psparser import PSException
    from pdfplumber.utils.exceptions import PdfminerException
    # pdfminer reports every odd font descriptor as a warning: noise for the user, not errors
    logging.getLogger("pdfminer").setLevel(logging.ERROR)
    try:
        with pdfplumber.open(io.BytesIO(data)) as pdf:
            _check_pages(len(pdf.pages), source)
            pages = [_read_page(page, n + 1, source) for n, page in enumerate(pdf.pages)]
    except InputError:
        raise
    except (PdfminerException, PDFSyntaxError, PSException, ValueError, KeyError, TypeError, IndexError,
            AttributeError, AssertionError, RecursionError, OverflowError, ZeroDivisionError) as exc:
        raise _pdf_error(exc, source) from None
    if not any(rows or tables for rows, tables, _ in pages):
        raise InputError(source, "the PDF has no text layer (a scan?)", place="page 1",
                         hint="Run OCR on it first (for example ocrmypdf), or give the document as text")
    repeated = repeated_keys([furniture_keys(rows, height) for rows, _, height in pages])
    body = body_size([rows for rows, _, _ in pages])
    blocks: list[Block] = []
    for n, (rows, tables, height) in enumerate(pages, 1):
        blocks += page_blocks(drop_furniture(rows, height, repeated, body), tables, n)
    return PdfText(_lines(blocks))


def _check_pages(count: int, source: str) -> None:
    """Refuse a PDF of more pages than the limit max_pdf_pages (loaders/limits.py) before reading any:
    every page's layout costs time and memory."""
    limit = limits.value("max_pdf_pages")
    if count > limit:
        raise InputError(source, f"the PDF has {count} pages, over the limit of {limit}", place=f"page {limit + 1}",
                         hint="Split it, or raise DUTYGRAPH_MAX_PDF_PAGES")


def _pdf_error(exc: Exception, source: str) -> InputError:
    """pdfminer's failure → our error: an encrypted file, or one that is not a whole PDF."""
    cause = exc.args[0] if exc.args and isinstance(exc.args[0], Exception) else exc   # pdfplumber wraps
    if "password" in f"{type(cause).__name__} {cause}".lower() or "encrypt" in type(cause).__name__.lower():
        return InputError(source, "the PDF is encrypted (it needs a password)",
                          hint="Save or print it again as a PDF without a password, or give the document as text")
    return InputError(source, f"this is not a readable PDF ({str(cause)[:120] or type(cause).__name__})",
                      hint="Export or save it again as PDF (it may be cut short or damaged), or give it as text")


def _read_page(page, page_no: int, source: str):
    # Some typesetters print bold type by drawing each glyph twice, a hair apart: once is enough.
    page = page.dedupe_chars()
    chars = [c for c in page.chars if c.get("upright", True)]
    meaningful = sum(1 for c in chars if _MEANINGFUL.match(c["text"]))
    if meaningful < 10:
        area = max(page.width * page.height, 1.0)
        covered = sum(max(0.0, (i["x1"] - i["x0"]) * (i["bottom"] - i["top"])) for i in page.images)
        if covered >= SCANNED_IMAGE_SHARE * area:
            raise InputError(source, "a scanned page: an image without a text layer",
                             place=f"page {page_no}",
                             hint="Run OCR on it first (for example ocrmypdf), or give the document as text")
    tables = find_tables(page, page_no)
    return page_rows(chars, tables), tables, float(page.height)


def _lines(blocks: list[Block]) -> list[tuple[str, list[tuple[int, Place]]]]:
    """Blocks in reading order → text lines, each with the place of every printed line in it:
    paragraphs joined, tables written."""
    out: list[tuple[str, list[tuple[int, Place]]]] = []
    parts: list = []        # the pages of the table being read
    open_paragraph = False  # the last line of `out` may go on in the next line
    open_title = 0.0        # … or it is a title line of this size, which a centred line of it continues

    def flush_table():
        nonlocal parts
        if parts:
            out.extend((text, [(0, (page, x0, top))]) for text, page, x0, top in table_lines(parts))
            parts = []

    for b in blocks:
        if b.table is not None:
            if parts and _continues(parts[-1], b.table):
                parts.append(b.table)
            else:
                flush_table()
                parts = [b.table]
            open_paragraph, open_title = False, 0.0
            continue
        text = b.text.strip()
        if not text:
            continue
        flush_table()
        place = (b.page, round(b.line.x0, 1), round(b.line.top, 1))
        if out and ((open_paragraph and not b.indent and not _UNIT_START.match(text))
                    or (open_title and b.title and abs(b.line.size - open_title) < 0.5)):
            before, pieces = out[-1]
            joined = join_broken(before, text)
            out[-1] = (joined, pieces + [(len(joined) - len(text), place)])
        else:
            out.append((text, [(0, place)]))
        open_paragraph = b.full and not b.title
        open_title = b.line.size if b.title else 0.0
    flush_table()
    return out


def _continues(prev, table) -> bool:
    """A table at the top of the page after `prev`'s, with the same columns, continues it."""
    return table.page == prev.page + 1 and prev.same_columns(table)
