"""The query vocabulary: one set of questions, answered the same on every backend.

Each function validates and bounds its arguments, asks the backend for typed rows
(graph/results.py, from any backend of graph/backends.py), builds typed answers
(queries/answers.py) in a canonical order and hands them out as plain data
(`as_dict`): what the CLI prints, the web pages render and the API sends.  The CLI
and the API call only these functions.
"""
from __future__ import annotations

from graph.errors import NotFound, QueryError
from graph.results import AssignmentRow, DepartmentRef, DocumentRow, ProvisionRow, as_dict, canonical
from graph.schema import ROLE_ORDER
from ontology.registry import default_registry
from ontology import places
from ontology.places import DocumentPlace
from queries.answers import Answer, Duty, ProvisionAnswer, ReadingProvision, Target, holders_of
from queries import ranking
from queries.ranking import bigrams, bm25
from queries.synonyms import expand

MAX_LIMIT = 200
# Candidates `who` scores when the backend does not rank by itself (search_ranked
# None): Neo4j's full-text index keeps the best by its BM25 past this many, and
# this ranking re-scores them.  500 keep 74 of the 80 top-ten answers that 5,000 give on 8
# topics with the 1,708 laws loaded, at a seventh of the time on Neo4j
# (BENCHMARKS.md, "Neo4j at scale").  A question about one place drops the
# other places' candidates after the cut, so it asks for a deeper pool.
SEARCH_POOL, SEARCH_POOL_PLACED = 500, 5000
VOCABULARY = ("who", "duties", "departments", "department", "export_assignments", "documents",
              "document", "provision", "service_items", "law_articles", "stats", "findings")


def _bounded(limit: int) -> int:
    if not isinstance(limit, int) or limit < 1:
        raise QueryError(f"limit must be a positive whole number, not {limit!r}")
    return min(limit, MAX_LIMIT)


def who(backend, topic: str, limit: int = 10, place: str | None = None) -> list[dict]:
    """Provisions about a topic, best first, each with its holders and their roles.

    A place named in the question (吴泾镇…, 双鸭山 …) is no word to search for: it selects the
    documents of that place and of the places above it (a city's over its districts', the
    State Council's and unplaced ones over all), and every answer says whose it is.  `place`
    (双鸭山, 上海市静安区) does the same when the question does not name one.
    """
    asked, topic = asked_place((topic or "").strip())
    if place:
        asked = _place_named(place)
    terms = bigrams(expand(topic))   # 噪音 finds 噪声: synonyms are data (ontology/synonyms.yaml)
    if not terms:
        raise QueryError("give a topic in Chinese, for example 秸秆禁烧")
    limit = _bounded(limit)
    total = max(backend.count_provisions(), 1)
    # The embedded store ranks over its index and stops at `limit` (no place to filter by first).
    ranked = backend.search_ranked(terms, limit, total, ranking.score, ranking.score_bound) \
        if asked is None else None
    if ranked is None:
        candidates = backend.search_candidates(terms, limit=SEARCH_POOL if asked is None else SEARCH_POOL_PLACED)
        if asked is not None:
            candidates = [c for c in candidates if DocumentPlace("", c.doc_place).covers(asked)]
        ranked = bm25(terms, candidates, total)[:limit]
    by_prov = _holders_by_provision(backend, [c.provision_id for _, c in ranked])
    return [as_dict(Answer.of(score, cand, by_prov.get(cand.provision_id, []))) for score, cand in ranked]


def _holders_by_provision(backend, provision_ids: list[str]) -> dict[str, list]:
    by_prov: dict[str, list] = {}
    for h in backend.holders(provision_ids):
        by_prov.setdefault(h.provision_id, []).append(h)
    return by_prov


def who_total(backend, topic: str, place: str | None = None, limit: int = MAX_LIMIT) -> int | None:
    """How many answers `who` has for the topic, at most `limit` — counted by the backend's index
    without ranking them (the embedded store); None when only ranking them all would tell."""
    asked, topic = asked_place((topic or "").strip())
    if place or asked is not None:
        return None
    terms = bigrams(expand(topic))
    count = backend.search_count(terms) if terms else None
    return None if count is None else min(count, _bounded(limit))


def _place_named(place: str) -> DocumentPlace:
    found, rest = asked_place(place.strip())
    if found is None or rest:
        raise NotFound(f"{place!r} is no place of the national division table; give one such as 上海市静安区")
    return found


def asked_place(question: str) -> tuple[DocumentPlace | None, str]:
    """The place a question names, if any, and the question without it.

    >>> place, rest = asked_place("闵行区吴泾镇秸秆禁烧")
    >>> place.path, rest
    ('上海市闵行区吴泾镇', '秸秆禁烧')
    >>> asked_place("秸秆禁烧")
    (None, '秸秆禁烧')
    """
    found = [(p, a, b) for p, a, b in places.find_places(question)]
    if not found:
        return None, question
    deepest = max(found, key=lambda f: (places.LEVELS.index(f[0].level), f[1]))[0]
    rest = "".join(ch for i, ch in enumerate(question) if not any(a <= i < b for _, a, b in found))
    return DocumentPlace(deepest.name, places.qualify(deepest)), rest.lstrip("的 ")


def department(backend, name: str) -> dict:
    return as_dict(_department(backend, name))


def _department(backend, name: str) -> DepartmentRef:
    """A department by canonical name or any alias (市工信局, 公安部门 …)."""
    name = (name or "").strip()
    if not name:
        raise QueryError("give a department name")
    found = backend.find_department(name)
    if found is None:
        resolution = default_registry().resolve(name)
        if resolution is not None and not resolution.is_vague:
            found = backend.find_department(resolution.canonical)
    if found is None:
        found = _department_of_place(backend, name)
    if found is None:
        raise NotFound(f"no department called {name!r} holds any duty in this store")
    return found


def _department_of_place(backend, name: str) -> DepartmentRef | None:
    """"双鸭山市公安局": the 市公安局 of 双鸭山's own documents, which print it without the place."""
    place, rest = asked_place(name)
    if place is None or not rest:
        return None
    level = place.name[-1:]
    for candidate in (level + rest, rest):
        found = backend.find_department(candidate)
        if found is not None and any(place.path.startswith(d.place) and d.place
                                     for d in _documents_of(backend, found.id)):
            return found
    return None


def _documents_of(backend, department_id: str) -> list[DocumentRow]:
    ids = {r.doc_id for r in backend.department_duties(department_id)}
    return [d for d in backend.documents() if d.id in ids]


def duties(backend, name: str, role: str | None = None, doc: str | None = None,
           before: str | None = None, after: str | None = None, limit: int = 200, offset: int = 0) -> dict:
    """All duties of one department: by document, role and deadline."""
    dept = _department(backend, name)
    rows: list[AssignmentRow] = backend.department_duties(dept.id)
    if role:
        rows = [r for r in rows if r.role == role]
    if doc:
        rows = [r for r in rows if doc in (r.doc_id, r.doc_number)]
    if before:
        rows = [r for r in rows if r.deadline_date and r.deadline_date <= before]
    if after:
        rows = [r for r in rows if r.deadline_date and r.deadline_date >= after]
    rows = canonical(rows)
    page = rows[max(offset, 0):max(offset, 0) + _bounded(limit)]
    targets = _targets_of(backend, [r.provision_id for r in page])
    return {"department": as_dict(dept), "total": len(rows),
            "duties": [as_dict(Duty.of(r, targets.get(r.provision_id, ()))) for r in page]}


def _targets_of(backend, provision_ids: list[str]) -> dict[str, tuple[Target, ...]]:
    """provision id -> the targets it sets, in text order, each with its quote and span."""
    out: dict[str, tuple[Target, ...]] = {}
    rows = backend.targets(sorted(set(provision_ids))) if provision_ids else []
    for t in canonical(rows):
        out[t.provision_id] = out.get(t.provision_id, ()) + (Target.of(t),)
    return out


def departments(backend) -> list[dict]:
    return [as_dict(r) for r in canonical(backend.departments())]


def export_assignments(backend) -> list[dict]:
    """The assignment export of ARCHITECTURE.md: one record per (provision, department, role),
    and one record with department null for every provision that nobody holds."""
    records = []
    for r in backend.assignment_rows():
        records.append({
            "doc": r.doc_number or r.doc_title, "unit": r.unit,
            "department": r.department or f"VAGUE:{r.vague}", "role": r.role,
            "open_ended": bool(r.open_ended), "vague": bool(r.vague),
            "collective": r.department_kind == "collective",
            "condition": r.condition or None, "deadline": r.deadline or None,
            "quote": r.quote, "span": [r.span_start, r.span_end],
            "pending": bool(r.pending), "source": r.source, "_order": r.order,
            **_law_fields(r), **_page(r)})
    for g in backend.gap_provisions():
        records.append({
            "doc": g.doc_number or g.doc_title, "unit": g.unit, "department": None, "role": None,
            "open_ended": False, "vague": False, "collective": False, "condition": None, "deadline": None,
            "quote": g.text, "span": [g.span_start, g.span_end], "pending": False,
            "source": "gap", "_order": g.order, **_page(g)})
    records.sort(key=lambda r: (r["doc"], r["_order"], ROLE_ORDER.get(r["role"] or "none", 9),
                                r["department"] or "", r["condition"] or ""))
    for r in records:
        del r["_order"]
    return records


def _page(row: ProvisionRow | AssignmentRow) -> dict:
    """A record read from a PDF also names its page (an optional field of the contract)."""
    return {"page": row.page} if row.page else {}


def _law_fields(row: AssignmentRow) -> dict:
    """An article of a law also carries its holder's level, field and designation (ARCHITECTURE.md)."""
    if row.source != "law":
        return {}
    return {"level": row.level or None, "field": row.field or None, "designated": bool(row.designated)}


def documents(backend) -> list[dict]:
    return [as_dict(d) for d in canonical(backend.documents())]


def find_document(backend, key: str, hint: str = "") -> dict:
    """A document by id or number; NotFound (with `hint`: where to find the list) when there is none."""
    return as_dict(_find_document(backend, key, hint))


def _find_document(backend, key: str, hint: str = "") -> DocumentRow:
    for d in canonical(backend.documents()):
        if key in (d.id, d.number):
            return d
    raise NotFound(f"no document {key!r}" + (f"; {hint}" if hint else ""))


def document(backend, key: str) -> dict:
    """One document (by id or number) with all its provisions in reading order, each with its holders."""
    found = _find_document(backend, key)
    provisions = backend.document_provisions(found.id)
    holders = _holders_by_provision(backend, [p.provision_id for p in provisions])
    return {"document": as_dict(found),
            "provisions": [as_dict(ReadingProvision.of(p, holders=holders_of(holders.get(p.provision_id, []),
                                                                              found.place)))
                           for p in provisions]}


def provision(backend, provision_id: str) -> dict:
    row = backend.provision(provision_id)
    if row is None:
        raise NotFound(f"no provision {provision_id!r}")
    return as_dict(ProvisionAnswer.of(row, holders=holders_of(backend.holders([provision_id]), row.doc_place)))


def service_items(backend) -> list[dict]:
    return [as_dict(s) for s in canonical(backend.service_items())]


def law_articles(backend) -> list[dict]:
    return [as_dict(a) for a in canonical(backend.law_articles())]


def stats(backend) -> dict:
    return dict(sorted(backend.stats().items()))


def findings(backend, **filters) -> list[dict]:
    """Overlaps, conflicts and gaps (queries/findings.py), worst first."""
    from queries.findings import findings as analyse
    return analyse(backend, **filters)
