"""Change a store under its write lock, with the findings refreshed: the one way every write goes.

What a write promises, the same on both backends (graph.seams.Store):
the documents changed by one call are all changed or none is — the embedded
store swaps its file once, Neo4j commits one transaction — and the findings
are recomputed after them.  On the embedded store the findings travel in that
same file swap; on Neo4j they are a second transaction, so a failure there
leaves the call's documents written with the previous findings (the next
write refreshes them).
"""
from __future__ import annotations

import contextlib
from typing import Iterator

from graph import faults
from graph.errors import DutygraphError, StoreError
from graph.backends import open_backend
from graph.locking import store_lock
from queries.findings import persist_findings


@contextlib.contextmanager
def writing(settings, store=None, deadline=None) -> Iterator:
    """Every load, delete and findings refresh goes through here.

    Under the store's write lock (graph/locking.py), so writers from any
    number of threads and processes run one after the other and none is
    lost: the store is opened inside the lock — the embedded one read fresh
    from its file, never an older copy — and the body changes it; on a clean
    exit the findings are recomputed and the store saved (one file swap), on
    an error nothing is saved.  `store`: an open store to use instead (the
    server's Neo4j driver); it is left open.  `deadline` (service.deadline):
    bounds the wait for the lock and is checked again just before the save, so a write
    that runs out of time raises OutOfTime with nothing saved (on Neo4j, whose
    writes commit as they go, only the first check can stop it).

        with writing(settings) as store:
            store.write_all(results)
    """
    with store_lock(settings.store, deadline):
        own = store is None
        if own:
            store = open_backend(settings)
        try:
            yield store
            _refresh_findings(store)      # the findings follow every change of the graph
            faults.reach("write")
            if deadline is not None:
                deadline.check("writing")
            store.save()
        finally:
            if own:
                store.close()


def _refresh_findings(store) -> None:
    """persist_findings; on a store whose writes commit as they go (Neo4j), a failure here comes after the
    documents are written, and the error says so rather than reading as a failed load."""
    try:
        persist_findings(store)
    except DutygraphError as exc:
        if not store.shared:
            raise                         # nothing is saved: the error is the load's
        raise StoreError(f"the documents are written, but the findings could not be refreshed ({exc}); "
                         f"they are those of the previous write until the next one succeeds") from exc
