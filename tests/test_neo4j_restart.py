"""A Neo4j server killed in the middle of a load and started again: the load fails cleanly, nothing half-written.

The test starts a Neo4j of its own (scripts/neo4j on a free port and a data
directory of its own, HTTP off) — never the shared server, which it would have
to kill.  A `dutygraph load` that replaces a document runs in a child process
frozen (SIGSTOP, graph/faults.py "neo4j-transaction" with
DUTYGRAPH_FAULT_ACTION=stop) inside its write transaction, with the document's
old version already deleted in it; the server is killed with SIGKILL, the load
let go on.  The driver retries its transaction while the server is gone, then
the load fails with an error that says nothing was written (exit 1, no
traceback).  The server is started again, recovers from its transaction log,
and holds exactly the state before the load; the same load then succeeds.

In CI a server that does not start fails the test (a skipped Neo4j test fails CI).
"""
from __future__ import annotations

import json
import multiprocessing
import os
import signal
import socket
import subprocess
import sys
import time

import pytest

from api.settings import load_settings
from graph.results import as_dict
from service import Service
from test_faults import _document, _state     # the fault tests' documents and reading of a state

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SCRIPT = os.path.join(ROOT, "scripts", "neo4j")
TEMPLATE = os.path.join(ROOT, "tests", "data", "division-of-duties.txt")
NUMBER = "东政办发〔2025〕3号"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Server:
    """A Neo4j of this test's own: scripts/neo4j with its own port and data directory."""

    def __init__(self, home: str):
        self.port = _free_port()
        self.env = {**os.environ, "NEO4J_BOLT_PORT": str(self.port), "NEO4J_HTTP_PORT": "off",
                    "NEO4J_DATA_DIR": home, "NEO4J_HEAP": "384m", "NEO4J_PAGECACHE": "32m",
                    "NEO4J_PYTHON": sys.executable, "NEO4J_WAIT_TIMEOUT": "300"}
        self.home = home

    def _script(self, command: str) -> subprocess.CompletedProcess:
        return subprocess.run([SCRIPT, command], env=self.env, capture_output=True, text=True, timeout=600)

    def start(self) -> None:
        for command in ("start", "wait"):
            done = self._script(command)
            if done.returncode != 0:
                reason = f"the test's own Neo4j did not {command}: {done.stdout}{done.stderr}"
                if os.environ.get("CI"):
                    pytest.fail(reason, pytrace=False)
                pytest.skip(reason)

    def kill(self) -> None:
        with open(os.path.join(self.home, "neo4j.pid")) as handle:
            pid = int(handle.read())
        os.kill(pid, signal.SIGKILL)
        while os.path.exists(f"/proc/{pid}") and _state_of(pid) != "Z":
            time.sleep(0.1)
        os.unlink(os.path.join(self.home, "neo4j.pid"))

    def stop(self) -> None:
        self._script("stop")


def _state_of(pid: int) -> str:
    try:
        with open(f"/proc/{pid}/stat") as handle:
            return handle.read().rsplit(")", 1)[1].split()[0]
    except OSError:
        return ""


@pytest.fixture(scope="module")
def own_server(tmp_path_factory):
    server = Server(str(tmp_path_factory.mktemp("neo4j-own")))
    server.start()
    yield server
    server.stop()


def _child(args: list[str], env: dict, err_path: str) -> None:
    os.environ.update(env)
    from api.cli import main
    sys.stdout = open(os.devnull, "w")
    sys.stderr = open(err_path, "w")
    code = main(args)
    sys.stderr.flush()
    os._exit(code)


def test_a_load_whose_server_is_killed_mid_transaction_writes_nothing(own_server, tmp_path):
    settings = load_settings(backend="neo4j", store=str(tmp_path / "lockfile"),
                             neo4j_uri=f"bolt://127.0.0.1:{own_server.port}")
    args = ["--store", settings.store, "--backend", "neo4j"]
    env = {"NEO4J_URI": settings.neo4j_uri}
    context = multiprocessing.get_context("spawn")     # a fresh interpreter, as from a shell
    first = _document(tmp_path, "东政办发〔2025〕101号")
    load = context.Process(target=_child, args=(["load", first, *args], env, str(tmp_path / "first.err")))
    load.start()
    load.join(300)
    assert load.exitcode == 0, (tmp_path / "first.err").read_text()
    old = _state(settings)

    changed = _document(tmp_path, "东政办发〔2025〕101号", extra="\n附件：工作台账（由市财政局负责汇总）\n")
    err = tmp_path / "faulted.err"
    faulted = context.Process(target=_child, args=(
        ["load", changed, *args], {**env, "DUTYGRAPH_FAULT_POINT": "neo4j-transaction",
                                   "DUTYGRAPH_FAULT_ACTION": "stop"}, str(err)))
    faulted.start()
    try:
        for _ in range(3000):                  # a hang detector, not a timing: stopped within minutes
            if _state_of(faulted.pid) == "T":
                break
            time.sleep(0.1)
        assert _state_of(faulted.pid) == "T", "the load never reached its write transaction"
        own_server.kill()                       # mid-transaction: the old version deleted, nothing committed
    finally:
        os.kill(faulted.pid, signal.SIGCONT)
    faulted.join(600)                           # the driver retries for 30 s, then gives up
    message = err.read_text()
    assert faulted.exitcode == 1, message
    assert "writing to Neo4j failed" in message and "nothing of this load was written" in message
    assert "Traceback" not in message

    own_server.start()                          # recovers from its transaction log
    assert _state(settings) == old              # nothing half-written: the old version, whole
    again = context.Process(target=_child, args=(["load", changed, *args], env, str(tmp_path / "again.err")))
    again.start()
    again.join(300)
    assert again.exitcode == 0, (tmp_path / "again.err").read_text()
    new = _state(settings)
    assert new != old and "东政办发〔2025〕101号" in {n for n, _ in new[0]}
