"""Open a store and the matching query backend from the settings; change it under its write lock."""
from __future__ import annotations

import contextlib
from typing import Iterator

from graph.errors import StoreError
from graph.locking import store_lock


def open_store(settings):
    """The writable store for the configured backend."""
    if settings.backend == "networkx":
        from graph.nx_store import NetworkxStore
        return NetworkxStore(settings.store)
    if settings.backend == "neo4j":
        from graph.neo4j_store import Neo4jStore
        return Neo4jStore.connect(settings)
    raise StoreError(f"unknown backend {settings.backend!r}: use networkx or neo4j")


@contextlib.contextmanager
def writing(settings, store=None) -> Iterator:
    """The one way to change a store: every load, delete and findings refresh goes through here.

    Under the store's write lock (graph/locking.py), so writers from any
    number of threads and processes run one after the other and none is
    lost: the store is opened inside the lock — the embedded one read fresh
    from its file, never an older copy — and the body changes it; on a clean
    exit the findings are recomputed and the store saved (one file swap), on
    an error nothing is saved.  `store`: an open store to use instead (the
    server's Neo4j driver); it is left open.

        with writing(settings) as store:
            store.write(result)
    """
    from queries.findings import persist_findings     # here: queries imports graph
    with store_lock(settings.store):
        own = store is None
        if own:
            store = open_store(settings)
        try:
            yield store
            persist_findings(store)       # the findings follow every change of the graph
            store.save()
        finally:
            if own:
                store.close()


def query_backend(store):
    """The query primitives over an open store."""
    from graph.nx_store import NetworkxStore
    if isinstance(store, NetworkxStore):
        from queries.on_networkx import NetworkxBackend
        return NetworkxBackend(store.graph)
    from queries.on_neo4j import Neo4jBackend
    return Neo4jBackend(store.driver, store.database, store.timeout)
