"""Neo4j at the scale of a city's documents and the laws behind them (issues 15 and 13).

Steps, each its own sub-command so a long run can be resumed:

  parse    every law of ../shared/corpus/laws/ parsed (2 workers) plus N copies of the bench
           corpus (bench/corpus.py), pickled to --cache so later steps do not parse again;
  load     the cached results written into an empty database in batches of --batch files,
           one transaction per batch (Neo4jStore.write_all, the store's own statements);
           wall time, the server's peak RSS (VmHWM of the JVM), store size on disk;
  add      one new document (a fresh bench-corpus copy) added to the full store: the write,
           then the findings the service recomputes after every load (persist_findings);
  queries  p50/p99 of who, duties and one department's findings in-process (the vocabulary
           over Neo4jBackend) and over HTTP (a real `dutygraph serve`, DUTYGRAPH_BACKEND=neo4j,
           on loopback);
  routing  a session's cost through the routing driver (neo4j://) against a direct one (bolt://)
           on the same single server.

    nice python bench/bench_neo4j_scale.py parse --copies 150            # laws + 1,050 gazette documents
    nice python bench/bench_neo4j_scale.py load --copies 150 --batch 50 --progress --uri bolt://127.0.0.1:7714
    nice python bench/bench_neo4j_scale.py add --uri bolt://127.0.0.1:7714
    nice python bench/bench_neo4j_scale.py queries --http --findings --uri bolt://127.0.0.1:7714
    nice python bench/bench_neo4j_scale.py routing --uri bolt://127.0.0.1:7714

(--data-dir: the server's NEO4J_DATA_DIR, for its pid and the store's size; default <repo>/.neo4j-data.)

The database at --uri is emptied by `load`: point it at a server of its own (bench/common.py).
Every step prints Markdown lines for BENCHMARKS.md with the load average beside the figures
(the machine is shared: 2 cores).
"""
from __future__ import annotations

import argparse
import multiprocessing
import os
import pickle
import statistics
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
if ROOT not in sys.path:
    sys.path.insert(0, ROOT)

from bench.common import connect, empty, load_average, machine_facts, percentile  # noqa: E402

CORPUS = os.path.join(os.path.dirname(ROOT), "shared", "corpus", "laws")
DEFAULT_CACHE = "/tmp/dutygraph-neo4j-scale.pkl"
TOPICS = ["噪声", "秸秆禁烧", "安全生产", "河道", "食品安全", "消防", "大气污染", "养老服务"]
DEPARTMENTS = ["市生态环境局", "市住房城乡建设局", "市公安局", "市应急局", "市农业农村局"]


def _parse_one(path: str):
    from graph.errors import InputError
    from loaders.pipeline import load_text
    from loaders.reading import read_document_file
    try:
        return path, load_text(read_document_file(path), os.path.basename(path)), ""
    except InputError as exc:
        return path, None, str(exc)


def parse(args) -> None:
    from bench.corpus import make_corpus, sample_text
    from loaders.pipeline import load_text
    from service.loading import document_paths
    files, _notes = document_paths([CORPUS])
    files = files[:args.limit] if args.limit else files
    began = time.perf_counter()
    with multiprocessing.Pool(2) as pool:
        parsed = pool.map(_parse_one, files, chunksize=8)
    laws = [r for _, r, err in parsed if r is not None and r.documents]
    failed = [(p, err) for p, r, err in parsed if r is None]
    law_seconds = time.perf_counter() - began
    began = time.perf_counter()
    copies = [load_text(text, name) for name, text in make_corpus(sample_text(), args.copies + 1, args.seed)]
    # The last copy is kept apart: the document `add` puts into the full store.
    extra, copies = copies[-1], copies[:-1]
    with open(args.cache, "wb") as handle:
        pickle.dump({"laws": laws, "copies": copies, "extra": extra}, handle)
    docs = sum(len(r.documents) for r in laws + copies)
    print(f"parsed {len(files)} law files in {law_seconds:.0f} s (2 workers; {len(failed)} refused), "
          f"{args.copies} corpus copies in {time.perf_counter() - began:.0f} s: {docs} documents; "
          f"load average {load_average()}")
    for path, err in failed[:10]:
        print(f"  refused: {os.path.relpath(path, CORPUS)}: {err[:120]}")


def _cached(args) -> dict:
    with open(args.cache, "rb") as handle:
        return pickle.load(handle)


def _server_pid(data_dir: str) -> int:
    with open(os.path.join(data_dir, "neo4j.pid"), encoding="utf-8") as handle:
        return int(handle.read().strip())


def _rss_mb(pid: int, field: str = "VmRSS") -> float:
    with open(f"/proc/{pid}/status", encoding="utf-8") as handle:
        for line in handle:
            if line.startswith(field + ":"):
                return int(line.split()[1]) / 1024
    return 0.0


def _du_mb(path: str) -> float:
    out = subprocess.run(["du", "-sk", path], stdout=subprocess.PIPE, text=True, check=True).stdout
    return int(out.split()[0]) / 1024


class PeakRss:
    """The largest RSS of a process, sampled every 0.2 s while the block runs (VmHWM is its whole life)."""

    def __init__(self, pid: int):
        self.pid, self.peak, self._stop = pid, 0.0, threading.Event()

    def __enter__(self):
        self._thread = threading.Thread(target=self._watch, daemon=True)
        self._thread.start()
        return self

    def _watch(self):
        while not self._stop.is_set():
            self.peak = max(self.peak, _rss_mb(self.pid))
            self._stop.wait(0.2)

    def __exit__(self, *exc):
        self._stop.set()
        self._thread.join()


def _store(uri: str):
    from graph.neo4j_backend import Neo4jStore
    driver = connect(uri)
    store = Neo4jStore(driver, "neo4j", timeout=600)
    store.ensure_schema()
    return store


def load(args) -> None:
    cache = _cached(args)
    results = cache["laws"] + cache["copies"][:args.copies if args.copies >= 0 else None]
    store = _store(args.uri)
    pid = _server_pid(args.data_dir)
    print(machine_facts(store.driver))
    if not args.keep:
        empty(store)
    docs = sum(len(r.documents) for r in results)
    began = time.perf_counter()
    batch_times = []
    with PeakRss(pid) as rss:
        for i in range(0, len(results), args.batch):
            t = time.perf_counter()
            store.write_all(results[i:i + args.batch])
            batch_times.append(time.perf_counter() - t)
            if args.progress and (i // args.batch) % 10 == 0:
                print(f"  {i + args.batch} files, {time.perf_counter() - began:.0f} s, "
                      f"server RSS {_rss_mb(pid):.0f} MB, load {load_average()}", flush=True)
    seconds = time.perf_counter() - began
    stats = store.stats()
    print(f"| load {len(results)} files ({docs} documents; {stats['Provision']:,} provisions, "
          f"{stats['Assignment']:,} assignments) in batches of {args.batch} files | {seconds:.0f} s "
          f"({docs / seconds:.1f} documents/s; batch median {statistics.median(batch_times):.2f} s, "
          f"max {max(batch_times):.1f} s) | server RSS peak {rss.peak:.0f} MB (VmHWM {_rss_mb(pid, 'VmHWM'):.0f} MB) "
          f"| store {_du_mb(os.path.join(args.data_dir, 'data')):.0f} MB on disk | load average {load_average()} |")
    store.close()


def add(args) -> None:
    from queries.findings import persist_findings
    cache = _cached(args)
    extra = cache["extra"]
    store = _store(args.uri)
    pid = _server_pid(args.data_dir)
    for run in range(args.runs):
        began = time.perf_counter()
        findings = ""
        with PeakRss(pid) as rss:
            store.write(extra)
            wrote = time.perf_counter() - began
            try:
                persist_findings(store)
                findings = f"with the findings recomputed {time.perf_counter() - began:.1f} s"
            except Exception as exc:     # refused at this scale: say so, and after how long
                findings = (f"the findings refused after {time.perf_counter() - began:.1f} s "
                            f"({type(exc).__name__}: {str(exc)[:80]})")
        if args.max_rows == 0:
            print("  (the findings: --max-rows 0 keeps the application's bound)")
        for doc in extra.documents:          # out again, so the next run adds it anew
            store.delete_document(doc.id)
        print(f"| add one file ({len(extra.documents)} documents) to the full store | write {wrote:.2f} s, "
              f"{findings} | server RSS peak {rss.peak:.0f} MB "
              f"| load average {load_average()} |", flush=True)
    store.close()


def _timed(fn, runs: int) -> list[float]:
    times = []
    for _ in range(runs):
        began = time.perf_counter()
        fn()
        times.append(time.perf_counter() - began)
    return times


def _row(name: str, times: list[float], where: str) -> str:
    return (f"| {name} | {where} | {percentile(times, 50) * 1000:.0f} ms | {percentile(times, 99) * 1000:.0f} ms "
            f"| {len(times)} | {load_average()} |")


def _questions(backend, findings: bool) -> dict:
    from queries import vocabulary as vocab
    asked = {}
    asked["who"] = [lambda t=t: vocab.who(backend, t) for t in TOPICS]
    asked["duties"] = [lambda d=d: vocab.duties(backend, d) for d in DEPARTMENTS]
    if findings:
        asked["findings of one department"] = [lambda d=d: vocab.findings(backend, department=d)
                                               for d in DEPARTMENTS[:1]]
    return asked


def queries(args) -> None:
    from graph.neo4j_backend import Neo4jBackend
    driver = connect(args.uri)
    backend = Neo4jBackend(driver, "neo4j", timeout=600)
    print("| question | where | p50 | p99 | runs | load average |\n|---|---|---|---|---|---|")
    for name, calls in ({} if args.http_only else _questions(backend, args.findings)).items():
        try:
            for call in calls:      # once each, unmeasured: the server's plan cache and page cache warm
                call()
        except Exception as exc:    # a refusal at this scale is a figure too
            print(f"| {name} | in-process | refused: {type(exc).__name__}: {str(exc)[:100]} | | | {load_average()} |")
            continue
        runs = max(1, args.runs // len(calls)) if name != "findings of one department" else args.findings_runs
        times = [t for call in calls for t in _timed(call, runs)]
        print(_row(name, times, "in-process"), flush=True)
    if args.http:
        _http(args)
    driver.close()


def _http(args) -> None:
    port = args.http_port
    env = {**os.environ, "DUTYGRAPH_BACKEND": "neo4j", "NEO4J_URI": args.uri, "PYTHONPATH": ROOT,
           "DUTYGRAPH_QUERY_TIMEOUT": "600"}
    try:                        # another server on the port would answer in its place
        _get(f"http://127.0.0.1:{port}/health")
        raise SystemExit(f"port {port} is taken by another server; choose --http-port")
    except OSError:
        pass
    # Its log to a file: a pipe nobody reads fills up and stops the server.
    log = open(args.server_log, "w", encoding="utf-8")
    server = subprocess.Popen([sys.executable, "-c", "import sys; from api.cli import main; sys.exit(main())",
                               "serve", "--host", "127.0.0.1", "--port", str(port)],
                              env=env, stdout=subprocess.DEVNULL, stderr=log)
    base = f"http://127.0.0.1:{port}"
    try:
        _wait_http(base + "/health", server)
        paths = {"who": [f"/who?q={urllib.parse.quote(t)}" for t in TOPICS],
                 "duties": [f"/departments/{urllib.parse.quote(d)}/obligations" for d in DEPARTMENTS]}
        if args.findings:
            paths["findings of one department"] = [f"/findings?department={urllib.parse.quote(DEPARTMENTS[0])}"]
        for name, urls in paths.items():
            try:
                for url in urls:
                    _get(base + url)
            except urllib.error.HTTPError as exc:
                print(f"| {name} | HTTP | refused: {exc.code} {exc.read()[:100]!r} | | | {load_average()} |")
                continue
            runs = max(1, args.runs // len(urls)) if name != "findings of one department" else args.findings_runs
            times = [t for url in urls for t in _timed(lambda u=url: _get(base + u), runs)]
            print(_row(name, times, "HTTP"), flush=True)
    finally:
        server.terminate()
        server.wait(timeout=30)
        log.close()


def _get(url: str) -> None:
    with urllib.request.urlopen(url, timeout=900) as response:
        if response.status != 200:
            raise SystemExit(f"{url}: HTTP {response.status}")
        response.read()


def _wait_http(url: str, server: subprocess.Popen) -> None:
    deadline = time.time() + 120
    while time.time() < deadline:
        if server.poll() is not None:
            raise SystemExit("dutygraph serve exited; see --server-log")
        try:
            _get(url)
            return
        except OSError:
            time.sleep(0.5)
    raise SystemExit("dutygraph serve did not answer /health in 120 s")


def routing(args) -> None:
    """One session and one small read per call, through bolt:// and through neo4j://, interleaved
    (so the machine's other work weighs on both alike), each with a bookmark manager as the store has."""
    import neo4j
    from graph.neo4j_backend import Neo4jBackend
    from queries import vocabulary as vocab
    hostport = args.uri.split("://", 1)[1]
    schemes = ("bolt", "neo4j")
    drivers = {s: connect(f"{s}://{hostport}") for s in schemes}
    backends = {s: Neo4jBackend(d, "neo4j", 600, neo4j.GraphDatabase.bookmark_manager()) for s, d in drivers.items()}
    questions = {"one read session (stats)": (lambda b: vocab.stats(b), args.runs),
                 f"who {TOPICS[0]}": (lambda b: vocab.who(b, TOPICS[0]), max(10, args.runs // 10))}
    print("| driver | what | p50 | p99 | runs | load average |\n|---|---|---|---|---|---|")
    for what, (ask, runs) in questions.items():
        times = {s: [] for s in schemes}
        for s in schemes:
            ask(backends[s])
        for _ in range(runs):
            for s in schemes:
                began = time.perf_counter()
                ask(backends[s])
                times[s].append(time.perf_counter() - began)
        for s in schemes:
            print(f"| {s}:// | {what} | {percentile(times[s], 50) * 1000:.2f} ms "
                  f"| {percentile(times[s], 99) * 1000:.2f} ms | {runs} | {load_average()} |", flush=True)
    for s in schemes:
        firsts = []
        for _ in range(5):
            began = time.perf_counter()
            fresh = connect(f"{s}://{hostport}")     # a new driver: for neo4j:// the routing table fetched anew
            Neo4jBackend(fresh, "neo4j").stats()
            firsts.append(time.perf_counter() - began)
            fresh.close()
        print(f"| {s}:// | a new driver's first read | {statistics.median(firsts) * 1000:.1f} ms (median) | "
              f"{max(firsts) * 1000:.1f} ms (max) | 5 | {load_average()} |")
    for d in drivers.values():
        d.close()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("step", choices=["parse", "load", "add", "queries", "routing"])
    parser.add_argument("--uri", default=os.environ.get("BENCH_NEO4J_URI", "bolt://127.0.0.1:7691"))
    parser.add_argument("--data-dir", default=os.path.join(ROOT, ".neo4j-data"),
                        help="the server's NEO4J_DATA_DIR (its pid and store size)")
    parser.add_argument("--cache", default=DEFAULT_CACHE)
    parser.add_argument("--copies", type=int, default=0, help="bench-corpus copies (7 documents each)")
    parser.add_argument("--seed", type=int, default=2024)
    parser.add_argument("--limit", type=int, default=0, help="parse: the first N law files only")
    parser.add_argument("--batch", type=int, default=50, help="load: files per transaction")
    parser.add_argument("--keep", action="store_true", help="load: add to what is stored (no emptying)")
    parser.add_argument("--progress", action="store_true")
    parser.add_argument("--runs", type=int, default=200)
    parser.add_argument("--findings", action="store_true", help="queries: also one department's findings")
    parser.add_argument("--findings-runs", type=int, default=3)
    parser.add_argument("--http", action="store_true", help="queries: also over HTTP")
    parser.add_argument("--http-port", type=int, default=8714)
    parser.add_argument("--http-only", action="store_true", help="queries: over HTTP only")
    parser.add_argument("--server-log", default="/tmp/dutygraph-bench-serve.log")
    parser.add_argument("--max-rows", type=int, default=0,
                        help="in-process: raise the backend's row bound (graph/neo4j_backend/reads.py MAX_ROWS), "
                             "to time what it refuses at this scale (the findings)")
    args = parser.parse_args(argv)
    if args.max_rows:
        from graph.neo4j_backend import reads
        reads.MAX_ROWS = args.max_rows
    {"parse": parse, "load": load, "add": add, "queries": queries, "routing": routing}[args.step](args)
    return 0


if __name__ == "__main__":
    sys.exit(main())
