"""The embedded stores as they grow: the JSON file (networkx backend) against SQLite.

For each size N (documents already stored), a store of N documents is built
from the bench corpus (bench/corpus.py: copies of the sample, 7 documents a
file), then one more 7-document file is added the way `dutygraph load` adds
it — open the store under its write lock, write, recompute the findings, save
— and timed (parsing excluded: it is the same for both stores).  Then, on the
store of N + 7 documents:

  * `who` in-process: open the store and answer 秸秆禁烧 (median of 5), as one
    CLI command or one request of a freshly started server would;
  * the CLI from start to answer (`dutygraph who 秸秆禁烧`, a new process,
    median of 3) and that process's peak memory (its maximum resident set);
  * the store's size on disk.

    python bench/bench_store_scale.py                       # sizes 0 70 210 700
    python bench/bench_store_scale.py --sizes 0 70 --json-max 70     # the JSON store up to 70 only

Prints a Markdown section for BENCHMARKS.md.  Parsed copies are kept in a
pickle under the temp folder, so a second run does not parse again.
"""
from __future__ import annotations

import argparse
import multiprocessing
import os
import pickle
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
if ROOT not in sys.path:
    sys.path.insert(0, ROOT)

from api.settings import load_settings  # noqa: E402
from bench.common import load_average, machine_facts  # noqa: E402
from graph.backends import open_backend  # noqa: E402
from service.writing import writing  # noqa: E402
from queries import vocabulary as vocab  # noqa: E402

TOPIC = "秸秆禁烧"
DOCS_PER_FILE = 7
SEED = 2024


def _parse(item):
    from loaders.pipeline import load_text
    name, text = item
    return load_text(text, name)


def parsed_copies(copies: int) -> list:
    """`copies` parsed files of the bench corpus (cached in the temp folder)."""
    cache = os.path.join(tempfile.gettempdir(), f"dutygraph-bench-parsed-{copies}-{SEED}.pickle")
    if os.path.exists(cache):
        with open(cache, "rb") as handle:
            return pickle.load(handle)
    from bench.corpus import make_corpus, sample_text
    with multiprocessing.Pool(os.cpu_count()) as pool:
        results = pool.map(_parse, make_corpus(sample_text(), copies, SEED))
    with open(cache, "wb") as handle:
        pickle.dump(results, handle)
    return results


def build(settings, results: list) -> None:
    """A store holding `results`, written in one go; on SQLite its findings then computed once, as
    every load before would have left them (the JSON store recomputes them all on every load anyway)."""
    store = open_backend(settings)
    try:
        for result in results:
            store.write(result)
        store.save()
    finally:
        store.close()
    if settings.backend == "sqlite":
        with writing(settings):
            pass


def add_one(settings, result) -> float:
    began = time.perf_counter()
    with writing(settings) as store:
        store.write(result)
    return time.perf_counter() - began


def who_in_process(settings, rounds: int = 5) -> float:
    times = []
    for _ in range(rounds):
        began = time.perf_counter()
        store = open_backend(settings)
        try:
            answers = vocab.who(store.reads(), TOPIC, limit=5)
        finally:
            store.close()
        times.append(time.perf_counter() - began)
        assert answers and answers[0]["unit"] == "(20)", answers[:1]
    return statistics.median(times)


def cli_who(settings, rounds: int = 3) -> tuple[float, float]:
    """Median seconds from start to answer of `dutygraph who`, and the largest peak RSS (MB)."""
    env = {**os.environ, "DUTYGRAPH_STORE": settings.store, "DUTYGRAPH_BACKEND": settings.backend,
           "PYTHONPATH": ROOT}
    times, peak = [], 0.0
    for _ in range(rounds):
        # /usr/bin/time reports the command's own peak: the maximum RSS of a child this process forks
        # would count this process's memory (the parsed corpus) from before the exec
        began = time.perf_counter()
        proc = subprocess.run(["/usr/bin/time", "-f", "%M", sys.executable, "-c",
                               "import sys; from api.cli import main; sys.exit(main())", "who", TOPIC, "--limit", "5"],
                              env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True, check=True)
        times.append(time.perf_counter() - began)
        peak = max(peak, int(proc.stderr.strip().splitlines()[-1]) / 1024)
    return statistics.median(times), peak


def size_mb(path: str) -> float:
    return sum(os.path.getsize(p) for p in (path, path + "-wal") if os.path.exists(p)) / 1e6


def measure(backend: str, docs: int, results: list, folder: str) -> dict:
    store = os.path.join(folder, f"{backend}-{docs}.{'json' if backend == 'networkx' else 'sqlite'}")
    settings = load_settings(backend=backend, store=store)
    files = docs // DOCS_PER_FILE
    build(settings, results[:files])
    add = add_one(settings, results[files])
    who = who_in_process(settings)
    cli, rss = cli_who(settings)
    return {"add": add, "who": who, "cli": cli, "rss": rss, "size": size_mb(store)}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[0, 70, 210, 700],
                        help="documents in the store before the add (multiples of 7)")
    parser.add_argument("--json-max", type=int, default=700, help="largest size measured on the JSON store")
    args = parser.parse_args(argv)
    began = time.perf_counter()
    results = parsed_copies(max(args.sizes) // DOCS_PER_FILE + 1)
    folder = tempfile.mkdtemp(prefix="dutygraph-scale-")
    rows = []
    try:
        for docs in args.sizes:
            sq = measure("sqlite", docs, results, folder)
            js = measure("networkx", docs, results, folder) if docs <= args.json_max else None
            rows.append((docs, js, sq))
            print(f"measured {docs}: json {js} sqlite {sq}", file=sys.stderr)
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    print("## The embedded stores as they grow: JSON file against SQLite\n")
    print(f"`python bench/bench_store_scale.py --sizes {' '.join(map(str, args.sizes))}` — {machine_facts()}; "
          f"load average {load_average()}; {time.perf_counter() - began:.0f} s in all.  N documents stored "
          f"(bench corpus, 7 a file); then one more file added as `dutygraph load` adds it (write lock, write, "
          f"findings, save; parsing excluded).  Ratios are JSON / SQLite.\n")
    print("| N stored | add one file: JSON | SQLite | ratio | `who` in-process: JSON | SQLite | ratio "
          "| CLI `who` start to answer: JSON | SQLite | ratio | CLI peak RSS: JSON | SQLite "
          "| store size: JSON | SQLite |")
    print("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    for docs, js, sq in rows:
        def cell(key, fmt):
            return fmt.format(js[key]) if js else "–"

        def ratio(key):
            return f"{js[key] / sq[key]:.1f}×" if js and sq[key] else "–"
        print(f"| {docs} | {cell('add', '{:.2f} s')} | {sq['add']:.2f} s | {ratio('add')} "
              f"| {cell('who', '{:.3f} s')} | {sq['who']:.3f} s | {ratio('who')} "
              f"| {cell('cli', '{:.2f} s')} | {sq['cli']:.2f} s | {ratio('cli')} "
              f"| {cell('rss', '{:.0f} MB')} | {sq['rss']:.0f} MB | {cell('size', '{:.1f} MB')} | {sq['size']:.1f} MB |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
