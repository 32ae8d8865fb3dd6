"""Query expansion with the synonym table (ontology/synonyms.yaml), before bigrams.

Bigram search finds what shares characters with the question; people ask in
their own words (饭馆, 噪音, 坐公交) for what documents print otherwise
(餐饮店, 噪声, 乘坐交通工具).  A group of the table whose word occurs in the
query adds the group's other words to it.  Expanding is idempotent, so it is
harmless to expand a query twice.

>>> expand("娱乐场所噪音", [["噪声", "噪音"]])
'娱乐场所噪音 噪声'
>>> expand(expand("娱乐场所噪音", [["噪声", "噪音"]]), [["噪声", "噪音"]])
'娱乐场所噪音 噪声'
>>> expand("秸秆禁烧", [["噪声", "噪音"]])
'秸秆禁烧'
"""
from __future__ import annotations

import functools

import yaml

from graph.errors import InputError
from ontology import data_path

TABLE = data_path("synonyms.yaml")


@functools.lru_cache(maxsize=4)
def load_groups(path: str = TABLE) -> tuple[tuple[str, ...], ...]:
    """The synonym groups of a table file; read once per path, on first use."""
    try:
        with open(path, encoding="utf-8") as handle:
            data = yaml.safe_load(handle) or {}
    except (OSError, yaml.YAMLError) as exc:
        raise InputError(path, f"cannot read the synonym table ({exc})", hint="fix or restore the YAML file") from None
    groups = data.get("groups", [])
    for number, group in enumerate(groups, 1):
        if not isinstance(group, list) or len(group) < 2 or not all(isinstance(w, str) and w for w in group):
            raise InputError(path, "a synonym group must list two or more words", place=f"group {number}")
    return tuple(tuple(g) for g in groups)


def expand(topic: str, groups=None) -> str:
    """The topic followed by the synonyms of the words it holds (matching ignores ASCII case)."""
    groups = load_groups() if groups is None else groups
    text = topic
    # Repeat until nothing is added: an added word may belong to another group,
    # and the fixed point is what makes expand(expand(q)) == expand(q).
    for _ in range(len(groups) + 1):
        folded = text.casefold()
        added = [w for g in groups if any(m.casefold() in folded for m in g)
                 for w in g if w.casefold() not in folded]
        if not added:
            break
        text += " " + " ".join(dict.fromkeys(added))
    return text
