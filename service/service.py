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

from graph.errors import DutygraphError, NotFound, PartlyLoaded
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

    def load_paths(self, paths: list[str], progress: bool = False, deadline=None, batch: int = 0) -> dict:
        """Load files and folders (parsed first: a bad file writes nothing); what was loaded.
        With a `deadline` (service.deadline.Deadline), as `dutygraph load` gives: the files are
        parsed in a worker process killed when it passes, and nothing is written after it (OutOfTime,
        naming the file and the step).

        `batch`: write every `batch` files on their own, each batch all or nothing, instead of all the
        files at once.  For a body of thousands of files (a corpus of laws): only one batch is held
        parsed in memory, and on Neo4j no transaction outgrows the server's transaction memory (the
        1,708 laws in one transaction do).  A failure keeps the batches before it: PartlyLoaded says
        which files are written."""
        files, skipped = document_paths(paths)
        size = batch if batch > 0 else max(len(files), 1)
        totals: dict = {}
        departments: set[str] = set()
        for start in range(0, max(len(files), 1), size):
            chunk = files[start:start + size]
            try:
                # before the lock: parsing is the slow part
                results = parse_files(chunk, progress) if deadline is None else parse_files_within_deadline(
                    chunk, progress, deadline)
                created, results = self._write(results, deadline)
            except DutygraphError as exc:
                if not start:
                    raise
                raise PartlyLoaded(f"{exc} — the files before {chunk[0]} are written ({start} of {len(files)}, "
                                   f"in batches of {size}, each all or nothing); to go on, load from that file "
                                   f"on") from exc
            departments |= {d.id for r in results for d in r.departments}
            counts = summary(results, created, sum(len(r.documents) for r in results))
            for key, value in counts.items():
                totals[key] = totals.get(key, [] if key == "warnings" else 0) + value
        totals["departments"] = len(departments)
        totals["warnings"] = list(skipped) + totals.get("warnings", [])
        return {"files": len(files), **totals}

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


def parse_files_within_deadline(files: list[str], progress: bool, deadline) -> list[LoadResult]:
    """parse_files in a worker process that `deadline` stops (service/parse_worker.py)."""
    from loaders import limits
    from service.parse_worker import parse_files_within
    values = {name: limits.value(name) for name in limits.LIMITS}
    if not progress:
        return parse_files_within(files, values, deadline)
    from tqdm import tqdm
    with tqdm(total=len(files), desc="parsing", unit="file") as bar:
        started: list[str] = []

        def on_file(path: str) -> None:
            if started:
                bar.update(1)
            started.append(path)
        results = parse_files_within(files, values, deadline, on_file)
        bar.update(len(files) - bar.n)
        return results


def load_files(paths: list[str], settings, progress: bool = False) -> dict:
    """Load files into the store `settings` names, as `dutygraph load` does."""
    with Service(settings) as service:
        return service.load_paths(paths, progress)
