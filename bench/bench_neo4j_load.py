"""Benchmark loading into Neo4j: batched UNWIND writes against one statement per row,
with and without the constraints, and a re-load of unchanged data; prints a Markdown section.

    python bench/bench_neo4j_load.py                          # sample, 10-copy subset, 100-copy corpus
    python bench/bench_neo4j_load.py --copies 20 --subset 3   # a quicker run

The database at --uri (BENCH_NEO4J_URI, default bolt://127.0.0.1:7691) is
emptied between runs: use a server of its own (see bench/common.py).

Batched is the store itself, `Neo4jStore.write`: per file (one LoadResult) one
managed transaction that deletes its documents' previous version, writes their
nodes with one `UNWIND $rows … MERGE` statement per label, each row carrying
its relationships to the other nodes of the load, and prunes orphans.
Per-document is the same store given one document at a time
(`write(result.for_document(id))`): one transaction and one set of statements
per document, to show what the transaction per file adds.  Per-row writes the
same rows with the plain statements (graph/neo4j_backend/cypher.py MERGE_NODES /
MERGE_RELATIONSHIPS) given a one-row list, each in its own auto-commit
transaction: the way a loader that sends one statement per node and per
relationship behaves.  All start from an empty database.
"""
from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from collections import defaultdict

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, ROOT)

from bench.common import (DEFAULT_URI, connect, drop_schema, empty, load_average,  # noqa: E402
                          machine_facts, parse_corpus, parse_sample, row_count, schema_size)
from graph.errors import StoreError  # noqa: E402
from graph.model import LoadResult  # noqa: E402
from graph.neo4j_backend import Neo4jStore  # noqa: E402
from graph.records import graph_rows  # noqa: E402
from graph.schema import Label  # noqa: E402
from graph.neo4j_backend import cypher  # noqa: E402


class PerRowWriter:
    """The same rows and MERGE statements as Neo4jStore, one auto-commit statement per row."""

    def __init__(self, store: Neo4jStore):
        self.store = store

    def write(self, result: LoadResult) -> dict:
        created = {"nodes": 0, "relationships": 0}
        with self.store.driver.session(database=self.store.database) as session:
            for doc in result.documents:
                nodes, rels = graph_rows(result.for_document(doc.id))
                label_of = {n["id"]: n["label"] for n in nodes}
                for node in nodes:
                    summary = session.run(cypher.MERGE_NODES[Label(node["label"])],
                                          rows=[{"id": node["id"], "props": node["props"]}]).consume()
                    created["nodes"] += summary.counters.nodes_created
                for rel in rels:
                    key = (rel["type"], label_of.get(rel["from"]), label_of.get(rel["to"]))
                    if key not in cypher.MERGE_RELATIONSHIPS:
                        raise StoreError(f"relationship {key} is not in the schema; a loader bug")
                    summary = session.run(cypher.MERGE_RELATIONSHIPS[key],
                                          rows=[{"from": rel["from"], "to": rel["to"],
                                                 "props": rel["props"]}]).consume()
                    created["relationships"] += summary.counters.relationships_created
        return created


class PerDocumentWriter:
    """The store itself, one document (one transaction) at a time."""

    def __init__(self, store: Neo4jStore):
        self.store = store

    def write(self, result: LoadResult) -> dict:
        created = defaultdict(int)
        for doc in result.documents:
            for key, n in self.store.write(result.for_document(doc.id)).items():
                created[key] += n
        return dict(created)


def timed_write(writer, results: list[LoadResult]) -> tuple[float, dict]:
    created = defaultdict(int)
    began = time.perf_counter()
    for result in results:
        for key, n in writer.write(result).items():
            created[key] += n
    return time.perf_counter() - began, dict(created)


def compare(store: Neo4jStore, results: list[LoadResult], repeat: int) -> dict:
    """Batched and per-document `repeat` times each (medians count), per-row once; each on an emptied database.

    Other work on a 2-core machine shows up as outliers of a second or so; the
    batched loads are short enough to feel them, so they are repeated.  The
    per-row load runs for minutes and averages them out.  The database is left empty.
    """
    out = {"rows": sum(row_count(results))}
    created = {}
    for name, writer, times in (("batched", store, repeat), ("per_document", PerDocumentWriter(store), repeat),
                                ("per_row", PerRowWriter(store), 1)):
        out[name + "_all"] = []
        for _ in range(times):
            empty(store)
            seconds, created[name] = timed_write(writer, results)
            out[name + "_all"].append(seconds)
        out[name] = statistics.median(out[name + "_all"])
    if len({tuple(sorted(c.items())) for c in created.values()}) != 1:
        raise StoreError(f"the writers do not write the same graph: they created {created}")
    out["batched_created"] = created["batched"]
    empty(store)
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--uri", default=DEFAULT_URI)
    parser.add_argument("--copies", type=int, default=100, help="size of the big corpus, in copies of the sample")
    parser.add_argument("--subset", type=int, default=10, help="copies in the subset loaded per-row too")
    parser.add_argument("--seed", type=int, default=2024)
    parser.add_argument("--repeat", type=int, default=3, help="batched loads per measurement (median)")
    args = parser.parse_args(argv)

    driver = connect(args.uri)
    store = Neo4jStore(driver, timeout=600)
    load_before = load_average()
    try:
        store.ensure_schema()
        sample, sample_parse = parse_sample()
        corpus, corpus_parse = parse_corpus(args.copies, args.seed)
        subset = corpus[:args.subset]
        print(f"parsed: sample {sample_parse:.1f}s, {args.copies} copies {corpus_parse:.1f}s", file=sys.stderr)

        # Warm the server (JIT, page cache, query plans) so the first measurement is not the cold one.
        compare(store, [sample], 1)
        runs = {}
        print("with constraints …", file=sys.stderr)
        runs["sample", "with"] = compare(store, [sample], args.repeat)
        runs["subset", "with"] = compare(store, subset, args.repeat)

        print("the whole corpus, batched, and its re-load …", file=sys.stderr)
        empty(store)
        big = {"rows": sum(row_count(corpus))}
        big["batched"], big["batched_created"] = timed_write(store, corpus)
        big["reload"], big["reload_created"] = timed_write(store, corpus)
        empty(store)
        sample_reload = {}
        store.write(sample)
        sample_reload["seconds"], sample_reload["created"] = timed_write(store, [sample])
        empty(store)

        print("without constraints …", file=sys.stderr)
        schema_before = schema_size(store)
        try:
            drop_schema(store)
            schema_without = schema_size(store)
            # A warm-up again: dropping the schema threw away the cached query plans.
            compare(store, [sample], 1)
            runs["sample", "without"] = compare(store, [sample], args.repeat)
            # once: without the indexes each of these loads runs for minutes, which averages out the noise
            runs["subset", "without"] = compare(store, subset, 1)
        finally:
            store.ensure_schema()
        if schema_size(store) != schema_before:
            raise StoreError(f"the schema was not restored: {schema_size(store)} != {schema_before}")

        loads = (load_before, load_average())
        _report(args, driver, sample, corpus, subset, corpus_parse, runs, big, sample_reload,
                schema_before, schema_without, loads)
    finally:
        driver.close()
    return 0


def _report(args, driver, sample, corpus, subset, corpus_parse, runs, big, sample_reload,
            schema_before, schema_without, loads) -> None:
    docs = lambda results: sum(len(r.documents) for r in results)  # noqa: E731
    provisions = lambda results: sum(len(r.provisions) for r in results)  # noqa: E731
    data = {"sample": f"sample ({docs([sample])} docs, {provisions([sample]):,} provisions)",
            "subset": f"{len(subset)} copies ({docs(subset)} docs, {provisions(subset):,} provisions)"}
    print("## Loading into Neo4j\n")
    print(f"`python bench/bench_neo4j_load.py --copies {args.copies} --subset {args.subset} --seed {args.seed} "
          f"--repeat {args.repeat}` — "
          f"{time.strftime('%Y-%m-%d')}, {machine_facts(driver)}. The corpus is bench/corpus.py: {args.copies} "
          f"varied copies of the sample gazette ({docs(corpus)} documents, {provisions(corpus):,} provisions, "
          f"parsed in {corpus_parse:.0f} s, not counted below). Rows = nodes + relationships as graph_rows "
          f"gives them per document. Every run starts from an empty database. Load average (1 min) "
          f"at the start and the end: {loads[0]} and {loads[1]}.\n")
    print("### Batched against one statement per row\n")
    print(f"Batched (one transaction per file) and per-document (one per document): median of {args.repeat} "
          f"loads each (all of them in brackets); per-row: one load.\n")
    print("| data | constraints | rows | batched s | batched rows/s | per-document s | per-row s | per-row rows/s | "
          "per-row ÷ batched | per-row ÷ per-document |")
    print("|---|---|---:|---:|---:|---:|---:|---:|---:|---:|")
    for (name, schema), r in runs.items():
        every = lambda key: ", ".join(f"{s:.2f}" for s in r[key + "_all"])  # noqa: E731
        print(f"| {data[name]} | {schema} | {r['rows']:,} | {r['batched']:.2f} ({every('batched')}) | "
              f"{r['rows'] / r['batched']:,.0f} | {r['per_document']:.2f} ({every('per_document')}) | "
              f"{r['per_row']:.2f} | {r['rows'] / r['per_row']:,.0f} | **{r['per_row'] / r['batched']:.1f}×** | "
              f"{r['per_row'] / r['per_document']:.1f}× |")
    print(f"| whole corpus ({docs(corpus)} docs, {provisions(corpus):,} provisions) | with | {big['rows']:,} | "
          f"{big['batched']:.2f} (once) | {big['rows'] / big['batched']:,.0f} | — | — | — | — | — |")
    print()
    print(f"\"with\": the {schema_before[0]} uniqueness constraints and {schema_before[1]} other indexes of "
          f"`Neo4jStore.ensure_schema`; \"without\": all of them dropped ({schema_without[0]} constraints, "
          f"{schema_without[1]} indexes left besides Neo4j's token lookups), then restored.\n")
    print("| data | batched without ÷ with | per-row without ÷ with |")
    print("|---|---:|---:|")
    for name in ("sample", "subset"):
        w, wo = runs[name, "with"], runs[name, "without"]
        print(f"| {data[name]} | {wo['batched'] / w['batched']:.2f} | {wo['per_row'] / w['per_row']:.2f} |")
    print()
    print("### Re-loading unchanged data\n")
    print("| data | seconds | created nodes | created relationships | first load created |")
    print("|---|---:|---:|---:|---:|")
    print(f"| {data['sample']} | {sample_reload['seconds']:.2f} | {sample_reload['created']['nodes']} | "
          f"{sample_reload['created']['relationships']} | {_counts(runs['sample', 'with']['batched_created'])} |")
    print(f"| whole corpus | {big['reload']:.2f} | {big['reload_created']['nodes']} | "
          f"{big['reload_created']['relationships']} | {_counts(big['batched_created'])} |")
    print()
    print("The whole corpus is not loaded without constraints: without the id constraints every MERGE "
          "scans its label, so the time grows with the square of the data (compare the sample and subset "
          "rows/s above).\n")


def _counts(created: dict) -> str:
    return f"{created['nodes']:,} nodes, {created['relationships']:,} relationships"


if __name__ == "__main__":
    sys.exit(main())
