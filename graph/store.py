"""Open a store and the matching query backend from the settings."""
from __future__ import annotations

from graph.errors import StoreError


def open_store(settings):
    """The writable store for the configured backend."""
    if settings.backend == "networkx":
        from graph.nx_store import NetworkxStore
        return NetworkxStore(settings.store)
    if settings.backend == "neo4j":
        from graph.neo4j_store import Neo4jStore
        return Neo4jStore.connect(settings)
    raise StoreError(f"unknown backend {settings.backend!r}: use networkx or neo4j")


def query_backend(store):
    """The query primitives over an open store."""
    from graph.nx_store import NetworkxStore
    if isinstance(store, NetworkxStore):
        from queries.on_networkx import NetworkxBackend
        return NetworkxBackend(store.graph)
    from queries.on_neo4j import Neo4jBackend
    return Neo4jBackend(store.driver, store.database, store.timeout)
