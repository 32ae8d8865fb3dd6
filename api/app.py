"""The HTTP API: `create_app(settings)` builds a FastAPI app over the query vocabulary.

A thin shell, like the CLI: routes (api/routes_*.py) call queries.vocabulary
and the loaders, nothing else.  This module owns what an app holds between
requests — the store — and how a request reaches it: in a worker thread,
under the query timeout.

    from api.settings import load_settings
    app = create_app(load_settings(store="/tmp/store.json"))
    # uvicorn.run(app)  — or `dutygraph serve`

The embedded store is copy-on-write: readers share one immutable snapshot of
the graph without a lock; a writer opens a fresh copy from the file under the
store's write lock (graph.store.writing: one writer at a time across threads
and processes — the CLI, other servers, review marks), changes it, swaps the
file in atomically (NetworkxStore.save) and only then publishes the new
snapshot.  A failed write therefore leaves both the file and what readers see
unchanged.  Before every read the file's identity (device, inode, mtime,
size) is compared with the snapshot's, so a change made to the file by
another process (`dutygraph load` while serving) is seen by the next request.
"""
from __future__ import annotations

import contextlib
import os
import threading
from typing import Any, Callable, TypeVar

import anyio
from fastapi import FastAPI
from fastapi.middleware.cors import CORSMiddleware

from api import http_errors
from api.headers import SecurityHeaders
from api.http_errors import ApiError, UnicodeJSONResponse
from graph.files import file_key
from graph.backends import open_backend
from graph.store import writing

T = TypeVar("T")

DESCRIPTION = """\
Who must do what, according to Chinese government policy documents.

Every list is paginated (`limit`, at most 200, and `offset`) and answered as
`{"items": [...], "total": n, "limit": .., "offset": ..}`.  Every error is
answered as `{"error": {"code": "...", "message": "...", "place": "..."}}`.
Writes (`POST /documents`, `DELETE /documents/{id}`) need
`Authorization: Bearer <DUTYGRAPH_API_TOKEN>`; with no token configured they
are disabled.
"""


class StoreHolder:
    """What the app keeps between requests: the store, and the rules for reading and writing it."""

    def __init__(self, settings):
        self.settings = settings
        self._lock = threading.Lock()          # guards publishing a snapshot / opening the driver
        self._store = None

    # -- reading -----------------------------------------------------------
    def read(self, fn: Callable[[Any], T]) -> T:
        """fn(backend) on the current state of the store."""
        return fn(self._current().reads())

    def _current(self):
        with self._lock:
            if self.settings.backend != "networkx":
                if self._store is None:
                    self._store = open_backend(self.settings)    # StoreError → 503, retried next request
                return self._store
            if self._store is None or file_key(self.settings.store) != self._store.file_key:
                self._store = open_backend(self.settings)        # the file was replaced: read the new one
            return self._store

    # -- writing -----------------------------------------------------------
    def write(self, fn: Callable[[Any], T]) -> T:
        """fn(store), the findings refreshed, then save, all or nothing, under the store's write lock."""
        if self.settings.backend != "networkx":
            with writing(self.settings, store=self._current()) as store:
                return fn(store)
        with writing(self.settings) as fresh:     # a private copy: readers keep the old snapshot
            out = fn(fresh)
        with self._lock:
            # fresh.file_key is the file it saved; if another writer has replaced the file since,
            # the next read sees a different key and reloads
            self._store = fresh
        return out

    def close(self) -> None:
        with self._lock:
            if self._store is not None:
                self._store.close()
                self._store = None


async def run_bounded(timeout: float, fn: Callable[[], T]) -> T:
    """Run a blocking backend call in a worker thread; 504 if it takes longer than `timeout`.

    The thread cannot be killed, so on timeout it is abandoned and finishes on
    its own; the client gets its answer (an error) in time all the same.
    """
    try:
        with anyio.fail_after(timeout):
            return await anyio.to_thread.run_sync(fn, abandon_on_cancel=True)
    except TimeoutError:
        raise ApiError(504, "timeout", f"the backend did not answer within {timeout:g}s "
                       f"(DUTYGRAPH_QUERY_TIMEOUT); ask a narrower question or try again") from None


def cors_origins(settings) -> list[str]:
    """Origins allowed by CORS; none (CORS off) unless configured.

    Read from the settings when the table has `cors_origins`, else from the
    environment (DUTYGRAPH_CORS_ORIGINS, comma-separated) — read here, when
    the app is created, never at import time.
    """
    raw = getattr(settings, "cors_origins", None)
    if raw is None:
        raw = os.environ.get("DUTYGRAPH_CORS_ORIGINS", "")
    return [o.strip() for o in raw.split(",") if o.strip()]


def create_app(settings) -> FastAPI:
    """The API over the store named by `settings` (api.settings.load_settings)."""
    from api import routes_read, routes_web, routes_write   # here, so importing api.app has no side effects

    holder = StoreHolder(settings)

    @contextlib.asynccontextmanager
    async def lifespan(_app: FastAPI):
        try:
            yield
        finally:
            holder.close()

    app = FastAPI(title="dutygraph", version="0.1.0", description=DESCRIPTION,
                  default_response_class=UnicodeJSONResponse, lifespan=lifespan)
    app.state.settings = settings
    app.state.holder = holder
    http_errors.install(app)
    app.add_middleware(SecurityHeaders)     # CSP, nosniff, no framing: api/headers.py
    origins = cors_origins(settings)
    if origins:
        app.add_middleware(CORSMiddleware, allow_origins=origins, allow_methods=["GET", "POST", "DELETE"],
                           allow_headers=["Authorization", "Content-Type"])
    app.include_router(routes_read.router)
    app.include_router(routes_write.router)
    routes_web.install(app)     # the pages at / and /ui/…, their static files, POST /findings/{id}/review
    return app

