"""Benchmark an upload's parse in a worker process against the parse in the server's own thread;
prints a Markdown section for BENCHMARKS.md.

    python bench/bench_upload_worker.py [--runs 7]

Three texts: a one-clause notice, tests/data/division-of-duties.txt and the bundled sample
gazette (160 KB).  For each, the median of `runs` parses in-process (service.loading.parse_bytes,
warm: what POST /documents did before) and through service.parse_worker.parse_within (a worker
forked from the warm forkserver, the result pickled back), and the ratio.  Then how long a
parse of the sample under a 0.1 s budget takes to give up (the worker killed and reaped), and a
freshly spawned worker for comparison (spawn instead of forkserver).
"""
from __future__ import annotations

import argparse
import multiprocessing
import os
import platform
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, ROOT)

from graph.errors import OutOfTime  # noqa: E402
from ontology import data_path  # noqa: E402
from service.deadline import Deadline  # noqa: E402
from service.loading import parse_bytes  # noqa: E402
from service.parse_worker import _parse_child, parse_within  # noqa: E402
from bench.common import median_seconds  # noqa: E402

SMALL = ("双鸭山市人民政府办公室关于加强测试河道保洁工作的通知\n双政办发〔2099〕99号\n\n"
         "一、加强河道保洁。每日清理河道漂浮物。(市水务局牵头,市城管局配合)\n").encode()
LIMITS = {"max_docx_xml_bytes": 32 * 1024 * 1024, "max_pdf_pages": 1000}


def _spawned(data: bytes) -> None:
    ctx = multiprocessing.get_context("spawn")
    receive, send = ctx.Pipe(duplex=False)
    worker = ctx.Process(target=_parse_child, args=(send, data, "x.txt", LIMITS))
    worker.start()
    send.close()
    receive.recv()
    worker.join()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=7)
    runs = parser.parse_args().runs
    with open(data_path("samples", "shuangyashan-gazette-2024-05.txt"), "rb") as f:
        sample = f.read()
    with open(os.path.join(ROOT, "tests", "data", "division-of-duties.txt"), "rb") as f:
        division = f.read()
    texts = [("one-clause notice", SMALL), ("division-of-duties.txt", division), ("sample gazette", sample)]
    parse_within(SMALL, "warm.txt", LIMITS, Deadline(60, "-"))          # start the forkserver
    parse_bytes(sample, "warm.txt")                                      # warm this process
    print(f"`python bench/bench_upload_worker.py --runs {runs}` — {time.strftime('%Y-%m-%d')}, "
          f"{os.cpu_count()} cores, Python {platform.python_version()}, load average (1 min) "
          f"{os.getloadavg()[0]:.2f} at the start.\n")
    print("| text | bytes | in-process ms | worker ms | worker − in-process ms | worker ÷ in-process |")
    print("|---|---|---|---|---|---|")
    for name, data in texts:
        inproc = median_seconds(lambda: parse_bytes(data, "x.txt"), runs)
        worker = median_seconds(lambda: parse_within(data, "x.txt", LIMITS, Deadline(600, "-")), runs)
        print(f"| {name} | {len(data)} | {inproc * 1000:.1f} | {worker * 1000:.1f} | "
              f"{(worker - inproc) * 1000:.1f} | {worker / inproc:.2f} |")

    def over_budget():
        try:
            parse_within(sample, "x.txt", LIMITS, Deadline(0.1, "-"))
        except OutOfTime:
            return
        raise SystemExit("the sample parsed within 0.1 s: pick a smaller budget")
    stop = median_seconds(over_budget, runs)
    spawn = median_seconds(lambda: _spawned(SMALL), max(3, runs // 2))
    print(f"\nThe sample under a 0.1 s budget: OutOfTime after {stop:.3f} s (median), the worker killed and "
          f"reaped.  A one-clause notice in a freshly spawned worker: {spawn:.3f} s.  Load average (1 min) "
          f"at the end: {os.getloadavg()[0]:.2f}.")


if __name__ == "__main__":
    main()
