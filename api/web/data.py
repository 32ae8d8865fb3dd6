"""What each page shows, asked of the query vocabulary (and queries.findings) and nothing else.

Each function takes a query backend and returns plain dicts for a `pages_*`
renderer; routes_web runs them in a worker thread under the query timeout
(api.routes_common.read).  Department names are linked to pages by id, so
every answer carries `dept_ids` (name → id) from vocab.departments.
"""
from __future__ import annotations

from datetime import date
from typing import Callable

from graph.errors import NotFound
from queries import vocabulary as vocab
from queries.vocabulary import MAX_LIMIT

SEARCH_LIMIT = 30          # answers on the search page
MAX_DUTIES = 5000          # a department page reads its duties 200 at a time, up to this many


def dept_ids(backend) -> dict[str, str]:
    return {d["name"]: d["id"] for d in vocab.departments(backend)}


def home(backend) -> dict:
    return {"departments": vocab.departments(backend), "documents": vocab.documents(backend)}


def search(backend, q: str) -> dict:
    return {"q": q, "answers": vocab.who(backend, q, limit=SEARCH_LIMIT), "dept_ids": dept_ids(backend)}


def find_department(backend, key: str) -> dict:
    """A department row (with its duty counts) by store id, canonical name or alias."""
    rows = vocab.departments(backend)
    if not key.startswith("dept:"):
        key = vocab.department(backend, key)["id"]     # resolves aliases, NotFound otherwise
    for d in rows:
        if d["id"] == key:
            return d
    raise NotFound(f"no department with id {key!r}; the list of departments is at /ui/departments")


def department(backend, key: str) -> dict:
    """A department and all of its duties (read page by page from the bounded vocabulary)."""
    dept = find_department(backend, key)
    duties, total = [], None
    while total is None or len(duties) < min(total, MAX_DUTIES):
        out = vocab.duties(backend, dept["name"], limit=MAX_LIMIT, offset=len(duties))
        total = out["total"]
        if not out["duties"]:
            break
        duties += out["duties"]
    return {"department": dept, "duties": duties, "total": total or 0}


def find_document(backend, key: str) -> dict:
    return vocab.find_document(backend, key, hint="the list of documents is at /ui/documents")


def document(backend, key: str) -> dict:
    """A document's provisions in reading order, each with its own holders and its depth in the tree."""
    full = vocab.document(backend, find_document(backend, key)["id"])
    provisions = full["provisions"]
    parent = {p["provision_id"]: p["parent_id"] for p in provisions}
    for p in provisions:
        depth, node = 0, p["parent_id"]
        while node and depth < 8:
            depth, node = depth + 1, parent.get(node, "")
        p["depth"] = depth
    return {"document": full["document"], "provisions": provisions, "dept_ids": dept_ids(backend), "missing": 0}


def provision(backend, provision_id: str) -> dict:
    row = vocab.provision(backend, provision_id)
    parent = vocab.provision(backend, row["parent_id"]) if row.get("parent_id") else None
    children = [vocab.provision(backend, c) for c in row["children"]]
    return {"provision": row, "parent": parent, "children": sorted(children, key=lambda p: p["order"]),
            "dept_ids": dept_ids(backend)}


def findings(backend, filters: dict, today: date | None, offset: int = 0, limit: int = 50,
             keep: Callable[[dict], bool] = lambda _f: True) -> dict:
    """The findings (queries.findings) that `keep` keeps, one page of them, and the text of every
    provision the shown ones cite (the evidence in full)."""
    from queries.findings import findings as analyse
    rows = [f for f in analyse(backend, today=today, **filters) if keep(f)]
    shown = rows[offset:offset + limit]
    pids = sorted({p["provision_id"] for f in shown for p in f["provisions"]})
    texts = {}
    for pid in pids:
        try:
            texts[pid] = vocab.provision(backend, pid)
        except NotFound:      # a finding about a provision deleted since: show the quotes alone
            continue
    return {"findings": shown, "total": len(rows), "offset": offset, "limit": limit, "provisions": texts, "dept_ids": dept_ids(backend),
            "departments": [d["name"] for d in vocab.departments(backend)],
            "documents": vocab.documents(backend)}


def laws(backend) -> list[dict]:
    from queries.law_queries import list_laws
    return list_laws(backend)


def law(backend, title: str, place: str | None, offset: int) -> dict:
    """One law's coverage: every place implementing it (or `place`), a page of its units each."""
    from queries.law_queries import law_coverage
    return {**law_coverage(backend, title, place or None, limit=MAX_LIMIT, offset=offset),
            "dept_ids": dept_ids(backend)}


def finding(backend, finding_id: str) -> dict:
    """One finding by id (for a review mark: the evidence_hash the reviewer saw)."""
    from queries.findings import findings as analyse
    for f in analyse(backend):
        if f["id"] == finding_id:
            return f
    raise NotFound(f"no finding {finding_id!r}: it may have been resolved by a change of the documents; "
                   f"reload the findings page")
