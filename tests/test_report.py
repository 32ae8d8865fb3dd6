"""The evidence report on the bundled gazette: one offline HTML file, Markdown, CSV, terminal table."""
import csv
import io
import os
import re

import pytest

from ontology import data_path
from api.report import render_csv, render_html, render_md, render_table
from api.settings import load_settings
from graph.networkx_backend import NetworkxStore
from graph.review_store import ReviewStore
from service.service import load_files
from queries.findings import report_data

SAMPLE = data_path("samples", "shuangyashan-gazette-2024-05.txt")


@pytest.fixture(scope="module")
def data(tmp_path_factory):
    store = str(tmp_path_factory.mktemp("store") / "store.json")
    load_files([SAMPLE], load_settings(store=store, backend="networkx"))
    out = report_data(NetworkxStore(store).reads(), today="2025-01-01")
    out["store"] = store
    return out


@pytest.fixture(scope="module")
def marks(data):
    reviews = ReviewStore(data["store"])
    pending = next(f for f in data["findings"] if f["type"] == "pending_assignment")
    reviews.mark(pending["id"], "dismissed", "城管职能调整方案已报批", pending["evidence_hash"])
    return reviews.marks()


@pytest.fixture(scope="module")
def html(data, marks):
    return render_html(data["findings"], data["departments"], marks, data["provisions"],
                       calendar=data["calendar"], overlaps=data["overlaps"], today=data["today"])


def test_the_html_report_is_one_self_contained_file(html):
    assert html.startswith("<!DOCTYPE html>") and html.endswith("</html>")
    assert not re.search(r"""(?:src|href)\s*=\s*["']?\s*(?:https?:)?//""", html, re.I)
    assert "<script" not in html.lower() and "<link" not in html.lower() and "@import" not in html
    assert "url(" not in html


def test_the_html_report_draws_the_heatmap_and_the_bar_chart(html, data):
    heat = re.search(r'<svg class="heatmap".*?</svg>', html)
    assert heat
    # 市营商环境局 and 市人力资源社会保障局 share provisions (for example 双政发〔2024〕4号 (16)).
    names = data["overlaps"]["departments"]
    i, j = names.index("市营商环境局"), names.index("市人力资源社会保障局")
    shared = data["overlaps"]["matrix"][i][j]
    assert shared >= 1 and data["overlaps"]["matrix"][j][i] == shared
    assert f"<title>市营商环境局 × 市人力资源社会保障局: {shared}</title>" in heat.group(0)
    assert 'aria-label="各单位职责数"' in html and "<title>市民政局 负责" in html


def test_every_finding_links_to_its_provision_text_in_the_file(html, data):
    anchors = set(re.findall(r'id="(p-prov-[0-9a-f]+)"', html))
    links = set(re.findall(r'href="#(p-prov-[0-9a-f]+)"', html))
    assert links and links <= anchors
    for f in data["findings"]:
        for p in f["provisions"]:
            assert f'href="#p-{p["provision_id"].replace(":", "-")}"' in html
    # The provision texts themselves are in the file.
    assert "(四十一)落实党政领导责任制。各级党政领导干部应当严格按照" in html


def test_the_html_report_shows_quotes_review_state_and_the_calendar(html):
    assert "待城管部门职能调整后,由承接部门负责监督管理" in html
    assert "已驳回 — 城管职能调整方案已报批" in html
    calendar = html[html.index("<h2>职责时限日历</h2>"):html.index("<h2>发现</h2>")]
    assert "市营商环境局" in calendar and "2024-09-30" in calendar and "已逾期" in calendar
    assert "2025-12-31" in calendar and "未到期" in calendar   # 双政办规〔2024〕3号 17, 2025年基本建成


def test_markdown_report(data, marks):
    md = render_md(data["findings"], marks, today=data["today"])
    assert md.startswith("# 职责分析报告")
    assert "## [高] 双政发〔2024〕4号 (16) 有2个牵头单位(市人力资源社会保障局、市营商环境局),牵头责任不唯一" in md
    assert "状态:已驳回(城管职能调整方案已报批)" in md


def test_csv_report_has_a_bom_and_one_row_per_finding(data, marks):
    text = render_csv(data["findings"], marks)
    assert text.startswith("\ufeff")
    rows = list(csv.DictReader(io.StringIO(text[1:])))
    assert len(rows) == len(data["findings"])
    assert [r["id"] for r in rows] == [f["id"] for f in data["findings"]]
    pending = next(r for r in rows if r["type"] == "pending_assignment")
    assert (pending["status"], pending["note"], pending["departments"]) == ("dismissed", "城管职能调整方案已报批", "市城管局")
    assert "待城管部门职能调整后" in pending["quotes"]


def test_terminal_table(data, marks):
    table = render_table(data["findings"], marks, width=120).splitlines()
    assert len(table) == len(data["findings"]) + 2
    row = next(line for line in table if "pending_assignment" in line)
    assert "已驳回" in row and "双政办发〔2024〕22号 第七十条" in row
    assert table[-1].startswith(f"{len(data['findings'])} findings:")
