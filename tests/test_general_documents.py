"""Documents in styles the bundled gazette does not use: the loaders are general, not wired to one issue."""
import os

from conftest import SAMPLE
from loaders.pipeline import gap_provisions, load_text

DATA = os.path.join(os.path.dirname(__file__), "data")


def load(name):
    with open(os.path.join(DATA, name), encoding="utf-8") as handle:
        return load_text(handle.read(), name)


def table(result):
    units = {p.id: p.unit for p in result.provisions}
    names = {d.id: d.name for d in result.departments}
    return sorted((units[a.provision_id], names.get(a.department_id) or "VAGUE:" + a.vague, a.role)
                  for a in result.assignments)


def test_names_in_another_citys_document_are_that_citys_own():
    # The bundled registry speaks for 双鸭山: 临江's 市公安局 is another bureau,
    # so it gets a name and an id of its own; the printed form stays an alias.
    r = load("other-city-brackets.txt")
    police = next(d for d in r.departments if d.name == "临江市公安局")
    assert "市公安局" in police.aliases
    home = load_text(open(SAMPLE, encoding="utf-8").read(), "gazette.txt")
    assert "市公安局" in {d.name for d in home.departments}
    assert police.id not in {d.id for d in home.departments}
    # a name of another level in a county's document is left as printed
    county = load_text("宝清县人民政府关于做好防汛工作的通知\n\n一、压实责任\n\n（一）加强巡查。"
                       "（县水务局牵头，市应急局配合）\n", "county.txt")
    assert table(county) == [("(1)", "宝清县水务局", "lead"), ("(1)", "市应急局", "supporting")]


def test_one_body_under_two_names_is_one_holder():
    # 市市场监管局（市知识产权局）: one office bearing two names (挂牌), even when each name alone is known;
    # the bundled city's registry decides for its own documents (its 市住房城乡建设局(市城管局) stays two).
    county = load_text("临江市人民政府办公室关于做好知识产权工作的通知\n\n一、重点任务\n\n"
                       "（一）加强保护。（责任单位：市市场监管局（市知识产权局）、市公安局）\n\n"
                       "（二）数字赋能。（牵头单位：市工业和信息化局（市大数据管理局）；责任单位：市政务服务中心）\n",
                       "two-names.txt")
    assert table(county) == [("(1)", "临江市公安局", "responsible"),
                             ("(1)", "临江市市场监管局（市知识产权局）", "responsible"),
                             ("(2)", "临江市工业和信息化局（市大数据管理局）", "lead"),
                             ("(2)", "临江市政务服务中心", "responsible")]


def test_another_citys_brackets_with_supporting_units():
    r = load("other-city-brackets.txt")
    doc = r.documents[0]
    assert (doc.number, doc.issuer, doc.date) == ("临政办发〔2025〕12号", "临江市人民政府办公室", "2025-03-08")
    rows = table(r)
    assert ("(1)", "临江市政务服务和数据管理局", "lead") in rows          # unseen name, recognised by its form
    assert ("(1)", "临江市大数据中心", "supporting") in rows               # 配合单位
    # The registry's aliases speak for its own city: another city's names stay as printed.
    assert ("(1)", "临江市人社局", "supporting") in rows                   # 市人社局, an abbreviation
    assert ("(2)", "临江市市场监督管理局", "supporting") in rows           # 协办单位, a long form
    assert ("(3)", "临江市司法局", "lead") in rows and ("(3)", "团市委", "supporting") in rows   # 会同
    assert ("(4)", "临江市法院", "supporting") in rows                     # 由X负责,Y配合
    assert [p.unit for p in gap_provisions(r)] == ["(5)"]              # only 有关部门要… : nobody named
    deadline = next(a for a in r.assignments if a.role == "lead" and a.evidence.unit == "(1)")
    assert deadline.deadline_date == "2025-06-30"
    assert [c.number for c in r.citations] == ["国务院令第722号"]


def test_items_numbered_inside_clauses():
    r = load("numbered-subitems.txt")
    assert [p.unit for p in r.provisions if p.kind == "subitem"] == [
        "(1).1", "(1).2", "(2).1", "(2).2", "(2).3"]   # (1) straight under a clause is its item level, like 1.
    rows = table(r)
    assert ("(1).1", "青山县住房和城乡建设局", "lead") in rows
    assert ("(1).1", "各乡(镇)人民政府", "responsible") in rows
    assert ("(2).1", "青山县卫生健康局", "supporting") in rows
    # (2) has no note of its own: the note after (3) covers it
    assert ("(2).2", "青山县财政局", "responsible") in rows


def test_a_single_document_without_number_is_named_by_its_title():
    r = load_text("关于做好防汛工作的实施方案\n\n一、压实责任\n\n（一）加强巡查。（县水务局牵头，县应急管理局配合）\n",
                  "plain.txt")
    assert [(d.number, d.title) for d in r.documents] == [("", "关于做好防汛工作的实施方案")]
    assert table(r) == [("(1)", "县应急管理局", "supporting"), ("(1)", "县水务局", "lead")]


def test_labels_on_their_own_lines_and_lead_marks():
    r = load("labelled-lines.txt")
    rows = table(r)
    assert ("1", "南湖区住房和城乡建设局", "lead") in rows             # (牵头) after a name in the list
    assert ("1", "南湖区财政局", "responsible") in rows
    assert ("2", "南湖区城市管理局", "lead") in rows and ("2", "南湖区自然资源局", "supporting") in rows
    assert ("3", "南湖区文化和旅游局", "responsible") in rows and ("3", "南湖区住房和城乡建设局", "supporting") in rows
    first = next(a for a in r.assignments if a.evidence.unit == "2" and a.role == "lead")
    assert first.deadline_date == "2025-10-31"


def test_a_web_page_with_a_task_table():
    from loaders.reading import read_document_file
    path = os.path.join(DATA, "other-city-page.html")
    r = load_text(read_document_file(path), "other-city-page.html")
    assert [(d.number, d.issuer, d.date) for d in r.documents] == [("松政办发〔2025〕3号", "松原市人民政府办公室", "2025-02-10")]
    rows = table(r)
    assert ("(1)", "松原市市场监管局", "lead") in rows and ("(1)", "松原市税务局", "supporting") in rows
    assert ("(2)", "国网松原供电公司", "responsible") in rows
    assert ("1", "松原市政务服务和数字化建设管理局", "lead") in rows       # a row of the HTML table
    assert ("2", "各县(市、区)人民政府", "responsible") in rows        # one holder, as printed in 松原


def test_a_word_file():
    from loaders.reading import read_document_file
    path = os.path.join(DATA, "other-city-word.docx")
    r = load_text(read_document_file(path), "other-city-word.docx")
    assert r.documents[0].number == "白山政发〔2025〕8号"
    # As printed: the registry's aliases (市应急管理局 = 市应急局) speak for its own city only.
    assert table(r) == [("(1)", "白山市住房城乡建设局", "lead"), ("(1)", "白山市市场监管局", "supporting"),
                        ("(1)", "白山市应急管理局", "supporting"), ("(2)", "白山市消防救援支队", "responsible"),
                        ("1", "白山市交通运输局", "lead"), ("1", "白山市公安局", "supporting"), ("1", "白山市应急管理局", "supporting")]


def test_members_of_a_leading_group_are_vague():
    r = load_text("关于加强防汛的通知\n\n（一）加强会商。由市应急局牵头，各成员单位按职责分工负责。\n", "x.txt")
    assert table(r) == [("(1)", "VAGUE:各成员单位", "responsible"), ("(1)", "市应急局", "lead")]


def test_a_provincial_plan():
    rows = table(load("province-plan.txt"))
    assert ("(1)", "黑龙江省政务服务和数据管理局", "lead") in rows and ("(1)", "黑龙江省财政厅", "responsible") in rows
    assert ("(2)", "各市(地)政府", "responsible") in rows and ("(2)", "黑龙江省委网信办", "responsible") in rows
    assert ("(3)", "黑龙江省市场监管局", "lead") in rows and ("(3)", "黑龙江省政务服务和数据管理局", "supporting") in rows
    assert ("(4)", "VAGUE:省直有关部门", "responsible") in rows and ("(4)", "各市(地)", "responsible") in rows
    assert ("(5)", "财政部", "responsible") in rows


def test_division_of_duties_position_rule_shared_suffix_and_bare_notes():
    r = load("division-of-duties.txt")
    rows = table(r)
    # "排在第一位的为牵头单位，下同" in (一)'s note: from there on the first of every list leads,
    # a note of names alone (二) and a single-body division item included.
    assert ("一(1)", "东城区城管执法局", "lead") in rows
    assert ("一(2)", "东城区市场监管局", "lead") in rows and ("一(2)", "东城区城管执法局", "responsible") in rows
    assert ("一(2)", "各街道办事处", "responsible") in rows                       # a collective, kept
    # "东城、西城派出所": two bodies sharing one suffix
    assert ("一(1)", "东城派出所", "responsible") in rows and ("一(1)", "西城派出所", "responsible") in rows
    # "教育部、科技部和各省级人民政府负责": national bodies, a collective joined by 和
    assert {("一(3)", "教育部", "lead"), ("一(3)", "科技部", "responsible"),
            ("一(3)", "各省级人民政府", "responsible")} <= set(rows)
    # "（一）综合执法队：负责…": the holder before a colon, in a section dividing duties
    assert ("二(1)", "综合执法队", "lead") in rows and ("二(2)", "社区事务办", "lead") in rows
    # under 职责分工, "X负责…；Y负责…" sentences and X会同Y
    assert {("二(3)", "东城区财政局", "responsible"), ("二(3)", "东城区发展改革委", "responsible"),
            ("二(4)", "东城区生态环境局", "lead"), ("二(4)", "东城区水务局", "supporting")} <= set(rows)


def test_without_a_position_rule_order_means_nothing():
    text = open(os.path.join(DATA, "division-of-duties.txt"), encoding="utf-8").read()
    r = load_text(text.replace("；排在第一位的为牵头单位，下同", ""), "no-rule.txt")
    rows = table(r)
    assert ("一(2)", "东城区市场监管局", "responsible") in rows
    assert ("二(1)", "综合执法队", "responsible") in rows


def test_a_cover_notice_without_its_attachment_is_a_warning(tmp_path, capsys):
    from api.cli import main
    whole = os.path.join(DATA, "real", "shanghai_wuye_tizhi_zengxiao_2026.txt")
    text = open(whole, encoding="utf-8").read()
    notice = tmp_path / "notice-only.txt"
    notice.write_text(text[:text.index("\n", text.index("2026年6月22日")) + 1], encoding="utf-8")   # the notice alone
    store = str(tmp_path / "s.json")
    assert main(["load", str(notice), "--store", store]) == 0
    err = capsys.readouterr().err
    assert "notice-only.txt (沪府办发〔2026〕10号)" in err and "《关于推进物业行业提质增效的实施意见》" in err
    assert "load the attachment" in err
    # With the plan in the file, no warning.
    assert main(["load", whole, "--store", store]) == 0
    assert "warning" not in capsys.readouterr().err


def test_labelled_cells_colon_divisions_circled_items():
    # 牵头：X；配合：Y inside a table cell
    rows = table(load("task-table-labelled-cells.txt"))
    assert ("附件/1", "浙江省经信厅", "lead") in rows and ("附件/1", "浙江省通信管理局", "supporting") in rows
    # （三）市教育局、市体育局：按照职责分别负责…; 由市公安局牵头，会同市市场监管局…
    rows = table(load("division-colon-and-hui-tong.txt"))
    assert {("三(3)", "无锡市教育局", "responsible"), ("三(3)", "无锡市体育局", "responsible"),
            ("三(5)", "无锡市公安局", "lead"), ("三(5)", "无锡市市场监管局", "supporting")} <= set(rows)
    # ① under item 1. is 1.1
    r = load("circled-subitems.txt")
    assert "1.1" in {p.unit for p in r.provisions}
    assert ("1.1", "恩阳区林业局", "responsible") in table(r)


def test_a_list_acting_under_a_manner_clause_in_a_division_of_duties():
    r = load_text("某州安全生产专项整治工作方案\n\n三、职责分工\n（一）州应急局负责统筹协调。\n"
                  "（二）州住房城乡建设局、州交通运输局按照“管行业必须管安全”要求，负责本行业领域专项整治。\n", "x.txt")
    assert {("(2)", "州住房城乡建设局", "responsible"), ("(2)", "州交通运输局", "responsible")} <= set(table(r))


def test_an_item_naming_its_own_office_does_not_borrow_the_next_note():
    # Written in the form of a provincial 实施方案: items 1.–6., most ending in a note.
    rows = table(load("province-items-and-notes.txt"))
    four = [r for r in rows if r[0] == "4"]
    # 省财政厅会同省发展改革委统筹安排资金: the partner is the name, not a name inside the task's words,
    # and item 6's note (省委宣传部…负责) is not item 4's
    assert four == [("4", "广东省发展改革委", "supporting"), ("4", "广东省财政厅", "lead")]
    # 各地、各有关部门要… names no office: the note after the next item covers it
    assert ("5", "广东省委宣传部", "responsible") in rows
    assert ("3", "广东省交通运输厅", "responsible") in rows and ("3", "广东省公安厅", "supporting") in rows


def test_a_towns_plan_heading_lines_and_town_offices():
    r = load("town-division.txt")
    rows = table(r)
    assert ("(1)", "镇农业农村办", "responsible") in rows and ("(3)", "镇派出所", "supporting") in rows
    # 三、工作要求 on a line of its own is the heading, not part of the subject 各村（社区）;
    # 镇纪委要… names a town office as the subject of a duty, like 市纪委 in a city's plan
    assert ("三", "各村(社区)", "responsible") in rows and ("三", "镇纪委", "responsible") in rows
    assert next(p for p in r.provisions if p.unit == "三").heading == "工作要求"


def test_items_numbered_with_the_small_full_stop():
    # 1﹒ (U+FE52, a small form of ．) numbers items in text pasted from some sites; 协同责任单位 supports
    r = load_text("某省2025年重点工作责任分解\n\n一、稳增长\n\n1﹒全省生产总值增长5%以上。\n牵头责任单位：省发展改革委。\n"
                  "协同责任单位：省财政厅、省统计局。\n\n2﹒固定资产投资增长6%。\n牵头责任单位：省发展改革委。\n", "small-stop.txt")
    assert table(r) == [("1", "省发展改革委", "lead"), ("1", "省统计局", "supporting"),
                        ("1", "省财政厅", "supporting"), ("2", "省发展改革委", "lead")]


def test_a_labelled_list_ending_in_its_verb_and_a_note_for_every_task():
    # 责任单位:X、Y按职责分工负责 — the verb is no part of the last name; 具体任务均涉及…,下同 names a
    # holder of this task and of every later one
    r = load_text("某省现代流通体系建设实施方案\n\n一、重点任务\n\n（一）加强市场体系建设。推进高标准市场建设。"
                  "〔责任单位:省发展改革委、商务厅、省大数据中心按职责分工负责。具体任务均涉及各市(州)人民政府,"
                  "不再做分工,下同。〕\n\n（二）完善流通网络。〔责任单位:省交通运输厅〕\n", "standing.txt")
    rows = table(r)
    assert ("(1)", "省大数据中心", "responsible") in rows and ("(1)", "商务厅", "responsible") in rows
    assert ("(1)", "各市(州)人民政府", "responsible") in rows and ("(2)", "各市(州)人民政府", "responsible") in rows
    assert ("(2)", "省交通运输厅", "responsible") in rows


def test_street_offices_members_and_task_forces_are_collectives_or_vague():
    r = load_text("某区2025年重点工作责任分解\n\n一、重点工作\n\n1.做好疫情防控。[牵头单位:区卫健局;"
                  "责任单位:区疫情防控指挥部成员单位、各街办(新区)]\n\n2.稳定经济运行。(责任单位:立山经济开发区,"
                  "各街道,全区经济运行各专班)\n", "collectives.txt")
    rows = table(r)
    assert ("1", "区卫健局", "lead") in rows
    assert ("1", "各街办(新区)", "responsible") in rows
    assert ("1", "VAGUE:区疫情防控指挥部成员单位", "responsible") in rows
    assert ("2", "立山经济开发区", "responsible") in rows and ("2", "各街道", "responsible") in rows
    assert ("2", "VAGUE:全区经济运行各专班", "responsible") in rows


def test_a_note_inside_the_list_says_the_first_leads():
    # 县发改局（首位单位为牵头单位，下同）: the bracket is a note on the list, not part of the name; from
    # there on the first-listed body of every list leads, a single one included; 主要协作单位 supports
    r = load_text("某县2025年重点工作责任分解\n\n一、稳增长\n\n1.全县生产总值增长6%。责任单位：县发改局（首位单位为牵头"
                  "单位，下同）、县财政局、县统计局\n\n2.一般公共预算收入增长5%。责任单位：县财政局、县税务局\n\n"
                  "3.城镇新增就业5000人。责任单位：县人力社保局\n主要协作单位：各乡镇人民政府\n", "first-note.txt")
    assert table(r) == [("1", "县发改局", "lead"), ("1", "县统计局", "responsible"), ("1", "县财政局", "responsible"),
                        ("2", "县税务局", "responsible"), ("2", "县财政局", "lead"),
                        ("3", "县人力社保局", "lead"), ("3", "各乡镇人民政府", "supporting")]


def test_a_peoples_organisation_by_its_two_character_name():
    # 妇联, 团委, 工会 in a district's list are that district's own, though their names are short
    r = load_text("某区2025年民生实事项目\n\n一、民生实事\n\n1.新建婴幼儿照护驿站7家。（责任单位：卫生健康局、民政局、妇联，"
                  "各镇(街道)）\n", "short-names.txt")
    assert ("1", "妇联", "responsible") in table(r) and ("1", "民政局", "responsible") in table(r)


def test_a_heading_that_names_the_holders_in_a_division_of_duties():
    # under 五、责任分工, "（二）城管中队及各社区" stands alone above its tasks: it names who holds them
    r = load_text("某街道环境综合整治方案\n\n五、责任分工\n\n（一）党政办\n负责宣传发动。\n\n（二）城管中队及各社区\n"
                  "1、重点对新港路进行整治。\n2、清理占道经营。\n\n（三）加强督查\n每周通报一次。\n", "heading-holders.txt")
    rows = table(r)
    assert ("五(1)", "党政办", "responsible") in rows or ("(1)", "党政办", "responsible") in rows
    two = sorted(n for u, n, _ in rows if u.endswith("(2)"))
    assert two == ["各社区", "城管中队"]
    assert not [n for u, n, _ in rows if u.endswith("(3)") and n]   # 加强督查 names nobody


def test_a_division_label_and_a_file_that_opens_with_its_first_item():
    # 部门分工: the verbs after it give the roles; a file that prints no title is named by its file,
    # and its first item is an item, not the title
    r = load_text("1、推进综合改革试验区建设事宜\n由副市长负责，市发改委牵头，相关部门配合，尽快完成实施方案。\n\n"
                  "2、加快重大项目建设。\n部门分工：市发展改革委牵头，各县区、各部门配合。\n", "某市发改委对接事项.txt")
    assert r.documents[0].title == "某市发改委对接事项"
    rows = table(r)
    assert ("1", "市发改委", "lead") in rows and ("2", "市发展改革委", "lead") in rows
    assert ("2", "各县区", "supporting") in rows


def test_abbreviated_bodies_in_a_list_keep_their_own_names():
    # 市人行 (the people's bank branch) before a place-named body: an abbreviation of a level, never a bare
    # place word lending its stem to the next name (no "市人行高新区管委会").
    rows = table(load("labelled-lines-collaborators.txt"))
    assert [r for r in rows if r[0] == "1"] == [
        ("1", "各县、区政府", "supporting"), ("1", "青溪市人行", "supporting"), ("1", "青溪市发展改革委", "lead"),
        ("1", "青溪市统计局", "supporting"), ("1", "青溪海关", "supporting"), ("1", "青溪高新区管委会", "supporting")]
    assert ("2", "县人行", "supporting") in rows and ("2", "青溪经开区管委会", "supporting") in rows


def test_a_reading_rule_after_the_names_in_one_note():
    # "（A、B、C。列第一位者为牵头部门，下同）": the names are the note's holders, the sentence after them is
    # the document's rule for every list from there on (the first one leads)
    rows = table(load("province-division-rule-in-note.txt"))
    # (items numbered through the sections are labelled by their own numbers)
    assert rows == [
        ("1", "福建省工信厅", "lead"), ("1", "福建省市场监管局（省知识产权局）", "responsible"),
        ("1", "福建省生态环境厅", "responsible"),
        ("2", "福建省商务厅", "responsible"), ("2", "福建省生态环境厅", "lead"),
        ("2", "福建省科技厅", "responsible"),
        ("3", "福建省住房城乡建设厅", "lead"), ("3", "福建省发展改革委", "responsible")]


def test_sections_titled_by_a_department_hold_their_clauses():
    # "一、县住房和城乡建设局" over "（一）负责…（二）督促…": no 职责 heading is needed, a section titled by
    # nothing but a holder divides duties; a section titled by a topic (四、工作要求) holds nothing
    assert table(load("duties-by-department-sections.txt")) == [
        ("一(1)", "宁远县住房和城乡建设局", "responsible"), ("一(2)", "宁远县住房和城乡建设局", "responsible"),
        ("三(1)", "宁远县城管局", "responsible"), ("二(1)", "宁远县交通运输局", "responsible")]


def test_a_note_on_its_own_line_after_the_points_closes_their_item():
    # "1.完善防汛应急预案 / （1）… （2）… （3）… / （责任单位：…）": the note is the item's, not its last point's
    assert table(load("points-then-note-line.txt")) == [
        ("(1).1", "各乡镇人民政府", "responsible"), ("(1).1", "宁远县应急管理局", "responsible"),
        ("(1).1", "宁远县水利局", "responsible"),
        ("(1).2.(1)", "宁远县水利局", "responsible"), ("(1).2.(2)", "宁远县气象局", "responsible")]


def test_one_body_has_another_do_the_work_in_a_division_of_duties():
    # under 职责分工, "农业服务中心组织各村负责…" and "党政办督促各村（社区）落实…": both bodies hold the item;
    # outside it (一、工作目标) the same words describe, they assign nothing
    assert table(load("town-division-linked.txt")) == [
        ("1", "农业服务中心", "responsible"), ("1", "各村", "responsible"), ("2", "派出所", "responsible"),
        ("3", "党政办", "responsible"), ("3", "各村(社区)", "responsible")]
