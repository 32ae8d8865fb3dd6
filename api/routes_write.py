"""Write routes: upload a document, delete a document.  Both need the bearer token.

An upload is read with the size cap, then decoded, checked and parsed
(service.loading.parse_bytes) before the store is touched, so a bad file is
refused with the parser's message and place and nothing written.  The write
goes through the service, as the CLI's loads do (service/writing.py says
what it promises on both backends).

One wall-clock budget (DUTYGRAPH_LOAD_TIMEOUT) covers the whole request:
reading the body, parsing (in a child process killed when the budget runs
out: service/parse_worker.py) and writing (checked before the save).  Past
it the answer is 504 and the store is as it was.
"""
from __future__ import annotations

import os

import anyio
from fastapi import APIRouter, Depends, Query, Request

from api import routes_examples as ex
from api.http_errors import ApiError, responses
from api.routes_common import DOCUMENT_PATH, change, require_token, service
from api.routes_models import Deleted, LoadSummary
from api.settings import loader_limits
from service.deadline import Deadline
from service.parse_worker import parse_within

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


@router.post("/documents", status_code=201, response_model=LoadSummary, dependencies=[Depends(require_token)],
             summary="Upload and load a document",
             description="Loads the request body (a gazette or one document, UTF-8 or GB18030 text) into the "
                         "store; a document already there (same number) is replaced whole.  Example: "
                         "`curl -H 'Authorization: Bearer $TOKEN' --data-binary @gazette.txt "
                         "'http://127.0.0.1:8000/documents?name=gazette.txt'`.  A file over the size limit gets "
                         "413; one that is not a readable government document gets 422 with the parser's "
                         "message and place; a load that fails leaves the store unchanged.  Reading, parsing "
                         "and writing share one budget (DUTYGRAPH_LOAD_TIMEOUT): past it the parse is stopped, "
                         "nothing is written, and the answer is 504.",
             openapi_extra=_UPLOAD_BODY,
             responses={201: ex.example(ex.UPLOADED), **responses(401, 403, 413, 422, 503, 504)})
async def upload_document(request: Request,
                          name: str = Query("upload.txt", min_length=1, max_length=200,
                                            description="file name to cite in messages and as the source",
                                            examples=["gazette.txt"])):
    settings = request.app.state.settings
    deadline = Deadline(settings.load_timeout, "DUTYGRAPH_LOAD_TIMEOUT")
    source = os.path.basename(name.replace("\\", "/")) or "upload.txt"
    with anyio.move_on_after(deadline.remaining()) as reading:
        data = await _body_within(request, settings.max_upload_bytes)
    if reading.cancelled_caught:
        raise deadline.out_of_time("reading the request body")
    # Both calls below end by themselves within the budget (the parse is killed, the write checks it
    # before saving), so they are awaited to the end: no thread is abandoned, still working.
    result = await anyio.to_thread.run_sync(                  # .txt, .md, .html, .docx or .pdf
        lambda: parse_within(data, source, loader_limits(settings), deadline, settings.max_parse_workers))
    return await anyio.to_thread.run_sync(lambda: service(request).write_parsed(result, deadline))


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
