"""Questions in a store of many places: a place named in the question selects that place's documents
(and those above it), and every answer says whose document it is.  Real documents of four places."""
import os

import pytest

from ontology import data_path
from api.settings import load_settings
from graph.networkx_backend import NetworkxStore
from service.service import load_files
from queries import vocabulary as vocab

HERE = os.path.dirname(__file__)
REAL = os.path.join(HERE, "data", "real")
FILES = [data_path("samples", "shuangyashan-gazette-2024-05.txt")] + [
    os.path.join(REAL, n + ".txt") for n in ("shanghai_jingan_chengshigengxin_2023", "shanghai_jiading_haimian_2024",
                                             "guangzhou_rencai_jiju_2012", "national_gaoxiao_biyesheng_jiuye_2022",
                                             "shanghai_shangwu_louyu_2025")]


@pytest.fixture(scope="module")
def backend(tmp_path_factory):
    store = str(tmp_path_factory.mktemp("places") / "store.json")
    load_files(FILES, load_settings(store=store, backend="networkx"))
    return NetworkxStore(store).reads()


def test_documents_know_their_place(backend):
    places = {d["number"] or d["title"][:12]: d["place"] for d in vocab.documents(backend)}
    assert places["双政发〔2024〕6号"] == "黑龙江省双鸭山市"                 # the issuer
    assert places["沪府办发〔2025〕13号"] == "上海市"
    assert places["国办发〔2022〕13号"] == ""                              # the State Council: above every place
    assert places["关于推进人才集聚工程的实"] == "广东省广州市"            # no issuer: the places its text names


def test_a_place_in_the_question_selects_its_documents(backend):
    # Both districts' plans speak of 海绵城市; the place in the question decides whose answer comes first.
    for district in ("静安区", "嘉定区"):
        hits = vocab.who(backend, f"{district}海绵城市建设", limit=3)
        assert hits and hits[0]["place"] == "上海市" + district
        # the rest from that district or above it (上海市's own plans), never from the other district
        assert all(h["place"] in ("上海市" + district, "上海市", "") for h in hits)
        assert all(x["place"] == h["place"] for h in hits for x in h["holders"])
    top = vocab.who(backend, "嘉定区海绵城市建设", limit=3)
    assert any(x["department"] == "嘉定区建设管理委" for h in top for x in h["holders"])


def test_documents_above_the_place_answer_too(backend):
    # 上海市's own plan answers a question about one of its districts; 双鸭山's never does.
    hits = vocab.who(backend, "嘉定区商务楼宇", limit=3)
    assert hits and hits[0]["doc_number"] == "沪府办发〔2025〕13号"
    assert all(h["place"] in ("", "上海市", "上海市嘉定区") for h in vocab.who(backend, "嘉定区城市更新", limit=10))


def test_without_a_place_every_document_answers(backend):
    places = {h["place"] for h in vocab.who(backend, "海绵城市建设", limit=10)}
    assert {"上海市静安区", "上海市嘉定区"} <= places
    top = vocab.who(backend, "双鸭山秸秆禁烧", limit=3)
    assert top[0]["doc_number"] == "双政发〔2024〕6号" and top[0]["place"] == "黑龙江省双鸭山市"


def test_a_department_asked_with_its_place(backend):
    # 双鸭山's documents print 市生态环境局; asked as 双鸭山市生态环境局 it is the same bureau.
    assert vocab.duties(backend, "双鸭山市生态环境局")["department"]["name"] == "市生态环境局"
    # Another place's bureaus carry their place in their names.
    assert vocab.duties(backend, "上海市商务委")["total"] > 0
    with pytest.raises(Exception):
        vocab.duties(backend, "广州市生态环境局")      # not in any of 广州's loaded documents


def test_a_place_given_apart_from_the_question(backend):
    hits = vocab.who(backend, "海绵城市建设", limit=10, place="静安区")
    places = {h["place"] for h in hits}
    assert "上海市静安区" in places and places <= {"上海市静安区", "上海市", ""}   # 嘉定区's plan is left out
    with pytest.raises(Exception, match="no place"):
        vocab.who(backend, "海绵城市建设", place="不存在的地方")


def test_the_http_api_takes_a_place(backend, tmp_path_factory):
    from fastapi.testclient import TestClient
    from api.app import create_app
    store = str(tmp_path_factory.mktemp("api") / "store.json")
    load_files(FILES[1:3], load_settings(store=store, backend="networkx"))
    with TestClient(create_app(load_settings(store=store, backend="networkx"))) as client:
        items = client.get("/who", params={"q": "海绵城市建设", "place": "嘉定区"}).json()["items"]
        unknown = client.get("/who", params={"q": "海绵城市建设", "place": "不存在的地方"})
        assert unknown.status_code == 404 and unknown.json()["error"]["code"] == "not_found"
    assert items and {i["place"] for i in items} == {"上海市嘉定区"}
    assert {h["place"] for i in items for h in i["holders"]} == {"上海市嘉定区"}
