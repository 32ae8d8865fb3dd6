"""Convert a JSON store (the networkx backend's file) into a SQLite store, in one transaction.

    dutygraph migrate ~/.local/share/dutygraph/store.json ~/.local/share/dutygraph/store.sqlite

Every node and relationship is copied as it is (the findings too), the review
marks file beside the old store is copied beside the new one, and the new
store is checked to hold exactly what the old one held before it is committed:
a migration that fails leaves no new store behind.
"""
from __future__ import annotations

import os
import shutil

from graph.errors import StoreError
from graph.locking import store_lock
from graph.networkx_backend.store import NetworkxStore
from graph.review_store import reviews_path
from graph.sqlite_backend.store import SqliteStore


def migrate(old_path: str, new_path: str) -> dict:
    """Copy the JSON store at old_path into a new SQLite store at new_path; the counts copied."""
    if not os.path.exists(old_path):
        raise StoreError(f"{old_path}: no such store; give the path of the JSON store to convert")
    if os.path.exists(new_path):
        raise StoreError(f"{new_path}: already exists; give a new file for the SQLite store")
    with store_lock(old_path), store_lock(new_path):
        old = NetworkxStore(old_path)
        nodes = list(old.graph.nodes(data=True))
        edges = list(old.graph.edges(keys=True, data=True))
        new = SqliteStore(new_path)
        try:
            new.import_graph(nodes, edges)
            copied = new.graph
            if (sum(1 for _ in copied.nodes(data=True)), len(copied.edges(keys=True))) != (len(nodes), len(edges)):
                raise StoreError(f"{new_path}: the copy does not hold what {old_path} holds; nothing was written")
            new.save()
        except BaseException:
            new.close()
            for suffix in ("", "-wal", "-shm"):
                if os.path.exists(new_path + suffix):
                    os.unlink(new_path + suffix)
            raise
        new.close()
        if os.path.exists(reviews_path(old_path)):
            shutil.copyfile(reviews_path(old_path), reviews_path(new_path))
    return {"nodes": len(nodes), "relationships": len(edges)}
