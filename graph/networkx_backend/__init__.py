"""The embedded backend: a networkx graph kept in one JSON file (store.py) and its query primitives (reads.py)."""
from graph.networkx_backend.reads import NetworkxBackend
from graph.networkx_backend.store import NetworkxStore


STORE = NetworkxStore


def open_store(settings) -> NetworkxStore:
    return NetworkxStore(settings.store)


__all__ = ["NetworkxBackend", "NetworkxStore", "STORE", "open_store"]
