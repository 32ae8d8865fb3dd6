"""The embedded backend: a networkx graph kept in one JSON file (store.py) and its query primitives (reads.py)."""
from graph.networkx_backend.reads import NetworkxBackend


def open_store(settings):
    from graph.networkx_backend.store import NetworkxStore
    return NetworkxStore(settings.store)


def __getattr__(name):
    # The store (and networkx with it) only when asked for: the SQLite backend's queries extend
    # NetworkxBackend's code, and a CLI command on SQLite need not pay networkx's import.
    if name in ("NetworkxStore", "STORE"):
        from graph.networkx_backend.store import NetworkxStore
        return NetworkxStore
    raise AttributeError(name)


__all__ = ["NetworkxBackend", "NetworkxStore", "STORE", "open_store"]
