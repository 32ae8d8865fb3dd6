"""Task-division tables (任务分工表) of other cities, read through the real pipeline.

Three spellings of the same kind of table, one file each in tests/data:
TAB-separated cells, a Markdown pipe table, and columns aligned with spaces.
"""
from __future__ import annotations

import os
import re

import pytest

from ontology.registry import default_registry
from loaders.pipeline import gap_provisions, load_text
from loaders.tables import find_tables

DATA = os.path.join(os.path.dirname(__file__), "data")
FILES = ("task-table-tab.txt", "task-table-markdown.txt", "task-table-spaces.txt")


def read(name):
    with open(os.path.join(DATA, name), encoding="utf-8") as handle:
        return handle.read()


@pytest.fixture(scope="module")
def loaded():
    return {name: (read(name), load_text(read(name), name)) for name in FILES}


def assignments(result):
    units = {p.id: p.unit for p in result.provisions}
    names = {d.id: d.name for d in result.departments}
    return {(units[a.provision_id], names.get(a.department_id) or "VAGUE:" + a.vague, a.role)
            for a in result.assignments}


def by_unit(result):
    return {p.unit: p for p in result.provisions}


def deadlines(result):
    units = {p.id: p.unit for p in result.provisions}
    return {units[a.provision_id]: (a.deadline, a.deadline_date) for a in result.assignments}


def holder(result, unit, department):
    names = {d.id: d.name for d in result.departments}
    units = {p.id: p.unit for p in result.provisions}
    (found,) = [a for a in result.assignments
                if units[a.provision_id] == unit and names.get(a.department_id) == department]
    return found


# -- TAB-separated ------------------------------------------------------------------

def test_tab_table_rows_and_holders(loaded):
    _, r = loaded["task-table-tab.txt"]
    # rows of the table in the document's attachment (附件): 附件/<序号>, as ARCHITECTURE.md labels them
    assert [p.unit for p in r.provisions if p.kind == "table_row"] == [f"附件/{n}" for n in range(1, 6)]
    assert assignments(r) == {
        ("附件/1", "临江市政务服务和数据管理局", "lead"), ("附件/1", "临江市司法局", "responsible"),
        ("附件/1", "临江市市场监管局", "responsible"),
        ("附件/2", "临江市政务服务和数据管理局", "lead"), ("附件/2", "临江市公安局", "responsible"),
        ("附件/2", "临江市人社局", "responsible"), ("附件/2", "各区(市)人民政府", "responsible"),   # as printed
        # (牵头) inside the 责任单位 cell makes that name a lead as well
        ("附件/3", "临江市营商环境局", "lead"), ("附件/3", "临江市发展改革委", "lead"),
        ("附件/3", "临江市财政局", "responsible"),
        ("附件/3", "临江市税务局", "responsible"),
        ("附件/4", "临江市大数据中心", "lead"), ("附件/4", "临江市财政局", "responsible"),
        # every role cell of row 5 is blank: merged with the row above
        ("附件/5", "临江市大数据中心", "lead"), ("附件/5", "临江市财政局", "responsible")}


def test_tab_table_cells_fields_and_deadlines(loaded):
    _, r = loaded["task-table-tab.txt"]
    rows = by_unit(r)
    # the task cell continued on the next line (empty 序号) is one row
    assert rows["附件/1"].heading == "推进政务服务事项标准化"
    assert "编制全市统一的政务服务事项清单，实现同一事项同一标准。" in rows["附件/1"].text
    assert rows["附件/3"].heading == "深化“高效办成一件事”改革"
    assert deadlines(r) == {
        "附件/1": ("2025年6月底前", "2025-06-30"), "附件/2": ("2025年12月底前", "2025-12-31"),
        "附件/3": ("持续推进", ""), "附件/4": ("2025年9月底前", "2025-09-30"),
        "附件/5": ("2025年9月底前", "2025-09-30")}
    # 等 at the end of a list: the list is open-ended, the names before it are not alone
    assert [a.open_ended for a in r.assignments
            if a.provision_id == rows["附件/3"].id and a.role == "responsible"] == [True, True]
    assert holder(r, "附件/3", "临江市发展改革委").open_ended
    assert not holder(r, "附件/3", "临江市营商环境局").open_ended
    assert any("merged cells" in u for u in rows["附件/5"].uncertain)
    # the section rows are no provisions of their own
    assert not [p for p in r.provisions if p.kind in ("section", "clause", "item")]


def test_tab_table_section_rows_become_categories():
    text = read("task-table-tab.txt")
    (table,) = [t for t in find_tables(text, 0, len(text), default_registry()) if t.kind == "task_division"]
    assert [(row.unit, row.fields["类别"]) for row in table.rows] == [
        ("1", "一、优化政务服务"), ("2", "一、优化政务服务"), ("3", "一、优化政务服务"),
        ("4", "二、夯实数字底座"), ("5", "二、夯实数字底座")]
    assert table.rows[2].fields == {
        "重点任务": "深化“高效办成一件事”改革。", "牵头单位": "市营商环境局",
        "责任单位": "市发展改革委（牵头）、市财政局、市税务局等", "完成时限": "持续推进",
        "序号": "3", "类别": "一、优化政务服务"}


# -- Markdown pipes -----------------------------------------------------------------

def test_markdown_table_with_supporting_units(loaded):
    _, r = loaded["task-table-markdown.txt"]
    assert assignments(r) == {
        ("1", "青山县住房和城乡建设局", "lead"), ("1", "青山县自然资源局", "supporting"),
        ("1", "青山县行政审批局", "supporting"),
        # "<br>" is a line break inside the cell: two names
        ("2", "青山县市场监督管理局", "lead"), ("2", "青山县公安局", "supporting"), ("2", "青山县税务局", "supporting"),
        ("3", "青山县自然资源局", "lead"), ("3", "各乡(镇)人民政府", "supporting"),
        ("3", "VAGUE:有关部门", "supporting"),
        ("4", "青山县财政局", "lead"), ("4", "青山县金融服务中心", "lead"), ("4", "青山县发展和改革局", "supporting"),
        # a second table without 序号: rows are named by table and position
        ("表2/1", "青山县发展和改革局", "responsible"), ("表2/2", "青山县融媒体中心", "responsible")}
    assert deadlines(r) == {
        "1": ("2025年6月底前", "2025-06-30"), "2": ("2025年3月底前", "2025-03-31"), "3": ("持续推进", ""),
        "4": ("2025年12月底前", "2025-12-31"), "表2/1": ("每季度末", ""), "表2/2": ("2025年11月", "2025-11-30")}
    assert holder(r, "4", "青山县发展和改革局").open_ended
    rows = by_unit(r)
    assert rows["1"].heading == "压缩工程建设项目审批时间，一般项目全流程审批控制在60个工作日以内"
    assert gap_provisions(r) == []


def test_markdown_section_rows_and_fields():
    text = read("task-table-markdown.txt")
    first, second = [t for t in find_tables(text, 0, len(text), default_registry())]
    assert (first.kind, second.kind) == ("task_division", "task_division")
    assert [(row.unit, row.fields["类别"]) for row in first.rows] == [
        ("1", "一、提升审批效率"), ("2", "一、提升审批效率"), ("3", "二、加强要素保障"), ("4", "二、加强要素保障")]
    assert second.rows[0].fields == {"工作内容": "报送营商环境工作进展。", "责任单位": "县发展和改革局",
                                     "时限": "每季度末"}
    # the sentence between the tables is prose, outside both tables
    between = text.index("下列事项")
    assert first.span[1] < between < second.span[0]


# -- aligned spaces -------------------------------------------------------------------

def test_space_aligned_table(loaded):
    _, r = loaded["task-table-spaces.txt"]
    assert assignments(r) == {
        # ★ marks the lead in a column headed 责任单位（★为牵头单位）
        ("1", "东坡区城市管理局", "lead"), ("1", "东坡区住建局", "responsible"), ("1", "东坡区生态环境分局", "responsible"),
        # a name wrapped inside its column ("区生态环境" / "分局") is one name
        ("2", "东坡区市场监管局", "responsible"), ("2", "东坡区生态环境分局", "responsible"),
        ("3", "东坡区水务局", "lead"), ("3", "东坡区农业农村局", "responsible"), ("3", "各街道", "responsible"),
        ("4", "东坡区林业局", "responsible")}
    assert deadlines(r) == {
        "1": ("2025年5月底前", "2025-05-31"), "2": ("2025年8月底前", "2025-08-31"), "3": ("长期坚持", ""),
        "4": ("2025年11月底前", "2025-11-30")}
    rows = by_unit(r)
    assert rows["1"].heading == "开展城区扬尘专项整治，落实工地六个百分之百"
    assert not any(p.uncertain for p in r.provisions)


def test_space_aligned_category_is_a_field_not_a_unit():
    text = read("task-table-spaces.txt")
    (table,) = find_tables(text, 0, len(text), default_registry())
    # the merged 领域 cell is blank in rows 2 and 4: as above
    assert [(row.unit, row.fields["领域"]) for row in table.rows] == [
        ("1", "污染防治"), ("2", "污染防治"), ("3", "生态修复"), ("4", "生态修复")]
    # the prose line after the table is not part of it
    assert text[table.span[0]:table.span[1]].endswith("2025年11月底前")


# -- evidence -------------------------------------------------------------------------

def in_order(needle, haystack):
    chars = iter(haystack)
    return all(ch in chars for ch in needle)


@pytest.mark.parametrize("name", FILES)
def test_quotes_are_exact_source_slices(loaded, name):
    text, r = loaded[name]
    rows = {p.id: p for p in r.provisions}
    assert r.assignments
    for a in r.assignments:
        start, end = a.evidence.span
        assert text[start:end] == a.evidence.quote
        assert in_order(re.sub(r"\s", "", a.printed_name), a.evidence.quote), a
        row = rows[a.provision_id]
        assert row.span[0] <= start < end <= row.span[1] or "merged cells" in " ".join(row.uncertain)


def test_quotes_are_the_role_cells(loaded):
    _, r = loaded["task-table-tab.txt"]
    assert holder(r, "附件/3", "临江市发展改革委").evidence.quote == "市发展改革委（牵头）、市财政局、市税务局等"
    assert holder(r, "附件/2", "临江市公安局").evidence.quote == "市公安局、市人社局、"
    assert holder(r, "附件/2", "各区(市)人民政府").evidence.quote == "各区(市)人民政府"
    _, r = loaded["task-table-markdown.txt"]
    assert holder(r, "2", "青山县税务局").evidence.quote == "县税务局"
    _, r = loaded["task-table-spaces.txt"]
    assert holder(r, "1", "东坡区城市管理局").evidence.quote == "★区城市管理局、区住建局、"


# -- the other table kinds keep their readers ---------------------------------------------

@pytest.mark.parametrize("header, kind", [
    ("序号\t事项名称\t承办单位\t完成时间", "decision_list"),
    ("序号\t“一件事”名称\t具体事项\t责任部门", "yijianshi"),
    ("序号\t服务项目\t服务对象\t服务内容\t牵头单位", "service_list"),
    ("序号\t条款\t法律内容\t职责部门", "law_articles"),
    ("序号\t重点任务\t牵头单位\t完成时限", "task_division"),
])
def test_headers_go_to_their_own_readers(header, kind):
    text = header + "\n1\t推进某项工作。\t市财政局\t2025年6月\n"
    assert [t.kind for t in find_tables(text, 0, len(text), default_registry())] == [kind]


def test_prose_with_the_header_words_is_no_table():
    text = ("为落实重点任务，各牵头单位要会同责任单位制定方案。\n"
            "重点任务  牵头单位要加强统筹，责任单位要按期完成，完成时限另行通知。\n")
    assert find_tables(text, 0, len(text), default_registry()) == []


# -- other layouts of the same kind ----------------------------------------------------

def rows_of(text):
    (table,) = find_tables(text, 0, len(text), default_registry())
    assert table.kind == "task_division"
    return [(r.unit, r.heading, r.deadline, sorted((a.mention.canonical, a.role) for a in r.assignees))
            for r in table.rows]


def test_two_level_header_with_role_sub_columns():
    text = ("序号\t主要任务\t责任分工\t\t完成时限\n\t\t牵头单位\t配合单位\t\n"
            "1\t建立工作专班。\t市发展改革委\t市财政局、市商务局\t2025年3月\n")
    assert rows_of(text) == [("1", "建立工作专班", "2025年3月", sorted([
        ("市发展改革委", "lead"), ("市财政局", "supporting"), ("市商务局", "supporting")]))]


def test_number_printed_below_the_first_line_and_a_sentence_cell():
    text = ("序号\t重点任务\t责任单位\t完成时限\n\t推进老旧小区改造，完成改造\t\t\n"
            "1\t小区30个。\t市住房城乡建设局牵头，市财政局配合\t2025年底\n2\t建设口袋公园。\t市城管局\t2025年10月\n")
    assert rows_of(text) == [
        ("1", "推进老旧小区改造，完成改造小区30个", "2025年底",
         [("市住房城乡建设局", "lead"), ("市财政局", "supporting")]),
        ("2", "建设口袋公园", "2025年10月", [("市城管局", "responsible")])]


def test_rows_without_numbers_end_with_the_task_sentence():
    text = "重点任务\t牵头单位\t责任单位\n推进甲项工作。\t市财政局\t市商务局\n推进乙项工作，\t市商务局\t\n并完善丙项制度。\t\t\n"
    assert rows_of(text) == [
        ("表1/1", "推进甲项工作", "", sorted([("市财政局", "lead"), ("市商务局", "responsible")])),
        ("表1/2", "推进乙项工作，并完善丙项制度", "", [("市商务局", "lead")])]


def test_header_on_one_line_over_rows_a_cell_per_line():
    # Copied from a web page: the header words on one line, then every cell on a line of its own,
    # a task and a holder list broken over two lines, the last row's cells short (no back cover).
    from loaders.pipeline import load_text
    path = os.path.join(os.path.dirname(__file__), "data", "task-table-cells-per-line.txt")
    r = load_text(open(path, encoding="utf-8").read(), "cells.txt")
    units = {p.id: p.unit for p in r.provisions}
    rows = {(units[a.provision_id], a.printed_name, a.role, a.deadline) for a in r.assignments}
    assert rows == {
        ("1", "县市场监管局", "lead", "2025年6月底前"), ("1", "县政务服务中心", "supporting", "2025年6月底前"),
        ("1", "县税务局", "supporting", "2025年6月底前"),
        ("2", "县住建局", "lead", "2025年12月底前"), ("2", "县自然资源局", "supporting", "2025年12月底前"),
        ("2", "县发展改革局", "supporting", "2025年12月底前"),
        ("3", "县发展改革局", "lead", "持续推进")}


def test_markdown_two_level_header_and_same_as_above():
    # | 责任单位 | over | 牵头单位 | 配合单位 |, the separator under the second header row; a cell "同上"
    from loaders.pipeline import load_text
    path = os.path.join(os.path.dirname(__file__), "data", "task-table-markdown-two-level.txt")
    r = load_text(open(path, encoding="utf-8").read(), "kunming.txt")
    units = {p.id: p.unit for p in r.provisions}
    names = {d.id: d.name for d in r.departments}
    rows = {(units[a.provision_id], names.get(a.department_id), a.role) for a in r.assignments}
    assert ("附件/1", "昆明市公安局", "lead") in rows and ("附件/1", "昆明市发展改革委", "supporting") in rows
    row2 = {(n, role) for u, n, role in rows if u == "附件/2"}
    row3 = {(n, role) for u, n, role in rows if u == "附件/3"}
    assert ("昆明市教育体育局", "lead") in row3
    assert {x for x in row2 if x[1] == "supporting"} == {x for x in row3 if x[1] == "supporting"}   # 同上


def test_a_project_named_like_an_office_is_the_task_not_a_holder():
    # 项目名称 新建养老服务中心 ends like an office (…中心) but opens with a task's verb: it is the row's task
    path = os.path.join(os.path.dirname(__file__), "data", "task-table-project-names.txt")
    r = load_text(open(path, encoding="utf-8").read(), "task-table-project-names.txt")
    units = {p.id: p.unit for p in r.provisions}
    names = {d.id: d.name for d in r.departments}
    leads = sorted((units[a.provision_id], names.get(a.department_id, a.vague)) for a in r.assignments if a.role == "lead")
    assert leads == [("附件/1", "西湖区民政局"), ("附件/2", "西湖区住房城乡建设局")]
    assert "新建养老服务中心" not in names.values()


def test_a_goal_column_is_the_task_when_no_column_says_task():
    # 序号 / 2025年预期目标 / 责任单位, a cell per line: 目标 names what is to be done
    path = os.path.join(os.path.dirname(__file__), "data", "task-table-goal-column.txt")
    r = load_text(open(path, encoding="utf-8").read(), "task-table-goal-column.txt")
    units = {p.id: p.unit for p in r.provisions}
    names = {d.id: d.name for d in r.departments}
    rows = sorted((units[a.provision_id], names.get(a.department_id, a.vague), a.role) for a in r.assignments)
    assert [(u, n) for u, n, _ in rows] == [("附件1/1", "区发展改革委"), ("附件1/2", "区税务局"),
                                          ("附件1/2", "区财政局"), ("附件1/3", "区人力社保局")]
    # the notice's list "附件：1. …表 / 2. …表" names attachments: no provision, so no gap
    assert [p.unit for p in gap_provisions(r)] == []
    assert "附件.2" not in units.values()


def test_cells_closed_by_bars_an_excerpt_and_a_column_of_people():
    # a web table copied cell by cell, each cell closed by " |"; the rows start at 31 (an excerpt);
    # 分管 领导 names people, not holders; 东港经济开发区 (a development zone) holds a duty
    r = load_text(open(os.path.join(os.path.dirname(__file__), "data", "task-table-bar-cells.txt"),
                       encoding="utf-8").read(), "task-table-bar-cells.txt")
    units = {p.id: p.unit for p in r.provisions}
    names = {d.id: d.name for d in r.departments}
    rows = sorted((units[a.provision_id], names.get(a.department_id) or "VAGUE:" + a.vague, a.role)
                  for a in r.assignments)
    assert ("31", "城管局", "lead") in rows and ("31", "市政局", "responsible") in rows
    assert ("32", "东港经济开发区", "responsible") in rows and ("32", "环卫处", "responsible") in rows
    assert ("32", "各街道", "responsible") in rows
    assert not any("王某某" in n for _, n, _ in rows)


def test_a_list_of_public_services_is_labelled_as_a_list():
    # 县级政务服务事项清单: rows 清单/<n> (ARCHITECTURE.md); 实施主体 and 承办机构 name who does each item
    path = os.path.join(os.path.dirname(__file__), "data", "service-list-tab.txt")
    r = load_text(open(path, encoding="utf-8").read(), "service-list-tab.txt")
    units = {p.id: p.unit for p in r.provisions}
    names = {d.id: d.name for d in r.departments}
    rows = sorted((units[a.provision_id], names[a.department_id], a.role) for a in r.assignments)
    assert ("清单/1", "临江县市场监督管理局", "responsible") in rows and ("清单/1", "行政审批股", "responsible") in rows
    assert ("清单/3", "临江县民政局", "responsible") in rows and len(rows) == 6


# -- rows kept on one line, cells a single space apart (a page stored as plain text) ----------

def test_single_space_rows_are_placed_by_content():
    text = read("task-table-single-spaces.txt")
    r = load_text(text, "task-table-single-spaces.txt")
    assert assignments(r) == {
        ("1", "宁远县城管局", "lead"),
        ("1", "宁远县财政局", "supporting"), ("1", "宁远县农业农村局", "supporting"),
        # 党委和人民政府, 党工委和管委会: the organs of one place stay one holder, never a bare 人民政府
        ("1", "各乡镇党委和人民政府", "responsible"), ("1", "宁远县经开区党工委和管委会", "responsible"),
        ("2", "宁远县城管局", "lead"), ("2", "宁远县发展改革局", "supporting"), ("2", "各乡镇人民政府", "responsible"),
        # two names of the last role cell a space apart are two names
        ("3", "宁远县农业农村局", "lead"), ("3", "宁远县卫健局", "supporting"), ("3", "宁远县妇联", "supporting"),
        ("3", "各乡镇人民政府", "responsible"), ("3", "宁远县供销社", "responsible"),
        ("4", "宁远县生态环境局", "lead"), ("4", "宁远县住建局", "lead"), ("4", "宁远县水利局", "supporting"),
        ("4", "各乡镇人民政府", "responsible")}
    assert deadlines(r)["2"] == ("2024年10月底", "2024-10-31")
    # a space inside the merged 类别 cell ("垃圾治 理") breaks no word of the task
    assert by_unit(r)["1"].heading == "完善农村生活垃圾收运体系，实现行政村收运全覆盖"
    # every quote is still an exact slice of the file
    for a in r.assignments:
        assert text[a.evidence.span[0]:a.evidence.span[1]] == a.evidence.quote
    # the sentence after the table is prose, not a row
    (table,) = find_tables(text, 0, len(text), default_registry())
    assert text[table.span[0]:table.span[1]].endswith("2024年11月底")


# -- a cell per line: tasks numbered inside a group row, header cells broken over lines ----------

def test_tasks_numbered_inside_a_group_row_are_rows_of_their_own():
    # 序号 1 covers 主要预期目标 with tasks 1. and 2., each with its own ★ cell; 牵头领导 names people,
    # so its 牵头 makes no lead column
    r = load_text(read("task-table-cells-per-line-grouped.txt"), "grouped.txt")
    assert assignments(r) == {
        ("1", "青溪区发改委", "lead"), ("1", "青溪区统计局", "responsible"),
        ("2", "青溪区财政局", "lead"), ("2", "青溪区税务局", "responsible"),
        ("3", "青溪区科技局", "lead"),
        ("4", "青溪区科技局", "lead"), ("4", "青溪区统计局", "responsible")}
    assert by_unit(r)["2"].heading == "一般公共预算收入增长5%"


def test_header_cells_broken_over_two_lines():
    # "区政府" / "分管领导" is one header cell (people), "工 作 标 准" one spaced out
    r = load_text(read("task-table-header-broken-cells.txt"), "broken.txt")
    assert assignments(r) == {
        ("1", "青溪区住建局", "lead"), ("1", "各街道", "supporting"), ("1", "青溪区财政局", "supporting"),
        ("2", "青溪区行政审批局", "lead"), ("2", "青溪区市场监管局", "supporting"), ("2", "青溪区税务局", "supporting")}
