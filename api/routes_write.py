"""Write routes: upload a document, delete a document.  Both need the bearer token.

An upload is read with the size cap, then decoded, checked and parsed
(service.loading.parse_bytes) before the store is touched, so a bad file is
refused with the parser's message and place and nothing written.  The write
goes through the service, as the CLI's loads do (service/writing.py says
what it promises on both backends).
"""
from __future__ import annotations

import os

from fastapi import APIRouter, Depends, Query, Request

from api import routes_examples as ex
from api.http_errors import ApiError, responses
from api.routes_common import DOCUMENT_PATH, change, require_token, run_bounded
from api.routes_models import Deleted, LoadSummary
from service.loading import parse_bytes

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
    result = await run_bounded(budget, lambda: parse_bytes(data, source))     # .txt, .md, .html or .docx
    return await change(request, lambda service: service.write_parsed(result), timeout=budget)


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
async def delete_document(request: Request, document: str = DOCUMENT_PATH):
    return {"deleted": await change(request, lambda service: service.delete_document(document, hint="GET /documents lists them"))}
