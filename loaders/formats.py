"""HTML pages and Word (.docx) files → the plain text the parsers read.

Governments publish on web pages and in Word files as often as in PDFs.  Both
are turned into the same shape a PDF extraction gives: one paragraph a line,
table rows as lines with TAB between cells — so the table readers see a
table from a web page exactly as one from a PDF.

>>> html_to_text("<p>（一）加强管控。</p><table><tr><td>序号</td><td>牵头单位</td></tr></table>")
'（一）加强管控。\\n序号\\t牵头单位'
"""
from __future__ import annotations

import io
import re
import zipfile
import zlib
from html.parser import HTMLParser
from xml.etree import ElementTree

from loaders import limits

_BLOCKS = {"p", "div", "br", "h1", "h2", "h3", "h4", "h5", "h6", "li", "tr", "table", "section",
           "article", "header", "footer", "blockquote", "pre", "title"}
_SKIP = {"script", "style", "head", "noscript", "template"}


class _TextParser(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.skip = 0
        self.cell = 0

    def handle_starttag(self, tag, attrs):
        if tag in _SKIP:
            self.skip += 1
        elif tag in ("td", "th"):
            if self.cell:
                self.parts.append("\t")
            self.cell += 1
        elif tag in _BLOCKS:
            self.parts.append("\n")
            if tag == "tr":
                self.cell = 0

    def handle_endtag(self, tag):
        if tag in _SKIP and self.skip:
            self.skip -= 1
        elif tag in _BLOCKS and tag != "br":
            self.parts.append("\n")

    def handle_data(self, data):
        if not self.skip:
            # inside a cell, line breaks are layout, not structure
            self.parts.append(re.sub(r"\s*\n\s*", "" if self.cell else "\n", data))


def html_to_text(html: str) -> str:
    parser = _TextParser()
    parser.feed(html)
    parser.close()
    text = "".join(parser.parts).replace("\xa0", " ")
    lines = [ln.rstrip() for ln in text.split("\n")]
    return "\n".join(ln for ln in lines if ln.strip())


def looks_like_html(text: str) -> bool:
    head = text[:2000].lower()
    return "<html" in head or "<!doctype html" in head or bool(re.search(r"<(p|div|table|body)[\s>]", head))


_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def docx_to_text(data: bytes, source: str) -> str:
    """Paragraphs one a line, table rows with TAB-separated cells, in document order."""
    from graph.errors import InputError
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            xml = _bounded_read(archive, "word/document.xml", source)
        body = ElementTree.fromstring(xml).find(f"{_W}body")
    except (zipfile.BadZipFile, zipfile.LargeZipFile, zlib.error, KeyError, ElementTree.ParseError,
            NotImplementedError, RuntimeError, EOFError, OSError, ValueError, UnicodeDecodeError) as exc:
        # zlib.error: damaged compressed bytes (found by tests/test_fuzz_readers.py)
        raise InputError(source, f"this is not a readable Word (.docx) file ({exc})",
                         hint="Save it again as .docx, or as plain text") from None
    if body is None:
        return ""
    lines: list[str] = []
    for block in body:
        if block.tag == f"{_W}p":
            lines.append(_paragraph(block))
        elif block.tag == f"{_W}tbl":
            for row in block.iter(f"{_W}tr"):
                cells = ["".join(_paragraph(p) for p in cell.iter(f"{_W}p")) for cell in row.iter(f"{_W}tc")]
                lines.append("\t".join(cells))
    return "\n".join(ln for ln in lines if ln.strip())


def _bounded_read(archive: zipfile.ZipFile, name: str, source: str) -> bytes:
    """The member `name`, read in chunks and refused once it passes the limit max_docx_xml_bytes
    (loaders/limits.py; the size the archive declares may lie).  A zip bomb (a small file that
    unpacks to gigabytes) is refused before it fills the memory."""
    from graph.errors import InputError
    limit = limits.value("max_docx_xml_bytes")
    too_big = InputError(source, f"the Word file unpacks to more than {limit} bytes of text", place=name,
                         hint="Save it as plain text, split it, or raise DUTYGRAPH_MAX_DOCX_XML_BYTES")
    if archive.getinfo(name).file_size > limit:
        raise too_big
    chunks, size = [], 0
    with archive.open(name) as member:
        while chunk := member.read(1 << 20):
            size += len(chunk)
            if size > limit:
                raise too_big
            chunks.append(chunk)
    return b"".join(chunks)


def _paragraph(p) -> str:
    return "".join(t.text or "" for t in p.iter(f"{_W}t"))


def is_docx(data: bytes) -> bool:
    return data[:4] == b"PK\x03\x04" and b"word/" in data[:4096]
