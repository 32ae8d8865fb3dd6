"""ontology/national.yaml: the national bodies, read by the same Registry as the city's."""
import collections
import os

import pytest
import yaml

from ontology import data_path
from ontology.registry import Registry, normalise_name

NATIONAL = data_path("national.yaml")


@pytest.fixture(scope="module")
def data():
    with open(NATIONAL, encoding="utf-8") as fp:
        return yaml.safe_load(fp)


@pytest.fixture(scope="module")
def registry(data):
    return Registry(data)


def test_header(data, registry):
    assert (data["jurisdiction"], data["level"], data["places"]) == ("国家", "national", [])
    assert registry.jurisdiction == "国家"


@pytest.mark.parametrize("printed, canonical, how", [
    ("发展改革委", "国家发展改革委", "alias"),
    ("国家发展和改革委员会", "国家发展改革委", "alias"),
    ("国家发展改革委", "国家发展改革委", "name"),
    ("教育部", "教育部", "name"),
    ("科技部", "科技部", "name"),
    ("工业和信息化部", "工业和信息化部", "name"),
    ("人力资源和社会保障部", "人力资源社会保障部", "alias"),
    ("住房和城乡建设部", "住房城乡建设部", "alias"),
    ("卫生健康委", "国家卫生健康委", "alias"),
    ("国家医疗保障局", "国家医保局", "alias"),
    ("国家市场监督管理总局", "市场监管总局", "alias"),
    ("银保监会", "金融监管总局", "old"),
    ("中国银保监会", "金融监管总局", "old"),
    ("国家税务总局", "税务总局", "alias"),
    ("国家统计局", "统计局", "alias"),
    ("国资委", "国务院国资委", "alias"),
    ("中国人民银行", "人民银行", "alias"),
    ("国家乡村振兴局", "农业农村部", "old"),
    ("国家林业和草原局", "国家林草局", "alias"),
    ("国家煤矿安监局", "国家矿山安监局", "old"),
    ("中国民用航空局", "中国民航局", "alias"),
    ("国家网信办", "中央网信办", "alias"),
    ("中宣部", "中央宣传部", "alias"),
    ("中央党校（国家行政学院）", "中央党校", "alias"),
    ("团中央", "共青团中央", "alias"),
    ("中华全国总工会", "全国总工会", "alias"),
    ("中国科学技术协会", "中国科协", "alias"),
    ("中华全国工商业联合会", "全国工商联", "alias"),
])
def test_resolutions(registry, printed, canonical, how):
    r = registry.resolve(printed)
    assert (r.canonical, r.how) == (canonical, how)


def test_kinds(registry):
    assert [registry.resolve(n).kind for n in ("海关总署", "中央编办", "全国妇联", "最高人民检察院", "国家电网")] == [
        "government", "party", "agency", "judicial", "enterprise"]


def test_vague_phrases(registry):
    assert registry.resolve("国务院有关部门").is_vague


def test_every_name_is_unique_and_not_empty(data):
    names = []
    for entry in data["departments"]:
        assert set(entry) <= {"name", "kind", "aliases", "domains"}, entry
        assert entry["kind"] in {"government", "agency", "enterprise", "party", "judicial"}, entry
        names.append(normalise_name(entry["name"]))
        for alias in entry.get("aliases") or []:
            alias, _, mark = alias.partition("!")
            assert mark in ("", "old", "typo"), alias
            names.append(normalise_name(alias))
    assert all(names), "an empty name"
    assert [n for n, k in collections.Counter(names).items() if k > 1] == []
    assert (len(data["departments"]), len(names)) == (117, 345)
