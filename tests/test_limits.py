"""The limits of loaders/limits.py and the upload's one wall-clock budget, on real files over HTTP.

Each limit is set (through the settings, as a server would be configured) just
below what a real file needs: the file is refused with a message naming it and
the place, the store is unchanged, and at the file's own size it loads.  The
budget test sets DUTYGRAPH_LOAD_TIMEOUT below the time the bundled sample takes
to parse: the answer is 504, the store file is byte-identical, and no parse
worker is left running (read from /proc).
"""
from __future__ import annotations

import dataclasses
import os
import shutil
import zipfile

import pytest
from fastapi.testclient import TestClient

from ontology import data_path
from api.app import create_app
from api.cli import main
from api.settings import load_settings
from graph.errors import OutOfTime
from graph.locking import store_lock
from service.deadline import Deadline
from service.service import load_files
from service.writing import writing

SAMPLE = data_path("samples", "shuangyashan-gazette-2024-05.txt")
DATA = os.path.join(os.path.dirname(__file__), "data")
TOKEN = "limits-token"
AUTH = {"Authorization": f"Bearer {TOKEN}"}


@pytest.fixture(scope="module", params=["networkx", "sqlite"])
def sample_store(request, tmp_path_factory):
    name = "store.json" if request.param == "networkx" else "store.sqlite"
    settings = load_settings(backend=request.param, store=str(tmp_path_factory.mktemp(request.param) / name),
                             api_token=TOKEN)
    load_files([SAMPLE], settings)
    return settings


@pytest.fixture
def store(sample_store, tmp_path):
    """A private copy of a store holding the sample (the store is closed: a file copy is the store)."""
    copy = tmp_path / os.path.basename(sample_store.store)
    shutil.copy(sample_store.store, copy)
    return dataclasses.replace(sample_store, store=str(copy))


def _read(path: str) -> bytes:
    with open(path, "rb") as handle:
        return handle.read()


def _error(response, status: int, code: str) -> dict:
    assert response.status_code == status, response.text
    error = response.json()["error"]
    assert error["code"] == code and "Traceback" not in response.text
    return error


def _upload(client, path: str):
    return client.post("/documents", params={"name": os.path.basename(path)}, content=_read(path), headers=AUTH)


# -- the limits --------------------------------------------------------------------------------
def test_a_file_one_byte_over_the_size_limit(store, tmp_path, capsys, monkeypatch):
    path = os.path.join(DATA, "division-of-duties.txt")
    size = os.path.getsize(path)
    before = _read(store.store)
    with TestClient(create_app(dataclasses.replace(store, max_upload_bytes=size - 1))) as c:
        error = _error(_upload(c, path), 413, "payload_too_large")
        assert f"over the limit of {size - 1} bytes" in error["message"] and "DUTYGRAPH_MAX_BYTES" in error["message"]
    assert _read(store.store) == before
    # the CLI reads the same limit from the environment, and names the file
    with monkeypatch.context() as env:
        env.setenv("DUTYGRAPH_MAX_BYTES", str(size - 1))
        assert main(["load", "--store", store.store, "--backend", store.backend, path]) == 2
    assert f"division-of-duties.txt: the file is {size} bytes, over the limit of {size - 1}" in capsys.readouterr().err
    assert _read(store.store) == before
    with TestClient(create_app(dataclasses.replace(store, max_upload_bytes=size))) as c:
        assert _upload(c, path).status_code == 201


def test_a_word_file_whose_text_unpacks_past_the_limit(store):
    path = os.path.join(DATA, "other-city-word.docx")
    with zipfile.ZipFile(path) as archive:
        xml_size = archive.getinfo("word/document.xml").file_size
    before = _read(store.store)
    with TestClient(create_app(dataclasses.replace(store, max_docx_xml_bytes=xml_size - 1))) as c:
        error = _error(_upload(c, path), 422, "input_error")
        assert error["place"] == "word/document.xml"
        assert error["message"].startswith(f"other-city-word.docx: the Word file unpacks to more than "
                                           f"{xml_size - 1} bytes of text")
        assert "DUTYGRAPH_MAX_DOCX_XML_BYTES" in error["message"]
    assert _read(store.store) == before
    with TestClient(create_app(dataclasses.replace(store, max_docx_xml_bytes=xml_size))) as c:
        assert _upload(c, path).status_code == 201


def test_a_pdf_of_more_pages_than_the_limit(store):
    path = os.path.join(DATA, "pdf", "gazette-air-plan.pdf")       # 8 pages
    before = _read(store.store)
    with TestClient(create_app(dataclasses.replace(store, max_pdf_pages=7))) as c:
        error = _error(_upload(c, path), 422, "input_error")
        assert error["place"] == "page 8"
        assert error["message"].startswith("gazette-air-plan.pdf: the PDF has 8 pages, over the limit of 7")
        assert "DUTYGRAPH_MAX_PDF_PAGES" in error["message"]
    assert _read(store.store) == before
    with TestClient(create_app(dataclasses.replace(store, max_pdf_pages=8))) as c:
        assert _upload(c, path).status_code == 201


def test_every_limit_is_a_setting_from_the_environment(monkeypatch):
    monkeypatch.setenv("DUTYGRAPH_MAX_PDF_PAGES", "12")
    monkeypatch.setenv("DUTYGRAPH_MAX_DOCX_XML_BYTES", "4096")
    monkeypatch.setenv("DUTYGRAPH_LOAD_TIMEOUT", "7.5")
    settings = load_settings()
    assert (settings.max_pdf_pages, settings.max_docx_xml_bytes, settings.load_timeout) == (12, 4096, 7.5)
    monkeypatch.setenv("DUTYGRAPH_MAX_PDF_PAGES", "many")
    from loaders import limits
    with pytest.raises(ValueError, match="DUTYGRAPH_MAX_PDF_PAGES='many': a limit is a whole number"):
        limits.value("max_pdf_pages")


# -- the upload's budget ----------------------------------------------------------------------
def _descendants(pid: int) -> set[int]:
    """Every process under `pid`, from /proc (children of children included)."""
    parents = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/stat") as handle:
                    stat = handle.read()
            except OSError:
                continue              # it ended while we looked
            parents[int(entry)] = int(stat.rsplit(")", 1)[1].split()[1])
    found, frontier = set(), {pid}
    while frontier:
        frontier = {p for p, parent in parents.items() if parent in frontier} - found
        found |= frontier
    return found


def test_an_upload_over_its_budget_is_a_504_that_stops_the_parse_and_writes_nothing(store):
    small = os.path.join(DATA, "division-of-duties.txt")
    with TestClient(create_app(store)) as c:
        assert _upload(c, small).status_code == 201         # starts the parse workers' forkserver
    idle = _descendants(os.getpid())                         # the forkserver and its helpers, no worker
    before = _read(store.store)
    # the bundled sample (160 KB) takes far longer than 0.1 s to parse
    with TestClient(create_app(dataclasses.replace(store, load_timeout=0.1))) as c:
        health = c.get("/health").json()
        sample = _read(SAMPLE).replace("秸秆".encode(), "稻草".encode())
        error = _error(c.post("/documents", params={"name": "gazette.txt"}, content=sample, headers=AUTH),
                       504, "timeout")
        assert error["message"].startswith("the upload did not finish within 0.1s (it ran out while parsing); "
                                           "nothing was written")
        assert "DUTYGRAPH_LOAD_TIMEOUT" in error["message"]
        assert _descendants(os.getpid()) == idle             # the worker was killed, not left running
        assert c.get("/health").json() == health
    assert _read(store.store) == before
    # the same upload within the default budget loads
    with TestClient(create_app(store)) as c:
        assert c.post("/documents", params={"name": "gazette.txt"}, content=sample, headers=AUTH).status_code == 201
    assert _read(store.store) != before


def test_an_upload_that_waits_for_the_lock_past_its_budget_is_a_504(store):
    """Another writer (here: this test) holds the store's write lock the whole time."""
    before = _read(store.store)
    with TestClient(create_app(dataclasses.replace(store, load_timeout=3))) as c, store_lock(store.store):
        error = _error(_upload(c, os.path.join(DATA, "division-of-duties.txt")), 504, "timeout")
        assert "(it ran out while waiting for the store's write lock)" in error["message"]
    assert _read(store.store) == before


def test_a_write_past_its_deadline_saves_nothing(store):
    before = _read(store.store)
    # the lock is free, so the body runs: the document is deleted in the open store, never saved
    with pytest.raises(OutOfTime, match=r"within 0s \(it ran out while writing\)"):
        with writing(store, deadline=Deadline(0, "DUTYGRAPH_LOAD_TIMEOUT")) as opened:
            opened.delete_document(opened.reads().documents()[0].id)
    assert _read(store.store) == before
