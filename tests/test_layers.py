"""The layers of docs/ARCHITECTURE.md hold: no import between top-level packages points up.

Every module of the packages is read with ast (nothing is imported), each
import of another top-level package is listed, and an import from a lower
layer of a higher one fails the test, naming the file and the import.  Imports
inside functions count too: a lazy import is still an arrow.
"""
from __future__ import annotations

import ast
import os

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

#: Bottom to top: a package may import the packages of lower layers only.
#: loaders/ and queries/ share a layer and must not import each other.
LAYERS = [("graph",), ("ontology",), ("loaders", "queries"), ("service",), ("api",)]
RANK = {package: rank for rank, layer in enumerate(LAYERS) for package in layer}

#: Upward imports tolerated, each (file, module) named.  None: the department registry
#: (ontology/registry.py) and the bracket finder (ontology/brackets.py) sit below the loaders
#: and the queries that both use them.  Keep it empty.
KNOWN_UPWARD: set[tuple[str, str]] = set()


def _imports(path: str) -> set[str]:
    with open(path, encoding="utf-8") as handle:
        tree = ast.parse(handle.read(), path)
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            found.add(node.module)
    return found


def cross_imports() -> set[tuple[str, str, str, str]]:
    """(file, its package, imported module, that module's package) for every import between packages."""
    arrows = set()
    for package in RANK:
        for folder, _dirs, files in os.walk(os.path.join(ROOT, package)):
            for name in files:
                if not name.endswith(".py"):
                    continue
                path = os.path.join(folder, name)
                rel = os.path.relpath(path, ROOT).replace(os.sep, "/")
                for module in _imports(path):
                    target = module.split(".")[0]
                    if target in RANK and target != package:
                        arrows.add((rel, package, module, target))
    return arrows


def test_every_package_is_in_a_layer():
    packages = {name for name in os.listdir(ROOT)
                if os.path.isfile(os.path.join(ROOT, name, "__init__.py")) and name not in ("tests", "bench")}
    assert packages == set(RANK)


def test_no_import_points_up():
    upward = {(rel, module) for rel, package, module, target in cross_imports()
              if RANK[target] > RANK[package] or (RANK[target] == RANK[package])}
    assert upward - KNOWN_UPWARD == set(), "imports that point up (or sideways within a layer)"
    assert KNOWN_UPWARD - upward == set(), "gone from the code: take them off KNOWN_UPWARD"


def test_the_api_reaches_the_store_only_through_the_service():
    """No route, page or command opens a backend or a store itself."""
    direct = {(rel, module) for rel, package, module, _ in cross_imports()
              if package == "api" and module.startswith(("graph.backends", "graph.networkx_backend",
                                                          "graph.neo4j_backend", "graph.locking"))}
    assert direct == set()


def test_route_modules_do_not_import_each_other_or_the_app():
    routes = [f for f in os.listdir(os.path.join(ROOT, "api")) if f.startswith("routes_") and f.endswith(".py")]
    for name in routes:
        imported = _imports(os.path.join(ROOT, "api", name))
        others = {m for m in imported if m.startswith("api.routes_") or m == "api.app"} - {"api.routes_common",
                                                                                         "api.routes_models",
                                                                                         "api.routes_examples"}
        assert others == set(), name
