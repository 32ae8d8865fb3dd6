"""`kill -9` at every phase of a load and of a review mark: the store holds the old state or the new, whole.

Each case runs `dutygraph load` (or `dutygraph review`) in a real child
process with DUTYGRAPH_FAULT_POINT naming one point of graph/faults.py: the
process sends itself SIGKILL there — during the parse, before waiting for the
write lock, holding it, with the change written but not saved, in the middle
of the save.  Then, with no fault, the same command runs again (it must work:
no lock left held, the store readable) and gives the new state.  What the
killed process left must be the state before it, or that new state; never a
mix, never a stray temp file.

The children are fresh interpreters (multiprocessing "spawn"), as a `dutygraph`
started from a shell is: a fork of this test process would inherit what earlier
tests left in it (a forkserver they started keeps a fork-context worker from
being waited for).
"""
from __future__ import annotations

import json
import multiprocessing
import os
import shutil
import signal
import sys
import time

import pytest

from api.settings import load_settings
from graph import faults
from graph.results import as_dict
from service import Service

HERE = os.path.dirname(os.path.abspath(__file__))
TEMPLATE = os.path.join(HERE, "data", "division-of-duties.txt")
NUMBER = "东政办发〔2025〕3号"
SAMPLE_DIR = os.path.join(os.path.dirname(HERE), "ontology", "samples")

# Every point a load passes on each backend.  Neo4j commits in its own transactions: there is no
# file save, so no "commit" point (a kill before the transaction commits is the "write" case and
# the Neo4j restart test).
LOAD_POINTS = {"sqlite": [p for p in faults.POINTS if p != "neo4j-transaction"], "networkx": ["write", "commit"],
               "neo4j": ["parse", "lock-wait", "lock-held", "write"]}
REVIEW_POINTS = ["lock-wait", "lock-held", "write", "commit"]


def _document(folder, number: str, extra: str = "") -> str:
    with open(TEMPLATE, encoding="utf-8") as handle:
        text = handle.read()
    path = os.path.join(str(folder), f"doc-{number[-4:-1]}{len(extra)}.txt")
    with open(path, "w", encoding="utf-8") as handle:
        handle.write(text.replace(NUMBER, number) + extra)
    return path


def _child(args: list[str], env: dict, err_path: str) -> None:
    os.environ.update(env)
    from api.cli import main
    sys.stdout = open(os.devnull, "w")
    sys.stderr = open(err_path, "w", buffering=1)
    os._exit(main(args))


def _run(args: list[str], settings, point: str = "") -> int:
    """`dutygraph <args>` in a forked child, killed at `point`; its exit code (-9: killed)."""
    env = {"DUTYGRAPH_FAULT_POINT": point} if point else {}
    context = multiprocessing.get_context("spawn")
    err_path = os.path.join(os.path.dirname(settings.store), f"stderr-{point or 'none'}.log")
    child = context.Process(target=_child, args=(
        [*args, "--store", settings.store, "--backend", settings.backend], env, err_path))
    child.start()
    child.join(300)                # a hang detector only: a load of two small files takes seconds
    assert child.exitcode is not None, f"{args} at {point} did not end"
    if child.exitcode not in (0, -signal.SIGKILL):
        with open(err_path, encoding="utf-8") as handle:
            pytest.fail(f"dutygraph {args[0]} at {point or 'no fault point'}: exit {child.exitcode}: {handle.read()}")
    return child.exitcode


def _state(settings) -> tuple:
    """What a reader sees: the documents, with their assignments, and the store's counts."""
    def read(backend):
        docs = sorted((d.number, d.title) for d in backend.documents())
        rows = sorted(json.dumps(as_dict(r), ensure_ascii=False, sort_keys=True) for r in backend.assignment_rows())
        return docs, rows, backend.stats()
    with Service(settings) as service:
        return service.read(read)


def _stray(folder) -> list[str]:
    return sorted(n for n in os.listdir(folder) if n.endswith(".tmp"))


def _no_worker_left(marker: str) -> bool:
    """No process whose environment holds `marker` (the killed load's parse worker ends by itself)."""
    deadline = time.monotonic() + 30            # generous: the worker checks for its parent twice a second
    while time.monotonic() < deadline:
        alive = []
        for pid in filter(str.isdigit, os.listdir("/proc")):
            try:
                with open(f"/proc/{pid}/environ", "rb") as handle:
                    if marker.encode() in handle.read():
                        alive.append(pid)
            except OSError:
                continue
        if not alive:
            return True
        time.sleep(0.2)
    return False


@pytest.fixture
def settings_for(tmp_path, request):
    def make(backend: str):
        name = {"sqlite": "store.sqlite", "networkx": "store.json", "neo4j": "lockfile"}[backend]
        extra = {}
        if backend == "neo4j":
            request.getfixturevalue("neo4j_driver")          # an empty database (the fixture wipes it)
            extra["neo4j_uri"] = os.environ.get("NEO4J_URI", "bolt://127.0.0.1:7687")
        return load_settings(backend=backend, store=str(tmp_path / name), **extra)
    return make


@pytest.mark.parametrize("backend,point", [(b, p) for b, points in LOAD_POINTS.items() for p in points])
def test_a_load_killed_at_each_phase_leaves_the_old_or_the_new_state(tmp_path, settings_for, backend, point):
    settings = settings_for(backend)
    first = _document(tmp_path, "东政办发〔2025〕101号")
    assert _run(["load", first], settings) == 0
    old = _state(settings)
    # the load replaces that document (a new version) and adds another: all of it or none
    changed = _document(tmp_path, "东政办发〔2025〕101号", extra="\n附件：工作台账（由市财政局负责汇总）\n")
    added = _document(tmp_path, "东政办发〔2025〕102号")
    marker = f"DUTYGRAPH_FAULT_CASE={os.getpid()}-{point}"
    os.environ["DUTYGRAPH_FAULT_CASE"] = marker.split("=", 1)[1]
    try:
        assert _run(["load", changed, added], settings, point) == -signal.SIGKILL
    finally:
        os.environ.pop("DUTYGRAPH_FAULT_CASE")
    assert _no_worker_left(marker)                          # no orphan parse worker goes on
    left = _state(settings)
    assert _stray(tmp_path) == []
    assert _run(["load", changed, added], settings) == 0    # the lock is free, the store readable
    new = _state(settings)
    assert new != old and left in (old, new), f"{point}: a state between the old and the new"
    assert _stray(tmp_path) == []


@pytest.fixture(scope="module")
def reviewed_store(tmp_path_factory):
    """A SQLite store holding a document with findings (the bundled second sample), and a finding's id."""
    folder = tmp_path_factory.mktemp("reviews")
    settings = load_settings(backend="sqlite", store=str(folder / "store.sqlite"))
    sample = sorted(os.path.join(SAMPLE_DIR, f) for f in os.listdir(SAMPLE_DIR) if f.endswith(".txt"))[0]
    assert _run(["load", sample], settings) == 0
    from queries.findings import findings
    with Service(settings) as service:
        found = service.read(lambda backend: findings(backend))
    assert found
    return settings, found[0]["id"]


@pytest.mark.parametrize("point", REVIEW_POINTS)
def test_a_review_mark_killed_at_each_phase_keeps_the_old_mark_or_the_new(tmp_path, reviewed_store, point):
    from graph.review_store import ReviewStore
    source, finding = reviewed_store
    for name in os.listdir(os.path.dirname(source.store)):
        shutil.copy(os.path.join(os.path.dirname(source.store), name), tmp_path / name)
    settings = load_settings(backend="sqlite", store=str(tmp_path / "store.sqlite"))
    assert _run(["review", finding, "accepted", "--note", "旧"], settings) == 0
    old = ReviewStore(settings.store).marks()[finding]
    assert _run(["review", finding, "dismissed", "--note", "新"], settings, point) == -signal.SIGKILL
    left = ReviewStore(settings.store).marks()[finding]
    assert _stray(tmp_path) == []
    assert _run(["review", finding, "dismissed", "--note", "新"], settings) == 0
    new = ReviewStore(settings.store).marks()[finding]
    assert (old["status"], old["note"]) == ("accepted", "旧") and (new["status"], new["note"]) == ("dismissed", "新")
    assert left == old or (left["status"], left["note"]) == ("dismissed", "新")
    assert _stray(tmp_path) == []
