"""Law ↔ local links (issue 13, part 3): a local provision citing an article implements it, and a
local department stands for a law's authority through its field (ontology/fields.yaml), per place."""
from __future__ import annotations

from loaders.law_links import cited_articles
from queries.law_coverage import coverages, find_law

from conftest import LAW_CITING_PLAN as CITING, NOISE_LAW as NOISE, SAMPLE, networkx_backend_of, read_text

SHUANGYASHAN = "黑龙江省双鸭山市"


def test_citations_as_printed_in_real_texts():
    # sentences of ../shared/corpus/laws (a range, a paragraph, a law cited in full)
    got = [(c.law, c.label) for text in ("根据《中华人民共和国立法法》第七十二条第二款的规定，结合本市实际，制定本条例。",
                                         "依照《中华人民共和国民事诉讼法》第二十九条至第三十一条的规定，确定管辖。",
                                         "违反本条例规定的，按照《中华人民共和国治安管理处罚法》第五十九条的规定处罚。")
           for c in cited_articles(text)]
    assert got == [("中华人民共和国立法法", "第七十二条第二款"), ("中华人民共和国民事诉讼法", "第二十九条"),
                   ("中华人民共和国民事诉讼法", "第三十条"), ("中华人民共和国民事诉讼法", "第三十一条"),
                   ("中华人民共和国治安管理处罚法", "第五十九条")]


def test_a_short_title_gets_the_reference_laws_full_title_and_an_offence_is_no_basis():
    assert [(c.law, c.label) for c in cited_articles("根据《噪声污染防治法》第43条规定")] == [
        ("中华人民共和国噪声污染防治法", "第四十三条")]
    assert cited_articles("违反《中华人民共和国噪声污染防治法》第四十三条规定的，依法处理。") == []


def test_every_row_of_the_law_article_table_implements_a_unit_of_the_loaded_law(tmp_path):
    backend = networkx_backend_of(tmp_path, SAMPLE, NOISE)
    [cover] = coverages(backend, find_law(backend, "噪声污染防治法"))
    assert cover.place == SHUANGYASHAN
    implemented = {(u.unit, loc["cites"]) for u in cover.units for loc in u.local}
    cited = {loc for _, loc in implemented}
    # the 13 rows of 双政办发〔2024〕22号, labels recovered from the law text where the PDF garbled them
    assert cited == {"第三十三条", "第四十三条", "第四十六条", "第七十条", "第七十二条第二款", "第七十三条第二款",
                     "第七十七条", "第七十八条", "第七十九条第二款", "第八十条", "第八十一条", "第八十二条", "第八十四条"}
    # a row citing a paragraph speaks for that paragraph only (第七十二条第一款 is not implemented)
    assert ("第七十二条第二款", "第七十二条第二款") in implemented
    assert not any(unit == "第七十二条第一款" for unit, _ in implemented)
    local = {loc["unit"]: loc["departments"] for u in cover.units for loc in u.local}
    assert local["第七十九条第二款"] == ["市交通运输局", "饶河海事处"]


def test_a_law_authority_is_matched_to_the_places_departments_by_field(tmp_path):
    backend = networkx_backend_of(tmp_path, SAMPLE, NOISE)
    [cover] = coverages(backend, find_law(backend, "中华人民共和国噪声污染防治法"))
    assert cover.local_holders_of("生态环境") == ["市生态环境局"]
    assert cover.local_holders_of("住房和城乡建设") == ["市住房城乡建设局"]
    assert cover.local_holders_of("海事") == ["饶河海事处"]
    assert cover.local_holders_of("海关") == ["饶河海关"]        # a body named without a field: by its name
    assert cover.local_holders_of("铁路") == [] and cover.local_holders_of("民用航空") == []


def test_a_prose_citation_links_whichever_is_loaded_first(tmp_path):
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    local_first = networkx_backend_of(tmp_path / "a", CITING, NOISE)
    law_first = networkx_backend_of(tmp_path / "b", NOISE, CITING)

    def view(backend):
        [cover] = coverages(backend, find_law(backend, "噪声污染防治法"))
        return cover.place, [(u.unit, loc["unit"], loc["departments"]) for u in cover.units for loc in u.local]

    assert view(local_first) == view(law_first)
    place, rows = view(local_first)
    assert place.endswith("临江市")
    assert ("第四十三条", "(1)", ["临江市城管局"]) in rows
