"""Parse an upload in a child process that is killed when the upload's time runs out.

Why a process and not a deadline the parser checks: a thread cannot be
stopped, and a deadline would have to be checked inside every loop of every
reader (structure, brackets, tables, PDF layout, the zip and XML readers in C),
so one slow path left unchecked would again burn CPU after the client got its
504.  A process is stopped wherever it is, with one `kill`, and the parser stays
unchanged.  The cost (bench/bench_upload_worker.py, BENCHMARKS.md): 50–100 ms
an upload for a worker forked from a warm forkserver; a freshly spawned one
needs ~1.2 s to import the parser and read its registries, so the forkserver
preloads service/parse_warmup.py, which reads them once, and every worker is
forked with them in memory.  Where forkserver is missing (Windows), spawn is used.

The child gets the loaders' limits from the caller (the server's settings),
not from its own environment: the forkserver's environment is the one it was
started with.
"""
from __future__ import annotations

import multiprocessing
import threading
from typing import Mapping

from graph.errors import DutygraphError, InputError
from graph.model import LoadResult
from service.deadline import Deadline

_lock = threading.Lock()
_context = None


def _mp_context():
    """The forkserver context, preloading the warm parser (made once per process)."""
    global _context
    with _lock:
        if _context is None:
            if "forkserver" in multiprocessing.get_all_start_methods():
                _context = multiprocessing.get_context("forkserver")
                _context.set_forkserver_preload(["service.parse_warmup"])
            else:
                _context = multiprocessing.get_context("spawn")
        return _context


def parse_within(data: bytes, source: str, limits: Mapping[str, int], deadline: Deadline) -> LoadResult:
    """service.loading.parse_bytes(data, source) in a child process; OutOfTime (the child killed)
    when `deadline` passes first.  The parser's InputError comes back as it was raised."""
    deadline.check("starting to parse")
    ctx = _mp_context()
    receive, send = ctx.Pipe(duplex=False)
    worker = ctx.Process(target=_parse_child, args=(send, data, source, dict(limits)), daemon=True,
                         name=f"dutygraph-parse {source}")
    try:
        worker.start()
    except (OSError, EOFError) as exc:
        send.close()
        receive.close()
        raise DutygraphError(f"{source}: no parse worker could be started ({exc}); nothing was written") from None
    send.close()       # the child holds the only writing end: its death ends recv() with EOFError
    try:
        if not receive.poll(deadline.remaining()):
            raise deadline.out_of_time("parsing")
        kind, value = receive.recv()
    except EOFError:
        worker.join(5)        # it has closed its end: it is ending, and its exit code says how
        raise DutygraphError(f"{source}: the parser stopped without an answer (exit code "
                             f"{worker.exitcode}); nothing was written") from None
    finally:
        if worker.is_alive():
            worker.kill()
        worker.join()
        receive.close()
    if kind == "ok":
        return value
    if kind == "input":
        raise value
    raise DutygraphError(f"{source}: the parser failed ({value}); nothing was written")


def _parse_child(send, data: bytes, source: str, limit_values: dict) -> None:
    import os

    from loaders import limits
    from service.loading import parse_bytes
    os.environ.update(limits.environment(limit_values))     # this process is thrown away after
    try:
        answer = ("ok", parse_bytes(data, source))
    except InputError as exc:
        answer = ("input", exc)
    except Exception as exc:       # a bug: its name crosses, not the object (it may not pickle)
        answer = ("bug", f"{type(exc).__name__}: {exc}")
    send.send(answer)
    send.close()
