"""The HTTP API: `create_app(settings)` builds a FastAPI app over the query vocabulary.

A thin shell, like the CLI: routes (api/routes_*.py) ask queries.vocabulary
through the service (service.Service), nothing else.  The app holds one
Service between requests; routes reach it in a worker thread, under the
query timeout (api/routes_common.py).

    from api.settings import load_settings
    app = create_app(load_settings(store="/tmp/store.json"))
    # uvicorn.run(app)  — or `dutygraph serve`

How the store is read and written between requests (a snapshot that follows
the file, one writer at a time): service/holder.py.
"""
from __future__ import annotations

import contextlib
import os

from fastapi import FastAPI
from fastapi.middleware.cors import CORSMiddleware

from api import http_errors, routes_laws, routes_read, routes_web, routes_write
from api.headers import SecurityHeaders
from api.http_errors import UnicodeJSONResponse
from service import Service

DESCRIPTION = """\
Who must do what, according to Chinese government policy documents.

Every list is paginated (`limit`, at most 200, and `offset`) and answered as
`{"items": [...], "total": n, "limit": .., "offset": ..}`.  Every error is
answered as `{"error": {"code": "...", "message": "...", "place": "..."}}`.
Writes (`POST /documents`, `DELETE /documents/{id}`) need
`Authorization: Bearer <DUTYGRAPH_API_TOKEN>`; with no token configured they
are disabled.
"""


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
    service = Service(settings)

    @contextlib.asynccontextmanager
    async def lifespan(_app: FastAPI):
        try:
            yield
        finally:
            service.close()

    app = FastAPI(title="dutygraph", version="0.1.0", description=DESCRIPTION,
                  default_response_class=UnicodeJSONResponse, lifespan=lifespan)
    app.state.settings = settings
    app.state.service = service
    http_errors.install(app)
    app.add_middleware(SecurityHeaders)     # CSP, nosniff, no framing: api/headers.py
    origins = cors_origins(settings)
    if origins:
        app.add_middleware(CORSMiddleware, allow_origins=origins, allow_methods=["GET", "POST", "DELETE"],
                           allow_headers=["Authorization", "Content-Type"])
    app.include_router(routes_read.router)
    app.include_router(routes_laws.router)     # laws and their local holders: api/routes_laws.py
    app.include_router(routes_write.router)
    routes_web.install(app)     # the pages at / and /ui/…, their static files, POST /findings/{id}/review
    return app

