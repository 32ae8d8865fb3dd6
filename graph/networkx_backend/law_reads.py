"""The law primitives over the embedded networkx graph, twins of
graph/neo4j_backend/law_reads.py; mixed into NetworkxBackend (its helpers _of, _doc,
_provision_row and _assignment_rows are used)."""
from __future__ import annotations

from graph.results import AssignmentRow, ImplementationRow, PlaceDepartment
from graph.schema import Label, Rel


class LawPrimitivesNetworkx:
    def implementations(self) -> list[ImplementationRow]:
        """Every (local provision, law article) IMPLEMENTS link, with the provision's document."""
        rows = []
        for pid, art, key in self.g.edges(keys=True):
            if key != Rel.IMPLEMENTS.value:
                continue
            rows.append(self._implementation(pid, art))
        return rows

    def _implementation(self, pid: str, art: str) -> ImplementationRow:
        a = self.g.nodes[art]
        return self._provision_row(pid, ImplementationRow, article_id=art, law=a.get("law", ""), label=a["name"])

    def document_assignment_rows(self, doc_ids: list[str]) -> list[AssignmentRow]:
        """assignment_rows() of the given documents only."""
        wanted = set(doc_ids)
        return [r for pid, d in self._of(Label.PROVISION) if d["doc_id"] in wanted
                for r in self._assignment_rows(pid)]

    def place_departments(self) -> list[PlaceDepartment]:
        """(department, place) for every named holder of a duty in a local (non-law) document."""
        return self._departments_by_place((a.get("department_id"), a.get("doc_id"))
                                          for _, a in self._of(Label.ASSIGNMENT))

    def _departments_by_place(self, pairs) -> list[PlaceDepartment]:
        """place_departments from (department id, document id) pairs of assignments."""
        seen = set()
        for dept_id, doc_id in pairs:
            doc = self.g.nodes.get(doc_id, {}) if doc_id else {}
            if not dept_id or dept_id not in self.g or doc.get("kind", ""):
                continue
            dep = self.g.nodes[dept_id]
            seen.add((dept_id, dep["name"], dep.get("kind", ""), doc.get("place", "")))
        return [PlaceDepartment(department_id=i, department=n, department_kind=k, doc_place=p)
                for i, n, k, p in seen]
