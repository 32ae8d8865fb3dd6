"""PROFILE every read statement of graph/neo4j_backend/cypher.py on the store at --uri; total db hits and rows.

The parameters are the ones the vocabulary sends for real questions on that store (a topic's
bigrams, the top provisions of `who`, a department with duties, a document, …), found first
with ordinary reads.  Prints a Markdown table for BENCHMARKS.md: per statement the plan's
total db hits (summed over its operators), the rows it returns, the operators that touch
every node of a label (NodeByLabelScan, AllNodesScan), and the wall time of the profiled run.

    python bench/profile_neo4j_queries.py --uri bolt://127.0.0.1:7714
    python bench/profile_neo4j_queries.py --uri … --plan DEPARTMENT_DUTIES   # one plan, operator by operator

Read-only: it changes nothing in the database.
"""
from __future__ import annotations

import argparse
import os
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
if ROOT not in sys.path:
    sys.path.insert(0, ROOT)

from bench.common import connect, load_average  # noqa: E402
from graph.neo4j_backend import Neo4jBackend, cypher  # noqa: E402
from graph.neo4j_backend.reads import MAX_ROWS, _NO_GAP_KINDS, _lucene_phrase  # noqa: E402
from queries import vocabulary as vocab  # noqa: E402
from queries.ranking import bigrams  # noqa: E402
from queries.synonyms import expand  # noqa: E402

TOPIC = "噪声"
COMMON_TOPIC = "监督管理"      # bigrams that match tens of thousands of provisions once the laws are loaded
SCAN_TOPIC = "PM2.5"           # an ASCII word: the scan statement
DEPARTMENT = "市生态环境局"
# The operators that read every node of a label or of the graph.
SCANS = ("NodeByLabelScan", "AllNodesScan")


def _walk(plan: dict):
    yield plan
    for child in plan.get("children", []):
        yield from _walk(child)


def _plan_facts(plan: dict) -> tuple[int, list[str]]:
    ops = list(_walk(plan))
    hits = sum(op.get("dbHits", 0) for op in ops)
    scans = [f"{op['operatorType'].split('@')[0]}({op.get('args', {}).get('Details', '')})"
             for op in ops if op["operatorType"].split("@")[0] in SCANS]
    return hits, scans


def _find(name: str) -> dict:
    return {"name": name, "phrase": _lucene_phrase(name)}


def questions(backend: Neo4jBackend) -> dict[str, tuple[str, dict]]:
    """name -> (statement, parameters) for every read statement, with parameters of real questions."""
    terms = bigrams(expand(TOPIC))
    top = [a["provision_id"] for a in vocab.who(backend, TOPIC)]
    found = backend.find_department(DEPARTMENT)
    dept = {"id": found.id if found else ""}
    doc_ids = sorted({r.doc_id for r in backend.department_duties(dept["id"])}) if dept["id"] else []
    docs = vocab.documents(backend)
    law_docs = [d["id"] for d in docs if d["kind"]][:20]
    doc_id = doc_ids[0] if doc_ids else (docs[0]["id"] if docs else "")
    limit = MAX_ROWS + 1
    common_terms = bigrams(expand(COMMON_TOPIC))
    common = {"lucene": " OR ".join(_lucene_phrase(t) for t in common_terms), "terms": common_terms, "limit": 5000}
    search = {"lucene": " OR ".join(_lucene_phrase(t) for t in terms), "terms": terms, "limit": 5000}
    return {
        "COUNT_PROVISIONS": (cypher.COUNT_PROVISIONS, {}),
        f"SEARCH_FULLTEXT ({TOPIC})": (cypher.SEARCH_FULLTEXT, search),
        f"SEARCH_FULLTEXT ({COMMON_TOPIC})": (cypher.SEARCH_FULLTEXT, common),
        f"SEARCH_SCAN ({SCAN_TOPIC})": (cypher.SEARCH_SCAN, {"terms": bigrams(SCAN_TOPIC), "limit": 5000}),
        "HOLDERS (who's top 10)": (cypher.HOLDERS, {"ids": top, "limit": limit}),
        f"FIND_DEPARTMENT ({DEPARTMENT})": (cypher.FIND_DEPARTMENT, _find(DEPARTMENT)),
        "FIND_DEPARTMENT (an alias: 市环保局)": (cypher.FIND_DEPARTMENT, _find("市环保局")),
        f"DEPARTMENT_DUTIES ({DEPARTMENT})": (cypher.DEPARTMENT_DUTIES, {"dept_id": dept["id"], "limit": limit}),
        "TARGETS (a department's duties)": (cypher.TARGETS, {"ids": top, "limit": limit}),
        "PROVISION (one)": (cypher.PROVISION, {"id": top[0] if top else ""}),
        "DOCUMENT_PROVISIONS (one document)": (cypher.DOCUMENT_PROVISIONS, {"doc_id": doc_id, "limit": limit}),
        "DOCUMENT_ASSIGNMENT_ROWS (20 laws)": (cypher.DOCUMENT_ASSIGNMENT_ROWS, {"doc_ids": law_docs, "limit": limit}),
        "DOCUMENTS": (cypher.DOCUMENTS, {"limit": limit}),
        "DEPARTMENTS": (cypher.DEPARTMENTS, {"limit": limit}),
        "STATS": (cypher.STATS, {}),
        "PLACE_DEPARTMENTS": (cypher.PLACE_DEPARTMENTS, {"limit": limit}),
        "IMPLEMENTATIONS": (cypher.IMPLEMENTATIONS, {"limit": limit}),
        "LAW_ARTICLES": (cypher.LAW_ARTICLES, {"limit": limit}),
        "SERVICE_ITEMS": (cypher.SERVICE_ITEMS, {"limit": limit}),
        "ALL_TARGETS": (cypher.ALL_TARGETS, {"limit": limit}),
        "ASSIGNMENT_ROWS (the export)": (cypher.ASSIGNMENT_ROWS, {"limit": limit}),
        "GAP_PROVISIONS (the export)": (cypher.GAP_PROVISIONS, {"skip_kinds": _NO_GAP_KINDS, "limit": limit}),
    }


def profile(session, statement: str, params: dict) -> tuple[int, int, list[str], float, dict]:
    began = time.perf_counter()
    result = session.run("PROFILE " + statement, **params)
    rows = len(list(result))
    plan = result.consume().profile
    seconds = time.perf_counter() - began
    hits, scans = _plan_facts(plan)
    return hits, rows, scans, seconds, plan


def _print_plan(plan: dict, depth: int = 0) -> None:
    details = plan.get("args", {}).get("Details", "")
    print(f"{'  ' * depth}{plan['operatorType']}  rows={plan.get('rows')} dbHits={plan.get('dbHits')}  "
          f"{details[:140]}")
    for child in plan.get("children", []):
        _print_plan(child, depth + 1)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--uri", default=os.environ.get("BENCH_NEO4J_URI", "bolt://127.0.0.1:7691"))
    parser.add_argument("--plan", default="", help="print the plan of the statements whose name starts so")
    parser.add_argument("--only", default="", help="profile only the statements whose name starts so")
    args = parser.parse_args(argv)
    driver = connect(args.uri)
    backend = Neo4jBackend(driver, "neo4j", timeout=600)
    stats = vocab.stats(backend)
    print(f"Store: {stats['Document']:,} documents, {stats['Provision']:,} provisions, "
          f"{stats['Assignment']:,} assignments, {stats['Department']:,} departments; "
          f"load average {load_average()}\n")
    print("| statement | db hits | rows | scans of a label | ms |\n|---|---:|---:|---|---:|")
    with driver.session(database="neo4j") as session:
        for name, (statement, params) in questions(backend).items():
            if args.only and not name.startswith(args.only):
                continue
            session.run(statement, **params).consume()          # planned and cached first
            hits, rows, scans, seconds, plan = profile(session, statement, params)
            print(f"| {name} | {hits:,} | {rows:,} | {', '.join(scans) or '—'} | {seconds * 1000:.0f} |", flush=True)
            if args.plan and name.startswith(args.plan):
                _print_plan(plan)
    driver.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
