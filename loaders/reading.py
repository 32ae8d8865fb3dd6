"""The only place that reads files: size cap, binary check, encoding detection.

Parsing downstream is pure; it gets a `str` and the name to use in messages.
"""
from __future__ import annotations

import os
import re

from graph.errors import InputError
from loaders import formats

MAX_BYTES = int(os.environ.get("DUTYGRAPH_MAX_BYTES", 20 * 1024 * 1024))

# A government document of this family says who must do what: at least one of
# these words appears in any real one.  It keeps unrelated text out of the graph.
_FAMILY_MARKERS = re.compile(
    r"人民政府|办公室|办公厅|部门|单位|牵头|负责|职责|实施方案|工作方案|通知|局|委员会|条")


def decode(data: bytes, source: str) -> str:
    """Bytes → text: UTF-8 (with or without BOM), else GB18030 (a superset of GBK/GB2312).

    >>> decode("市公安局".encode("gbk"), "x.txt")
    '市公安局'
    """
    if not data.strip():
        raise InputError(source, "the file is empty", hint="Give a text file that holds a document")
    if b"\x00" in data[:65536]:
        pos = data.index(b"\x00")
        raise InputError(source, "this is a binary file, not text", place=f"byte {pos}",
                         hint="Extract the text first (for a PDF: pdftotext -layout)")
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as utf8_error:
        try:
            text = data.decode("gb18030")
        except UnicodeDecodeError:
            line = data[: utf8_error.start].count(b"\n") + 1
            raise InputError(
                source, "the text is neither UTF-8 nor GB18030/GBK",
                place=f"line {line}, byte {utf8_error.start}",
                hint="Convert it to UTF-8 (iconv -f <encoding> -t UTF-8)") from None
    _reject_control_characters(text, source)
    return text.replace("\r\n", "\n").replace("\r", "\n")


def _reject_control_characters(text: str, source: str) -> None:
    controls = sum(1 for ch in text[:20000] if ord(ch) < 32 and ch not in "\n\r\t\f")
    if controls > max(8, len(text[:20000]) // 100):
        raise InputError(source, "the file is full of control characters: it is not a text document",
                         hint="Extract the text first")


def check_family(text: str, source: str) -> None:
    """Refuse text that is not a Chinese document that assigns duties."""
    cjk = sum(1 for ch in text if "\u4e00" <= ch <= "\u9fff")
    if cjk < 20 or not _FAMILY_MARKERS.search(text):
        raise InputError(source, "no Chinese government document found in this file",
                         hint="dutygraph reads policy documents that assign duties (通知、实施方案、职责分工方案 …)")


def read_document_file(path: str) -> str:
    """Read one file with the size cap; errors name the file."""
    try:
        size = os.path.getsize(path)
    except OSError as exc:
        raise InputError(path, f"cannot open the file: {exc.strerror}") from None
    if size > MAX_BYTES:
        raise InputError(path, f"the file is {size} bytes, over the limit of {MAX_BYTES}",
                         hint="Split it, or raise DUTYGRAPH_MAX_BYTES")
    with open(path, "rb") as handle:
        data = handle.read(MAX_BYTES + 1)
    return document_text(data, os.path.basename(path))


def document_text(data: bytes, source: str) -> str:
    """Bytes of a .txt/.md, .html or .docx file → checked plain text."""
    if formats.is_docx(data):
        text = formats.docx_to_text(data, source)
    else:
        text = decode(data, source)
        if formats.looks_like_html(text):
            text = formats.html_to_text(text)
    check_family(text, source)
    return text
