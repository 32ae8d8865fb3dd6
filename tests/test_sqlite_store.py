"""The SQLite store: atomic loads (also when killed), idempotent reloads, snapshots for readers,
the migration of a JSON store, and the CLI on it — all on the bundled gazette."""
from __future__ import annotations

import json
import os
import signal
import subprocess
import sys

import pytest

from api.cli import main
from api.settings import load_settings
from conftest import SAMPLE, nx_snapshot
from graph.errors import StoreError
from graph.networkx_backend import NetworkxStore
from graph.review_store import ReviewStore, reviews_path
from graph.sqlite_backend import SqliteStore
from service.writing import writing
from service.service import load_files
from loaders.pipeline import load_text
from queries import vocabulary
from queries.findings import finding_rows, findings

HERE = os.path.dirname(os.path.abspath(__file__))
OTHER = os.path.join(HERE, "data", "division-of-duties.txt")


def _settings(path, **kw):
    return load_settings(store=str(path), backend="sqlite", **kw)


def _picture(path) -> tuple:
    store = SqliteStore(str(path))
    try:
        return nx_snapshot(store)
    finally:
        store.close()


def test_sqlite_is_the_default_embedded_store():
    settings = load_settings()
    assert settings.backend == os.environ.get("DUTYGRAPH_BACKEND", "sqlite")
    assert load_settings(backend="sqlite").store.endswith("store.sqlite")
    assert load_settings(backend="networkx").store.endswith("store.json")


def test_loading_twice_creates_nothing_and_changes_nothing(tmp_path):
    store = tmp_path / "s.sqlite"
    first = load_files([SAMPLE], _settings(store))
    before = _picture(store)
    second = load_files([SAMPLE], _settings(store))
    assert first["created_nodes"] > 900 and (second["created_nodes"], second["created_relationships"]) == (0, 0)
    assert _picture(store) == before


def test_the_same_graph_as_the_json_store_after_loads_and_deletes(tmp_path):
    """Two files into both embedded stores, then a document deleted: the same nodes, properties and edges."""
    json_settings = load_settings(store=str(tmp_path / "s.json"), backend="networkx")
    for settings in (json_settings, _settings(tmp_path / "s.sqlite")):
        load_files([SAMPLE, OTHER], settings)
        with writing(settings) as store:
            doc = next(d["id"] for d in vocabulary.documents(store.reads())
                       if d["number"] == "双政办发〔2024〕22号")
            assert store.delete_document(doc) and not store.delete_document(doc)
    assert _picture(tmp_path / "s.sqlite") == nx_snapshot(NetworkxStore(str(tmp_path / "s.json")))


def test_an_error_half_way_through_a_load_leaves_the_previous_state(tmp_path):
    store = tmp_path / "s.sqlite"
    load_files([OTHER], _settings(store))
    before = _picture(store)
    with open(SAMPLE, encoding="utf-8") as handle:
        result = load_text(handle.read(), "gazette.txt")
    with pytest.raises(RuntimeError, match="half-way"):
        with writing(_settings(store)) as s:
            assert s.write(result)["nodes"] > 900          # written, not committed
            raise RuntimeError("half-way")
    assert _picture(store) == before


# A process that writes the gazette into the store and is killed before it commits.
_KILLED_WRITER = """
import os, signal, sys
from graph.sqlite_backend import SqliteStore
from loaders.pipeline import load_text
store = SqliteStore(sys.argv[1])
store.conn.execute("PRAGMA cache_size = 5")       # a tiny cache: the open transaction spills into the WAL
with open(sys.argv[2], encoding="utf-8") as handle:
    result = load_text(handle.read(), "gazette.txt")
doc = store.conn.execute("SELECT id FROM nodes WHERE label = 'Document'").fetchone()[0]
store.delete_document(doc)
created = store.write(result)
print(created["nodes"], flush=True)
os.kill(os.getpid(), signal.SIGKILL)
"""


def test_a_load_killed_midway_leaves_the_previous_state(tmp_path):
    store = tmp_path / "s.sqlite"
    load_files([OTHER], _settings(store))
    before = _picture(store)
    proc = subprocess.run([sys.executable, "-c", _KILLED_WRITER, str(store), SAMPLE], capture_output=True,
                          text=True, cwd=os.path.dirname(HERE), timeout=300,
                          env={**os.environ, "PYTHONPATH": os.path.dirname(HERE)})
    assert proc.returncode == -signal.SIGKILL, proc.stderr
    assert int(proc.stdout.split()[0]) > 900           # it had written the gazette when it died
    assert _picture(store) == before
    reopened = SqliteStore(str(store))
    assert reopened.conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    reopened.close()
    assert load_files([SAMPLE], _settings(store))["created_nodes"] > 900     # and it takes the next load


def test_a_reader_keeps_its_snapshot_while_a_writer_commits(tmp_path):
    store_path = tmp_path / "s.sqlite"
    load_files([OTHER], _settings(store_path))
    store = SqliteStore(str(store_path))
    reader = store.reads()
    docs_before = vocabulary.documents(reader)
    load_files([SAMPLE], _settings(store_path))            # another store object commits meanwhile
    assert vocabulary.documents(reader) == docs_before
    assert len(vocabulary.documents(store.reads())) == len(docs_before) + 7
    reader.close()
    store.close()


def test_search_stops_at_the_limit_and_keeps_the_best(tmp_path):
    store_path = tmp_path / "s.sqlite"
    load_files([SAMPLE], _settings(store_path))
    store = SqliteStore(str(store_path))
    backend = store.reads()
    terms = ["部门", "秸秆", "禁烧"]
    every = backend.search_candidates(terms, 5000)
    assert len(every) > 50 and all(any(t in c.search_text for t in terms) for c in every)
    top = backend.search_candidates(terms, 5)
    assert len(top) == 5 and {c.provision_id for c in top} <= {c.provision_id for c in every}
    # the index ranks provisions holding the rare terms first: the straw-burning clause is among them
    assert "(20)" in {c.unit for c in top if c.doc_number == "双政发〔2024〕6号"}
    backend.close()
    store.close()


def test_a_json_store_is_refused_with_the_way_out(tmp_path):
    store = tmp_path / "s.json"
    load_files([OTHER], load_settings(store=str(store), backend="networkx"))
    with pytest.raises(StoreError, match="dutygraph migrate"):
        SqliteStore(str(store))


def test_migrate_copies_the_json_store_whole(tmp_path, capsys):
    old, new = tmp_path / "old.json", tmp_path / "new.sqlite"
    settings = load_settings(store=str(old), backend="networkx")
    load_files([SAMPLE, OTHER], settings)
    ReviewStore(str(old)).mark("finding:x", "accepted", "", "abc")
    assert main(["migrate", str(old), str(new)]) == 0
    assert "copied" in capsys.readouterr().out
    assert _picture(new) == nx_snapshot(NetworkxStore(str(old)))
    assert ReviewStore(str(new)).marks() == ReviewStore(str(old)).marks() and os.path.exists(reviews_path(str(new)))
    # every answer is the same on the copy
    for fn in (vocabulary.export_assignments, vocabulary.departments, vocabulary.stats):
        store = SqliteStore(str(new))
        assert fn(store.reads()) == fn(NetworkxStore(str(old)).reads())
        store.close()
    assert main(["migrate", str(old), str(new)]) == 1              # never over an existing store
    assert "already exists" in capsys.readouterr().err


def test_the_cli_on_the_default_backend(tmp_path, capsys, monkeypatch):
    monkeypatch.delenv("DUTYGRAPH_BACKEND", raising=False)
    store = str(tmp_path / "s.sqlite")
    assert main(["load", SAMPLE, "--store", store]) == 0
    capsys.readouterr()
    assert main(["who", "秸秆禁烧", "--json", "--store", store]) == 0
    hits = json.loads(capsys.readouterr().out)
    assert (hits[0]["doc_number"], hits[0]["unit"]) == ("双政发〔2024〕6号", "(20)")
    assert main(["duties", "市工信局", "--json", "--store", store]) == 0
    assert json.loads(capsys.readouterr().out)["department"]["name"] == "市工业和信息化局"
    with open(store, "rb") as handle:
        assert handle.read(16) == b"SQLite format 3\x00"


def _stored_findings(path) -> tuple[dict, set]:
    """The Finding nodes and CONCERNS relationships the store holds."""
    store = SqliteStore(str(path))
    try:
        g = store.graph
        return ({n: d for n, d in g.nodes(data=True) if d["label"] == "Finding"},
                {(u, v) for u, v, k in g.edges(keys=True) if k == "CONCERNS"})
    finally:
        store.close()


def _recomputed_findings(path) -> tuple[dict, set]:
    """What a full recompute over the whole store would store."""
    store = SqliteStore(str(path))
    try:
        nodes, rels = finding_rows(findings(store.reads()))
        provisions = {n for n, d in store.graph.nodes(data=True) if d["label"] == "Provision"}
        return ({n["id"]: {"label": "Finding", **n["props"]} for n in nodes},
                {(r["from"], r["to"]) for r in rels if r["to"] in provisions})
    finally:
        store.close()


def test_a_load_recomputes_only_its_documents_findings_and_they_equal_a_full_recompute(tmp_path):
    at_once, in_steps = tmp_path / "once.sqlite", tmp_path / "steps.sqlite"
    load_files([OTHER, SAMPLE], _settings(at_once))
    load_files([OTHER], _settings(in_steps))            # the first load of a store computes them all
    load_files([SAMPLE], _settings(in_steps))           # this one only the gazette's, and those across documents
    stored = _stored_findings(in_steps)
    assert stored == _stored_findings(at_once) == _recomputed_findings(in_steps)
    assert {d["type"] for d in stored[0].values()} >= {"no_assignee", "several_leads", "same_duty_different_holders"}
    s = SqliteStore(str(in_steps))
    assert s.findings_scope() == set()                  # the stored findings are today's: loads go by the document
    s.close()
    # a document changed (its straw-burning clause loses its holders) and reloaded; then one deleted
    with open(SAMPLE, encoding="utf-8") as handle:
        text = handle.read()
    bracket = "(市生 态环境局、市农业农村局、市发展改革委、市 气象局等按职责分工负责)"
    assert bracket in text
    changed = tmp_path / "changed.txt"
    changed.write_text(text.replace(bracket, ""), encoding="utf-8")
    load_files([str(changed)], _settings(in_steps))
    after_change = _stored_findings(in_steps)
    assert after_change == _recomputed_findings(in_steps) and after_change != stored
    with writing(_settings(in_steps)) as store:
        doc = next(d["id"] for d in vocabulary.documents(store.reads()) if d["number"] == "双政发〔2024〕6号")
        assert store.delete_document(doc)
    assert _stored_findings(in_steps) == _recomputed_findings(in_steps)
    assert not any("双政发〔2024〕6号" in d["title_zh"] for d in _stored_findings(in_steps)[0].values())


def test_loads_from_several_processes_at_once_all_land(tmp_path):
    """Real `dutygraph load` processes on one SQLite store: every document lands, and the stored
    findings (each load's by the document) are those of the whole store."""
    with open(OTHER, encoding="utf-8") as handle:
        template = handle.read()
    number = "东政办发〔2025〕3号"
    assert number in template
    paths = []
    for i in range(100, 104):
        path = tmp_path / f"doc-{i}.txt"
        path.write_text(template.replace(number, f"东政办发〔2025〕{i}号"), encoding="utf-8")
        paths.append(str(path))
    store = str(tmp_path / "s.sqlite")
    env = {**{k: v for k, v in os.environ.items() if not k.startswith(("DUTYGRAPH_", "NEO4J_"))},
           "DUTYGRAPH_STORE": store, "DUTYGRAPH_BACKEND": "sqlite", "PYTHONPATH": os.path.dirname(HERE)}
    procs = [subprocess.Popen([sys.executable, "-c", "import sys; from api.cli import main; sys.exit(main())",
                               "load", path], env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
             for path in paths + [SAMPLE]]
    for p in procs:
        out, err = p.communicate(timeout=600)
        assert p.returncode == 0, (out, err)
    s = SqliteStore(store)
    numbers = {d["number"] for d in vocabulary.documents(s.reads())}
    s.close()
    assert {f"东政办发〔2025〕{i}号" for i in range(100, 104)} | {"双政发〔2024〕6号"} <= numbers
    assert len(numbers) == 4 + 7
    assert _stored_findings(store) == _recomputed_findings(store)
