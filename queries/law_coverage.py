"""How a law is carried out in a place: for each unit of the law that gives duties, the law's
holders, the local provisions that implement it, their holders, and the place's departments of
the fields the law names.

Read from the backend primitives only (documents, document_assignment_rows, implementations,
holders, place_departments), so both backends give the same coverage; the findings that need a
law (queries/law_findings.py) and the law questions (queries/law_queries.py) are built on it.

A local provision implements a unit when it cites that unit, the unit's article (第七十二条 covers
第七十二条第二款) or one of its paragraphs when the law gives duties for the article as a whole.
A law holder is matched to a local department through its field (ontology/fields.yaml): the
place's departments whose name holds the field (生态环境主管部门 ↔ 市生态环境局); a body named
without a field (海关) by its name.  National holders (国务院生态环境主管部门) and governments
have no local department to match.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from graph.errors import NotFound, QueryError
from graph.results import as_dicts
from ontology.law_vocab import law_key
from ontology.law_vocab import field_in_name

_ARTICLE = re.compile(r"^第[^条]+条(?:之[一二三四五六七八九十]+)?")
# Kinds of law holders (loaders/law_pipeline.py) that name no department: governments, towns.
_NOT_MATCHED = ("government", "town")


@dataclass
class LawUnit:
    """One unit of the law (an article, or a paragraph with holders of its own)."""
    unit: str
    provision_id: str
    order: int
    holders: list[dict]                       # the law's assignment rows of the unit
    local: list[dict] = field(default_factory=list)   # implementing provisions of the place, with holders

    @property
    def designated(self) -> bool:
        return any(h["designated"] for h in self.holders)

    @property
    def named(self) -> list[dict]:
        """Holders a local department can stand for: named, not designated, not national."""
        return [h for h in self.holders if matchable(h)]

    def keys(self) -> set[str]:
        return {holder_key(h) for h in self.named}


@dataclass
class Coverage:
    law: dict                                 # the law's document row
    place: str                                # the place's path ('' for unplaced documents)
    units: list[LawUnit]
    departments: dict[str, str]               # the place's departments → their field ('' none)

    def local_holders_of(self, key: str) -> list[str]:
        """The place's departments standing for a law holder of this field or name."""
        return sorted(d for d, f in self.departments.items() if f == key or (not f and key and key in d))


# -- building ---------------------------------------------------------------------------
def laws(backend) -> list[dict]:
    """The laws and regulations in the store (documents of a law kind), by title."""
    return sorted((d for d in as_dicts(backend.documents()) if d.get("kind")), key=lambda d: d["title"])


def find_law(backend, name: str) -> dict:
    """A loaded law by title, short title (噪声污染防治法) or a unique part of its title."""
    name = (name or "").strip()
    if not name:
        raise QueryError("give a law's title, for example 噪声污染防治法")
    loaded = laws(backend)
    exact = [d for d in loaded if law_key(d["title"]) == law_key(name)]
    found = exact or [d for d in loaded if law_key(name) in d["title"]]
    if not found:
        raise NotFound(f"no law or regulation called {name!r} is loaded; load its text first "
                       f"(dutygraph load law.md)")
    if len(found) > 1:
        raise QueryError(f"{name!r} names several laws: {', '.join(d['title'] for d in found)}; give the full title")
    return found[0]


class LawRows:
    """The rows the law questions read, each fetched once per question: a store may hold many laws,
    and a question about a department or the findings refresh looks at all of them."""

    def __init__(self, backend):
        self.backend = backend
        self._links: list[dict] | None = None
        self._departments: list[dict] | None = None
        self._duties: dict[str, list[dict]] = {}

    def links(self) -> list[dict]:
        if self._links is None:
            self._links = as_dicts(self.backend.implementations())
        return self._links

    def departments(self) -> list[dict]:
        if self._departments is None:
            self._departments = as_dicts(self.backend.place_departments())
        return self._departments

    def duties(self, law_id: str, prefetch: list[str] = ()) -> list[dict]:
        """The law's assignment rows; `prefetch`: other laws' ids to read in the same call."""
        if law_id not in self._duties:
            wanted = sorted({law_id, *prefetch} - set(self._duties))
            for i in wanted:
                self._duties[i] = []
            for r in as_dicts(self.backend.document_assignment_rows(wanted)):
                self._duties[r["doc_id"]].append(r)
        return self._duties[law_id]


def coverages(backend, law: dict, place: str | None = None, rows: LawRows | None = None) -> list[Coverage]:
    """One Coverage per place whose local documents implement the law (or only `place`, a path)."""
    fetched = rows or LawRows(backend)
    rows = fetched.duties(law["id"])
    units: dict[str, LawUnit] = {}
    # rows in a canonical order: the backends return them in no particular one, and findings keep it
    for r in sorted(rows, key=lambda r: (r["order"], r["unit"], r["span_start"], r["span_end"], r["department"],
                                         r["vague"], r["level"], r["role"])):
        units.setdefault(r["unit"], LawUnit(r["unit"], r["provision_id"], r["order"], [])).holders.append(r)
    links = [r for r in fetched.links() if law_key(r["law"]) == law_key(law["title"])]
    places = sorted({r["doc_place"] for r in links} | ({place} if place is not None else set()))
    if place is not None:
        places = [place]
    holders: dict[str, list[dict]] = {}
    for h in as_dicts(backend.holders(sorted({r["provision_id"] for r in links}))):
        holders.setdefault(h["provision_id"], []).append(h)
    by_place: dict[str, dict[str, str]] = {}
    for d in fetched.departments():
        if d["department_kind"] != "collective":
            by_place.setdefault(d["doc_place"], {})[d["department"]] = field_in_name(d["department"])
    out = []
    for where in places:
        mine = [r for r in links if r["doc_place"] == where]
        cover = Coverage(law, where, [], by_place.get(where, {}))
        for u in units.values():
            local = [_local(r, holders.get(r["provision_id"], [])) for r in mine if covers(r["label"], u.unit)]
            local.sort(key=lambda x: (x["doc"], x["order"], x["provision_id"]))
            cover.units.append(LawUnit(u.unit, u.provision_id, u.order, u.holders, local))
        out.append(cover)
    return out


def _local(link: dict, holders: list[dict]) -> dict:
    holders = sorted(holders, key=lambda h: (h["department"], h["vague"], h["role"], h["condition"],
                                             h["span_start"], h["span_end"]))
    named = sorted({h["department"] for h in holders if h["department"] and h["department_kind"] != "collective"})
    return {"provision_id": link["provision_id"], "doc": link["doc_number"] or link["doc_title"],
            "doc_id": link["doc_id"], "unit": link["unit"], "order": link["order"], "cites": link["label"],
            "departments": named, "holders": holders}


# -- rules of matching ------------------------------------------------------------------
def covers(cited: str, unit: str) -> bool:
    """A citation of `cited` speaks for the law's `unit`.

    >>> covers("第七十二条", "第七十二条第二款"), covers("第七十二条第二款", "第七十二条")
    (True, True)
    >>> covers("第七十二条第二款", "第七十二条第一款"), covers("第七十条", "第七十二条")
    (False, False)
    """
    a, b = article_of(cited), article_of(unit)
    return a == b and (cited == unit or cited == a or unit == b)


def article_of(label: str) -> str:
    m = _ARTICLE.match(label)
    return m.group(0) if m else label


def matchable(h: dict) -> bool:
    """A law holder a local department can stand for."""
    return (bool(h["department"]) and not h["designated"] and not h["vague"]
            and h["department_kind"] not in _NOT_MATCHED and not h["level"].startswith("国务院"))


def holder_key(h: dict) -> str:
    """What a law holder is matched by: its field (生态环境), else its name (海关)."""
    return h["field"] or h["department"]


def key_of_department(name: str) -> str:
    return field_in_name(name)


def department_matches(name: str, key: str) -> bool:
    f = field_in_name(name)
    return f == key or (not f and bool(key) and key in name)
