"""The Neo4j backend: the store (store.py), the query primitives (reads.py) and every Cypher statement (cypher.py)."""
from graph.neo4j_backend.reads import Neo4jBackend
from graph.neo4j_backend.store import Neo4jStore


STORE = Neo4jStore


def open_store(settings) -> Neo4jStore:
    return Neo4jStore.connect(settings)


__all__ = ["Neo4jBackend", "Neo4jStore", "STORE", "open_store"]
