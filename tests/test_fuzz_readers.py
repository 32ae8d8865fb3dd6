"""Property-based fuzzing of every reader: hostile bytes give our own error or a result, never anything else.

Every input format's entry point is fuzzed with hypothesis — the bytes of an
upload or a file (`service.loading.parse_bytes`: decoding, HTML, Word, PDF,
then the parser) and the text parser itself (`loaders.pipeline.load_text`) —
on generated hostile documents: text built from the words, brackets, numbers
and item markers of real documents; deep nesting, giant lists, giant numbers,
long lines; every encoding (UTF-8, GB18030, UTF-16 and UTF-32, with and
without a byte order mark); HTML nested deep; Word files cut short, with
damaged bytes or a lying archive; PDFs cut short or damaged; random binary.

Asserted for every input:
* no exception other than the project's own (graph.errors.DutygraphError);
* memory (tracemalloc's peak, deterministic: it counts Python's allocations,
  not the process's pages) at most MEMORY_PER_BYTE times the input's size plus
  MEMORY_CONSTANT — the figures are those README "Reliability" states;
* no hang: each input runs under a generous alarm (HANG_SECONDS).  This is a
  hang detector, not a timing: a linear parse of these inputs takes well
  under a second even on a loaded machine; only a super-linear blow-up (the
  13 s for 10 KB of "(" of issue 16) could reach it.  Times per 100 KB are
  measured in bench/bench_hostile.py (BENCHMARKS.md), never asserted.

Runs are derandomized (the same examples on every run) so CI is reproducible.
"""
from __future__ import annotations

import io
import os
import signal
import tracemalloc
import zipfile
from contextlib import contextmanager

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from graph.errors import DutygraphError
from loaders.pipeline import load_text
from service.loading import parse_bytes

HERE = os.path.dirname(os.path.abspath(__file__))
PDF_DIR = os.path.join(HERE, "data", "pdf")

MEMORY_PER_BYTE = 100           # tracemalloc peak per input byte (see README "Reliability")
MEMORY_CONSTANT = 48 * 2 ** 20  # plus this, for the registries' caches and a PDF's layout objects
HANG_SECONDS = 120              # a hang detector only (see above)

FUZZ = settings(max_examples=int(os.environ.get("DUTYGRAPH_FUZZ_EXAMPLES", "40")), deadline=None,
                derandomize=True, database=None,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large,
                                       HealthCheck.large_base_example])


class Hang(Exception):
    pass


@contextmanager
def _hang_detector(what: str):
    def ring(_signum, _frame):
        raise Hang(f"{what}: no answer within {HANG_SECONDS}s — a super-linear parse?")
    previous = signal.signal(signal.SIGALRM, ring)
    signal.alarm(HANG_SECONDS)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)


@pytest.fixture(scope="module", autouse=True)
def warm():
    """The registries and compiled patterns read once, outside any measured input."""
    import service.parse_warmup  # noqa: F401


def _check(fn, data, size: int, what: str):
    """fn(data) ends with a result or our own error, within the memory bound; the result."""
    tracemalloc.start()
    try:
        with _hang_detector(what):
            try:
                result = fn(data)
            except DutygraphError:
                result = None
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak <= MEMORY_PER_BYTE * size + MEMORY_CONSTANT, (what, size, peak)
    return result


# -- hostile text ------------------------------------------------------------------------------
HEAD = "某市人民政府办公室关于印发某某工作方案的通知\n某政办发〔2025〕1号\n"
WORDS = ["市公安局", "市财政局", "区城管执法局", "各街道办事处", "市生态环境局", "负责", "牵头", "配合",
         "牵头单位：", "责任单位：", "配合单位：", "加强监管", "秸秆禁烧", "2025年12月底前", "按职责分工",
         "一、", "二、", "（一）", "（二）", "1.", "2.", "(1)", "第一条", "第十二条", "附件", "序号",
         "、", "，", "。", "；", "：", "（", "）", "(", ")", "〔", "〕", "【", "】", "《", "》", "“", "”",
         "\n", "\t", " ", "\u3000", "0", "9", "1000.", "99999.", "A", "<", ">", "&", "=", "'"]

text_pieces = st.lists(st.sampled_from(WORDS), max_size=300).map("".join)


@st.composite
def hostile_text(draw) -> str:
    """A document head, then one of the shapes that broke or could break a parser."""
    n = draw(st.integers(1, 4000))
    word = draw(st.sampled_from(WORDS[:15]))
    opener, closer = draw(st.sampled_from([("（", "）"), ("(", ")"), ("〔", "〕"), ("【", "】"), ("《", "》")]))
    body = draw(st.sampled_from([
        opener * n,                                                           # unclosed, one line
        (opener * 20 + "\n") * (n // 20 + 1),                                 # unclosed, many lines
        opener * n + word + closer * n,                                       # deep nesting
        "、".join([word] * n) + "负责。\n",                                    # a giant list
        f"（牵头单位：{'、'.join([word] * n)}）\n",                           # a giant bracket
        "9" * n + ".市公安局负责。\n",                                         # a giant number
        "".join(f"{i}.{word}负责第{i}项。\n" for i in range(1, n // 4 + 2)),  # a giant item list
        "一、" * n, "\t" * n + "市公安局", (word + "\t") * n + "\n",           # markers, tables
    ]))
    return HEAD + draw(text_pieces) + body + draw(text_pieces)


@FUZZ
@given(text=st.one_of(text_pieces.map(lambda t: HEAD + t), hostile_text(), st.text(max_size=2000)))
def test_the_parser_on_hostile_text(text):
    _check(lambda t: load_text(t, "fuzz.txt"), text, len(text.encode("utf-8", "surrogatepass")), "load_text")


# -- every encoding ----------------------------------------------------------------------------
ENCODINGS = ["utf-8", "utf-8-sig", "gb18030", "utf-16", "utf-16-le", "utf-16-be", "utf-32", "utf-32-le",
             "utf-32-be"]


@FUZZ
@given(text=st.one_of(text_pieces, hostile_text()), encoding=st.sampled_from(ENCODINGS),
       cut=st.integers(0, 7))
def test_uploads_in_every_encoding_with_or_without_a_mark_and_cut_short(text, encoding, cut):
    data = (HEAD + text).encode(encoding)
    data = data[:len(data) - cut]           # a wide encoding cut mid-character, too
    _check(lambda d: parse_bytes(d, "fuzz.txt"), data, len(data), f"upload in {encoding}")


@FUZZ
@given(data=st.binary(max_size=4000))
def test_uploads_of_random_bytes(data):
    _check(lambda d: parse_bytes(d, "fuzz.bin"), data, len(data), "random bytes")


# -- HTML --------------------------------------------------------------------------------------
@FUZZ
@given(text=text_pieces, depth=st.integers(0, 3000), tag=st.sampled_from(["div", "p", "table", "span", "td"]),
       closed=st.booleans())
def test_html_nested_deep(text, depth, tag, closed):
    html = ("<html><body>" + f"<{tag}>" * depth + HEAD + text + (f"</{tag}>" * depth if closed else "")
            + "<script>alert(1)</script></body></html>").encode("utf-8")
    _check(lambda d: parse_bytes(d, "fuzz.html"), html, len(html), "html")


# -- Word --------------------------------------------------------------------------------------
def _docx(paragraphs: list[str], declared_lie: bool = False) -> bytes:
    body = "".join(f"<w:p><w:r><w:t>{p.replace('&', '&amp;').replace('<', '&lt;')}</w:t></w:r></w:p>"
                   for p in paragraphs)
    xml = ('<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
           f"<w:body>{body}</w:body></w:document>").encode("utf-8")
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", xml)
    data = buffer.getvalue()
    if declared_lie:           # the central directory says the text is 10 bytes: a zip that lies
        data = data.replace(len(xml).to_bytes(4, "little"), (10).to_bytes(4, "little"))
    return data


@FUZZ
@given(paragraphs=st.lists(st.one_of(text_pieces, hostile_text()), min_size=1, max_size=5),
       cut=st.one_of(st.none(), st.integers(0, 2000)), flips=st.lists(st.tuples(st.integers(0, 10 ** 6),
                                                                                st.integers(0, 255)), max_size=4),
       lie=st.booleans())
def test_word_files_cut_short_damaged_or_lying(paragraphs, cut, flips, lie):
    data = bytearray(_docx([HEAD, *paragraphs], lie))
    for at, value in flips:
        data[at % len(data)] = value
    if cut is not None:
        data = data[:max(4, len(data) - cut)]
    _check(lambda d: parse_bytes(bytes(d), "fuzz.docx"), data, len(data), "docx")


# -- PDF ---------------------------------------------------------------------------------------
_TINY_PDF = None


def _tiny_pdf() -> bytes:
    """The smallest of the committed PDFs (a real one, with a text layer)."""
    global _TINY_PDF
    if _TINY_PDF is None:
        path = min((os.path.join(PDF_DIR, f) for f in os.listdir(PDF_DIR) if f.endswith(".pdf")
                    and not f.startswith(("encrypted", "scanned"))), key=os.path.getsize)
        with open(path, "rb") as handle:
            _TINY_PDF = handle.read()
    return _TINY_PDF


@settings(FUZZ, max_examples=max(5, FUZZ.max_examples // 4))
@given(cut=st.integers(0, 60000), flips=st.lists(st.tuples(st.integers(0, 10 ** 7), st.integers(0, 255)),
                                                 max_size=8),
       junk=st.sampled_from([b"", b"[" * 5000, b"<<" * 3000, b"9" * 5000, b"\x00" * 1000]))
def test_pdfs_cut_short_damaged_or_padded(cut, flips, junk):
    data = bytearray(_tiny_pdf())
    for at, value in flips:
        data[at % len(data)] = value
    data = data[:max(8, len(data) - cut)]
    middle = len(data) // 2
    data = data[:middle] + junk + data[middle:]
    _check(lambda d: parse_bytes(bytes(d), "fuzz.pdf"), data, len(data), "pdf")
