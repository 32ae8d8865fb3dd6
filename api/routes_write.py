"""Write routes: upload a document, delete a document.  Both need the bearer token.

An upload is read with the size cap, decoded and checked (loaders.reading)
and parsed (loaders.pipeline.load_text) before the store is touched, so a bad
file is refused with the parser's message and place and nothing written.
The write itself goes through the store's own write + save (one file swap,
or one Neo4j transaction for the upload's documents).
"""
from __future__ import annotations

import os

from fastapi import APIRouter, Depends, Query, Request

from api import routes_examples as ex
from api.app import run_bounded
from api.http_errors import ApiError, responses
from api.routes_common import read, require_token, write
from api.routes_models import Deleted, LoadSummary
from api.routes_read import _DOC, find_document
from loaders.pipeline import load_text
from loaders.reading import document_text

router = APIRouter(tags=["documents"])

_UPLOAD_BODY = {
    "requestBody": {
        "required": True,
        "description": "The document as text (UTF-8 or GB18030), as the raw request body.",
        "content": {
            "text/plain": {"schema": {"type": "string", "minLength": 1},
                           "example": "关于加强秸秆禁烧的通知\n\n(一)加强禁烧管控。(市生态环境局牵头,"
                                      "市农业农村局等按职责分工负责)\n"},
            "application/octet-stream": {"schema": {"type": "string", "format": "binary", "minLength": 1}},
        },
    }
}


def load_timeout(settings) -> float:
    """Parsing and writing a large document takes longer than a query: six query timeouts, at least 60 s."""
    return float(getattr(settings, "load_timeout", 0) or max(60.0, 6 * settings.query_timeout))


@router.post("/documents", status_code=201, response_model=LoadSummary, dependencies=[Depends(require_token)],
             summary="Upload and load a document",
             description="Loads the request body (a gazette or one document, UTF-8 or GB18030 text) into the "
                         "store; a document already there (same number) is replaced whole.  Example: "
                         "`curl -H 'Authorization: Bearer $TOKEN' --data-binary @gazette.txt "
                         "'http://127.0.0.1:8000/documents?name=gazette.txt'`.  A file over the size limit gets "
                         "413; one that is not a readable government document gets 422 with the parser's "
                         "message and place; a load that fails leaves the store unchanged.",
             openapi_extra=_UPLOAD_BODY,
             responses={201: ex.example(ex.UPLOADED), **responses(401, 403, 413, 422, 503, 504)})
async def upload_document(request: Request,
                          name: str = Query("upload.txt", min_length=1, max_length=200,
                                            description="file name to cite in messages and as the source",
                                            examples=["gazette.txt"])):
    settings = request.app.state.settings
    source = os.path.basename(name.replace("\\", "/")) or "upload.txt"
    data = await _body_within(request, settings.max_upload_bytes)
    budget = load_timeout(settings)
    result = await run_bounded(budget, lambda: _parse(data, source))
    created = await write(request, lambda store: store.write(result), timeout=budget)
    return {"documents": [{"id": d.id, "number": d.number, "title": d.title} for d in result.documents],
            "provisions": len(result.provisions), "departments": len({d.id for d in result.departments}),
            "assignments": len(result.assignments), "review": len(result.review), "warnings": result.warnings,
            "created_nodes": created["nodes"], "created_relationships": created["relationships"]}


def _parse(data: bytes, source: str):
    text = document_text(data, source)     # .txt, .md, .html or .docx
    result = load_text(text, source)
    if not result.documents:
        raise ApiError(422, "input_error", f"{source}: no document found in the text")
    return result


async def _body_within(request: Request, limit: int) -> bytes:
    """The request body, refused with 413 as soon as it is known to be over `limit` bytes."""
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > limit:
        raise _too_large(int(declared), limit)
    chunks, size = [], 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > limit:
            raise _too_large(size, limit)
        chunks.append(chunk)
    return b"".join(chunks)


def _too_large(size: int, limit: int) -> ApiError:
    return ApiError(413, "payload_too_large", f"the upload is over the limit of {limit} bytes (got {size} "
                    f"or more); split it, or raise DUTYGRAPH_MAX_BYTES on the server")


@router.delete("/documents/{document}", response_model=Deleted, dependencies=[Depends(require_token)],
               summary="Remove a document",
               description="Removes a document (by id or number) and everything derived from it: its "
                           "provisions, assignments, service items, targets, citations, and the departments "
                           "and law articles nothing else refers to.",
               responses={200: ex.example({"deleted": "doc:a1a23e5fdcb7"}),
                          **responses(401, 403, 404, 422, 503, 504)})
async def delete_document(request: Request, document: str = _DOC):
    doc = await read(request, lambda backend: find_document(backend, document))
    if not await write(request, lambda store: store.delete_document(doc["id"])):
        raise ApiError(404, "not_found", f"no document {document!r}; it may have just been deleted")
    return {"deleted": doc["id"]}
