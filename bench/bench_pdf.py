"""Benchmark reading PDFs: pages per second, and a PDF against the text it was typeset from;
prints a Markdown section for BENCHMARKS.md.

    python bench/bench_pdf.py                 # the PDFs of tests/data/pdf, 5 runs each (median)
    python bench/bench_pdf.py --libraries     # also the candidate libraries on the same files

For each PDF of tests/data/pdf (made by its make_pdfs.py from a text document in tests/data):
reading (PDF → text: loaders.pdf_text), parsing (text → LoadResult: loaders.pipeline), and the same
two steps for the source text.  With --libraries, the raw speed of each candidate library on the
same pages (characters with their boxes; tables where it finds them) and how many table cells its
own table finder gets right on the four-page table (pdfplumber and PyMuPDF; pypdfium2 has none).
PyMuPDF is measured only when it is installed; it is not a dependency (AGPL).
"""
from __future__ import annotations

import argparse
import logging
import os
import platform
import re
import statistics
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, ROOT)
sys.path.insert(0, os.path.join(ROOT, "tests"))

from loaders.pdf_text import pdf_to_text  # noqa: E402
from loaders.pipeline import load_text  # noqa: E402
from loaders.reading import read_document_file  # noqa: E402
from test_pdf import DATA, PDFS, SOURCES  # noqa: E402
from bench.common import median_seconds  # noqa: E402


def _pages(path: str) -> int:
    import pypdfium2
    return len(pypdfium2.PdfDocument(path))


def documents(runs: int) -> None:
    print("| PDF | pages | read PDF s | pages/s | parse s | PDF total s | text total s | PDF ÷ text |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|")
    all_pages = all_read = 0.0
    ratios = []
    for name, src in SOURCES.items():
        path = os.path.join(PDFS, name + ".pdf")
        with open(path, "rb") as handle:
            data = handle.read()
        pages = _pages(path)
        text = pdf_to_text(data, name)
        read = median_seconds(lambda: pdf_to_text(data, name), runs)
        parse = median_seconds(lambda: load_text(text, name), runs)
        source = os.path.join(DATA, src + ".txt")
        plain = median_seconds(lambda: load_text(read_document_file(source), src), runs)
        all_pages, all_read = all_pages + pages, all_read + read
        ratios.append((read + parse) / plain)
        print(f"| {name} | {pages} | {read:.2f} | {pages / read:.1f} | {parse:.3f} | {read + parse:.2f} | "
              f"{plain:.3f} | {(read + parse) / plain:.0f}× |")
    print(f"\nAll {int(all_pages)} pages: {all_pages / all_read:.1f} pages/s read; loading a PDF takes "
          f"{min(ratios):.0f}–{max(ratios):.0f}× (median {statistics.median(ratios):.0f}×) the time of its text.")


def libraries(runs: int) -> None:
    import pdfplumber
    import pypdfium2
    try:
        import pymupdf
    except ImportError:
        pymupdf = None
    paths = [os.path.join(PDFS, n + ".pdf") for n in SOURCES]
    pages = sum(_pages(p) for p in paths)

    def plumber(tables: bool):
        for p in paths:
            with pdfplumber.open(p) as pdf:
                for page in pdf.pages:
                    page.chars, page.edges
                    if tables:
                        page.find_tables()

    def pdfium():
        for p in paths:
            for page in pypdfium2.PdfDocument(p):
                textpage = page.get_textpage()
                [textpage.get_charbox(i) for i in range(textpage.count_chars())]

    def mupdf(tables: bool):
        for p in paths:
            for page in pymupdf.open(p):
                page.get_text("rawdict")
                if tables:
                    page.find_tables()

    rows = [("pdfplumber 0.11 (MIT)", "chars + ruling lines", lambda: plumber(False)),
            ("pdfplumber 0.11 (MIT)", "+ its table finder", lambda: plumber(True)),
            ("pypdfium2 (Apache-2.0/BSD)", "chars with boxes (no lines, no tables)", pdfium)]
    if pymupdf:
        rows += [(f"PyMuPDF {pymupdf.VersionBind} (AGPL-3.0)", "chars (rawdict)", lambda: mupdf(False)),
                 (f"PyMuPDF {pymupdf.VersionBind} (AGPL-3.0)", "+ its table finder", lambda: mupdf(True))]
    print(f"\n| library | what | pages/s ({pages} pages) |")
    print("|---|---|---:|")
    for lib, what, fn in rows:
        print(f"| {lib} | {what} | {pages / median_seconds(fn, max(1, runs // 2)):.1f} |")
    # table quality: the library's own finder on the 4-page table, cells equal to the source's
    cells = [ln.strip() for ln in open(os.path.join(DATA, SOURCES["zhejiang-long-table"] + ".txt"),
                                       encoding="utf-8").read().split("\n")[1:] if ln.strip()]
    want = [re.sub(r"\s", "", c) for c in cells]
    path = os.path.join(PDFS, "zhejiang-long-table.pdf")

    def share(found: list[list]) -> str:
        got = [re.sub(r"\s", "", c or "") for row in found for c in row]
        right = sum(1 for c in set(got) if c in want)
        return f"{right} of {len(set(want))} distinct cells"

    with pdfplumber.open(path) as pdf:
        plumber_rows = [r for page in pdf.pages for t in page.find_tables() for r in t.extract()]
    text = pdf_to_text(open(path, "rb").read(), "z")
    ours = [ln.split("\t") for ln in text.split("\n") if "\t" in ln]
    print("\nTable cells read right on the 4-page table (rowspans, a header repeated on each page, rows cut by "
          "page breaks):\n")
    print(f"- pdfplumber's find_tables alone: {share(plumber_rows)}")
    if pymupdf:
        mu_rows = [r for page in pymupdf.open(path) for t in page.find_tables().tables for r in t.extract()]
        print(f"- PyMuPDF's find_tables alone: {share(mu_rows)}")
    print(f"- loaders/pdf_tables.py (on pdfplumber): {share(ours)}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--libraries", action="store_true")
    args = parser.parse_args()
    logging.getLogger("pdfminer").setLevel(logging.ERROR)
    print(f"## Reading PDFs\n\n`python bench/bench_pdf.py{' --libraries' if args.libraries else ''}` — "
          f"{time.strftime('%Y-%m-%d')}, Python {platform.python_version()}, {os.cpu_count()} cores, "
          f"load average {os.getloadavg()[0]:.2f}; median of {args.runs} runs.\n")
    documents(args.runs)
    if args.libraries:
        libraries(args.runs)


if __name__ == "__main__":
    main()
