"""The checks behind each finding type, over backend primitives only.

Every check reads the same `Facts` (rows from assignment_rows(), gap_provisions(),
service_items(), law_articles(), holders() and provision()), so the networkx
and Neo4j backends — whose rows the differential test already compares —
give identical findings.  A check returns `Draft`s; queries/findings.py turns
them into finding records with ids, hashes and the Chinese message.
"""
from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from datetime import date

from rapidfuzz import fuzz, process

from graph.results import as_dict, as_dicts
from graph.schema import ROLE_ORDER
from ontology.brackets import find_brackets
from ontology.registry import Registry, normalise_name

HOW_ZH = {"old": "旧称", "typo": "错字", "alias": "简称或别称", "fuzzy": "疑似错写", "fragment": "残缺名称",
          "generic": "泛称"}
ROLE_ZH = {"lead": "牵头", "responsible": "负责", "supporting": "配合"}


@dataclass
class Draft:
    """A finding before it has an id: what it is about and the rows that prove it."""
    type: str
    severity: str
    keys: list            # subject keys (doc label, unit …): the id is built from these
    rows: list            # evidence rows (assignment rows or synthetic rows with the same fields)
    provisions: list      # provision rows (provision_id, doc label, unit, heading)
    departments: list
    fields: dict          # message fields
    details: dict = field(default_factory=dict)


class Facts:
    """Rows read once from a backend and indexed for the checks."""

    def __init__(self, backend, registry: Registry):
        self.backend, self.registry = backend, registry
        # Rows as plain data: the checks mix them with evidence rows of their own making.
        self.rows = as_dicts(backend.assignment_rows())
        self.by_pid: dict[str, list[dict]] = {}
        for r in self.rows:
            self.by_pid.setdefault(r["provision_id"], []).append(r)
        for rows in self.by_pid.values():
            rows.sort(key=_row_order)
        documents = as_dicts(backend.documents())
        # A law's article that names no authority (a definition, a right, a penalty on a private
        # party) is no gap in anyone's duties: gaps are looked for in the local documents only.
        laws = {d["id"] for d in documents if d.get("kind")}
        self.gaps = [g for g in as_dicts(backend.gap_provisions()) if g["doc_id"] not in laws]
        self.items = as_dicts(backend.service_items())
        self.laws = as_dicts(backend.law_articles())
        self.law_of = {pid: f"《{a['law']}》{a['label']}" for a in self.laws for pid in a["provision_ids"]}
        # The place each document speaks for (its issuer, else its title): duties of
        # two cities are not compared with each other.
        self.place = {d["id"]: d["place"] for d in documents}   # stored by the loader

    def provision(self, pid: str) -> dict | None:
        row = self.backend.provision(pid)
        return None if row is None else as_dict(row)

    def holders(self, provision_ids: list[str]) -> list[dict]:
        return as_dicts(self.backend.holders(provision_ids))

    def kind(self, row: dict) -> str:
        if row["vague"] or not row["department_id"]:
            return "vague"
        return row.get("department_kind") or "unknown"

    def prov(self, row: dict) -> dict:
        return {"provision_id": row["provision_id"], "doc": doc_label(row), "unit": row["unit"],
                "heading": row.get("heading", "")}


def doc_label(row: dict) -> str:
    return row.get("doc_number") or row.get("doc_title") or row.get("doc_id", "")


def holder_name(row: dict) -> str:
    return row["department"] or f"VAGUE:{row['vague']}"


def _row_order(r: dict):
    return (ROLE_ORDER.get(r["role"], 9), holder_name(r), r.get("condition", ""))


def _named(rows, ignore_kinds=(), facts=None) -> list[str]:
    names = []
    for r in rows:
        if r["department"] and (facts is None or facts.kind(r) not in ignore_kinds) and r["department"] not in names:
            names.append(r["department"])
    return names


def _join(names) -> str:
    return "、".join(names) if names else "无"


def _base_fields(row: dict) -> dict:
    return {"doc": doc_label(row), "unit": row["unit"], "heading": row.get("heading", "")}


# -- no holder, vague, open-ended ------------------------------------------------
def no_assignee(facts: Facts, cfg: dict) -> list[Draft]:
    drafts = []
    for g in facts.gaps:
        low = any(term in g["heading"] or g["text"][:30].find(term) >= 0 for term in cfg["low_severity_headings"])
        row = {"doc": doc_label(g), "unit": g["unit"], "department": None, "role": None,
               "quote": g["text"], "span": [g["span_start"], g["span_end"]]}
        drafts.append(Draft("no_assignee", cfg["low_severity"] if low else cfg["severity"],
                            [doc_label(g), g["unit"]], [row], [facts.prov(g)], [], _base_fields(g)))
    return drafts


def vague_only(facts: Facts, cfg: dict) -> list[Draft]:
    drafts = []
    for pid, rows in facts.by_pid.items():
        rows = [r for r in rows if r["source"] != "standing_note"]
        vague = [r for r in rows if facts.kind(r) == "vague"]
        if not vague or _named(rows, cfg["ignore_kinds"], facts):
            continue
        phrases = sorted({r["vague"] for r in vague if r["vague"]})
        drafts.append(Draft("vague_only", cfg["severity"], [doc_label(rows[0]), rows[0]["unit"]], rows,
                            [facts.prov(rows[0])], _named(rows), {**_base_fields(rows[0]), "vague": _join(phrases)},
                            {"vague": phrases}))
    return drafts


def open_ended(facts: Facts, cfg: dict) -> list[Draft]:
    groups: dict[tuple, list[dict]] = {}
    for r in facts.rows:
        if r["open_ended"]:
            key = (doc_label(r),) if cfg["group_by"] == "document" else (doc_label(r), r["unit"])
            groups.setdefault(key, []).append(r)
    drafts = []
    for key, rows in groups.items():
        rows.sort(key=lambda r: (r["order"], _row_order(r)))
        units = list(dict.fromkeys(r["unit"] for r in rows))
        provs = list({r["provision_id"]: facts.prov(r) for r in rows}.values())
        drafts.append(Draft("open_ended", cfg["severity"], list(key), rows, provs, sorted(_named(rows)),
                            {"doc": key[0], "count": len(units), "units": "、".join(units)}, {"units": units}))
    return drafts


# -- leads ----------------------------------------------------------------------
def several_leads(facts: Facts, cfg: dict) -> list[Draft]:
    drafts = []
    for pid, rows in facts.by_pid.items():
        leads = [r for r in rows if r["role"] == "lead" and r["department"]]
        names = _named(leads)
        if len(names) < cfg["min_leads"]:
            continue
        respective = any(m in r["quote"] for r in leads for m in cfg["respective_markers"])
        drafts.append(Draft("several_leads", cfg["respective_severity"] if respective else cfg["severity"],
                            [doc_label(rows[0]), rows[0]["unit"]], leads, [facts.prov(rows[0])], sorted(names),
                            {**_base_fields(rows[0]), "count": len(names), "departments": _join(names)},
                            {"leads": names, "respective": respective}))
    return drafts


def shared_without_lead(facts: Facts, cfg: dict) -> list[Draft]:
    drafts = []
    for pid, rows in facts.by_pid.items():
        if any(r["role"] == "lead" for r in rows):
            continue
        shared = [r for r in rows if r["role"] == "responsible" and not r["condition"]]
        names = _named(shared, cfg["ignore_kinds"], facts)
        if len(names) < cfg["min_responsible"]:
            continue
        evidence = [r for r in shared if r["department"] in names]
        drafts.append(Draft("shared_without_lead", cfg["severity"], [doc_label(rows[0]), rows[0]["unit"]], evidence,
                            [facts.prov(rows[0])], sorted(names),
                            {**_base_fields(rows[0]), "count": len(names), "departments": _join(names)},
                            {"responsible": names, "open_ended": any(r["open_ended"] for r in evidence)}))
    return drafts


# -- the same duty, different holders --------------------------------------------
def _match_name(name: str, generic_terms) -> str:
    text = normalise_name(name)
    text = re.sub(r"[\"“”‘’'《》「」]", "", text)
    for term in sorted(generic_terms, key=len, reverse=True):
        text = text.replace(term, "")
    return text


def same_duty_different_holders(facts: Facts, cfg: dict) -> list[Draft]:
    return same_duty_clusters(duty_entries(facts, cfg), cfg)


_PROV_FIELDS = ("provision_id", "doc_id", "doc_number", "doc_title", "unit", "heading", "order")


def duty_entries(facts: Facts, cfg: dict) -> list[dict]:
    """The rows same_duty_different_holders compares — a service item's sub-items where it has
    them, else the item itself — each with its place, its match key and its holders: a function of
    its own document alone, so the SQLite store keeps them by the document and recomputes only the
    clusters a load touches (queries/findings.py).  JSON-ready, in the order of the full check."""
    entries = []
    for item in sorted(facts.items, key=lambda s: s["provision_id"]):
        prov = facts.provision(item["provision_id"])
        if prov is None:
            continue
        for at, pid in enumerate(prov["children"] or [item["provision_id"]]):
            p = prov if pid == item["provision_id"] else facts.provision(pid)
            name = item["name"] if pid == item["provision_id"] else p["heading"]
            key = _match_name(name, cfg["generic_terms"])
            if len(key) >= cfg["min_name_length"]:
                attrs = json.loads(item["attributes"] or "{}") if pid == item["provision_id"] else {}
                entries.append({"pid": pid, "seq": f"{item['provision_id']} {at:06d}", "name": name, "key": key,
                                "prov": {k: p.get(k) for k in _PROV_FIELDS},
                                "category": item["category"], "attributes": attrs,
                                "place": facts.place.get(p["doc_id"], "")})
    holders: dict[str, list[dict]] = {}
    for h in facts.holders([e["pid"] for e in entries]):
        holders.setdefault(h["provision_id"], []).append(h)
    for e in entries:
        e["holders"] = holders.get(e["pid"], [])
    return entries


def same_duty_clusters(entries: list[dict], cfg: dict) -> list[Draft]:
    """The findings among these entries (every entry of a cluster must be among them)."""
    holders = {e["pid"]: e["holders"] for e in entries}
    # Union-find over pairs of similar names in different provisions.
    parent = list(range(len(entries)))

    def find(i):
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i
    for members in _similar_groups(entries, cfg["min_similarity"]):
        for j in members[1:]:
            parent[find(j)] = find(members[0])
    clusters: dict[int, list[dict]] = {}
    for i, e in enumerate(entries):
        clusters.setdefault(find(i), []).append(e)
    drafts = []
    for members in clusters.values():
        if len(members) < 2:
            continue
        members.sort(key=lambda e: (doc_label(e["prov"]), e["prov"]["order"]))
        sets = []
        for e in members:
            rows = sorted(holders.get(e["pid"], []), key=_row_order)
            sets.append((frozenset(_named(rows)),
                         frozenset((r["department"], r["role"]) for r in rows if r["department"])))
        if len({s[0] for s in sets}) > 1:
            severity = cfg["severity"]
        elif len({s[1] for s in sets}) > 1:
            severity = cfg["roles_differ_severity"]
        else:
            continue
        evidence, provs, listing, names = [], [], [], []
        for e, (depts, _) in zip(members, sets):
            p = e["prov"]
            rows = [dict(r, doc_number=p["doc_number"], doc_title=p["doc_title"], unit=p["unit"])
                    for r in sorted(holders.get(e["pid"], []), key=_row_order)]
            evidence.extend(rows)
            provs.append({"provision_id": e["pid"], "doc": doc_label(e["prov"]), "unit": e["prov"]["unit"],
                          "heading": e["prov"]["heading"]})
            roles = [f"{r['department']}({ROLE_ZH.get(r['role'], r['role'])})" for r in rows if r["department"]]
            listing.append(f"{doc_label(e['prov'])} {e['prov']['unit']}:{_join(roles)}")
            names.extend(d for d in depts if d not in names)
        drafts.append(Draft(
            "same_duty_different_holders", severity,
            sorted(f"{p['doc']}|{p['unit']}" for p in provs), evidence, provs, sorted(names),
            {"name": members[0]["name"], "places": len(members), "holders": ";".join(listing),
             "departments": _join(sorted(names))},
            {"names": [e["name"] for e in members], "categories": sorted({e["category"] for e in members}),
             "attributes": [e["attributes"] for e in members],
             "holder_sets": [sorted(s[0]) for s in sets], "roles_only": severity == cfg["roles_differ_severity"]}))
    return drafts


def _similar_groups(entries: list[dict], threshold: float):
    """Sets of entry indexes that pairs of similar names (same place, different provisions,
    fuzz.ratio ≥ threshold) connect: the components are those of comparing every pair.

    Entries are compared once per distinct (place, name), in rapidfuzz's C loop: a store of
    many documents repeats names (every year's service list), and a pair-by-pair loop in
    Python grew with the square of all entries.  Entries of two similar names (or of one
    name, similar to itself) are all connected as soon as they span two provisions: each
    is then similar to one of another provision, and that one to the rest.
    """
    by_name: dict[tuple, list[int]] = {}
    for i, e in enumerate(entries):
        by_name.setdefault((e["place"], e["key"]), []).append(i)
    names_of_place: dict[str, list[str]] = {}
    for place, key in by_name:
        names_of_place.setdefault(place, []).append(key)

    def spanning(indexes: list[int]) -> bool:
        return len({entries[i]["pid"] for i in indexes}) > 1
    for place, keys in names_of_place.items():
        for pos, key in enumerate(keys):
            own = by_name[(place, key)]
            if fuzz.ratio(key, key) >= threshold and spanning(own):
                yield own
            for other, _, at in process.extract(key, keys[pos + 1:], scorer=fuzz.ratio, score_cutoff=threshold,
                                                limit=None):
                both = own + by_name[(place, other)]
                if spanning(both):
                    yield both


# -- split jurisdiction ------------------------------------------------------------
def _groups(rows: list[dict]) -> list[dict]:
    """Holders of one provision by condition: [{"condition", "departments", "pending"}]."""
    groups: dict[str, dict] = {}
    for r in rows:
        g = groups.setdefault(r["condition"], {"condition": r["condition"], "departments": [], "pending": False})
        if holder_name(r) not in g["departments"]:
            g["departments"].append(holder_name(r))
        g["pending"] = g["pending"] or bool(r["pending"])
    return sorted(groups.values(), key=lambda g: (g["condition"] == "", g["condition"]))


def split_jurisdiction(facts: Facts, cfg: dict) -> list[Draft]:
    drafts = []
    for pid, rows in facts.by_pid.items():
        rows = [r for r in rows if r["source"] != "standing_note"]
        conditional = [r for r in rows if r["condition"]]
        if not conditional:
            continue
        groups = _groups(rows)
        if len(groups) < 2:
            continue
        catch = [g for g in groups if g["condition"] == "" or
                 any(g["condition"].startswith(m) for m in cfg["catch_all_markers"])]
        catch_all = {"condition": catch[0]["condition"] or "(未附条件的其余情形)",
                     "departments": catch[0]["departments"], "explicit": bool(catch[0]["condition"])} if catch else None
        names = _named(rows)
        fields = {**_base_fields(rows[0]), "count": len(names), "departments": _join(names),
                  "catch_all": f",“{catch_all['condition'][:20]}”为兜底条款(由{_join(catch_all['departments'])}承担)"
                  if catch_all else ""}
        drafts.append(Draft("split_jurisdiction", cfg["catch_all_severity"] if catch_all else cfg["severity"],
                            [doc_label(rows[0]), rows[0]["unit"]], rows, [facts.prov(rows[0])], sorted(names), fields,
                            {"groups": groups, "catch_all": catch_all, "law_article": facts.law_of.get(pid)}))
    return drafts


def split_repeated(splits: list[Draft], cfg: dict) -> list[Draft]:
    """The same split written twice in one document ("{doc} {units}": the message names one).
    Splits of different documents are not paired: copies of a document, or every year's version
    of one, would pair each split with every other (the square of the store's splits)."""
    by_doc: dict[str, list[Draft]] = {}
    for split in splits:
        by_doc.setdefault(split.rows[0]["doc_id"], []).append(split)
    return [d for group in by_doc.values() for d in _repeated_in(group, cfg)]


def _repeated_in(splits: list[Draft], cfg: dict) -> list[Draft]:
    drafts = []
    for i, a in enumerate(splits):
        for b in splits[i + 1:]:
            ga = [g for g in a.details["groups"] if g["condition"]]
            gb = [g for g in b.details["groups"] if g["condition"]]
            if len(ga) < 2 or len(gb) < 2:
                continue
            pairs, used = [], set()
            for g in ga:
                best = max(((fuzz.ratio(g["condition"], h["condition"]), k) for k, h in enumerate(gb) if k not in used),
                           default=(0, None))
                if best[1] is not None:
                    used.add(best[1])
                    pairs.append((g, gb[best[1]], best[0]))
            if len(pairs) < 2 or sum(p[2] for p in pairs) / len(pairs) < cfg["min_similarity"]:
                continue
            differences = []
            for g, h, score in pairs:
                if set(g["departments"]) != set(h["departments"]):
                    differences.append(f"“{g['condition'][:16]}…”承担单位不同({_join(g['departments'])} / "
                                       f"{_join(h['departments'])})")
                if g["pending"] != h["pending"]:
                    where = a.fields["unit"] if g["pending"] else b.fields["unit"]
                    differences.append(f"仅{where}对“{g['condition'][:16]}…”写明待职能调整后由承接部门负责")
                if score < 100:
                    differences.append(f"条件表述不同:“{g['condition']}” / “{h['condition']}”")
            extra = len(ga) + len(gb) - 2 * len(pairs)
            if extra:
                differences.append(f"另有{extra}个情形只在一处出现")
            units = f"{a.fields['unit']}与{b.fields['unit']}"
            drafts.append(Draft(
                "split_repeated", cfg["severity"] if differences else cfg["identical_severity"],
                sorted(a.keys + b.keys), a.rows + b.rows, a.provisions + b.provisions,
                sorted(set(a.departments) | set(b.departments)),
                {"doc": a.fields["doc"], "units": units, "differences": ";".join(differences) or "无差异"},
                {"side_by_side": [{"left": g, "right": h, "similarity": round(s, 1)} for g, h, s in pairs],
                 "differences": differences}))
    return drafts


# -- pending, naming, body vs list --------------------------------------------------
def pending_assignment(facts: Facts, cfg: dict) -> list[Draft]:
    drafts = []
    for pid, rows in facts.by_pid.items():
        pending = [r for r in rows if r["pending"]]
        if pending:
            names = _named(pending)
            drafts.append(Draft("pending_assignment", cfg["severity"], [doc_label(rows[0]), rows[0]["unit"]], pending,
                                [facts.prov(rows[0])], sorted(names),
                                {**_base_fields(rows[0]), "departments": _join(names)},
                                {"conditions": sorted({r["condition"] for r in pending if r["condition"]})}))
    return drafts


def naming(facts: Facts, cfg: dict) -> list[Draft]:
    groups: dict[tuple, list] = {}
    for r in facts.rows:
        printed = r["printed_name"]
        if not printed:
            continue
        res = facts.registry.resolve(printed)
        if res is None or res.how not in cfg["hows"] or res.kind in cfg["ignore_kinds"]:
            continue
        canonical = res.suggestion if res.how == "fuzzy" and res.suggestion else res.canonical
        if canonical == normalise_name(printed):
            continue
        groups.setdefault((doc_label(r), normalise_name(printed), canonical, res.how), []).append(r)
    drafts = []
    for (doc, printed, canonical, how), rows in groups.items():
        rows.sort(key=lambda r: r["order"])
        units = list(dict.fromkeys(r["unit"] for r in rows))
        provs = list({r["provision_id"]: facts.prov(r) for r in rows}.values())
        drafts.append(Draft("naming", cfg["hows"][how], [doc, printed], rows, provs, [canonical],
                            {"doc": doc, "printed": printed, "canonical": canonical, "how": how,
                             "how_zh": HOW_ZH.get(how, how), "count": len(units), "units": "、".join(units)},
                            {"printed": printed, "canonical": canonical, "how": how, "units": units}))
    return drafts


def body_vs_list(facts: Facts, cfg: dict) -> list[Draft]:
    drafts = []
    for pid, rows in facts.by_pid.items():
        listed_rows = [r for r in rows if r["source"] in cfg["list_sources"]]
        if not listed_rows:
            continue
        listed = _named(listed_rows, cfg["ignore_kinds"], facts)
        text = rows[0]["text"]
        # The body is the text without its bracketed notes: the notes are the list.
        body, last = [], 0
        for a, b in find_brackets(text):
            body.append(text[last:a])
            last = b
        body = "".join(body) + text[last:]
        for r in listed_rows:
            body = body.replace(r["quote"], "")
        mentioned, quotes = [], {}
        for m in facts.registry.mentions(body):
            res = m.resolution
            if m.printed in cfg["ignore_mentions"] or res.uncertain or res.kind in cfg["ignore_kinds"] \
                    or res.how in ("vague", "collective"):
                continue
            if res.how == "national" and facts.place.get(rows[0]["doc_id"]):
                continue    # a local document names a ministry as the source of a rule, not as a holder
            if res.canonical not in mentioned:
                mentioned.append(res.canonical)
                quotes[res.canonical] = _sentence(body, m.start, m.end)
        missing_in_list = [d for d in mentioned if d not in listed]
        reverse = len(mentioned) >= cfg["min_body_mentions"]
        missing_in_body = [d for d in listed if d not in mentioned] if reverse else []
        if not missing_in_list and not missing_in_body:
            continue
        p = rows[0]
        body_rows = [{**p, "department": d, "vague": "", "role": "mentioned", "quote": quotes[d],
                      "span_start": p["span_start"], "span_end": p["span_end"]} for d in missing_in_list]
        drafts.append(Draft(
            "body_vs_list", cfg["severity"] if missing_in_list else cfg["reverse_severity"],
            [doc_label(p), p["unit"]], listed_rows + body_rows, [facts.prov(p)],
            sorted(set(missing_in_list) | set(missing_in_body)),
            {**_base_fields(p), "missing_in_list": _join(missing_in_list), "missing_in_body": _join(missing_in_body)},
            {"listed": listed, "mentioned": mentioned, "missing_in_list": missing_in_list,
             "missing_in_body": missing_in_body}))
    return drafts


def _sentence(text: str, a: int, b: int) -> str:
    start = max(text.rfind(c, 0, a) for c in "。;；") + 1
    ends = [i for i in (text.find(c, b) for c in "。;；") if i >= 0]
    return text[start:(min(ends) + 1 if ends else len(text))].strip()


# -- deadlines ---------------------------------------------------------------------
def overdue(facts: Facts, cfg: dict, today: date) -> list[Draft]:
    drafts = []
    for pid, rows in facts.by_pid.items():
        late = [r for r in rows if r["deadline_date"] and date.fromisoformat(r["deadline_date"]) < today]
        if not late:
            continue
        due = min(r["deadline_date"] for r in late)
        days = (today - date.fromisoformat(due)).days
        names = _named(late)
        drafts.append(Draft(
            "overdue", cfg["high_severity"] if days >= cfg["high_after_days"] else cfg["severity"],
            [doc_label(rows[0]), rows[0]["unit"]], late, [facts.prov(rows[0])], sorted(names),
            {**_base_fields(rows[0]), "deadline": late[0]["deadline"], "deadline_date": due, "days": days,
             "departments": _join(names + sorted({f'{r["vague"]}' for r in late if r["vague"]}))},
            {"deadline": late[0]["deadline"], "deadline_date": due, "days_overdue": days,
             "by_department": {holder_name(r): r["role"] for r in late}}))
    return drafts
