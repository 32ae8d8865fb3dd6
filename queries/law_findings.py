"""Findings that need the law (issue 13, part 4): where a place's documents depart from the law
they implement.  Rules and messages: ontology/rules.yaml; evidence: the law's quote and the local
quote side by side (`details.law` and `details.local`, and both in `evidence`).

- law_authority_differs: the law names the authority of a unit and a local provision gives it to
  a department of another field (reported at a lower severity when the law also lets a department
  be designated instead);
- designation_missing: a unit that leaves its holder to local designation, implemented by no
  local provision of a place that implements the law;
- law_authority_without_local_holder: an implemented unit names a body (铁路监督管理部门) of which
  the place's local documents hold no department at all;
- allocated_twice: two local provisions of one place implement the same unit with different holders.
"""
from __future__ import annotations

from ontology.law_vocab import law_key
from queries.findings_checks import Draft
from queries.law_coverage import Coverage, LawRows, LawUnit, coverages, department_matches, holder_key, laws

TYPES = ("law_authority_differs", "designation_missing", "law_authority_without_local_holder", "allocated_twice")


class LawFacts:
    """The coverage of every loaded law in every place that implements it, read once."""

    def __init__(self, backend):
        self.coverages: list[Coverage] = []
        # Only laws some local provision implements have a place to compare with; the findings are
        # recomputed after every load, so a store of many laws must not read each of them.
        rows = LawRows(backend)
        cited = {law_key(r["law"]) for r in rows.links()}
        for law in (d for d in laws(backend) if law_key(d["title"]) in cited):
            self.coverages += [c for c in coverages(backend, law, rows=rows) if any(u.local for u in c.units)]


def run(kind: str, facts: LawFacts, cfg: dict) -> list[dict]:
    return [d for c in facts.coverages for d in CHECKS[kind](c, cfg)]


def law_authority_differs(c: Coverage, cfg: dict) -> list[Draft]:
    drafts = []
    for u in c.units:
        keys = u.keys()
        if not keys:
            continue                     # the law leaves the holder to designation (or names none locally)
        for loc in u.local:
            other = [d for d in loc["departments"] if not any(department_matches(d, k) for k in keys)]
            if not other:
                continue
            severity = cfg["designation_alternative_severity"] if u.designated else cfg["severity"]
            law_rows = u.named + [h for h in u.holders if h["designated"]]
            local_rows = [h for h in loc["holders"] if h["department"] in other]
            drafts.append(_draft("law_authority_differs", severity, c, u, [loc["doc"], loc["unit"]],
                                 law_rows, [(loc, local_rows)], other,
                                 {"doc": loc["doc"], "unit": loc["unit"], "law_holders": _names(u.named),
                                  "departments": "、".join(other)}))
    return drafts


def designation_missing(c: Coverage, cfg: dict) -> list[Draft]:
    return [_draft("designation_missing", cfg["severity"], c, u, [], [h for h in u.holders if h["designated"]],
                   [], [], {"law_holders": _names([h for h in u.holders if h["designated"]])})
            for u in c.units if u.designated and not u.local]


def law_authority_without_local_holder(c: Coverage, cfg: dict) -> list[Draft]:
    drafts = []
    for u in c.units:
        if not u.local:
            continue
        missing = [h for h in u.named if not c.local_holders_of(holder_key(h))]
        if not missing:
            continue
        names = sorted({h["department"] for h in missing})
        drafts.append(_draft("law_authority_without_local_holder", cfg["severity"], c, u, [], missing,
                             [(loc, loc["holders"]) for loc in u.local], [],
                             {"missing": "、".join(names)}, {"missing": names}))
    return drafts


def allocated_twice(c: Coverage, cfg: dict) -> list[Draft]:
    drafts = []
    for u in c.units:
        sets = {tuple(loc["departments"]) for loc in u.local if loc["departments"]}
        if len({loc["provision_id"] for loc in u.local}) < 2 or len(sets) < 2:
            continue
        holders = "；".join(f"{loc['doc']} {loc['unit']}:{'、'.join(loc['departments'])}" for loc in u.local)
        drafts.append(_draft("allocated_twice", cfg["severity"], c, u, [], u.holders,
                             [(loc, loc["holders"]) for loc in u.local],
                             sorted({d for s in sets for d in s}),
                             {"units": "、".join(f"{loc['doc']} {loc['unit']}" for loc in u.local), "holders": holders}))
    return drafts


CHECKS = {"law_authority_differs": law_authority_differs, "designation_missing": designation_missing,
          "law_authority_without_local_holder": law_authority_without_local_holder,
          "allocated_twice": allocated_twice}


# -- shaping -------------------------------------------------------------------------------
def _draft(kind: str, severity: str, c: Coverage, u: LawUnit, extra_keys: list, law_rows: list[dict],
           local: list[tuple[dict, list[dict]]], departments: list[str], fields: dict,
           details: dict | None = None) -> Draft:
    title = c.law["title"]
    law_ev = [_evidence(title, r) for r in law_rows]
    local_ev = [_evidence(loc["doc"], r, loc["unit"]) for loc, rows in local for r in rows]
    provisions = ([{"provision_id": u.provision_id, "doc": title, "unit": u.unit, "heading": ""}] +
                  [{"provision_id": loc["provision_id"], "doc": loc["doc"], "unit": loc["unit"], "heading": ""}
                   for loc, _ in local])
    return Draft(kind, severity, [title, u.unit, c.place, *extra_keys], law_ev + local_ev, provisions, departments,
                 {"law": title, "article": u.unit, "place": c.place or "未定地区", **fields},
                 {"law": law_ev, "local": local_ev, "place": c.place, **(details or {})})


def _evidence(doc: str, r: dict, unit: str | None = None) -> dict:
    name = r["department"] or (f"VAGUE:{r['vague']}" if r.get("vague") else None)
    return {"doc": doc, "unit": unit or r["unit"], "department": name, "role": r["role"], "quote": r["quote"],
            "span": [r["span_start"], r["span_end"]]}


def _names(rows: list[dict]) -> str:
    seen: list[str] = []
    for r in rows:
        name = r.get("printed_name") or r["department"]
        if name not in seen:
            seen.append(name)
    return "、".join(seen) if seen else "无"
