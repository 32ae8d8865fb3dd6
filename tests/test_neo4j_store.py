"""The Neo4j store on a real server proves:

* the schema is in place: a uniqueness constraint on `id` for every label, a
  range index for every lookup, and cjk full-text indexes, all online;
* a load writes exactly the nodes, properties and relationships the networkx
  store holds, its created counts are the real ones, and a reload creates nothing;
* a failure in the middle of a document's transaction leaves that document's
  previous version whole;
* delete_document removes everything derived from the document and prunes the
  shared nodes nobody points at any more, exactly as the networkx store does;
* a department name or topic written as Cypher finds nothing and changes nothing;
* connecting with the settings works on a server without auth, a wrong address
  is a StoreError that says what to do, and a read over the timeout is refused.
"""
from __future__ import annotations

import dataclasses

import pytest

from conftest import neo4j_snapshot, nx_snapshot
from graph.errors import DutygraphError, NotFound, QueryError, StoreError
from graph.neo4j_backend import Neo4jStore
from graph.records import graph_rows
from graph.schema import Label
from graph.neo4j_backend import cypher
from queries import vocabulary
from graph.neo4j_backend import Neo4jBackend


def _doc(result, number):
    return next(d for d in result.documents if d.number == number)


def test_every_label_has_a_unique_id_constraint(neo4j_driver):
    rows = neo4j_driver.execute_query(cypher.SHOW_CONSTRAINTS).records
    unique = {(r["labelsOrTypes"][0], tuple(r["properties"])) for r in rows if r["type"] == "UNIQUENESS"}
    assert unique >= {(label.value, ("id",)) for label in Label}


def test_every_lookup_has_an_index_and_text_search_uses_cjk(neo4j_driver):
    ours = {label.value for label in Label}
    rows = [r for r in neo4j_driver.execute_query(cypher.SHOW_INDEXES).records
            if r["labelsOrTypes"] and set(r["labelsOrTypes"]) <= ours]
    assert all(r["state"] == "ONLINE" for r in rows)
    ranged = {(r["labelsOrTypes"][0], r["properties"][0]) for r in rows if r["type"] == "RANGE"}
    assert ranged >= {(label.value, prop) for label, prop in cypher.INDEXES}
    fulltext = {r["name"]: (r["labelsOrTypes"], r["properties"], r["options"]["indexConfig"]["fulltext.analyzer"])
                for r in rows if r["type"] == "FULLTEXT"}
    assert fulltext == {
        cypher.FULLTEXT_PROVISIONS: (["Provision"], ["search_text"], "cjk"),
        cypher.FULLTEXT_DOCUMENTS: (["Document"], ["title"], "cjk"),
        cypher.FULLTEXT_DEPARTMENTS: (["Department"], ["name", "aliases"], "cjk"),
    }


def test_a_fulltext_index_of_an_older_definition_is_made_again(neo4j_store, neo4j_driver, sample_result):
    # An earlier release indexed provisions on text and heading as well: the
    # same name, so IF NOT EXISTS alone would keep it as it was.
    name = cypher.FULLTEXT_PROVISIONS
    neo4j_driver.execute_query(cypher.DROP_INDEX[name])
    neo4j_driver.execute_query(f"CREATE FULLTEXT INDEX {name} FOR (n:Provision) ON EACH [n.text, n.heading]")
    neo4j_store.ensure_schema()
    rows = [r for r in neo4j_driver.execute_query(cypher.SHOW_FULLTEXT).records if r["name"] == name]
    assert [(r["properties"], r["analyzer"]) for r in rows] == [(["search_text"], "cjk")]
    # and it answers: a provision is found by a heading above it (search_text only)
    neo4j_store.write(sample_result)
    hits = neo4j_driver.execute_query(cypher.SEARCH_FULLTEXT, lucene='"以旧换新"', terms=["以旧换新"],
                                      limit=50).records
    assert hits and all("以旧换新" in r["search_text"] for r in hits)


def test_clients_making_the_schema_at_the_same_time_do_not_fail(neo4j_store, neo4j_driver):
    # A server and a load starting together on a new database both create the indexes.
    from concurrent.futures import ThreadPoolExecutor
    for name in ("provision_doc_id", "assignment_doc_id", "target_doc_id"):
        neo4j_driver.execute_query(f"DROP INDEX {name} IF EXISTS")
    with ThreadPoolExecutor(4) as pool:
        list(pool.map(lambda _: neo4j_store.ensure_schema(), range(4)))
    names = {r["name"] for r in neo4j_driver.execute_query(cypher.SHOW_INDEXES).records}
    assert {"provision_doc_id", "assignment_doc_id", "target_doc_id"} <= names


def test_load_writes_what_the_networkx_store_holds_and_reload_creates_nothing(loaded):
    neo_nodes, neo_rels = neo4j_snapshot(loaded.neo_store.driver)
    nx_nodes, nx_rels = nx_snapshot(loaded.nx_store)
    assert (len(neo_nodes), len(neo_rels)) == (len(nx_nodes), len(nx_rels))
    assert neo_nodes == nx_nodes
    assert neo_rels == nx_rels
    # Into an empty database everything is new: the counts are the database's.
    assert loaded.neo_created == {"nodes": len(neo_nodes), "relationships": len(neo_rels)}
    assert loaded.neo_store.write(loaded.result) == {"nodes": 0, "relationships": 0}
    assert neo4j_snapshot(loaded.neo_store.driver) == (neo_nodes, neo_rels)


def test_reload_of_a_changed_document_counts_only_the_new_parts(loaded):
    air = _doc(loaded.result, "双政发〔2024〕6号")
    part = loaded.result.for_document(air.id)
    dropped = part.provisions[-1]
    # The same document without its last provision (and what hangs off it).
    smaller = dataclasses.replace(
        part, provisions=part.provisions[:-1],
        assignments=[a for a in part.assignments if a.provision_id != dropped.id],
        targets=[t for t in part.targets if t.provision_id != dropped.id],
        citations=[c for c in part.citations if c.provision_id != dropped.id],
        service_items=[s for s in part.service_items if s.provision_id != dropped.id],
        implements=[i for i in part.implements if i[0] != dropped.id])
    assert loaded.neo_store.write(smaller) == {"nodes": 0, "relationships": 0}
    # "Created" means: not in the database before this write.
    ids_before, rels_before = neo4j_snapshot(loaded.neo_store.driver)
    nodes, rels = graph_rows(part)
    new_nodes = {n["id"] for n in nodes} - set(ids_before)
    new_rels = {(r["from"], r["type"], r["to"]) for r in rels} - rels_before
    assert dropped.id in new_nodes
    assert loaded.neo_store.write(part) == {"nodes": len(new_nodes), "relationships": len(new_rels)}


def test_a_failure_mid_transaction_leaves_the_previous_version_whole(loaded, monkeypatch):
    air = _doc(loaded.result, "双政发〔2024〕6号")
    part = loaded.result.for_document(air.id)
    before = neo4j_snapshot(loaded.neo_store.driver)
    changed = dataclasses.replace(
        part, provisions=[dataclasses.replace(p, text=p.text + "(修订)") for p in part.provisions],
        assignments=part.assignments[: len(part.assignments) // 2])
    seen_inside = {}

    def fail_after_writes(tx):
        # Prove the failure really comes late: the new version is written, only the prune is left.
        seen_inside["revised"] = tx.run("MATCH (p:Provision {doc_id: $d}) WHERE p.text ENDS WITH '(修订)' "
                                        "RETURN count(p) AS n", d=air.id).single()["n"]
        raise RuntimeError("injected failure after the new version was written")

    monkeypatch.setattr(Neo4jStore, "_prune_orphans", staticmethod(fail_after_writes))
    with pytest.raises(RuntimeError, match="injected"):
        loaded.neo_store.write(changed)
    assert seen_inside["revised"] == len(part.provisions)
    assert neo4j_snapshot(loaded.neo_store.driver) == before

    monkeypatch.undo()
    loaded.neo_store.write(changed)
    revised = loaded.neo_store.driver.execute_query(
        "MATCH (p:Provision {doc_id: $d}) WHERE p.text ENDS WITH '(修订)' RETURN count(p) AS n", d=air.id)
    assert revised.records[0]["n"] == len(part.provisions)


def test_a_load_is_one_transaction_a_bad_last_document_writes_nothing(loaded):
    # Every document of the gazette revised, the last one with a value Neo4j
    # refuses to store (a list of maps): the server's own error, half-way.
    before = neo4j_snapshot(loaded.neo_store.driver)
    last = loaded.result.documents[-1].id
    revised = [dataclasses.replace(p, text=p.text + "(修订)") for p in loaded.result.provisions]
    bad = next(i for i, p in enumerate(revised) if p.doc_id == last)
    revised[bad] = dataclasses.replace(revised[bad], uncertain=[{"not": "storable"}])
    with pytest.raises(StoreError) as failure:
        loaded.neo_store.write(dataclasses.replace(loaded.result, provisions=revised))
    assert loaded.result.source in str(failure.value) and "nothing of this load was written" in str(failure.value)
    assert neo4j_snapshot(loaded.neo_store.driver) == before


def test_delete_document_removes_what_derives_from_it_and_prunes_orphans(loaded):
    mines = _doc(loaded.result, "双政办规〔2024〕2号")
    driver = loaded.neo_store.driver
    owned = {n["id"] for n in graph_rows(loaded.result.for_document(mines.id))[0]
             if n["label"] not in (Label.DEPARTMENT.value, Label.GAZETTE.value, Label.LAW_ARTICLE.value)}
    # Departments that only this document names must go with it.
    by_doc = {}
    for a in loaded.result.assignments:
        if a.department_id:
            by_doc.setdefault(a.department_id, set()).add(a.evidence.doc_id)
    only_here = {dep for dep, docs in by_doc.items() if docs == {mines.id}}
    assert only_here, "the sample should have departments named only by this document"

    assert loaded.neo_store.delete_document(mines.id) is True
    assert loaded.nx_store.delete_document(mines.id) is True
    nodes, rels = neo4j_snapshot(driver)
    assert not owned & set(nodes)
    assert not only_here & set(nodes)
    assert not [n for n, (label, props) in nodes.items() if props.get("doc_id") == mines.id]
    orphans = driver.execute_query("MATCH (n) WHERE (n:Department OR n:LawArticle OR n:Gazette) "
                                   "AND NOT EXISTS { ()-->(n) } RETURN count(n) AS n").records[0]["n"]
    assert orphans == 0
    assert (nodes, rels) == nx_snapshot(loaded.nx_store)
    assert loaded.neo_store.delete_document(mines.id) is False


INJECTIONS = [
    "市生态环境局' OR '1'='1",
    '市生态环境局"}) MATCH (n) DETACH DELETE n //',
    "x}) WITH 1 AS one MATCH (n) DETACH DELETE n RETURN count(*) //",
    "市公安局` RETURN 1 //",
    "$name",
    '*:*',
    '禁烧" OR "*:*',
]


def test_cypher_in_a_name_or_topic_finds_nothing_and_changes_nothing(loaded):
    before = neo4j_snapshot(loaded.neo_store.driver)
    for text in INJECTIONS:
        _try_injection(loaded, text)
    assert neo4j_snapshot(loaded.neo_store.driver) == before


def _try_injection(loaded, text):
    assert loaded.neo.find_department(text) is None, text
    with pytest.raises(NotFound):
        vocabulary.duties(loaded.neo, text)
    terms = [text, text.lower()]
    assert loaded.neo.search_candidates(terms, 50) == loaded.nx.search_candidates(terms, 50)
    if not any("\u4e00" <= ch <= "\u9fff" for ch in text):
        assert loaded.neo.search_candidates(terms, 50) == []
    assert _who_or_refusal(loaded.neo, text) == _who_or_refusal(loaded.nx, text), text


def _who_or_refusal(backend, topic):
    try:
        return vocabulary.who(backend, topic)
    except DutygraphError as exc:  # e.g. a topic with no Chinese: the same refusal on both backends
        return type(exc).__name__, str(exc)


def test_connect_uses_the_settings_and_basic_auth_is_harmless_without_auth(neo4j_driver, neo4j_settings):
    assert neo4j_settings.neo4j_password  # the default "password" goes to a server that ignores it
    store = Neo4jStore.connect(neo4j_settings)
    try:
        assert (store.database, store.timeout) == (neo4j_settings.neo4j_database, neo4j_settings.query_timeout)
        assert Neo4jBackend(store.driver, store.database, store.timeout).count_provisions() == 0
    finally:
        store.close()


def test_an_unreachable_server_is_a_store_error_with_a_hint(neo4j_settings):
    bad = dataclasses.replace(neo4j_settings, neo4j_uri="bolt://127.0.0.1:1")
    with pytest.raises(StoreError, match="scripts/neo4j start"):
        Neo4jStore.connect(bad)


def test_a_read_over_the_timeout_is_refused(neo4j_driver):
    slow = Neo4jBackend(neo4j_driver, timeout=0.2)
    with pytest.raises(QueryError, match="DUTYGRAPH_QUERY_TIMEOUT"):
        # A statement that takes seconds; only the timeout can stop it this early.
        slow._run("UNWIND range(1, 300000000) AS x WITH x WHERE x = -1 RETURN count(x) AS n")
