"""The words laws are read by (ontology/laws.yaml) and the table of fields (ontology/fields.yaml).

>>> field_of("环境保护行政")
'生态环境'
>>> field_of("海关")
'海关'
>>> "条例" in law_words()["title_endings"]
True
"""
from __future__ import annotations

import functools
import re

import yaml

from ontology import data_path


@functools.lru_cache(maxsize=1)
def law_words() -> dict:
    """title_endings, not_title, version_words, local_issuers, national_prefixes, levels,
    authority_suffixes, bodies, vague_prefixes, roles, object_markers."""
    with open(data_path("laws.yaml"), encoding="utf-8") as handle:
        return yaml.safe_load(handle)


@functools.lru_cache(maxsize=1)
def _fields() -> dict[str, str]:
    with open(data_path("fields.yaml"), encoding="utf-8") as handle:
        table = yaml.safe_load(handle)
    printed = {}
    for canonical, forms in table.items():
        for form in [canonical, *forms]:
            printed.setdefault(form, canonical)
    return printed


def field_of(printed: str) -> str:
    """Today's field for a field as printed (old names included); unknown fields stay as printed."""
    return _fields().get(printed, printed)


def field_in_name(department: str) -> str:
    """The field a local department's name holds (the longest printed form in it), '' if none:
    how a law's 生态环境主管部门 finds 市生态环境局 (issue 13, part 3).

    >>> field_in_name("市生态环境局"), field_in_name("市住房城乡建设局"), field_in_name("市城管局")
    ('生态环境', '住房和城乡建设', '城市管理')
    >>> field_in_name("市委宣传部")
    ''
    """
    return next((_fields()[form] for form in _forms_longest_first() if form in department), "")


@functools.lru_cache(maxsize=1)
def _forms_longest_first() -> tuple[str, ...]:
    return tuple(sorted(_fields(), key=lambda f: (-len(f), f)))


_NATIONAL_PREFIX = "中华人民共和国"


def law_key(title: str) -> str:
    """The key a law is matched by: its title without 中华人民共和国 and brackets.

    >>> law_key("《中华人民共和国噪声污染防治法》"), law_key("噪声污染防治法")
    ('噪声污染防治法', '噪声污染防治法')
    """
    title = re.sub(r"[《》\s]", "", title)
    return title[len(_NATIONAL_PREFIX):] if title.startswith(_NATIONAL_PREFIX) else title
