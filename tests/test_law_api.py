"""The law routes and `dutygraph law` over the real app and real stores (both backends): the
bundled gazette with the noise law loaded.  Answers are compared with what queries.law_queries
returns on the same store: the API adds paging and nothing else."""
from __future__ import annotations

import json
import os

import pytest
from fastapi.testclient import TestClient

from api.app import create_app
from api.cli import main
from api.settings import load_settings
from graph.backends import open_backend
from service.service import load_files
from queries import law_queries
from test_api import _error, _neo4j_settings

HERE = os.path.dirname(os.path.abspath(__file__))
SAMPLE = os.path.join(HERE, "..", "ontology", "samples", "shuangyashan-gazette-2024-05.txt")
NOISE = os.path.join(HERE, "..", "ontology", "laws", "zh-noise-pollution-prevention-law-2021.md")
LAW = "噪声污染防治法"


@pytest.fixture(scope="module", params=["networkx", "neo4j"])
def loaded(request, tmp_path_factory):
    if request.param == "networkx":
        settings = load_settings(backend="networkx", store=str(tmp_path_factory.mktemp("nx") / "store.json"))
    else:
        settings = _neo4j_settings()
    load_files([SAMPLE, NOISE], settings)
    return settings


@pytest.fixture
def client(loaded):
    with TestClient(create_app(loaded)) as c:
        yield c


def _ask(settings, fn, *args, **kwargs):
    store = open_backend(settings)
    try:
        return fn(store.reads(), *args, **kwargs)
    finally:
        store.close()


def test_laws_are_listed_with_their_local_implementations(client):
    [law] = client.get("/laws").json()
    assert (law["title"], law["kind"], law["implemented_by"]) == ("中华人民共和国噪声污染防治法", "law", 13)


def test_coverage_is_the_vocabulary_paged(client, loaded):
    whole = _ask(loaded, law_queries.law_coverage, LAW, "双鸭山市")
    page = client.get(f"/laws/{LAW}/coverage", params={"place": "双鸭山市", "limit": 5, "offset": 40}).json()
    [place] = page["places"]
    assert place["place"] == "黑龙江省双鸭山市" and place["total"] == whole["places"][0]["total"]
    assert place["units"] == whole["places"][0]["units"][40:45]
    unit = next(u for u in whole["places"][0]["units"] if u["unit"] == "第四十三条")
    assert unit["findings"] == ["law_authority_differs"]
    assert [loc["departments"] for loc in unit["local"]] == [["市城管局"]]
    assert unit["departments_of_field"] == {"住房和城乡建设": ["市住房城乡建设局"], "生态环境": ["市生态环境局"]}


def test_who_holds_an_article_locally(client):
    out = client.get(f"/laws/{LAW}/articles/第七十二条", params={"place": "双鸭山市"}).json()
    units = {u["unit"]: u for u in out["units"]}
    # the table designates the holders of 第二款; 第一款 names 市场监督管理部门 and 海关, matched by field and name
    assert units["第七十二条第二款"]["local"][0]["departments"] == ["市市场监管局", "饶河海关"]
    assert units["第七十二条第一款"]["local"] == []
    assert units["第七十二条第一款"]["departments_of_field"] == {"市场监督管理": ["市市场监管局"], "海关": ["饶河海关"]}


def test_duties_without_a_local_holder(client):
    out = client.get(f"/laws/{LAW}/unheld", params={"place": "双鸭山市"}).json()
    unheld = {(d["unit"], d["department"]) for d in out["places"][0]["duties"]}
    assert {("第七十九条第二款", "铁路监督管理部门"), ("第八十条", "民用航空部门"), ("第八十条", "铁路监督管理部门")} <= unheld
    assert not any(d["designated"] for d in out["places"][0]["duties"])   # every designated article is designated


def test_the_articles_that_give_a_department_its_duties(client, loaded):
    out = client.get("/departments/城管部门/law-articles").json()
    assert out["department"]["name"] == "市城管局"
    assert [(a["unit"], a["via"]) for a in out["articles"]] == [
        (u, "designation") for u in ("第四十三条", "第七十条", "第七十七条", "第七十八条", "第八十一条", "第八十二条")]
    env = client.get("/departments/市生态环境局/law-articles").json()
    assert env["total"] == _ask(loaded, law_queries.articles_of_department, "市生态环境局")["total"]
    assert {a["via"] for a in env["articles"]} == {"field"} and "第八条第二款" in {a["unit"] for a in env["articles"]}


def test_refusals_in_the_error_format(client):
    _error(client.get("/laws/不存在的法/coverage"), 404, "not_found")
    _error(client.get(f"/laws/{LAW}/articles/第九百条"), 404, "not_found")
    _error(client.get(f"/laws/{LAW}/coverage", params={"place": "火星市"}), 404, "not_found")
    _error(client.get(f"/laws/{LAW}/coverage", params={"limit": 500}), 422, "validation_error")


def test_cli_law_prints_the_coverage(loaded, capsys):
    args = ["--backend", loaded.backend] + (["--store", loaded.store] if loaded.backend == "networkx" else [])
    assert main(["law", LAW, "--place", "双鸭山市", *args]) == 0
    out = capsys.readouterr().out
    assert "《中华人民共和国噪声污染防治法》 in 黑龙江省双鸭山市" in out
    assert "第四十三条" in out and "⚠ law_authority_differs" in out and "双政办发〔2024〕22号 第四十三条: 市城管局" in out
    assert main(["law", LAW, "--article", "第八十条", "--place", "双鸭山市", "--json", *args]) == 0
    answer = json.loads(capsys.readouterr().out)
    assert answer["units"][0]["findings"] == ["law_authority_differs", "law_authority_without_local_holder"]
    assert main(["law", "不存在的法", *args]) == 1


def test_the_law_page_shows_each_article_with_the_law_s_and_the_city_s_holders(client, loaded):
    whole = _ask(loaded, law_queries.law_coverage, LAW, "双鸭山市")
    listing = client.get("/ui/laws")
    assert listing.status_code == 200 and "中华人民共和国噪声污染防治法" in listing.text
    page = client.get(f"/ui/laws/{LAW}", params={"place": "双鸭山市"})
    assert page.status_code == 200 and page.headers["content-type"].startswith("text/html")
    rows = page.text.split("<tbody>", 1)[1].split("</tbody>", 1)[0].count("<tr")
    assert rows == whole["places"][0]["total"]
    row_43 = page.text.split(">第四十三条</a>", 1)[1].split("</tr>", 1)[0]
    # the law's authorities, the city's holder (linked to its page) and the finding, side by side
    assert "住房和城乡建设主管部门" in row_43 and "须指定" in row_43
    assert "双政办发〔2024〕22号 第四十三条" in row_43 and "/ui/departments/" in row_43 and "市城管局" in row_43
    assert "与法定主管部门不一致" in row_43


def test_an_unknown_law_is_a_404_page_that_escapes_what_was_asked(client):
    page = client.get("/ui/laws/<img src=x onerror=alert(1)>")
    assert page.status_code == 404 and page.headers["content-type"].startswith("text/html")
    assert "<img" not in page.text and "&lt;img" in page.text
