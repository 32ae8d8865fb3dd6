"""Search quality: questions written by reading the corpus, answered by `who`.

Each topic of tests/data/topics.yaml names the departments a person would
expect; all of them must be among the departments of the top 3 answers.
The query is expanded with the synonym table first (queries/synonyms.py;
expansion is idempotent, so this stays right once `who` expands by itself).
Both backends rank with the same code (queries/ranking.py) over the same
candidates, so the embedded store answers for both.

    pytest tests/test_search_quality.py -q -rx    # the known misses and why
"""
from __future__ import annotations

import os

import pytest
import yaml

from ontology import data_path
from api.settings import load_settings
from graph.backends import open_backend
from service.service import load_files
from queries import vocabulary as vocab
from queries.synonyms import expand

HERE = os.path.dirname(__file__)
SAMPLE = data_path("samples", "shuangyashan-gazette-2024-05.txt")
with open(os.path.join(HERE, "data", "topics.yaml"), encoding="utf-8") as _handle:
    TOPICS = yaml.safe_load(_handle)["topics"]


@pytest.fixture(scope="module")
def backend(tmp_path_factory):
    settings = load_settings(backend="networkx", store=str(tmp_path_factory.mktemp("search") / "store.json"))
    load_files([SAMPLE], settings)
    store = open_backend(settings)
    yield store.reads()
    store.close()


def _departments_of_top3(backend, question: str) -> set[str]:
    answers = vocab.who(backend, expand(question), limit=3)
    return {h["department"] for a in answers for h in a["holders"] if h["department"]}


def _param(topic):
    marks = [pytest.mark.xfail(strict=True, reason=topic["known_miss"])] if topic.get("known_miss") else []
    return pytest.param(topic, id=topic["q"], marks=marks)


@pytest.mark.parametrize("topic", [_param(t) for t in TOPICS])
def test_expected_departments_are_in_the_top_3(backend, topic):
    missing = sorted(set(topic["expect"]) - _departments_of_top3(backend, topic["q"]))
    assert not missing, f"{topic['q']}: {missing} not among the top 3 answers ({topic['source']})"


def test_the_question_set(backend, capsys):
    """At least 40 questions, every way of asking represented; prints the hit rate."""
    assert len(TOPICS) >= 40 and len({t["q"] for t in TOPICS}) == len(TOPICS)
    assert {t["phrasing"] for t in TOPICS} == {"same", "shorter", "longer", "synonym"}
    hits = [t["q"] for t in TOPICS if set(t["expect"]) <= _departments_of_top3(backend, t["q"])]
    known = [t["q"] for t in TOPICS if t.get("known_miss")]
    assert len(hits) == len(TOPICS) - len(known)
    with capsys.disabled():
        print(f"\nsearch quality: {len(hits)}/{len(TOPICS)} topics answered in the top 3 "
              f"({100 * len(hits) / len(TOPICS):.1f}%)")
