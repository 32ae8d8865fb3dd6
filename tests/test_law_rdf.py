"""The law in linked data (issue 13, part 5): the article a local provision implements is an
eli:LegalResourceSubdivision, eli:is_part_of the law, which is the loaded law's own document."""
from __future__ import annotations

import os

from pyshacl import validate
from rdflib import Graph, Literal
from rdflib.namespace import DCTERMS, RDF

from api.settings import load_settings
from queries import rdf_export as rx
from queries.rdf_export import ELI
from graph.backends import open_backend
from service.service import load_files

HERE = os.path.dirname(os.path.abspath(__file__))
SAMPLE = os.path.join(HERE, "..", "ontology", "samples", "shuangyashan-gazette-2024-05.txt")
NOISE = os.path.join(HERE, "..", "ontology", "laws", "zh-noise-pollution-prevention-law-2021.md")
BASE = "https://dutygraph.example/id/"


def test_an_implemented_article_is_part_of_the_loaded_law(tmp_path):
    settings = load_settings(store=str(tmp_path / "store.json"), backend="networkx")
    load_files([SAMPLE, NOISE], settings)
    store = open_backend(settings)
    try:
        g = rx.to_rdf(store.reads(), BASE)
    finally:
        store.close()
    [law] = g.subjects(DCTERMS.title, Literal("中华人民共和国噪声污染防治法", lang="zh"))
    assert (law, DCTERMS.source, None) in g          # the loaded document, not only a name
    articles = set(g.subjects(ELI.is_part_of, law)) & set(g.subjects(RDF.type, ELI.LegalResourceSubdivision))
    numbers = {str(n) for a in articles for n in g.objects(a, ELI.number)}
    assert {"第四十三条", "第七十二条第二款", "第八十条"} <= numbers
    art43 = next(a for a in articles if (a, ELI.number, Literal("第四十三条")) in g)
    assert len(set(g.subjects(ELI.implements, art43))) == 1     # the table row of 双政办发〔2024〕22号
    conforms, _, text = validate(g, shacl_graph=Graph().parse(rx.SHAPES_PATH, format="turtle"), inference="none")
    assert conforms, text
