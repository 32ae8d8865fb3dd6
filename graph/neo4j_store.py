"""The Neo4j store: each document replaced whole in one write transaction.

Writes the rows of graph/records.py `graph_rows`, the same rows the embedded
store writes, with batched `UNWIND … MERGE` statements from queries/cypher.py.
One managed transaction per document deletes what the document owned and
writes its new version, so a failure part-way leaves the previous version
whole, and a retry by the driver (MERGE, SET +=) changes nothing twice.

    store = Neo4jStore.connect(load_settings(backend="neo4j"))
    store.write(load_text(text, "gazette.txt"))   # -> {"nodes": 919, "relationships": 1416}
    store.write(load_text(text, "gazette.txt"))   # -> {"nodes": 0, "relationships": 0}
"""
from __future__ import annotations

from collections import defaultdict

import neo4j
from neo4j.exceptions import DriverError, Neo4jError

from graph.errors import StoreError
from graph.model import LoadResult
from graph.records import graph_rows
from graph.schema import Label
from queries import cypher

# How long ensure_schema waits for new indexes to come online.
_INDEX_WAIT_SECONDS = 300


class Neo4jStore:
    """A store over a driver that the caller passes in (or that `connect` opens and then owns)."""

    def __init__(self, driver: neo4j.Driver, database: str = "neo4j", timeout: float = 10.0,
                 owns_driver: bool = False):
        self.driver, self.database, self.timeout = driver, database, timeout
        self._owns_driver = owns_driver

    @classmethod
    def connect(cls, settings) -> "Neo4jStore":
        # No password means a server without auth.  A server with auth disabled
        # also accepts any basic credentials, so the default user/password is harmless.
        auth = (settings.neo4j_user, settings.neo4j_password) if settings.neo4j_password else None
        try:
            driver = neo4j.GraphDatabase.driver(settings.neo4j_uri, auth=auth)
        except (ValueError, DriverError) as exc:
            raise StoreError(f"{settings.neo4j_uri}: not a usable Neo4j URI ({exc}); "
                             f"set NEO4J_URI, e.g. bolt://127.0.0.1:7687") from exc
        store = cls(driver, settings.neo4j_database, settings.query_timeout, owns_driver=True)
        try:
            driver.verify_connectivity()
            store.ensure_schema()
        except (Neo4jError, DriverError) as exc:
            driver.close()
            raise StoreError(f"{settings.neo4j_uri}: cannot use Neo4j database {settings.neo4j_database!r} "
                             f"({exc}); start the server (scripts/neo4j start) or check NEO4J_URI, "
                             f"NEO4J_USER and NEO4J_PASSWORD") from exc
        return store

    def _session(self) -> neo4j.Session:
        return self.driver.session(database=self.database)

    # -- schema ------------------------------------------------------------
    def ensure_schema(self) -> None:
        """Constraints, lookup indexes and full-text indexes; idempotent (IF NOT EXISTS)."""
        statements = (list(cypher.CONSTRAINTS.values()) + list(cypher.INDEXES.values())
                      + list(cypher.FULLTEXT_INDEXES.values()))
        with self._session() as session:
            for statement in statements:
                # Schema statements cannot share a transaction with writes: auto-commit each.
                session.run(statement).consume()
            session.run(cypher.AWAIT_INDEXES, seconds=_INDEX_WAIT_SECONDS).consume()

    # -- writing -----------------------------------------------------------
    def write(self, result: LoadResult) -> dict:
        """Replace every document of `result`; returns the nodes and relationships really created."""
        created = {"nodes": 0, "relationships": 0}
        for doc in result.documents:
            nodes, rels = graph_rows(result.for_document(doc.id))
            try:
                with self._session() as session:
                    counts = session.execute_write(self._replace_document, doc.id, nodes, rels)
            except (Neo4jError, DriverError) as exc:
                raise StoreError(f"{result.source}: writing document {doc.label!r} to Neo4j failed ({exc}); "
                                 f"the previous version of that document is unchanged") from exc
            created["nodes"] += counts["nodes"]
            created["relationships"] += counts["relationships"]
        return created

    def _replace_document(self, tx: neo4j.ManagedTransaction, doc_id: str, nodes: list[dict],
                          rels: list[dict]) -> dict:
        """The transaction function: it may run more than once (driver retries), so it must be idempotent."""
        existed = tx.run(cypher.DOCUMENT_EXISTS, doc_id=doc_id).single()["n"] > 0
        removed_nodes, removed_rels = (self._remove_owned(tx, doc_id, keep_document=True)
                                       if existed else (set(), set()))
        nodes_created = self._write_nodes(tx, nodes)
        rels_created = self._write_relationships(tx, nodes, rels)
        if existed:
            self._prune_orphans(tx)     # only a replaced version can leave shared nodes unreferenced
        # A reload deletes and re-creates the same nodes; the counters count
        # them as created.  Those that existed before are not news.
        recreated_nodes = len(removed_nodes & {n["id"] for n in nodes})
        recreated_rels = len(removed_rels & {(r["from"], r["type"], r["to"]) for r in rels})
        return {"nodes": nodes_created - recreated_nodes, "relationships": rels_created - recreated_rels}

    @staticmethod
    def _remove_owned(tx, doc_id: str, keep_document: bool) -> tuple[set, set]:
        """Delete a document's own nodes (and, unless kept, the Document); return removed ids and rel keys."""
        node_ids: set[str] = set()
        rel_keys: set[tuple] = set()
        statements = [cypher.DELETE_SERVICE_ITEMS, *cypher.DELETE_OWNED.values()]
        if not keep_document:
            statements.append(cypher.DELETE_DOCUMENT_NODE)
        for statement in statements:
            for record in tx.run(statement, doc_id=doc_id):
                node_ids.add(record["id"])
                rel_keys.update(tuple(k) for k in record["rels"])
        if keep_document:
            rel_keys.update(tuple(r["key"]) for r in tx.run(cypher.DELETE_DOCUMENT_LINKS, doc_id=doc_id))
        return node_ids, rel_keys

    @staticmethod
    def _write_nodes(tx, nodes: list[dict]) -> int:
        """A document's nodes: one UNWIND … MERGE statement per label."""
        by_label: dict[str, list[dict]] = defaultdict(list)
        for node in nodes:
            by_label[node["label"]].append({"id": node["id"], "props": node["props"]})
        created = 0
        for label, rows in by_label.items():
            summary = tx.run(cypher.MERGE_NODES[Label(label)], rows=rows).consume()
            created += summary.counters.nodes_created
        return created

    @staticmethod
    def _write_relationships(tx, nodes: list[dict], rels: list[dict]) -> int:
        """A document's relationships: one UNWIND … MERGE statement per type and endpoint labels."""
        # graph_rows emits every endpoint of a document's relationships among its
        # nodes; knowing both labels lets each MERGE seek by the id constraints.
        label_of = {n["id"]: n["label"] for n in nodes}
        batches: dict[tuple, list[dict]] = defaultdict(list)
        for rel in rels:
            key = (rel["type"], label_of.get(rel["from"]), label_of.get(rel["to"]))
            if key not in cypher.MERGE_RELATIONSHIPS:
                raise StoreError(f"relationship {rel['type']} {rel['from']} -> {rel['to']} joins nodes the "
                                 f"schema does not allow ({key[1]} -> {key[2]}); this is a loader bug")
            batches[key].append({"from": rel["from"], "to": rel["to"], "props": rel["props"]})
        created = 0
        for key, rows in batches.items():
            summary = tx.run(cypher.MERGE_RELATIONSHIPS[key], rows=rows).consume()
            created += summary.counters.relationships_created
        return created

    @staticmethod
    def _prune_orphans(tx) -> None:
        for statement in cypher.PRUNE_ORPHANS.values():
            tx.run(statement).consume()

    def delete_document(self, doc_id: str) -> bool:
        """Remove a document and everything derived from it; False if there was no such document."""
        def work(tx):
            removed, _ = self._remove_owned(tx, doc_id, keep_document=False)
            self._prune_orphans(tx)
            return doc_id in removed
        try:
            with self._session() as session:
                return session.execute_write(work)
        except (Neo4jError, DriverError) as exc:
            raise StoreError(f"deleting document {doc_id!r} from Neo4j failed ({exc}); nothing was deleted") from exc

    def write_findings(self, nodes: list[dict], rels: list[dict]) -> None:
        """Replace every Finding (one transaction), so Browser users see the current analysis."""
        def work(tx):
            tx.run(cypher.DELETE_FINDINGS).consume()
            self._write_nodes(tx, nodes)
            self._write_relationships(tx, nodes + [{"id": r["to"], "label": Label.PROVISION.value}
                                                   for r in rels], rels)
        try:
            with self._session() as session:
                session.execute_write(work)
        except (Neo4jError, DriverError) as exc:
            raise StoreError(f"writing findings to Neo4j failed ({exc}); the previous findings are unchanged") from exc

    def save(self) -> None:
        """Nothing to do: every write committed in its own transaction."""

    def close(self) -> None:
        if self._owns_driver:
            self.driver.close()
