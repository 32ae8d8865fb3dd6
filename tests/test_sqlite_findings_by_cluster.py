"""The SQLite store recomputes same_duty_different_holders only for the clusters a load's names
reach, and `findings` reads the stored findings: both must give what a full recompute gives.

Copies of the bundled gazette (bench/corpus.py: new document numbers, shuffled clauses, swapped
departments) are one place's documents repeating each other's service items, so their clusters
span documents: loaded one by one, one reloaded with a holder removed, one deleted."""
from __future__ import annotations

import json
import os
import sys

from test_sqlite_store import _recomputed_findings, _settings, _stored_findings

from graph.sqlite_backend import SqliteStore
from queries import vocabulary
from queries.findings import findings
from service.service import load_files
from service.writing import writing

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
from bench.corpus import make_corpus, sample_text  # noqa: E402


def _copies(tmp_path, count: int) -> list[str]:
    paths = []
    for name, text in make_corpus(sample_text(), count, seed=11):
        path = tmp_path / name
        path.write_text(text, encoding="utf-8")
        paths.append(str(path))
    return paths


def _spanning(stored: dict) -> list[dict]:
    """The stored same_duty_different_holders findings whose provisions lie in several documents."""
    return [d for d in stored.values() if d["type"] == "same_duty_different_holders"
            and len({p["doc"] for p in json.loads(d["provisions"])}) > 1]


def test_clusters_across_documents_after_loads_a_changed_reload_and_a_delete(tmp_path):
    first, second, third, fourth = _copies(tmp_path, 4)
    store = tmp_path / "s.sqlite"
    load_files([first], _settings(store))               # the first load computes them all
    load_files([second], _settings(store))              # these two only the clusters they reach
    load_files([third], _settings(store))
    assert _stored_findings(store) == _recomputed_findings(store)
    # a fourth whose item is named a little differently: only similarity leads to the others' cluster
    name, renamed = "困难残疾人生活补贴", "困难残疾人生活补贴金"
    text = open(fourth, encoding="utf-8").read()
    assert name in text and renamed not in text
    with open(fourth, "w", encoding="utf-8") as handle:
        handle.write(text.replace(name, renamed))
    load_files([fourth], _settings(store))
    stored = _stored_findings(store)
    assert stored == _recomputed_findings(store)
    assert len(_spanning(stored[0])) >= 10              # clusters of several documents each
    assert any({name, renamed} <= set(json.loads(d["details"])["names"]) for d in _spanning(stored[0]))

    # the second copy again, one of its service items' holders changed
    text = open(second, encoding="utf-8").read()
    marker = "牵头单位"
    assert marker in text
    changed = tmp_path / "changed.txt"
    changed.write_text(text.replace(marker, "主管单位", 3), encoding="utf-8")
    load_files([str(changed)], _settings(store))
    after = _stored_findings(store)
    assert after == _recomputed_findings(store) and after != stored

    # a document of the first copy deleted: the clusters it was in lose its rows
    with writing(_settings(store)) as s:
        docs = vocabulary.documents(s.reads())
        doc = next(d["id"] for d in docs if d["id"] in {p.doc_id for p in _service_docs(s)})
        assert s.delete_document(doc)
    final = _stored_findings(store)
    assert final == _recomputed_findings(store) and final != after


def _service_docs(store) -> list:
    reads = store.reads()
    return [reads.provision(i.provision_id) for i in reads.service_items()]


def test_findings_read_from_the_store_are_those_computed(tmp_path):
    store = tmp_path / "s.sqlite"
    paths = _copies(tmp_path, 2)
    load_files(paths, _settings(store))
    s = SqliteStore(str(store))
    try:
        reads = s.reads()
        assert reads.stored_findings() is not None
        for filters in ({}, {"department": "市民政局"}, {"severity": "high"}, {"types": ["naming", "overdue"]},
                        {"doc": vocabulary.documents(reads)[3]["number"]}):
            stored = findings(reads, stored=True, **filters)
            assert stored and stored == findings(s.reads(), **filters), filters
    finally:
        s.close()
    # judged on another day (or under other rules) they are computed, not read
    s = SqliteStore(str(store))
    try:
        s.conn.execute("UPDATE meta SET value = '2001-01-01' WHERE key = 'findings_day/2'")   # autocommit
        assert s.reads().stored_findings() is None
        assert findings(s.reads(), stored=True) == findings(s.reads())
    finally:
        s.close()


def test_ranked_search_stops_early_and_gives_the_full_ranking(tmp_path):
    """search_ranked scores only the candidates whose bound can reach the k best, and its k best
    are those of scoring every candidate (ranking.bm25), for every question of topics.yaml and for
    k from 1 to more than there are candidates."""
    import yaml
    from queries.ranking import bigrams, bm25, score, score_bound
    from queries.synonyms import expand
    store = tmp_path / "s.sqlite"
    load_files(_copies(tmp_path, 3), _settings(store))
    here = os.path.dirname(os.path.abspath(__file__))
    with open(os.path.join(here, "data", "topics.yaml"), encoding="utf-8") as handle:
        questions = [t["q"] for t in yaml.safe_load(handle)["topics"]] + ["安全生产", "噪声", "秸秆禁烧"]
    s = SqliteStore(str(store))
    try:
        reads = s.reads()
        total = reads.count_provisions()
        pruned = []
        for question in questions:
            terms = bigrams(expand(question))
            every = reads.search_candidates(terms, limit=10 ** 6)
            full = bm25(terms, every, total)
            for k in (1, 10, 200, len(every) + 5):
                fast = reads.search_ranked(terms, k, total, score, score_bound)
                if fast is None:                       # a term the index does not hold
                    assert any(len(t) != 2 for t in terms), question
                    break
                assert [(sc, c.provision_id) for sc, c in fast] == \
                    [(sc, c.provision_id) for sc, c in full[:k]], (question, k)
            else:
                pruned.append((question, _scored(reads, terms, 10, total), len(every)))
        # the ten best of most questions with many candidates come without scoring them all
        many = [(scored, every) for _, scored, every in pruned if every > 50]
        assert len(many) >= 10 and sum(scored < every for scored, every in many) > len(many) / 2, pruned
    finally:
        s.close()


def _scored(reads, terms, k, total) -> int:
    """How many candidates search_ranked scored for its k best."""
    from queries.ranking import score, score_bound
    calls = []

    def counting(*args):
        calls.append(1)
        return score(*args)
    reads.search_ranked(terms, k, total, counting, score_bound)
    return len(calls)
