"""Shared fixtures: a real Neo4j server, a fresh database per test, and the sample loaded into both stores.

The Neo4j fixtures connect to NEO4J_URI (default bolt://127.0.0.1:7687; start
one with `scripts/neo4j start && scripts/neo4j wait`).  When the server cannot
be reached a test is skipped with the reason, except in CI (env CI set), where
it fails: a Neo4j test may never pass by not running.
"""
from __future__ import annotations

import os
from dataclasses import dataclass

import neo4j
import pytest
from neo4j.exceptions import DriverError, Neo4jError

from ontology import data_path
from api.settings import load_settings
from graph.model import LoadResult
from graph.neo4j_backend import Neo4jStore
from graph.networkx_backend import NetworkxStore
from graph.schema import Label
from graph.neo4j_backend import Neo4jBackend
from graph.networkx_backend import NetworkxBackend
from graph.sqlite_backend import SqliteStore

SAMPLE_NAME = "shuangyashan-gazette-2024-05.txt"
SAMPLE = data_path("samples", SAMPLE_NAME)
NOISE_LAW = data_path("laws", "zh-noise-pollution-prevention-law-2021.md")
LAW_CITING_PLAN = os.path.join(os.path.dirname(os.path.abspath(__file__)), "data", "law-citing-plan.txt")


def read_text(path: str) -> str:
    with open(path, encoding="utf-8") as handle:
        return handle.read()


def networkx_backend_of(tmp_path, *paths: str) -> NetworkxBackend:
    """The files loaded, in this order, into a fresh JSON store; its query backend."""
    from loaders.pipeline import load_text
    store = NetworkxStore(str(tmp_path / "store.json"))
    for path in paths:
        store.write(load_text(read_text(path), os.path.basename(path)))
    return NetworkxBackend(store.graph)


@pytest.fixture(scope="session")
def neo4j_settings():
    return load_settings(backend="neo4j", neo4j_uri=os.environ.get("NEO4J_URI", "bolt://127.0.0.1:7687"))


@pytest.fixture(scope="session")
def _neo4j_server(neo4j_settings):
    """One driver for the session, with the schema in place."""
    s = neo4j_settings
    auth = (s.neo4j_user, s.neo4j_password) if s.neo4j_password else None
    driver = neo4j.GraphDatabase.driver(s.neo4j_uri, auth=auth)
    try:
        driver.verify_connectivity()
    except (DriverError, Neo4jError, OSError) as exc:
        driver.close()
        reason = (f"Neo4j at {s.neo4j_uri} is unreachable ({type(exc).__name__}: {exc}); "
                  f"start it with `scripts/neo4j start && scripts/neo4j wait` or set NEO4J_URI")
        if os.environ.get("CI"):
            pytest.fail(reason + ". CI is set: a Neo4j test may not be skipped.", pytrace=False)
        pytest.skip(reason)
    Neo4jStore(driver, s.neo4j_database, s.query_timeout).ensure_schema()
    yield driver
    driver.close()


@pytest.fixture
def neo4j_driver(_neo4j_server, neo4j_settings):
    """The driver, over an empty database (constraints and indexes kept)."""
    wipe(_neo4j_server, neo4j_settings.neo4j_database)
    return _neo4j_server


def wipe(driver, database: str) -> None:
    # The tests delete everything: refuse when the database holds labels that
    # dutygraph never writes, which means NEO4J_URI points at someone's data.
    ours = [label.value for label in Label]
    foreign = driver.execute_query(
        "MATCH (n) WHERE size(labels(n)) = 0 OR any(l IN labels(n) WHERE NOT l IN $ours) "
        "RETURN DISTINCT labels(n) AS labels LIMIT 5", ours=ours, database_=database).records
    if foreign:
        pytest.fail(f"refusing to wipe {database!r}: it holds nodes labelled {[r['labels'] for r in foreign]}, "
                    f"which dutygraph does not write; point NEO4J_URI at a test server", pytrace=False)
    driver.execute_query("MATCH (n) DETACH DELETE n", database_=database)


@pytest.fixture
def neo4j_store(neo4j_driver, neo4j_settings):
    return Neo4jStore(neo4j_driver, neo4j_settings.neo4j_database, neo4j_settings.query_timeout)


@pytest.fixture(scope="session")
def sample_result() -> LoadResult:
    """The bundled gazette, parsed once for the session."""
    from loaders.pipeline import load_text
    with open(SAMPLE, encoding="utf-8") as handle:
        return load_text(handle.read(), SAMPLE_NAME)


@dataclass
class Loaded:
    result: LoadResult
    nx_store: NetworkxStore
    neo_store: Neo4jStore
    nx: NetworkxBackend
    neo: Neo4jBackend
    nx_created: dict
    neo_created: dict
    sqlite_store: SqliteStore = None
    sqlite_created: dict = None

    @property
    def sqlite(self):
        """A query backend over the SQLite store (a fresh snapshot per question, as the CLI and API use it)."""
        return self.sqlite_store.reads()


def load_both(result: LoadResult, nx_store: NetworkxStore, neo_store: Neo4jStore,
              sqlite_store: SqliteStore | None = None) -> tuple[dict, dict]:
    """Write to the JSON store and Neo4j (and the SQLite store when given); the JSON store's and Neo4j's
    counts of what was created, after checking that the SQLite store created the same."""
    nx_created = nx_store.write(result)
    nx_store.save()
    if sqlite_store is not None:
        assert sqlite_store.write(result) == nx_created
        sqlite_store.save()
    return nx_created, neo_store.write(result)


@pytest.fixture
def loaded(sample_result, neo4j_store, tmp_path) -> Loaded:
    """The sample written to a fresh NetworkxStore, a fresh SqliteStore and a fresh Neo4j database."""
    nx_store = NetworkxStore(str(tmp_path / "store.json"))
    sqlite_store = SqliteStore(str(tmp_path / "store.sqlite"))
    nx_created, neo_created = load_both(sample_result, nx_store, neo4j_store, sqlite_store)
    yield Loaded(sample_result, nx_store, neo4j_store, NetworkxBackend(nx_store.graph),
                 Neo4jBackend(neo4j_store.driver, neo4j_store.database, neo4j_store.timeout),
                 nx_created, neo_created, sqlite_store, nx_created)
    sqlite_store.close()


def neo4j_snapshot(driver, database: str = "neo4j") -> tuple[dict, set]:
    """Every node (id → label and properties) and every relationship (from, type, to) in the database."""
    nodes = {r["id"]: (r["label"], r["props"]) for r in driver.execute_query(
        "MATCH (n) RETURN n.id AS id, labels(n)[0] AS label, properties(n) AS props", database_=database).records}
    rels = {(r["a"], r["t"], r["b"]) for r in driver.execute_query(
        "MATCH (a)-[r]->(b) RETURN a.id AS a, type(r) AS t, b.id AS b", database_=database).records}
    return nodes, rels


def nx_snapshot(store) -> tuple[dict, set]:
    """The same picture of an embedded store (JSON or SQLite: its `graph`), to compare with neo4j_snapshot."""
    nodes = {n: (d["label"], {k: v for k, v in d.items() if k != "label"}) for n, d in store.graph.nodes(data=True)}
    rels = {(u, k, v) for u, v, k in store.graph.edges(keys=True)}
    return nodes, rels
