"""The only place that reads files: size cap, binary check, encoding detection.

Parsing downstream is pure; it gets a `str` and the name to use in messages.
"""
from __future__ import annotations

import os
import re

from graph.errors import InputError
from loaders import formats, limits, pdf_text
from loaders.laws import is_law

# A government document of this family says who must do what: at least one of
# these words appears in any real one.  It keeps unrelated text out of the graph.
_FAMILY_MARKERS = re.compile(
    r"人民政府|办公室|办公厅|部门|单位|牵头|负责|职责|实施方案|工作方案|通知|局|委员会|条")


def decode(data: bytes, source: str) -> str:
    """Bytes → text: UTF-8 (with or without BOM), else GB18030 (a superset of GBK/GB2312);
    UTF-16 and UTF-32 with their byte order mark, or without one when the zero bytes say which
    (a document's newlines, digits and ASCII letters are zero in their high bytes; see _bomless_wide).

    >>> decode("市公安局".encode("gbk"), "x.txt")
    '市公安局'
    >>> decode("市公安局".encode("utf-16"), "x.txt")
    '市公安局'
    >>> decode("第1条 市公安局\\n".encode("utf-32-be"), "x.txt")
    '第1条 市公安局\\n'
    """
    if not data.strip():
        raise InputError(source, "the file is empty", hint="Give a text file that holds a document")
    wide = _wide_encoding(data)
    if wide:
        return _decode_wide(data, wide, source)
    if b"\x00" in data[:65536]:
        wide = _bomless_wide(data)
        if wide:
            return _decode_wide(data, wide, source, bom=b"")
        pos = data.index(b"\x00")
        raise InputError(source, "this is a binary file, not text", place=f"byte {pos}",
                         hint="Give it as text, .html, .docx or .pdf")
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


# Byte order marks of the wide encodings; UTF-32 LE first, as its mark begins with UTF-16 LE's.
_WIDE_BOMS = ((b"\xff\xfe\x00\x00", "utf-32-le"), (b"\x00\x00\xfe\xff", "utf-32-be"),
              (b"\xff\xfe", "utf-16-le"), (b"\xfe\xff", "utf-16-be"))


def _wide_encoding(data: bytes) -> str:
    return next((name for bom, name in _WIDE_BOMS if data.startswith(bom)), "")


def _bomless_wide(data: bytes) -> str:
    """UTF-32 or UTF-16 without a byte order mark, told by where the zero bytes fall; "" if neither.

    UTF-32: every 4-byte unit has its top byte zero and the next at most 0x10 (no code point is
    larger).  UTF-16: the zero bytes — the high bytes of ASCII characters — fall mostly on one
    parity, odd offsets little-endian, even offsets big-endian (some on the other: the low byte of
    a character such as 一 U+4E00), and what it decodes to is nearly all the characters of a
    Chinese document.  Binary data has zero bytes on both parities alike, or decodes to characters
    from all over the code space, and stays "a binary file".
    """
    sample = data[:65536]
    units = len(sample) // 4
    if len(data) % 4 == 0 and units:
        if all(sample[i + 3] == 0 and sample[i + 2] <= 0x10 for i in range(0, units * 4, 4)):
            return "utf-32-le"
        if all(sample[i] == 0 and sample[i + 1] <= 0x10 for i in range(0, units * 4, 4)):
            return "utf-32-be"
    if len(data) % 2:
        return ""
    odd, even = sample[1::2].count(0), sample[0::2].count(0)
    encoding = "utf-16-le" if odd > 2 * even else "utf-16-be" if even > 2 * odd else ""
    if not encoding:
        return ""
    text = sample.decode(encoding, errors="replace")
    plausible = sum(1 for ch in text if ch.isprintable() and ch <= "\u9fff" or ch in "\n\r\t"
                    or "\uff00" <= ch <= "\uffef")
    return encoding if plausible >= 0.95 * len(text) else ""


def _decode_wide(data: bytes, encoding: str, source: str, bom: bytes | None = None) -> str:
    """`data` as `encoding`, after its byte order mark (`bom`: b"" when it has none)."""
    if bom is None:
        bom = next(b for b, name in _WIDE_BOMS if name == encoding)
    marked = "starts with the" if bom else "looks like"
    try:
        text = data[len(bom):].decode(encoding)
    except UnicodeDecodeError as exc:
        raise InputError(source, f"the text {marked} {encoding.upper()}{' byte order mark' if bom else ''} "
                         f"but is not {encoding.upper()}", place=f"byte {exc.start + len(bom)}",
                         hint="Convert it to UTF-8 (iconv -f <encoding> -t UTF-8)") from None
    if not text.strip():
        raise InputError(source, "the file is empty", hint="Give a text file that holds a document")
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
    if cjk < 20 or not (_FAMILY_MARKERS.search(text) or is_law(text)):   # an old 规定 in numbered points too
        raise InputError(source, "no Chinese government document found in this file",
                         hint="dutygraph reads policy documents that assign duties (通知、实施方案、职责分工方案 …)")


def read_document_file(path: str) -> str:
    """Read one file with the size cap (loaders.limits max_bytes); errors name the file."""
    if os.path.isdir(path):
        raise InputError(path, "this is a folder, not a file",
                         hint=f"Give the files in it: {os.path.join(path, '*.txt')}")
    max_bytes = limits.value("max_bytes")
    try:
        size = os.path.getsize(path)
        if size > max_bytes:
            raise InputError(path, f"the file is {size} bytes, over the limit of {max_bytes}",
                             hint="Split it, or raise DUTYGRAPH_MAX_BYTES")
        with open(path, "rb") as handle:
            data = handle.read(max_bytes + 1)
    except OSError as exc:
        raise InputError(path, f"cannot open the file: {exc.strerror or exc}") from None
    if len(data) > max_bytes:      # it grew since it was measured (or is a pipe)
        raise InputError(path, f"the file is over the limit of {max_bytes} bytes",
                         hint="Split it, or raise DUTYGRAPH_MAX_BYTES")
    return document_text(data, os.path.basename(path))


def document_text(data: bytes, source: str) -> str:
    """Bytes of a .txt/.md, .html, .docx or .pdf file → checked plain text (a PDF's keeps its pages:
    loaders.pdf_text.PdfText)."""
    if pdf_text.is_pdf(data):
        text = pdf_text.pdf_to_text(data, source)
    elif formats.is_docx(data):
        text = formats.docx_to_text(data, source)
    else:
        text = decode(data, source)
        if formats.looks_like_html(text):
            text = formats.html_to_text(text)
    check_family(text, source)
    return text
