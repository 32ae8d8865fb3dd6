"""Laws and regulations (issue 13, parts 1-2): structure, and the holders of each article
scored against hand annotations of real texts (tests/data/laws/*.gold.jsonl, every article read)."""
from __future__ import annotations

import glob
import json
import os
import re

import pytest

from ontology import data_path
from loaders.laws import is_law, read_law
from loaders.pipeline import gap_provisions, load_text

HERE = os.path.dirname(os.path.abspath(__file__))
LAWS = sorted(glob.glob(os.path.join(HERE, "data", "laws", "*.md")))
NOISE = data_path("laws", "zh-noise-pollution-prevention-law-2021.md")


def _read(path: str) -> str:
    with open(path, encoding="utf-8") as handle:
        return handle.read()


def _found(result) -> set[tuple[str, str, str]]:
    names = {d.id: d.name for d in result.departments}
    return {(a.evidence.unit, names[a.department_id] if a.department_id else f"VAGUE:{a.vague}", a.role)
            for a in result.assignments}


def _gold(path: str) -> list[dict]:
    with open(path.replace(".md", ".gold.jsonl"), encoding="utf-8") as handle:
        return [json.loads(line) for line in handle if line.strip()]


@pytest.mark.parametrize("path", LAWS, ids=os.path.basename)
def test_holders_of_every_article_f1(path):
    result = load_text(_read(path), os.path.basename(path))
    gold = {(g["unit"], g["department"], g["role"]) for g in _gold(path)}
    found = _found(result)
    tp = len(gold & found)
    precision, recall = tp / len(found), tp / len(gold)
    f1 = 2 * precision * recall / (precision + recall)
    assert f1 >= 0.90, (f1, sorted(gold - found), sorted(found - gold))


@pytest.mark.parametrize("path", LAWS, ids=os.path.basename)
def test_levels_and_fields_as_annotated(path):
    result = load_text(_read(path), os.path.basename(path))
    names = {d.id: d.name for d in result.departments}
    read = {(a.evidence.unit, names[a.department_id] if a.department_id else f"VAGUE:{a.vague}", a.role,
             a.level, a.field) for a in result.assignments}
    keys = {k[:3] for k in read}
    wrong = [g for g in _gold(path) if (g["unit"], g["department"], g["role"]) in keys and g["field"]
             and (g["unit"], g["department"], g["role"], g["level"], g["field"]) not in read]
    assert wrong == []


def test_kinds_titles_dates():
    got = [(r.documents[0].title, r.documents[0].kind, r.documents[0].date)
           for r in (load_text(_read(p), os.path.basename(p)) for p in LAWS)]
    assert got == [("中华人民共和国中医药条例", "regulation", "2003-10-01"),
                   ("中华人民共和国公共图书馆法", "law", "2018-10-26"),
                   ("温州市城市绿化条例", "local_regulation", "2017-11-30")]


def test_noise_law_title_articles_designated_and_penalties_held():
    text = _read(NOISE)
    result = load_text(text, "noise.md")
    doc = result.documents[0]
    assert (doc.title, doc.kind) == ("中华人民共和国噪声污染防治法", "law")
    articles = [p for p in result.provisions if p.kind == "article"]
    assert len(articles) == 90 and articles[0].unit == "第一条" and articles[-1].unit == "第九十条"
    article_of = lambda unit: re.match(r"第.+?条", unit).group(0)   # 第七十七条第二款 → 第七十七条
    gaps = {article_of(p.unit) for p in gap_provisions(result) if p.unit.startswith("第") and "条" in p.unit}
    penalties = [p.unit for p in articles if "罚款" in p.text and "由" in p.text]
    assert len(penalties) >= 10
    assert [u for u in penalties if u in gaps] == []
    designated = {article_of(a.evidence.unit) for a in result.assignments if a.designated}
    needs = {p.unit for p in articles if "人民政府指定的部门" in p.text}
    assert len(needs) >= 5 and needs <= designated
    lead = next(a for a in result.assignments if a.evidence.unit == "第八条第二款")
    assert (lead.printed_name, lead.role, lead.level, lead.field) == (
        "地方人民政府生态环境主管部门", "lead", "地方人民政府", "生态环境")
    listed = sorted(a.field for a in result.assignments if a.evidence.unit == "第八条第三款")
    assert listed == sorted(["住房和城乡建设", "公安", "民用航空", "海事", "铁路", "交通运输"])


def test_plain_text_pasted_reads_the_same_articles():
    text = _read(LAWS[2])
    plain = re.sub(r"\s*\n\s*", " ", re.sub(r"^#+ *", "", re.sub(r"<!--.*?-->", "", text, flags=re.S), flags=re.M))
    law, markdown = read_law(plain), read_law(text)
    assert is_law(plain) and law.title == markdown.title
    # run-on text has no paragraph breaks: chapters, articles and the number of items agree
    assert [u.label for u in law.units if u.kind in ("chapter", "article")] == \
        [u.label for u in markdown.units if u.kind in ("chapter", "article")]
    assert sum(u.kind == "item" for u in law.units) == sum(u.kind == "item" for u in markdown.units)


def test_old_names_keep_print_and_map_to_todays_field():
    result = load_text("某某条例\n第一条 县级以上地方人民政府环境保护行政主管部门对本行政区域环境噪声污染防治"
                       "实施统一监督管理。\n第二条 建设单位应当采取措施。\n", "x.md")
    [a] = result.assignments
    assert (a.printed_name, a.field, a.role) == ("县级以上地方人民政府环境保护行政主管部门", "生态环境", "lead")
    assert [d.name for d in result.departments] == ["环境保护行政主管部门"]


def test_folder_notes_are_skipped_with_a_warning(tmp_path):
    from service.loading import document_paths
    (tmp_path / "sub").mkdir()
    (tmp_path / "_index.md").write_text("---\nbookCollapseSection: true\n---\n", encoding="utf-8")
    (tmp_path / "sub" / "a.md").write_text("某某条例\n第一条 为了规范。\n第二条 本条例施行。\n", encoding="utf-8")
    files, skipped = document_paths([str(tmp_path)])
    assert files == [str(tmp_path / "sub" / "a.md")]
    assert skipped == [f"{tmp_path / '_index.md'}: a folder note, not a document; skipped"]


def test_a_law_that_assigns_no_duty_is_still_a_law():
    text = ("# 国务院关于在香港特别行政区同时升挂使用国旗区旗的规定\n\n1997年6月5日 国务院发布\n\n"
            "<!-- INFO END -->\n\n一、香港特别行政区的机关应当升挂国旗和区旗。\n")
    result = load_text(text, "flag.md")
    assert [(d.title, d.kind) for d in result.documents] == [
        ("国务院关于在香港特别行政区同时升挂使用国旗区旗的规定", "regulation")]
    assert [p.unit for p in result.provisions] == ["正文"] and result.assignments == []


def test_an_old_regulation_in_numbered_points_is_read_from_its_file(tmp_path):
    # The same text as a file (read, decoded and checked as every file is): a 规定 with no 条 and no
    # other word of the family is still a law, not "no Chinese government document"
    from loaders.reading import document_text
    text = ("# 国务院关于在香港特别行政区同时升挂使用国旗区旗的规定\n\n1997年6月5日 国务院第58次常务会议通过\n\n"
            "<!-- INFO END -->\n\n一、凡国旗和区旗同时升挂、使用时，应当将国旗置于中心、较高或者突出的位置。\n\n"
            "二、列队举持国旗和区旗行进时，国旗应当在区旗之前。\n")
    assert document_text(text.encode("utf-8"), "flag.md") == text
    from service.loading import document_paths
    for name in ("README.md", "SOURCES.md"):
        (tmp_path / name).write_text("# Laws\n", encoding="utf-8")
    (tmp_path / "flag.md").write_text(text, encoding="utf-8")
    files, skipped = document_paths([str(tmp_path)])
    assert files == [str(tmp_path / "flag.md")] and len(skipped) == 2
