"""`dutygraph check`: assignment cues that no extracted assignment explains (loaders/coverage.py).

Real documents: the bundled gazette, and two of ../shared/dev-gold copied into tests/data/check/
(a Guangzhou opinion of 2012 with a bracket after every item, a Jiading plan with a flattened table).
Where an expectation must not move when the readers improve, the test removes assignments from a
real load itself ("a cue deliberately not extracted") instead of relying on today's misses.
"""
from __future__ import annotations

import json
import os
import re
from dataclasses import replace

import pytest

from ontology import data_path
from api.cli import main
from graph.errors import InputError
from graph.model import LoadResult
from loaders.coverage import check, compile_cues, default_cues, find_cues
from loaders.pipeline import load_text
from loaders.reading import read_document_file

HERE = os.path.dirname(os.path.abspath(__file__))
GUANGZHOU = os.path.join(HERE, "data", "check", "guangzhou_rencai_jiju_2012.txt")
JIADING = os.path.join(HERE, "data", "check", "shanghai_jiading_haimian_2024.txt")
TASK_TABLE = os.path.join(HERE, "data", "task-table-tab.txt")
GAZETTE = data_path("samples", "shuangyashan-gazette-2024-05.txt")


def _load(path):
    text = read_document_file(path)
    return text, load_text(text, os.path.basename(path))


def _places(cues):
    return [(c.line, c.col, c.cue) for c in cues]


def test_a_bracket_the_readers_dropped_is_reported_at_its_line():
    text, result = _load(GUANGZHOU)
    item14 = next(p.id for p in result.provisions if p.unit == "14")
    before = {_places([c])[0] for c in check(text, result, GUANGZHOU).unexplained}
    dropped = replace(result, assignments=[a for a in result.assignments if a.provision_id != item14])
    after = {_places([c])[0] for c in check(text, dropped, GUANGZHOU).unexplained}
    # item 14 is line 20: 「…(牵头单位:市教育局,配合单位:市人力资源和社会保障局、市国资委)」
    assert after - before == {(20, 111, "牵头单位"), (20, 121, "配合")}
    assert text.split("\n")[19][110:114] == "牵头单位"


def test_a_fully_extracted_bracket_is_not_reported():
    text, result = _load(GUANGZHOU)
    report = check(text, result, GUANGZHOU)
    line20 = [c for c in report.cues if c.line == 20]
    assert [(c.cue, c.kind, c.explained) for c in line20] == [("牵头单位", "word", True), ("配合", "word", True)]
    assert all(c.doc == "关于推进人才集聚工程的实施意见" for c in line20)


def test_no_assignment_at_all_leaves_every_cue_unexplained():
    text, result = _load(GUANGZHOU)
    report = check(text, replace(result, assignments=[]), GUANGZHOU)
    assert len(report.cues) == len(check(text, result, GUANGZHOU).cues) > 90
    assert report.explained == 0
    assert report.summary() == f"cues {len(report.cues)}, explained 0 (0.0%)"


def test_gazette_brackets_explained_cover_and_principles_not_cues():
    text, result = _load(GAZETTE)
    report = check(text, result, GAZETTE)
    by_place = {(c.line, c.col): c for c in report.cues}
    # 〔牵头单位:市营商环境局;责任单位:…〕 broken by the PDF as 〔牵 头单位: … 责任单位: 市政府直 属…〕
    assert (by_place[(67, 277)].cue, by_place[(67, 277)].explained) == ("牵头单位", True)
    assert (by_place[(67, 292)].cue, by_place[(67, 292)].explained) == ("责任单位", True)
    assert by_place[(67, 277)].doc == "双政发〔2024〕4号"
    # the cover's 「双鸭山市人民政府办公室主办」 lies outside every document: not counted
    assert "主办" in text.split("\n")[15] and not [c for c in report.cues if c.line == 16]
    # 「按照"谁主管、谁负责"原则」 is a principle (ontology/cues.yaml not_assigning), not a cue
    assert "谁负责" in text.split("\n")[817]
    assert [c.cue for c in report.cues if c.line == 818] == ["按照职责分工"]
    assert report.explained / len(report.cues) >= 0.95


def test_adjacent_cue_words_are_one_cue():
    text, result = _load(GAZETTE)
    cues = [c for c in check(text, result, GAZETTE).cues if c.line == 614]
    assert [(c.col, c.cue) for c in cues] == [(77, "按职责分工负责")]
    # 按职责分工负 / 责 are split over a line break in the source; the span covers both
    assert "".join(text[slice(*cues[0].span)].split()) == "按职责分工负责"


def test_holder_columns_of_a_flattened_table_are_found():
    text, result = _load(JIADING)
    columns = [(c.line, c.col, c.cue) for c in check(text, result, JIADING).cues if c.kind == "column"]
    assert columns == [(304, 1, "责任单位"), (400, 1, "责任单位")]


def test_a_holder_column_is_explained_by_its_rows_only():
    text, result = _load(TASK_TABLE)
    report = check(text, result, TASK_TABLE)
    assert [(c.line, c.col, c.cue, c.kind, c.explained) for c in report.cues] == [
        (16, 9, "牵头单位", "column", True), (16, 14, "责任单位", "column", True), (22, 32, "牵头", "word", True)]
    prose_only = replace(result, assignments=[a for a in result.assignments if a.source != "table"])
    assert [c.explained for c in check(text, prose_only, TASK_TABLE).cues] == [False, False, False]


def test_a_name_before_a_colon_is_a_cue_but_an_addressee_line_is_not():
    text = ("某镇人民政府关于印发安全生产职责分工方案的通知\n\n各村(居)民委员会、镇属各单位:\n\n"
            "(一)综合执法队:负责辖区内安全生产执法检查。\n"
            "2. 社区事务办: 负责 安全宣传。\n"
            "工作目标:到2025年,隐患全部整改。\n")
    found = [(kind, cue) for kind, cue, _, _ in find_cues(text, default_cues())]
    assert found == [("colon", "综合执法队:"), ("word", "负责"), ("colon", "社区事务办:"), ("word", "负责")]
    report = check(text, LoadResult(source="t.txt"), "t.txt")
    assert _places(report.unexplained) == [(5, 4, "综合执法队:"), (5, 10, "负责"),
                                           (6, 4, "社区事务办:"), (6, 11, "负责")]


def test_a_misspelt_setting_in_a_cue_file_is_an_error():
    with pytest.raises(InputError, match="holder_colums"):
        compile_cues({"words": ["负责"], "holder_colums": ["责任单位"]}, "my-cues.yaml")


def test_cli_prints_one_line_per_unexplained_cue_and_a_summary(tmp_path, capsys):
    path = tmp_path / "plan.txt"
    path.write_text(open(GUANGZHOU, encoding="utf-8").read(), encoding="utf-8")
    text, result = _load(str(path))
    expected = check(text, result, str(path))
    assert main(["check", str(path)]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[-1] == expected.summary()
    assert len(lines) - 1 == len(expected.unexplained) >= 1
    for line, cue in zip(lines, expected.unexplained):
        assert line.startswith(f"{path}:{cue.line}:{cue.col} {cue.cue} [{cue.kind}] ")
        assert cue.cue in line[len(str(path)):]


def test_cli_summary_of_a_fully_read_table(capsys):
    assert main(["check", TASK_TABLE]) == 0
    assert capsys.readouterr().out == "cues 3, explained 3 (100.0%)\n"


def test_cli_json(capsys):
    assert main(["check", "--json", TASK_TABLE, GUANGZHOU]) == 0
    data = json.loads(capsys.readouterr().out)
    assert [f["file"] for f in data["files"]] == [TASK_TABLE, GUANGZHOU]
    assert data["cues"] == sum(f["cues"] for f in data["files"]) and data["not_read"] == []
    assert data["files"][0]["unexplained"] == []
    first = data["files"][1]["unexplained"][0]
    assert set(first) == {"file", "line", "col", "cue", "kind", "span", "doc", "explained", "context"}
    assert first["explained"] is False and first["context"] == open(GUANGZHOU, encoding="utf-8").read().split(
        "\n")[first["line"] - 1]


def test_cli_bad_input_goes_through_the_error_tree(tmp_path, capsys):
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    assert main(["check", str(empty), TASK_TABLE]) == 2
    captured = capsys.readouterr()
    assert re.fullmatch(r"dutygraph: empty\.txt: the file is empty\. .*\n", captured.err)
    # the other file is still checked
    assert captured.out == "cues 3, explained 3 (100.0%); 1 files not read\n"
    assert main(["check", str(tmp_path)]) == 2
    assert f"dutygraph: {tmp_path}: this is a folder, not a file" in capsys.readouterr().err
