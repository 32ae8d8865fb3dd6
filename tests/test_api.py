"""The HTTP API over the real app and real stores, one suite over both backends.

Each test speaks HTTP to `create_app(settings)` (httpx through Starlette's
TestClient, which runs the real ASGI app with its lifespan; one test starts
uvicorn on 127.0.0.1).  Answers are compared with what the query vocabulary
returns on the same store: the API must add paging and nothing else.

Neo4j runs when NEO4J_URI answers; if it does not, the Neo4j half fails in CI
(env CI set) and is skipped with the reason elsewhere.  The Neo4j database is
emptied first: point NEO4J_URI at a server for tests.
"""
from __future__ import annotations

import dataclasses
import os
import shutil
import socket
import sqlite3
import threading
import time

import httpx
import pytest
from fastapi.testclient import TestClient

from ontology import data_path
from api.app import create_app
from api.settings import load_settings
from graph.backends import open_backend
from service.service import load_files
from queries import vocabulary as vocab

SAMPLE = data_path("samples", "shuangyashan-gazette-2024-05.txt")
TOKEN = "test-token"
AUTH = {"Authorization": f"Bearer {TOKEN}"}
SMALL_DOC = ("双鸭山市人民政府办公室关于加强测试河道保洁工作的通知\n双政办发〔2099〕99号\n\n"
             "各县(区)人民政府,市政府各直属单位:\n"
             "一、加强河道保洁。每日清理河道漂浮物,建立巡查台账。(市水务局牵头,市城管局配合)\n"
             "二、加强测试河道垃圾清运。(市测试河道保洁中心负责)\n")


# -- stores ---------------------------------------------------------------------------
def _neo4j_settings(**overrides):
    settings = load_settings(backend="neo4j", **overrides)
    try:
        from graph.neo4j_backend import Neo4jStore
        store = Neo4jStore.connect(settings)
    except Exception as exc:     # ImportError or StoreError: either way there is no Neo4j to test
        reason = f"Neo4j at {settings.neo4j_uri} is not usable: {exc}"
        if os.environ.get("CI"):
            pytest.fail(reason + " (CI must test both backends)")
        pytest.skip(reason)
    try:
        backend = store.reads()
        for doc in vocab.documents(backend):
            store.delete_document(doc["id"])
    finally:
        store.close()
    return settings


@pytest.fixture(scope="module", params=["networkx", "sqlite", "neo4j"])
def loaded(request, tmp_path_factory):
    """Settings of a store holding the bundled sample gazette."""
    if request.param == "networkx":
        settings = load_settings(backend="networkx", store=str(tmp_path_factory.mktemp("nx") / "store.json"))
    elif request.param == "sqlite":
        settings = load_settings(backend="sqlite", store=str(tmp_path_factory.mktemp("sqlite") / "store.sqlite"))
    else:
        settings = _neo4j_settings()
    load_files([SAMPLE], settings)
    return settings


@pytest.fixture
def writable(loaded, tmp_path):
    """Like `loaded`, with a write token; the embedded store is a private copy the test may change."""
    settings = dataclasses.replace(loaded, api_token=TOKEN)
    if settings.backend == "networkx":
        shutil.copy(loaded.store, tmp_path / "store.json")
        settings = dataclasses.replace(settings, store=str(tmp_path / "store.json"))
    if settings.backend == "sqlite":
        source, copy = sqlite3.connect(loaded.store), sqlite3.connect(tmp_path / "store.sqlite")
        source.backup(copy)
        source.close()
        copy.close()
        settings = dataclasses.replace(settings, store=str(tmp_path / "store.sqlite"))
    return settings


@pytest.fixture
def client(loaded):
    with TestClient(create_app(loaded)) as c:
        yield c


def _vocab(settings, fn):
    store = open_backend(settings)
    try:
        return fn(store.reads())
    finally:
        store.close()


def _error(response, status: int, code: str) -> dict:
    assert response.status_code == status, response.text
    body = response.json()
    assert set(body) == {"error"} and set(body["error"]) == {"code", "message", "place"}
    assert body["error"]["code"] == code
    assert "Traceback" not in response.text
    return body["error"]


# -- reading -----------------------------------------------------------------------------
def test_departments_are_the_vocabulary_paged(client, loaded):
    expected = _vocab(loaded, vocab.departments)
    first = client.get("/departments", params={"limit": 5}).json()
    second = client.get("/departments", params={"limit": 5, "offset": 5}).json()
    assert (first["total"], first["limit"], first["offset"]) == (len(expected), 5, 0)
    assert first["items"] + second["items"] == expected[:10]
    env = next(d for d in expected if d["name"] == "市生态环境局")
    assert env["kind"] == "government" and "生态环境部门" in env["aliases"] and env["lead"] > 0


def test_chinese_is_sent_as_utf8_text(client):
    response = client.get("/departments/市生态环境局")
    assert response.headers["content-type"] == "application/json"
    assert "市生态环境局".encode() in response.content and b"\\u" not in response.content


def test_a_department_by_id_name_or_alias(client):
    by_alias = client.get("/departments/市工信局").json()
    assert by_alias["name"] == "市工业和信息化局"
    assert client.get(f"/departments/{by_alias['id']}").json() == by_alias
    assert client.get("/departments/市工业和信息化局").json() == by_alias
    assert "市不存在局" in _error(client.get("/departments/市不存在局"), 404, "not_found")["message"]
    _error(client.get("/departments/dept:000000000000"), 404, "not_found")


def test_obligations_with_filters(client, loaded):
    full = _vocab(loaded, lambda b: vocab.duties(b, "市生态环境局"))
    page = client.get("/departments/生态环境部门/obligations", params={"limit": 200}).json()
    assert page["department"]["name"] == "市生态环境局"
    assert page["total"] == full["total"] and page["items"] == full["duties"]
    leads = client.get("/departments/市生态环境局/obligations", params={"role": "lead"}).json()
    assert leads["items"] and {d["role"] for d in leads["items"]} == {"lead"}
    doc = client.get("/departments/市生态环境局/obligations", params={"document": "双政发〔2024〕6号"}).json()
    assert doc["items"] and {d["doc_number"] for d in doc["items"]} == {"双政发〔2024〕6号"}
    _error(client.get("/departments/市生态环境局/obligations", params={"role": "boss"}), 422, "validation_error")


def test_obligations_carry_the_targets_their_provisions_set(client, loaded):
    # 双政发〔2024〕6号 (10) 严格合理控制煤炭消费总量: "到2025年,全市煤炭消费比重下降到70%"
    text = open(SAMPLE, encoding="utf-8").read()
    items = client.get("/departments/市生态环境局/obligations",
                       params={"document": "双政发〔2024〕6号", "limit": 200}).json()["items"]
    coal = next(d for d in items if d["unit"] == "(10)")
    assert [(t["value"], t["unit"], t["year"]) for t in coal["targets"]] == [("70", "%", "2025")]
    assert coal["targets"][0]["quote"] == "到2025年,全市煤炭消费比重下降到70%"
    with_targets = [d for d in items if d["targets"]]
    assert len(with_targets) >= 5
    for t in (t for d in with_targets for t in d["targets"]):
        assert text[t["span"][0]:t["span"][1]] == t["quote"]
    assert not next(d for d in items if d["unit"] == "(11)")["targets"]


def test_deadline_filters_and_overdue(client, loaded):
    dated = [d for d in _vocab(loaded, lambda b: vocab.duties(b, "各县(区)人民政府"))["duties"] if d["deadline_date"]]
    assert dated, "the sample has dated deadlines for the counties"
    url = "/departments/各县(区)人民政府/obligations"
    before = client.get(url, params={"before": "2024-12-31", "limit": 200}).json()["items"]
    assert before == [d for d in dated if d["deadline_date"] <= "2024-12-31"]
    after = client.get(url, params={"after": "2025-01-01", "limit": 200}).json()["items"]
    assert after == [d for d in dated if d["deadline_date"] >= "2025-01-01"]
    overdue = client.get(url, params={"overdue": "true", "today": "2024-12-31", "limit": 200}).json()["items"]
    assert overdue == [d for d in dated if d["deadline_date"] < "2024-12-31"]
    _error(client.get(url, params={"before": "31.12.2024"}), 422, "validation_error")


def test_who_ranks_provisions_with_holders(client, loaded):
    body = client.get("/who", params={"q": "秸秆禁烧", "limit": 3}).json()
    assert body["items"] == _vocab(loaded, lambda b: vocab.who(b, "秸秆禁烧", limit=3))
    top = body["items"][0]
    assert (top["doc_number"], top["unit"]) == ("双政发〔2024〕6号", "(20)")
    assert {"市生态环境局", "市农业农村局", "市发展改革委", "市气象局"} <= {h["department"] for h in top["holders"]}
    assert all(h["quote"] and len(h["span"]) == 2 for h in top["holders"])
    second_page = client.get("/who", params={"q": "秸秆禁烧", "limit": 2, "offset": 1}).json()
    assert second_page["items"] == body["items"][1:3] and second_page["total"] == body["total"]


def test_who_refuses_what_it_cannot_answer(client):
    _error(client.get("/who"), 422, "validation_error")
    assert _error(client.get("/who", params={"q": ""}), 422, "validation_error")["place"] == "query.q"
    assert _error(client.get("/who", params={"q": "!!"}), 422, "validation_error")["place"] == "query.q"
    _error(client.get("/who", params={"q": "秸秆", "limit": 201}), 422, "validation_error")


def test_provision_with_parent_children_and_citations(client):
    top = client.get("/who", params={"q": "秸秆禁烧", "limit": 1}).json()["items"][0]
    prov = client.get(f"/provisions/{top['provision_id']}").json()
    assert prov["text"] == top["text"] and prov["holders"] == top["holders"]
    parent = client.get(f"/provisions/{prov['parent_id']}").json()
    assert top["provision_id"] in parent["children"]
    assert "search_text" not in prov and prov["citations"] == []
    _error(client.get("/provisions/prov:000000000000"), 404, "not_found")


def test_documents_by_id_and_number(client, loaded):
    expected = _vocab(loaded, vocab.documents)
    assert client.get("/documents").json() == {"items": expected, "total": 7, "limit": 50, "offset": 0}
    air = next(d for d in expected if d["number"] == "双政发〔2024〕6号")
    assert client.get("/documents/双政发〔2024〕6号").json() == air
    assert client.get(f"/documents/{air['id']}").json() == air
    _error(client.get("/documents/双政发〔1999〕1号"), 404, "not_found")


def test_service_items_and_law_articles(client, loaded):
    items = client.get("/service-items", params={"category": "一件事", "limit": 200}).json()["items"]
    restaurant = next(i for i in items if i["name"].startswith("开办餐饮店"))
    assert "食品经营许可" in restaurant["attributes"]["具体事项"]
    assert {i["category"] for i in items} == {"一件事"}
    articles = client.get("/law-articles", params={"limit": 200}).json()
    assert articles["items"] == _vocab(loaded, vocab.law_articles)
    assert {a["law"] for a in articles["items"]} == {"中华人民共和国噪声污染防治法"}


def test_findings_with_filters(client, loaded):
    from queries.findings import findings
    expected = _vocab(loaded, lambda b: findings(b, today="2025-01-01"))
    body = client.get("/findings", params={"today": "2025-01-01", "limit": 200}).json()
    assert body["total"] == len(expected) and body["items"] == expected[:200]
    high = client.get("/findings", params={"today": "2025-01-01", "severity": "high", "limit": 200}).json()
    assert high["items"] == _vocab(loaded, lambda b: findings(b, today="2025-01-01", severity="high"))[:200]
    _error(client.get("/findings", params={"type": "no_such_type"}), 422, "validation_error")


def test_report_is_html(client):
    response = client.get("/report", params={"today": "2025-01-01"})
    assert response.status_code == 200 and response.headers["content-type"].startswith("text/html")
    assert response.text.startswith("<!DOCTYPE html>") and "截至 2025-01-01" in response.text
    only_high = client.get("/report", params={"today": "2025-01-01", "severity": "high"}).text
    assert len(only_high) < len(response.text)


def test_health_reports_counts(client, loaded):
    body = client.get("/health").json()
    assert body == {"status": "ok", "backend": loaded.backend, "reachable": True,
                    "counts": _vocab(loaded, vocab.stats), "message": ""}


def test_openapi_describes_every_endpoint_with_an_example(client):
    spec = client.get("/openapi.json").json()
    operations = [(path, method, op) for path, ops in spec["paths"].items() for method, op in ops.items()]
    assert {(p, m) for p, m, _ in operations} >= {
        ("/departments", "get"), ("/departments/{department}/obligations", "get"), ("/who", "get"),
        ("/provisions/{provision_id}", "get"), ("/documents", "get"), ("/documents/{document}", "get"),
        ("/service-items", "get"), ("/law-articles", "get"), ("/findings", "get"), ("/report", "get"),
        ("/health", "get"), ("/documents", "post"), ("/documents/{document}", "delete")}
    for path, method, op in operations:
        assert op.get("description"), (path, method)
        ok = op["responses"].get("200") or op["responses"]["201"]
        assert any("example" in c for c in ok["content"].values()), (path, method)


# -- errors, limits, configuration ------------------------------------------------------------------
def test_every_error_has_the_stable_shape(client):
    _error(client.get("/nowhere"), 404, "not_found")
    _error(client.post("/who"), 405, "method_not_allowed")
    assert _error(client.get("/departments", params={"limit": "many"}), 422, "validation_error")["place"] == \
        "query.limit"


def test_a_bug_is_a_500_without_a_trace(loaded, monkeypatch):
    def broken(_backend):
        raise RuntimeError("secret internals")
    monkeypatch.setattr(vocab, "departments", broken)
    with TestClient(create_app(loaded), raise_server_exceptions=False) as c:
        response = c.get("/departments")
    assert "secret" not in _error(response, 500, "internal_error")["message"]


def test_a_slow_backend_call_is_a_504(loaded):
    with TestClient(create_app(dataclasses.replace(loaded, query_timeout=1e-9))) as c:
        assert "DUTYGRAPH_QUERY_TIMEOUT" in _error(c.get("/departments"), 504, "timeout")["message"]


def test_an_unreachable_store_is_a_503(tmp_path):
    broken = tmp_path / "store.json"
    broken.write_text("{not json", encoding="utf-8")
    with TestClient(create_app(load_settings(backend="networkx", store=str(broken)))) as c:
        assert "cannot read the store" in _error(c.get("/health"), 503, "store_unavailable")["message"]
    settings = load_settings(backend="neo4j", neo4j_uri="bolt://127.0.0.1:1")
    with TestClient(create_app(settings)) as c:
        _error(c.get("/health"), 503, "store_unavailable")


def test_cors_is_off_unless_configured(loaded):
    import dataclasses
    with TestClient(create_app(dataclasses.replace(loaded, cors_origins=""))) as c:
        assert "access-control-allow-origin" not in c.get("/health", headers={"Origin": "https://x.org"}).headers
    with TestClient(create_app(dataclasses.replace(loaded, cors_origins="https://x.org"))) as c:
        response = c.get("/health", headers={"Origin": "https://x.org"})
        assert response.headers["access-control-allow-origin"] == "https://x.org"


# -- writing ----------------------------------------------------------------------------------
def test_writes_need_the_configured_token(client, writable):
    _error(client.post("/documents", content=SMALL_DOC.encode(), headers=AUTH), 403, "writes_disabled")
    _error(client.delete("/documents/双政发〔2024〕6号", headers=AUTH), 403, "writes_disabled")
    with TestClient(create_app(writable)) as c:
        response = c.post("/documents", content=SMALL_DOC.encode(), headers={"Authorization": "Bearer wrong"})
        _error(response, 401, "unauthorized")
        assert response.headers["www-authenticate"] == "Bearer"
        _error(c.delete("/documents/双政发〔2024〕6号"), 401, "unauthorized")


def test_upload_then_delete(writable):
    with TestClient(create_app(writable)) as c:
        before = c.get("/health").json()["counts"]
        response = c.post("/documents", params={"name": "river.txt"}, content=SMALL_DOC.encode("gb18030"),
                          headers=AUTH)
        assert response.status_code == 201, response.text
        loaded = response.json()
        assert [d["number"] for d in loaded["documents"]] == ["双政办发〔2099〕99号"]
        assert loaded["assignments"] >= 3
        doc_id = loaded["documents"][0]["id"]
        assert c.get(f"/documents/{doc_id}").json()["source"] == "river.txt"
        top = c.get("/who", params={"q": "河道漂浮物", "limit": 1}).json()["items"][0]
        assert {(h["department"], h["role"]) for h in top["holders"]} == {("市水务局", "lead"),
                                                                         ("市城管局", "supporting")}
        assert c.delete(f"/documents/{doc_id}", headers=AUTH).json() == {"deleted": doc_id}
        _error(c.get(f"/documents/{doc_id}"), 404, "not_found")
        _error(c.delete(f"/documents/{doc_id}", headers=AUTH), 404, "not_found")
        assert c.get("/health").json()["counts"] == before


def test_upload_a_pdf(writable):
    """POST /documents takes a PDF as it takes text: its table rows become assignments."""
    path = os.path.join(os.path.dirname(__file__), "data", "pdf", "task-table-tab.pdf")
    with open(path, "rb") as handle:
        data = handle.read()
    with TestClient(create_app(writable)) as c:
        response = c.post("/documents", params={"name": "task-table-tab.pdf"}, content=data, headers=AUTH)
        assert response.status_code == 201, response.text
        assert [d["number"] for d in response.json()["documents"]] == ["临政办函〔2025〕21号"]
        top = c.get("/who", params={"q": "政务云平台", "limit": 1}).json()["items"][0]
        assert top["unit"] == "附件/4"
        assert {(h["department"], h["role"]) for h in top["holders"]} == {("临江市大数据中心", "lead"),
                                                                         ("临江市财政局", "responsible")}
        # the page it came from, in the API and on the web page (a text file's provisions have none)
        assert c.get(f"/provisions/{top['provision_id']}").json()["page"] == 1
        assert "(PDF 第 1 页)" in c.get(f"/ui/provisions/{top['provision_id']}").text
        scanned = os.path.join(os.path.dirname(path), "scanned.pdf")
        with open(scanned, "rb") as handle:
            error = _error(c.post("/documents", params={"name": "scanned.pdf"}, content=handle.read(), headers=AUTH),
                           422, "input_error")
        assert error["place"] == "page 1" and "scanned" in error["message"]


def test_bad_uploads_are_refused_with_the_place(writable):
    with TestClient(create_app(dataclasses.replace(writable, max_upload_bytes=1000))) as c:
        before = c.get("/health").json()["counts"]
        _error(c.post("/documents", content=b"x" * 1001, headers=AUTH), 413, "payload_too_large")
        binary = c.post("/documents", params={"name": "photo.png"}, content=b"\x89PNG\r\n\x1a\n\x00\x01",
                        headers=AUTH)
        error = _error(binary, 422, "input_error")
        assert error["place"] == "byte 8" and error["message"].startswith("photo.png: this is a binary file")
        broken = c.post("/documents", params={"name": "scan.pdf"}, content=b"%PDF-1.7\n\x00\x01", headers=AUTH)
        assert _error(broken, 422, "input_error")["message"].startswith("scan.pdf: this is not a readable PDF")
        bad_bytes = "第一行\n第二行".encode() + b"\xff\xfe\xfa\n"
        assert _error(c.post("/documents", content=bad_bytes, headers=AUTH), 422, "input_error")["place"] \
            == "line 2, byte 19"
        _error(c.post("/documents", content="hello world".encode(), headers=AUTH), 422, "input_error")
        assert c.get("/health").json()["counts"] == before


def test_a_failed_load_leaves_the_store_unchanged(writable, monkeypatch):
    if writable.backend == "networkx":
        def boom(*_):
            raise OSError("disk full")
        monkeypatch.setattr(os, "fsync", boom)
        file_before = open(writable.store, "rb").read()
    else:
        from graph.neo4j_backend import Neo4jStore
        from graph.sqlite_backend import SqliteStore

        def boom(*_args):
            raise RuntimeError("connection lost half-way")
        # fails after the document's old version was deleted and its new one written
        monkeypatch.setattr(Neo4jStore if writable.backend == "neo4j" else SqliteStore, "_prune_orphans",
                            staticmethod(boom))
    with TestClient(create_app(writable), raise_server_exceptions=False) as c:
        before = (c.get("/health").json(), c.get("/documents").json())
        sample = open(SAMPLE, "rb").read()
        response = c.post("/documents", content=sample.replace("秸秆".encode(), "稻草".encode()), headers=AUTH)
        # a disk that cannot be written is the store's trouble (503); a crash mid-transaction is ours (500)
        assert response.status_code == (503 if writable.backend == "networkx" else 500)
        assert "Traceback" not in response.text
        assert (c.get("/health").json(), c.get("/documents").json()) == before
        assert c.get("/who", params={"q": "秸秆禁烧", "limit": 1}).json()["items"][0]["unit"] == "(20)"
    if writable.backend == "networkx":
        assert open(writable.store, "rb").read() == file_before


# -- serving ----------------------------------------------------------------------------
def test_serve_command_defaults_and_a_real_server(loaded):
    import argparse

    import uvicorn

    from api.cli_serve import add_serve_parser
    parser = argparse.ArgumentParser()
    add_serve_parser(parser.add_subparsers(dest="command"), argparse.ArgumentParser(add_help=False))
    args = parser.parse_args(["serve"])
    assert (args.host, args.port) == ("127.0.0.1", 8000)

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    server = uvicorn.Server(uvicorn.Config(create_app(loaded), host="127.0.0.1", port=port, log_level="error"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    try:
        deadline = time.monotonic() + 10
        while not server.started and time.monotonic() < deadline:
            time.sleep(0.05)
        response = httpx.get(f"http://127.0.0.1:{port}/who", params={"q": "尾矿库", "limit": 1}, timeout=10)
        assert response.status_code == 200 and response.json()["items"]
    finally:
        server.should_exit = True
        thread.join(10)
