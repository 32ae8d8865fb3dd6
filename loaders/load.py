"""Load files into a store: read, parse, write; all or nothing per call.

The embedded store is written once, after every file parsed, by an atomic
file swap; a bad file stops the load with nothing changed.  On Neo4j each
document is one transaction.  The write runs under the store's write lock
(graph.store.writing), so loads running at once in several processes all land.
"""
from __future__ import annotations

import os

from graph.store import writing
from loaders.pipeline import load_text
from loaders.reading import read_document_file


def parse_files(paths: list[str], progress: bool = False):
    """Parse every file first, so that a bad one fails before anything is written."""
    iterator = paths
    if progress:
        from tqdm import tqdm
        iterator = tqdm(paths, desc="parsing", unit="file")
    return [load_text(read_document_file(p), os.path.basename(p)) for p in iterator]


def load_files(paths: list[str], settings, progress: bool = False) -> dict:
    paths, skipped = document_paths(paths)
    results = parse_files(paths, progress)     # before the lock: parsing is the slow part
    created = {"nodes": 0, "relationships": 0}
    with writing(settings) as store:
        for result in results:
            c = store.write(result)
            created["nodes"] += c["nodes"]
            created["relationships"] += c["relationships"]
    return {"files": len(results), "documents": sum(len(r.documents) for r in results),
            "provisions": sum(len(r.provisions) for r in results),
            "departments": len({d.id for r in results for d in r.departments}),
            "assignments": sum(len(r.assignments) for r in results),
            "review": sum(len(r.review) for r in results),
            "warnings": skipped + [w for r in results for w in r.warnings],
            "created_nodes": created["nodes"], "created_relationships": created["relationships"]}


# A folder note of a collection of laws (../shared/corpus/laws/*/_index.md) is no document.
FOLDER_NOTES = ("_index.md",)


def document_paths(paths: list[str]) -> tuple[list[str], list[str]]:
    """The files to load: a folder gives the files under it (sorted); folder notes are skipped
    with a warning, never loaded and never an error."""
    files, skipped = [], []
    for path in paths:
        found = ([os.path.join(d, f) for d, _, names in sorted(os.walk(path)) for f in sorted(names)]
                 if os.path.isdir(path) else [path])
        for f in found:
            if os.path.basename(f) in FOLDER_NOTES:
                skipped.append(f"{f}: a folder note, not a document; skipped")
            elif not os.path.basename(f).startswith("."):
                files.append(f)
    return files, skipped
