"""The embedded store on SQLite: the same property graph as the JSON file, written by the document.

Nodes, edges and a search index in one SQLite file (WAL), so a load touches
only the rows of the documents it replaces and a query reads only the rows it
needs, whatever the size of the store.  Writes follow graph/nx_store.py
exactly — a document is replaced whole, departments shared by documents merge
their aliases, orphans are pruned, `write` returns what is new — and every
change between opening the store and `save()` is ONE transaction: a load that
fails or is killed half-way leaves the previous state, and readers (other
connections) see the state before it or after it, never between.

    store = SqliteStore("/tmp/store.sqlite")
    store.write(load_text(text, "gazette.txt"))   # -> {"nodes": 919, "relationships": 1416}
    store.save()                                    # commit
    store.write(load_text(text, "gazette.txt"))   # -> {"nodes": 0, "relationships": 0}
"""
from __future__ import annotations

import json
import os
import sqlite3
from datetime import date

from graph.errors import StoreError
from graph.model import LoadResult
from graph.records import DOCUMENT_OWNED, graph_rows
from graph.schema import Label, joins
from graph.sqlite_backend.graph_view import SCHEMA, GraphView, chunks, gram_tokens

FORMAT = "dutygraph-sqlite/1"
_SHARED = (Label.DEPARTMENT.value, Label.LAW_ARTICLE.value, Label.GAZETTE.value)
_BUSY_MS = 60_000       # a writer of another process holds the file (it also holds graph/locking.py's lock)


def is_sqlite_file(path: str) -> bool:
    try:
        with open(path, "rb") as handle:
            return handle.read(16) == b"SQLite format 3\x00"
    except OSError:
        return False


def connect(path: str, readonly: bool = False) -> sqlite3.Connection:
    """A connection in autocommit mode (transactions are begun explicitly)."""
    try:
        if readonly:
            conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True, isolation_level=None,
                                   check_same_thread=False)
        else:
            os.makedirs(os.path.dirname(os.path.abspath(path)), exist_ok=True)
            conn = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
        conn.execute(f"PRAGMA busy_timeout = {_BUSY_MS}")
        return conn
    except (sqlite3.Error, OSError) as exc:
        raise StoreError(f"{path}: cannot open the store ({exc}); check the path and its permissions") from None


class SqliteStore:
    """The embedded store on SQLite (graph.seams.Store): one transaction per write, committed at save().

    Not `shared` in graph.seams' sense: a writer opens a store of its own under the write lock;
    readers never wait for it, each query reading a snapshot of the last commit (WAL), so a
    store whose connection is closed still answers reads (`reads()` opens its own snapshot).
    """
    shared = False

    def __init__(self, path: str):
        self.path = path
        self.file_key = None       # the JSON store's version stamp; SQLite readers always see the last commit
        self._touched: set[str] = set()     # labels (number, else title, else id) of documents changed, unsaved
        self._findings_written = False
        if os.path.exists(path) and os.path.getsize(path) and not is_sqlite_file(path):
            raise StoreError(f"{path}: not a SQLite store (a JSON store of the networkx backend?); "
                             f"convert it with `dutygraph migrate {path} NEW.sqlite`, "
                             f"or open it with --backend networkx")
        self.conn = connect(path)
        try:
            self.conn.execute("PRAGMA journal_mode = WAL")
            self.conn.execute("PRAGMA synchronous = NORMAL")   # WAL: durable at checkpoints, never corrupt
            self.conn.executescript(SCHEMA)
            found = self.conn.execute("SELECT value FROM meta WHERE key = 'format'").fetchone()
            if found is None:
                self.conn.execute("INSERT INTO meta VALUES ('format', ?)", (FORMAT,))
            elif found[0] != FORMAT:
                raise StoreError(f"{path}: a store of format {found[0]!r}, this dutygraph reads {FORMAT!r}")
            self.conn.execute("CREATE TEMP TABLE IF NOT EXISTS doomed(id TEXT PRIMARY KEY)")
            self._fill_search_lengths()
        except sqlite3.DatabaseError as exc:
            self.conn.close()
            raise StoreError(f"{path}: not a usable SQLite store ({exc}); move it away to start a new one") from None

    def _fill_search_lengths(self) -> None:
        """A store written before search_lengths existed gets them once (reads.search_ranked needs them)."""
        if self.conn.execute("SELECT 1 FROM meta WHERE key = 'search_lengths'").fetchone():
            return
        self.conn.execute("BEGIN IMMEDIATE")
        self.conn.execute("INSERT OR REPLACE INTO search_lengths SELECT num, length(search) FROM nodes "
                          "WHERE search IS NOT NULL")
        self.conn.execute("INSERT OR REPLACE INTO meta VALUES ('search_lengths', '1')")
        self.conn.execute("COMMIT")

    # -- transactions -------------------------------------------------------
    def _begin(self) -> None:
        if not self.conn.in_transaction:
            self.conn.execute("BEGIN IMMEDIATE")

    def save(self) -> None:
        """Commit everything written since the store was opened (or last saved)."""
        if self.conn.in_transaction:
            if self._touched and not self._findings_written:
                self._set_findings_day("")          # documents changed, findings not: a full recompute is due
            try:
                self.conn.execute("COMMIT")
            except sqlite3.Error as exc:
                self.rollback()
                raise StoreError(f"{self.path}: cannot write the store ({exc}); "
                                 f"the previous version is unchanged") from exc
        self._touched, self._findings_written = set(), False

    def rollback(self) -> None:
        if self.conn.in_transaction:
            self.conn.execute("ROLLBACK")
        self._touched, self._findings_written = set(), False

    def close(self) -> None:
        """Close; what was not saved is rolled back."""
        if self.conn is not None:
            self.rollback()
            self.conn.close()
            self.conn = None

    @property
    def graph(self) -> GraphView:
        """The store as networkx would show it (uncommitted writes included)."""
        return GraphView(self.conn)

    def reader(self) -> sqlite3.Connection:
        """A connection for one query: this one inside a write (it sees the write), else a new
        read-only one whose first statement fixes its snapshot until it is closed."""
        if self.conn is not None and self.conn.in_transaction:
            return self.conn
        conn = connect(self.path, readonly=True)
        conn.execute("BEGIN")
        return conn

    def is_current(self) -> bool:
        return True          # every read sees the last commit, whoever made it

    def reads(self):
        """The query primitives over a snapshot of the store (inside a write: over the write)."""
        from graph.sqlite_backend.reads import SqliteBackend
        conn = self.reader()
        return SqliteBackend(conn, owns_connection=conn is not self.conn)

    def stats(self) -> dict:
        return self.reads().stats()

    # -- writing ------------------------------------------------------------
    def write_all(self, results: list[LoadResult]) -> dict:
        """Every load of the call in the one transaction save() commits: all of them or none."""
        created = {"nodes": 0, "relationships": 0}
        for result in results:
            for key, value in self.write(result).items():
                created[key] = created.get(key, 0) + value
        return created

    def write(self, result: LoadResult) -> dict:
        """Replace every document of `result`; save() commits.  Returns what is new in the graph."""
        self._begin()
        per_doc = [graph_rows(result.for_document(doc.id)) for doc in result.documents]
        self._check_schema([n for nodes, _ in per_doc for n in nodes], [r for _, rels in per_doc for r in rels])
        node_ids = list(dict.fromkeys(n["id"] for nodes, _ in per_doc for n in nodes))
        edge_keys = list(dict.fromkeys((r["from"], r["type"], r["to"]) for _, rels in per_doc for r in rels))
        before = self._existing(node_ids), self._existing_edges(edge_keys)
        for doc, (nodes, rels) in zip(result.documents, per_doc):
            self._touched.add(doc.label or doc.id)
            self._remove_document(doc.id)
            self._put_nodes(nodes)
            self.conn.executemany("INSERT OR IGNORE INTO edges(src, type, dst, props) VALUES (?, ?, ?, ?)",
                                  [(r["from"], r["type"], r["to"], _json(r["props"])) for r in rels])
            self._count_provisions(doc.id)
        self._prune_orphans()
        after = self._existing(node_ids), self._existing_edges(edge_keys)
        return {"nodes": len(after[0] - before[0]), "relationships": len(after[1] - before[1])}

    def _put_nodes(self, nodes: list[dict]) -> None:
        """Add nodes; a node already there is updated as networkx's add_node would (its
        properties overlaid), except a department, which merges aliases (NetworkxStore)."""
        current = self._props_of([n["id"] for n in nodes])
        owner_of = {n["id"]: n["props"].get("doc_id") for n in nodes if n["label"] == Label.PROVISION.value}
        for node in nodes:
            node_id, label, props = node["id"], node["label"], dict(node["props"])
            old = current.get(node_id)
            if old is not None and label == Label.DEPARTMENT.value:
                label, props = old[0], dict(old[1])
                props["aliases"] = sorted(set(props.get("aliases", [])) | set(node["props"].get("aliases", [])))
                props["needs_review"] = bool(props.get("needs_review")) and bool(node["props"].get("needs_review"))
            elif old is not None:
                props = {**old[1], **props}
            current[node_id] = (label, props)
            doc_id = props.get("doc_id")
            if label == Label.SERVICE_ITEM.value:
                doc_id = owner_of.get(props.get("provision_id")) or self._doc_of(props.get("provision_id"))
            self._put_node(node_id, label, props, doc_id, replacing=old is not None)

    def _put_node(self, node_id: str, label: str, props: dict, doc_id, replacing: bool = False) -> None:
        search = props.pop("search_text", None) if label == Label.PROVISION.value else None
        if replacing:
            self._unindex([node_id])
        num = self.conn.execute(
            "INSERT INTO nodes(id, label, name, doc_id, search, props) VALUES (?, ?, ?, ?, ?, ?) "
            "ON CONFLICT(id) DO UPDATE SET label = excluded.label, name = excluded.name, "
            "doc_id = excluded.doc_id, search = excluded.search, props = excluded.props RETURNING num",
            (node_id, label, props.get("name"), doc_id, search, _json(props))).fetchone()[0]
        if search is not None:
            self.conn.execute("INSERT INTO search_index(rowid, grams) VALUES (?, ?)", (num, gram_tokens(search)))
            self.conn.execute("INSERT OR REPLACE INTO search_lengths VALUES (?, ?)", (num, len(search)))
        if label == Label.DEPARTMENT.value:
            self.conn.execute("DELETE FROM aliases WHERE id = ?", (node_id,))
            self.conn.executemany("INSERT OR IGNORE INTO aliases VALUES (?, ?)",
                                  [(a, node_id) for a in props.get("aliases", [])])

    def _props_of(self, ids: list[str]) -> dict[str, tuple[str, dict]]:
        out = {}
        for part in chunks(list(dict.fromkeys(ids))):
            for node_id, label, props, search in self.conn.execute(
                    f"SELECT id, label, props, search FROM nodes WHERE id IN ({','.join('?' * len(part))})", part):
                data = json.loads(props)
                if search is not None:
                    data["search_text"] = search
                out[node_id] = (label, data)
        return out

    def _doc_of(self, node_id) -> str | None:
        row = self.conn.execute("SELECT doc_id FROM nodes WHERE id = ?", (node_id,)).fetchone()
        return row[0] if row else None

    def _count_provisions(self, doc_id: str) -> None:
        self.conn.execute("UPDATE nodes SET provisions = (SELECT count(*) FROM nodes p WHERE p.doc_id = ? "
                          "AND p.label = ?) WHERE id = ?", (doc_id, Label.PROVISION.value, doc_id))

    def _check_schema(self, nodes: list[dict], rels: list[dict]) -> None:
        """Refuse a relationship graph/schema.py does not allow, as the other stores do (a loader bug)."""
        labels = {n["id"]: n["label"] for n in nodes}
        outside = list({end for r in rels for end in (r["from"], r["to"]) if end not in labels})
        for part in chunks(outside):
            labels.update(self.conn.execute(
                f"SELECT id, label FROM nodes WHERE id IN ({','.join('?' * len(part))})", part).fetchall())
        for r in rels:
            ends = labels.get(r["from"]), labels.get(r["to"])
            if not joins(r["type"], *ends):
                raise StoreError(f"relationship {r['type']} {r['from']} -> {r['to']} joins nodes the "
                                 f"schema does not allow or that are not in the write ({ends[0]} -> {ends[1]}); "
                                 f"this is a loader bug")

    def _existing(self, ids: list[str]) -> set[str]:
        found = set()
        for part in chunks(ids):
            found.update(r[0] for r in self.conn.execute(
                f"SELECT id FROM nodes WHERE id IN ({','.join('?' * len(part))})", part))
        return found

    def _existing_edges(self, keys: list[tuple]) -> set[tuple]:
        found = set()
        for key in keys:
            if self.conn.execute("SELECT 1 FROM edges WHERE src = ? AND type = ? AND dst = ?", key).fetchone():
                found.add(key)
        return found

    def _remove_document(self, doc_id: str) -> bool:
        found = self.conn.execute("SELECT name FROM nodes WHERE id = ?", (doc_id,)).fetchone()
        if not found:
            return False
        self._touched.add(found[0] or doc_id)
        self.conn.execute("DELETE FROM doomed")
        self.conn.execute(f"INSERT INTO doomed SELECT id FROM nodes WHERE doc_id = ? AND label IN "
                          f"({','.join('?' * len(DOCUMENT_OWNED))})", (doc_id, *DOCUMENT_OWNED))
        self.conn.execute("INSERT OR IGNORE INTO doomed VALUES (?)", (doc_id,))
        self._delete_doomed()
        return True

    def _delete_doomed(self) -> None:
        """Delete the nodes listed in the temp table `doomed`, with their edges, index rows and aliases."""
        self._unindex([r[0] for r in self.conn.execute("SELECT id FROM doomed")])
        self.conn.execute("DELETE FROM edges WHERE src IN (SELECT id FROM doomed)")
        self.conn.execute("DELETE FROM edges WHERE dst IN (SELECT id FROM doomed)")
        self.conn.execute("DELETE FROM aliases WHERE id IN (SELECT id FROM doomed)")
        self.conn.execute("DELETE FROM finding_keys WHERE finding IN (SELECT id FROM doomed)")
        self.conn.execute("DELETE FROM finding_names WHERE finding IN (SELECT id FROM doomed)")
        self.conn.execute("DELETE FROM nodes WHERE id IN (SELECT id FROM doomed)")

    def _unindex(self, ids: list[str]) -> None:
        """Take provisions out of the search index (a contentless FTS5 table is told what it held)."""
        for part in chunks(ids):
            rows = self.conn.execute(f"SELECT num, search FROM nodes WHERE search IS NOT NULL AND id IN "
                                     f"({','.join('?' * len(part))})", part).fetchall()
            self.conn.executemany("INSERT INTO search_index(search_index, rowid, grams) VALUES ('delete', ?, ?)",
                                  [(num, gram_tokens(search)) for num, search in rows])
            self.conn.executemany("DELETE FROM search_lengths WHERE num = ?", [(num,) for num, _ in rows])

    def _prune_orphans(self) -> None:
        """Departments, law articles and gazettes that nothing points to any more."""
        self.conn.execute("DELETE FROM doomed")
        self.conn.execute(f"INSERT INTO doomed SELECT id FROM nodes n WHERE label IN ({','.join('?' * len(_SHARED))}) "
                          f"AND NOT EXISTS (SELECT 1 FROM edges e WHERE e.dst = n.id)", _SHARED)
        self._delete_doomed()

    def delete_document(self, doc_id: str) -> bool:
        self._begin()
        removed = self._remove_document(doc_id)
        self._prune_orphans()
        return removed

    def write_findings(self, nodes: list[dict], rels: list[dict], owners: dict | None = None,
                       entries: list[dict] | None = None, keys: dict | None = None) -> None:
        """Replace every Finding node (committed by the next save()).  `owners`: finding id → the
        label of the one document it is about, which lets a later load replace only those;
        `entries` (every duty entry of the store) and `keys` (finding id → its entries' (place, key))
        let it recompute only the clusters of same_duty_different_holders it touches."""
        self._begin()
        self.conn.execute("DELETE FROM doomed")
        self.conn.execute("INSERT INTO doomed SELECT id FROM nodes WHERE label = ?", (Label.FINDING.value,))
        self._delete_doomed()
        self.conn.execute("DELETE FROM duty_entries")
        self._add_entries(entries or [])
        self._add_findings(nodes, rels, owners or {}, keys or {})
        by_document = owners is not None and entries is not None
        self._set_findings_day(date.today().isoformat() if by_document else "")
        self._findings_written = True

    # -- findings by the document (queries/findings.py persist_findings) -------------
    def findings_scope(self) -> set[str] | None:
        """The labels of the documents changed since the last save, when the stored findings are
        otherwise those of a full recompute today; None when a full recompute is due."""
        return set(self._touched) if self.findings_day() == date.today().isoformat() else None

    def findings_day(self) -> str:
        """The day the stored findings were judged on ('' when they are not those of a full recompute)."""
        row = self.conn.execute("SELECT value FROM meta WHERE key = 'findings_day/2'").fetchone()
        return row[0] if row else ""

    def documents_labelled(self, labels: set[str]) -> set[str]:
        """Ids of the documents cited by one of these labels (number, else title, else id)."""
        found = set()
        for part in chunks(sorted(labels)):
            marks = ",".join("?" * len(part))
            found.update(r[0] for r in self.conn.execute(
                f"SELECT id FROM nodes WHERE label = ? AND (name IN ({marks}) OR (coalesce(name, '') = '' "
                f"AND id IN ({marks})))", (Label.DOCUMENT.value, *part, *part)))
        return found

    def replace_findings(self, labels: set[str], kinds: tuple, nodes: list[dict], rels: list[dict],
                         owners: dict, ids: set[str] = frozenset(), keys: dict | None = None) -> None:
        """Replace the findings owned by documents of these labels, every finding of the `kinds`
        computed over the whole store, and the findings `ids`, by new ones."""
        self._begin()
        self.conn.execute("DELETE FROM doomed")
        self.conn.executemany("INSERT OR IGNORE INTO doomed VALUES (?)", [(i,) for i in ids])
        for part in chunks(sorted(labels)):
            self.conn.execute(f"INSERT OR IGNORE INTO doomed SELECT id FROM nodes WHERE label = ? AND doc_id IN "
                              f"({','.join('?' * len(part))})", (Label.FINDING.value, *part))
        self.conn.execute(f"INSERT OR IGNORE INTO doomed SELECT id FROM nodes WHERE label = ? AND name IN "
                          f"({','.join('?' * len(kinds))})", (Label.FINDING.value, *kinds))
        self._delete_doomed()
        self._add_findings(nodes, rels, owners, keys or {})
        self._findings_written = True

    # -- the duty entries of same_duty_different_holders, by document and by name ---------
    def replace_duty_entries(self, labels: set[str], entries: list[dict]) -> set[tuple]:
        """Put the entries of the documents of these labels in place of those stored; returns the
        (place, key) of both, the names whose clusters may have changed."""
        self._begin()
        touched = set()
        for part in chunks(sorted(labels)):
            marks = ",".join("?" * len(part))
            touched.update(self.conn.execute(f"SELECT DISTINCT place, key FROM duty_entries WHERE doc IN ({marks})",
                                             part).fetchall())
            self.conn.execute(f"DELETE FROM duty_entries WHERE doc IN ({marks})", part)
        self._add_entries(entries)
        return touched | {(e["place"], e["key"]) for e in entries}

    def _add_entries(self, entries: list[dict]) -> None:
        self.conn.executemany("INSERT INTO duty_entries VALUES (?, ?, ?, ?, ?)",
                              [(e["place"], e["key"], _doc_label(e["prov"]), e["seq"], _json(e)) for e in entries])

    def duty_keys(self, place: str) -> list[str]:
        """The distinct names of the entries of one place."""
        return [r[0] for r in self.conn.execute("SELECT DISTINCT key FROM duty_entries WHERE place = ?", (place,))]

    def findings_keyed(self, keys: set[tuple]) -> dict[str, set[tuple]]:
        """The stored findings holding one of these (place, key) names, with all of their names."""
        ids = set()
        for place, key in keys:
            ids.update(r[0] for r in self.conn.execute(
                "SELECT finding FROM finding_keys WHERE place = ? AND key = ?", (place, key)))
        out: dict[str, set[tuple]] = {}
        for part in chunks(sorted(ids)):
            for finding, place, key in self.conn.execute(
                    f"SELECT finding, place, key FROM finding_keys WHERE finding IN ({','.join('?' * len(part))})",
                    part):
                out.setdefault(finding, set()).add((place, key))
        return out

    def duty_entries_named(self, keys: set[tuple]) -> list[dict]:
        """The stored entries of these (place, key) names, in the order of the full check."""
        rows = []
        for place, key in keys:
            rows += self.conn.execute("SELECT seq, entry FROM duty_entries WHERE place = ? AND key = ?",
                                      (place, key)).fetchall()
        rows.sort(key=lambda r: r[0])
        return [json.loads(entry) for _, entry in rows]

    def _set_findings_day(self, day: str) -> None:
        # "/2": findings stored with their duty entries and names (a store of before is recomputed whole once)
        self.conn.execute("INSERT OR REPLACE INTO meta VALUES ('findings_day/2', ?)", (day,))

    def _add_findings(self, nodes: list[dict], rels: list[dict], owners: dict, keys: dict) -> None:
        self.conn.executemany("INSERT OR REPLACE INTO nodes(id, label, name, doc_id, props) VALUES (?, ?, ?, ?, ?)",
                              [(n["id"], n["label"], n["props"].get("name"), owners.get(n["id"]), _json(n["props"]))
                               for n in nodes])
        self.conn.executemany(
            "INSERT OR IGNORE INTO edges(src, type, dst, props) SELECT ?, ?, ?, ? WHERE EXISTS "
            "(SELECT 1 FROM nodes WHERE id = ?)",
            [(r["from"], r["type"], r["to"], _json(r["props"]), r["to"]) for r in rels])
        self.conn.executemany("INSERT INTO finding_keys VALUES (?, ?, ?)",
                              [(f, place, key) for f, named in keys.items() for place, key in named])
        self.conn.executemany("INSERT OR IGNORE INTO finding_names VALUES (?, ?)",
                              [(name, n["id"]) for n in nodes for name in _names_in(n["props"])])

    # -- bulk import (dutygraph migrate) --------------------------------------
    def import_graph(self, nodes, edges) -> None:
        """Add (id, data) nodes and (u, v, key, data) edges of a networkx graph as they are."""
        self._begin()
        nodes = list(nodes)
        doc_of = {n: d.get("doc_id") for n, d in nodes if d.get("label") == Label.PROVISION.value}
        for node_id, data in nodes:
            props = {k: v for k, v in data.items() if k != "label"}
            doc_id = props.get("doc_id")
            if data["label"] == Label.SERVICE_ITEM.value:
                doc_id = doc_of.get(props.get("provision_id"))
            self._put_node(node_id, data["label"], props, doc_id)
        self.conn.executemany("INSERT OR IGNORE INTO edges(src, type, dst, props) VALUES (?, ?, ?, ?)",
                              [(u, k, v, _json({a: b for a, b in d.items() if a != "type"}))
                               for u, v, k, d in edges])
        for (doc_id,) in self.conn.execute("SELECT id FROM nodes WHERE label = ?",
                                           (Label.DOCUMENT.value,)).fetchall():
            self._count_provisions(doc_id)


def _doc_label(row: dict) -> str:
    return row.get("doc_number") or row.get("doc_title") or row.get("doc_id", "")


def _names_in(finding: dict) -> set[str]:
    """The departments a stored finding names: its own list and its evidence's."""
    names = set(finding.get("departments") or [])
    names.update(e["department"] for e in json.loads(finding.get("evidence") or "[]") if e.get("department"))
    return names


def _json(value) -> str:
    return json.dumps(value, ensure_ascii=False, sort_keys=True)
