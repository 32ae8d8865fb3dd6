"""All the laws and regulations of ../shared/corpus/laws/ in the embedded store (SQLite), issue 13 part 6.

Steps, each a whole `dutygraph` process as a user runs it:

  1. scan: every file read and parsed in-process (2 workers), to list the texts that fail to
     load, with their error, and the slowest texts to parse;
  2. one `dutygraph load` of the whole folder into a new store; when a text fails, the folder
     load fails whole (nothing written), so the load is then given every file that parses;
     timed with /usr/bin/time -v (wall, peak RSS); store size on disk; `dutygraph summary`;
  3. with the laws loaded: `dutygraph load` of the bundled sample gazette (on a fresh copy
     of the store each run), `dutygraph who 噪声`, `dutygraph law 噪声污染防治法 --place 双鸭山市`
     and `dutygraph findings`, start to answer, min/median/max of a few runs.

    python bench/bench_laws_scale.py                     # the whole corpus
    python bench/bench_laws_scale.py --limit 100         # the first 100 files only (a quick look)
    python bench/bench_laws_scale.py --batch 100         # also load it in batches of 100 files

Prints the figures as Markdown for BENCHMARKS.md.  The load average is printed
with each step: the machine is shared, so read the figures with it.
"""
from __future__ import annotations

import argparse
import multiprocessing
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
if ROOT not in sys.path:
    sys.path.insert(0, ROOT)

from bench.common import SAMPLE_NAME, load_average, machine_facts  # noqa: E402
from ontology import data_path  # noqa: E402
from service.loading import document_paths  # noqa: E402

CORPUS = os.path.join(os.path.dirname(ROOT), "shared", "corpus", "laws")
SAMPLE = data_path("samples", SAMPLE_NAME)
CLI = [sys.executable, "-c", "import sys; from api.cli import main; sys.exit(main())"]
QUESTIONS = {
    "who 噪声": ["who", "噪声"],
    "law 噪声污染防治法 --place 双鸭山市": ["law", "噪声污染防治法", "--place", "双鸭山市"],
    "findings": ["findings"],
}


def _scan_one(path: str) -> tuple[str, str, float, int, int, int]:
    """(path, error or '', seconds to read and parse, documents, provisions, assignments)."""
    from graph.errors import InputError
    from loaders.pipeline import load_text
    from loaders.reading import read_document_file
    began = time.perf_counter()
    try:
        result = load_text(read_document_file(path), os.path.basename(path))
    except InputError as exc:
        return path, str(exc), time.perf_counter() - began, 0, 0, 0
    except Exception as exc:  # a crash in a reader is a finding of this benchmark, not its end
        return path, f"{type(exc).__name__}: {exc}", time.perf_counter() - began, 0, 0, 0
    return (path, "", time.perf_counter() - began, len(result.documents), len(result.provisions),
            len(result.assignments))


def scan(files: list[str]) -> list[tuple]:
    with multiprocessing.Pool(min(2, os.cpu_count() or 1)) as pool:
        return pool.map(_scan_one, files, chunksize=8)


def run_cli(args: list[str], store: str) -> tuple[float, float, int, str]:
    """Wall seconds, peak RSS (MB), exit status and stderr of one `dutygraph` process."""
    env = {**os.environ, "DUTYGRAPH_STORE": store, "DUTYGRAPH_BACKEND": "sqlite", "PYTHONPATH": ROOT}
    began = time.perf_counter()
    proc = subprocess.run(["/usr/bin/time", "-v", *CLI, *args], env=env, stdout=subprocess.PIPE,
                          stderr=subprocess.PIPE, text=True)
    wall = time.perf_counter() - began
    rss = next((int(line.split(":")[1]) / 1024 for line in proc.stderr.splitlines()
                if "Maximum resident set size" in line), 0.0)
    own = proc.stderr.split("\tCommand being timed")[0]
    return wall, rss, proc.returncode, own + proc.stdout[-2000:] * (proc.returncode != 0)


def size_mb(path: str) -> float:
    return sum(os.path.getsize(p) for p in (path, path + "-wal", path + "-shm") if os.path.exists(p)) / 1e6


def spread(values: list[float]) -> str:
    return f"{min(values):.2f} / {statistics.median(values):.2f} / {max(values):.2f}"


def store_counts(store: str) -> dict:
    env = {**os.environ, "DUTYGRAPH_STORE": store, "DUTYGRAPH_BACKEND": "sqlite", "PYTHONPATH": ROOT}
    out = subprocess.run([*CLI, "summary"], env=env, capture_output=True, text=True).stdout
    return {"summary": out.strip()}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--corpus", default=CORPUS)
    parser.add_argument("--limit", type=int, default=0, help="the first N files only")
    parser.add_argument("--batch", type=int, default=0, help="also load in batches of this many files")
    parser.add_argument("--runs", type=int, default=3, help="runs of each question and of the sample load")
    parser.add_argument("--folder", default="", help="where the stores go (default: a new temp folder)")
    parser.add_argument("--reuse", default="", help="a store the corpus was loaded into before: skip steps 1 and 2")
    args = parser.parse_args(argv)
    folder = args.folder or tempfile.mkdtemp(prefix="dutygraph-laws-")
    os.makedirs(folder, exist_ok=True)
    print(f"Machine: {machine_facts()}; load average {load_average()} at the start")
    store = args.reuse or load_corpus(args, folder)
    if not store:
        return 1
    return questions(args, folder, store)


def load_corpus(args, folder: str) -> str:
    """Steps 1 and 2: the store path, or '' when the load failed."""
    files, skipped = document_paths([args.corpus])
    if args.limit:
        files = files[:args.limit]
    began = time.perf_counter()
    scanned = scan(files)
    scan_s = time.perf_counter() - began
    failed = [(p, e) for p, e, *_ in scanned if e]
    good = [p for p, e, *_ in scanned if not e]
    print(f"\n## Scan: {len(files)} files ({len(skipped)} folder notes skipped), parsed in {scan_s:.1f} s "
          f"on 2 workers; load average {load_average()}")
    print(f"- documents {sum(s[3] for s in scanned)}, provisions {sum(s[4] for s in scanned)}, "
          f"assignments {sum(s[5] for s in scanned)}; texts with no assignment: "
          f"{sum(1 for s in scanned if not s[1] and s[5] == 0)}")
    print(f"- {len(failed)} texts fail to load:")
    for path, error in failed:
        print(f"  - {os.path.relpath(path, args.corpus)}: {error}")
    print("- slowest to parse: " + "; ".join(f"{os.path.basename(s[0])} {s[2]:.2f} s"
                                              for s in sorted(scanned, key=lambda s: -s[2])[:5]))

    store = os.path.join(folder, "laws.sqlite")
    for p in (store, store + "-wal", store + "-shm"):
        if os.path.exists(p):
            os.remove(p)
    if failed:
        wall, rss, status, err = run_cli(["load", args.corpus], store)
        print(f"\n## One `dutygraph load` of the folder as it is: exit {status} after {wall:.1f} s "
              f"({err.strip().splitlines()[0] if err.strip() else ''})")
    wall, rss, status, err = run_cli(["load", *good], store)
    print(f"\n## One `dutygraph load` of the {len(good)} files that parse: {wall:.1f} s, peak RSS {rss:.0f} MB, "
          f"exit {status}; store {size_mb(store):.1f} MB; load average {load_average()}")
    if status:
        print(err)
        return ""
    print(store_counts(store)["summary"])

    if args.batch:
        batched = os.path.join(folder, "batched.sqlite")
        times = []
        for i in range(0, len(good), args.batch):
            w, r, s, e = run_cli(["load", *good[i:i + args.batch]], batched)
            times.append(w)
            if s:
                print(e)
                return ""
        print(f"\n## In batches of {args.batch}: {sum(times):.1f} s in all; batch seconds "
              + ", ".join(f"{t:.1f}" for t in times) + f"; store {size_mb(batched):.1f} MB")
    return store


def questions(args, folder: str, store: str) -> int:
    """Step 3: the sample gazette added, and the questions asked, with the laws loaded."""
    copy = os.path.join(folder, "with-sample.sqlite")
    sample_times, sample_rss = [], 0.0
    for _ in range(args.runs):
        for suffix in ("", "-wal", "-shm"):
            if os.path.exists(copy + suffix):
                os.remove(copy + suffix)
            if os.path.exists(store + suffix):
                shutil.copyfile(store + suffix, copy + suffix)
        w, r, s, e = run_cli(["load", SAMPLE], copy)
        if s:
            print(e)
            return 1
        sample_times.append(w)
        sample_rss = max(sample_rss, r)
    print(f"\n## With the laws loaded (load average {load_average()}); seconds min / median / max of {args.runs}")
    print(f"- `dutygraph load` of the sample gazette: {spread(sample_times)}, peak RSS {sample_rss:.0f} MB")
    for label, question in QUESTIONS.items():
        times, peak, lines = [], 0.0, 0
        for _ in range(args.runs):
            env = {**os.environ, "DUTYGRAPH_STORE": copy, "DUTYGRAPH_BACKEND": "sqlite", "PYTHONPATH": ROOT}
            began = time.perf_counter()
            proc = subprocess.run(["/usr/bin/time", "-f", "%M", *CLI, *question], env=env,
                                  capture_output=True, text=True)
            times.append(time.perf_counter() - began)
            peak = max(peak, int(proc.stderr.strip().splitlines()[-1]) / 1024)
            lines = len(proc.stdout.splitlines())
        print(f"- `dutygraph {label}`: {spread(times)}, peak RSS {peak:.0f} MB, {lines} lines of answer")
    print(f"\nload average {load_average()} at the end; stores in {folder}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
