"""The query vocabulary's primitives over the embedded networkx graph.

Each method has a twin in graph/neo4j_backend/reads.py written in Cypher; the
differential test (tests/test_differential.py) proves they agree.  Rows are
the types of graph/results.py; queries/vocabulary.py orders and shapes them for answers.
"""
from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:       # not imported at run time: the SQLite backend runs this code without networkx
    import networkx as nx

from graph.results import (Assignment, AssignmentRow, DepartmentRef, DepartmentRow, DocumentProvision,
                           DocumentRow, HolderRow, LawArticleRow, ProvisionDetail, ProvisionRow, ServiceItemRow,
                           TargetRow)
from graph.schema import Label, Rel
from graph.networkx_backend.law_reads import LawPrimitivesNetworkx
from graph.seams import NoShortcuts



class NetworkxBackend(LawPrimitivesNetworkx, NoShortcuts):   # the law primitives: law_reads.py
    name = "networkx"

    def __init__(self, graph: nx.MultiDiGraph):
        self.g = graph

    # -- helpers ----------------------------------------------------------
    def _of(self, label: Label):
        value = label.value     # once: an Enum attribute costs a descriptor call per node
        return [(n, d) for n, d in self.g.nodes(data=True) if d.get("label") == value]

    def _doc(self, doc_id: str) -> dict:
        """The document fields of a provision-shaped row."""
        d = self.g.nodes[doc_id] if doc_id in self.g else {}
        return {"doc_id": doc_id, "doc_number": d.get("number", ""), "doc_title": d.get("title", ""),
                "doc_place": d.get("place", "")}

    def _parent(self, pid: str):
        for _, parent, key in self.g.out_edges(pid, keys=True):
            if key == Rel.PART_OF.value and self.g.nodes[parent].get("label") == Label.PROVISION.value:
                return parent
        return None

    def _own_assignments(self, pid: str) -> list[Assignment]:
        rows = []
        for _, aid, key in self.g.out_edges(pid, keys=True):
            if key != Rel.HAS_ASSIGNMENT.value:
                continue
            a = self.g.nodes[aid]
            dept = self.g.nodes[a["department_id"]] if a.get("department_id") in self.g else {}
            rows.append(Assignment.from_props(a, assignment_id=aid, role=a["role"], department=dept.get("name", ""),
                                              department_kind=dept.get("kind", "")))
        return rows

    def _provision_row(self, pid: str, row_type: type[ProvisionRow] = ProvisionRow, **extra) -> ProvisionRow:
        p = self.g.nodes[pid]
        return row_type.from_props(p, provision_id=pid, unit=p["unit"], kind=p["kind"], **self._doc(p["doc_id"]),
                                   **extra)

    def _assignment_rows(self, pid: str) -> list[AssignmentRow]:
        """The provision's own assignments, each with the provision (the span is the assignment's)."""
        prov = self._provision_row(pid)
        return [AssignmentRow.of(prov, a) for a in self._own_assignments(pid)]

    # -- primitives -------------------------------------------------------
    def count_provisions(self) -> int:
        return sum(1 for _ in self._of(Label.PROVISION))

    def search_candidates(self, terms: list[str], limit: int) -> list[ProvisionRow]:
        """Provisions whose searchable text holds any of the terms."""
        rows = [self._provision_row(n) for n, d in self._of(Label.PROVISION)
                if any(t in d.get("search_text", "") for t in terms)]
        rows.sort(key=lambda r: r.provision_id)
        return rows[:limit]

    def holders(self, provision_ids: list[str]) -> list[HolderRow]:
        """Each provision's holders: its own, else the nearest ancestor's (marked inherited_from)."""
        rows = []
        for pid in provision_ids:
            node, inherited = pid, ""
            while node is not None:
                own = self._own_assignments(node)
                if own:
                    rows += [HolderRow.of(a, provision_id=pid, inherited_from=inherited) for a in own]
                    break
                node = self._parent(node)
                inherited = self.g.nodes[node]["unit"] if node else ""
        return rows

    def find_department(self, name: str) -> DepartmentRef | None:
        """The department of that name, else the one with that alias (the smallest id, as in Cypher:
        two places' bureaus may share a printed form)."""
        hits = [(d["name"] != name, n, d) for n, d in self._of(Label.DEPARTMENT)
                if d["name"] == name or name in d.get("aliases", [])]
        if not hits:
            return None
        _, n, d = min(hits, key=lambda h: (h[0], h[1]))
        return department_ref(n, d)

    def department_duties(self, dept_id: str) -> list[AssignmentRow]:
        rows = []
        for aid, _, key in self.g.in_edges(dept_id, keys=True):
            if key != Rel.ASSIGNED_TO.value:
                continue
            pid = self.g.nodes[aid]["provision_id"]
            rows.append(next(r for r in self._assignment_rows(pid) if r.assignment_id == aid))
        return rows

    def departments(self) -> list[DepartmentRow]:
        rows = []
        for n, d in self._of(Label.DEPARTMENT):
            counts = {"lead": 0, "responsible": 0, "supporting": 0}
            for aid, _, key in self.g.in_edges(n, keys=True):
                if key == Rel.ASSIGNED_TO.value:
                    counts[self.g.nodes[aid]["role"]] = counts.get(self.g.nodes[aid]["role"], 0) + 1
            rows.append(department_row(n, d, counts))
        return rows

    def assignment_rows(self) -> list[AssignmentRow]:
        return [r for pid, _ in self._of(Label.PROVISION) for r in self._assignment_rows(pid)]

    def gap_provisions(self) -> list[ProvisionRow]:
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

    def documents(self) -> list[DocumentRow]:
        counts: dict[str, int] = {}     # one pass over the provisions, not one per document
        for _, x in self._of(Label.PROVISION):
            counts[x["doc_id"]] = counts.get(x["doc_id"], 0) + 1
        return [document_row(n, d, counts.get(n, 0)) for n, d in self._of(Label.DOCUMENT)]

    def provision(self, pid: str) -> ProvisionDetail | None:
        if pid not in self.g or self.g.nodes[pid].get("label") != Label.PROVISION.value:
            return None
        return self._provision_row(
            pid, ProvisionDetail, parent_id=self._parent(pid) or "",
            children=tuple(sorted(u for u, _, k in self.g.in_edges(pid, keys=True) if k == Rel.PART_OF.value)),
            citations=tuple(sorted(self.g.nodes[v]["number"] for _, v, k in self.g.out_edges(pid, keys=True)
                                   if k == Rel.CITES.value)))

    def document_provisions(self, doc_id: str) -> list[DocumentProvision]:
        """Every provision of one document, in reading order, with its parent."""
        rows = [self._provision_row(n, DocumentProvision, parent_id=self._parent(n) or "")
                for n, d in self._of(Label.PROVISION) if d["doc_id"] == doc_id]
        rows.sort(key=lambda r: (r.order, r.provision_id))
        return rows

    def service_items(self) -> list[ServiceItemRow]:
        return [ServiceItemRow(id=n, name=d["name"], category=d.get("category", ""),
                               provision_id=d["provision_id"], attributes=d.get("attributes", "{}"))
                for n, d in self._of(Label.SERVICE_ITEM)]

    def targets(self, provision_ids: list[str] | None = None) -> list[TargetRow]:
        """The targets the given provisions set (SETS); every target when no ids are given."""
        edges = (self.g.edges(keys=True) if provision_ids is None
                 else self.g.out_edges([p for p in provision_ids if p in self.g], keys=True))
        sets = [(u, t) for u, t, k in edges if k == Rel.SETS.value]
        rows = []
        for pid, t in sets:
            d = self.g.nodes[t]
            # (the node's `unit` would be a provision's word; a target's unit is its unit_of_measure)
            rows.append(TargetRow.from_props(d, provision_id=pid, id=t, unit=d.get("unit_of_measure", "")))
        return rows

    def law_articles(self) -> list[LawArticleRow]:
        rows = []
        for n, d in self._of(Label.LAW_ARTICLE):
            provs = sorted(u for u, _, k in self.g.in_edges(n, keys=True) if k == Rel.IMPLEMENTS.value)
            rows.append(LawArticleRow(id=n, law=d.get("law", ""), label=d["name"], provision_ids=tuple(provs)))
        return rows

    def stats(self) -> dict:
        counts = {label.value: 0 for label in Label}
        for _, d in self.g.nodes(data=True):
            counts[d["label"]] = counts.get(d["label"], 0) + 1
        return counts


# -- rows of stored nodes, shared with the SQLite reads (graph/sqlite_backend/reads.py) --------

def department_ref(node_id: str, d: dict) -> DepartmentRef:
    return DepartmentRef(id=node_id, name=d["name"], kind=d["kind"], aliases=tuple(sorted(d.get("aliases", []))))


def department_row(node_id: str, d: dict, counts: dict[str, int]) -> DepartmentRow:
    """A department node with its duty counts by role (0 for a role it does not hold)."""
    by_role = {"lead": 0, "responsible": 0, "supporting": 0, **counts}
    return DepartmentRow.of(department_ref(node_id, d), needs_review=d.get("needs_review", False), **by_role)


def document_row(node_id: str, d: dict, provisions: int) -> DocumentRow:
    return DocumentRow.from_props(d, id=node_id, provisions=provisions)
