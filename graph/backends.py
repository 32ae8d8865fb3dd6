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

#: name -> (module, function of the settings that opens its store)
BACKENDS = {
    "networkx": ("graph.networkx_backend", "open_store"),
    "neo4j": ("graph.neo4j_backend", "open_store"),
}


def open_backend(settings) -> Store:
    """The writable store of the backend `settings.backend` names."""
    try:
        module, opener = BACKENDS[settings.backend]
    except KeyError:
        raise StoreError(f"unknown backend {settings.backend!r}: use {' or '.join(BACKENDS)}") from None
    return getattr(import_module(module), opener)(settings)
