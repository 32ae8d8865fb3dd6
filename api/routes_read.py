"""Read-only routes: each asks queries.vocabulary one question and pages the answer.

No graph walking and no Cypher here: the vocabulary answers, the route only
validates parameters, resolves names, pages and reshapes.
"""
from __future__ import annotations

import datetime as dt
import json
from enum import Enum
from typing import Any, Optional

from fastapi import APIRouter, Depends, Path, Query, Request
from fastapi.responses import HTMLResponse

from api import routes_examples as ex
from api.http_errors import ApiError, responses
from api.routes_common import DOCUMENT_PATH, MAX_PAGE, Paging, date_query, parse_date, read
from api.routes_models import (Answer, Department, Document, Health, LawArticle, Obligations, Page,
                               Provision, ServiceItem)
from graph.errors import NotFound
from graph.schema import Role
from queries import vocabulary as vocab
from queries.findings_rules import MESSAGE_FIELDS, SEVERITIES

TYPES = tuple(MESSAGE_FIELDS)

router = APIRouter()

# Enums for the OpenAPI document: the finding types and severities dutygraph knows.
FindingType = Enum("FindingType", {t: t for t in TYPES}, type=str)
Severity = Enum("Severity", {s: s for s in SEVERITIES}, type=str)

_DEPT = Path(description="the store's id of the department (dept:…), or its name or any alias (市工信局)",
             examples=["市生态环境局"], min_length=1, max_length=200)


# -- departments ----------------------------------------------------------------
@router.get("/departments", response_model=Page[Department], tags=["departments"],
            summary="Departments with their duty counts by role",
            description="Every department that holds a duty, most duties first: canonical name, kind, "
                        "aliases and how many provisions it leads, is responsible for and supports.",
            responses={200: ex.example(ex.DEPARTMENTS), **responses(422, 503, 504)})
async def list_departments(request: Request, paging: Paging = Depends()):
    return paging.page(await read(request, vocab.departments))


@router.get("/departments/{department}", response_model=Department, tags=["departments"],
            summary="One department",
            description="A department by id, canonical name or alias, with its duty counts by role.",
            responses={200: ex.example(ex.DEPARTMENTS["items"][0]), **responses(404, 422, 503, 504)})
async def get_department(request: Request, department: str = _DEPT):
    def ask(backend):
        ref = _department(backend, department)
        return next(d for d in vocab.departments(backend) if d["id"] == ref["id"])
    return await read(request, ask)


@router.get("/departments/{department}/obligations", response_model=Obligations, tags=["departments"],
            summary="A department's obligations",
            description="The duties of one department in document order, filtered by role, document, "
                        "deadline (`before`/`after` compare the deadline date, inclusive) and `overdue` "
                        "(deadline date before `today`).  Duties without a dated deadline are left out "
                        "by the deadline filters.",
            responses={200: ex.example(ex.OBLIGATIONS), **responses(400, 404, 422, 503, 504)})
async def department_obligations(
        request: Request, department: str = _DEPT,
        role: Optional[Role] = Query(None, description="lead, responsible or supporting"),
        document: Optional[str] = Query(None, max_length=200, description="document id or number",
                                        examples=["双政发〔2024〕6号"]),
        before: Optional[str] = date_query("deadline on or before this date"),
        after: Optional[str] = date_query("deadline on or after this date"),
        overdue: bool = Query(False, description="only duties whose deadline date has passed"),
        today: Optional[str] = date_query("the date `overdue` is judged on (default: today)"),
        paging: Paging = Depends()):
    before, after, today = (parse_date(before, "before"), parse_date(after, "after"),
                            parse_date(today, "today"))
    latest = before
    if overdue:
        yesterday = (today or dt.date.today()) - dt.timedelta(days=1)
        latest = min(latest, yesterday) if latest else yesterday

    def ask(backend):
        ref = _department(backend, department)
        # The vocabulary bounds a page at 200: ask for what this page needs, then cut the offset.
        out = vocab.duties(backend, ref["name"], role=role.value if role else None, doc=document,
                           before=latest.isoformat() if latest else None,
                           after=after.isoformat() if after else None,
                           limit=min(paging.offset + paging.limit, MAX_PAGE))
        return {"department": ref, **paging.page(out["duties"], total=out["total"])}
    return await read(request, ask)


def _department(backend, key: str) -> dict:
    """A department by store id, else by name or alias (the vocabulary resolves aliases)."""
    if key.startswith("dept:"):
        for d in vocab.departments(backend):
            if d["id"] == key:
                return {k: d[k] for k in ("id", "name", "kind", "aliases")}
        raise NotFound(f"no department with id {key!r}; GET /departments lists them")
    return vocab.department(backend, key)


# -- search -----------------------------------------------------------------------
@router.get("/who", response_model=Page[Answer], tags=["search"],
            summary="Who is responsible for a topic",
            description="Provisions about a topic, best first (character bigrams scored with BM25), each "
                        "with the departments that hold it, their roles, conditions and the quote that "
                        "assigns the duty.  At most 200 answers are ranked; `total` counts those.",
            responses={200: ex.example(ex.WHO), **responses(400, 404, 422, 503, 504)})
async def who(request: Request,
              q: str = Query(..., min_length=1, max_length=200, examples=["秸秆禁烧"],
                             # the search needs a Chinese character, a letter or a digit to search for
                             pattern=r"[\u4e00-\u9fffA-Za-z0-9.]",
                             description="the topic, in Chinese (at least one Chinese character, letter "
                                         "or digit); a place named in it (嘉定区…) selects that place"),
              place: Optional[str] = Query(None, max_length=60, pattern=r"^[\u4e00-\u9fff]",
                                           examples=["上海市静安区"],
                                           description="only documents of this place and those above it; "
                                                       "404 when the national division table has no such place"),
              paging: Paging = Depends()):
    def ask(backend):
        # `total` is the same on every page: the answers there are, at most MAX_PAGE.  Counted by the
        # embedded store's index, only this page's answers are ranked (the search stops there).
        total = vocab.who_total(backend, q, place=place, limit=MAX_PAGE)
        if total is None:
            return paging.page(vocab.who(backend, q, limit=MAX_PAGE, place=place))
        end = min(paging.offset + paging.limit, MAX_PAGE)
        answers = vocab.who(backend, q, limit=end, place=place) if paging.offset < end else []
        return paging.page(answers, total=total)
    return await read(request, ask)


@router.get("/provisions/{provision_id}", response_model=Provision, tags=["provisions"],
            summary="One provision",
            description="A provision's text, its holders (own or inherited), the documents it cites, "
                        "its parent and its children.",
            responses={200: ex.example(ex.PROVISION), **responses(404, 422, 503, 504)})
async def get_provision(request: Request,
                        provision_id: str = Path(min_length=1, max_length=200, examples=["prov:67574647ff48"])):
    row = await read(request, lambda backend: vocab.provision(backend, provision_id))
    row["parent_id"] = row.get("parent_id") or None
    return row


# -- documents and what they list ------------------------------------------------------
@router.get("/documents", response_model=Page[Document], tags=["documents"],
            summary="Documents in the store", description="Every loaded document, by number.",
            responses={200: ex.example(ex.DOCUMENTS), **responses(422, 503, 504)})
async def list_documents(request: Request, paging: Paging = Depends()):
    return paging.page(await read(request, vocab.documents))


@router.get("/documents/{document}", response_model=Document, tags=["documents"],
            summary="One document", description="A document by id or number: issuer, date, source, "
                                                "how many provisions it has.",
            responses={200: ex.example(ex.DOCUMENTS["items"][0]), **responses(404, 422, 503, 504)})
async def get_document(request: Request, document: str = DOCUMENT_PATH):
    return await read(request, lambda backend: find_document(backend, document))


def find_document(backend, key: str) -> dict:
    return vocab.find_document(backend, key, hint="GET /documents lists them")


@router.get("/service-items", response_model=Page[ServiceItem], tags=["documents"],
            summary="Public services and 一件事 items",
            description="Service items listed in the documents' tables (一件事 lists, service lists), "
                        "optionally of one category.",
            responses={200: ex.example(ex.SERVICE_ITEMS), **responses(422, 503, 504)})
async def list_service_items(request: Request,
                             category: Optional[str] = Query(None, max_length=100, examples=["一件事"]),
                             paging: Paging = Depends()):
    rows = await read(request, vocab.service_items)
    rows = [{**r, "attributes": _attributes(r["attributes"])} for r in rows
            if category is None or r["category"] == category]
    return paging.page(rows)


def _attributes(value) -> dict:
    # The stores keep a row's columns as one JSON string (a property cannot be a map in Neo4j).
    return json.loads(value) if isinstance(value, str) and value else dict(value or {})


@router.get("/law-articles", response_model=Page[LawArticle], tags=["documents"],
            summary="Law articles the documents implement",
            description="Articles of laws named in law-article tables, with the provisions that assign them.",
            responses={200: ex.example(ex.LAW_ARTICLES), **responses(422, 503, 504)})
async def list_law_articles(request: Request, paging: Paging = Depends()):
    return paging.page(await read(request, vocab.law_articles))


# -- findings and the report -------------------------------------------------------------
class FindingFilters:
    """The filters of `dutygraph findings`, shared by /findings and /report."""

    def __init__(self,
                 type: Optional[list[FindingType]] = Query(None, description="only these types (repeatable)"),
                 department: Optional[str] = Query(None, max_length=200, description="a name or alias",
                                                   examples=["市城管局"]),
                 document: Optional[str] = Query(None, max_length=200, description="document number, title or id"),
                 severity: Optional[Severity] = Query(None, description="this severity and worse"),
                 today: Optional[str] = date_query("the date deadlines are judged on (default: today)")):
        self.today = parse_date(today, "today")
        self.filters = {"types": [t.value for t in type] if type else None, "department": department,
                        "doc": document, "severity": severity.value if severity else None}


@router.get("/findings", response_model=Page[dict[str, Any]], tags=["findings"],
            summary="Findings: duties held by nobody, by several leads, split, pending, overdue …",
            description="What the rules (ontology/rules.yaml) find in the store, in canonical order (severity, "
                        "type, id), with the filters of `dutygraph findings`: finding types, a department "
                        "(name or alias), a document (number, title or id), a severity (that one and worse) "
                        "and the date deadlines are judged on.",
            responses={200: ex.example(ex.FINDINGS), **responses(400, 422, 501, 503, 504)})
async def list_findings(request: Request, chosen: FindingFilters = Depends(), paging: Paging = Depends()):
    findings = _findings_module().findings
    rows = await read(request, lambda backend: findings(backend, today=chosen.today, **chosen.filters,
                                                                  stored=True))
    return paging.page(rows)


@router.get("/report", response_class=HTMLResponse, tags=["findings"],
            summary="The HTML report",
            description="The findings report as one self-contained HTML page (summary, overlap heatmap, "
                        "duties per department, deadline calendar, findings with their quotes and review "
                        "status, provision texts), with the filters of /findings.",
            responses={200: {"content": {"text/html": {"example": "<!DOCTYPE html><html lang=\"zh-CN\">…</html>"}}},
                       **responses(400, 422, 501, 503, 504)})
async def report(request: Request, chosen: FindingFilters = Depends()):
    try:
        from api.report import render_html
        from graph.review_store import ReviewStore
    except ImportError:
        raise ApiError(501, "not_implemented", "the report is not part of this build (api/report.py)") from None
    report_data = _findings_module().report_data
    store_path = request.app.state.settings.store

    def build(backend) -> str:
        data = report_data(backend, today=chosen.today, **chosen.filters)
        # Review marks live in a file beside the store (graph/review_store.py), whatever the backend.
        marks = ReviewStore(store_path).marks()
        return render_html(data["findings"], data["departments"], marks, data["provisions"],
                           calendar=data["calendar"], overlaps=data["overlaps"], today=data["today"])
    return HTMLResponse(await read(request, build))


def _findings_module():
    try:
        from queries import findings
    except ImportError:
        raise ApiError(501, "not_implemented", "findings are not part of this build (queries/findings.py)") from None
    return findings


# -- health ---------------------------------------------------------------------
@router.get("/health", response_model=Health, tags=["service"],
            summary="Is the backend reachable, and what it holds",
            description="200 with node counts when the backend answers; 503 in the error format when it "
                        "cannot be reached.",
            responses={200: ex.example(ex.HEALTH), **responses(503, 504)})
async def health(request: Request):
    counts = await read(request, vocab.stats)
    return {"status": "ok", "backend": request.app.state.settings.backend, "reachable": True,
            "counts": counts, "message": ""}
