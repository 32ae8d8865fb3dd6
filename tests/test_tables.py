"""Annex tables: the bundled gazette (expectations checked by reading its lines)
and small tables in other layouts, written here, to show the readers are general."""
from __future__ import annotations

import os
import re

import pytest

from ontology.registry import default_registry
from loaders.tables import find_tables

SAMPLE = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))),
                      "ontology", "samples", "shuangyashan-gazette-2024-05.txt")


@pytest.fixture(scope="module")
def registry():
    return default_registry()


@pytest.fixture(scope="module")
def source():
    with open(SAMPLE, encoding="utf-8") as handle:
        return handle.read()


@pytest.fixture(scope="module")
def tables(source, registry):
    return find_tables(source, 0, len(source), registry)


def one(tables, kind):
    found = [t for t in tables if t.kind == kind]
    assert len(found) == 1, [t.kind for t in tables]
    return found[0]


def rows_by_unit(table):
    return {r.unit: r for r in table.rows}


def holders(row):
    return sorted((a.mention.canonical, a.role) for a in row.assignees)


def line_of(source, offset):
    return source.count("\n", 0, offset) + 1


def tables_of(text, registry):
    return find_tables(text, 0, len(text), registry)


# -- the bundled gazette ----------------------------------------------------------

def test_kinds_and_counts(tables):
    kinds = [t.kind for t in tables]
    assert kinds.count("statistics") == 10
    assert [k for k in kinds if k != "statistics"] == [
        "yijianshi", "service_list", "law_articles", "decision_list"]
    spans = sorted(t.span for t in tables)
    assert all(a[1] <= b[0] for a, b in zip(spans, spans[1:])), "tables overlap"


def test_statistics_spans_cover_their_garbled_lines(source, tables):
    covered = [t.span for t in tables if t.kind == "statistics"]

    def inside(text):
        at = source.index(text)
        return any(a <= at < b for a, b in covered)

    for text in ("文110 K工状规模由文剂[7] X1", "(二) 人派以及国之别打公", "单位:台(套/间)、万元",
                 "in.\t设备类别", "报废汽车回收量\t1860", "家装 消费品\t\t3900"):
        assert inside(text), text
    assert not inside("(六) 开展汽车以旧换新")


def test_yijianshi_items(source, tables):
    table = one(tables, "yijianshi")
    assert (line_of(source, table.span[0]), line_of(source, table.span[1])) == (125, 231)
    items = [r for r in table.rows if r.kind == "service_item"]
    assert [(r.unit, r.heading) for r in items] == [
        ("一件事/1", '企业信息变更"一件事"'), ("一件事/2", '开办运输企业"一件事"'),
        ("一件事/3", '开办餐饮店"一件事"'), ("一件事/4", '水电气网联合报装"一件事"'),
        ("一件事/5", '信用修复"一件事"'), ("一件事/6", '企业上市合法合规信息核查"一件事"'),
        ("一件事/7", '企业破产信息核查"一件事"'), ("一件事/8", '企业注销登记"一件事"'),
        ("一件事/9", '新生儿出生"一件事"'), ("一件事/10", '教育入学"一件事"'),
        ("一件事/11", '社会保障卡居民服务"一件事"'), ("一件事/12", '残疾人服务"一件事"'),
        ("一件事/13", '退休"一件事"')]
    leads = {r.unit: [a.mention.canonical for a in r.assignees if a.role == "lead"] for r in items}
    assert leads == {
        "一件事/1": ["市市场监管局"], "一件事/2": ["市交通运输局"], "一件事/3": ["市市场监管局"],
        "一件事/4": ["市住房城乡建设局"], "一件事/5": ["市营商环境局"], "一件事/6": ["市营商环境局"],
        "一件事/7": ["市营商环境局"], "一件事/8": ["市市场监管局"], "一件事/9": ["市卫生健康委"],
        "一件事/10": ["市教育和体育局"], "一件事/11": ["市人力资源社会保障局"], "一件事/12": ["市残联"],
        "一件事/13": ["市人力资源社会保障局"]}
    units = [r.unit for r in table.rows]
    assert len(units) == len(set(units))
    assert all(r.unit.startswith(r.parent_unit + "/") for r in table.rows if r.kind == "sub_item")


def test_yijianshi_item_3(tables):
    rows = rows_by_unit(one(tables, "yijianshi"))
    item = rows["一件事/3"]
    assert holders(item) == [("市城管局", "responsible"), ("市市场监管局", "lead"),
                             ("市消防救援支队", "responsible")]
    subs = {u: holders(r) for u, r in rows.items() if r.parent_unit == "一件事/3"}
    assert subs == {
        "一件事/3/企业营业执照信息核验": [("市市场监管局", "lead")],
        "一件事/3/食品经营许可": [("市市场监管局", "lead")],         # blank cell: merged from above
        "一件事/3/户外招牌设施设置规范管理": [("市城管局", "responsible")],
        # "检查" on its own line ends the sub-item above; the garbled cell beside it is dropped
        "一件事/3/公众聚集场所投入使用、营业前消防安全检查": [("市消防救援支队", "responsible")]}
    assert any("主沙欧林樱士贝" in u for u in item.uncertain)
    assert any("merged cell above" in u for u in rows["一件事/3/食品经营许可"].uncertain)


def test_yijianshi_row_above_the_number_and_wrapped_cells(tables):
    rows = rows_by_unit(one(tables, "yijianshi"))
    # 企业营业执照信息核验 stands above number 2 but belongs to it (the number is centred).
    assert [u for u, r in rows.items() if r.parent_unit == "一件事/2"] == [
        "一件事/2/企业营业执照信息核验",
        "一件事/2/道路货物运输经营许可(危险货物道路运输经营、使用总质量4500千克及以下普通货运车辆从事普通货运经营的除外)",
        "一件事/2/普通道路货物运输车辆《道路运输证》办理"]
    assert holders(rows["一件事/2/普通道路货物运输车辆《道路运输证》办理"]) == [("市交通运输局", "lead")]
    # a department list continued over four lines, the ★ name first
    assert holders(rows["一件事/4/水电气网接入外线工程联合审批"]) == sorted([
        ("市住房城乡建设局", "lead"), ("市自然资源局", "responsible"), ("市交通运输局", "responsible"),
        ("市城管局", "responsible"), ("市通信管理办公室", "responsible"), ("国网双鸭山供电公司", "responsible")])
    # 等部门 on the next line: open-ended
    fine = rows["一件事/5/行政处罚信息修复"]
    assert holders(fine) == [("市市场监管局", "responsible"), ("市营商环境局", "responsible")]
    assert all(a.open_ended for a in fine.assignees)
    # lines as wide as the column wrap when the next line has no department of its own
    assert "一件事/13/参保人员达到法定退休年龄领取基本养老保险待遇资格确认" in rows
    assert "一件事/13/因病或非因工致残完全丧失劳动能力提前退休(退职)核准" in rows
    assert "一件事/6/统筹相关申请核查信息的受理、分派、汇总和结果送达" in rows
    assert "一件事/5/统筹在\"信用中国\"网站及地方信用平台网站建立相关失信信息信用修复指引" in rows


def test_yijianshi_blob_region_is_not_double_counted(tables):
    rows = rows_by_unit(one(tables, "yijianshi"))
    six = [u.split("/", 2)[2] for u, r in rows.items() if r.parent_unit == "一件事/6"]
    assert six == ["统筹相关申请核查信息的受理、分派、汇总和结果送达",
                   "企业规划自然资源领域无违法违规信息核查", "企业违反劳动保障法律法规信息核查",
                   "企业生态环境保护领域无违法违规信息核查", "企业科技领域无违法违规信息核查",
                   "企业交通运输领域无违法违规信息核查", "企业合法纳税情况无违法违规信息核查",
                   "企业知识产权领域无违法违规信息核查", "企业水资源保护领域无违法违规信息核查",
                   "企业消防安全无违法违规信息核查", "电信监管领域无行政处罚信息核查"]
    seven = [u.split("/", 2)[2] for u, r in rows.items() if r.parent_unit == "一件事/7"]
    assert seven == ["企业车辆信息核查", "企业不动产登记信息核查", "社会保险参保缴费记录核查",
                     "企业注册、登记等基本信息核查", "企业人员医保缴存信息核查", "企业房产信息核查",
                     "企业人员住房公积金缴存信息核查", "企业纳税缴税情况信息核查",
                     "企业海关税款缴纳、货物通关信息核查"]
    # the typo ★市菅商环境局 resolves; departments whose 具体事项 the blob swallowed stay on the item
    seven_item = rows["一件事/7"]
    lead = [a for a in seven_item.assignees if a.role == "lead"][0]
    assert (lead.mention.printed, lead.mention.canonical) == ("市菅商环境局", "市营商环境局")
    assert ("市卫生健康委", "responsible") in holders(rows["一件事/6"])
    assert any("could belong to item 6 or 7" in u for u in rows["一件事/6"].uncertain)
    assert [u for u, r in rows.items() if r.parent_unit == "一件事/8"][0] == "一件事/8/税务注销"


def in_order(needle, haystack):
    """needle's characters appear in haystack in order (a cell wrapped over lines
    has other columns' text between its pieces)."""
    chars = iter(haystack)
    return all(ch in chars for ch in needle)


def test_quotes_are_source_slices_around_the_names(source, tables):
    for table in tables:
        for row in table.rows:
            assert row.span[0] < row.span[1]
            for a in row.assignees:
                quote = source[a.quote_span[0]:a.quote_span[1]]
                assert in_order(re.sub(r"\s", "", a.mention.printed), quote), (row.unit, a.mention.printed)
                assert a.quote_span[0] <= a.mention.start < a.mention.end <= a.quote_span[1]
                assert row.span[0] <= a.quote_span[0] and a.quote_span[1] <= row.span[1] or \
                    table.kind == "yijianshi"      # an item's holders are quoted from its sub-items' cells


def test_service_list(source, tables):
    table = one(tables, "service_list")
    assert [r.unit for r in table.rows] == [f"清单/{n}" for n in range(1, 24)]
    rows = rows_by_unit(table)
    assert [a.mention.canonical for a in rows["清单/12"].assignees] == ["市文化广电和旅游局", "市发展改革委"]
    assert {a.role for r in table.rows for a in r.assignees} == {"lead"}
    assert [a.mention.canonical for a in rows["清单/16"].assignees] == ["市民政局", "市退役军人局"]
    assert [a.mention.canonical for a in rows["清单/13"].assignees] == ["市中级法院", "市司法局"]
    assert "市文老年人" not in rows["清单/12"].fields["服务内容及标准"]
    assert rows["清单/3"].heading == "高龄津贴"
    assert any("'co.'" in u for u in rows["清单/3"].uncertain)
    assert rows["清单/6"].heading == "最低社会保障" and rows["清单/9"].heading == "老年人能力综合评估"
    # ". 37 ." is a page number, not a 服务对象: the merged cell above carries on
    assert rows["清单/5"].fields["服务对象"] == "经认定生活不能自理的老年人"
    assert rows["清单/10"].fields["服务对象"] == "65周岁及以上老年人"
    assert rows["清单/22"].fields["服务对象"] == rows["清单/23"].fields["服务对象"] == "经认定符合条件的残疾老年人"
    assert rows["清单/1"].fields == {
        "服务对象": "符合相关条件的老年人", "服务项目": "基本医疗保险",
        "服务内容及标准": "优先为符合条件的参保老年人提供城镇职工基本医疗保险服务保障。",
        "牵头单位": "市医保局", "服务类型": "物质帮助"}
    assert (line_of(source, table.span[0]), line_of(source, table.span[1])) == (960, 989)


def test_law_articles(source, tables):
    table = one(tables, "law_articles")
    assert table.law == "中华人民共和国噪声污染防治法"
    assert [r.unit for r in table.rows] == [
        "第三十三条", "第四十三条", "第四十六条", "第七十条", "第七十二条第二款", "第七十三条第二款",
        "第七十七条", "第七十八条", "第七十九条第二款", "第八十条", "第八十一条", "第八十二条", "第八十四条"]
    rows = rows_by_unit(table)
    assert holders(rows["第三十三条"]) == [("市教育和体育局", "responsible")]
    assert any("П)" in u for u in rows["第三十三条"].uncertain)
    assert not rows["第七十九条第二款"].uncertain            # printed label confirmed by the law text
    assert holders(rows["第四十六条"]) == [("市交通运输局", "responsible"), ("市住房城乡建设局", "responsible")]
    assert holders(rows["第七十二条第二款"]) == [("市市场监管局", "responsible"), ("饶河海关", "responsible")]


def test_law_article_70_sub_cases(source, tables):
    row = rows_by_unit(one(tables, "law_articles"))["第七十条"]
    got = [(a.mention.canonical, a.pending, a.condition) for a in row.assignees]
    assert got == [
        ("市城管局", True, "在商业经营活动中使用高音广播喇叭或者采用其他持续反复发出高噪声的方法进行广告宣传造成噪声污染的"),
        ("市文化广电和旅游局", False, "每日凌晨2时至上午8时,因文化娱乐场所营业造成噪声污染的"),
        ("市公安局", False, "其他违反本条规定的,造成的社会噪声扰民行为")]
    # the row runs on after the page break (its last two sub-cases are on line 1010)
    assert (line_of(source, row.span[0]), line_of(source, row.span[1])) == (1007, 1010)
    quote = source[row.assignees[1].quote_span[0]:row.assignees[1].quote_span[1]]
    assert quote.startswith("每日凌晨2时") and quote.endswith("依法处理。")
    assert source[row.assignees[0].mention.start:row.assignees[0].mention.end] == "城管部门"


def test_law_article_82_catch_all_and_exception(tables):
    row = rows_by_unit(one(tables, "law_articles"))["第八十二条"]
    assert [(a.mention.canonical, a.condition) for a in row.assignees] == [
        ("市公安局", ""), ("市城管局", "第(一)项中属于商业经营活动使用高音广播喇叭,造成噪声污染的")]


def test_decision_list(tables):
    table = one(tables, "decision_list")
    assert [(r.unit, r.heading, r.deadline, holders(r)) for r in table.rows] == [
        ("目录/1", "双鸭山市人民政府关于发布双鸭山市城镇标定地价的通告", "2024年6月",
         [("市自然资源局", "responsible")]),
        ("目录/2", "双鸭山市人民政府关于调整双鸭山市城镇国有土地基准地价的通告", "2024年6月",
         [("市自然资源局", "responsible")]),
        ("目录/3", "双鸭山市乡镇级国土空间总体规划(2021—2035年)", "2024年12月",
         [("市自然资源局", "responsible")])]
    assert {r.kind for r in table.rows} == {"decision_item"}


def test_only_the_document_range_is_read(source, registry):
    start = source.index("双政办发〔2024〕22号")
    end = source.index("双政办发〔2024〕24号")
    assert [t.kind for t in find_tables(source, start, end, registry)] == ["law_articles"]


# -- other layouts ------------------------------------------------------------------

OTHER_YIJIANSHI = """附件
“高效办成一件事”重点事项清单（第一批）
序号\t“一件事”名称\t具体事项\t责任单位（★为牵头单位）
\t\t企业设立登记\t★市市场监管局
\t\t公章刻制\t市公安局
1\t开办企业“一件事”\t申领发票\t市行政审批局
\t\t职工参保登记（含养老、\t市人力资源社会保障局、
\t\t医疗保险）\t市医保局
\t\t不动产转移登记\t★市自然资源局
2\t不动产登记\t水电气过户\t
\t“一件事”\t税费缴纳\t市行政审批局
"""


def test_other_yijianshi_layout(registry):
    (table,) = tables_of(OTHER_YIJIANSHI, registry)
    assert table.kind == "yijianshi"
    rows = rows_by_unit(table)
    assert [r.unit for r in table.rows] == [
        "一件事/1", "一件事/1/企业设立登记", "一件事/1/公章刻制", "一件事/1/申领发票",
        "一件事/1/职工参保登记（含养老、医疗保险）",
        "一件事/2", "一件事/2/不动产转移登记", "一件事/2/水电气过户", "一件事/2/税费缴纳"]
    assert rows["一件事/1"].heading == "开办企业“一件事”"
    assert rows["一件事/2"].heading == "不动产登记“一件事”"
    assert holders(rows["一件事/1/职工参保登记（含养老、医疗保险）"]) == [
        ("市人力资源社会保障局", "responsible"), ("市医保局", "responsible")]
    assert holders(rows["一件事/2/水电气过户"]) == [("市自然资源局", "lead")]
    assert holders(rows["一件事/2"]) == [("市自然资源局", "lead"), ("市行政审批局", "responsible")]


OTHER_LAW_TABLE = """附件
《中华人民共和国噪声污染防治法》有关条款职责分工
序号\t法律条款\t条文内容\t责任单位
1\t第七十七\t违反本法规定，建设单位、施工单位有下列行为之一，由工程所在地人民政府指定的部门责令改正，处一万元以上十万元以下的罚款；拒不改正的，可以责令暂停施工：（一）超过噪声排放标准排放建筑施工噪声的；\t由住房和城乡建设部门负责监督管理；
\t\t（二）未按照规定取得证明，在噪声敏感建筑物集中区域夜间进行产生噪声的建筑施工作业的。\t其中，市政工程由城市管理部门负责监督管理。

序号\t法律条款\t条文内容\t责任单位
2\t第八十二条\t违反本法规定，有下列行为之一，由地方人民政府指定的部门说服教育，责令改正；拒不改正的，给予警告，对个人可以处二百元以上一千元以下的罚款\t由公安机关依法处理。
"""


def test_other_law_table_layout(registry):
    (table,) = tables_of(OTHER_LAW_TABLE, registry)
    assert table.kind == "law_articles" and table.law == "中华人民共和国噪声污染防治法"
    assert [r.unit for r in table.rows] == ["第七十七条", "第八十二条"]
    first = table.rows[0]
    assert [(a.mention.canonical, a.condition) for a in first.assignees] == [
        ("市住房城乡建设局", ""), ("市城管局", "市政工程")]
    assert "夜间进行产生噪声的建筑施工作业" in first.fields["法律内容"]
    assert holders(table.rows[1]) == [("市公安局", "responsible")]


OTHER_SERVICE_LIST = """序号\t服务项目\t服务对象\t服务内容\t牵头单位
1\t高龄津贴\t80周岁以上老年人\t按月发放高龄津贴。\t市民政局
2\t景区门票优惠\t60周岁以上老年人\t凭有效证件享受门票半价优惠。 市文\t化广电和旅游局
3\t法律援助\t\t优先受理老年人法律援助申请。\t市司法局
"""


def test_other_service_list_layout_and_split_lead_name(registry):
    (table,) = tables_of(OTHER_SERVICE_LIST, registry)
    assert table.kind == "service_list"
    rows = rows_by_unit(table)
    lead = rows["清单/2"].assignees[0]
    assert (lead.mention.canonical, lead.role, lead.mention.resolution.how) == (
        "市文化广电和旅游局", "lead", "fragment")
    assert rows["清单/2"].fields["服务内容及标准"] == "凭有效证件享受门票半价优惠。"
    assert any("cut between" in u for u in rows["清单/2"].uncertain)
    assert rows["清单/3"].fields["服务对象"] == "60周岁以上老年人"


OTHER_DECISIONS = """序号\t决策事项名称\t承办单位\t完成时限
1\t关于调整城市供水价格的\t市发展改革委、市住房城乡建设局\t2024年9月底前
\t实施方案\t\t
2\t城区停车管理办法\t市公安局\t2024年12月
"""


def test_other_decision_list_with_wrapped_name(registry):
    (table,) = tables_of(OTHER_DECISIONS, registry)
    assert [(r.unit, r.heading, r.deadline, holders(r)) for r in table.rows] == [
        ("目录/1", "关于调整城市供水价格的实施方案", "2024年9月底前",
         [("市住房城乡建设局", "responsible"), ("市发展改革委", "responsible")]),
        ("目录/2", "城区停车管理办法", "2024年12月", [("市公安局", "responsible")])]


def test_statistics_block_with_garbled_header_line(registry):
    text = ("正文段落。\n\n单位:辆、万元\n\n专栏3 交通设备\n\n乱码 X1\t\t\t\n类别\t2025年\t\t2026年\t\n"
            "\t数量\t投资\t数量\t投资\n合计\t12\t1050\t51\t3350\n公交车\t10\t650\t50\t3250\n\n（一）下一节。\n")
    (table,) = tables_of(text, registry)
    assert table.kind == "statistics" and not table.rows
    assert text[table.span[0]:table.span[1]].startswith("单位:辆、万元")
    assert text[table.span[0]:table.span[1]].endswith("3250")


LOST_NUMBER = """序号\t“一件事”名称\t具体事项\t责任部门（★为牵头部门）
1\t出生“一件事”\t出生医学证明\t★市卫生健康委
\t\t户口登记\t市公安局
\t\t入学登记\t★市教育局
_\t入学“一件事”\t学籍注册\t市教育局
\t\t退休审批\t★市人社局
3\t退休“一件事”\t养老金核定\t市人社局
"""


def test_a_number_lost_in_extraction_is_placed_at_its_name(registry):
    (table,) = tables_of(LOST_NUMBER, registry)
    items = [r for r in table.rows if r.kind == "service_item"]
    assert [(r.unit, r.heading) for r in items] == [
        ("一件事/1", "出生“一件事”"), ("一件事/2", "入学“一件事”"), ("一件事/3", "退休“一件事”")]
    assert any("not printed" in u for u in items[1].uncertain)
    assert [r.unit for r in table.rows if r.parent_unit == "一件事/2"] == [
        "一件事/2/入学登记", "一件事/2/学籍注册"]
