"""The one place where errors become HTTP responses.

Every error leaves the API in the same shape, whatever raised it (our error
tree, a request that fails validation, an unknown route, a bug):

    {"error": {"code": "not_found", "message": "no provision 'prov:x'", "place": ""}}

`place` says where the problem is: a line or byte of an uploaded file, or the
request field (``query.limit``) that failed validation.  Stack traces never
leave the process; a bug is logged here and answered with a plain 500.
"""
from __future__ import annotations

import json
import logging
import re
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.routing import compile_path

from graph.errors import Busy, DutygraphError, InputError, NotFound, OutOfTime, QueryError, StoreError

log = logging.getLogger("dutygraph.api")

# The error tree → (HTTP status, stable code).  Order matters: most specific first.
ERROR_STATUS: tuple[tuple[type[DutygraphError], int, str], ...] = (
    (InputError, 422, "input_error"),
    (NotFound, 404, "not_found"),
    (QueryError, 400, "query_error"),
    (Busy, 503, "busy"),
    (StoreError, 503, "store_unavailable"),
    (OutOfTime, 504, "timeout"),
    (DutygraphError, 500, "internal_error"),
)

_HTTP_CODES = {400: "bad_request", 401: "unauthorized", 403: "forbidden", 404: "not_found",
               405: "method_not_allowed", 406: "not_acceptable", 413: "payload_too_large",
               415: "unsupported_media_type", 422: "validation_error", 501: "not_implemented", 503: "store_unavailable",
               504: "timeout"}

# The documented error body, shared by every route's OpenAPI "responses".
ERROR_SCHEMA = {
    "type": "object", "required": ["error"],
    "properties": {"error": {
        "type": "object", "required": ["code", "message", "place"],
        "properties": {"code": {"type": "string", "example": "not_found"},
                       "message": {"type": "string", "example": "no provision 'prov:000000000000'"},
                       "place": {"type": "string", "example": ""}}}}}


class UnicodeJSONResponse(JSONResponse):
    """JSON with Chinese as UTF-8 text, not \\u escapes: answers are read by people and by curl.

    >>> UnicodeJSONResponse({"name": "市公安局"}).body.decode()
    '{"name":"市公安局"}'
    """

    def render(self, content: Any) -> bytes:
        return json.dumps(content, ensure_ascii=False, allow_nan=False, separators=(",", ":")).encode("utf-8")


class ApiError(Exception):
    """An HTTP-level refusal that is not a dutygraph error: 401, 403, 413, 504 …"""

    def __init__(self, status: int, code: str, message: str, place: str = "",
                 headers: dict[str, str] | None = None):
        super().__init__(message)
        self.status, self.code, self.message, self.place = status, code, message, place
        self.headers = headers


def error_body(code: str, message: str, place: str = "") -> dict:
    return {"error": {"code": code, "message": message, "place": place}}


def error_response(status: int, code: str, message: str, place: str = "",
                   headers: dict[str, str] | None = None) -> UnicodeJSONResponse:
    return UnicodeJSONResponse(error_body(code, message, place), status_code=status, headers=headers)


def map_dutygraph_error(exc: DutygraphError) -> tuple[int, str, str, str]:
    """(status, code, message, place) for an error of our tree.

    >>> map_dutygraph_error(NotFound("no provision 'p'"))
    (404, 'not_found', "no provision 'p'", '')
    >>> map_dutygraph_error(InputError("a.txt", "the file is empty", place="line 1"))[:2]
    (422, 'input_error')
    """
    for cls, status, code in ERROR_STATUS:
        if isinstance(exc, cls):
            place = exc.place if isinstance(exc, InputError) else ""
            message = str(exc) if status < 500 else without_paths(str(exc))
            return status, code, message, place
    raise TypeError(exc)   # unreachable: DutygraphError is the last row


# An absolute path: a slash that starts no word, folders, then the last part.
_ABSOLUTE_PATH = re.compile(r"(?<![\w.:/])/(?:[^\s/:'\"()]+/)+([^\s/:'\"()]+)")


def without_paths(message: str) -> str:
    """A server-side message a client may see: absolute paths cut to the file's name.

    The CLI names the whole path (the user typed it); a client of the server
    learns nothing of the server's file system.

    >>> without_paths("/srv/data/store.json: cannot read the store ([Errno 13] Permission denied: '/srv/data/store.json')")
    "store.json: cannot read the store ([Errno 13] Permission denied: 'store.json')"
    """
    return _ABSOLUTE_PATH.sub(r"\1", message)


def responses(*statuses: int) -> dict:
    """OpenAPI `responses` entries for the error statuses a route can answer."""
    described = {400: "The question cannot be answered as asked", 401: "Missing or wrong bearer token",
                 403: "Writes are disabled (no DUTYGRAPH_API_TOKEN configured)", 404: "No such item",
                 413: "The upload is larger than DUTYGRAPH_MAX_BYTES",
                 422: "Invalid parameters, or a file that is not a readable government document",
                 501: "This build does not include the feature",
                 503: "The backend cannot be reached, or every parse worker is busy (Retry-After)",
                 504: "The backend did not answer in time (DUTYGRAPH_QUERY_TIMEOUT), or an upload "
                      "ran past DUTYGRAPH_LOAD_TIMEOUT (nothing written)"}
    return {s: {"description": described[s], "content": {"application/json": {"schema": ERROR_SCHEMA}}}
            for s in statuses}


def _allowed_methods(request: Request) -> list[str]:
    """The methods the OpenAPI document lists for the request's path (the public, documented truth)."""
    methods: set[str] = set()
    for template, operations in request.app.openapi().get("paths", {}).items():
        regex, _format, _convertors = compile_path(template)
        if regex.match(request.url.path):
            methods |= {m.upper() for m in operations}
    return sorted(methods)


def install(app: FastAPI) -> None:
    """Register the handlers that give every error the stable shape."""

    @app.exception_handler(ApiError)
    async def _api_error(_request: Request, exc: ApiError):
        return error_response(exc.status, exc.code, exc.message, exc.place, exc.headers)

    @app.exception_handler(DutygraphError)
    async def _dutygraph_error(_request: Request, exc: DutygraphError):
        status, code, message, place = map_dutygraph_error(exc)
        if status >= 500 and status != 503:
            log.error("unexpected dutygraph error: %s", exc, exc_info=exc)
        headers = {"Retry-After": str(exc.retry_after)} if isinstance(exc, Busy) else None
        return error_response(status, code, message, place, headers)

    @app.exception_handler(RequestValidationError)
    async def _validation(_request: Request, exc: RequestValidationError):
        errors = exc.errors()
        first = errors[0] if errors else {"loc": (), "msg": "invalid request"}
        place = ".".join(str(p) for p in first.get("loc", ()))
        message = "; ".join(f"{'.'.join(str(p) for p in e.get('loc', ()))}: {e.get('msg', '')}" for e in errors)
        return error_response(422, "validation_error", message or "invalid request", place)

    @app.exception_handler(StarletteHTTPException)
    async def _http(request: Request, exc: StarletteHTTPException):
        code = _HTTP_CODES.get(exc.status_code, f"http_{exc.status_code}")
        headers = dict(getattr(exc, "headers", None) or {})
        if exc.status_code == 405:
            # Starlette names only the first route that matched the path; a path
            # served by several routes (GET and POST /documents) allows them all.
            headers["Allow"] = ", ".join(_allowed_methods(request))
        return error_response(exc.status_code, code, str(exc.detail), "", headers or None)

    @app.exception_handler(Exception)
    async def _bug(_request: Request, exc: Exception):
        # A bug: log it with its trace here, never send the trace to the client.
        log.error("unhandled error", exc_info=exc)
        return error_response(500, "internal_error", "internal error; the server log has the details")
