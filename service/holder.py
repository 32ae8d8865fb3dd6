"""What a long-lived entry point (the server) keeps between calls: the open store, read and written by its rules.

The embedded store is copy-on-write: readers share one immutable snapshot of
the graph without a lock; a writer opens a fresh copy from the file under the
store's write lock (service.writing: one writer at a time across threads
and processes — the CLI, other servers, review marks), changes it, swaps the
file in atomically (NetworkxStore.save) and only then publishes the new
snapshot.  A failed write therefore leaves both the file and what readers see
unchanged.  Before every read the file's identity (device, inode, mtime,
size) is compared with the snapshot's, so a change made to the file by
another process (`dutygraph load` while serving) is seen by the next read.
A server backend (Neo4j) is opened once and shared: its driver is thread-safe.
"""
from __future__ import annotations

import threading
from typing import Any, Callable, TypeVar

from graph.backends import open_backend, store_class
from service.writing import writing

T = TypeVar("T")


class StoreHolder:
    """What the app keeps between requests: the store, and the rules for reading and writing it."""

    def __init__(self, settings):
        self.settings = settings
        self._lock = threading.Lock()          # guards publishing a snapshot / opening the driver
        self._store = None

    # -- reading -----------------------------------------------------------
    def read(self, fn: Callable[[Any], T]) -> T:
        """fn(backend) on the current state of the store."""
        return fn(self._current().reads())

    def _current(self):
        with self._lock:
            if self._store is None or not self._store.is_current():
                self._store = open_backend(self.settings)    # new, or the file was replaced: read it again
            return self._store                               # (StoreError → 503, retried next request)

    # -- writing -----------------------------------------------------------
    def write(self, fn: Callable[[Any], T], deadline=None) -> T:
        """fn(store), the findings refreshed, then save, all or nothing, under the store's write lock
        (and before `deadline`, a service.deadline.Deadline, or not at all)."""
        if store_class(self.settings).shared:
            with writing(self.settings, store=self._current(), deadline=deadline) as store:
                return fn(store)
        with writing(self.settings, deadline=deadline) as fresh:     # a private copy: readers keep the old snapshot
            out = fn(fresh)
        with self._lock:
            # fresh.file_key is the file it saved; if another writer has replaced the file since,
            # the next read sees a different key and reloads
            self._store = fresh
        return out

    def close(self) -> None:
        with self._lock:
            if self._store is not None:
                self._store.close()
                self._store = None
