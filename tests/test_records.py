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


@pytest.mark.parametrize("name", sorted(n for n in os.listdir(DATA)
                                         if os.path.isfile(os.path.join(DATA, n)) and not n.endswith(".yaml")))
def test_documents_of_other_styles(name):
    _check(load_text(read_document_file(os.path.join(DATA, name)), name))


def test_a_department_or_article_no_row_uses_is_left_out(sample_result):
    from dataclasses import replace
    from graph.model import Department
    stray = Department("dept-stray", "市无此局", "government", (), False)
    nodes, _ = graph_rows(replace(sample_result, departments=[*sample_result.departments, stray]))
    assert "dept-stray" not in {n["id"] for n in nodes}


def test_search_text_is_the_headings_above_then_the_text():
    from graph.model import Provision
    from graph.records import searchable_text

    def provision(pid, parent, heading):
        return Provision(pid, "d", pid, "clause", heading, f"正文{pid}", (0, 1), parent_id=parent)
    top, empty, leaf, other = (provision("a", "", "一、以旧换新"), provision("b", "a", ""),
                               provision("c", "b", "(一)家电"), provision("e", "a", "(二)汽车"))
    by_id = {p.id: p for p in (top, empty, leaf, other)}
    prefixes = {}
    # an empty heading keeps its place, as a plain join of the headings would
    assert searchable_text(leaf, by_id, prefixes) == "一、以旧换新  正文c"
    assert searchable_text(other, by_id, prefixes) == "一、以旧换新 正文e"
    assert searchable_text(top, by_id) == " 正文a"
