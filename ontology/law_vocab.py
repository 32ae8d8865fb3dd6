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
