"""The law questions on every backend (issue 13, part 5): networkx, SQLite and Neo4j give the same
answers for every law query, on the bundled gazette with the noise law and another place's plan
loaded, and store the same law findings."""
from __future__ import annotations

import os
import re

import pytest

from conftest import load_both, neo4j_snapshot, nx_snapshot
from graph.networkx_backend import NetworkxStore
from loaders.pipeline import load_text
from queries import law_coverage, law_findings, law_queries
from queries.findings import findings, persist_findings
from graph.neo4j_backend import Neo4jBackend
from graph.networkx_backend import NetworkxBackend
from graph.sqlite_backend import SqliteStore
from test_differential import same

HERE = os.path.dirname(os.path.abspath(__file__))
FILES = [os.path.join(HERE, "..", "ontology", "samples", "shuangyashan-gazette-2024-05.txt"),
         os.path.join(HERE, "..", "ontology", "laws", "zh-noise-pollution-prevention-law-2021.md"),
         os.path.join(HERE, "data", "law-citing-plan.txt")]
LAW = "噪声污染防治法"


class Both:
    def __init__(self, nx_store, neo_store, sqlite_store):
        self.nx_store, self.neo_store, self.sqlite_store = nx_store, neo_store, sqlite_store
        self.nx = NetworkxBackend(nx_store.graph)
        self.neo = Neo4jBackend(neo_store.driver, neo_store.database, neo_store.timeout)

    @property
    def sqlite(self):
        return self.sqlite_store.reads()


@pytest.fixture
def both(neo4j_store, tmp_path) -> Both:
    nx_store = NetworkxStore(str(tmp_path / "store.json"))
    sqlite_store = SqliteStore(str(tmp_path / "store.sqlite"))
    for path in FILES:
        with open(path, encoding="utf-8") as handle:
            load_both(load_text(handle.read(), os.path.basename(path)), nx_store, neo4j_store, sqlite_store)
    yield Both(nx_store, neo4j_store, sqlite_store)
    sqlite_store.close()


def test_the_law_primitives_agree(both):
    links = same(both, lambda b: b.implementations())
    assert len(links) == 13 + 3          # the gazette's table rows and the plan's three citations
    law = law_coverage.find_law(both.nx, LAW)
    rows = same(both, lambda b: b.document_assignment_rows([law["id"]]))
    assert rows and {r.doc_id for r in rows} == {law["id"]}
    places = same(both, lambda b: b.place_departments())
    assert {"黑龙江省双鸭山市", "吉林省白山市临江市"} <= {r.doc_place for r in places}


def test_every_law_question_agrees(both):
    assert same(both, law_queries.list_laws)[0]["implemented_by"] == 16
    for place in (None, "双鸭山市", "临江市", "上海市静安区"):
        cover = same(both, law_queries.law_coverage, LAW, place)
        unheld = same(both, law_queries.unheld_duties, LAW, place)
        assert "places" in cover and "places" in unheld
        for article in ("第四十三条", "第七十二条", "第七十二条第二款", "第八十条", "第九百条"):
            same(both, law_queries.article_holders, LAW, article, place)
    for name in ("市城管局", "城管部门", "市生态环境局", "临江市公安局", "市住房城乡建设局", "不存在的局"):
        same(both, law_queries.articles_of_department, name)
    for bad in ("", "不存在的法"):
        assert "refused" in same(both, law_queries.law_coverage, bad)


def test_law_findings_agree_and_are_stored_alike(both):
    answer = same(both, findings, today="2025-01-01", types=list(law_findings.TYPES))
    assert {f["type"] for f in answer} == set(law_findings.TYPES)
    persist_findings(both.nx_store)
    persist_findings(both.neo_store)
    persist_findings(both.sqlite_store)
    both.sqlite_store.save()
    pick = lambda nodes: {k: v for k, v in nodes.items() if v[0] == "Finding" and v[1]["type"] in law_findings.TYPES}
    nx_nodes, _ = nx_snapshot(both.nx_store)
    neo_nodes, _ = neo4j_snapshot(both.neo_store.driver, both.neo_store.database)
    sq_nodes, _ = nx_snapshot(both.sqlite_store)
    assert pick(nx_nodes) == pick(neo_nodes) == pick(sq_nodes) and len(pick(nx_nodes)) == len(answer)


def test_the_law_questions_use_only_primitives_both_backends_offer():
    used = set()
    for module in (law_queries, law_coverage):
        with open(module.__file__, encoding="utf-8") as handle:
            used |= set(re.findall(r"backend\.(\w+)\(", handle.read()))
    assert {"implementations", "document_assignment_rows", "place_departments"} <= used
    offered = lambda cls: {n for n in dir(cls) if not n.startswith("_")}
    assert used <= offered(NetworkxBackend) and used <= offered(Neo4jBackend)
