"""The one way in for every entry point: the CLI, the HTTP API and the web pages change and read a store here.

    api/       (CLI, HTTP routes, web pages)      entry points: parse arguments, render answers
    service/   load paths or bytes, delete a document, refresh findings, read under the store's rules
    queries/   the vocabulary and the findings       loaders/  text -> LoadResult
    graph/     the model, the schema, the two seams (Store, ReadBackend) and the backends behind them
    ontology/  domain knowledge as data

Each layer imports only the layers below it (docs/ARCHITECTURE.md; tests/test_layers.py).
"""
from service.service import Service, load_files, read_once

__all__ = ["Service", "load_files", "read_once"]
