"""graph_rows of a whole load equals the union of its documents' rows.

The Neo4j store writes a load's rows in one go while the embedded store
replaces document by document; both must end with the same graph.
"""
import os

import pytest

from graph.records import graph_rows
from loaders.pipeline import load_text
from loaders.reading import read_document_file

DATA = os.path.join(os.path.dirname(__file__), "data")


def _union(result):
    nodes, rels = {}, {}
    for doc in result.documents:
        doc_nodes, doc_rels = graph_rows(result.for_document(doc.id))
        nodes.update((n["id"], n) for n in doc_nodes)
        rels.update(((r["from"], r["type"], r["to"]), r) for r in doc_rels)
    return nodes, rels


def _check(result):
    nodes, rels = graph_rows(result)
    union_nodes, union_rels = _union(result)
    assert {n["id"]: n for n in nodes} == union_nodes and len(nodes) == len(union_nodes)
    assert {(r["from"], r["type"], r["to"]): r for r in rels} == union_rels and len(rels) == len(union_rels)


def test_the_sample_gazette(sample_result):
    assert len(sample_result.documents) > 1
    _check(sample_result)


@pytest.mark.parametrize("name", sorted(n for n in os.listdir(DATA) if not n.endswith(".yaml")))
def test_documents_of_other_styles(name):
    _check(load_text(read_document_file(os.path.join(DATA, name)), name))


def test_a_department_or_article_no_row_uses_is_left_out(sample_result):
    from dataclasses import replace
    from graph.model import Department
    stray = Department("dept-stray", "市无此局", "government", (), False)
    nodes, _ = graph_rows(replace(sample_result, departments=[*sample_result.departments, stray]))
    assert "dept-stray" not in {n["id"] for n in nodes}
