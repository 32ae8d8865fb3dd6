"""The store's own JSON files: read with a clear error, replace all at once.

A write goes to a temp file beside the target, is fsynced, then os.replace'd:
a crash at any moment leaves either the old file or the new one, never half of
either (on Linux the temp file has no name until just before the rename: see
write_atomically).  A temp file is named after its target (`.store.json.<pid>.<random>.tmp`),
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
    Where the system has O_TMPFILE (Linux), the new content is written to a file with no
    name at all, which a writer killed while writing or syncing (the slow part: up to the
    whole store) leaves nowhere; it gets its temp name only just before the rename, so only
    a kill between those two calls leaves a temp file, which the next write removes.
    """
    directory = os.path.dirname(os.path.abspath(path))
    os.makedirs(directory, exist_ok=True)
    remove_stale_temps(path)
    try:
        mode = stat.S_IMODE(os.stat(path).st_mode)
    except FileNotFoundError:
        mode = None                      # a new store: private, 0600
    fd, tmp = _unnamed(directory)
    if tmp is None:
        fd, tmp = tempfile.mkstemp(prefix=f"{temp_prefix(path)}{os.getpid()}.", suffix=".tmp", dir=directory)
    named = tmp != ""
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            os.fchmod(handle.fileno(), 0o600 if mode is None else mode)
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
            faults.reach("commit")
            if not named:
                tmp = _name_it(handle.fileno(), path, directory)
                named = True
        os.replace(tmp, path)
    except BaseException:
        if named and os.path.exists(tmp):
            os.unlink(tmp)
        raise
    return file_key(path)


_LINKABLE: dict[str, bool] = {}     # directory → whether an O_TMPFILE file there can be given a name


def _unnamed(directory: str) -> tuple[int, str | None]:
    """(fd, "") of a new file in `directory` that has no name yet (O_TMPFILE); (-1, None) where
    the system or the file system cannot make one, or cannot name it after (overlay file
    systems refuse the link: tried once per directory)."""
    flag = getattr(os, "O_TMPFILE", 0)
    if not flag or _LINKABLE.get(directory) is False:
        return -1, None
    try:
        fd = os.open(directory, flag | os.O_WRONLY, 0o600)
    except OSError:
        _LINKABLE[directory] = False
        return -1, None
    if directory not in _LINKABLE:
        probe_fd = os.open(directory, flag | os.O_WRONLY, 0o600)   # a file is linkable once only
        try:
            os.unlink(_name_it(probe_fd, os.path.join(directory, "probe"), directory))
            _LINKABLE[directory] = True
        except OSError:
            _LINKABLE[directory] = False
            os.close(fd)
            return -1, None
        finally:
            os.close(probe_fd)
    return fd, ""


def _name_it(fd: int, path: str, directory: str) -> str:
    """Give the unnamed file `fd` a temp name beside `path`: linkat(fd, "", AT_EMPTY_PATH), which
    needs CAP_DAC_READ_SEARCH, else a link from /proc/self/fd, which some kernels refuse (EXDEV)."""
    while True:
        tmp = os.path.join(directory, f"{temp_prefix(path)}{os.getpid()}.{os.urandom(4).hex()}.tmp")
        if _linkat_empty_path(fd, tmp):
            return tmp
        try:
            os.link(f"/proc/self/fd/{fd}", tmp, follow_symlinks=True)
            return tmp
        except FileExistsError:
            continue


def _linkat_empty_path(fd: int, name: str) -> bool:
    try:
        import ctypes
        libc = ctypes.CDLL(None, use_errno=True)
        at_fdcwd, at_empty_path = -100, 0x1000
        return libc.linkat(fd, b"", at_fdcwd, os.fsencode(name), at_empty_path) == 0
    except (OSError, AttributeError):
        return False


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
