"""Forms of local regulations the law reader learnt from a probe of held-out regulations of other
provinces (issue 13, "How it will be judged"): each form in a short regulation written for the test,
and the holders a reader of ARCHITECTURE.md ("Laws and regulations") gives it."""
from __future__ import annotations

from loaders.pipeline import load_text


def _holders(*articles: str) -> set[tuple[str, str, str]]:
    text = "某某市森林和野生动物保护条例\n第一条 为了保护森林资源，制定本条例。\n" + "\n".join(articles) + "\n"
    result = load_text(text, "forms.md")
    names = {d.id: d.name for d in result.departments}
    return {(a.evidence.unit, names[a.department_id] if a.department_id else f"VAGUE:{a.vague}", a.role)
            for a in result.assignments}


def _records(*articles: str):
    text = "某某市森林和野生动物保护条例\n第一条 为了保护森林资源，制定本条例。\n" + "\n".join(articles) + "\n"
    return load_text(text, "forms.md").assignments


# -- names of holders ---------------------------------------------------------------------
def test_a_name_inside_a_longer_name_is_no_holder_of_its_own():
    assert _holders("第二条 公安机关交通管理部门负责禁行区域的交通管理。") == {
        ("第二条", "公安机关交通管理部门", "responsible")}


def test_joined_tiers_are_one_level():
    [a] = _records("第二条 省和地级以上市林业主管部门应当公布自然保护地名录。")
    assert (a.printed_name, a.level, a.field) == ("省和地级以上市林业主管部门", "省和地级以上市", "绿化")
    [b] = _records("第二条 市和区、县人民政府应当划定禁猎区。")
    assert (b.level, b.role) == ("市和区、县人民政府", "responsible")


def test_a_government_described_by_a_clause_holds_its_duty():
    assert _holders("第二条 水土流失严重地区的人民政府应当制定治理规划。") == {("第二条", "人民政府", "responsible")}


def test_a_government_before_a_department_is_its_tier_not_its_field():
    assert _holders("第二条 采伐许可证由有审批权的人民政府林业主管部门核发。") == {
        ("第二条", "林业主管部门", "responsible")}


def test_list_members_with_brackets_and_words_a_tier_opens():
    got = _holders("第二条 文化、市政公用、城市管理行政执法(市容)等部门按照各自职责做好保护工作。")
    assert got == {("第二条", "文化部门", "responsible"), ("第二条", "市政公用部门", "responsible"),
                   ("第二条", "城市管理行政执法(市容)部门", "responsible")}


def test_a_list_of_whole_names_gives_each_name_once():
    assert _holders("第二条 由公安部门、林业部门或者其他主管部门按照各自职责予以处罚。") == {
        ("第二条", "公安部门", "responsible"), ("第二条", "林业部门", "responsible"),
        ("第二条", "VAGUE:其他主管部门", "responsible")}


def test_a_list_ending_in_other_relevant_departments_names_its_members():
    got = _holders("第二条 商务、统计等其他相关主管部门根据各自职责做好统计工作。",
                   "第三条 市林业主管部门会同气象等有关部门建立火险预警机制。")
    assert got == {("第二条", "商务主管部门", "responsible"), ("第二条", "统计主管部门", "responsible"),
                   ("第三条", "林业主管部门", "lead"), ("第三条", "气象部门", "supporting")}


def test_he_joins_the_members_of_a_list_that_ends_in_deng():
    assert _holders("第二条 省、市教育和卫生等部门负责学校周边环境的监督。") == {
        ("第二条", "教育部门", "responsible"), ("第二条", "卫生部门", "responsible")}
    [a, _] = _records("第二条 省、市教育和卫生等部门负责学校周边环境的监督。")
    assert a.level == "省、市" and a.open_ended


def test_youguan_before_a_named_body_picks_it_and_is_no_part_of_its_name():
    assert _holders("第二条 本条例规定的行政处罚，依法由有关综合行政执法部门实施。") == {
        ("第二条", "综合行政执法部门", "responsible")}


# -- objects and offenders -------------------------------------------------------------------
def test_bodies_receiving_an_application_or_consulted_hold_nothing():
    assert _holders("第二条 采伐林木的，应当报有管辖权的人民政府林业主管部门审批。",
                    "第三条 保护规划由市林业主管部门组织编制，征求相关主管部门意见后，报市人民政府批准。",
                    "第四条 阻碍、抗拒林业主管部门依法执行职务，涉嫌犯罪的，移送司法机关依法处理。") == {
        ("第三条", "林业主管部门", "responsible")}


def test_the_body_helped_or_coordinated_is_an_object():
    assert _holders("第二条 市场监督管理部门应当配合林业主管部门开展检查，并协调其他相关部门做好衔接。") == {
        ("第二条", "市场监督管理部门", "supporting")}


def test_offending_bodies_hold_no_duty():
    assert _holders("第二条 各级人民政府、林业主管部门和其他有关部门有下列行为之一的，对直接负责的主管人员依法给予处分：",
                    "（一）不依法履行监督管理职责的；",
                    "第三条 有下列行为之一的，由林业主管部门责令改正：",
                    "（一）自然保护区管理机构未按照规定开展监测的。") == {("第三条", "林业主管部门", "responsible")}


def test_the_act_of_a_body_runs_past_the_body_it_reports_to():
    assert _holders("第二条 市人民政府收到申请后，在三十日内向国务院林业主管部门报送审核意见。") == {
        ("第二条", "人民政府", "responsible")}


# -- roles -------------------------------------------------------------------------------------
def test_you_x_makes_x_the_agent_whatever_the_verb():
    assert _holders("第二条 分级管理权限由市林业主管部门规定。",
                    "第三条 病死野生动物由野生动物保护主管部门收集并无害化处理。",
                    "第四条 执法人员玩忽职守的，由其所在单位或者上级主管部门依法给予处分。") == {
        ("第二条", "林业主管部门", "responsible"), ("第三条", "野生动物保护主管部门", "responsible"),
        ("第四条", "上级主管部门", "responsible")}


def test_ying_and_ke_of_older_texts_are_duties():
    assert _holders("第二条 县级以上人民政府应根据需要划定禁猎区。",
                    "第三条 县人民政府可向市人民政府申请调整禁猎区。") == {
        ("第二条", "人民政府", "responsible"), ("第三条", "人民政府", "responsible")}
    assert {a.level for a in _records("第二条 县人民政府可向市人民政府申请调整禁猎区。")} == {"县人民政府"}


def test_bodies_organised_by_another_take_part():
    assert _holders("第二条 市林业主管部门接到火情报告后，应当组织有关部门参加扑救。") == {
        ("第二条", "林业主管部门", "responsible"), ("第二条", "VAGUE:有关部门", "supporting")}


def test_a_coordination_mechanism_built_is_no_lead_role():
    assert _holders("第二条 县级以上人民政府负责森林防火工作，建立健全统筹协调和联防联控机制。") == {
        ("第二条", "人民政府", "responsible")}


def test_organising_and_coordinating_written_apart_is_a_lead():
    assert _holders("第二条 县级以上人民政府应当加强领导，做好有关组织、协调工作。") == {("第二条", "人民政府", "lead")}


# -- bodies and designation -------------------------------------------------------------------
def test_village_and_residents_committees_written_together_hold_duties():
    assert _holders("第二条 村（居）民委员会协助街道办事处开展护林宣传。") == {
        ("第二条", "村（居）民委员会", "supporting")}


def test_a_designated_body_keeps_its_designation_under_its_short_name():
    got = _records("第二条 本市古树名木的保护，由市人民政府指定的行政机关负责（以下简称“市古树管理机关”）。",
                   "第三条 市古树管理机关应当建立古树名木档案。",
                   "第四条 违反本条例规定的，由市古树管理机关责令改正。")
    assert sorted((a.evidence.unit, a.printed_name, a.designated) for a in got) == [
        ("第三条", "市古树管理机关", True), ("第二条", "市人民政府指定的行政机关", True),
        ("第四条", "市古树管理机关", True)]


def test_bodies_named_by_the_power_they_hold():
    assert _holders("第二条 有权处理的部门受理举报后，应当及时调查处理。",
                    "第三条 依法作出处罚决定的行政机关可以按日连续处罚。",
                    "第四条 行政机关应当及时作出决定。") == {
        ("第二条", "有权处理的部门", "responsible"), ("第三条", "作出处罚决定的行政机关", "responsible"),
        ("第四条", "行政机关", "responsible")}     # the generic holder of 行政许可法 stays as the law names it


# -- forms of a second probe (江门市潭江流域水质保护条例, read after the forms above) --------------
def test_a_government_that_determines_acts_but_one_it_determined_holds_nothing():
    assert _holders("第二条 保护范围由市人民政府确定并向社会公布。",
                    "第三条 县人民政府确定的其他区域，参照本条例执行。") == {("第二条", "人民政府", "responsible")}


def test_bodies_named_inside_the_mechanism_a_government_builds_hold_nothing():
    assert _holders("第二条 县级以上人民政府应当建立政府主导、林业主管部门具体负责、相关部门共同参与的护林协调机制。") == {
        ("第二条", "人民政府", "responsible")}


def test_the_place_a_body_acts_in_is_no_part_of_its_name():
    [a] = _records("第二条 流域内林业主管部门应当加强巡查。")
    assert (a.printed_name, a.field) == ("林业主管部门", "绿化")
    assert _holders("第二条 流域内水行政主管部门应当对排污口登记造册。") == {("第二条", "水行政主管部门", "responsible")}


# -- forms of a probe of the corpus itself (浙江 local regulations, administrative regulations) -------
def test_a_bureau_of_an_organ_and_tiers_ending_in_ji():
    assert _holders("第二条 市公安机关负责监督管理，并由同级公安机关消防机构负责实施。") == {
        ("第二条", "公安机关", "responsible"), ("第二条", "公安机关消防机构", "responsible")}
    [a] = _records("第二条 区、县（市）级林业主管部门负责本辖区的监督管理。")
    assert (a.level, a.field) == ("区、县（市）级", "绿化")


def test_committees_of_a_government_and_organs_named_by_youguan():
    assert _holders("第二条 市、区人民政府森林防火管理委员会负责组织、协调森林防火工作。",
                    "第三条 有关主管机关应当责令其限期改正。",
                    "第四条 具体办法由海关总署制定。") == {
        ("第二条", "森林防火管理委员会", "lead"), ("第三条", "VAGUE:有关主管机关", "responsible"),
        ("第四条", "海关总署", "responsible")}


def test_every_organ_of_the_state_is_no_holder():
    assert _holders("第二条 各级国家机关应当支持护林工作。") == set()


def test_he_inside_a_member_of_a_list_written_with_dunhao():
    assert _holders("第二条 发展和改革、住房保障和房产管理、林业等部门按照各自职责做好相关工作。") == {
        ("第二条", "发展和改革部门", "responsible"), ("第二条", "住房保障和房产管理部门", "responsible"),
        ("第二条", "林业部门", "responsible")}


def test_dangdi_is_a_tier():
    assert _holders("第二条 当地林业部门应当及时处理。",
                    "第三条 护林员死亡的，当地人民政府有关部门应当给予妥善安排。") == {
        ("第二条", "林业部门", "responsible"), ("第三条", "VAGUE:有关部门", "responsible")}


def test_the_body_entrusted_or_asked_and_the_one_that_receives():
    assert _holders("第二条 林业主管部门或者受林业主管部门委托的护林管理机构应当发放凭证。",
                    "第三条 当事人有权要求林业主管部门或者其他有关部门依法处理，受理部门应当在三十日内处理。") == {
        ("第二条", "林业主管部门", "responsible"), ("第二条", "护林管理机构", "responsible"),
        ("第三条", "受理部门", "responsible")}


def test_the_aim_of_a_law_gives_no_duty():
    text = "某某办法\n第一条 为了加强林业主管部门对古树名木的保护，根据有关法律，制定本办法。\n第二条 林业主管部门负责古树名木保护。\n"
    assert [(a.evidence.unit, a.printed_name) for a in load_text(text, "x.md").assignments] == [
        ("第二条", "林业主管部门")]


# -- forms of a third held-out text (广东省实施《环境噪声污染防治法》办法, read after all the above) ------
def test_helping_after_adverbials_is_supporting():
    assert _holders("第二条 工商、文化等行政管理部门和乡镇人民政府，根据各自职责，依法协助林业主管部门做好护林工作。") == {
        ("第二条", "工商行政管理部门", "supporting"), ("第二条", "文化行政管理部门", "supporting"),
        ("第二条", "乡镇人民政府", "supporting")}


def test_suozaidi_and_the_last_tier_of_a_list_are_levels():
    assert _holders("第二条 建设单位应当将协议报所在地林业主管部门备案。") == set()
    [a, b] = _records("第二条 保护区的划定，由市、县级林业主管部门会同有关部门提出。")
    assert (a.printed_name, a.level, a.role, b.vague, b.role) == (
        "市、县级林业主管部门", "市、县级", "lead", "有关部门", "supporting")


def test_refusing_and_yao_are_duties():
    assert _holders("第二条 超过排放标准的，公安机关不予办理登记。",
                    "第三条 各市、县人民政府要安排护林专项经费。") == {
        ("第二条", "公安机关", "responsible"), ("第三条", "人民政府", "responsible")}


def test_bodies_that_exercise_a_power_by_law_are_vague_holders():
    assert _holders("第二条 林业主管部门和其他依照法律、法规行使森林监督管理权的部门，有权进行现场检查。") == {
        ("第二条", "林业主管部门", "responsible"),
        ("第二条", "VAGUE:其他依照法律、法规行使森林监督管理权的部门", "responsible")}


def test_a_marker_inside_a_word_marks_no_object():
    assert _holders("第二条 收到材料的县级人民政府林业主管部门应当及时调查核实。") == {
        ("第二条", "林业主管部门", "responsible")}
