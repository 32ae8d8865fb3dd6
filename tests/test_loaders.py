"""The loaders on the bundled gazette: documents, provisions and every assignment form,
checked against what a person reads in the text."""
import os

import pytest

from ontology import data_path
from loaders.pipeline import gap_provisions, load_text

SAMPLE = data_path("samples", "shuangyashan-gazette-2024-05.txt")


@pytest.fixture(scope="module")
def gazette():
    with open(SAMPLE, encoding="utf-8") as handle:
        text = handle.read()
    return text, load_text(text, "shuangyashan-gazette-2024-05.txt")


def _doc(result, number):
    return next(d for d in result.documents if d.number == number)


def holders(result, number, unit):
    """(department or VAGUE:phrase, role) pairs of one provision."""
    doc = _doc(result, number)
    prov = {p.id: p for p in result.provisions if p.doc_id == doc.id}
    names = {d.id: d.name for d in result.departments}
    return sorted((names[a.department_id] if a.department_id else "VAGUE:" + a.vague, a.role)
                  for a in result.assignments if a.provision_id in prov and prov[a.provision_id].unit == unit)


def assignment(result, number, unit, department):
    doc = _doc(result, number)
    dep = next(d.id for d in result.departments if d.name == department)
    return next(a for a in result.assignments
                if a.evidence.doc_id == doc.id and a.evidence.unit == unit and a.department_id == dep)


def test_the_gazette_holds_seven_documents_and_no_cover_or_contents(gazette):
    _, r = gazette
    assert [d.number for d in r.documents] == [
        "双政发〔2024〕4号", "双政发〔2024〕5号", "双政发〔2024〕6号", "双政办规〔2024〕2号",
        "双政办规〔2024〕3号", "双政办发〔2024〕22号", "双政办发〔2024〕24号"]
    air = _doc(r, "双政发〔2024〕6号")
    assert air.title == "双鸭山市人民政府关于印发《双鸭山市空气质量持续改善行动计划贯彻落实方案》的通知"
    assert (air.issuer, air.date) == ("双鸭山市人民政府", "2024-05-27")
    assert air.addressees == ("各县(区)人民政府", "市政府直属和在双中、省直有关单位")
    assert r.gazette.issue == "2024年第5期(总第65期)" and r.gazette.date == "2024-05-31"


def test_provision_labels_follow_the_architecture(gazette):
    _, r = gazette
    units = lambda n: [p.unit for p in r.provisions if p.doc_id == _doc(r, n).id]
    equipment = units("双政发〔2024〕5号")
    assert ["(1)", "(1).1", "(1).2", "(1).3", "(1).4", "(2)"] == equipment[equipment.index("(1)"):][:6]
    assert "(21).1" in equipment
    mines = units("双政办规〔2024〕2号")
    assert [u for u in mines if u.startswith("(")] == [f"({i})" for i in range(1, 51)]
    elderly = units("双政办规〔2024〕3号")
    # items numbered through the document keep their own number; clauses restart per section
    assert [u for u in elderly if u.isdigit()] == [str(i) for i in range(1, 23)]
    assert "三(2)" in elderly and "二(6)" in elderly


def test_labelled_bracket_with_open_list_and_deadline(gazette):
    _, r = gazette
    assert holders(r, "双政发〔2024〕4号", "(5)") == [
        ("VAGUE:市政府直属和在双中省直有关单位", "responsible"), ("各县(区)人民政府", "responsible"),
        ("市司法局", "responsible"), ("市营商环境局", "lead")]
    a = assignment(r, "双政发〔2024〕4号", "(5)", "市司法局")
    assert a.open_ended and a.deadline_date == "2024-12-31"
    assert a.evidence.quote.startswith("牵头单位:市营商环境局;责任单位:市司法局等")


def test_quote_is_the_exact_source_slice(gazette):
    text, r = gazette
    for a in r.assignments:
        start, end = a.evidence.span
        assert text[start:end] == a.evidence.quote
        assert a.evidence.quote.strip()


def test_standing_note_adds_the_counties_to_later_provisions(gazette):
    _, r = gazette
    a = assignment(r, "双政发〔2024〕4号", "(2)", "各县(区)人民政府")
    assert a.source == "standing_note" and "不再列出" in a.evidence.quote
    assert ("有关县(区)党委和政府", "responsible") in holders(r, "双政办规〔2024〕2号", "(13)")


def test_verb_brackets(gazette):
    _, r = gazette
    assert holders(r, "双政发〔2024〕6号", "(20)") == [
        ("各县(区)人民政府", "responsible"), ("市农业农村局", "responsible"), ("市发展改革委", "responsible"),
        ("市气象局", "responsible"), ("市生态环境局", "responsible")]
    assert ("市生态环境局", "lead") in holders(r, "双政发〔2024〕6号", "(12)")
    assert ("市工业和信息化局", "responsible") in holders(r, "双政发〔2024〕6号", "(12)")
    assert holders(r, "双政办规〔2024〕2号", "(4)") == [
        ("市应急局", "responsible"), ("市煤管局", "responsible"), ("有关县(区)党委和政府", "responsible")]


def test_body_sentences_lead_and_respectively(gazette):
    _, r = gazette
    assert ("市工业和信息化局", "lead") in holders(r, "双政发〔2024〕5号", "(1)")
    assert ("VAGUE:市直有关部门", "responsible") in holders(r, "双政发〔2024〕5号", "(1)")
    leads = [d for d, role in holders(r, "双政发〔2024〕5号", "(5)") if role == "lead"]
    assert leads == ["市卫生健康委", "市教育和体育局", "市文化广电和旅游局"]
    assert ("国家税务总局双鸭山市税务局", "lead") in holders(r, "双政发〔2024〕5号", "(17)")


def test_section_assignment_covers_its_clauses(gazette):
    _, r = gazette
    for unit in ("(6)", "(7)", "(8)"):
        assert assignment(r, "双政发〔2024〕5号", unit, "市商务局").role == "lead"
        assert assignment(r, "双政发〔2024〕5号", unit, "市商务局").source == "section"


def test_bracket_after_the_last_item_covers_the_items_before_it(gazette):
    _, r = gazette
    for unit in ("17", "18"):
        a = assignment(r, "双政办规〔2024〕3号", unit, "市退役军人局")
        assert a.source == "inherited" and a.deadline_date == "2025-12-31"
    assert holders(r, "双政办规〔2024〕3号", "1") == []


def test_body_duty_with_generic_names_and_a_sub_case(gazette):
    _, r = gazette
    police = assignment(r, "双政办规〔2024〕2号", "(9)", "市公安局")
    assert police.role == "responsible"
    counties = assignment(r, "双政办规〔2024〕2号", "(11)", "各县(区)人民政府")
    assert counties.condition == "没有生产经营主体的"


def test_together_with(gazette):
    _, r = gazette
    assert holders(r, "双政办规〔2024〕3号", "3")[:3] == [
        ("VAGUE:相关部门", "supporting"), ("各县(区)人民政府", "responsible"), ("市发展改革委", "lead")]
    assert ("市发展改革委", "supporting") in holders(r, "双政办规〔2024〕3号", "三(2)")


def test_old_names_abbreviations_and_misprints_resolve(gazette):
    _, r = gazette
    old = assignment(r, "双政发〔2024〕6号", "(34)", "中国人民银行双鸭山市分行")
    assert old.printed_name == "人民银行双鸭山市中心支行"
    assert assignment(r, "双政办规〔2024〕2号", "(13)", "市工业和信息化局").printed_name == "市工信局"
    assert assignment(r, "双政办规〔2024〕2号", "(2)", "市林业草原局").printed_name == "市林草局"
    assert assignment(r, "双政办规〔2024〕2号", "(12)", "市发展改革委").printed_name == "市发改委"
    names = {d.name for d in r.departments}
    assert "市工信局" not in names and "市菅商环境局" not in names


def test_gaps_are_provisions_nobody_holds(gazette):
    _, r = gazette
    gaps = {(p.doc_id, p.unit) for p in gap_provisions(r)}
    mines = _doc(r, "双政办规〔2024〕2号").id
    assert {(mines, "(41)"), (mines, "(42)"), (mines, "(43)")} <= gaps
    assert (mines, "(40)") not in gaps


def test_targets_and_citations(gazette):
    _, r = gazette
    pm = next(t for t in r.targets if t.indicator == "PM2.5")
    assert (pm.value, pm.unit, pm.year) == ("26", "微克/立方米", "2025")
    assert {"国发〔2024〕3号", "黑政发〔2024〕6号", "黑政发〔2023〕19号"} <= {c.number for c in r.citations}


def test_parsing_is_linear_and_drops_nothing():
    # Unclosed brackets cost one pass (they once cost a rescan each); a bracket of any length is
    # read; item numbers of any size are items.
    from ontology.brackets import find_brackets
    assert find_brackets("（" * 60000) == []
    names = "、".join(f"市{chr(0x6c34 + i)}{chr(0x5de5 + i)}委" for i in range(200))   # 200 names never seen
    r = load_text(f"关于做好某项工作的通知\n\n一、工作任务\n（一）加强管理。（牵头单位：市财政局；责任单位：{names}）\n", "long.txt")
    assert len(r.assignments) == 201 and any(a.role == "lead" for a in r.assignments)
    items = "\n".join(f"{i}.清理第{i}片区。（责任单位：县住建局）" for i in range(998, 1003))
    r = load_text(f"某县村庄清洁行动方案\n\n{items}\n", "items.txt")
    assert [p.unit for p in r.provisions if p.kind == "item"] == ["998", "999", "1000", "1001", "1002"]
