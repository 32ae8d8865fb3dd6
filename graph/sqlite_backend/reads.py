"""The query primitives over the SQLite store: the networkx ones, with indexes where they scan.

`SqliteBackend` is `NetworkxBackend` over a graph/sqlite_graph.py GraphView:
every query is the networkx code, reading only the nodes and edges it
touches.  What would scan the whole store goes to an index instead: nodes of
a label, documents with their provision counts, departments by name or
alias, a department's duties, and the topic search (the bigram index, best
first, stopping at `limit`).  Questions over the whole store (exports, the
findings) read it in two statements instead of one per node.

The differential test (tests/test_differential.py) holds it to the same
answers as the other backends.
"""
from __future__ import annotations

import functools
import json

from graph.schema import Label, Rel
from graph.sqlite_backend.graph_view import GraphView, chunks, is_indexed_term
from graph.networkx_backend.reads import NetworkxBackend, department_ref, department_row, document_row
from graph.results import (AssignmentRow, DepartmentRef, DepartmentRow, DocumentProvision, DocumentRow,
                           ImplementationRow, PlaceDepartment, ProvisionRow)


def _whole_store(method):
    """A primitive that reads every node: load the store (or the documents in scope) first."""
    @functools.wraps(method)
    def run(self, *args, **kwargs):
        if self.scope is None:
            self.g.load_everything()
        else:
            self._load_scope()
        return method(self, *args, **kwargs)
    return run


class SqliteBackend(NetworkxBackend):
    """`scope`: ids of the documents to answer for — the listings over the whole store
    (assignment_rows, gap_provisions, service_items, documents, law_articles) then hold only
    theirs; the findings of a load are computed so (queries/findings.py persist_findings)."""
    name = "sqlite"

    def __init__(self, conn, owns_connection: bool = False, scope: set[str] | None = None):
        super().__init__(GraphView(conn))
        self.conn = conn
        self._owns = owns_connection
        self.scope = None if scope is None else sorted(scope)
        self._scope_loaded = False

    def _load_scope(self) -> None:
        """Read the provisions of the documents in scope, their edges and what they point to."""
        if self._scope_loaded:
            return
        self._scope_loaded = True
        ids = [n for n, _ in self._of(Label.PROVISION)]
        self.g.prefetch_out_edges(ids)
        self.g.prefetch_in_edges(ids)
        targets = {v for p in ids for _, v, _ in self.g.out_edges(p, keys=True)}
        self.g.prefetch(targets)
        self.g.prefetch({self.g.nodes[t].get("department_id") for t in targets if t in self.g} - {None, ""})
        self.g.prefetch(self.scope)
        # The provisions service items describe, and their sub-items: the findings compare them all.
        rows = [d["provision_id"] for _, d in self._of(Label.SERVICE_ITEM)]
        self.g.prefetch(rows)
        self.g.prefetch_in_edges(rows)
        parts = [u for r in rows for u, _, k in self.g.in_edges(r, keys=True) if k == Rel.PART_OF.value]
        self._prefetch_provisions(rows + parts)

    def _prefetch_provisions(self, ids: list[str]) -> None:
        """Provisions with their edges, the nodes these lead to, and their assignments' departments."""
        self.g.prefetch(ids)
        self.g.prefetch_out_edges(ids)
        self.g.prefetch_in_edges(ids)
        targets = {v for p in ids for _, v, _ in self.g.out_edges(p, keys=True)}
        self.g.prefetch(targets)
        self.g.prefetch_out_edges(t for t in targets if self.g.nodes[t]["label"] == Label.PROVISION.value)
        self.g.prefetch({self.g.nodes[t].get("department_id") for t in targets if t in self.g} - {None, ""})
        self.g.prefetch({self.g.nodes[p]["doc_id"] for p in ids if p in self.g})

    def close(self) -> None:
        if self._owns and self.conn is not None:
            self.conn.close()
            self.conn = None

    def __del__(self):          # a query's own read connection goes with the query
        try:
            self.close()
        except Exception:       # noqa: BLE001 — interpreter shutdown: nothing left to release
            pass

    # -- indexed versions of what networkx scans ---------------------------------
    def _of(self, label: Label):
        if self.scope is not None and label in (Label.PROVISION, Label.SERVICE_ITEM):
            rows = []
            for part in chunks(self.scope):
                rows += self.conn.execute(f"SELECT id, label, props, search FROM nodes WHERE doc_id IN "
                                          f"({','.join('?' * len(part))}) AND label = ? ORDER BY num",
                                          (*part, label.value)).fetchall()
            return self.g.remember(rows)
        if self.scope is not None and label == Label.LAW_ARTICLE:
            self._load_scope()      # the articles the provisions in scope implement
            ids = {v for p, _ in self._of(Label.PROVISION) for _, v, k in self.g.out_edges(p, keys=True)
                   if k == Rel.IMPLEMENTS.value}
            self.g.prefetch(ids)
            self.g.prefetch_in_edges(ids)
            return [(n, self.g.nodes[n]) for n in sorted(ids) if n in self.g]
        return self.g.of_label(label.value)

    def count_provisions(self) -> int:
        return self.conn.execute("SELECT count(*) FROM nodes WHERE label = ?", (Label.PROVISION.value,)).fetchone()[0]

    def search_candidates(self, terms: list[str], limit: int) -> list[ProvisionRow]:
        """Provisions whose searchable text holds any of the terms.

        Chinese bigrams go through the search index, best first (FTS5's BM25)
        and no further than `limit`; a lone character or an ASCII word, which
        the index does not hold, is looked for in the text itself.  When fewer
        than `limit` provisions match, these are exactly networkx's candidates.
        """
        indexed = [t for t in terms if is_indexed_term(t)]
        others = [t for t in terms if not is_indexed_term(t)]
        nums: list[int] = []
        if indexed:
            match = " OR ".join('"' + t + '"' for t in indexed)
            nums = [r[0] for r in self.conn.execute(
                "SELECT rowid FROM search_index WHERE search_index MATCH ? ORDER BY rank LIMIT ?", (match, limit))]
        rows = []
        for part in chunks(nums):
            rows += self.conn.execute(f"SELECT id, label, props, search FROM nodes WHERE num IN "
                                      f"({','.join('?' * len(part))})", part).fetchall()
        if others and len(rows) < limit:
            test = " OR ".join("instr(search, ?) > 0" for _ in others)
            rows += self.conn.execute(f"SELECT id, label, props, search FROM nodes WHERE label = ? AND ({test}) "
                                      f"ORDER BY id LIMIT ?", (Label.PROVISION.value, *others, limit)).fetchall()
        found = dict(self.g.remember(rows))
        self.g.prefetch({d["doc_id"] for d in found.values()})
        out = [self._provision_row(pid) for pid in sorted(found)]
        return out[:limit]

    def search_ranked(self, terms: list[str], k: int, total_docs: int, score, score_bound) -> \
            list[tuple[float, ProvisionRow]] | None:
        """What queries/ranking.py's bm25 gives over every provision holding a term, its k best, given
        its `score` and `score_bound` (queries.ranking: the layer above) — scoring only
        the candidates that can still reach them: the index gives each term's provisions (so the
        candidates' document frequencies) and search_lengths their mean length, exactly as over
        all of them; candidates are then taken by the terms they hold, the best bound first
        (ranking.score_bound), and the search stops when no candidate left can beat the k-th
        score.  None when a term is not in the index (a lone character, an ASCII word)."""
        if not terms or not all(is_indexed_term(t) for t in terms) or not self._has_lengths():
            return None
        held: dict[int, int] = {}          # candidate → bit mask of the terms it holds
        df = {}
        for i, term in enumerate(terms):
            nums = [r[0] for r in self.conn.execute(
                "SELECT rowid FROM search_index WHERE search_index MATCH ?", ('"' + term + '"',))]
            df[term] = len(nums)
            for num in nums:
                held[num] = held.get(num, 0) | (1 << i)
        if not held:
            return []
        match = " OR ".join('"' + t + '"' for t in terms)
        total_len, count = self.conn.execute(
            "SELECT sum(len), count(*) FROM search_lengths WHERE num IN "
            "(SELECT rowid FROM search_index WHERE search_index MATCH ?)", (match,)).fetchone()
        if count != len(held):
            return None                     # lengths missing (written by an older dutygraph): no shortcut
        avg_len = total_len / count
        groups: dict[int, list[int]] = {}
        for num, mask in held.items():
            groups.setdefault(mask, []).append(num)
        bound = {mask: score_bound(terms, [t for i, t in enumerate(terms) if mask >> i & 1], df, total_docs)
                 for mask in groups}
        best: list[tuple[float, ProvisionRow]] = []
        for mask in sorted(groups, key=lambda m: -bound[m]):
            if len(best) >= k and bound[mask] + 1e-6 < best[k - 1][0]:
                break                       # nothing left can reach the k best
            for part in chunks(sorted(groups[mask])):
                rows = self.conn.execute(f"SELECT id, label, props, search FROM nodes WHERE num IN "
                                         f"({','.join('?' * len(part))})", part).fetchall()
                found = self.g.remember(rows)
                self.g.prefetch({d["doc_id"] for _, d in found})
                for pid, _ in found:
                    cand = self._provision_row(pid)
                    best.append((score(terms, cand, cand.search_text.lower(), df, total_docs, avg_len),
                                 cand))
                best.sort(key=lambda sc: (-sc[0], sc[1].provision_id))
                del best[k:]
        return best

    def search_count(self, terms: list[str]) -> int | None:
        """How many provisions hold a term (the candidates search_ranked ranks); None as it would be."""
        if not terms or not all(is_indexed_term(t) for t in terms) or not self._has_lengths():
            return None
        return self.conn.execute("SELECT count(*) FROM search_index WHERE search_index MATCH ?",
                                 (" OR ".join('"' + t + '"' for t in terms),)).fetchone()[0]

    def _has_lengths(self) -> bool:
        return self.conn.execute("SELECT 1 FROM meta WHERE key = 'search_lengths'").fetchone() is not None

    def find_department(self, name: str) -> DepartmentRef | None:
        ids = [r[0] for r in self.conn.execute(
            "SELECT id FROM nodes WHERE label = ? AND name = ? UNION SELECT a.id FROM aliases a "
            "JOIN nodes n ON n.id = a.id AND n.label = ? WHERE a.alias = ?",
            (Label.DEPARTMENT.value, name, Label.DEPARTMENT.value, name))]
        if not ids:
            return None
        self.g.prefetch(ids)
        hits = [(self.g.nodes[n]["name"] != name, n, self.g.nodes[n]) for n in ids]
        _, n, d = min(hits, key=lambda h: (h[0], h[1]))
        return department_ref(n, d)

    def department_duties(self, dept_id: str) -> list[AssignmentRow]:
        # The rows the networkx code will ask for, read in a few statements by index.
        aids = [a for a, _, k in self.g.in_edges(dept_id, keys=True) if k == Rel.ASSIGNED_TO.value]
        self.g.prefetch(aids)
        pids = [self.g.nodes[a]["provision_id"] for a in aids if a in self.g]
        self.g.prefetch(pids)
        self.g.prefetch_out_edges(pids)
        self.g.prefetch({self.g.nodes[p]["doc_id"] for p in pids if p in self.g})
        self.g.prefetch({v for p in pids for _, v, _ in self.g.out_edges(p, keys=True)})
        self.g.prefetch({self.g.nodes[v].get("department_id") for p in pids
                         for _, v, k in self.g.out_edges(p, keys=True) if k == Rel.HAS_ASSIGNMENT.value} - {None})
        return super().department_duties(dept_id)

    def departments(self) -> list[DepartmentRow]:
        counts: dict[str, dict] = {}
        for dept, role, count in self.conn.execute(
                "SELECT e.dst, json_extract(a.props, '$.role'), count(*) FROM edges e JOIN nodes a ON a.id = e.src "
                "WHERE e.type = ? GROUP BY e.dst, 2", (Rel.ASSIGNED_TO.value,)):
            counts.setdefault(dept, {})[role] = count
        return [department_row(n, d, counts.get(n, {})) for n, d in self._of(Label.DEPARTMENT)]

    def documents(self) -> list[DocumentRow]:
        return [document_row(n, d, count or 0) for (n, d), count in self._documents_with_counts()]

    def _documents_with_counts(self):
        rows = self.conn.execute("SELECT id, label, props, search, provisions FROM nodes WHERE label = ? "
                                 "ORDER BY num", (Label.DOCUMENT.value,)).fetchall()
        if self.scope is not None:
            rows = [r for r in rows if r[0] in set(self.scope)]
        return zip(self.g.remember(r[:4] for r in rows), (r[4] for r in rows))

    def document_provisions(self, doc_id: str) -> list[DocumentProvision]:
        rows = self.g.remember(self.conn.execute(
            "SELECT id, label, props, search FROM nodes WHERE doc_id = ? AND label = ?",
            (doc_id, Label.PROVISION.value)))
        self.g.prefetch_out_edges([n for n, _ in rows])
        self.g.prefetch([doc_id])
        out = [self._provision_row(n, DocumentProvision, parent_id=self._parent(n) or "") for n, _ in rows]
        out.sort(key=lambda r: (r.order, r.provision_id))
        return out

    def document_assignment_rows(self, doc_ids: list[str]) -> list[AssignmentRow]:
        """The networkx primitive reads every provision of the store to keep those of a few laws
        (with 1,708 laws loaded: 200,000 provisions decoded after every load); here they come by
        the document index, with their edges, assignments and departments in a few statements."""
        if self.scope is not None:
            return super().document_assignment_rows(doc_ids)      # a scoped view: its own provisions
        wanted = sorted(set(doc_ids))
        rows = []
        for part in chunks(wanted):
            rows += self.conn.execute(f"SELECT num, id, label, props, search FROM nodes WHERE doc_id IN "
                                      f"({','.join('?' * len(part))}) AND label = ?",
                                      (*part, Label.PROVISION.value)).fetchall()
        rows.sort()         # in store order, as networkx and of_label give them
        pids = [pid for pid, _ in self.g.remember(r[1:] for r in rows)]
        self.g.prefetch(wanted)
        self.g.prefetch_out_edges(pids)
        aids = [v for p in pids for _, v, k in self.g.out_edges(p, keys=True) if k == Rel.HAS_ASSIGNMENT.value]
        self.g.prefetch(aids)
        self.g.prefetch({self.g.nodes[a].get("department_id") for a in aids if a in self.g} - {None, ""})
        return [r for pid in pids for r in self._assignment_rows(pid)]

    def implementations(self) -> list[ImplementationRow]:
        """networkx walks every edge of the store for the few IMPLEMENTS links; SQLite filters them."""
        links = self.conn.execute("SELECT src, dst FROM edges WHERE type = ? ORDER BY src, type, dst",
                                  (Rel.IMPLEMENTS.value,)).fetchall()
        self.g.prefetch({n for link in links for n in link})
        self.g.prefetch({self.g.nodes[p]["doc_id"] for p, _ in links if p in self.g})
        return [self._implementation(pid, art) for pid, art in links]

    def place_departments(self) -> list[PlaceDepartment]:
        """(department, place) of every named holder in a local document, from the distinct
        (department, document) pairs of the assignments instead of every assignment decoded."""
        pairs = self.conn.execute(
            "SELECT DISTINCT json_extract(props, '$.department_id'), json_extract(props, '$.doc_id') "
            "FROM nodes WHERE label = ?", (Label.ASSIGNMENT.value,)).fetchall()
        self.g.prefetch({n for pair in pairs for n in pair if n})
        return self._departments_by_place(pairs)

    def stored_findings(self, names: set[str] | None = None) -> list[dict] | None:
        """The findings the last load stored, as queries/findings.py records (those naming one of
        `names` as a holder or in their evidence, by index, when given); None unless they are those
        of today under the default rules (graph/sqlite_backend/store.py findings_day)."""
        from datetime import date
        day = self.conn.execute("SELECT value FROM meta WHERE key = 'findings_day/2'").fetchone()
        if self.scope is not None or not day or day[0] != date.today().isoformat():
            return None
        if names is None:
            rows = self.conn.execute("SELECT props FROM nodes WHERE label = ?", (Label.FINDING.value,)).fetchall()
        else:
            rows = self.conn.execute(
                f"SELECT DISTINCT n.props FROM finding_names f JOIN nodes n ON n.id = f.finding "
                f"WHERE f.name IN ({','.join('?' * len(names))})", sorted(names)).fetchall()
        out = []
        for (props,) in rows:
            f = json.loads(props)
            out.append({"id": f["id"], "type": f["type"], "severity": f["severity"], "title_zh": f["title_zh"],
                        "departments": f["departments"], "provisions": json.loads(f["provisions"]),
                        "evidence": json.loads(f["evidence"]), "evidence_hash": f["evidence_hash"],
                        "details": json.loads(f["details"])})
        return out

    def stats(self) -> dict:
        counts = {label.value: 0 for label in Label}
        for label, count in self.conn.execute("SELECT label, count(*) FROM nodes GROUP BY label"):
            counts[label] = count
        return counts

    # -- questions over the whole store --------------------------------------------
    assignment_rows = _whole_store(NetworkxBackend.assignment_rows)
    gap_provisions = _whole_store(NetworkxBackend.gap_provisions)
    law_articles = _whole_store(NetworkxBackend.law_articles)
    service_items = _whole_store(NetworkxBackend.service_items)
