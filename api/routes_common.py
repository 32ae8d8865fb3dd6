"""What every route shares: reaching the service under a timeout, pagination, the bearer token, path parameters."""
from __future__ import annotations

import datetime as dt
import hmac
from typing import Any, Callable, TypeVar

import anyio
from fastapi import Depends, Path, Query, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from api.http_errors import ApiError
from service import Service

_ISO_DATE = r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$"


def date_query(description: str):
    """A date query parameter as YYYY-MM-DD text.

    Not `datetime.date`: pydantic would also take a number (today=0 → 1970-01-01)."""
    return Query(None, pattern=_ISO_DATE, description=description, examples=["2025-01-01"],
                 json_schema_extra={"format": "date"})


def parse_date(value: str | None, name: str) -> dt.date | None:
    """The date of a date_query parameter; 422 in the error format when it is no calendar date."""
    if value is None:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise ApiError(422, "validation_error", f"query.{name}: {value!r} is not a date (YYYY-MM-DD)",
                       place=f"query.{name}") from None

T = TypeVar("T")

DOCUMENT_PATH = Path(description="the document id (doc:…) or its number (双政发〔2024〕6号)",
                     examples=["双政发〔2024〕6号"], min_length=1, max_length=200)

MAX_PAGE = 200      # the same bound as queries.vocabulary.MAX_LIMIT
DEFAULT_PAGE = 50


class Paging:
    """`limit` and `offset` query parameters, bounded."""

    def __init__(self, limit: int = Query(DEFAULT_PAGE, ge=1, le=MAX_PAGE, description="page size (at most 200)"),
                 offset: int = Query(0, ge=0, le=1_000_000_000, description="items to skip")):
        self.limit, self.offset = limit, offset

    def page(self, rows: list, total: int | None = None) -> dict:
        """One page of an already ordered list.

        >>> p = Paging(limit=2, offset=1)
        >>> p.page(["a", "b", "c", "d"])
        {'items': ['b', 'c'], 'total': 4, 'limit': 2, 'offset': 1}
        """
        return {"items": rows[self.offset:self.offset + self.limit],
                "total": len(rows) if total is None else total, "limit": self.limit, "offset": self.offset}


async def run_bounded(timeout: float, fn: Callable[[], T]) -> T:
    """Run a blocking call in a worker thread; 504 if it takes longer than `timeout`.

    The thread cannot be killed, so on timeout it is abandoned and finishes on
    its own; the client gets its answer (an error) in time all the same.
    """
    try:
        with anyio.fail_after(timeout):
            return await anyio.to_thread.run_sync(fn, abandon_on_cancel=True)
    except TimeoutError:
        raise ApiError(504, "timeout", f"the backend did not answer within {timeout:g}s "
                       f"(DUTYGRAPH_QUERY_TIMEOUT); ask a narrower question or try again") from None


def service(request: Request) -> Service:
    return request.app.state.service


async def read(request: Request, fn: Callable[[Any], T]) -> T:
    """fn(backend) in a worker thread, bounded by the query timeout."""
    return await run_bounded(request.app.state.settings.query_timeout, lambda: service(request).read(fn))


async def change(request: Request, fn: Callable[[Service], T], timeout: float | None = None) -> T:
    """fn(service) — a load, a delete — in a worker thread, bounded by `timeout` (default: the query timeout)."""
    return await run_bounded(timeout or request.app.state.settings.query_timeout, lambda: fn(service(request)))


_bearer = HTTPBearer(auto_error=False, description="DUTYGRAPH_API_TOKEN; writes are disabled when it is empty")


def require_token(request: Request,
                  credentials: HTTPAuthorizationCredentials | None = Depends(_bearer)) -> None:
    """Writes need the configured bearer token; with none configured, writes are off (403)."""
    token = request.app.state.settings.api_token
    if not token:
        raise ApiError(403, "writes_disabled", "writes are disabled: set DUTYGRAPH_API_TOKEN on the server "
                       "to enable POST and DELETE")
    # compare_digest: the time taken must not tell how much of the token was right
    if credentials is None or not hmac.compare_digest(credentials.credentials.encode(), token.encode()):
        raise ApiError(401, "unauthorized", "send the write token as 'Authorization: Bearer <token>'",
                       headers={"WWW-Authenticate": "Bearer"})
