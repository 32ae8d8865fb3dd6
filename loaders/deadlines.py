"""Deadlines (完成时限), numeric targets and citations of higher documents.

>>> parse_deadline("2024年12月底前取得阶段性成效,持续推进")
'2024-12-31'
>>> parse_deadline("2024年9月底前")
'2024-09-30'
>>> parse_deadline("持续推进")
''
>>> [c[0] for c in find_citations("(国发〔2024〕3号)《黑龙江省…》(黑政发 [2024] 6号)")]
['国发〔2024〕3号', '黑政发〔2024〕6号']
"""
from __future__ import annotations

import calendar
import re

_DATE = re.compile(r"(\d{4})\s*年\s*(?:(\d{1,2})\s*月)?\s*(?:(\d{1,2})\s*日)?\s*(底|末|中旬|上旬|下旬|前|内)?")


def parse_deadline(text: str) -> str:
    """The ISO date a deadline text ends on, or "" when it has none (持续推进).

    A month alone means its last day; a year alone means 31 December.
    """
    match = _DATE.search(text or "")
    if not match:
        return ""
    year, month, day = int(match.group(1)), match.group(2), match.group(3)
    if not 1990 <= year <= 2100:
        return ""
    if month is None:
        return f"{year:04d}-12-31"
    month = int(month)
    if not 1 <= month <= 12:
        return ""
    if day is None:
        day = calendar.monthrange(year, month)[1]
        if match.group(4) == "上旬":
            day = 10
        elif match.group(4) == "中旬":
            day = 20
    return f"{year:04d}-{month:02d}-{int(day):02d}"


# 国发〔2024〕3号, 黑政发 [2024] 6号, 双政办规〔2023〕11号, 国务院令第713号
_CITATION = re.compile(
    r"([\u4e00-\u9fff]{1,10}?)\s*[〔\[［【(（]\s*(\d{4})\s*[〕\]］】)）]\s*(\d{1,4})\s*号"
    r"|(国务院令|省政府令|政府令)\s*第\s*(\d{1,4})\s*号")


def find_citations(text: str) -> list[tuple[str, int, int]]:
    """Document numbers cited in text, normalised to 〔〕 form, with their spans."""
    found = []
    for m in _CITATION.finditer(text):
        if m.group(1):
            number = f"{m.group(1)}〔{m.group(2)}〕{m.group(3)}号"
        else:
            number = f"{m.group(4)}第{m.group(5)}号"
        found.append((number, m.start(), m.end()))
    return found


# PM2.5浓度控制在26微克/立方米以内; 占比达到15%; 增长25%以上; 达到85%以上
_TARGET = re.compile(
    r"(?:(?:到|至)?(\d{4})年(?:底前|底|前)?[,，]?)?"
    r"([\u4e00-\u9fffA-Za-z0-9.()（）]{2,24}?)(?:浓度)?(?:控制在|达到|提升到|提高到|下降到|降低到|力争达到|不低于|增长|比重下降到|占比达到)"
    r"(?:约)?(\d+(?:\.\d+)?)\s*(%|微克/立方米|吨|万吨|天|台|艘|万平方米|个|蒸吨|万千瓦)")


# The words without which _TARGET cannot match: looked for first, since _TARGET tries up to 24
# characters at every position of a run of its indicator characters (a page of brackets or digits).
_TARGET_VERBS = re.compile(r"控制在|达到|提升到|提高到|下降到|降低到|不低于|增长")


def find_targets(text: str) -> list[dict]:
    """Measurable targets: indicator, value, unit, year (the nearest year before it)."""
    if not _TARGET_VERBS.search(text):
        return []
    found = []
    last_year = ""
    for m in _TARGET.finditer(text):
        year = m.group(1) or _year_before(text, m.start()) or last_year
        last_year = year
        indicator = re.sub(r"^(?:全市|我市|城市|的|将|使|,|，)+", "", m.group(2))
        found.append({"indicator": indicator, "value": m.group(3), "unit": m.group(4),
                      "year": year, "start": m.start(), "end": m.end()})
    return found


def _year_before(text: str, pos: int) -> str:
    window = text[max(0, pos - 40):pos]
    years = re.findall(r"(\d{4})年", window)
    return years[-1] if years else ""
