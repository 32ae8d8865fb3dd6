"""ontology/places.py: the national division table read as places, with exact expectations."""
import pytest

from ontology import places
from ontology.places import by_code, candidates, find_places, lookup, qualify


def spans(text, **kw):
    return [(qualify(p), s, e) for p, s, e in find_places(text, **kw)]


def test_the_table_is_the_2025_national_list():
    table = places._table()
    levels = {}
    for p in table.by_code.values():
        levels[p.level] = levels.get(p.level, 0) + 1
    assert levels == {"province": 33, "city": 333, "county": 2845, "town": 38723}
    # 2019: 莱芜市 became 济南市莱芜区; 2023: 白杨市 (新疆) was created; 2015: 闸北区 merged into 静安区.
    assert lookup("莱芜市") is None and qualify(lookup("莱芜区")) == "山东省济南市莱芜区"
    assert lookup("白杨市").code == "659012"
    assert lookup("闸北区") is None


@pytest.mark.parametrize("name, code, path", [
    ("上海市", "310000", "上海市"),
    ("静安区", "310106", "上海市静安区"),
    ("嘉定区", "310114", "上海市嘉定区"),
    ("闵行区", "310112", "上海市闵行区"),
    ("广州市", "440100", "广东省广州市"),
    ("越秀区", "440104", "广东省广州市越秀区"),
    ("黑龙江省", "230000", "黑龙江省"),
    ("内蒙古自治区", "150000", "内蒙古自治区"),
    ("双鸭山市", "230500", "黑龙江省双鸭山市"),
    ("宝清县", "230523", "黑龙江省双鸭山市宝清县"),
    ("吴泾镇", "310112110", "上海市闵行区吴泾镇"),
])
def test_full_names(name, code, path):
    place = lookup(name)
    assert (place.code, qualify(place)) == (code, path)


@pytest.mark.parametrize("short, name", [
    ("广州", "广州市"), ("静安", "静安区"), ("上海", "上海市"), ("黑龙江", "黑龙江省"), ("内蒙古", "内蒙古自治区"),
    ("广西", "广西壮族自治区"), ("新疆", "新疆维吾尔自治区"), ("恩施州", "恩施土家族苗族自治州"),
    ("恩施", "恩施土家族苗族自治州"), ("浦东", "浦东新区"), ("神农架", "神农架林区"), ("大兴安岭", "大兴安岭地区"),
    ("吉林", "吉林省"),          # a province and a city share it: the higher level
])
def test_short_forms(short, name):
    assert lookup(short).name == name


def test_a_place_has_its_level_and_parent():
    p = lookup("越秀区")
    assert (p.name, p.short, p.level, p.code, p.parent) == ("越秀区", "越秀", "county", "440104", "440100")
    assert places.parent_of(p).name == "广州市"
    assert [a.name for a in places.ancestors(p)] == ["广东省", "广州市"]


def test_repeated_names_are_never_guessed():
    assert [qualify(p) for p in candidates("朝阳区")] == ["北京市朝阳区", "吉林省长春市朝阳区"]
    assert lookup("朝阳区") is None
    assert lookup("朝阳区", within="北京市").code == "110105"
    assert lookup("朝阳区", within=lookup("长春")).code == "220104"
    assert lookup("朝阳区", within="220000").code == "220104"
    # 宝山区 is Shanghai's and 双鸭山's.
    assert [p.code for p in candidates("宝山区")] == ["230506", "310113"]
    assert lookup("宝山区", within="双鸭山").code == "230506"
    assert lookup("宝山区", within="广东省") is None


def test_qualified_names():
    assert lookup("北京市朝阳区").code == "110105"
    assert lookup("长春市朝阳区").code == "220104"
    assert lookup("江苏省南通市通州区").code == "320612"
    assert lookup("上海市闵行区吴泾镇").code == "310112110"
    assert lookup("广州市静安区") is None
    assert lookup("") is None and lookup("人民政府") is None


def test_find_places_in_titles():
    assert spans("嘉定区系统化全域推进海绵城市建设的实施方案") == [("上海市嘉定区", 0, 3)]
    assert spans("广州市人民政府关于印发广州市促进人才集聚若干措施的通知") == [
        ("广东省广州市", 0, 3), ("广东省广州市", 11, 14)]
    assert spans("黑龙江省双鸭山市宝清县人民政府") == [
        ("黑龙江省", 0, 4), ("黑龙江省双鸭山市", 4, 8), ("黑龙江省双鸭山市宝清县", 8, 11)]


def test_find_places_settles_repeated_names_by_context():
    assert spans("长春市朝阳区人民政府") == [("吉林省长春市", 0, 3), ("吉林省长春市朝阳区", 3, 6)]
    assert spans("朝阳区人民政府", within="北京市") == [("北京市朝阳区", 0, 3)]
    assert spans("朝阳区人民政府") == [("北京市朝阳区", 0, 3), ("吉林省长春市朝阳区", 0, 3)]
    assert spans("双鸭山市宝山区") == [("黑龙江省双鸭山市", 0, 4), ("黑龙江省双鸭山市宝山区", 4, 7)]


def test_find_places_skips_words_that_look_like_places():
    # Towns and cities' short forms need a place above them in the text.
    assert spans("提高城镇化水平，重大理念，普通化妆品") == []
    assert spans("闵行区吴泾镇") == [("上海市闵行区", 0, 3), ("上海市闵行区吴泾镇", 3, 6)]
    assert spans("吴泾镇", within="上海市") == [("上海市闵行区吴泾镇", 0, 3)]
    assert spans("广东省广州") == [("广东省", 0, 3), ("广东省广州市", 3, 5)]
    # A short form before 路 or 河 is a street or a river; 县(市、区) is the collective notation.
    assert spans("上海市南京西路、苏州河") == [("上海市", 0, 3)]
    assert spans("会同县(市、区)人民政府") == []
    # Two-character names (和县, 城区) only after their parent's name.
    assert spans("各市和县") == []
    assert spans("马鞍山市和县") == [("安徽省马鞍山市", 0, 4), ("安徽省马鞍山市和县", 4, 6)]
    assert spans("广州", short=False) == []
