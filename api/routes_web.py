"""The web pages (api/web/) at `/` and `/ui/…`, their static files, and the review endpoint.

Pages are HTML answers to the same vocabulary questions as the JSON routes,
asked in a worker thread under the query timeout (routes_common.read); an
error becomes an HTML page with the status the JSON API would give.  They are
left out of the OpenAPI document, which describes the JSON API.

`POST /findings/{id}/review` is JSON and token-protected like POST /documents:
the findings page posts to it with the token the reviewer typed.
"""
from __future__ import annotations

import os
from datetime import date
from typing import Callable, Literal, Optional
from urllib.parse import quote

from fastapi import APIRouter, Depends, FastAPI, Path, Query, Request
from fastapi.responses import HTMLResponse, Response
from fastapi.staticfiles import StaticFiles
from pydantic import BaseModel, Field

from api.http_errors import ApiError, map_dutygraph_error, responses
from api.routes_common import parse_date, read, require_token
from api.routes_examples import example
from api.web import data
from api.web.layout import STATIC, dept_href, error_page
from api.web.pages_department import render_csv, render_department
from api.web.pages_document import render_document, render_provision
from api.web.pages_findings import STATUS_FILTER, render_findings
from api.web.pages_law import render_law, render_laws
from api.web.pages_search import render_departments, render_documents, render_home, render_search
from graph.errors import DutygraphError
from graph.review_store import ReviewStore, effective_status

STATIC_DIR = os.path.join(os.path.dirname(__file__), "web", "static")
FINDINGS_PAGE = 50

router = APIRouter()
_html = {"include_in_schema": False, "response_class": HTMLResponse}


def install(app: FastAPI) -> None:
    """Add the pages, the review endpoint and the static files to the app."""
    app.include_router(router)
    app.mount(STATIC, StaticFiles(directory=STATIC_DIR), name="static")


async def _page(request: Request, ask: Callable, render: Callable[[object], str]) -> HTMLResponse:
    try:
        answer = await read(request, ask)
    except DutygraphError as exc:
        status, _code, message, _place = map_dutygraph_error(exc)
        return HTMLResponse(error_page(status, message), status_code=status)
    except ApiError as exc:
        return HTMLResponse(error_page(exc.status, exc.message), status_code=exc.status)
    return HTMLResponse(render(answer))


def _today(value: Optional[str]) -> date:
    try:
        return parse_date(value, "today") or date.today()
    except ApiError:
        return date.today()      # a page does not fail on a mistyped date: it judges by today


# -- pages ------------------------------------------------------------------------------
@router.get("/", **_html)
async def search_page(request: Request, q: str = Query("", max_length=200)):
    q = q.strip()
    if not q:
        return await _page(request, data.home, render_home)
    return await _page(request, lambda backend: data.search(backend, q), render_search)


@router.get("/ui/departments", **_html)
async def departments_page(request: Request):
    from queries import vocabulary as vocab
    return await _page(request, vocab.departments, render_departments)


@router.get("/ui/departments/{department}", **_html)
async def department_page(request: Request, department: str = Path(max_length=200),
                          today: Optional[str] = Query(None, max_length=10)):
    day = _today(today)

    def render(answer):
        href = dept_href(answer["department"]["id"]) + "/obligations.csv" + (f"?today={day}" if today else "")
        return render_department(answer, day, href)
    return await _page(request, lambda backend: data.department(backend, department), render)


@router.get("/ui/departments/{department}/obligations.csv", include_in_schema=False)
async def department_csv(request: Request, department: str = Path(max_length=200),
                         today: Optional[str] = Query(None, max_length=10)):
    day = _today(today)
    try:
        answer = await read(request, lambda backend: data.department(backend, department))
    except DutygraphError as exc:
        status, _code, message, _place = map_dutygraph_error(exc)
        return HTMLResponse(error_page(status, message), status_code=status)
    name = f'{answer["department"]["name"]}-职责清单-{day.isoformat()}.csv'
    # filename* carries the Chinese name (RFC 6266); filename is the ASCII fallback for old clients.
    disposition = f"attachment; filename=\"obligations-{day.isoformat()}.csv\"; filename*=UTF-8''{quote(name)}"
    return Response(render_csv(answer, day).encode("utf-8"), media_type="text/csv; charset=utf-8",
                    headers={"Content-Disposition": disposition})


@router.get("/ui/documents", **_html)
async def documents_page(request: Request):
    from queries import vocabulary as vocab
    return await _page(request, vocab.documents, render_documents)


@router.get("/ui/documents/{document}", **_html)
async def document_page(request: Request, document: str = Path(max_length=200)):
    return await _page(request, lambda backend: data.document(backend, document), render_document)


@router.get("/ui/provisions/{provision_id}", **_html)
async def provision_page(request: Request, provision_id: str = Path(max_length=200)):
    return await _page(request, lambda backend: data.provision(backend, provision_id), render_provision)


@router.get("/ui/laws", **_html)
async def laws_page(request: Request):
    return await _page(request, data.laws, render_laws)


@router.get("/ui/laws/{law}", **_html)
async def law_page(request: Request, law: str = Path(max_length=200), place: str = Query("", max_length=100),
                   offset: int = Query(0, ge=0, le=1_000_000)):
    return await _page(request, lambda backend: data.law(backend, law, place, offset),
                       lambda answer: render_law(answer, offset))


@router.get("/ui/findings", **_html)
async def findings_page(request: Request,
                        type: str = Query("", max_length=60), severity: str = Query("", max_length=20),
                        department: str = Query("", max_length=200), document: str = Query("", max_length=200),
                        status: str = Query("", max_length=20), today: Optional[str] = Query(None, max_length=10),
                        offset: int = Query(0, ge=0, le=1_000_000)):
    settings = request.app.state.settings
    chosen = {"type": type, "severity": severity, "department": department, "document": document,
              "status": status if status in STATUS_FILTER else "", "today": today or "", "offset": 0}
    filters = {"types": [type] if type else None, "severity": severity or None,
               "department": department or None, "doc": document or None}
    marks_box: dict = {}

    def ask(backend):
        marks = marks_box.setdefault("marks", ReviewStore(settings.store).marks())
        keep = (lambda f: effective_status(f, marks)["status"] == chosen["status"]) if chosen["status"] \
            else (lambda _f: True)
        return data.findings(backend, filters, _today(today), offset, FINDINGS_PAGE, keep)
    return await _page(request, ask, lambda answer: render_findings(answer, marks_box["marks"], chosen,
                                                                    reviewable=bool(settings.api_token)))


# -- the review endpoint ---------------------------------------------------------------------
class ReviewIn(BaseModel):
    status: Literal["accepted", "dismissed", "resolved", "open"] = Field(
        description="accepted (a real problem), dismissed (not a problem: say why in `note`), resolved, "
                    "or open (clear the mark)")
    note: str = Field("", max_length=2000, description="why; required for a dismissal")


class ReviewOut(BaseModel):
    id: str
    status: str
    note: str
    evidence_hash: str = Field(description="the evidence the mark was made on; new evidence reopens a dismissal")
    at: str = Field(description="when (UTC, ISO 8601); empty when the mark was cleared")


_REVIEW_EXAMPLE = {"id": "finding:0dcb2085338c", "status": "dismissed", "note": "两单位分别牵头,系有意安排",
                   "evidence_hash": "79bb6ebd984df1f2", "at": "2025-01-01T08:00:00+00:00"}


@router.post("/findings/{finding_id}/review", response_model=ReviewOut, tags=["findings"],
             dependencies=[Depends(require_token)],
             summary="Mark a finding accepted, dismissed (with a note), resolved, or open again",
             description="Records a review mark on a finding, kept beside the store (graph/review_store.py) "
                         "with the evidence_hash of the finding as it is now: if its evidence changes later, a "
                         "dismissal is reopened.  A dismissal needs a note.  Example: `curl -H 'Authorization: "
                         "Bearer $TOKEN' -H 'Content-Type: application/json' -d '{\"status\":\"dismissed\","
                         "\"note\":\"有意安排\"}' http://127.0.0.1:8000/findings/finding:0dcb2085338c/review`.",
             responses={200: example(_REVIEW_EXAMPLE), **responses(400, 401, 403, 404, 422, 503, 504)})
async def review_finding(request: Request, body: ReviewIn,
                         finding_id: str = Path(min_length=9, max_length=200, pattern=r"^finding:",
                                                examples=["finding:0dcb2085338c"])):
    store_path = request.app.state.settings.store

    def mark(backend) -> dict:
        found = data.finding(backend, finding_id)       # NotFound → 404
        # ReviewStore.mark holds the store's write lock (threads and processes alike)
        entry = ReviewStore(store_path).mark(finding_id, body.status, body.note, found["evidence_hash"],
                                             reviewer="web")
        return {"id": finding_id, "status": entry["status"], "note": entry["note"],
                "evidence_hash": found["evidence_hash"], "at": entry["at"] if body.status != "open" else ""}
    return await read(request, mark)
