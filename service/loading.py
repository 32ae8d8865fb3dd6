"""Files and uploads to LoadResults, and what a load reports: the parsing half of every load.

Every file is parsed before the store is touched, so a bad file fails the
load with nothing written; the writing half is service.Service.write_loads.
"""
from __future__ import annotations

import os

from graph.errors import InputError
from graph.model import LoadResult

# Notes about a folder (a collection's _index.md, its README or SOURCES) are no documents.
FOLDER_NOTES = ("_index.md", "README.md", "SOURCES.md")


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


def parse_files(paths: list[str], progress: bool = False) -> list[LoadResult]:
    """Parse every file first, so that a bad one fails before anything is written."""
    iterator = paths
    if progress:
        from tqdm import tqdm
        iterator = tqdm(paths, desc="parsing", unit="file")
    from loaders.pipeline import load_text        # here: a command that only reads never imports the parser
    from loaders.reading import read_document_file
    return [load_text(read_document_file(p), os.path.basename(p)) for p in iterator]


def parse_bytes(data: bytes, source: str) -> LoadResult:
    """An upload (.txt, .md, .html or .docx bytes) parsed; an InputError when it holds no document."""
    from loaders.pipeline import load_text
    from loaders.reading import document_text
    result = load_text(document_text(data, source), source)
    if not result.documents:
        raise InputError(source, "no document found in the text")
    return result


def summary(results: list[LoadResult], created: dict, documents, skipped: list[str] = ()) -> dict:
    """What every load reports: its documents (a count or a list), provisions, departments,
    assignments, review items, warnings and the nodes and relationships created."""
    return {"documents": documents, "provisions": sum(len(r.provisions) for r in results),
            "departments": len({d.id for r in results for d in r.departments}),
            "assignments": sum(len(r.assignments) for r in results),
            "review": sum(len(r.review) for r in results),
            "warnings": list(skipped) + [w for r in results for w in r.warnings],
            "created_nodes": created["nodes"], "created_relationships": created["relationships"]}
