"""What the Neo4j benchmarks share: machine facts, percentiles, parsing the corpus, emptying a database.

The benchmarks empty the database they are given.  Point them at a server of
their own, never at the one the tests use:

    NEO4J_DATA_DIR=/tmp/bench-neo4j NEO4J_BOLT_PORT=7691 NEO4J_HTTP_PORT=7475 scripts/neo4j start
    ... python bench/bench_neo4j_load.py  (BENCH_NEO4J_URI, default bolt://127.0.0.1:7691)
    NEO4J_DATA_DIR=/tmp/bench-neo4j scripts/neo4j stop

    >>> percentile([0.004, 0.001, 0.002, 0.003], 50)
    0.003
"""
from __future__ import annotations

import os
import platform
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
if ROOT not in sys.path:
    sys.path.insert(0, ROOT)

import neo4j  # noqa: E402

from graph.errors import StoreError  # noqa: E402
from graph.model import LoadResult  # noqa: E402
from graph.neo4j_backend import Neo4jStore  # noqa: E402
from loaders.pipeline import load_text  # noqa: E402
from graph.neo4j_backend import cypher  # noqa: E402
from queries import vocabulary as vocab  # noqa: E402
from graph.neo4j_backend import Neo4jBackend  # noqa: E402

DEFAULT_URI = os.environ.get("BENCH_NEO4J_URI", "bolt://127.0.0.1:7691")
SAMPLE_NAME = "shuangyashan-gazette-2024-05.txt"

# Benchmark-only administration: dropping the schema for the "without
# constraints" run.  The application never drops its schema, so these stay
# here rather than in graph/neo4j_backend/cypher.py; names travel as parameters.
DROP_CONSTRAINT = "DROP CONSTRAINT $name IF EXISTS"
DROP_INDEX = "DROP INDEX $name IF EXISTS"


def median_seconds(fn, runs: int) -> float:
    """The median wall-clock time of fn() over `runs` calls."""
    import statistics
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def percentile(values: list[float], p: float) -> float:
    """Nearest-rank percentile, the same rule as bench/bench_api.py."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(len(ordered) * p / 100))]


def machine_facts(driver: neo4j.Driver | None = None) -> str:
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    model = platform.processor() or platform.machine()
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as handle:
            model = next(line.split(":", 1)[1].strip() for line in handle if line.startswith("model name"))
    except (OSError, StopIteration):
        pass
    memory = ""
    try:
        with open("/proc/meminfo", encoding="utf-8") as handle:
            kib = int(next(line.split()[1] for line in handle if line.startswith("MemTotal")))
        memory = f", {kib / 1024 / 1024:.0f} GiB RAM"
    except (OSError, StopIteration, ValueError):
        pass
    facts = f"{cores} cores ({model}){memory}, Python {platform.python_version()}"
    if driver is not None:
        facts += f", {driver.get_server_info().agent} (heap {os.environ.get('NEO4J_HEAP', '768m')} unless set otherwise)"
    return facts + "; the benchmark client and the server share these cores"


def load_average() -> str:
    """The 1-minute load average now: other work on the machine shows up in it (2 cores: 2.0 is full)."""
    try:
        with open("/proc/loadavg", encoding="utf-8") as handle:
            return handle.read().split()[0]
    except OSError:
        return "unknown"


def parse_sample() -> tuple[LoadResult, float]:
    from bench.corpus import sample_text
    began = time.perf_counter()
    result = load_text(sample_text(), SAMPLE_NAME)
    return result, time.perf_counter() - began


def parse_corpus(copies: int, seed: int) -> tuple[list[LoadResult], float]:
    """The varied copies of bench/corpus.py, parsed; and the seconds parsing took."""
    from bench.corpus import make_corpus, sample_text
    began = time.perf_counter()
    results = [load_text(text, name) for name, text in make_corpus(sample_text(), copies, seed)]
    return results, time.perf_counter() - began


def row_count(results: list[LoadResult]) -> tuple[int, int]:
    """Node and relationship rows the stores write for these results (graph_rows per document)."""
    from graph.records import graph_rows
    nodes = rels = 0
    for result in results:
        for doc in result.documents:
            n, r = graph_rows(result.for_document(doc.id))
            nodes += len(n)
            rels += len(r)
    return nodes, rels


def connect(uri: str) -> neo4j.Driver:
    # The DOCUMENTS statement names properties an empty database has never seen:
    # the server's warnings about that are noise here.
    driver = neo4j.GraphDatabase.driver(uri, auth=None, notifications_min_severity="OFF")
    try:
        driver.verify_connectivity()
    except (neo4j.exceptions.DriverError, neo4j.exceptions.Neo4jError, OSError) as exc:
        driver.close()
        raise SystemExit(f"no Neo4j at {uri} ({exc}); start a benchmark server: NEO4J_DATA_DIR=/tmp/bench-neo4j "
                         f"NEO4J_BOLT_PORT=7691 NEO4J_HTTP_PORT=7475 scripts/neo4j start && "
                         f"NEO4J_BOLT_PORT=7691 NEO4J_DATA_DIR=/tmp/bench-neo4j scripts/neo4j wait") from None
    return driver


def empty(store: Neo4jStore) -> None:
    """Delete every document through the store (its own statements), then check nothing is left."""
    backend = Neo4jBackend(store.driver, store.database, timeout=600)
    for doc in vocab.documents(backend):
        store.delete_document(doc["id"])
    store.write_findings([], [])          # findings a load through the service may have left
    left = {label: n for label, n in vocab.stats(backend).items() if n}
    if left:
        raise StoreError(f"the benchmark database is not empty after deleting every document: {left}")


def drop_schema(store: Neo4jStore) -> list[str]:
    """Drop dutygraph's constraints and indexes (not Neo4j's own token lookup indexes); returns their names."""
    dropped = []
    with store.driver.session(database=store.database) as session:
        for record in list(session.run(cypher.SHOW_CONSTRAINTS)):
            session.run(DROP_CONSTRAINT, name=record["name"]).consume()
            dropped.append(record["name"])
        for record in list(session.run(cypher.SHOW_INDEXES)):
            if record["type"] != "LOOKUP":
                session.run(DROP_INDEX, name=record["name"]).consume()
                dropped.append(record["name"])
    return dropped


def schema_size(store: Neo4jStore) -> tuple[int, int]:
    """(constraints, indexes other than the token lookups) now in the database."""
    with store.driver.session(database=store.database) as session:
        constraints = len(list(session.run(cypher.SHOW_CONSTRAINTS)))
        indexes = sum(1 for r in session.run(cypher.SHOW_INDEXES) if r["type"] != "LOOKUP")
    return constraints, indexes
