"""The Neo4j store: each load's documents replaced whole in one write transaction.

Writes the rows of graph/records.py `graph_rows`, the same rows the embedded
store writes, with batched `UNWIND … MERGE` statements from graph/neo4j_backend/cypher.py:
one per label, each node row carrying its relationships to the other nodes of
the load.  One managed transaction per load (a file: one document, or a
gazette's several) deletes what its documents owned and writes their new
version, so a failure part-way leaves every previous version whole, and a
retry by the driver (MERGE, SET +=) changes nothing twice.

    store = Neo4jStore.connect(load_settings(backend="neo4j"))
    store.write(load_text(text, "gazette.txt"))   # -> {"nodes": 919, "relationships": 1416}
    store.write(load_text(text, "gazette.txt"))   # -> {"nodes": 0, "relationships": 0}
"""
from __future__ import annotations

from collections import defaultdict

import neo4j
from neo4j.exceptions import DriverError, Neo4jError

from graph import faults
from graph.errors import StoreError
from graph.model import LoadResult
from graph.records import graph_rows
from graph.schema import Label
from graph.neo4j_backend import cypher
from graph.neo4j_backend.reads import Neo4jBackend

# How long ensure_schema waits for new indexes to come online.
_INDEX_WAIT_SECONDS = 300
_CREATED_MEANWHILE = {"Neo.ClientError.Schema.EquivalentSchemaRuleAlreadyExists",
                      "Neo.ClientError.Schema.IndexAlreadyExists", "Neo.ClientError.Schema.ConstraintAlreadyExists"}


class Neo4jStore:
    """A store over a driver that the caller passes in (or that `connect` opens and then owns)."""

    shared = True       # one driver for every thread, every change visible at once: see graph.seams.Store

    def __init__(self, driver: neo4j.Driver, database: str = "neo4j", timeout: float = 10.0,
                 owns_driver: bool = False):
        self.driver, self.database, self.timeout = driver, database, timeout
        self._owns_driver = owns_driver
        # Shared by the store's writes and its reads (reads()): in a cluster a
        # read routed to a follower waits for the writes this process made.
        self.bookmarks = neo4j.GraphDatabase.bookmark_manager()

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
        return self.driver.session(database=self.database, bookmark_manager=self.bookmarks)

    def is_current(self) -> bool:
        return True

    def reads(self) -> Neo4jBackend:
        """The query primitives over the same driver, database and timeout."""
        return Neo4jBackend(self.driver, self.database, self.timeout, self.bookmarks)

    def stats(self) -> dict:
        return self.reads().stats()

    # -- schema ------------------------------------------------------------
    def ensure_schema(self) -> None:
        """Constraints, lookup indexes and full-text indexes; idempotent (IF NOT EXISTS)."""
        statements = (list(cypher.CONSTRAINTS.values()) + list(cypher.INDEXES.values())
                      + list(cypher.FULLTEXT_INDEXES.values()))
        with self._session() as session:
            for name in self._outdated_fulltext(session):
                session.run(cypher.DROP_INDEX[name]).consume()
            for statement in statements:
                # Schema statements cannot share a transaction with writes: auto-commit each.
                try:
                    session.run(statement).consume()
                except Neo4jError as exc:
                    # Two clients starting at once on a new database (a server and a load):
                    # IF NOT EXISTS is checked before the other's index is committed.
                    if exc.code not in _CREATED_MEANWHILE:
                        raise
            session.run(cypher.AWAIT_INDEXES, seconds=_INDEX_WAIT_SECONDS).consume()

    @staticmethod
    def _outdated_fulltext(session) -> list[str]:
        """Our full-text indexes whose definition differs from cypher.FULLTEXT_FIELDS (an older release's)."""
        wanted = {name: ([label.value], list(props), cypher.FULLTEXT_ANALYZER,
                        cypher.FULLTEXT_EVENTUALLY_CONSISTENT)
                  for name, (label, props) in cypher.FULLTEXT_FIELDS.items()}
        return [r["name"] for r in session.run(cypher.SHOW_FULLTEXT)
                if r["name"] in wanted and (r["labelsOrTypes"], r["properties"], r["analyzer"],
                                            r["eventually_consistent"]) != wanted[r["name"]]]

    # -- writing -----------------------------------------------------------
    def write(self, result: LoadResult) -> dict:
        """Replace every document of `result` in one transaction; returns the nodes and relationships created.

        One transaction for the whole load, as the embedded store swaps its
        file once: a load that fails part-way writes nothing, so no document of
        a gazette is left half old, half new, and the statements go per label
        for all of the load's rows rather than per document.
        """
        return self.write_all([result])

    def write_all(self, results: list[LoadResult]) -> dict:
        """Replace the documents of every result in one transaction: all of them are written or none."""
        loads = [(result, [d.id for d in result.documents], *graph_rows(result))
                 for result in results if result.documents]
        if not loads:
            return {"nodes": 0, "relationships": 0}

        def work(tx) -> dict:
            created = {"nodes": 0, "relationships": 0}
            for _result, doc_ids, nodes, rels in loads:     # one after the other, as the embedded store does
                for key, n in self._replace_documents(tx, doc_ids, nodes, rels).items():
                    created[key] += n
            return created
        try:
            with self._session() as session:
                return session.execute_write(work)
        except (Neo4jError, DriverError) as exc:
            sources = ", ".join(result.source for result, *_ in loads)
            count = sum(len(doc_ids) for _, doc_ids, *_ in loads)
            raise StoreError(f"{sources}: writing to Neo4j failed ({exc}); nothing of this load was "
                             f"written, the previous version of its {count} document(s) is unchanged") from exc

    def _replace_documents(self, tx: neo4j.ManagedTransaction, doc_ids: list[str], nodes: list[dict],
                           rels: list[dict]) -> dict:
        """The transaction function: it may run more than once (driver retries), so it must be idempotent."""
        stored = tx.run(cypher.STORED_DOCUMENTS, doc_ids=doc_ids).single()["ids"]
        removed_nodes, removed_rels = (self._remove_owned(tx, stored, keep_document=True)
                                       if stored else (set(), set()))
        faults.reach("neo4j-transaction")
        rows, _ = _linked_rows(nodes, rels)
        nodes_created, rels_created = _write_linked(tx, rows)
        if stored:
            self._prune_orphans(tx)     # only a replaced version can leave shared nodes unreferenced
        # A reload deletes and re-creates the same nodes; the counters count
        # them as created.  Those that existed before are not news.
        recreated_nodes = len(removed_nodes & {n["id"] for n in nodes})
        recreated_rels = len(removed_rels & {(r["from"], r["type"], r["to"]) for r in rels})
        return {"nodes": nodes_created - recreated_nodes, "relationships": rels_created - recreated_rels}

    @staticmethod
    def _remove_owned(tx, doc_ids: list[str], keep_document: bool) -> tuple[set, set]:
        """Delete the documents' own nodes (and, unless kept, the Documents); return removed ids and rel keys."""
        node_ids: set[str] = set()
        rel_keys: set[tuple] = set()
        statements = [cypher.DELETE_SERVICE_ITEMS, *cypher.DELETE_OWNED.values()]
        if not keep_document:
            statements.append(cypher.DELETE_DOCUMENT_NODE)
        for statement in statements:
            for record in tx.run(statement, doc_ids=doc_ids):
                node_ids.add(record["id"])
                rel_keys.update(tuple(k) for k in record["rels"])
        if keep_document:
            rel_keys.update(tuple(r["key"]) for r in tx.run(cypher.DELETE_DOCUMENT_LINKS, doc_ids=doc_ids))
        return node_ids, rel_keys

    @staticmethod
    def _prune_orphans(tx) -> None:
        for statement in cypher.PRUNE_ORPHANS.values():
            tx.run(statement).consume()

    def delete_document(self, doc_id: str) -> bool:
        """Remove a document and everything derived from it; False if there was no such document."""
        def work(tx):
            removed, _ = self._remove_owned(tx, [doc_id], keep_document=False)
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
            # The provisions a finding concerns are stored already: matched, not written.
            rows, elsewhere = _linked_rows(nodes, rels, stored={r["to"]: Label.PROVISION.value for r in rels})
            _write_linked(tx, rows)
            _write_matched(tx, elsewhere)
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


def _linked_rows(nodes: list[dict], rels: list[dict], stored: dict | None = None) -> tuple[dict, dict]:
    """Rows per label for cypher.MERGE_LINKED, and the relationships to `stored` nodes (id -> label).

    A relationship between two nodes of `nodes` rides in the row of the
    endpoint cypher.LINK_SLOT names; one with an end among `stored` is returned
    apart, batched per (type, from label, to label), for cypher.MERGE_RELATIONSHIPS.
    """
    rows: dict[Label, dict[str, dict]] = defaultdict(dict)
    for node in nodes:
        label = Label(node["label"])
        rows[label][node["id"]] = {"id": node["id"], "props": node["props"],
                                   "links": [[] for _ in cypher.LINKS[label]]}
    written = {n["id"]: n["label"] for n in nodes}
    known = {**(stored or {}), **written}
    elsewhere: dict[tuple, list[dict]] = defaultdict(list)
    for rel in rels:
        key = (rel["type"], known.get(rel["from"]), known.get(rel["to"]))
        if key not in cypher.MERGE_RELATIONSHIPS:
            raise StoreError(f"relationship {rel['type']} {rel['from']} -> {rel['to']} joins nodes the "
                             f"schema does not allow or that are not in the write ({key[1]} -> {key[2]}); "
                             f"this is a loader bug")
        if rel["from"] in written and rel["to"] in written:
            label, slot = cypher.LINK_SLOT[key]
            host, other = (rel["from"], rel["to"]) if key[1] == label.value else (rel["to"], rel["from"])
            rows[label][host]["links"][slot].append({"id": other, "props": rel["props"]})
        else:
            elsewhere[key].append({"from": rel["from"], "to": rel["to"], "props": rel["props"]})
    return {label: list(by_id.values()) for label, by_id in rows.items()}, elsewhere


def _write_linked(tx, rows: dict) -> tuple[int, int]:
    """One statement per label, in cypher.WRITE_ORDER; returns the nodes and relationships created."""
    nodes = rels = 0
    for label in cypher.WRITE_ORDER:
        if rows.get(label):
            counters = tx.run(cypher.MERGE_LINKED[label], rows=rows[label]).consume().counters
            nodes, rels = nodes + counters.nodes_created, rels + counters.relationships_created
    return nodes, rels


def _write_matched(tx, batches: dict) -> int:
    """Relationships to stored nodes: one statement per (type, from label, to label)."""
    return sum(tx.run(cypher.MERGE_RELATIONSHIPS[key], rows=rows).consume().counters.relationships_created
               for key, rows in batches.items())
