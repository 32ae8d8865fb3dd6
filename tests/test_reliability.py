"""The silent losses of issue 16, tried again: nothing the parser meets is dropped for its size.

A bracket longer than 600 characters used to be skipped whole (200 departments
in one bracket → 0 assignments, nothing on the review list), and item numbers
of 1000 or more were not recognised (a 10,000-item document kept 1,998 of its
20,000 assignments).  The department names are the registry's own, so the
expected holders come from data, not from this file.
"""
from __future__ import annotations

from loaders.pipeline import load_text
from ontology.registry import default_registry

HEAD = "某市人民政府办公室关于印发某某工作方案的通知\n某政办发〔2025〕1号\n"


def _city_departments() -> list[str]:
    names = sorted({n for n in default_registry()._canonical_names if n.startswith("市") and n.endswith("局")})
    assert len(names) >= 10
    return names


def test_a_bracket_of_hundreds_of_names_over_600_characters_is_read_whole():
    names = _city_departments()
    listed = [names[i % len(names)] for i in range(216)]           # 216 names, each department several times
    bracket = "（牵头单位：" + "、".join(listed) + "；配合单位：市财政局）"
    assert len(bracket) > 600
    result = load_text(HEAD + "一、重点任务\n（一）加强监管。" + bracket + "\n", "long-bracket.txt")
    held = {a.department_id for a in result.assignments}
    by_name = {d.id: d.name for d in result.departments}
    assert {by_name[i] for i in held} >= set(names)                  # every department named is a holder
    assert not [w for w in result.warnings if "skipped" in w]


def test_item_numbers_of_1000_and_more_keep_every_assignment():
    items = "".join(f"{i}.市公安局、市财政局负责第{i}项工作。\n" for i in range(990, 2990))
    result = load_text(HEAD + items, "items.txt")
    assert len(result.assignments) == 2 * 2000
    units = {p.unit for p in result.provisions}
    assert {"990", "999", "1000", "2989"} <= units, sorted(units)[:10]
