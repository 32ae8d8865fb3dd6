"""The query vocabulary's primitives in Cypher, twins of graph/networkx_backend/reads.py.

Same method names, same row types (graph/results.py); tests/test_differential.py
proves the answers equal.  Every statement is in cypher.py beside this file; here we
only pass parameters, bound the rows, reshape where Cypher and Python differ (list
order is settled in Python so both backends sort strings the same way) and turn
each record into its row type (`from_record`: a RETURN alias must be a field).

    backend = Neo4jBackend(driver, "neo4j", timeout=10)
    backend.find_department("市工信局").name    # '市工业和信息化局'
"""
from __future__ import annotations

import neo4j
from neo4j.exceptions import ClientError, DriverError, Neo4jError

from graph.errors import QueryError, StoreError
from graph.results import (AssignmentRow, DepartmentRef, DepartmentRow, DocumentProvision, DocumentRow,
                           HolderRow, LawArticleRow, ProvisionDetail, ProvisionRow, R, ServiceItemRow, TargetRow)
from graph.schema import Label
from graph.neo4j_backend import cypher
from graph.neo4j_backend.law_reads import LawPrimitivesNeo4j
from graph.seams import NoShortcuts

# Every list a primitive returns is bounded.  The vocabulary needs whole lists
# (it sorts and counts them), so reaching the bound is an error, never a silent cut.
MAX_ROWS = 100_000
# Records per round trip: a search's 5,000 candidates in one batch rather than five.
_FETCH_SIZE = 5000
# Kinds that are containers, not duties: never reported as gaps (as in the networkx twin).
_NO_GAP_KINDS = ["preamble", "annex", "section"]
# A term is answered by the cjk full-text index exactly when it is one Han
# bigram: the analyzer indexes every pair of adjacent Han characters.
_HAN = range(0x4E00, 0xA000)
# Lucene refuses a query of more than 1024 clauses (a phrase counts each of its
# tokens); a topic with this many bigrams is scanned instead.
_MAX_INDEX_TERMS = 200


def _indexable(term: str) -> bool:
    return len(term) == 2 and all(ord(ch) in _HAN for ch in term)


def _lucene_phrase(term: str) -> str:
    """A term as a quoted Lucene phrase; quotes and backslashes escaped."""
    return '"' + term.replace("\\", "\\\\").replace('"', '\\"') + '"'


def search_statement(terms: list[str], limit: int) -> tuple[str, dict]:
    """The statement and parameters that find the candidates for `terms` ('' when there are no terms)."""
    terms = [t for t in terms if t]
    if not terms:
        return "", {}
    if len(terms) <= _MAX_INDEX_TERMS and all(_indexable(t) for t in terms):
        lucene = " OR ".join(_lucene_phrase(t) for t in terms)
        return cypher.SEARCH_FULLTEXT, {"lucene": lucene, "terms": terms, "limit": limit}
    # A lone character or an ASCII word may sit inside a longer token the
    # index split differently; only a scan answers those exactly.
    return cypher.SEARCH_SCAN, {"terms": terms, "limit": limit}


class Neo4jBackend(LawPrimitivesNeo4j, NoShortcuts):   # the law primitives: law_reads.py
    name = "neo4j"

    def __init__(self, driver: neo4j.Driver, database: str = "neo4j", timeout: float = 10.0,
                 bookmarks: neo4j.BookmarkManager | None = None):
        self.driver, self.database, self.timeout = driver, database, timeout
        # The store's bookmark manager (Neo4jStore.reads): in a cluster a read is
        # routed to a follower, which then waits until it holds the store's last
        # write, so a question right after a load sees the load.
        self.bookmarks = bookmarks

    # -- plumbing ------------------------------------------------------------
    def _run(self, statement: str, **params) -> list[dict]:
        """One read transaction with the configured timeout; rows as plain dicts."""
        @neo4j.unit_of_work(timeout=self.timeout)
        def work(tx):
            # Every statement returns plain values (no nodes or paths), so a row is
            # its keys zipped with its values: record.data(), which walks each value
            # for graph types to convert, took a third of a 5,000-row search.
            result = tx.run(statement, **params)
            keys = result.keys()
            return [dict(zip(keys, record)) for record in result]
        try:
            # A read transaction: through a routing driver (neo4j://, neo4j+s://) it
            # goes to a follower or read replica, never to the leader.
            with self.driver.session(database=self.database, default_access_mode=neo4j.READ_ACCESS,
                                     bookmark_manager=self.bookmarks, fetch_size=_FETCH_SIZE) as session:
                return session.execute_read(work)
        except ClientError as exc:
            if "TimedOut" in (exc.code or ""):
                raise QueryError(f"the query took longer than {self.timeout:g}s "
                                 f"(DUTYGRAPH_QUERY_TIMEOUT); ask a narrower question") from exc
            raise StoreError(f"Neo4j refused a query ({exc.code}): {exc.message}") from exc
        except (Neo4jError, DriverError) as exc:
            raise StoreError(f"Neo4j query failed ({exc}); is the server running (scripts/neo4j status)?") from exc

    def _bounded(self, statement: str, **params) -> list[dict]:
        rows = self._run(statement, limit=MAX_ROWS + 1, **params)
        if len(rows) > MAX_ROWS:
            raise QueryError(f"more than {MAX_ROWS} rows; ask about one document or department")
        return rows

    def _typed(self, row_type: type[R], statement: str, **params) -> list[R]:
        """The bounded records of a statement as rows of one type."""
        return [row_type.from_record(r) for r in self._bounded(statement, **params)]

    def _typed_run(self, row_type: type[R], statement: str, **params) -> list[R]:
        """The records of a statement that bounds itself ($limit given) as rows of one type."""
        return [row_type.from_record(r) for r in self._run(statement, **params)]

    # -- primitives ------------------------------------------------------------
    def count_provisions(self) -> int:
        return self._run(cypher.COUNT_PROVISIONS)[0]["n"]

    def search_candidates(self, terms: list[str], limit: int) -> list[ProvisionRow]:
        """Provisions whose searchable text holds any of the terms."""
        statement, params = search_statement(terms, limit)
        return self._typed_run(ProvisionRow, statement, **params) if statement else []

    def holders(self, provision_ids: list[str]) -> list[HolderRow]:
        """Each provision's holders: its own, else the nearest ancestor's (marked inherited_from)."""
        if not provision_ids:
            return []
        return self._typed(HolderRow, cypher.HOLDERS, ids=list(provision_ids))

    def find_department(self, name: str) -> DepartmentRef | None:
        if any(ch.isalnum() for ch in name):
            rows = self._run(cypher.FIND_DEPARTMENT, name=name, phrase=_lucene_phrase(name))
        else:
            rows = self._run(cypher.FIND_DEPARTMENT_SCAN, name=name)
        if not rows:
            return None
        return DepartmentRef.from_record({**rows[0], "aliases": tuple(sorted(rows[0]["aliases"]))})

    def department_duties(self, dept_id: str) -> list[AssignmentRow]:
        return self._typed(AssignmentRow, cypher.DEPARTMENT_DUTIES, dept_id=dept_id)

    def departments(self) -> list[DepartmentRow]:
        rows = []
        for r in self._bounded(cypher.DEPARTMENTS):
            counts = {"lead": 0, "responsible": 0, "supporting": 0}
            counts.update({role: c for role, c in r.pop("roles")})
            rows.append(DepartmentRow.from_record({**r, "aliases": tuple(sorted(r["aliases"])), **counts}))
        return rows

    def assignment_rows(self) -> list[AssignmentRow]:
        return self._typed(AssignmentRow, cypher.ASSIGNMENT_ROWS)

    def gap_provisions(self) -> list[ProvisionRow]:
        """Leaf provisions with no holder of their own or through an ancestor."""
        return self._typed(ProvisionRow, cypher.GAP_PROVISIONS, skip_kinds=_NO_GAP_KINDS)

    def documents(self) -> list[DocumentRow]:
        return self._typed(DocumentRow, cypher.DOCUMENTS)

    def provision(self, pid: str) -> ProvisionDetail | None:
        rows = self._run(cypher.PROVISION, id=pid)
        if not rows:
            return None
        row = _with_parent(rows[0])
        return ProvisionDetail.from_record({**row, "children": tuple(sorted(row["children"])),
                                            "citations": tuple(sorted(row["citations"]))})

    def document_provisions(self, doc_id: str) -> list[DocumentProvision]:
        return [DocumentProvision.from_record(_with_parent(row))
                for row in self._bounded(cypher.DOCUMENT_PROVISIONS, doc_id=doc_id)]

    def service_items(self) -> list[ServiceItemRow]:
        return self._typed(ServiceItemRow, cypher.SERVICE_ITEMS)

    def targets(self, provision_ids: list[str] | None = None) -> list[TargetRow]:
        if provision_ids is None:
            return self._typed(TargetRow, cypher.ALL_TARGETS)
        return self._typed(TargetRow, cypher.TARGETS, ids=list(provision_ids))

    def law_articles(self) -> list[LawArticleRow]:
        return [LawArticleRow.from_record({**r, "provision_ids": tuple(sorted(r["provision_ids"]))})
                for r in self._bounded(cypher.LAW_ARTICLES)]

    def stats(self) -> dict:
        # Every label is reported, 0 when absent.
        counts = {label.value: 0 for label in Label}
        counts.update({r["label"]: r["n"] for r in self._run(cypher.STATS)})
        return counts


def _with_parent(row: dict) -> dict:
    """A record's `parents` list (at most one: a provision is PART_OF one other) as `parent_id`."""
    parents = row.pop("parents")
    return {**row, "parent_id": parents[0] if parents else ""}
