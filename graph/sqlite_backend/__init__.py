"""The embedded default: a property graph in one SQLite file (store.py), read through a per-query
view (graph_view.py) by the networkx query code with indexes where it would scan (reads.py)."""
from graph.sqlite_backend.store import SqliteStore


STORE = SqliteStore


def open_store(settings) -> SqliteStore:
    return SqliteStore(settings.store)


def __getattr__(name):      # the query primitives import the networkx code: only when asked for
    if name == "SqliteBackend":
        from graph.sqlite_backend.reads import SqliteBackend
        return SqliteBackend
    raise AttributeError(name)


__all__ = ["SqliteBackend", "SqliteStore", "STORE", "open_store"]
