"""Parse time and memory of hostile inputs, per 100 KB, at two sizes: is the parse linear, and within budget?

    python bench/bench_hostile.py [--sizes 100,400] [--markdown]

For each generated hostile document (the shapes of issue 16 and of
tests/test_fuzz_readers.py) at each size: the CPU seconds of the parse
(service.loading.parse_bytes: decoding and reading the format, then the parser;
CPU time, so that other work on a shared machine inflates it less than wall
time), seconds per 100 KB, tracemalloc's peak in bytes per input byte, and the
growth from the small size to the large one (1.0 = linear; 2.0 at 4x the size
= the time of each byte doubling).  The targets of issue 16: at most 1 s per
100 KB of any input; memory at most 10x the input plus a constant.  Figures go
to BENCHMARKS.md with the load average beside them: tests assert no time.
"""
from __future__ import annotations

import argparse
import io
import os
import sys
import time
import tracemalloc
import zipfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
if ROOT not in sys.path:
    sys.path.insert(0, ROOT)

from graph.errors import DutygraphError  # noqa: E402
from service.loading import parse_bytes  # noqa: E402

HEAD = "某市人民政府办公室关于印发某某工作方案的通知\n某政办发〔2025〕1号\n"
SAMPLE = os.path.join(ROOT, "ontology", "samples", "shuangyashan-gazette-2024-05.txt")


def _repeat(unit: str, size: int) -> str:
    return unit * max(1, size // len(unit.encode()))


def _docx(text: str) -> bytes:
    paragraphs = "".join(f"<w:p><w:r><w:t>{line}</w:t></w:r></w:p>" for line in text.split("\n"))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("word/document.xml", '<w:document xmlns:w="http://schemas.openxmlformats.org/'
                         f'wordprocessingml/2006/main"><w:body>{paragraphs}</w:body></w:document>')
    return buffer.getvalue()


def _sample(size: int) -> str:
    with open(SAMPLE, encoding="utf-8") as handle:
        text = handle.read()
    return (text * (size // len(text.encode()) + 1))[: size // 3]


# name → size in bytes → the upload's bytes
INPUTS = {
    "10 KB-style run of '('": lambda n: (HEAD + _repeat("(", n)).encode(),
    "run of '（'": lambda n: (HEAD + _repeat("（", n)).encode(),
    "unclosed '（' on many lines": lambda n: (HEAD + _repeat("（" * 50 + "市公安局负责\n", n)).encode(),
    "deep nesting （…（市公安局）…）": lambda n: (HEAD + "（" * (n // 7) + "市公安局负责" + "）" * (n // 7)).encode(),
    "giant list 市公安局、…": lambda n: (HEAD + _repeat("市公安局、", n) + "负责。\n").encode(),
    "giant bracket (牵头单位：…)": lambda n: (HEAD + "一、任务\n（一）加强监管。（牵头单位：" + _repeat("市公安局、", n)
                                        + "市财政局）\n").encode(),
    "giant number 999…9.": lambda n: (HEAD + "9" * n + ".市公安局负责。\n").encode(),
    "items 1. … 10000.": lambda n: (HEAD + "".join(f"{i}.市公安局、市财政局负责第{i}项工作。\n"
                                                   for i in range(1, n // 45 + 2))).encode(),
    "tab-separated rows": lambda n: (HEAD + "序号\t工作任务\t牵头单位\t配合单位\n" + "".join(
        f"{i}\t加强监管\t市公安局\t市财政局\n" for i in range(1, n // 40 + 2))).encode(),
    "the bundled gazette, repeated (UTF-16 LE, no BOM)": lambda n: _sample(n).encode("utf-16-le"),
    "the bundled gazette as .docx": lambda n: _docx(_sample(n * 3)),
    "HTML nested 3000 deep": lambda n: ("<html><body>" + "<div>" * 3000 + HEAD + _repeat("市公安局负责加强监管。", n)
                                       + "</div>" * 3000 + "</body></html>").encode(),
}


def measure(data: bytes) -> tuple[float, int, str]:
    """(CPU seconds, tracemalloc peak bytes, outcome) of one parse: timed without tracemalloc (which
    slows every allocation several times), then parsed again for the memory."""
    start = time.process_time()
    try:
        result = parse_bytes(data, "bench.txt")
        outcome = f"{len(result.assignments)} assignments"
    except DutygraphError as exc:
        outcome = f"refused: {str(exc)[:60]}"
    seconds = time.process_time() - start
    tracemalloc.start()
    try:
        parse_bytes(data, "bench.txt")
    except DutygraphError:
        pass
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    return seconds, peak, outcome


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", default="100,400", help="two sizes in KB (default 100,400)")
    args = parser.parse_args()
    small, large = (int(s) * 1024 for s in args.sizes.split(","))
    with open(SAMPLE, "rb") as handle:
        parse_bytes(handle.read(), "warm-up.txt")            # registries read outside the measures
    print(f"load average {os.getloadavg()[0]:.2f}; CPU seconds of service.loading.parse_bytes")
    print("| input | KB | s | s / 100 KB | peak B / B | KB | s | s / 100 KB | peak B / B | growth | outcome |")
    print("|---|---|---|---|---|---|---|---|---|---|---|")
    for name, make in INPUTS.items():
        cells = []
        per = []
        for size in (small, large):
            data = make(size)
            seconds, peak, outcome = measure(data)
            per.append(seconds / len(data))
            cells += [f"{len(data) // 1024}", f"{seconds:.2f}", f"{seconds / (len(data) / 102400):.2f}",
                      f"{peak / len(data):.0f}"]
        growth = per[1] / per[0] if per[0] else float("nan")
        print(f"| {name} | " + " | ".join(cells) + f" | {growth:.2f} | {outcome} |", flush=True)


if __name__ == "__main__":
    main()
