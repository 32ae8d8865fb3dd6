"""Which backends there are: `open_backend(settings)` opens the configured one.

A new backend is a package under graph/ whose store implements graph.seams.Store
(and whose `reads()` gives a graph.seams.ReadBackend), added to BACKENDS below
by the name users give in --backend / DUTYGRAPH_BACKEND.  Backends are imported
when opened, so the embedded one never loads the Neo4j driver.
"""
from __future__ import annotations

from importlib import import_module

from graph.errors import StoreError
from graph.seams import Store

#: name -> the package; each offers `open_store(settings)` and its store class as `STORE`
BACKENDS = {
    "sqlite": "graph.sqlite_backend",
    "networkx": "graph.networkx_backend",
    "neo4j": "graph.neo4j_backend",
}


def _package(settings):
    try:
        return import_module(BACKENDS[settings.backend])
    except KeyError:
        raise StoreError(f"unknown backend {settings.backend!r}: use {' or '.join(BACKENDS)}") from None


def open_backend(settings) -> Store:
    """The writable store of the backend `settings.backend` names."""
    return _package(settings).open_store(settings)


def store_class(settings) -> type:
    """The class of that backend's store, without opening one (to ask, say, whether it is `shared`)."""
    return _package(settings).STORE
