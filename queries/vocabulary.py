"""The query vocabulary: one set of questions, answered the same on every backend.

Each function validates and bounds its arguments, asks the backend for rows
(graph/networkx_backend/reads.py or graph/neo4j_backend/reads.py) and returns them in a
canonical order.  The CLI and the API call only these functions.
"""
from __future__ import annotations

from graph.errors import NotFound, QueryError
from graph.schema import ROLE_ORDER
from ontology.registry import default_registry
from ontology import places
from ontology.places import DocumentPlace
from queries.ranking import bigrams, bm25
from queries.synonyms import expand

MAX_LIMIT = 200
# Candidates `who` scores: the indexed backends (SQLite's FTS5, Neo4j's full-text
# index) keep the best by their index's BM25 past this many, and this ranking
# re-scores them.  500 keep 74 of the 80 top-ten answers that 5,000 give on 8
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
    candidates = backend.search_candidates(terms, limit=SEARCH_POOL if asked is None else SEARCH_POOL_PLACED)
    if asked is not None:
        candidates = [c for c in candidates if DocumentPlace("", c["doc_place"]).covers(asked)]
    ranked = bm25(terms, candidates, max(backend.count_provisions(), 1))[:limit]
    holders = backend.holders([c["provision_id"] for _, c in ranked])
    by_prov: dict[str, list[dict]] = {}
    for h in holders:
        by_prov.setdefault(h["provision_id"], []).append(h)
    answers = []
    for score, cand in ranked:
        rows = sorted(by_prov.get(cand["provision_id"], []), key=_holder_order)
        answers.append({
            "score": score, "provision_id": cand["provision_id"], "doc_id": cand["doc_id"],
            "doc_number": cand["doc_number"], "doc_title": cand["doc_title"], "place": cand["doc_place"],
            "unit": cand["unit"], "heading": cand["heading"], "text": cand["text"],
            "holders": [_holder(h, cand["doc_place"]) for h in rows]})
    return answers


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


def _holder_order(h: dict):
    # Named holders before vague ones, and those added by a standing note (以下…不再列出) last.
    return (ROLE_ORDER.get(h["role"], 9), h.get("source") == "standing_note", not h["department"],
            h["department"] or h["vague"], h["condition"])


def _holder(h: dict, place: str) -> dict:
    """A holder as answers give it, with the place of the document that assigns it."""
    return {"department": h["department"] or None, "vague": h["vague"] or None, "role": h["role"],
            "open_ended": bool(h["open_ended"]), "condition": h["condition"] or None,
            "pending": bool(h["pending"]), "deadline": h["deadline"] or None,
            "inherited_from": h.get("inherited_from") or None, "quote": h["quote"],
            "span": [h["span_start"], h["span_end"]], "place": place}


def department(backend, name: str) -> dict:
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


def _department_of_place(backend, name: str) -> dict | None:
    """"双鸭山市公安局": the 市公安局 of 双鸭山's own documents, which print it without the place."""
    place, rest = asked_place(name)
    if place is None or not rest:
        return None
    level = place.name[-1:]
    for candidate in (level + rest, rest):
        found = backend.find_department(candidate)
        if found is not None and any(place.path.startswith(d["place"]) and d["place"]
                                     for d in _documents_of(backend, found["id"])):
            return found
    return None


def _documents_of(backend, department_id: str) -> list[dict]:
    ids = {r["doc_id"] for r in backend.department_duties(department_id)}
    return [d for d in backend.documents() if d["id"] in ids]


def duties(backend, name: str, role: str | None = None, doc: str | None = None,
           before: str | None = None, after: str | None = None, limit: int = 200, offset: int = 0) -> dict:
    """All duties of one department: by document, role and deadline."""
    dept = department(backend, name)
    rows = backend.department_duties(dept["id"])
    if role:
        rows = [r for r in rows if r["role"] == role]
    if doc:
        rows = [r for r in rows if doc in (r["doc_id"], r["doc_number"])]
    if before:
        rows = [r for r in rows if r["deadline_date"] and r["deadline_date"] <= before]
    if after:
        rows = [r for r in rows if r["deadline_date"] and r["deadline_date"] >= after]
    rows.sort(key=lambda r: (r["doc_number"] or r["doc_title"], r["order"], ROLE_ORDER.get(r["role"], 9),
                             r["condition"]))
    page = rows[max(offset, 0):max(offset, 0) + _bounded(limit)]
    targets = _targets_of(backend, [r["provision_id"] for r in page])
    duties_out = [{"doc_id": r["doc_id"], "doc_number": r["doc_number"], "doc_title": r["doc_title"],
                   "provision_id": r["provision_id"], "unit": r["unit"], "heading": r["heading"],
                   "role": r["role"], "open_ended": bool(r["open_ended"]), "condition": r["condition"] or None,
                   "pending": bool(r["pending"]), "deadline": r["deadline"] or None,
                   "deadline_date": r["deadline_date"] or None, "quote": r["quote"],
                   "span": [r["span_start"], r["span_end"]], "targets": targets.get(r["provision_id"], [])}
                  for r in page]
    return {"department": dept, "total": len(rows), "duties": duties_out}


def _targets_of(backend, provision_ids: list[str]) -> dict[str, list[dict]]:
    """provision id -> the targets it sets, in text order, each with its quote and span."""
    out: dict[str, list[dict]] = {}
    rows = backend.targets(sorted(set(provision_ids))) if provision_ids else []
    for t in sorted(rows, key=lambda t: (t["provision_id"], t["span_start"], t["id"])):
        out.setdefault(t["provision_id"], []).append(
            {"indicator": t["indicator"], "value": t["value"], "unit": t["unit"], "year": t["year"] or None,
             "quote": t["quote"], "span": [t["span_start"], t["span_end"]]})
    return out


def departments(backend) -> list[dict]:
    rows = backend.departments()
    rows.sort(key=lambda r: (-(r["lead"] + r["responsible"] + r["supporting"]), r["name"]))
    return rows


def export_assignments(backend) -> list[dict]:
    """The assignment export of ARCHITECTURE.md: one record per (provision, department, role),
    and one record with department null for every provision that nobody holds."""
    records = []
    for r in backend.assignment_rows():
        records.append({
            "doc": r["doc_number"] or r["doc_title"], "unit": r["unit"],
            "department": r["department"] or f"VAGUE:{r['vague']}", "role": r["role"],
            "open_ended": bool(r["open_ended"]), "vague": bool(r["vague"]),
            "collective": r["department_kind"] == "collective",
            "condition": r["condition"] or None, "deadline": r["deadline"] or None,
            "quote": r["quote"], "span": [r["span_start"], r["span_end"]],
            "pending": bool(r["pending"]), "source": r["source"], "_order": r["order"],
            **_law_fields(r), **_page(r)})
    for g in backend.gap_provisions():
        records.append({
            "doc": g["doc_number"] or g["doc_title"], "unit": g["unit"], "department": None, "role": None,
            "open_ended": False, "vague": False, "collective": False, "condition": None, "deadline": None,
            "quote": g["text"], "span": [g["span_start"], g["span_end"]], "pending": False,
            "source": "gap", "_order": g["order"], **_page(g)})
    records.sort(key=lambda r: (r["doc"], r["_order"], ROLE_ORDER.get(r["role"] or "none", 9),
                                r["department"] or "", r["condition"] or ""))
    for r in records:
        del r["_order"]
    return records


def _page(row: dict) -> dict:
    """A record read from a PDF also names its page (an optional field of the contract)."""
    return {"page": row["page"]} if row.get("page") else {}


def _law_fields(row: dict) -> dict:
    """An article of a law also carries its holder's level, field and designation (ARCHITECTURE.md)."""
    if row.get("source") != "law":
        return {}
    return {"level": row.get("level") or None, "field": row.get("field") or None,
            "designated": bool(row.get("designated"))}


def documents(backend) -> list[dict]:
    return sorted(backend.documents(), key=lambda d: (d["number"] or d["title"]))


def find_document(backend, key: str, hint: str = "") -> dict:
    """A document by id or number; NotFound (with `hint`: where to find the list) when there is none."""
    for d in documents(backend):
        if key in (d["id"], d["number"]):
            return d
    raise NotFound(f"no document {key!r}" + (f"; {hint}" if hint else ""))


def document(backend, key: str) -> dict:
    """One document (by id or number) with all its provisions in reading order, each with its holders."""
    found = find_document(backend, key)
    provisions = backend.document_provisions(found["id"])
    holders: dict[str, list[dict]] = {}
    for h in backend.holders([p["provision_id"] for p in provisions]):
        holders.setdefault(h["provision_id"], []).append(h)
    for p in provisions:
        own = sorted(holders.get(p["provision_id"], []), key=_holder_order)
        p["holders"] = [_holder(h, found["place"]) for h in own]
    return {"document": found, "provisions": provisions}


def provision(backend, provision_id: str) -> dict:
    row = backend.provision(provision_id)
    if row is None:
        raise NotFound(f"no provision {provision_id!r}")
    row["holders"] = [_holder(h, row["doc_place"]) for h in sorted(backend.holders([provision_id]),
                                                                   key=_holder_order)]
    return row


def service_items(backend) -> list[dict]:
    return sorted(backend.service_items(), key=lambda s: (s["category"], s["provision_id"], s["name"]))


def law_articles(backend) -> list[dict]:
    return sorted(backend.law_articles(), key=lambda a: (a["law"], a["label"]))


def stats(backend) -> dict:
    return dict(sorted(backend.stats().items()))


def findings(backend, **filters) -> list[dict]:
    """Overlaps, conflicts and gaps (queries/findings.py), worst first."""
    from queries.findings import findings as analyse
    return analyse(backend, **filters)
