"""The two seams every backend implements: a `Store` to change the graph, a `ReadBackend` to ask it.

A backend is a package under graph/ holding its store, its reads and whatever
language it speaks (graph/networkx_backend/, graph/neo4j_backend/: Cypher),
registered by name in graph/backends.py.  Nothing above graph/ names a
backend's classes: callers get a `Store` from `open_backend(settings)` and its
`ReadBackend` from `store.reads()`.  Both protocols are runtime-checkable, and
tests/test_differential.py checks every backend against them.

Rows are the frozen dataclasses of graph/results.py, the same types on every
backend; queries/vocabulary.py orders them (`canonical`) and shapes them into answers.
"""
from __future__ import annotations

from typing import Protocol, runtime_checkable

from graph.model import LoadResult
from graph.results import (AssignmentRow, DepartmentRef, DepartmentRow, DocumentProvision, DocumentRow, HolderRow,
                           ImplementationRow, LawArticleRow, PlaceDepartment, ProvisionDetail, ProvisionRow,
                           ServiceItemRow, TargetRow)


# The ReadBackend methods a backend may answer with None ("no shortcut here"); they are no primitive
# whose answers the backends must share, and each is tested equal to the general way where it is offered.
SHORTCUTS = frozenset({"search_ranked", "search_count", "stored_findings"})


class NoShortcuts:
    """The SHORTCUTS of a backend that has none: the vocabulary then takes the general way."""

    def search_ranked(self, terms: list[str], k: int, total_docs: int, score, score_bound) -> list | None:
        return None

    def search_count(self, terms: list[str]) -> int | None:
        return None

    def stored_findings(self, names: set[str] | None = None) -> list[dict] | None:
        return None


@runtime_checkable
class ReadBackend(Protocol):
    """The query primitives: everything queries/ asks of a graph."""

    name: str

    def count_provisions(self) -> int: ...

    def search_candidates(self, terms: list[str], limit: int) -> list[ProvisionRow]:
        """Provisions whose searchable text holds any of the terms (by provision id, at most `limit`: past
        it an indexed backend keeps the best by its index's score; networkx, with no index, the first by id)."""

    def holders(self, provision_ids: list[str]) -> list[HolderRow]:
        """Each provision's holders: its own, else the nearest ancestor's (marked inherited_from)."""

    # Shortcuts a backend may offer; None means "none here": the caller then takes the general way.
    def search_ranked(self, terms: list[str], k: int, total_docs: int, score, score_bound) -> list | None:
        """The k best (score, provision row) of ranking every candidate, found without scoring them all."""

    def search_count(self, terms: list[str]) -> int | None:
        """How many provisions hold any of the terms, counted by an index."""

    def stored_findings(self, names: set[str] | None = None) -> list[dict] | None:
        """The findings the store computed at its last load, when they are today's."""

    def find_department(self, name: str) -> DepartmentRef | None:
        """The department of that name, else the one with that alias (the smallest id)."""

    def department_duties(self, dept_id: str) -> list[AssignmentRow]: ...

    def departments(self) -> list[DepartmentRow]: ...

    def assignment_rows(self) -> list[AssignmentRow]: ...

    def gap_provisions(self) -> list[ProvisionRow]:
        """Leaf provisions with no holder of their own or through an ancestor."""

    def documents(self) -> list[DocumentRow]: ...

    def provision(self, pid: str) -> ProvisionDetail | None: ...

    def document_provisions(self, doc_id: str) -> list[DocumentProvision]: ...

    def service_items(self) -> list[ServiceItemRow]: ...

    def targets(self, provision_ids: list[str] | None = None) -> list[TargetRow]: ...

    def law_articles(self) -> list[LawArticleRow]: ...

    def implementations(self) -> list[ImplementationRow]:
        """Every (local provision, law article) IMPLEMENTS link, with the provision's document."""

    def document_assignment_rows(self, doc_ids: list[str]) -> list[AssignmentRow]:
        """assignment_rows() of the given documents only."""

    def place_departments(self) -> list[PlaceDepartment]:
        """(department, place) for every named holder of a duty in a local (non-law) document."""

    def stats(self) -> dict:
        """Node count of every label (0 when absent)."""


@runtime_checkable
class Store(Protocol):
    """A writable graph.  Change it only through service/ (the write lock, the findings refresh).

    Atomicity, the same on every backend: `write_all` replaces the documents of
    all its results or of none (the embedded store swaps its file once at
    `save`, Neo4j commits one transaction); `delete_document` and
    `write_findings` are each all or nothing too.
    """

    #: True: one open store serves every thread and sees every change (a server's driver).
    #: False: the store is a private copy of a file; a writer changes a fresh copy and
    #: readers keep theirs until the file is replaced (service/holder.py).
    shared: bool

    def is_current(self) -> bool:
        """Whether this open store still shows the stored state (a copy of a file that was since replaced does not)."""

    def write(self, result: LoadResult) -> dict:
        """Replace the documents of one load; returns {"nodes": n, "relationships": m} newly created."""

    def write_all(self, results: list[LoadResult]) -> dict:
        """Replace the documents of several loads, all or nothing; the created counts summed."""

    def delete_document(self, doc_id: str) -> bool:
        """Remove a document and everything derived from it; False if there was none."""

    def write_findings(self, nodes: list[dict], rels: list[dict]) -> None:
        """Replace every Finding node (rows as graph/records.py makes them)."""

    def stats(self) -> dict:
        """Node count of every label."""

    def reads(self) -> ReadBackend:
        """The query primitives over this store's current state."""

    def save(self) -> None:
        """Make the changes so far durable (the embedded file swap; nothing on a server)."""

    def close(self) -> None: ...
