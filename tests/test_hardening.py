"""Hardening: what a killed save leaves, the store's file mode, what a client learns of the
server's files, CSV cells a spreadsheet would run, and the security headers.

Real files, the real CLI and the real app (Starlette's TestClient); exact assertions.
"""
from __future__ import annotations

import base64
import csv
import hashlib
import io
import json
import os
import re
import stat

from fastapi.testclient import TestClient

from ontology import data_path
from api.app import create_app
from api.cli import main
from api.report_template import CSS
from api.settings import load_settings
from service.service import load_files

SAMPLE = data_path("samples", "shuangyashan-gazette-2024-05.txt")
FORMULA_DOC = ("双鸭山市人民政府办公室关于加强测试河道保洁工作的通知\n双政办发〔2099〕99号\n\n"
               "各县(区)人民政府,市政府各直属单位:\n"
               "一、加强河道保洁。每日清理河道漂浮物。(=市水务局牵头,市城管局配合)\n")
HYPERLINK = '=HYPERLINK("http://evil.example","点击")'


def _settings(tmp_path, **kw):
    return load_settings(store=str(tmp_path / "store.json"), backend="networkx", **kw)


# -- a killed save -------------------------------------------------------------------------
def test_the_next_save_removes_the_temp_files_a_killed_save_left(tmp_path):
    settings = _settings(tmp_path)
    load_files([SAMPLE], settings)
    stale = [tmp_path / ".store.json.4242.k1ll3d.tmp", tmp_path / ".store.json.reviews.json.4242.k1ll3d.tmp"]
    others = [tmp_path / ".other.json.4242.x.tmp", tmp_path / "notes.tmp"]
    for f in stale + others:
        f.write_text("half a store")
    load_files([SAMPLE], settings)                              # saves store.json only
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(
        ["store.json", "store.json.lock", ".store.json.reviews.json.4242.k1ll3d.tmp", *(p.name for p in others)])


def test_a_save_keeps_the_file_mode_of_the_store(tmp_path):
    settings = _settings(tmp_path)
    load_files([SAMPLE], settings)
    os.chmod(settings.store, 0o644)
    load_files([SAMPLE], settings)
    assert stat.S_IMODE(os.stat(settings.store).st_mode) == 0o644


# -- what a client sees of the server's files -------------------------------------------------
def test_a_broken_store_is_a_503_that_names_the_file_not_its_path(tmp_path):
    settings = _settings(tmp_path)
    with open(settings.store, "w", encoding="utf-8") as handle:
        handle.write("{not json")
    with TestClient(create_app(settings)) as client:
        answers = [client.get("/health"), client.get("/ui/documents")]
    assert [a.status_code for a in answers] == [503, 503]
    message = answers[0].json()["error"]["message"]
    assert message.startswith("store.json: cannot read the store")
    assert str(tmp_path) not in answers[0].text and str(tmp_path) not in answers[1].text


# -- CSV --------------------------------------------------------------------------------
def _rows(text: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(text.lstrip("\ufeff"))))


def test_report_csv_neutralises_a_formula_in_a_review_note(tmp_path, capsys):
    store = str(tmp_path / "store.json")
    assert main(["load", "--store", store, SAMPLE]) == 0
    capsys.readouterr()
    assert main(["findings", "--store", store, "--json"]) == 0
    finding = json.loads(capsys.readouterr().out)[0]["id"]
    assert main(["review", "--store", store, finding, "dismissed", "--note", HYPERLINK]) == 0
    out = tmp_path / "report.csv"
    assert main(["report", "--store", store, "--format", "csv", "-o", str(out)]) == 0
    rows = _rows(out.read_text(encoding="utf-8"))
    note = rows[0].index("note")
    assert [r[note] for r in rows[1:] if r[0] == finding] == ["'" + HYPERLINK]
    assert not any(cell.startswith(("=", "+", "-", "@", "\t", "\r")) for r in rows for cell in r)


def test_export_csv_neutralises_a_formula_in_a_quote(tmp_path, capsys):
    store = str(tmp_path / "store.json")
    doc = tmp_path / "formula.txt"
    doc.write_text(FORMULA_DOC, encoding="utf-8")
    assert main(["load", "--store", store, str(doc)]) == 0
    capsys.readouterr()
    assert main(["export", "assignments", "--store", store, "--format", "csv"]) == 0
    rows = _rows(capsys.readouterr().out)
    quote = rows[0].index("quote")
    assert {r[quote] for r in rows[1:]} == {"'=市水务局牵头,市城管局配合"}


# -- security headers -------------------------------------------------------------------------
def test_every_page_and_answer_has_the_security_headers(tmp_path):
    settings = _settings(tmp_path)
    load_files([SAMPLE], settings)
    css_hash = "'sha256-" + base64.b64encode(hashlib.sha256(CSS.encode()).digest()).decode() + "'"
    with TestClient(create_app(settings)) as client:
        answers = {path: client.get(path) for path in
                   ("/", "/?q=秸秆", "/ui/documents", "/ui/departments", "/ui/findings", "/report", "/health",
                    "/ui/documents/nothing-here", "/ui/static/app.css")}
    assert {p: a.status_code for p, a in answers.items()} == {
        "/": 200, "/?q=秸秆": 200, "/ui/documents": 200, "/ui/departments": 200, "/ui/findings": 200,
        "/report": 200, "/health": 200, "/ui/documents/nothing-here": 404, "/ui/static/app.css": 200}
    for path, answer in answers.items():
        assert answer.headers["x-content-type-options"] == "nosniff", path
        assert answer.headers["x-frame-options"] == "DENY", path
        policy = answer.headers["content-security-policy"]
        assert "default-src 'none'" in policy and "frame-ancestors 'none'" in policy, path
        assert not re.search(r"https?:|\*|'unsafe-", policy), (path, policy)     # no other origin, no inline
        assert f"style-src 'self' {css_hash};" in policy, path
    # what the pages need is what the policy allows: their own files, and the report's one inline style
    for path in ("/", "/ui/findings", "/ui/departments"):
        html = answers[path].text
        assert "<style" not in html and " style=" not in html and not re.search(r"<script(?![^>]*\ssrc=)", html)
    report = answers["/report"].text
    assert re.findall(r"<style>(.*?)</style>", report, re.S) == [CSS]
    assert "<script" not in report


def test_the_api_docs_load_their_cdn_and_nothing_else(tmp_path):
    with TestClient(create_app(_settings(tmp_path))) as client:
        docs = client.get("/docs")
    assert docs.status_code == 200 and docs.headers["x-frame-options"] == "DENY"
    policy = docs.headers["content-security-policy"]
    assert "script-src https://cdn.jsdelivr.net 'unsafe-inline';" in policy and "frame-ancestors 'none'" in policy
    assert set(re.findall(r"https://[^\s;]+", policy)) == {
        "https://cdn.jsdelivr.net", "https://fonts.googleapis.com", "https://fonts.gstatic.com",
        "https://fastapi.tiangolo.com", "https://cdn.redoc.ly"}
