"""The law questions of the query vocabulary (issue 13, part 5), answered the same on every backend.

- `law_coverage`: a law in a place — for each unit with duties, the law's holders, the local
  holders and the findings (the legal office's table);
- `articles_of_department`: which articles give a department its duties, through its field
  (the law names 生态环境主管部门, the department is 市生态环境局) and through local designation
  (a local provision implementing the article names it);
- `article_holders`: who holds article N of a law in a place;
- `unheld_duties`: which duties of a law have no local holder in a place.

Each is built from the backend primitives (queries/law_on_networkx.py and law_on_neo4j.py,
twins) through queries/law_coverage.py; lists are bounded like every answer of the vocabulary.
"""
from __future__ import annotations

from graph.errors import NotFound, QueryError
from graph.results import as_dicts
from ontology.law_vocab import law_key
from queries import law_findings
from queries.findings_rules import load_rules
from queries.law_coverage import (Coverage, LawRows, LawUnit, article_of, coverages, department_matches, find_law,
                                  holder_key, laws, matchable)
from queries.vocabulary import _bounded, _place_named, department

ROLE_RANK = {"lead": 0, "responsible": 1, "supporting": 2}


def list_laws(backend) -> list[dict]:
    """The laws and regulations loaded, each with how many local provisions implement it."""
    links = backend.implementations()
    return [{"id": d["id"], "title": d["title"], "kind": d["kind"], "date": d["date"], "provisions": d["provisions"],
             "implemented_by": len({r.provision_id for r in links if law_key(r.law) == law_key(d["title"])})}
            for d in laws(backend)]


def law_coverage(backend, law: str, place: str | None = None, limit: int = 200, offset: int = 0) -> dict:
    """A law in each place that implements it (or in `place`): per unit with duties, the law's holders,
    the local holders, the departments of the fields the law names, and the findings."""
    found = find_law(backend, law)
    covers = coverages(backend, found, _path(place))
    out = []
    for c in covers:
        kinds = _finding_kinds(c)
        units = [_unit_row(c, u, kinds.get(u.unit, [])) for u in c.units]
        out.append({"place": c.place, "total": len(units),
                    "units": units[max(offset, 0):max(offset, 0) + _bounded(limit)]})
    return {"law": _law_row(found), "places": out}


def article_holders(backend, law: str, article: str, place: str | None = None) -> dict:
    """Who holds article N (第四十三条, or one paragraph 第七十二条第二款) of a law locally."""
    found = find_law(backend, law)
    article = (article or "").strip()
    if not article.startswith("第"):
        raise QueryError(f"give an article label as the law prints it, for example 第四十三条, not {article!r}")
    rows = []
    for c in coverages(backend, found, _path(place)):
        for u in c.units:
            if u.unit != article and article_of(u.unit) != article and article_of(article) != u.unit:
                continue
            rows.append({"place": c.place, **_unit_row(c, u, _finding_kinds(c).get(u.unit, []))})
    if not rows and not any(article_of(p["unit"]) == article_of(article)
                            for p in as_dicts(backend.document_provisions(found["id"]))):
        raise NotFound(f"《{found['title']}》 has no {article}")
    return {"law": _law_row(found), "article": article, "units": rows}


def unheld_duties(backend, law: str, place: str | None = None, limit: int = 200, offset: int = 0) -> dict:
    """The duties of a law that no local holder takes up in a place: a designated body no local provision
    names, a named body of whose field the place has no department (national holders and governments
    are not local duties)."""
    found = find_law(backend, law)
    out = []
    for c in coverages(backend, found, _path(place)):
        rows = []
        for u in c.units:
            for h in u.holders:
                if h["designated"] and not u.local:
                    why = "designated"
                elif matchable(h) and not c.local_holders_of(holder_key(h)):
                    why = "no_department_of_field"
                else:
                    continue
                rows.append({"unit": u.unit, "provision_id": u.provision_id, "why": why, **_law_holder(h)})
        out.append({"place": c.place, "total": len(rows), "duties": rows[max(offset, 0):max(offset, 0) + _bounded(limit)]})
    return {"law": _law_row(found), "places": out}


def articles_of_department(backend, name: str, limit: int = 200, offset: int = 0) -> dict:
    """The law units that give a department its duties, in every place it serves: `via` "designation"
    (a local provision implementing the unit names it) or "field" (the law names an authority of its
    field).  A local regulation speaks through its implementing provisions only, never by field, since
    it binds only its own place."""
    dept = department(backend, name)
    fetched = LawRows(backend)
    places = sorted({r["doc_place"] for r in fetched.departments() if r["department_id"] == dept["id"]})
    loaded = laws(backend) if places else []
    rows = []
    for law in loaded:
        fetched.duties(law["id"], prefetch=[d["id"] for d in loaded])     # every law's duties in one call
        for c in (x for p in places for x in coverages(backend, law, p, rows=fetched)):
            for u in c.units:
                rows += _department_rows(dept["name"], law, c, u)
    rows.sort(key=lambda r: (r["law"], r["order"], r["unit"], r["place"], r["via"]))
    for r in rows:
        del r["order"]
    return {"department": dept, "total": len(rows), "articles": rows[max(offset, 0):max(offset, 0) + _bounded(limit)]}


# -- shaping ---------------------------------------------------------------------------------
def _department_rows(name: str, law: dict, c: Coverage, u: LawUnit) -> list[dict]:
    base = {"law": law["title"], "unit": u.unit, "provision_id": u.provision_id, "place": c.place, "order": u.order}
    rows = [{**base, "via": "designation", "local": {"doc": loc["doc"], "unit": loc["unit"],
                                                      "provision_id": loc["provision_id"]},
             "law_holders": [_law_holder(h) for h in u.holders if h["designated"] or matchable(h)],
             "quote": next((h["quote"] for h in loc["holders"] if h["department"] == name), "")}
            for loc in u.local if name in loc["departments"]]
    if law["kind"] != "local_regulation":
        named = [h for h in u.named if department_matches(name, holder_key(h))]
        if named:
            rows.append({**base, "via": "field", "local": None, "law_holders": [_law_holder(h) for h in named],
                         "quote": named[0]["quote"]})
    return rows


def _unit_row(c: Coverage, u: LawUnit, kinds: list[str]) -> dict:
    by_field = {holder_key(h): c.local_holders_of(holder_key(h)) for h in u.named}
    return {"unit": u.unit, "provision_id": u.provision_id, "designated": u.designated,
            "law_holders": [_law_holder(h) for h in sorted(u.holders, key=_law_order)],
            "local": [{"doc": loc["doc"], "unit": loc["unit"], "provision_id": loc["provision_id"],
                       "cites": loc["cites"], "departments": loc["departments"],
                       "holders": [{"department": h["department"] or None, "vague": h["vague"] or None,
                                    "role": h["role"], "condition": h["condition"] or None, "quote": h["quote"],
                                    "span": [h["span_start"], h["span_end"]]}
                                   for h in sorted(loc["holders"], key=_local_order)]}
                      for loc in u.local],
            "departments_of_field": dict(sorted(by_field.items())), "findings": kinds}


def _law_holder(h: dict) -> dict:
    return {"department": h["department"] or f"VAGUE:{h['vague']}", "printed": h["printed_name"],
            "level": h["level"] or None, "field": h["field"] or None, "role": h["role"],
            "designated": bool(h["designated"]), "quote": h["quote"], "span": [h["span_start"], h["span_end"]]}


def _law_order(h: dict):
    return (ROLE_RANK.get(h["role"], 9), h["span_start"], h["department"] or h["vague"], h["level"])


def _local_order(h: dict):
    return (ROLE_RANK.get(h["role"], 9), h["department"] or h["vague"], h["condition"], h["span_start"])


def _law_row(d: dict) -> dict:
    return {"id": d["id"], "title": d["title"], "kind": d["kind"], "date": d["date"]}


def _finding_kinds(c: Coverage) -> dict[str, list[str]]:
    """unit → the law finding types raised on it in this place (under the bundled rules)."""
    rules = load_rules()
    out: dict[str, list[str]] = {}
    for kind in law_findings.TYPES:
        if not rules.enabled(kind):
            continue
        for d in law_findings.CHECKS[kind](c, rules.types[kind]):
            out.setdefault(d.fields["article"], [])
            if kind not in out[d.fields["article"]]:
                out[d.fields["article"]].append(kind)
    return out


def _path(place: str | None) -> str | None:
    return _place_named(place).path if place else None
