"""Benchmark the query vocabulary: p50/p99 latency of `who` and `duties` on networkx and on Neo4j,
over the same data; prints a Markdown section.

    python bench/bench_queries.py                 # the sample gazette
    python bench/bench_queries.py --copies 10     # the sample and 10 varied copies (bench/corpus.py)

`who` is asked the first 40 questions of tests/data/topics.yaml, `duties` every
department of the graph, each `--rounds` times after one unmeasured round.
The calls are the library's (queries/vocabulary.py), in this process: no HTTP
(bench/bench_api.py measures that).  The database at --uri (BENCH_NEO4J_URI,
default bolt://127.0.0.1:7691) is emptied first: use a server of its own.
"""
from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time

import yaml

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, ROOT)

from bench.common import (DEFAULT_URI, connect, empty, load_average, machine_facts,  # noqa: E402
                          parse_corpus, parse_sample, percentile)
from graph.neo4j_backend import Neo4jStore  # noqa: E402
from graph.networkx_backend import NetworkxStore  # noqa: E402
from queries import vocabulary as vocab  # noqa: E402
from graph.neo4j_backend import Neo4jBackend  # noqa: E402
from graph.networkx_backend import NetworkxBackend  # noqa: E402

TOPICS_FILE = os.path.join(ROOT, "tests", "data", "topics.yaml")
TOPIC_COUNT = 40


def topics() -> list[str]:
    with open(TOPICS_FILE, encoding="utf-8") as handle:
        return [t["q"] for t in yaml.safe_load(handle)["topics"]][:TOPIC_COUNT]


def measure(call, arguments: list, rounds: int) -> list[float]:
    """Seconds per call: one unmeasured round (plans, caches), then `rounds` measured ones."""
    for argument in arguments:
        call(argument)
    latencies = []
    for _ in range(rounds):
        for argument in arguments:
            began = time.perf_counter()
            call(argument)
            latencies.append(time.perf_counter() - began)
    return latencies


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--uri", default=DEFAULT_URI)
    parser.add_argument("--copies", type=int, default=0, help="varied copies loaded besides the sample")
    parser.add_argument("--seed", type=int, default=2024)
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args(argv)

    sample, _ = parse_sample()
    results = [sample] + (parse_corpus(args.copies, args.seed)[0] if args.copies else [])
    driver = connect(args.uri)
    try:
        store = Neo4jStore(driver, timeout=600)
        store.ensure_schema()
        empty(store)
        with tempfile.TemporaryDirectory() as tmp:
            nx_store = NetworkxStore(os.path.join(tmp, "store.json"))
            for result in results:
                nx_store.write(result)
                store.write(result)
            backends = {"networkx": NetworkxBackend(nx_store.graph), "neo4j": Neo4jBackend(driver, "neo4j")}
            questions = topics()
            departments = [d["name"] for d in vocab.departments(backends["networkx"])]
            agree = _agreement(backends, questions, departments)
            rows = []
            loads = [load_average()]
            for name, backend in backends.items():
                who = measure(lambda t: vocab.who(backend, t, limit=10), questions, args.rounds)
                duties = measure(lambda d: vocab.duties(backend, d), departments, args.rounds)
                rows.append((f"who(topic, limit=10) × {len(questions)} topics", name, who))
                rows.append((f"duties(department) × {len(departments)} departments", name, duties))
            loads.append(load_average())
            stats = vocab.stats(backends["neo4j"])
        empty(store)
        _report(args, driver, results, stats, rows, agree, loads)
    finally:
        driver.close()
    return 0


def _agreement(backends, questions, departments) -> str:
    """How many answers are the same on both backends (the differential test proves it on the sample)."""
    nx, neo = backends["networkx"], backends["neo4j"]
    same_who = sum(vocab.who(nx, t, limit=10) == vocab.who(neo, t, limit=10) for t in questions)
    same_duties = sum(vocab.duties(nx, d) == vocab.duties(neo, d) for d in departments)
    return (f"{same_who}/{len(questions)} `who` answers and {same_duties}/{len(departments)} `duties` "
            f"answers are identical on the two backends")


def _report(args, driver, results, stats, rows, agree, loads) -> None:
    data = "the sample gazette" + (f" and {args.copies} varied copies (bench/corpus.py, seed {args.seed})"
                                    if args.copies else "")
    command = "python bench/bench_queries.py" + (f" --copies {args.copies}" if args.copies else "")
    print(f"## Query latency: who and duties, networkx and Neo4j ({len(results)}× the sample)\n")
    print(f"`{command} --rounds {args.rounds}` — {time.strftime('%Y-%m-%d')}, {machine_facts(driver)}. "
          f"Data: {data}, {stats['Document']:,} documents, {stats['Provision']:,} provisions, "
          f"{stats['Assignment']:,} assignments, {stats['Department']:,} departments, the same on both backends. "
          f"Calls through queries/vocabulary.py in one process, one at a time; {args.rounds} measured rounds "
          f"after one warm-up round. {agree}. Load average (1 min) before and after the measurements: "
          f"{loads[0]} and {loads[1]}.\n")
    print("| query | backend | calls | p50 ms | p99 ms | mean ms |")
    print("|---|---|---:|---:|---:|---:|")
    for query, backend, latencies in rows:
        print(f"| `{query}` | {backend} | {len(latencies)} | {percentile(latencies, 50) * 1000:.1f} | "
              f"{percentile(latencies, 99) * 1000:.1f} | {statistics.fmean(latencies) * 1000:.1f} |")
    print()


if __name__ == "__main__":
    sys.exit(main())
