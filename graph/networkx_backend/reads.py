"""The query vocabulary's primitives over the embedded networkx graph.

Each method has a twin in graph/neo4j_backend/reads.py written in Cypher; the
differential test (tests/test_differential.py) proves they agree.  Rows are
plain dicts; queries/vocabulary.py orders and shapes them for answers.
"""
from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:       # not imported at run time: the SQLite backend runs this code without networkx
    import networkx as nx

from graph.schema import Label, Rel
from graph.networkx_backend.law_reads import LawPrimitivesNetworkx

_DOC_FIELDS = ("id", "number", "title", "issuer", "date", "source", "place", "kind")


class NetworkxBackend(LawPrimitivesNetworkx):   # the law primitives: law_reads.py
    name = "networkx"

    def __init__(self, graph: nx.MultiDiGraph):
        self.g = graph

    # -- helpers ----------------------------------------------------------
    def _of(self, label: Label):
        value = label.value     # once: an Enum attribute costs a descriptor call per node
        return [(n, d) for n, d in self.g.nodes(data=True) if d.get("label") == value]

    def _doc(self, doc_id: str) -> dict:
        d = self.g.nodes[doc_id] if doc_id in self.g else {}
        return {"doc_id": doc_id, "doc_number": d.get("number", ""), "doc_title": d.get("title", ""),
                "doc_place": d.get("place", "")}

    def _parent(self, pid: str):
        for _, parent, key in self.g.out_edges(pid, keys=True):
            if key == Rel.PART_OF.value and self.g.nodes[parent].get("label") == Label.PROVISION.value:
                return parent
        return None

    def _own_assignments(self, pid: str) -> list[dict]:
        rows = []
        for _, aid, key in self.g.out_edges(pid, keys=True):
            if key != Rel.HAS_ASSIGNMENT.value:
                continue
            a = self.g.nodes[aid]
            dept = self.g.nodes[a["department_id"]] if a.get("department_id") in self.g else {}
            rows.append({
                "assignment_id": aid, "department_id": a.get("department_id", ""),
                "department": dept.get("name", ""), "department_kind": dept.get("kind", ""),
                "role": a["role"], "vague": a.get("vague", ""), "open_ended": a.get("open_ended", False),
                "condition": a.get("condition", ""), "pending": a.get("pending", False),
                "deadline": a.get("deadline", ""), "deadline_date": a.get("deadline_date", ""),
                "printed_name": a.get("printed_name", ""), "source": a.get("source", ""),
                "quote": a.get("quote", ""), "span_start": a.get("span_start", 0), "span_end": a.get("span_end", 0),
                "level": a.get("level", ""), "field": a.get("field", ""), "designated": a.get("designated", False),
                "page": a.get("page", 0)})
        return rows

    def _provision_row(self, pid: str) -> dict:
        p = self.g.nodes[pid]
        row = {"provision_id": pid, "unit": p["unit"], "kind": p["kind"], "heading": p.get("heading", ""),
               "text": p.get("text", ""), "search_text": p.get("search_text", ""), "order": p.get("order", 0),
               "span_start": p.get("span_start", 0), "span_end": p.get("span_end", 0), "page": p.get("page", 0)}
        row.update(self._doc(p["doc_id"]))
        return row

    # -- primitives -------------------------------------------------------
    def count_provisions(self) -> int:
        return sum(1 for _ in self._of(Label.PROVISION))

    def search_candidates(self, terms: list[str], limit: int) -> list[dict]:
        """Provisions whose searchable text holds any of the terms."""
        rows = [self._provision_row(n) for n, d in self._of(Label.PROVISION)
                if any(t in d.get("search_text", "") for t in terms)]
        rows.sort(key=lambda r: r["provision_id"])
        return rows[:limit]

    # -- shortcuts of graph.seams.ReadBackend this backend does not offer: the general way is taken --
    def search_ranked(self, terms: list[str], k: int, total_docs: int, score, score_bound) -> list | None:
        return None

    def search_count(self, terms: list[str]) -> int | None:
        return None

    def stored_findings(self, names: set[str] | None = None) -> list[dict] | None:
        return None


    def holders(self, provision_ids: list[str]) -> list[dict]:
        """Each provision's holders: its own, else the nearest ancestor's (marked inherited_from)."""
        rows = []
        for pid in provision_ids:
            node, inherited = pid, ""
            while node is not None:
                own = self._own_assignments(node)
                if own:
                    for r in own:
                        r.update(provision_id=pid, inherited_from=inherited)
                    rows.extend(own)
                    break
                node = self._parent(node)
                inherited = self.g.nodes[node]["unit"] if node else ""
        return rows

    def find_department(self, name: str) -> dict | None:
        """The department of that name, else the one with that alias (the smallest id, as in Cypher:
        two places' bureaus may share a printed form)."""
        hits = [(d["name"] != name, n, d) for n, d in self._of(Label.DEPARTMENT)
                if d["name"] == name or name in d.get("aliases", [])]
        if not hits:
            return None
        _, n, d = min(hits, key=lambda h: (h[0], h[1]))
        return {"id": n, "name": d["name"], "kind": d["kind"], "aliases": sorted(d.get("aliases", []))}

    def department_duties(self, dept_id: str) -> list[dict]:
        rows = []
        for aid, _, key in self.g.in_edges(dept_id, keys=True):
            if key != Rel.ASSIGNED_TO.value:
                continue
            pid = self.g.nodes[aid]["provision_id"]
            row = self._provision_row(pid)
            own = next(r for r in self._own_assignments(pid) if r["assignment_id"] == aid)
            row.update(own)
            rows.append(row)
        return rows

    def departments(self) -> list[dict]:
        rows = []
        for n, d in self._of(Label.DEPARTMENT):
            counts = {"lead": 0, "responsible": 0, "supporting": 0}
            for aid, _, key in self.g.in_edges(n, keys=True):
                if key == Rel.ASSIGNED_TO.value:
                    counts[self.g.nodes[aid]["role"]] = counts.get(self.g.nodes[aid]["role"], 0) + 1
            rows.append({"id": n, "name": d["name"], "kind": d["kind"], "aliases": sorted(d.get("aliases", [])),
                         "needs_review": d.get("needs_review", False), **counts})
        return rows

    def assignment_rows(self) -> list[dict]:
        rows = []
        for pid, _ in self._of(Label.PROVISION):
            prov = self._provision_row(pid)
            for a in self._own_assignments(pid):
                rows.append({**prov, **a})
        return rows

    def gap_provisions(self) -> list[dict]:
        """Leaf provisions with no holder of their own or through an ancestor."""
        rows = []
        for pid, d in self._of(Label.PROVISION):
            if d["kind"] in ("preamble", "annex", "section"):
                continue
            if any(k == Rel.PART_OF.value for _, _, k in self.g.in_edges(pid, keys=True)):
                continue
            if not self.holders([pid]):
                rows.append(self._provision_row(pid))
        return rows

    def documents(self) -> list[dict]:
        counts: dict[str, int] = {}     # one pass over the provisions, not one per document
        for _, x in self._of(Label.PROVISION):
            counts[x["doc_id"]] = counts.get(x["doc_id"], 0) + 1
        return [{**{f: d.get(f, "") for f in _DOC_FIELDS}, "id": n, "provisions": counts.get(n, 0)}
                for n, d in self._of(Label.DOCUMENT)]

    def provision(self, pid: str) -> dict | None:
        if pid not in self.g or self.g.nodes[pid].get("label") != Label.PROVISION.value:
            return None
        row = self._provision_row(pid)
        row["parent_id"] = self._parent(pid) or ""
        row["children"] = sorted(u for u, _, k in self.g.in_edges(pid, keys=True) if k == Rel.PART_OF.value)
        row["citations"] = sorted(self.g.nodes[v]["number"] for _, v, k in self.g.out_edges(pid, keys=True)
                                  if k == Rel.CITES.value)
        return row

    def document_provisions(self, doc_id: str) -> list[dict]:
        """Every provision of one document, in reading order, with its parent."""
        rows = []
        for n, d in self._of(Label.PROVISION):
            if d["doc_id"] == doc_id:
                rows.append({**self._provision_row(n), "parent_id": self._parent(n) or ""})
        rows.sort(key=lambda r: (r["order"], r["provision_id"]))
        return rows

    def service_items(self) -> list[dict]:
        return [{"id": n, "name": d["name"], "category": d.get("category", ""),
                 "provision_id": d["provision_id"], "attributes": d.get("attributes", "{}")}
                for n, d in self._of(Label.SERVICE_ITEM)]

    def targets(self, provision_ids: list[str] | None = None) -> list[dict]:
        """The targets the given provisions set (SETS); every target when no ids are given."""
        edges = (self.g.edges(keys=True) if provision_ids is None
                 else self.g.out_edges([p for p in provision_ids if p in self.g], keys=True))
        sets = [(u, t) for u, t, k in edges if k == Rel.SETS.value]
        rows = []
        for pid, t in sets:
            d = self.g.nodes[t]
            rows.append({"provision_id": pid, "id": t, "indicator": d.get("indicator", ""),
                         "value": d.get("value", ""), "unit": d.get("unit_of_measure", ""),
                         "year": d.get("year", ""), "quote": d.get("quote", ""),
                         "span_start": d.get("span_start", 0), "span_end": d.get("span_end", 0)})
        return rows

    def law_articles(self) -> list[dict]:
        rows = []
        for n, d in self._of(Label.LAW_ARTICLE):
            provs = sorted(u for u, _, k in self.g.in_edges(n, keys=True) if k == Rel.IMPLEMENTS.value)
            rows.append({"id": n, "law": d.get("law", ""), "label": d["name"], "provision_ids": provs})
        return rows

    def stats(self) -> dict:
        counts = {label.value: 0 for label in Label}
        for _, d in self.g.nodes(data=True):
            counts[d["label"]] = counts.get(d["label"], 0) + 1
        return counts
