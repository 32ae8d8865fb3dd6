"""Parse an upload, or a CLI load's files, in a child process that is killed when the time runs out.

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
A CLI load, single-threaded, forks its one worker directly (it has the parser
imported already); with other threads running it uses the forkserver too.

The server runs at most `max_parse_workers` (DUTYGRAPH_MAX_PARSE_WORKERS) at
once: an upload that finds them all busy is refused at once (Busy: HTTP 503 with
Retry-After) rather than queued, so that a burst of uploads cannot fork a
process each and exhaust the machine's memory.

A worker whose requester dies (a server or CLI killed with `kill -9`) ends too:
a thread in it checks every half second that the requester is alive, so no
orphan goes on parsing for nobody.

The child gets the loaders' limits from the caller (the server's settings),
not from its own environment: the forkserver's environment is the one it was
started with.
"""
from __future__ import annotations

import multiprocessing
import os
import threading
from typing import Callable, Mapping

from graph import faults
from graph.errors import Busy, DutygraphError, InputError
from graph.model import LoadResult
from service.deadline import Deadline

_lock = threading.Lock()
_contexts: dict[str, object] = {}
_slots: dict[int, threading.BoundedSemaphore] = {}    # cap → the slots of the workers running under it


def _mp_context(fork: bool = False):
    """The forkserver context, preloading the warm parser (made once per process); `fork`: a plain
    fork where it is safe (this process runs no other thread)."""
    methods = multiprocessing.get_all_start_methods()
    if fork and "fork" in methods and threading.active_count() == 1:
        return multiprocessing.get_context("fork")
    with _lock:
        if "server" not in _contexts:
            if "forkserver" in methods:
                context = multiprocessing.get_context("forkserver")
                context.set_forkserver_preload(["service.parse_warmup"])
            else:
                context = multiprocessing.get_context("spawn")
            _contexts["server"] = context
        return _contexts["server"]


def _slot(max_workers: int) -> threading.BoundedSemaphore:
    with _lock:
        return _slots.setdefault(max_workers, threading.BoundedSemaphore(max_workers))


def parse_within(data: bytes, source: str, limits: Mapping[str, int], deadline: Deadline,
                 max_workers: int | None = None) -> LoadResult:
    """service.loading.parse_bytes(data, source) in a child process; OutOfTime (the child killed)
    when `deadline` passes first.  The parser's InputError comes back as it was raised.
    `max_workers`: how many such children may run at once in this process; past it, Busy."""
    deadline.check("parsing")
    slot = _slot(max_workers) if max_workers else None
    if slot is not None and not slot.acquire(blocking=False):
        raise Busy(f"{source}: all {max_workers} parse workers are busy; nothing was written. Try again in a "
                   f"few seconds, or raise DUTYGRAPH_MAX_PARSE_WORKERS on the server")
    try:
        return _run(_mp_context(), _parse_child, (data, source, dict(limits)), source, deadline,
                    lambda _name: "parsing", "parsing")
    finally:
        if slot is not None:
            slot.release()


def parse_files_within(paths: list[str], limits: Mapping[str, int], deadline: Deadline,
                       on_file: Callable[[str], None] | None = None) -> list[LoadResult]:
    """Every file of a CLI load parsed in order in one child process; OutOfTime naming the file
    being parsed when `deadline` passes first; the first file's InputError as it was raised.
    `on_file(path)` is called as each file starts (a progress bar)."""
    first = f"parsing {paths[0]}" if paths else "parsing"     # the step the load is in until the worker reports
    deadline.check(first)

    def step(path: str) -> str:
        if on_file is not None:
            on_file(path)
        return f"parsing {path}"
    return _run(_mp_context(fork=True), _parse_files_child, (list(paths), dict(limits)),
                ", ".join(paths[:3]) + (" …" if len(paths) > 3 else ""), deadline, step, first)


def _run(ctx, target, args, source: str, deadline: Deadline, step: Callable[[str], str], where: str):
    """Run target(send, requester, *args) in a child; its answer, or the error it sent back.
    `where`: the step named if the time runs out before the child reports one (step(name) after)."""
    receive, send = ctx.Pipe(duplex=False)
    worker = ctx.Process(target=target, args=(send, os.getpid(), *args), daemon=True,
                         name=f"dutygraph-parse {source}"[:200])
    try:
        worker.start()
    except (OSError, EOFError) as exc:
        send.close()
        receive.close()
        raise DutygraphError(f"{source}: no parse worker could be started ({exc}); nothing was written") from None
    send.close()       # the child holds the only writing end: its death ends recv() with EOFError
    faults.reach("parse")
    try:
        while True:
            if not receive.poll(deadline.remaining()):
                raise deadline.out_of_time(where)
            kind, value = receive.recv()
            if kind != "file":
                break
            where = step(value)
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


def _watch(requester: int) -> None:
    """End this worker when the process that asked for it is gone (killed: nobody will read the answer)."""
    import time

    def watch():
        while True:
            time.sleep(0.5)
            try:
                os.kill(requester, 0)
            except ProcessLookupError:
                os._exit(1)
            except PermissionError:
                pass
    threading.Thread(target=watch, daemon=True).start()


def _answer(send, work) -> None:
    try:
        answer = ("ok", work())
    except InputError as exc:
        answer = ("input", exc)
    except Exception as exc:       # a bug: its name crosses, not the object (it may not pickle)
        answer = ("bug", f"{type(exc).__name__}: {exc}")
    send.send(answer)
    send.close()


def _parse_child(send, requester: int, data: bytes, source: str, limit_values: dict) -> None:
    from loaders import limits
    from service.loading import parse_bytes
    _watch(requester)
    os.environ.update(limits.environment(limit_values))     # this process is thrown away after
    _answer(send, lambda: parse_bytes(data, source))


def _parse_files_child(send, requester: int, paths: list[str], limit_values: dict) -> None:
    from loaders import limits
    from loaders.pipeline import load_text
    from loaders.reading import read_document_file
    _watch(requester)
    os.environ.update(limits.environment(limit_values))

    def work() -> list[LoadResult]:
        results = []
        for path in paths:
            send.send(("file", path))
            results.append(load_text(read_document_file(path), os.path.basename(path)))
        return results
    _answer(send, work)
