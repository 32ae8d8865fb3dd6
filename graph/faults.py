"""Named fault points: where the fault tests kill a writer (`kill -9` on itself) mid-work.

A test sets DUTYGRAPH_FAULT_POINT to one name of POINTS in a child process's
environment; when that process reaches the point it sends itself SIGKILL, the
same as `kill -9` from outside but at a known step (tests/test_faults.py kills
loads and review marks at each of them, then checks the store holds the old or
the new state and no stray file).  Unset — always in production — a point is
one dictionary lookup and nothing else.

>>> reach("write")        # no fault point set: nothing happens
"""
from __future__ import annotations

import os
import signal

#: Every fault point, in the order a write passes them.
POINTS = {
    "parse": "a load's files are being parsed (the parse worker is running)",
    "lock-wait": "the writer is about to wait for the store's write lock",
    "lock-held": "the writer holds the lock and has not opened the store yet",
    "write": "the change is written in the open store (SQLite: inside its transaction), not yet saved",
    "commit": "the save is under way: the embedded JSON store's or the review file's temp file is "
              "written and synced, not yet renamed over the file; SQLite's COMMIT is about to run",
    "neo4j-transaction": "inside a Neo4j write transaction: the documents' old version deleted, the new "
                         "one not yet written, nothing committed",
}

ENVIRONMENT = "DUTYGRAPH_FAULT_POINT"
#: "kill" (the default): SIGKILL.  "stop": SIGSTOP, the process frozen where it is until the test,
#: having done something meanwhile (stopped the Neo4j server), sends it SIGCONT.
ACTION = "DUTYGRAPH_FAULT_ACTION"


def reach(point: str) -> None:
    """Die here, at once and without cleaning up, when DUTYGRAPH_FAULT_POINT names `point`
    (or freeze, with DUTYGRAPH_FAULT_ACTION=stop)."""
    if os.environ.get(ENVIRONMENT) == point:
        assert point in POINTS, point
        stop = os.environ.get(ACTION) == "stop"
        os.kill(os.getpid(), signal.SIGSTOP if stop else signal.SIGKILL)
