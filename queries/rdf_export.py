"""The store as linked data: W3C ORG, ELI, PROV-O, SKOS and DCTERMS, plus the dg: ontology.

Built only from the query backend's primitives (documents(), provision(),
departments(), assignment_rows(), service_items(), law_articles() …), so the
embedded store and Neo4j export the same triples.  IRIs are derived from the
stable node ids under a base the caller chooses, so reloading the same text
and exporting again gives the same IRIs:

    dept:040491530a8f  →  <base>department/040491530a8f

The vocabulary is in ontology/dutygraph.ttl, the SHACL shapes the export must
satisfy in ontology/shapes.ttl, and SPARQL examples in ontology/queries.rq
(read_assignments() uses two of them to read the assignment export back).

>>> g = to_rdf(_EmptyBackend(), "https://example.org/id/")
>>> len(g)
0
>>> mint = _Minter("https://example.org/id/")
>>> str(mint.node("dept:040491530a8f"))
'https://example.org/id/department/040491530a8f'
"""
from __future__ import annotations

import functools
import os
import re
from urllib.parse import urlparse

from rdflib import Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCTERMS, ORG, PROV, RDF, SKOS, XSD, DefinedNamespace

from graph.errors import QueryError, StoreError
from graph.model import stable_id
from graph.results import as_dict, as_dicts
from graph.schema import ROLE_ORDER
from ontology import data_path

DEFAULT_BASE = "https://dutygraph.example/id/"
ONTOLOGY_DIR = data_path()
ONTOLOGY_PATH = os.path.join(ONTOLOGY_DIR, "dutygraph.ttl")
SHAPES_PATH = os.path.join(ONTOLOGY_DIR, "shapes.ttl")
QUERIES_PATH = os.path.join(ONTOLOGY_DIR, "queries.rq")


class ELI(DefinedNamespace):
    """The ELI terms dutygraph uses (strict: a misspelt term raises AttributeError)."""
    _NS = Namespace("http://data.europa.eu/eli/ontology#")
    _fail = True

    LegalResource: URIRef
    LegalResourceSubdivision: URIRef
    is_part_of: URIRef
    cites: URIRef
    implements: URIRef
    id_local: URIRef
    number: URIRef
    date_document: URIRef
    passed_by: URIRef


class DG(DefinedNamespace):
    """dutygraph's own terms, each defined with Chinese and English labels in ontology/dutygraph.ttl."""
    _NS = Namespace("https://dutygraph.example/ontology#")
    _fail = True

    Assignment: URIRef
    VagueAssignment: URIRef
    Quote: URIRef
    ServiceItem: URIRef
    provision: URIRef
    department: URIRef
    role: URIRef
    vaguePhrase: URIRef
    printedName: URIRef
    openEnded: URIRef
    condition: URIRef
    pending: URIRef
    deadline: URIRef
    deadlineDate: URIRef
    extraction: URIRef
    spanStart: URIRef
    spanEnd: URIRef
    provisionKind: URIRef
    order: URIRef
    text: URIRef
    describesService: URIRef
    Target: URIRef
    setsTarget: URIRef
    indicator: URIRef
    targetValue: URIRef
    unitOfMeasure: URIRef
    targetYear: URIRef
    needsReview: URIRef
    AssignmentRoles: URIRef
    roleLead: URIRef
    roleResponsible: URIRef
    roleSupporting: URIRef
    DepartmentKinds: URIRef
    kindGovernment: URIRef
    kindAgency: URIRef
    kindEnterprise: URIRef
    kindCollective: URIRef
    kindParty: URIRef
    kindJudicial: URIRef
    kindTown: URIRef
    kindGeneric: URIRef
    kindUnknown: URIRef
    ServiceTypes: URIRef


ROLE_CONCEPTS = {"lead": DG.roleLead, "responsible": DG.roleResponsible, "supporting": DG.roleSupporting}
KIND_CONCEPTS = {"government": DG.kindGovernment, "agency": DG.kindAgency, "enterprise": DG.kindEnterprise,
                 "collective": DG.kindCollective, "party": DG.kindParty, "judicial": DG.kindJudicial,
                 "town": DG.kindTown, "generic": DG.kindGeneric, "unknown": DG.kindUnknown}
# Stable id prefix (graph/model.stable_id) → IRI path segment.
SEGMENTS = {"doc": "document", "prov": "provision", "dept": "department", "asg": "assignment",
            "item": "service-item", "law": "law-article", "gazette": "gazette", "target": "target"}
FORMATS = {"turtle": "turtle", "json-ld": "json-ld", "nt": "nt"}
PREFIXES = {"dg": DG._NS, "eli": ELI._NS, "org": ORG._NS, "prov": PROV._NS, "skos": SKOS._NS,
            "dcterms": DCTERMS._NS, "xsd": XSD._NS}


class _Minter:
    """IRIs under one base: for store nodes from their stable ids, for the rest from hashed names."""

    def __init__(self, base: str):
        self.base = check_base(base)

    def node(self, node_id: str) -> URIRef:
        prefix, _, digest = node_id.partition(":")
        if prefix not in SEGMENTS or not digest:
            raise StoreError(f"node id {node_id!r} has no IRI scheme; known prefixes: {', '.join(SEGMENTS)}")
        return URIRef(f"{self.base}{SEGMENTS[prefix]}/{digest}")

    def named(self, segment: str, *parts: str) -> URIRef:
        return URIRef(f"{self.base}{segment}/{stable_id('x', *parts).partition(':')[2]}")

    def organisation(self, name: str) -> URIRef:
        # The same rule as loaders.pipeline gives departments, so an issuer or a former
        # name that is also a department in some store gets that department's IRI.
        return self.node(stable_id("dept", name))


def check_base(base: str) -> str:
    """An absolute http(s) IRI ending in / or #, so appended paths stay under it."""
    parsed = urlparse(base or "")
    if parsed.scheme not in ("http", "https") or not parsed.netloc or not base.endswith(("/", "#")):
        raise QueryError(f"RDF base {base!r} must be an absolute http(s) IRI ending in / or #, "
                         f"for example {DEFAULT_BASE}")
    return base


@functools.lru_cache(maxsize=1)
def _ontology() -> Graph:
    return Graph().parse(ONTOLOGY_PATH, format="turtle")


def ontology_graph() -> Graph:
    """The dg: ontology (a fresh copy, so callers may add to it)."""
    g = Graph()
    for triple in _ontology():
        g.add(triple)
    return g


def to_rdf(backend, base: str = DEFAULT_BASE, registry=None) -> Graph:
    """The whole store as one RDF graph.  `registry` (default: the bundled department
    registry) tells which printed names are a department's former names."""
    mint = _Minter(base)
    g = Graph()
    for prefix, ns in PREFIXES.items():
        g.bind(prefix, ns)
    # Rows as plain data: the nodes below are written from dicts of several shapes.
    docs = as_dicts(backend.documents())
    if not docs:
        return g
    if registry is None:
        from ontology.registry import default_registry
        registry = default_registry()
    for d in docs:
        _document(g, mint, d)
    rows = as_dicts(backend.assignment_rows())
    provisions = _all_provisions(backend, rows)
    for row in provisions:
        _provision(g, mint, row)
    doc_of = {p["provision_id"]: p["doc_id"] for p in provisions}
    for t in as_dicts(backend.targets()):
        _target(g, mint, t, doc_of[t["provision_id"]])
    printed: dict[str, set[str]] = {}
    for r in rows:
        _assignment(g, mint, r)
        if r["department_id"] and r["printed_name"]:
            printed.setdefault(r["department_id"], set()).add(r["printed_name"])
    for dept in as_dicts(backend.departments()):
        _department(g, mint, dept, printed.get(dept["id"], set()), registry)
    for item in as_dicts(backend.service_items()):
        _service_item(g, mint, item)
    for art in as_dicts(backend.law_articles()):
        _law_article(g, mint, art)
    _copy_concepts(g)
    return g


def _all_provisions(backend, rows: list[dict]) -> list[dict]:
    """Every provision in a tree that holds something: a duty, a gap, a service item, a law
    article or a target, with all its ancestors and descendants.

    The backends have no "list every provision" primitive (and a search for "" means nothing
    to the Neo4j one), so the trees are walked from what the other primitives name.  A top-level
    provision with nothing in or below it (a preamble, a bare heading) is not reached; a
    `provisions()` primitive on both backends would let the export include those too.
    """
    seeds = {r["provision_id"] for r in rows}
    seeds |= {g.provision_id for g in backend.gap_provisions()}
    seeds |= {s.provision_id for s in backend.service_items()}
    seeds |= {pid for a in backend.law_articles() for pid in a.provision_ids}
    seeds |= {t.provision_id for t in backend.targets()}
    found: dict[str, dict] = {}
    todo = sorted(seeds)
    while todo:
        pid = todo.pop()
        if pid in found:
            continue
        row = backend.provision(pid)
        if row is None:
            raise StoreError(f"provision {pid} is named by the store but cannot be read; reload its document")
        found[pid] = as_dict(row)
        todo.extend(([row.parent_id] if row.parent_id else []) + list(row.children))
    return [found[pid] for pid in sorted(found)]


def _text(g: Graph, s, p, value: str, lang: str | None = "zh") -> None:
    if value:
        g.add((s, p, Literal(value, lang=lang)))


def _document(g: Graph, mint: _Minter, d: dict) -> None:
    doc = mint.node(d["id"])
    g.add((doc, RDF.type, ELI.LegalResource))
    _text(g, doc, ELI.id_local, d["number"], lang=None)
    _text(g, doc, DCTERMS.title, d["title"])
    _text(g, doc, DCTERMS.source, d["source"], lang=None)
    if d["date"]:
        # ELI readers look for date_document, Dublin Core readers for issued: same date.
        g.add((doc, ELI.date_document, Literal(d["date"], datatype=XSD.date)))
        g.add((doc, DCTERMS.issued, Literal(d["date"], datatype=XSD.date)))
    if d["issuer"]:
        issuer = mint.organisation(d["issuer"])
        g.add((doc, ELI.passed_by, issuer))
        g.add((issuer, RDF.type, ORG.Organization))
        g.add((issuer, SKOS.prefLabel, Literal(d["issuer"], lang="zh")))


def _provision(g: Graph, mint: _Minter, p: dict) -> None:
    prov = mint.node(p["provision_id"])
    g.add((prov, RDF.type, ELI.LegalResourceSubdivision))
    g.add((prov, ELI.is_part_of, mint.node(p["parent_id"] or p["doc_id"])))
    g.add((prov, ELI.number, Literal(p["unit"])))
    _text(g, prov, DCTERMS.title, p["heading"])
    _text(g, prov, DG.text, p["text"])
    g.add((prov, DG.provisionKind, Literal(p["kind"])))
    g.add((prov, DG.order, Literal(p["order"], datatype=XSD.integer)))
    _span(g, prov, p["span_start"], p["span_end"])
    for number in p["citations"]:
        # A cited document gets the id it would have if it were loaded, so loading it later links up.
        cited = mint.node(stable_id("doc", number))
        g.add((prov, ELI.cites, cited))
        g.add((cited, RDF.type, ELI.LegalResource))
        g.add((cited, ELI.id_local, Literal(number)))


def _span(g: Graph, s, start: int, end: int) -> None:
    g.add((s, DG.spanStart, Literal(start, datatype=XSD.nonNegativeInteger)))
    g.add((s, DG.spanEnd, Literal(end, datatype=XSD.nonNegativeInteger)))


def _assignment(g: Graph, mint: _Minter, r: dict) -> None:
    asg = mint.node(r["assignment_id"])
    if r["role"] not in ROLE_CONCEPTS:
        raise StoreError(f"assignment {r['assignment_id']} has role {r['role']!r}; "
                         f"the RDF export knows {', '.join(ROLE_CONCEPTS)}")
    g.add((asg, RDF.type, DG.Assignment))
    g.add((asg, DG.provision, mint.node(r["provision_id"])))
    g.add((asg, DG.role, ROLE_CONCEPTS[r["role"]]))
    if r["department_id"]:
        g.add((asg, DG.department, mint.node(r["department_id"])))
    if r["vague"]:
        g.add((asg, RDF.type, DG.VagueAssignment))
        _text(g, asg, DG.vaguePhrase, r["vague"])
    _text(g, asg, DG.printedName, r["printed_name"])
    g.add((asg, DG.openEnded, Literal(bool(r["open_ended"]))))
    g.add((asg, DG.pending, Literal(bool(r["pending"]))))
    _text(g, asg, DG.condition, r["condition"])
    _text(g, asg, DG.deadline, r["deadline"])
    if r["deadline_date"]:
        g.add((asg, DG.deadlineDate, Literal(r["deadline_date"], datatype=XSD.date)))
    _text(g, asg, DG.extraction, r["source"], lang=None)
    _quote(g, mint, asg, r["assignment_id"], r["quote"], r["doc_id"], r["span_start"], r["span_end"])


def _quote(g: Graph, mint: _Minter, subject, node_id: str, text: str, doc_id: str, start: int, end: int) -> None:
    # The evidence is an entity of its own (PROV-O): the quote, where it sits, where it came from.
    quote = URIRef(f"{mint.base}quote/{node_id.partition(':')[2]}")
    g.add((subject, PROV.wasDerivedFrom, quote))
    g.add((quote, RDF.type, DG.Quote))
    g.add((quote, PROV.value, Literal(text, lang="zh")))
    g.add((quote, PROV.wasQuotedFrom, mint.node(doc_id)))
    _span(g, quote, start, end)


def _department(g: Graph, mint: _Minter, d: dict, printed: set[str], registry) -> None:
    dept = mint.node(d["id"])
    g.add((dept, RDF.type, ORG.Organization))
    g.add((dept, SKOS.prefLabel, Literal(d["name"], lang="zh")))
    g.add((dept, ORG.classification, KIND_CONCEPTS.get(d["kind"], DG.kindUnknown)))
    g.add((dept, DG.needsReview, Literal(bool(d["needs_review"]))))
    from ontology.registry import place_of
    # 市…局/委 are working departments of the city's people's government (政府工作部门):
    # the registry's own city for 市…, the named place for 临江市… (another place's document).
    place = registry.jurisdiction if d["name"].startswith("市") else place_of(d["name"])
    if d["kind"] == "government" and place:
        city = f"{place}人民政府"
        gov = mint.organisation(city)
        g.add((dept, RDF.type, ORG.OrganizationalUnit))
        g.add((dept, ORG.unitOf, gov))
        g.add((gov, RDF.type, ORG.FormalOrganization))
        g.add((gov, RDF.type, ORG.Organization))
        g.add((gov, SKOS.prefLabel, Literal(city, lang="zh")))
    for alias in sorted(set(d["aliases"]) | printed):
        if alias == d["name"]:
            continue
        resolution = registry.resolve(alias)
        how = resolution.how if resolution is not None else "alias"
        # SKOS: misprints are hidden labels (found by search, never shown); old names are
        # labels too, and also a reorganisation (org:ChangeEvent) from the old organisation.
        g.add((dept, SKOS.hiddenLabel if how == "typo" else SKOS.altLabel, Literal(alias, lang="zh")))
        if how == "old" and resolution.canonical == d["name"]:
            _change_event(g, mint, dept, alias, d["name"])


def _change_event(g: Graph, mint: _Minter, dept: URIRef, old: str, new: str) -> None:
    event = mint.named("change", old, new)
    former = mint.organisation(old)
    g.add((event, RDF.type, ORG.ChangeEvent))
    g.add((event, ORG.originalOrganization, former))
    g.add((event, ORG.resultingOrganization, dept))
    g.add((event, DCTERMS.description, Literal(f"{old} → {new}", lang="zh")))
    g.add((former, RDF.type, ORG.Organization))
    g.add((former, SKOS.prefLabel, Literal(old, lang="zh")))
    g.add((former, ORG.changedBy, event))
    g.add((dept, ORG.resultedFrom, event))


def _target(g: Graph, mint: _Minter, t: dict, doc_id: str) -> None:
    target = mint.node(t["id"])
    g.add((target, RDF.type, DG.Target))
    g.add((mint.node(t["provision_id"]), DG.setsTarget, target))
    _text(g, target, DG.indicator, t["indicator"])
    g.add((target, DG.targetValue, Literal(t["value"])))
    _text(g, target, DG.unitOfMeasure, t["unit"], lang=None)
    if t["year"]:
        g.add((target, DG.targetYear, Literal(t["year"], datatype=XSD.gYear)))
    _quote(g, mint, target, t["id"], t["quote"], doc_id, t["span_start"], t["span_end"])


def _service_item(g: Graph, mint: _Minter, s: dict) -> None:
    item = mint.node(s["id"])
    g.add((item, RDF.type, DG.ServiceItem))
    _text(g, item, DCTERMS.title, s["name"])
    g.add((mint.node(s["provision_id"]), DG.describesService, item))
    if s["category"]:
        concept = mint.named("service-type", s["category"])
        g.add((item, DCTERMS.type, concept))
        g.add((concept, RDF.type, SKOS.Concept))
        g.add((concept, SKOS.inScheme, DG.ServiceTypes))
        g.add((concept, SKOS.prefLabel, Literal(s["category"], lang="zh")))


def _law_article(g: Graph, mint: _Minter, a: dict) -> None:
    art = mint.node(a["id"])
    # The IRI the law's document gets when it is loaded (loaders/law_pipeline.py: stable_id("doc", title)),
    # as for a cited document: a law loaded beside its local implementations is the same resource.
    law = mint.node(stable_id("doc", a["law"]))
    g.add((art, RDF.type, ELI.LegalResourceSubdivision))
    g.add((art, ELI.number, Literal(a["label"])))
    g.add((art, ELI.is_part_of, law))
    g.add((law, RDF.type, ELI.LegalResource))
    _text(g, law, DCTERMS.title, a["law"])
    for pid in a["provision_ids"]:
        g.add((mint.node(pid), ELI.implements, art))


def _copy_concepts(g: Graph) -> None:
    """The role and kind concepts the export uses, copied from the ontology, so the export
    alone validates (sh:class skos:Concept) and answers queries by skos:notation."""
    used = set(g.objects(None, DG.role)) | set(g.objects(None, ORG.classification))
    for concept in sorted(used):
        for _, p, o in _ontology().triples((concept, None, None)):
            g.add((concept, p, o))


def serialize(graph: Graph, fmt: str, base: str | None = None) -> str:
    """Turtle, JSON-LD or N-Triples text.  N-Triples lines are sorted, so the same store
    always gives the same bytes (a diff shows what a reload changed)."""
    if fmt not in FORMATS:
        raise QueryError(f"unknown RDF format {fmt!r}: use {', '.join(FORMATS)}")
    if fmt == "nt":
        lines = graph.serialize(format="nt", encoding="utf-8").decode("utf-8").splitlines()
        return "".join(line + "\n" for line in sorted(set(lines)) if line.strip())
    if fmt == "json-ld":
        context = {prefix: str(ns) for prefix, ns in PREFIXES.items()}
        return graph.serialize(format="json-ld", context=context, indent=1)
    return graph.serialize(format="turtle", base=base)


# -- reading back ---------------------------------------------------------

_QUERY_NAME = re.compile(r"^# name: (\S+)[ \t]*$", re.M)


def named_queries(text: str | None = None) -> dict[str, str]:
    """The SPARQL examples of ontology/queries.rq by name (each starts with a `# name:` line)."""
    if text is None:
        with open(QUERIES_PATH, encoding="utf-8") as handle:
            text = handle.read()
    marks = list(_QUERY_NAME.finditer(text))
    return {m.group(1): text[m.start():(marks[i + 1].start() if i + 1 < len(marks) else len(text))].strip()
            for i, m in enumerate(marks)}


def read_assignments(graph: Graph) -> list[dict]:
    """The assignment export (queries.vocabulary.export_assignments) read back from RDF,
    in the same canonical order: what the round-trip test compares."""
    queries = named_queries()
    records = []
    for r in graph.query(queries["assignments"]):
        records.append({
            "doc": str(r.doc), "unit": str(r.unit),
            "department": str(r.department) if r.department is not None else f"VAGUE:{_str(r.vague)}",
            "role": str(r.role), "open_ended": bool(r.openEnded.toPython()), "vague": r.vague is not None,
            "collective": r.collective is not None, "condition": _str(r.condition) or None, "deadline": _str(r.deadline) or None,
            "quote": str(r.quote), "span": [int(r.start), int(r.end)], "pending": bool(r.pending.toPython()),
            "source": _str(r.extraction), "_order": int(r.order)})
    for r in graph.query(queries["gaps"]):
        records.append({
            "doc": str(r.doc), "unit": str(r.unit), "department": None, "role": None, "open_ended": False,
            "vague": False, "collective": False, "condition": None, "deadline": None, "quote": _str(r.text),
            "span": [int(r.start), int(r.end)], "pending": False, "source": "gap", "_order": int(r.order)})
    records.sort(key=lambda r: (r["doc"], r["_order"], ROLE_ORDER.get(r["role"] or "none", 9),
                                r["department"] or "", r["condition"] or ""))
    for r in records:
        del r["_order"]
    return records


def _str(value) -> str:
    return "" if value is None else str(value)


class _EmptyBackend:
    """A backend with nothing in it (for the doctest)."""

    def documents(self):
        return []
