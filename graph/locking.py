"""One writer at a time on a store, across threads and processes; readers never wait.

Every read-modify-write of a store — a load, a delete, a findings refresh, a
review mark — runs inside `store_lock(store_path)`: an exclusive
`fcntl.flock` on `<store>.lock`, a file next to the store that is never
removed.  Readers take no lock: the store and the review file are replaced
whole by an atomic rename (graph/files.py), so a reader sees the state
before a write or after it, never between.

flock locks belong to an open file description, so two threads of one
process that each open the lock file exclude each other exactly as two
processes do; a nested `store_lock` of the same store in the same thread is
let through (it would otherwise wait for itself).  The kernel drops the lock
when its holder dies, so a killed writer never leaves the store locked.

>>> import os, tempfile
>>> path = os.path.join(tempfile.mkdtemp(), "store.json")
>>> with store_lock(path):
...     with store_lock(path):      # re-entered by the same thread
...         os.path.exists(lock_path(path))
True
"""
from __future__ import annotations

import contextlib
import fcntl
import os
import threading
import time
from typing import Iterator

from graph import faults
from graph.errors import StoreError

_held = threading.local()      # lock paths this thread holds, with their depth


def lock_path(store_path: str) -> str:
    return store_path + ".lock"


@contextlib.contextmanager
def store_lock(store_path: str, deadline=None) -> Iterator[None]:
    """Hold the store's write lock for the body of the `with`; waits for the writer before.

    `deadline` (service.deadline.Deadline, or anything with `remaining()` and
    `out_of_time(step)`): wait no longer than it allows, then raise its OutOfTime."""
    path = os.path.abspath(lock_path(store_path))
    depth: dict[str, int] = _held.__dict__.setdefault("depth", {})
    if depth.get(path):
        depth[path] += 1
        try:
            yield
        finally:
            depth[path] -= 1
        return
    try:
        os.makedirs(os.path.dirname(path), exist_ok=True)
        fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
    except OSError as exc:
        raise StoreError(f"{os.path.basename(path)}: cannot open the store's lock file "
                         f"({exc.strerror or exc}); make its folder writable") from None
    try:
        faults.reach("lock-wait")
        _acquire(fd, deadline)
        faults.reach("lock-held")
        depth[path] = 1
        try:
            yield
        finally:
            depth.pop(path, None)
            fcntl.flock(fd, fcntl.LOCK_UN)
    finally:
        os.close(fd)


def _acquire(fd: int, deadline) -> None:
    if deadline is None:
        fcntl.flock(fd, fcntl.LOCK_EX)
        return
    # flock has no timeout: try without blocking, every 20 ms, until the deadline
    while True:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            return
        except BlockingIOError:
            if deadline.remaining() <= 0:
                raise deadline.out_of_time("waiting for the store's write lock") from None
            time.sleep(min(0.02, deadline.remaining()))
