"""Findings that need the law (issue 13, part 4), on real texts: the bundled gazette with the noise
law loaded beside it, each finding with the law's quote and the local quote side by side."""
from __future__ import annotations

import pytest

from queries.findings import findings
from queries.law_findings import TYPES

from conftest import LAW_CITING_PLAN as CITING, NOISE_LAW as NOISE, SAMPLE, networkx_backend_of, read_text

TODAY = "2025-01-01"


def _law_findings(backend) -> list[dict]:
    return findings(backend, today=TODAY, types=list(TYPES))


@pytest.fixture(scope="module")
def gazette_with_law(tmp_path_factory):
    return _law_findings(networkx_backend_of(tmp_path_factory.mktemp("law"), SAMPLE, NOISE))


def test_the_gazette_alone_has_no_law_findings(tmp_path):
    assert _law_findings(networkx_backend_of(tmp_path, SAMPLE)) == []


def test_the_four_law_dependent_conflicts_of_the_gazette(gazette_with_law):
    got = [(f["type"], f["details"]["law"][0]["unit"], tuple(f["departments"]),
            tuple(f["details"].get("missing", []))) for f in gazette_with_law]
    assert sorted(got) == sorted([
        # 夜间施工证明: the law names 住房和城乡建设、生态环境主管部门 (or a designated one), the city 城管
        ("law_authority_differs", "第四十三条", ("市城管局",), ()),
        # the law names 交通运输、铁路监督管理、民用航空 (or a designated 城市道路 body), the city adds 住建
        ("law_authority_differs", "第八十条", ("市住房城乡建设局",), ()),
        # railway and civil-aviation authorities: no department of 双鸭山 holds them
        ("law_authority_without_local_holder", "第七十九条第二款", (), ("铁路监督管理部门",)),
        ("law_authority_without_local_holder", "第八十条", (), ("民用航空部门", "铁路监督管理部门")),
    ])
    # every article the law leaves to designation is designated by the table: nothing missing
    assert not any(f["type"] in ("designation_missing", "allocated_twice") for f in gazette_with_law)


def test_each_finding_quotes_the_law_and_the_local_text_at_their_spans(gazette_with_law):
    law_text, local_text = read_text(NOISE), read_text(SAMPLE)
    for f in gazette_with_law:
        law, local = f["details"]["law"], f["details"]["local"]
        assert law and local, f["id"]
        for e in law:
            assert e["doc"] == "中华人民共和国噪声污染防治法" and law_text[e["span"][0]:e["span"][1]] == e["quote"]
        for e in local:
            assert e["doc"] == "双政办发〔2024〕22号" and local_text[e["span"][0]:e["span"][1]] == e["quote"]
        assert {e["quote"] for e in law + local} <= {e["quote"] for e in f["evidence"]}
    differs = next(f for f in gazette_with_law if f["details"]["law"][0]["unit"] == "第四十三条")
    assert "住房和城乡建设、生态环境主管部门或者地方人民政府指定的部门的证明" in differs["details"]["law"][0]["quote"]
    assert differs["details"]["local"][0]["quote"].startswith("由城管部门负责监督管理出具证明")
    # the law lets a designated department issue it instead: a question for the legal office, not a breach
    assert differs["severity"] == "medium"
    assert "将《中华人民共和国噪声污染防治法》第四十三条的职责交给市城管局" in differs["title_zh"]


def test_another_places_plan_designation_missing_and_allocated_twice(tmp_path):
    got = _law_findings(networkx_backend_of(tmp_path, NOISE, CITING))
    by_type: dict[str, list[dict]] = {}
    for f in got:
        by_type.setdefault(f["type"], []).append(f)
    [twice] = by_type["allocated_twice"]
    assert twice["details"]["law"][0]["unit"] == "第八十二条"
    assert sorted(twice["departments"]) == ["临江市公安局", "临江市城管局"]
    assert [e["unit"] for e in twice["details"]["local"]] == ["(2)", "(3)"]
    [differs] = by_type["law_authority_differs"]
    assert (differs["details"]["law"][0]["unit"], differs["departments"]) == ("第四十三条", ["临江市城管局"])
    # the articles of the noise law that leave the holder to designation, read by hand, less the two
    # the plan designates (第四十三条, 第八十二条)
    missing = sorted(f["details"]["law"][0]["unit"] for f in by_type["designation_missing"])
    assert missing == sorted(["第三十三条", "第四十六条", "第七十条", "第七十二条第二款", "第七十三条第二款",
                              "第七十七条", "第七十八条", "第七十九条第二款", "第八十条", "第八十一条", "第八十四条"])
    assert all(f["details"]["local"] == [] and f["details"]["law"] for f in by_type["designation_missing"])
    assert all(f["details"]["place"].endswith("临江市") for f in got)


def test_finding_ids_do_not_depend_on_load_order(tmp_path):
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    first = _law_findings(networkx_backend_of(tmp_path / "a", NOISE, CITING))
    second = _law_findings(networkx_backend_of(tmp_path / "b", CITING, NOISE))
    assert [(f["id"], f["evidence_hash"]) for f in first] == [(f["id"], f["evidence_hash"]) for f in second]


def test_a_laws_articles_are_no_gaps_in_the_citys_duties(tmp_path):
    # the noise law's definitions and penalties on private parties name no authority: they are not
    # "no responsible unit" findings; the gazette's own gaps are reported as without the law
    alone = findings(networkx_backend_of(tmp_path / "a", SAMPLE), today=TODAY, types=["no_assignee"])
    with_law = findings(networkx_backend_of(tmp_path / "b", SAMPLE, NOISE), today=TODAY, types=["no_assignee"])
    assert alone and sorted(f["id"] for f in with_law) == sorted(f["id"] for f in alone)
