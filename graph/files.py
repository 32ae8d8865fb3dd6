"""The store's own JSON files: read with a clear error, replace all at once.

A write goes to a temp file beside the target, is fsynced, then os.replace'd:
a crash at any moment leaves either the old file or the new one, never half of
either.  A temp file is named after its target (`.store.json.<pid>.<random>.tmp`),
so the next write of the same target — which runs under the store's write lock
(graph/locking.py), so no other writer of it is at work — removes the temp
files a killed writer left.  The replacement keeps the mode of the file it
replaces (a new file is private: 0600).
"""
from __future__ import annotations

import glob
import json
import os
import stat
import tempfile

from graph import faults
from graph.errors import StoreError


def read_json(path: str, what: str, hint: str):
    """The parsed JSON at `path`; a StoreError naming the file, what it holds and what to do."""
    return read_json_and_key(path, what, hint)[0]


def read_json_and_key(path: str, what: str, hint: str) -> tuple[object, tuple]:
    """The parsed JSON at `path` and the file_key of the very version read."""
    try:
        with open(path, encoding="utf-8") as handle:
            key = _key(os.fstat(handle.fileno()))
            return json.load(handle), key
    except (OSError, ValueError) as exc:
        raise StoreError(f"{path}: cannot read the {what} ({exc}); {hint}") from None


def file_key(path: str) -> tuple | None:
    """What changes whenever the file at `path` is replaced; None when there is no file."""
    try:
        return _key(os.stat(path))
    except FileNotFoundError:
        return None


def _key(st: os.stat_result) -> tuple:
    return (st.st_dev, st.st_ino, st.st_mtime_ns, st.st_size)


def temp_prefix(path: str) -> str:
    return "." + os.path.basename(path) + "."


def write_atomically(path: str, text: str) -> tuple:
    """Replace the file at `path` by `text` all at once; returns the new file's file_key.

    Call it under the store's write lock: it removes stale temp files of `path`.
    """
    directory = os.path.dirname(os.path.abspath(path))
    os.makedirs(directory, exist_ok=True)
    remove_stale_temps(path)
    try:
        mode = stat.S_IMODE(os.stat(path).st_mode)
    except FileNotFoundError:
        mode = None                      # a new store: mkstemp's 0600
    fd, tmp = tempfile.mkstemp(prefix=f"{temp_prefix(path)}{os.getpid()}.", suffix=".tmp", dir=directory)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            if mode is not None:
                os.fchmod(handle.fileno(), mode)
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
        faults.reach("commit")
        os.replace(tmp, path)
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise
    return file_key(path)


def remove_stale_temps(path: str) -> list[str]:
    """Delete the temp files a killed write of `path` left behind; the names removed."""
    directory = os.path.dirname(os.path.abspath(path))
    pattern = os.path.join(glob.escape(directory), glob.escape(temp_prefix(path)) + "*.tmp")
    removed = []
    for stale in glob.glob(pattern):
        middle = os.path.basename(stale)[len(temp_prefix(path)):-len(".tmp")]
        if not middle.split(".")[0].isdigit():
            continue                     # another file's temp (store.json.reviews.json is not store.json)
        try:
            os.unlink(stale)
            removed.append(stale)
        except FileNotFoundError:
            pass
    return removed
