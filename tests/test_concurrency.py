"""Writers from several processes at once on one embedded store: every write lands.

Real processes (`dutygraph load`, `dutygraph review`, and workers that mark
findings in a loop), started together on one store; the assertions are on
what the store holds afterwards, never on timing.  Without the store's write
lock (graph/locking.py) each writer reads the file, changes its copy and swaps
it in, and a writer that read before another's swap throws that write away.
"""
from __future__ import annotations

import json
import multiprocessing
import os
import subprocess
import sys
import threading

import pytest
from fastapi.testclient import TestClient

from ontology import data_path
from api.app import create_app
from api.settings import load_settings
from graph.networkx_backend import NetworkxStore
from graph.review_store import ReviewStore
from graph.schema import Label
from service.loading import parse_files
from queries.findings import findings

HERE = os.path.dirname(os.path.abspath(__file__))
TEMPLATE = os.path.join(HERE, "data", "division-of-duties.txt")
NUMBER = "东政办发〔2025〕3号"
SAMPLE = data_path("samples", "shuangyashan-gazette-2024-05.txt")
DUTYGRAPH = [sys.executable, "-c", "import sys; from api.cli import main; sys.exit(main())"]
TOKEN = "test-token"


def _copies(folder, count: int, first: int = 100) -> dict[str, str]:
    """`count` copies of one document, each with its own 文号: number → path."""
    with open(TEMPLATE, encoding="utf-8") as handle:
        text = handle.read()
    assert NUMBER in text
    out = {}
    for i in range(first, first + count):
        number = f"东政办发〔2025〕{i}号"
        path = folder / f"doc-{i}.txt"
        path.write_text(text.replace(NUMBER, number), encoding="utf-8")
        out[number] = str(path)
    return out


def _numbers(store_path: str) -> set[str]:
    graph = NetworkxStore(store_path).graph
    return {d["number"] for _, d in graph.nodes(data=True) if d["label"] == Label.DOCUMENT.value}


def _env(store_path: str) -> dict:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DUTYGRAPH_", "NEO4J_"))}
    return {**env, "DUTYGRAPH_STORE": store_path, "DUTYGRAPH_BACKEND": "networkx",
            "PYTHONPATH": os.path.dirname(HERE)}


def _start(args: list[str], store_path: str) -> subprocess.Popen:
    return subprocess.Popen(DUTYGRAPH + args, env=_env(store_path), stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True)


def _finish(procs: list[subprocess.Popen]) -> None:
    for p in procs:
        out, err = p.communicate()
        assert p.returncode == 0, (p.args, out, err)


def test_loads_from_several_processes_at_once_all_land(tmp_path):
    store = str(tmp_path / "store.json")
    docs = _copies(tmp_path, 7)
    gazette = {d.number for r in parse_files([SAMPLE]) for d in r.documents}    # one with findings
    seen: list[set[str]] = []
    done = threading.Event()

    def watch():
        # a reader never waits and never sees half a write: every read is a whole store,
        # and as loads only add documents, each read holds all the documents of the one before
        while not done.is_set():
            if os.path.exists(store):
                seen.append(_numbers(store))

    reader = threading.Thread(target=watch)
    reader.start()
    try:
        _finish([_start(["load", path], store) for path in [*docs.values(), SAMPLE]])
    finally:
        done.set()
        reader.join()
    assert _numbers(store) == set(docs) | gazette
    assert all(a <= b for a, b in zip(seen, seen[1:]))
    # the findings were refreshed under the same lock: those stored are those of every document
    loaded = NetworkxStore(store)
    stored = {n for n, d in loaded.graph.nodes(data=True) if d["label"] == Label.FINDING.value}
    assert stored and stored == {f["id"] for f in findings(loaded.reads())}
    assert [n for n in os.listdir(tmp_path) if n.endswith(".tmp")] == []


def test_loads_and_deletes_from_the_cli_and_the_server_at_once_all_land(tmp_path):
    store = str(tmp_path / "store.json")
    from_cli = _copies(tmp_path, 3, first=200)
    from_http = _copies(tmp_path, 3, first=300)
    doomed = _copies(tmp_path, 1, first=400)
    _finish([_start(["load", *doomed.values()], store)])
    settings = load_settings(store=store, backend="networkx", api_token=TOKEN)
    auth = {"Authorization": f"Bearer {TOKEN}"}
    statuses: list[int] = []
    with TestClient(create_app(settings)) as client:
        def upload(number: str, path: str) -> None:
            with open(path, "rb") as handle:
                statuses.append(client.post("/documents", params={"name": os.path.basename(path)},
                                            content=handle.read(), headers=auth).status_code)

        def delete() -> None:
            statuses.append(client.delete(f"/documents/{next(iter(doomed))}", headers=auth).status_code)

        threads = [threading.Thread(target=upload, args=item) for item in from_http.items()]
        threads.append(threading.Thread(target=delete))
        procs = [_start(["load", path], store) for path in from_cli.values()]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        _finish(procs)
        assert sorted(statuses) == [200, 201, 201, 201]
        expected = set(from_cli) | set(from_http)
        assert _numbers(store) == expected
        # the server sees what the other processes wrote to the file under it
        listed = client.get("/documents", params={"limit": 200}).json()["items"]
        assert {d["number"] for d in listed} == expected


def _mark_many(store: str, worker: int, count: int) -> None:
    reviews = ReviewStore(store)
    for i in range(count):
        reviews.mark(f"finding:w{worker}-{i}", "accepted", "", f"hash-{worker}-{i}", reviewer=f"worker {worker}")


def test_review_marks_from_several_processes_are_all_kept(tmp_path):
    store = str(tmp_path / "store.json")
    context = multiprocessing.get_context("spawn")     # fresh interpreters: real, separate processes
    workers = [context.Process(target=_mark_many, args=(store, w, 25)) for w in range(4)]
    for p in workers:
        p.start()
    for p in workers:
        p.join()
    assert [p.exitcode for p in workers] == [0, 0, 0, 0]
    marks = ReviewStore(store).marks()
    assert sorted(marks) == sorted(f"finding:w{w}-{i}" for w in range(4) for i in range(25))
    assert {m["evidence_hash"] for m in marks.values()} == {f"hash-{w}-{i}" for w in range(4) for i in range(25)}


def test_review_commands_at_once_while_a_load_runs_are_all_kept(tmp_path):
    store = str(tmp_path / "store.json")
    _finish([_start(["load", SAMPLE], store)])
    listed = subprocess.run(DUTYGRAPH + ["findings", "--json"], env=_env(store), capture_output=True, text=True,
                            check=True)
    ids = [f["id"] for f in json.loads(listed.stdout)][:4]
    assert len(ids) == 4
    extra = _copies(tmp_path, 1, first=500)
    procs = [_start(["review", fid, "dismissed", "--note", f"有意安排 {i}"], store) for i, fid in enumerate(ids)]
    procs.append(_start(["load", *extra.values()], store))
    _finish(procs)
    marks = ReviewStore(store).marks()
    assert {fid: (marks[fid]["status"], marks[fid]["note"]) for fid in ids} == \
        {fid: ("dismissed", f"有意安排 {i}") for i, fid in enumerate(ids)}
    assert set(extra) <= _numbers(store)


def test_a_writer_killed_while_holding_the_lock_does_not_block_the_next(tmp_path):
    store = str(tmp_path / "store.json")
    holder = subprocess.Popen([sys.executable, "-c", (
        "import sys, time; from graph.locking import store_lock\n"
        "with store_lock(sys.argv[1]):\n    print('held', flush=True); time.sleep(600)\n"), store],
        env=_env(store), stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "held"
    finally:
        holder.kill()
        holder.wait()
    docs = _copies(tmp_path, 1)
    _finish([_start(["load", *docs.values()], store)])
    assert _numbers(store) == set(docs)


def _documents_in(settings) -> set[str]:
    from service import Service
    with Service(settings) as service:
        return service.read(lambda backend: {d.number for d in backend.documents()})


@pytest.mark.parametrize("backend", ["sqlite", "neo4j"])
def test_cli_loads_http_uploads_and_review_marks_at_once_all_land(tmp_path, backend, request):
    """The busy office of issue 16 on the default store and on Neo4j: loads from several `dutygraph load`
    processes, uploads to a server, and review marks from `dutygraph review` processes, all at once."""
    extra = {}
    if backend == "neo4j":
        request.getfixturevalue("neo4j_driver")                    # an empty database
        extra["neo4j_uri"] = os.environ.get("NEO4J_URI", "bolt://127.0.0.1:7687")
    store = str(tmp_path / ("store.sqlite" if backend == "sqlite" else "neo4j-writers"))
    # a budget no write here comes near: this is about writes waiting for each other, and all landing
    settings = load_settings(store=store, backend=backend, api_token=TOKEN, load_timeout=1800, **extra)
    env = {**_env(store), "DUTYGRAPH_BACKEND": backend, "DUTYGRAPH_LOAD_TIMEOUT": "1800",
           **({"NEO4J_URI": extra["neo4j_uri"]} if extra else {})}

    def start(args):
        return subprocess.Popen(DUTYGRAPH + args, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    _finish([start(["load", SAMPLE])])
    listed = subprocess.run(DUTYGRAPH + ["findings", "--json"], env=env, capture_output=True, text=True, check=True)
    ids = [f["id"] for f in json.loads(listed.stdout)][:2]
    assert len(ids) == 2
    gazette = _documents_in(settings)
    from_cli = _copies(tmp_path, 3, first=600)
    from_http = _copies(tmp_path, 3, first=700)
    auth = {"Authorization": f"Bearer {TOKEN}"}
    statuses: list[int] = []
    with TestClient(create_app(settings)) as client:
        def upload(path: str) -> None:
            with open(path, "rb") as handle:
                statuses.append(client.post("/documents", params={"name": os.path.basename(path)},
                                            content=handle.read(), headers=auth).status_code)
        threads = [threading.Thread(target=upload, args=(path,)) for path in from_http.values()]
        procs = [start(["load", path]) for path in from_cli.values()]
        procs += [start(["review", fid, "dismissed", "--note", f"并发 {i}"]) for i, fid in enumerate(ids)]
        for t in threads:
            t.start()
        _finish(procs)          # reads their output first: a writer blocked on a full pipe would hold the lock
        for t in threads:
            t.join()
        assert statuses == [201, 201, 201]
        # every document landed, and the server sees the ones the other processes wrote
        expected = gazette | set(from_cli) | set(from_http)
        assert _documents_in(settings) == expected
        listed = client.get("/documents", params={"limit": 200}).json()["items"]
        assert {d["number"] for d in listed} == expected
    marks = ReviewStore(store).marks()
    assert {fid: (marks[fid]["status"], marks[fid]["note"]) for fid in ids} == \
        {fid: ("dismissed", f"并发 {i}") for i, fid in enumerate(ids)}
    assert [n for n in os.listdir(tmp_path) if n.endswith(".tmp")] == []
