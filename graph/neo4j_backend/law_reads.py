"""The law primitives in Cypher (statements in graph/neo4j_backend/cypher.py), twins of
graph/networkx_backend/law_reads.py; mixed into Neo4jBackend."""
from __future__ import annotations

from graph.neo4j_backend import cypher
from graph.results import AssignmentRow, ImplementationRow, PlaceDepartment


class LawPrimitivesNeo4j:
    def implementations(self) -> list[ImplementationRow]:
        """Every (local provision, law article) IMPLEMENTS link, with the provision's document."""
        return self._typed(ImplementationRow, cypher.IMPLEMENTATIONS)

    def document_assignment_rows(self, doc_ids: list[str]) -> list[AssignmentRow]:
        """assignment_rows() of the given documents only."""
        if not doc_ids:
            return []
        return self._typed(AssignmentRow, cypher.DOCUMENT_ASSIGNMENT_ROWS, doc_ids=list(doc_ids))

    def place_departments(self) -> list[PlaceDepartment]:
        """(department, place) for every named holder of a duty in a local (non-law) document."""
        return self._typed(PlaceDepartment, cypher.PLACE_DEPARTMENTS)
