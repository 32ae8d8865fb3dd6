"""The SQLite store's tables, and a read-only view of them shaped like a networkx MultiDiGraph.

The view offers the small part of the networkx API that queries/on_networkx.py
uses (`n in g`, `g.nodes[n]`, `g.nodes(data=True)`, `g.out_edges(n, keys=True)`,
`g.in_edges(n, keys=True)`, `g.edges(keys=True)`), each answered by an indexed
statement and remembered for the rest of one query, so the query code is
written once and a query holds in memory only what it touched.

Node data is what networkx would hold: {"label": …, **props}; an edge's key
is its type, as in the JSON store.
"""
from __future__ import annotations

import json
import re
import sqlite3

SCHEMA = """
CREATE TABLE IF NOT EXISTS meta(key TEXT PRIMARY KEY, value TEXT NOT NULL);
-- num: a stable integer key (the rowid of the search index); doc_id: the document
-- that owns the node (a service item's is its provision's), so a reload finds them by index;
-- search: a provision's searchable text (kept out of props, read back into it).
CREATE TABLE IF NOT EXISTS nodes(num INTEGER PRIMARY KEY, id TEXT NOT NULL UNIQUE, label TEXT NOT NULL,
                                 name TEXT, doc_id TEXT, provisions INTEGER, search TEXT, props TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS nodes_by_label ON nodes(label, name);
CREATE INDEX IF NOT EXISTS nodes_by_doc ON nodes(doc_id, label);
CREATE TABLE IF NOT EXISTS edges(src TEXT NOT NULL, type TEXT NOT NULL, dst TEXT NOT NULL, props TEXT NOT NULL,
                                 PRIMARY KEY(src, type, dst)) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS edges_by_dst ON edges(dst, type, src);
CREATE TABLE IF NOT EXISTS aliases(alias TEXT NOT NULL, id TEXT NOT NULL, PRIMARY KEY(alias, id)) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS aliases_by_id ON aliases(id);
-- The search index: each provision's distinct Chinese character bigrams, one token each
-- (queries/ranking.py searches by bigrams; FTS5's own tokenizers cannot cut Chinese into them).
CREATE VIRTUAL TABLE IF NOT EXISTS search_index USING fts5(grams, content='');
-- Each indexed provision's search text length (its rowid in search_index): the mean length of a
-- search's candidates (queries/ranking.py) without reading their rows.
CREATE TABLE IF NOT EXISTS search_lengths(num INTEGER PRIMARY KEY, len INTEGER NOT NULL);
-- The rows same_duty_different_holders compares (queries/findings_checks.py duty_entries), by
-- the label of their document, so a load recomputes only the clusters its names reach; and the
-- (place, key) names of each stored finding of that type, to find the findings a load changes.
CREATE TABLE IF NOT EXISTS duty_entries(place TEXT NOT NULL, key TEXT NOT NULL, doc TEXT NOT NULL,
                                        seq TEXT NOT NULL, entry TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS duty_entries_by_key ON duty_entries(place, key);
CREATE INDEX IF NOT EXISTS duty_entries_by_doc ON duty_entries(doc);
CREATE TABLE IF NOT EXISTS finding_keys(finding TEXT NOT NULL, place TEXT NOT NULL, key TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS finding_keys_by_key ON finding_keys(place, key);
CREATE INDEX IF NOT EXISTS finding_keys_by_finding ON finding_keys(finding);
-- Every department a stored finding names (its holders and its evidence's): one department's findings by index.
CREATE TABLE IF NOT EXISTS finding_names(name TEXT NOT NULL, finding TEXT NOT NULL, PRIMARY KEY(name, finding))
    WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS finding_names_by_finding ON finding_names(finding);
"""

# The characters of Unicode 1.1's CJK block: SQLite's unicode61 tokenizer knows all of them as
# letters (later additions up to U+9FFF it may split on), so a bigram of these is one token.
_CJK_RUN = re.compile(r"[\u4e00-\u9fa5]{2,}")
_CHUNK = 500        # ids per IN (…) statement, well under SQLite's limit of bound values


def gram_tokens(search_text: str) -> str:
    """The distinct Chinese bigrams of a text, space-separated: what the search index holds.

    >>> gram_tokens("秸秆禁烧 PM2.5 秸秆")
    '秸秆 秆禁 禁烧'
    """
    seen: dict[str, None] = {}
    for run in _CJK_RUN.findall(search_text or ""):
        for i in range(len(run) - 1):
            seen.setdefault(run[i:i + 2], None)
    return " ".join(seen)


def is_indexed_term(term: str) -> bool:
    """A query term the search index answers: a bigram of Chinese characters."""
    return len(term) == 2 and all("\u4e00" <= ch <= "\u9fa5" for ch in term)


def chunks(items: list, size: int = _CHUNK):
    for i in range(0, len(items), size):
        yield items[i:i + size]


def node_data(label: str, props: str, search) -> dict:
    data = json.loads(props)
    if search is not None:
        data["search_text"] = search
    data["label"] = label
    return data


class _Nodes:
    """g.nodes: g.nodes[n] is a node's data; g.nodes(data=True) every node."""

    def __init__(self, view: "GraphView"):
        self._view = view

    def __getitem__(self, node_id):
        data = self._view.node(node_id)
        if data is None:
            raise KeyError(node_id)
        return data

    def __contains__(self, node_id) -> bool:
        return node_id in self._view

    def get(self, node_id, default=None):
        data = self._view.node(node_id) if node_id is not None else None
        return default if data is None else data

    def __iter__(self):
        return (n for n, _ in self._view.all_nodes())

    def __call__(self, data: bool = False):
        return self._view.all_nodes() if data else iter(self)


class GraphView:
    """A read-only, per-query view of the store over one connection."""

    def __init__(self, conn: sqlite3.Connection):
        self.conn = conn
        self._node: dict[str, dict | None] = {}
        self._out: dict[str, list] = {}
        self._in: dict[str, list] = {}
        self.nodes = _Nodes(self)
        self._complete = False      # every node and edge read (load_everything)

    # -- nodes --------------------------------------------------------------
    def __contains__(self, node_id) -> bool:
        return self.node(node_id) is not None

    def node(self, node_id: str) -> dict | None:
        if node_id not in self._node:
            self.prefetch([node_id])
        return self._node.get(node_id)

    def prefetch(self, ids) -> None:
        """Read the nodes of `ids` not read yet, in a few statements."""
        wanted = [i for i in dict.fromkeys(ids) if i not in self._node]
        for part in chunks(wanted):
            rows = self.conn.execute(f"SELECT id, label, props, search FROM nodes WHERE id IN "
                                     f"({','.join('?' * len(part))})", part).fetchall()
            for node_id, label, props, search in rows:
                self._node[node_id] = node_data(label, props, search)
            for node_id in part:
                self._node.setdefault(node_id, None)

    def remember(self, rows) -> list[tuple[str, dict]]:
        """Keep rows (id, label, props, search) read by a caller's own statement; returns (id, data)."""
        out = []
        for node_id, label, props, search in rows:
            data = self._node.get(node_id) or node_data(label, props, search)
            self._node[node_id] = data
            out.append((node_id, data))
        return out

    def of_label(self, label: str) -> list[tuple[str, dict]]:
        return self.remember(self.conn.execute(
            "SELECT id, label, props, search FROM nodes WHERE label = ? ORDER BY num", (label,)))

    def all_nodes(self) -> list[tuple[str, dict]]:
        return self.remember(self.conn.execute("SELECT id, label, props, search FROM nodes ORDER BY num"))

    # -- edges --------------------------------------------------------------
    def out_edges(self, nbunch, keys: bool = True, data: bool = False):
        ids = [nbunch] if isinstance(nbunch, str) else list(nbunch)
        self._prefetch_edges(ids, self._out, "src", "dst")
        return [self._edge(u, v, k, p, keys, data) for n in ids for u, v, k, p in self._out[n]]

    def in_edges(self, nbunch, keys: bool = True, data: bool = False):
        ids = [nbunch] if isinstance(nbunch, str) else list(nbunch)
        self._prefetch_edges(ids, self._in, "dst", "src")
        return [self._edge(u, v, k, p, keys, data) for n in ids for u, v, k, p in self._in[n]]

    def edges(self, keys: bool = True, data: bool = False):
        rows = self.conn.execute("SELECT src, dst, type, props FROM edges ORDER BY src, type, dst")
        return [self._edge(u, v, k, p, keys, data) for u, v, k, p in rows]

    def prefetch_out_edges(self, ids) -> None:
        self._prefetch_edges(list(ids), self._out, "src", "dst")

    def prefetch_in_edges(self, ids) -> None:
        self._prefetch_edges(list(ids), self._in, "dst", "src")

    def _prefetch_edges(self, ids: list, cache: dict, by: str, other: str) -> None:
        wanted = [i for i in dict.fromkeys(ids) if i not in cache]
        for part in chunks(wanted):
            for node_id in part:
                cache[node_id] = []
            rows = self.conn.execute(f"SELECT src, dst, type, props FROM edges WHERE {by} IN "
                                     f"({','.join('?' * len(part))}) ORDER BY src, type, dst", part)
            for src, dst, kind, props in rows:
                cache[src if by == "src" else dst].append((src, dst, kind, props))

    def load_everything(self) -> None:
        """Read every node and edge in two statements: for questions over the whole store
        (exports, the findings), cheaper than one statement per node."""
        if self._complete:
            return
        self._complete = True
        self._out, self._in = {}, {}
        self.all_nodes()
        for node_id in self._node:
            self._out.setdefault(node_id, [])
            self._in.setdefault(node_id, [])
        for src, dst, kind, props in self.conn.execute("SELECT src, dst, type, props FROM edges"):
            self._out.setdefault(src, []).append((src, dst, kind, props))
            self._in.setdefault(dst, []).append((src, dst, kind, props))

    @staticmethod
    def _edge(u, v, k, props, keys, data):
        out = (u, v, k) if keys else (u, v)
        if data:
            out += ({"type": k, **json.loads(props)},)
        return out
