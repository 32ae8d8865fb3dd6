"""Duty analysis on the bundled gazette: findings a person verified by reading the text,
stable ids, declarative rules, and review marks that survive reloads."""
import json
import os

import pytest

from ontology import data_path
from api.settings import load_settings
from graph.errors import InputError, QueryError
from graph.networkx_backend import NetworkxStore
from graph.review_store import ReviewStore, effective_status, reviews_path
from service.service import load_files
from queries.findings import TYPES, counts, findings
from queries.findings_rules import SEVERITY_RANK, load_rules

SAMPLE = data_path("samples", "shuangyashan-gazette-2024-05.txt")
TODAY = "2025-01-01"


def load(paths, store):
    load_files(paths, load_settings(store=str(store), backend="networkx"))
    return NetworkxStore(str(store)).reads()


@pytest.fixture(scope="module")
def backend(tmp_path_factory):
    return load([SAMPLE], tmp_path_factory.mktemp("store") / "store.json")


@pytest.fixture(scope="module")
def all_findings(backend):
    return findings(backend, today=TODAY)


def of_type(records, kind):
    return [f for f in records if f["type"] == kind]


def at(records, kind, doc, unit):
    """The one finding of a type on one provision."""
    hits = [f for f in of_type(records, kind) if any(p["doc"] == doc and p["unit"] == unit for p in f["provisions"])]
    assert len(hits) == 1, (kind, doc, unit, [f["title_zh"] for f in hits])
    return hits[0]


# -- what the text says --------------------------------------------------------------
def test_two_leads_on_the_work_system_clause(all_findings):
    # 双政发〔2024〕4号 (16): 〔牵头单位:市营商环境局、市人力资源社会保障局;完成时限:持续推进〕
    f = at(all_findings, "several_leads", "双政发〔2024〕4号", "(16)")
    assert f["severity"] == "high"
    assert f["departments"] == ["市人力资源社会保障局", "市营商环境局"]
    assert {e["role"] for e in f["evidence"]} == {"lead"}
    assert "牵头单位:市营商环境局、市人力资源社会保障局" in f["evidence"][0]["quote"]
    assert f["title_zh"] == "双政发〔2024〕4号 (16) 有2个牵头单位(市人力资源社会保障局、市营商环境局),牵头责任不唯一"


def test_respective_leads_are_reported_low(all_findings):
    # 双政发〔2024〕5号 (5): 分别由市教育和体育局、市文化广电和旅游局、市卫生健康委牵头
    f = at(all_findings, "several_leads", "双政发〔2024〕5号", "(5)")
    assert f["severity"] == "low" and f["details"]["respective"] is True
    assert f["departments"] == ["市卫生健康委", "市教育和体育局", "市文化广电和旅游局"]


def test_pending_assignment_on_article_70(all_findings):
    f = at(all_findings, "pending_assignment", "双政办发〔2024〕22号", "第七十条")
    assert f["departments"] == ["市城管局"] and f["severity"] == "high"
    assert "待城管部门职能调整后,由承接部门负责监督管理" in f["evidence"][0]["quote"]
    assert len(of_type(all_findings, "pending_assignment")) == 1


def test_old_and_misprinted_department_names(all_findings):
    old = at(all_findings, "naming", "双政发〔2024〕6号", "(34)")
    assert old["details"] == {"printed": "人民银行双鸭山市中心支行", "canonical": "中国人民银行双鸭山市分行",
                              "how": "old", "units": ["(34)"]}
    assert old["severity"] == "medium"
    assert old["evidence"][0]["quote"].startswith("市生态环境局、人民银行双鸭山市中心支行")
    typo = at(all_findings, "naming", "双政发〔2024〕4号", "一件事/7")
    assert (typo["details"]["printed"], typo["details"]["canonical"], typo["details"]["how"]) == \
        ("市菅商环境局", "市营商环境局", "typo")
    # 市林草局 three times in one document: one finding listing the three clauses.
    abbrev = [f for f in of_type(all_findings, "naming") if f["details"]["printed"] == "市林草局"]
    assert len(abbrev) == 1 and abbrev[0]["details"]["units"] == ["(2)", "(3)", "(7)"]
    assert abbrev[0]["severity"] == "low"
    # Collectives written short (各县(区)) are how such lists are printed, not a naming problem.
    assert not [f for f in of_type(all_findings, "naming") if "县(区)" in f["details"]["printed"]]


def test_mining_clauses_41_to_43_have_no_holder(all_findings):
    gaps = [f for f in of_type(all_findings, "no_assignee") if f["provisions"][0]["doc"] == "双政办规〔2024〕2号"]
    assert sorted(f["provisions"][0]["unit"] for f in gaps) == ["(41)", "(42)", "(43)"]
    assert {f["severity"] for f in gaps} == {"high"}
    assert gaps[0]["evidence"][0]["department"] is None
    # Programme statements without holders are listed, but at the bottom.
    guiding = at(all_findings, "no_assignee", "双政发〔2024〕6号", "(1)")
    assert guiding["severity"] == "info"


def test_overdue_deadlines_of_the_business_environment_bureau(backend):
    late = findings(backend, today=TODAY, types="overdue", department="市营商环境局")
    by_unit = {f["provisions"][0]["unit"]: f for f in late if f["provisions"][0]["doc"] == "双政发〔2024〕4号"}
    # 2024年9月底前取得阶段性成效: (3) 诉求"一线应答" and (6) 异地事项跨域办
    september = sorted(u for u, f in by_unit.items() if f["details"]["deadline_date"] == "2024-09-30")
    assert september == ["(3)", "(6)"]
    assert by_unit["(3)"]["details"]["days_overdue"] == 93
    # 2024年12月底前: (1) (2) (4) (5) (7), overdue by one day on 2025-01-01.
    assert sorted(u for u, f in by_unit.items() if f["details"]["deadline_date"] == "2024-12-31") == \
        ["(1)", "(2)", "(4)", "(5)", "(7)"]
    assert findings(backend, today="2024-09-01", types="overdue", department="市营商环境局") == []
    # Overdue by more than the rule's 180 days: high (目录/1, 2024年6月).
    land = at(findings(backend, today=TODAY, types="overdue"), "overdue", "双政办发〔2024〕24号", "目录/1")
    assert land["severity"] == "high" and land["departments"] == ["市自然资源局"]


def test_same_duty_different_holders_across_lists(all_findings):
    fs = of_type(all_findings, "same_duty_different_holders")
    units = {tuple(sorted(p["unit"] for p in f["provisions"])): f for f in fs}
    subsidy = units[("一件事/12/困难残疾人生活补贴", "清单/22")]
    assert subsidy["severity"] == "high"
    assert sorted(map(tuple, subsidy["details"]["holder_sets"])) == [("市残联", "市民政局"), ("市民政局",)]
    records = units[("一件事/10/社会保险参保缴费记录查询", "一件事/7/社会保险参保缴费记录核查")]
    assert records["details"]["names"] == ["社会保险参保缴费记录核查", "社会保险参保缴费记录查询"]
    assert records["departments"] == ["国家税务总局双鸭山市税务局", "市人力资源社会保障局"]
    # Same department, lead in one row (★) and not in the other: reported, low.
    licence = units[("一件事/2/企业营业执照信息核验", "一件事/3/企业营业执照信息核验")]
    assert licence["severity"] == "low" and licence["details"]["roles_only"]
    nursing = units[("一件事/12/重度残疾人护理补贴", "清单/23")]
    assert nursing["severity"] == "low"
    # Items that share only boilerplate (…领域无违法违规信息核查) are not "the same duty".
    assert not [f for f in fs if any("科技领域" in n for n in f["details"]["names"])]


def test_split_jurisdiction_and_the_same_split_written_twice(all_findings):
    f70 = at(all_findings, "split_jurisdiction", "双政办发〔2024〕22号", "第七十条")
    groups = {g["departments"][0]: g for g in f70["details"]["groups"]}
    assert sorted(groups) == ["市公安局", "市城管局", "市文化广电和旅游局"]
    assert groups["市城管局"]["pending"] and groups["市城管局"]["condition"].startswith("在商业经营活动中使用高音广播喇叭")
    assert groups["市文化广电和旅游局"]["condition"].startswith("每日凌晨2时至上午8时")
    assert f70["details"]["catch_all"] == {"condition": "其他违反本条规定的,造成的社会噪声扰民行为",
                                           "departments": ["市公安局"], "explicit": True}
    assert f70["details"]["law_article"] == "《中华人民共和国噪声污染防治法》第七十条"
    # 第八十二条: 公安 by default, 城管 for the commercial loudspeaker case: the default is the catch-all.
    f82 = at(all_findings, "split_jurisdiction", "双政办发〔2024〕22号", "第八十二条")
    assert f82["details"]["catch_all"]["departments"] == ["市公安局"] and not f82["details"]["catch_all"]["explicit"]
    # The 3-way split is repeated in the row the loader recovers as 第八十一条 (the PDF prints the
    # label garbled; the quoted 法律内容 is article 81's), without the pending note.
    [rep] = of_type(all_findings, "split_repeated")
    assert sorted(p["unit"] for p in rep["provisions"]) == ["第七十条", "第八十一条"]
    assert any("仅第七十条" in d and "待职能调整" in d for d in rep["details"]["differences"])
    assert any("社会噪声扰民行为" in d and "社会生活噪声扰民行为" in d for d in rep["details"]["differences"])


def test_shared_duty_without_lead_counts_named_departments(all_findings):
    # 双政发〔2024〕4号 (12): 〔责任单位:市教育和体育局、…、国网双鸭山供电公司等有关单位〕, no lead;
    # 各县(区)人民政府 from the standing note does not count.
    f = at(all_findings, "shared_without_lead", "双政发〔2024〕4号", "(12)")
    assert sorted(f["details"]["responsible"]) == sorted([
        "市教育和体育局", "市人力资源社会保障局", "市卫生健康委", "市民政局", "市住房城乡建设局",
        "市通信管理办公室", "市营商环境局", "国网双鸭山供电公司"])
    assert "有8个责任单位共同负责" in f["title_zh"] and f["details"]["open_ended"]
    # (16) has leads: never "without lead".
    assert not [x for x in of_type(all_findings, "shared_without_lead")
                if x["provisions"][0]["doc"] == "双政发〔2024〕4号" and x["provisions"][0]["unit"] == "(16)"]


def test_vague_only_and_open_ended(all_findings):
    vague = {(f["provisions"][0]["doc"], f["provisions"][0]["unit"]) for f in of_type(all_findings, "vague_only")}
    assert {("双政办规〔2024〕2号", "(37)"), ("双政办规〔2024〕2号", "(40)"), ("双政发〔2024〕5号", "(21)")} <= vague
    mines = [f for f in of_type(all_findings, "open_ended") if f["provisions"][0]["doc"] == "双政办规〔2024〕2号"]
    # (1)'s note "[市发展改革委、市自然资源局、市煤管局等部门,有关县(区)党委和政府按职责分工推进落实]" opens it.
    assert len(mines) == 1 and mines[0]["details"]["units"][0] == "(1)"


def test_body_names_departments_the_list_leaves_out(all_findings):
    # 双政办规〔2024〕2号 (9) names 发改, 公安, 自然资源, 生态环境, 市场监督管理 部门 in its text;
    # its list adds 市应急局 and 市煤管局, which the text calls only 矿山安全监管部门.
    f = at(all_findings, "body_vs_list", "双政办规〔2024〕2号", "(9)")
    assert f["details"]["missing_in_body"] == ["市应急局", "市煤管局"] and f["details"]["missing_in_list"] == []


# -- the record contract ---------------------------------------------------------------
def test_every_finding_is_a_complete_record_in_canonical_order(all_findings):
    order = {t: i for i, t in enumerate(load_rules().types)}
    assert all_findings == sorted(all_findings, key=lambda f: (SEVERITY_RANK[f["severity"]], order[f["type"]], f["id"]))
    assert len({f["id"] for f in all_findings}) == len(all_findings)
    for f in all_findings:
        assert set(f) == {"id", "type", "severity", "title_zh", "departments", "provisions", "evidence",
                          "evidence_hash", "details"}
        assert f["type"] in TYPES and f["title_zh"] and "{" not in f["title_zh"]
        assert f["provisions"] and all(set(p) == {"provision_id", "doc", "unit", "heading"} for p in f["provisions"])
        assert f["evidence"] and all(set(e) == {"doc", "unit", "department", "role", "quote", "span"}
                                     for e in f["evidence"])
    json.dumps(all_findings, ensure_ascii=False)   # plain data for the CLI, the API and the stores


def test_counts_on_the_sample(all_findings):
    c = counts(all_findings)
    assert c["total"] == len(all_findings)
    assert {k: v for k, v in c["by_type"].items() if k != "shared_without_lead"} == {
        "no_assignee": 8, "several_leads": 8, "same_duty_different_holders": 5, "split_jurisdiction": 5,
        "split_repeated": 1, "pending_assignment": 1, "vague_only": 4, "open_ended": 5, "naming": 7,
        "body_vs_list": 2, "overdue": 10,
        # no law is loaded beside the sample: nothing to compare with (tests/test_law_findings.py)
        "law_authority_differs": 0, "designation_missing": 0, "law_authority_without_local_holder": 0,
        "allocated_twice": 0}
    assert c["by_type"]["shared_without_lead"] >= 40


def test_filters(backend, all_findings):
    assert {f["type"] for f in findings(backend, today=TODAY, types=["naming", "vague_only"])} == \
        {"naming", "vague_only"}
    by_alias = findings(backend, today=TODAY, department="市人社局")
    assert by_alias and by_alias == findings(backend, today=TODAY, department="市人力资源社会保障局")
    assert at(by_alias, "several_leads", "双政发〔2024〕4号", "(16)")
    noise = findings(backend, today=TODAY, doc="双政办发〔2024〕22号")
    assert {f["type"] for f in noise} == {"split_jurisdiction", "split_repeated", "pending_assignment"}
    high = findings(backend, today=TODAY, severity="high")
    assert high and {f["severity"] for f in high} <= {"critical", "high"}
    assert [f for f in all_findings if f["severity"] in ("critical", "high")] == high
    with pytest.raises(QueryError, match="unknown finding type"):
        findings(backend, types="overlap")
    with pytest.raises(QueryError, match="severity"):
        findings(backend, severity="urgent")


# -- rules ------------------------------------------------------------------------------
def test_rules_are_tunable_without_code(backend, tmp_path):
    rules = tmp_path / "rules.yaml"
    rules.write_text("types:\n  shared_without_lead: {min_responsible: 10}\n  open_ended: {enabled: false}\n"
                     "  pending_assignment: {severity: critical, message: \"过渡:{unit}\"}\n", encoding="utf-8")
    fs = findings(backend, rules=str(rules), today=TODAY)
    shared = of_type(fs, "shared_without_lead")
    assert [(f["provisions"][0]["doc"], f["provisions"][0]["unit"]) for f in shared] == [("双政发〔2024〕5号", "(16)")]
    assert not of_type(fs, "open_ended")
    assert fs[0]["type"] == "pending_assignment" and fs[0]["title_zh"] == "过渡:第七十条"


def test_a_misspelt_rule_is_an_error_naming_the_key(tmp_path):
    bad = tmp_path / "rules.yaml"
    bad.write_text("types:\n  shared_without_lead: {min_responsable: 2}\n", encoding="utf-8")
    with pytest.raises(InputError, match="min_responsable.*types.shared_without_lead.min_responsable"):
        load_rules(str(bad))
    bad.write_text("types:\n  overdue: {message: \"{unit} {when}\"}\n", encoding="utf-8")
    with pytest.raises(InputError, match="unknown field.*when"):
        load_rules(str(bad))
    bad.write_text("types:\n  overdue: {severity: urgent}\n", encoding="utf-8")
    with pytest.raises(InputError, match="severity 'urgent'"):
        load_rules(str(bad))


# -- stable ids and review marks ----------------------------------------------------------
def edited_sample(tmp_path, old, new):
    with open(SAMPLE, encoding="utf-8") as handle:
        text = handle.read()
    assert old in text
    path = tmp_path / "shuangyashan-gazette-2024-05.txt"
    path.write_text(text.replace(old, new), encoding="utf-8")
    return str(path)


def test_ids_and_hashes_survive_a_reload(tmp_path, all_findings):
    store = tmp_path / "store.json"
    first = load([SAMPLE], store)
    again = findings(load([SAMPLE], store), today=TODAY)
    elsewhere = findings(load([SAMPLE], tmp_path / "other.json"), today=TODAY)
    key = lambda fs: [(f["id"], f["evidence_hash"]) for f in fs]
    assert key(again) == key(elsewhere) == key(all_findings) == key(findings(first, today=TODAY))


def test_a_dismissal_survives_reloads_and_reopens_when_the_evidence_changes(tmp_path):
    store = tmp_path / "store.json"
    leads = at(findings(load([SAMPLE], store), today=TODAY), "several_leads", "双政发〔2024〕4号", "(16)")
    reviews = ReviewStore(str(store))
    with pytest.raises(QueryError, match="note"):
        reviews.mark(leads["id"], "dismissed", "", leads["evidence_hash"])
    reviews.mark(leads["id"], "dismissed", "两单位联合牵头,系有意安排", leads["evidence_hash"], reviewer="法制科")
    assert os.path.exists(reviews_path(str(store)))

    reloaded = at(findings(load([SAMPLE], store), today=TODAY), "several_leads", "双政发〔2024〕4号", "(16)")
    state = ReviewStore(str(store)).status(reloaded)
    assert (reloaded["id"], state["status"], state["note"]) == (leads["id"], "dismissed", "两单位联合牵头,系有意安排")

    # The bracket now names another second lead: same finding, other evidence → shown again.
    edited = edited_sample(tmp_path, "〔牵头单位:市营商环境局、市人力资源社会保障局;",
                           "〔牵头单位:市营商环境局、市司法局;")
    changed = at(findings(load([edited], store), today=TODAY), "several_leads", "双政发〔2024〕4号", "(16)")
    assert changed["id"] == leads["id"] and changed["evidence_hash"] != leads["evidence_hash"]
    state = ReviewStore(str(store)).status(changed)
    assert state["status"] == "reopened" and state["evidence_changed"]


def test_accepted_stays_accepted_and_open_clears(tmp_path):
    reviews = ReviewStore(str(tmp_path / "store.json"))
    finding = {"id": "finding:abc", "evidence_hash": "h1"}
    reviews.mark("finding:abc", "accepted", "", "h1")
    assert effective_status({**finding, "evidence_hash": "h2"}, reviews.marks())["status"] == "accepted"
    reviews.mark("finding:abc", "resolved", "改文后已解决", "h1")
    assert reviews.marks()["finding:abc"]["history"][0]["status"] == "accepted"
    reviews.mark("finding:abc", "open")
    assert reviews.marks() == {} and reviews.status(finding)["status"] == "open"
    with pytest.raises(QueryError, match="status"):
        reviews.mark("finding:abc", "ignored", "x", "h1")


def test_a_failed_write_leaves_the_marks_untouched(tmp_path, monkeypatch):
    reviews = ReviewStore(str(tmp_path / "store.json"))
    reviews.mark("finding:abc", "accepted", "", "h1")
    before = open(reviews.path, encoding="utf-8").read()

    def fail(*args):
        raise OSError("disk full")
    monkeypatch.setattr(os, "replace", fail)
    with pytest.raises(OSError):
        reviews.mark("finding:def", "dismissed", "不适用", "h2")
    monkeypatch.undo()
    assert open(reviews.path, encoding="utf-8").read() == before
    assert [n for n in os.listdir(tmp_path) if n.endswith(".tmp")] == []


# -- both backends ---------------------------------------------------------------------------
def test_both_backends_give_identical_findings(loaded):
    """The differential guarantee for findings: computed from primitives only, so equal on Neo4j.
    (Uses the `loaded` fixture of tests/conftest.py: the sample in a fresh networkx store and Neo4j.)"""
    on_nx = findings(loaded.nx, today=TODAY)
    on_neo = findings(loaded.neo, today=TODAY)
    assert on_nx and on_neo == on_nx
    for kwargs in ({"types": "overdue", "department": "市营商环境局"}, {"doc": "双政办发〔2024〕22号"},
                   {"severity": "high"}):
        assert findings(loaded.neo, today=TODAY, **kwargs) == findings(loaded.nx, today=TODAY, **kwargs)


def test_finding_rows_for_the_graph_stores(backend, all_findings):
    from queries.findings import finding_rows
    nodes, rels = finding_rows(all_findings)
    assert [n["id"] for n in nodes] == [f["id"] for f in all_findings]
    assert {n["label"] for n in nodes} == {"Finding"}
    pending = next(n for n in nodes if n["props"]["type"] == "pending_assignment")
    assert json.loads(pending["props"]["evidence"])[0]["department"] == "市城管局"
    assert all(backend.provision(r["to"]) is not None for r in rels)
    assert len(rels) == sum(len(f["provisions"]) for f in all_findings)


def test_the_same_item_is_compared_within_one_place_only(tmp_path):
    # The gazette as another city's: every same-item finding stays inside one city,
    # so loading both gives each city's findings, none across the two.
    text = open(SAMPLE, encoding="utf-8").read().replace("双鸭山", "临江").replace("双政", "临政")
    other = tmp_path / "linjiang.txt"
    other.write_text(text, encoding="utf-8")
    one_city = of_type(findings(load([SAMPLE], tmp_path / "one.json"), today=TODAY), "same_duty_different_holders")
    both = of_type(findings(load([SAMPLE, str(other)], tmp_path / "both.json"), today=TODAY),
                   "same_duty_different_holders")
    assert one_city and len(both) == 2 * len(one_city)
    for f in both:
        cities = {p["doc"][:1] for p in f["provisions"]}     # 双政… or 临政…
        assert len(cities) == 1, f["title_zh"]
