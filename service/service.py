"""`Service`: every change of a store, and every read, for the CLI, the HTTP API and the web pages alike.

    with Service(load_settings(store="/tmp/store.json")) as service:
        service.load_paths(["gazette.txt"])          # -> {"files": 1, "documents": 9, …}
        service.read(lambda backend: vocabulary.who(backend, "秸秆禁烧"))
        service.delete_document("双政发〔2024〕6号")

Each change runs under the store's write lock with the findings refreshed
(service/writing.py, which also states what a write promises on both
backends): the documents of one call are all written or none is.  Reads go
through service/holder.py: the embedded store is read as a snapshot that
follows the file, a server backend is opened once and shared.
"""
from __future__ import annotations

from typing import Any, Callable, TypeVar

from graph.errors import NotFound
from graph.model import LoadResult
from queries.vocabulary import find_document
from service.holder import StoreHolder
from service.loading import document_paths, parse_bytes, parse_files, summary
from service.versions import newest_versions, stored_law_dates

T = TypeVar("T")


class Service:
    def __init__(self, settings):
        self.settings = settings
        self._holder = StoreHolder(settings)

    def __enter__(self) -> "Service":
        return self

    def __exit__(self, *_exc) -> None:
        self.close()

    def close(self) -> None:
        self._holder.close()

    # -- reading ------------------------------------------------------------------
    def read(self, fn: Callable[[Any], T]) -> T:
        """fn(backend) on the current state of the store (backend: a graph.seams.ReadBackend)."""
        return self._holder.read(fn)

    # -- changing -----------------------------------------------------------------
    def write_loads(self, results: list[LoadResult], deadline=None) -> dict:
        """Replace the documents of every result, all or nothing; the nodes and relationships created.
        With a `deadline` (service.deadline.Deadline) past which nothing is written (OutOfTime)."""
        return self._write(results, deadline)[0]

    def _write(self, results: list[LoadResult], deadline=None) -> tuple[dict, list[LoadResult]]:
        """write_loads, and the results as written: of each law only its newest version (service/versions.py)."""
        kept: list[LoadResult] = []

        def write(store) -> dict:
            kept[:] = newest_versions(results, stored_law_dates(store.reads(), results))
            return store.write_all(kept)
        return self._holder.write(write, deadline), kept

    def load_paths(self, paths: list[str], progress: bool = False) -> dict:
        """Load files and folders (parsed first: a bad file writes nothing); what was loaded."""
        files, skipped = document_paths(paths)
        results = parse_files(files, progress)     # before the lock: parsing is the slow part
        created, results = self._write(results)
        return {"files": len(results),
                **summary(results, created, sum(len(r.documents) for r in results), skipped)}

    def load_bytes(self, data: bytes, source: str) -> dict:
        """Load one upload (.txt, .md, .html or .docx bytes); what was loaded, its documents listed."""
        return self.write_parsed(parse_bytes(data, source))

    def write_parsed(self, result: LoadResult, deadline=None) -> dict:
        """Write one parsed upload (before `deadline`, or not at all); what was loaded, its documents
        listed (the API's LoadSummary)."""
        created, [result] = self._write([result], deadline)
        listed = [{"id": d.id, "number": d.number, "title": d.title} for d in result.documents]
        return summary([result], created, listed)

    def delete_document(self, key: str, hint: str = "") -> str:
        """Remove a document (by id or number) and all that is derived from it; its id.
        NotFound (saying `hint`: where the list is) when there is no such document."""
        doc = self.read(lambda backend: find_document(backend, key, hint))
        if not self._holder.write(lambda store: store.delete_document(doc["id"])):
            raise NotFound(f"no document {key!r}; it may have just been deleted")
        return doc["id"]

    def refresh_findings(self) -> None:
        """Recompute the findings over the whole store (every write does it too)."""
        self._holder.write(lambda store: None)


def read_once(settings, fn: Callable[[Any], T]) -> T:
    """One question asked of the store `settings` names, opened for it and closed after (a CLI command)."""
    with Service(settings) as service:
        return service.read(fn)


def load_files(paths: list[str], settings, progress: bool = False) -> dict:
    """Load files into the store `settings` names, as `dutygraph load` does."""
    with Service(settings) as service:
        return service.load_paths(paths, progress)
