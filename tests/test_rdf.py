"""The RDF export: valid against the SHACL shapes, read back to the same assignment export,
and the SPARQL examples of ontology/queries.rq answer what queries.vocabulary answers."""
import os
from collections import defaultdict

import pytest
from pyshacl import validate
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import ORG, PROV, RDF, RDFS, SH, SKOS

from ontology import data_path
from api.settings import load_settings
from queries import rdf_export as rx
from graph.errors import QueryError
from queries.rdf_export import DG, ELI
from graph.backends import open_backend
from service.service import load_files
from queries import vocabulary as vocab

SAMPLE = data_path("samples", "shuangyashan-gazette-2024-05.txt")
BASE = "https://dutygraph.example/id/"
NAMED_QUERIES = {"who", "duties", "without-lead", "gaps", "assignments", "old-names"}


@pytest.fixture(scope="module")
def backend(tmp_path_factory):
    settings = load_settings(store=str(tmp_path_factory.mktemp("rdf") / "store.json"), backend="networkx")
    load_files([SAMPLE], settings)
    store = open_backend(settings)
    yield store.reads()
    store.close()


@pytest.fixture(scope="module")
def export(backend):
    return rx.to_rdf(backend, BASE)


@pytest.fixture(scope="module")
def shapes():
    return Graph().parse(rx.SHAPES_PATH, format="turtle")


def _doc(row) -> str:
    return str(row.doc)


# -- the ontology ---------------------------------------------------------

def test_the_ontology_defines_every_dg_term_with_chinese_and_english_labels():
    ontology = rx.ontology_graph()
    declared = {DG[name] for name in DG.__annotations__}
    defined = {s for s in ontology.subjects() if isinstance(s, URIRef) and str(s).startswith(str(DG._NS))}
    assert defined == declared
    for term in sorted(declared):
        langs = sorted(label.language for label in ontology.objects(term, RDFS.label))
        assert langs == ["en", "zh"], term


def test_namespaces_are_strict():
    with pytest.raises(AttributeError):
        DG.Assignmnet
    with pytest.raises(AttributeError):
        ELI.is_partof
    with pytest.raises(AttributeError):
        ORG.ChangeEvents


# -- the export -----------------------------------------------------------

def test_the_export_of_the_gazette_conforms_to_the_shapes(export, shapes):
    conforms, _, text = validate(export, shacl_graph=shapes, inference="none")
    assert conforms, text


def test_the_export_holds_every_node_of_the_store(backend, export):
    def count(cls):
        return len(set(export.subjects(RDF.type, cls)))
    rows = backend.assignment_rows()
    assert count(DG.Assignment) == len(rows)
    assert count(DG.VagueAssignment) == sum(1 for r in rows if r.vague) > 0
    targets = backend.targets()
    assert count(DG.Target) == len(targets) == 17
    assert count(DG.Quote) == len(rows) + len(targets)
    assert count(ELI.LegalResourceSubdivision) == len(_exported_provisions(export)) + len(backend.law_articles())
    assert count(DG.ServiceItem) == len(backend.service_items())
    departments = {URIRef(BASE + "department/" + d.id.partition(":")[2]) for d in backend.departments()}
    assert departments <= set(export.subjects(RDF.type, ORG.Organization))
    assert set(export.objects(None, DG.department)) == departments


def test_a_target_keeps_its_figure_year_and_quote(export):
    rows = export.query("""
        PREFIX dg: <https://dutygraph.example/ontology#> PREFIX prov: <http://www.w3.org/ns/prov#>
        PREFIX eli: <http://data.europa.eu/eli/ontology#>
        SELECT ?unit ?value ?measure ?year ?text ?start ?end WHERE {
          ?p dg:setsTarget ?t ; eli:number ?unit . ?t dg:targetValue ?value ; dg:unitOfMeasure ?measure ;
             dg:targetYear ?year ; prov:wasDerivedFrom ?q . ?q prov:value ?text ; dg:spanStart ?start ;
             dg:spanEnd ?end . FILTER(CONTAINS(STR(?text), "煤炭消费比重")) }""")
    (row,) = list(rows)
    assert (str(row.unit), str(row.value), str(row.measure), str(row.year)) == ("(10)", "70", "%", "2025")
    text = open(SAMPLE, encoding="utf-8").read()
    assert text[int(row.start):int(row.end)] == str(row.text) == "到2025年,全市煤炭消费比重下降到70%"


def _exported_provisions(g) -> set[str]:
    return {"prov:" + str(p).rsplit("/", 1)[1] for p in g.subjects(RDF.type, ELI.LegalResourceSubdivision)
            if "/provision/" in str(p)}


def test_every_provision_with_a_duty_or_a_gap_is_exported_and_only_empty_top_levels_are_left_out(backend, export):
    every = {n for n, d in backend.g.nodes(data=True) if d["label"] == "Provision"}
    exported = _exported_provisions(export)
    assert exported <= every
    assert {p for p in every if backend.holders([p])} <= exported
    assert {g.provision_id for g in backend.gap_provisions()} <= exported
    # What is left out is what no primitive reaches: top-level provisions with nothing in them.
    for pid in every - exported:
        row = backend.provision(pid)
        assert row.parent_id == "" and row.kind in ("preamble", "section", "annex"), pid
        assert backend.holders([pid]) == [], pid


def test_both_backends_export_the_same_triples(loaded):
    nx_graph, neo_graph = rx.to_rdf(loaded.nx, BASE), rx.to_rdf(loaded.neo, BASE)
    assert len(nx_graph) > 10000
    assert set(neo_graph) == set(nx_graph)


def test_iris_come_from_the_stable_ids_under_the_base(backend):
    base = "https://example.org/duties/"
    g = rx.to_rdf(backend, base)
    dept = vocab.department(backend, "市生态环境局")
    iri = URIRef(base + "department/" + dept["id"].partition(":")[2])
    assert g.value(iri, SKOS.prefLabel) == Literal("市生态环境局", lang="zh")
    outside = {s for s in g.subjects() if not str(s).startswith(base) and not str(s).startswith(str(DG._NS))}
    assert outside == set()
    # the same store gives the same bytes
    assert rx.serialize(g, "nt") == rx.serialize(rx.to_rdf(backend, base), "nt")


@pytest.mark.parametrize("base", ["dutygraph", "https://example.org/id", "ftp://example.org/id/", ""])
def test_a_base_that_is_no_absolute_http_iri_ending_in_a_slash_is_refused(backend, base):
    with pytest.raises(QueryError, match="must be an absolute http"):
        rx.to_rdf(backend, base)


def test_an_unknown_format_is_refused(export):
    with pytest.raises(QueryError, match="use turtle, json-ld, nt"):
        rx.serialize(export, "rdfxml")


def test_an_old_name_becomes_a_change_event(export):
    rows = [(str(r.oldName), str(r.newName)) for r in export.query(rx.named_queries()["old-names"])]
    assert rows == [("人民银行双鸭山市中心支行", "中国人民银行双鸭山市分行")]
    event = next(export.subjects(RDF.type, ORG.ChangeEvent))
    dept = export.value(event, ORG.resultingOrganization)
    assert (dept, ORG.resultedFrom, event) in export
    assert Literal("人民银行双鸭山市中心支行", lang="zh") in set(export.objects(dept, SKOS.altLabel))


# -- broken graphs --------------------------------------------------------

def test_departments_are_units_of_their_own_places_government(tmp_path):
    # The sample's 市… bureaus belong to 双鸭山市人民政府; another city's to that city's.
    other = os.path.join(os.path.dirname(__file__), "data", "other-city-brackets.txt")
    settings = load_settings(store=str(tmp_path / "store.json"), backend="networkx")
    load_files([SAMPLE, other], settings)
    store = open_backend(settings)
    try:
        g = rx.to_rdf(store.reads(), BASE)
    finally:
        store.close()
    label = lambda node: str(g.value(node, SKOS.prefLabel))  # noqa: E731
    unit_of = {label(d): label(gov) for d, gov in g.subject_objects(ORG.unitOf)}
    assert unit_of["市公安局"] == "双鸭山市人民政府"
    assert unit_of["临江市公安局"] == "临江市人民政府"
    assert {gov for name, gov in unit_of.items() if name.startswith("临江市")} == {"临江市人民政府"}


def _named_assignment(g):
    return next(a for a in sorted(g.subjects(RDF.type, DG.Assignment)) if (a, RDF.type, DG.VagueAssignment) not in g)


def _without_department(g):
    a = _named_assignment(g)
    g.remove((a, DG.department, None))
    return {(a, "an assignment names exactly one department, or else has its vague phrase and no department")}


def _department_and_vague_phrase(g):
    a = _named_assignment(g)
    g.add((a, DG.vaguePhrase, Literal("有关部门", lang="zh")))
    return {(a, "an assignment names exactly one department, or else has its vague phrase and no department")}


def _two_roles(g):
    a = _named_assignment(g)
    g.add((a, DG.role, DG.roleSupporting if g.value(a, DG.role) != DG.roleSupporting else DG.roleLead))
    return {(a, "an assignment has exactly one role: lead, responsible or supporting")}


def _no_quote_text(g):
    a = _named_assignment(g)
    quote = g.value(a, PROV.wasDerivedFrom)
    g.remove((quote, PROV.value, None))
    return {(quote, "a quote has its text"), (a, "an assignment is derived from exactly one quote")}


def _orphan_provision(g):
    p = next(a for a in sorted(g.subjects(RDF.type, ELI.LegalResourceSubdivision)) if (a, DG.provisionKind, None) in g)
    g.remove((p, ELI.is_part_of, None))
    return {(p, "a provision is part of exactly one provision or document"),
            (p, "every provision belongs to exactly one document")}


def _vague_with_department(g):
    a = next(iter(sorted(g.subjects(RDF.type, DG.VagueAssignment))))
    g.add((a, DG.department, next(iter(sorted(g.objects(None, DG.department))))))
    return {(a, "an assignment names exactly one department, or else has its vague phrase and no department"),
            (a, "a vague assignment names no department")}


@pytest.mark.parametrize("breakage", [_without_department, _department_and_vague_phrase, _two_roles,
                                      _no_quote_text, _orphan_provision, _vague_with_department])
def test_a_broken_graph_fails_with_the_expected_messages(export, shapes, breakage):
    g = Graph()
    for triple in export:
        g.add(triple)
    expected = breakage(g)
    conforms, results, _ = validate(g, shacl_graph=shapes, inference="none")
    found = {(results.value(r, SH.focusNode), str(results.value(r, SH.resultMessage)))
             for r in results.subjects(RDF.type, SH.ValidationResult)}
    assert not conforms
    assert found == expected


# -- round trip -----------------------------------------------------------

@pytest.mark.parametrize("fmt", ["turtle", "json-ld", "nt"])
def test_importing_the_export_gives_back_the_same_assignments(backend, export, fmt):
    text = rx.serialize(export, fmt, base=BASE)
    parsed = Graph().parse(data=text, format=fmt)
    assert set(parsed) == set(export)
    records = rx.read_assignments(parsed)
    expected = vocab.export_assignments(backend)
    assert {(r["doc"], r["unit"], r["department"], r["role"]) for r in records} == \
        {(r["doc"], r["unit"], r["department"], r["role"]) for r in expected}
    assert records == expected


# -- SPARQL examples against the query vocabulary -------------------------

def test_every_named_query_is_checked_here():
    assert set(rx.named_queries()) == NAMED_QUERIES


@pytest.mark.parametrize("topic", ["秸秆", "养老", "噪声", "设备"])
def test_who_in_sparql_answers_as_the_vocabulary(backend, export, topic):
    # Two-character topics: the vocabulary's candidates are then the provisions that contain
    # the topic itself (one bigram), which is what the SPARQL query's CONTAINS finds.
    hits = vocab.who(backend, topic, limit=200)
    assert 0 < len(hits) < 200
    want = {h["provision_id"]: sorted((d["department"] or f"VAGUE:{d['vague']}", d["role"], d["condition"] or "",
                                       d["inherited_from"] or "") for d in h["holders"])
            for h in hits if h["holders"]}
    got = defaultdict(list)
    for r in export.query(rx.named_queries()["who"], initBindings={"topic": Literal(topic)}):
        inherited = str(r.heldAt) if str(r.heldAt) != str(r.unit) else ""
        pid = "prov:" + str(r.provision).rsplit("/", 1)[1]
        got[pid].append((str(r.department) if r.department else f"VAGUE:{r.vague}", str(r.role),
                         str(r.condition or ""), inherited))
    assert {k: sorted(v) for k, v in got.items()} == want
    assert hits[0]["provision_id"] in got or not hits[0]["holders"]


@pytest.mark.parametrize("name", ["市生态环境局", "市工信局", "人民银行双鸭山市中心支行"])
def test_a_departments_duties_in_sparql_answer_as_the_vocabulary(backend, export, name):
    answer = vocab.duties(backend, name)
    assert 0 < answer["total"] <= 200
    want = sorted((d["doc_number"] or d["doc_title"], d["unit"], d["role"], d["condition"] or "",
                   d["deadline"] or "", d["quote"]) for d in answer["duties"])
    got = sorted((_doc(r), str(r.unit), str(r.role), str(r.condition or ""), str(r.deadline or ""), str(r.quote))
                 for r in export.query(rx.named_queries()["duties"], initBindings={"departmentName": Literal(name)}))
    assert got == want


def test_provisions_without_a_lead_in_sparql_answer_as_the_vocabulary(backend, export):
    roles = defaultdict(set)
    for r in vocab.export_assignments(backend):
        if r["role"]:
            roles[(r["doc"], r["unit"])].add(r["role"])
    want = {key for key, rs in roles.items() if "lead" not in rs}
    got = {(_doc(r), str(r.unit)) for r in export.query(rx.named_queries()["without-lead"])}
    assert want and got == want


def test_gaps_in_sparql_answer_as_the_vocabulary(backend, export):
    want = {(r["doc"], r["unit"]) for r in vocab.export_assignments(backend) if r["department"] is None}
    got = {(_doc(r), str(r.unit)) for r in export.query(rx.named_queries()["gaps"])}
    assert want and got == want


def test_the_readme_shows_the_sparql_that_the_tests_run():
    """The README's SPARQL example is the named query in ontology/queries.rq, to the letter."""
    import os
    from queries.rdf_export import named_queries
    root = os.path.join(os.path.dirname(__file__), "..")
    with open(os.path.join(root, "README.md"), encoding="utf-8") as handle:
        readme = handle.read()
    block = readme.split("```sparql\n", 1)[1].split("```", 1)[0]
    assert named_queries()["without-lead"].strip() in block
