"""The web pages, in a real browser and over HTTP.

The browser half starts `create_app` under uvicorn on 127.0.0.1 (a free
port) over a store holding the bundled sample gazette, with a write token,
and drives Debian's Chromium through Playwright (no browser download:
executable_path points at the system binary, DUTYGRAPH_CHROMIUM overrides
it).  It searches, opens a department, downloads its CSV, reviews a finding,
opens a document, and writes a screenshot of every page to tests/screenshots/
for a person to look at.  When Chromium or Playwright is missing the browser
tests fail in CI (env CI set) and are skipped with the reason elsewhere.

The HTTP half (TestClient, no browser) checks what a browser cannot see
easily: hostile document text is escaped on every page, the CSV is exactly
the vocabulary's duties with a BOM, the review endpoint's refusals.
"""
from __future__ import annotations

import csv
import dataclasses
import io
import os
import re
import shutil
import socket
import threading
import time
from pathlib import Path
from urllib.parse import quote

import pytest
from fastapi.testclient import TestClient

from ontology import data_path
from api.app import create_app
from api.settings import load_settings
from graph.review_store import ReviewStore
from graph.backends import open_backend
from service.service import load_files
from queries import vocabulary as vocab
from queries.findings import findings as all_findings

SAMPLE = data_path("samples", "shuangyashan-gazette-2024-05.txt")
SHOTS = Path(__file__).parent / "screenshots"
CHROMIUM = os.environ.get("DUTYGRAPH_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run"]
TOKEN = "web-test-token"
AUTH = {"Authorization": f"Bearer {TOKEN}"}
BOM = "\ufeff"
HOSTILE_DOC = ("双鸭山市人民政府办公室关于加强<script>alert('title')</script>测试河道保洁工作的通知\n"
               "双政办发〔2099〕98号\n\n"
               "各县(区)人民政府,市政府各直属单位:\n"
               "一、加强河道保洁<img src=x onerror=alert('text')>。每日清理\"河道\"漂浮物&amp;垃圾,"
               "建立巡查台账。(市水务局牵头,市城管局配合)\n"
               "二、=HYPERLINK(\"http://x\")测试清运。(市水务局负责)\n")


def _with(settings, store_dir: Path, **changes):
    """A private copy of the store (and settings pointing at it): a test may write to it."""
    shutil.copy(settings.store, store_dir / "store.json")
    return dataclasses.replace(settings, store=str(store_dir / "store.json"), **changes)


def _backend(settings):
    return open_backend(settings).reads()


@pytest.fixture(scope="module")
def sample(tmp_path_factory):
    settings = load_settings(backend="networkx", store=str(tmp_path_factory.mktemp("web") / "store.json"))
    load_files([SAMPLE], settings)
    return settings


# -- HTTP, no browser ------------------------------------------------------------------------
@pytest.fixture
def client(sample, tmp_path):
    with TestClient(create_app(_with(sample, tmp_path, api_token=TOKEN))) as c:
        yield c


def test_every_page_answers_html_in_chinese(client):
    for url in ("/", "/?q=秸秆禁烧", "/ui/departments", "/ui/departments/市生态环境局", "/ui/documents",
                "/ui/documents/双政发〔2024〕6号", "/ui/provisions/prov:67574647ff48", "/ui/findings"):
        response = client.get(url)
        assert response.status_code == 200, url
        assert response.headers["content-type"] == "text/html; charset=utf-8", url
        assert '<html lang="zh-CN">' in response.text and 'name="viewport"' in response.text, url
        # Offline: every asset is the app's own; no page names another host.
        assert not re.search(r'(src|href)="(https?:)?//', response.text), url
    assert client.get("/ui/static/app.css").headers["content-type"].startswith("text/css")


def test_unknown_items_are_html_error_pages(client):
    response = client.get("/ui/departments/没有这个局")
    assert response.status_code == 404 and "没有找到" in response.text and "没有这个局" in response.text
    assert client.get("/ui/documents/nope").status_code == 404
    assert client.get("/ui/provisions/prov:000000000000").status_code == 404


def test_hostile_document_text_is_escaped_everywhere(client):
    response = client.post("/documents", params={"name": "hostile<b>.txt"}, headers=AUTH,
                           content=HOSTILE_DOC.encode("utf-8"))
    assert response.status_code == 201, response.text
    doc = response.json()["documents"][0]
    pages = [client.get(f"/ui/documents/{quote(doc['id'])}"), client.get("/", params={"q": "测试河道保洁"}),
             client.get("/ui/documents"), client.get("/ui/departments/市水务局")]
    search = pages[1].text
    pid = re.search(r'href="/ui/provisions/([^"]+)"', search).group(1)
    pages.append(client.get(f"/ui/provisions/{pid}"))
    for page in pages:
        assert page.status_code == 200
        assert "<script>alert" not in page.text and "<img src=x" not in page.text, page.url
    document = pages[0].text
    assert "&lt;img src=x onerror=alert(&#x27;text&#x27;)&gt;" in document
    assert "&lt;script&gt;alert(&#x27;title&#x27;)&lt;/script&gt;" in document
    assert "&amp;amp;垃圾" in document          # an entity in the text is shown as written, not decoded
    # The assignment is highlighted and its departments linked, around the escaped text.
    water = vocab.department(_backend(client.app.state.settings), "市水务局")["id"]
    assert f'<a href="/ui/departments/{quote(water, safe="")}">市水务局</a>' in document
    # A cell that looks like a formula is not run by Excel.
    rows = list(csv.reader(io.StringIO(client.get("/ui/departments/市水务局/obligations.csv").text[1:])))
    assert [r[3] for r in rows[1:] if "HYPERLINK" in r[3]] == ["'=HYPERLINK(\"http"]


def test_csv_is_the_departments_duties_with_a_bom(client):
    response = client.get("/ui/departments/市自然资源局/obligations.csv", params={"today": "2025-01-01"})
    assert response.status_code == 200
    assert response.content.startswith(b"\xef\xbb\xbf")
    assert response.headers["content-type"] == "text/csv; charset=utf-8"
    assert "filename*=UTF-8''" + quote("市自然资源局-职责清单-2025-01-01.csv") in response.headers["content-disposition"]
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8")[1:])))
    duties = vocab.duties(_backend(client.app.state.settings), "市自然资源局")["duties"]
    assert rows[0][:5] == ["文号", "文件标题", "条款", "事项", "角色"]
    assert [(r[0], r[2], r[4], r[12]) for r in rows[1:]] == \
        [(d["doc_number"], d["unit"], {"lead": "牵头", "responsible": "负责", "supporting": "配合"}[d["role"]],
          d["provision_id"]) for d in duties]
    expected = ["已逾期" if d["deadline_date"] and d["deadline_date"] < "2025-01-01" else
                "未到期" if d["deadline_date"] else "" for d in duties]
    assert [r[8] for r in rows[1:]] == expected and "已逾期" in expected and "未到期" in expected


def test_csv_and_page_show_the_targets(client):
    rows = list(csv.reader(io.StringIO(client.get("/ui/departments/市生态环境局/obligations.csv").text[1:])))
    assert rows[0][13] == "目标指标"
    coal = next(r for r in rows[1:] if r[0] == "双政发〔2024〕6号" and r[2] == "(10)")
    assert coal[13] == "到2025年,全市煤炭消费比重下降到70%"
    page = client.get("/ui/departments/市生态环境局").text
    assert page.count('<div class="targets">') == sum(1 for r in rows[1:] if r[13])


def test_department_page_marks_overdue_deadlines(client):
    page = client.get("/ui/departments/市自然资源局", params={"today": "2025-01-01"}).text
    duties = vocab.duties(_backend(client.app.state.settings), "市自然资源局")["duties"]
    overdue = sum(1 for d in duties if d["deadline_date"] and d["deadline_date"] < "2025-01-01")
    assert overdue and page.count('<tr class="is-overdue">') == overdue
    assert page.count('class="badge overdue"') == overdue
    assert "obligations.csv?today=2025-01-01" in page


def test_review_endpoint_needs_the_token_and_a_note(client, sample, tmp_path):
    fid = all_findings(_backend(client.app.state.settings), types=["several_leads"])[0]["id"]
    url = f"/findings/{fid}/review"
    assert client.post(url, json={"status": "accepted"}).status_code == 401
    assert client.post(url, json={"status": "accepted"}, headers={"Authorization": "Bearer wrong"}).status_code == 401
    assert client.post(url, json={"status": "dismissed", "note": " "}, headers=AUTH).json()["error"]["code"] == \
        "query_error"
    assert client.post(url, json={"status": "maybe"}, headers=AUTH).status_code == 422
    assert client.post("/findings/finding:000000000000/review", json={"status": "accepted"},
                       headers=AUTH).status_code == 404
    assert ReviewStore(client.app.state.settings.store).marks() == {}
    ok = client.post(url, json={"status": "accepted", "note": "确有问题"}, headers=AUTH)
    assert ok.status_code == 200 and ok.json()["status"] == "accepted"
    assert ReviewStore(client.app.state.settings.store).marks()[fid]["note"] == "确有问题"
    (tmp_path / "readonly").mkdir()
    with TestClient(create_app(_with(sample, tmp_path / "readonly", api_token=""))) as readonly:
        assert readonly.post(url, json={"status": "accepted"}, headers=AUTH).status_code == 403
        assert 'id="review-token"' not in readonly.get("/ui/findings").text


# -- a real browser --------------------------------------------------------------------------
def _browser_or_skip():
    reason = None
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        reason, sync_playwright = "Playwright is not installed: pip install -e '.[test]'", None
    if reason is None and not os.access(CHROMIUM, os.X_OK):
        reason = f"no Chromium at {CHROMIUM}: apt-get install chromium fonts-noto-cjk (or set DUTYGRAPH_CHROMIUM)"
    if reason:
        if os.environ.get("CI"):
            pytest.fail(reason + ". CI is set: the browser tests may not be skipped.", pytrace=False)
        pytest.skip(reason)
    return sync_playwright


@pytest.fixture(scope="module")
def server(sample, tmp_path_factory):
    """The app under uvicorn on 127.0.0.1, over a private copy of the sample store, with a token."""
    import uvicorn
    settings = _with(sample, tmp_path_factory.mktemp("served"), api_token=TOKEN)
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    srv = uvicorn.Server(uvicorn.Config(create_app(settings), host="127.0.0.1", port=port, log_level="error"))
    thread = threading.Thread(target=srv.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 15
    while not srv.started and time.monotonic() < deadline:
        time.sleep(0.05)
    assert srv.started, "uvicorn did not start"
    yield f"http://127.0.0.1:{port}", settings
    srv.should_exit = True
    thread.join(10)


@pytest.fixture(scope="module")
def browser():
    sync_playwright = _browser_or_skip()
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        yield b
        b.close()


@pytest.fixture
def page(browser, server):
    base, _settings = server
    context = browser.new_context(base_url=base, viewport={"width": 1280, "height": 900}, locale="zh-CN",
                                  accept_downloads=True)
    # Offline: a page that asks for anything but the app itself fails the test.
    outside: list[str] = []
    context.route(re.compile(r"^(?!" + re.escape(base) + r").*"), lambda route: (outside.append(route.request.url),
                                                                                   route.abort()))
    p = context.new_page()
    errors: list[str] = []
    p.on("pageerror", lambda exc: errors.append(str(exc)))
    # anything the Content-Security-Policy (api/headers.py) blocks is a page that does not work
    p.on("console", lambda msg: errors.append(msg.text) if "Content Security Policy" in msg.text else None)
    p.on("dialog", lambda dialog: (errors.append("dialog: " + dialog.message), dialog.dismiss()))
    yield p
    context.close()
    assert not outside, f"pages asked for outside resources: {outside}"
    assert not errors, f"script errors or dialogs: {errors}"


def _shot(p, name: str) -> None:
    SHOTS.mkdir(exist_ok=True)
    p.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


def test_search_then_department_then_csv(page, server, tmp_path):
    _base, settings = server
    page.goto("/")
    _shot(page, "home")
    page.get_by_role("searchbox").fill("秸秆禁烧")
    page.get_by_role("button", name="查找责任单位").click()
    page.wait_for_url(re.compile(r"\?q="))
    first = page.locator("article.answer").first
    assert first.locator(".cite").inner_text().split()[1:3] == ["双政发〔2024〕6号", "(20)"]
    assert "市生态环境局" in first.locator("ul.holders").inner_text()
    # The quote is highlighted in the provision's text, with the department linked inside it.
    assert first.locator("mark.q a", has_text="市生态环境局").count() == 1
    _shot(page, "search")

    first.locator("ul.holders a", has_text="市生态环境局").click()
    page.wait_for_url(re.compile(r"/ui/departments/dept%3A"))
    assert page.locator("h1").inner_text() == "市生态环境局"
    duties = vocab.duties(_backend(settings), "市生态环境局")["duties"]
    assert page.locator("table.duties tbody tr").count() == len(duties)
    assert page.locator("section.docgroup h2").all_inner_texts() == \
        list(dict.fromkeys(d["doc_number"] for d in duties))
    _shot(page, "department")

    with page.expect_download() as info:
        page.get_by_role("link", name=re.compile("下载 CSV")).click()
    download = info.value
    assert download.suggested_filename.endswith(".csv") and "市生态环境局" in download.suggested_filename
    raw = Path(download.path()).read_bytes()
    assert raw.startswith(BOM.encode("utf-8"))
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8")[1:])))
    assert [(r[0], r[2], r[12]) for r in rows[1:]] == [(d["doc_number"], d["unit"], d["provision_id"]) for d in duties]


def test_findings_filter_and_review(page, server):
    from playwright.sync_api import expect      # here: Playwright is optional (the fixtures skip without it)
    _base, settings = server
    expected = all_findings(_backend(settings), types=["several_leads"])
    page.goto("/ui/findings")
    page.locator("select[name=type]").select_option("several_leads")
    page.get_by_role("button", name="筛选").click()
    page.wait_for_url(re.compile(r"type=several_leads"))
    cards = page.locator("article.finding")
    assert cards.count() == len(expected) > 0
    assert set(page.locator("article.finding .fhead strong").all_inner_texts()) == {"多个牵头单位"}
    target = cards.first
    assert target.locator(".fid").inner_text() == expected[0]["id"]
    # Evidence side by side: one column per provision the finding cites.
    assert target.locator(".evidence .ev-col").count() == len(expected[0]["provisions"])

    form = target.locator("form.review")
    form.locator("textarea").fill("两单位分别牵头,系有意安排")
    page.locator("#review-token").fill("wrong-token")
    form.get_by_role("button", name="驳回").click()
    # a locator, not wait_for_function: that evaluates a string, which the pages' CSP forbids
    expect(page.locator("form.review .msg").first).to_contain_text("口令不正确")
    assert ReviewStore(settings.store).marks() == {}

    page.locator("#review-token").fill(TOKEN)
    form.get_by_role("button", name="驳回").click()
    expect(page.locator("form.review .msg").first).to_have_text(re.compile(r"^已保存"))
    _shot(page, "findings-reviewed")
    page.reload()
    target = page.locator("article.finding").first
    assert target.locator(".status").inner_text() == "已驳回"
    assert "两单位分别牵头,系有意安排" in target.locator(".note").inner_text()
    mark = ReviewStore(settings.store).marks()[expected[0]["id"]]
    assert (mark["status"], mark["evidence_hash"]) == ("dismissed", expected[0]["evidence_hash"])
    # The token was kept for this tab only, and never put in the page's URL.
    assert page.evaluate("sessionStorage.getItem('dutygraph-review-token')") == TOKEN
    assert TOKEN not in page.url

    page.goto("/ui/findings?status=dismissed")
    assert page.locator("article.finding .fid").all_inner_texts() == [expected[0]["id"]]
    page.goto("/ui/findings")
    _shot(page, "findings")


def test_document_page_highlights_and_links_assignments(page, server):
    _base, settings = server
    page.goto("/ui/documents")
    _shot(page, "documents")
    page.get_by_role("link", name="双政发〔2024〕6号").click()
    page.wait_for_url(re.compile(r"/ui/documents/doc%3A"))
    assert page.locator("h1").inner_text() == "双政发〔2024〕6号"
    marks = page.locator(".document mark.q")
    assert marks.count() > 20
    hrefs = set(page.locator(".document mark.q a").evaluate_all("els => els.map(e => e.getAttribute('href'))"))
    known = {f"/ui/departments/{quote(d['id'], safe='')}" for d in vocab.departments(_backend(settings))}
    assert hrefs and hrefs <= known
    straw = page.locator("#prov-67574647ff48 mark.q")
    assert straw.locator("a").all_inner_texts() == ["市生态环境局", "市农业农村局", "市发展改革委", "市气象局"]
    _shot(page, "document")

    page.locator("#prov-67574647ff48 a.unit").click()
    page.wait_for_url(re.compile(r"/ui/provisions/"))
    assert page.locator("h1").inner_text() == "(20) 加强秸秆综合利用和禁烧管控"
    _shot(page, "provision")
    page.locator("mark.q a", has_text="市气象局").click()
    page.wait_for_url(re.compile(r"/ui/departments/"))
    assert page.locator("h1").inner_text() == "市气象局"
    page.goto("/ui/departments")
    _shot(page, "departments")


def test_readable_on_a_phone(browser, server):
    base, _settings = server
    context = browser.new_context(base_url=base, viewport={"width": 390, "height": 844}, device_scale_factor=2,
                                  is_mobile=True, has_touch=True, locale="zh-CN")
    try:
        p = context.new_page()
        for url, name in (("/?q=秸秆禁烧", "search-phone"), ("/ui/departments/市自然资源局?today=2025-01-01",
                                                              "department-phone"),
                          ("/ui/findings?type=same_duty_different_holders", "findings-phone")):
            p.goto(url)
            # Nothing wider than the screen: no sideways scrolling to read a page.
            assert p.evaluate("document.documentElement.scrollWidth") <= 390, url
            assert p.evaluate("parseFloat(getComputedStyle(document.body).fontSize)") >= 14
            _shot(p, name)
    finally:
        context.close()
