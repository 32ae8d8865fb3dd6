"""The store's own JSON files: read with a clear error, replace all at once.

A write goes to a temp file beside the target, is fsynced, then os.replace'd:
a crash at any moment leaves either the old file or the new one, never half of
either, and no temp file behind.
"""
from __future__ import annotations

import json
import os
import tempfile

from graph.errors import StoreError


def read_json(path: str, what: str, hint: str):
    """The parsed JSON at `path`; a StoreError naming the file, what it holds and what to do."""
    try:
        with open(path, encoding="utf-8") as handle:
            return json.load(handle)
    except (OSError, ValueError) as exc:
        raise StoreError(f"{path}: cannot read the {what} ({exc}); {hint}") from None


def write_atomically(path: str, text: str) -> None:
    directory = os.path.dirname(os.path.abspath(path))
    os.makedirs(directory, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=".dutygraph-", suffix=".tmp", dir=directory)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise
