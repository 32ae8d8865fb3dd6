"""Department cells → TableAssignees.

Two shapes of cell occur in this family of annexes:

* a list of names ("★市住房城乡建设局 市自然资源局、市交通运输局、…等部门"):
  ★ marks the lead of a "一件事", a trailing 等/等部门 makes the list open-ended;
* a duty sentence ("在商业经营活动中…的,由城管部门负责监督管理(待城管部门职能调整后,
  由承接部门负责监督管理)依法处理。其他违反本条规定的,…由公安部门依法处理。"):
  every sentence names its holders after 由; what precedes 由 is the sub-case
  (condition) they hold; a 待…调整后 aside makes the holder pending.

>>> from ontology.registry import default_registry
>>> from loaders.tables.grid import Cell, join_cells
>>> src = "★市住房城乡建设局、市城管局等部门"
>>> found, notes = list_assignees(join_cells(src, [Cell(src, 0, len(src))]), default_registry())
>>> [(a.mention.canonical, a.role, a.open_ended) for a in found]
[('市住房城乡建设局', 'lead', True), ('市城管局', 'responsible', True)]
"""
from __future__ import annotations

import re
from dataclasses import replace

from loaders.tables import TableAssignee
from ontology import vocab
from loaders.tables.grid import Joined

STAR = "".join(vocab.lead_marks()["symbols"])   # ★ (and ☆) before a name: the lead, ontology/labels.yaml
# 等 / 等部门 / 等有关部门 at the end of a list: more holders than the ones named.
_OPEN_END = re.compile(r"等(?:有关|相关)?(?:部门|单位|机构)?$")


def list_assignees(cell: Joined, registry, role: str = "responsible",
                   star_role: str = "lead") -> tuple[list[TableAssignee], list[str]]:
    """Assignees named by a list cell; the second value holds reasons for doubt."""
    text = cell.text
    notes: list[str] = []
    open_ended = False
    cut = _OPEN_END.search(text)
    if cut and cut.start() > 0:
        open_ended, text = True, text[: cut.start()]
    # ★ is no part of a name: blank it out (keeping offsets) and remember where it was.
    stars = [i for i, ch in enumerate(text) if ch in STAR]
    plain = "".join(" " if ch in STAR else ch for ch in text)
    mentions = registry.split_list(plain, 0)
    result = []
    prev_end = 0
    for m in mentions:
        if m.resolution.how == "fuzzy":
            # A name cut by the column border ("化广电和旅游局") looks like a near
            # miss of the whole name; in a table cell the cut is the likelier story.
            cut = registry.recover_fragment(m.printed)
            if cut is not None and cut.canonical == m.resolution.suggestion:
                m = replace(m, resolution=cut)
        starred = any(prev_end <= s < m.start for s in stars)
        prev_end = m.end
        a, b = cell.source_span(m.start, m.end)
        result.append(TableAssignee(
            mention=replace(m, start=a, end=b), role=star_role if starred else role,
            quote_span=cell.fragment_span(m.start, m.end), open_ended=open_ended))
        if m.resolution.uncertain:
            how = m.resolution.how
            notes.append(f"department '{m.printed}' resolved by {how} to {m.canonical}")
    if text.strip(" " + STAR) and not mentions:
        notes.append(f"department cell not recognised: '{cell.text}'")
    return result, notes


# A holder list after 由: names ending in a department word, joined by 、/和/及.
_NAME = r"[^、，,。；;由\s()（）]{2,24}?(?:部门|机关|局|委|办公室|中心|支队|海关|海事处|政府)"
_HOLDERS = re.compile(rf"由((?:{_NAME}[、和及与]?)+)")
# 待城管部门职能调整后,由承接部门负责 …: the named holder keeps the duty until then.
_PENDING = re.compile(r"[(（]待[^()（）]*?后[^()（）]*[)）]|待[^,，。]*?(?:调整|划转|移交)后")
_SENTENCE = re.compile(r"[^。；;]+[。；;]?")


def duty_assignees(cell: Joined, registry,
                   role: str = "responsible") -> tuple[list[TableAssignee], list[str]]:
    """Holders of a duty sentence cell, one per holder and sub-case."""
    text = cell.text
    result: list[TableAssignee] = []
    notes: list[str] = []
    sentences = [(m.start(), m.group()) for m in _SENTENCE.finditer(text) if m.group().strip()]
    for at, sentence in sentences:
        pending = bool(_PENDING.search(sentence))
        # The aside names the future holder; the present holder is before it.
        searchable = _PENDING.sub(lambda m: " " * len(m.group()), sentence)
        match = _HOLDERS.search(searchable)
        if not match:
            continue
        condition = _condition(sentence[: match.start()])
        offset = at + match.start(1)
        for m in registry.split_list(match.group(1), 0):
            a, b = cell.source_span(offset + m.start, offset + m.end)
            result.append(TableAssignee(
                mention=replace(m, start=a, end=b), role=role,
                quote_span=cell.source_span(at, at + len(sentence.rstrip())),
                condition=condition, pending=pending))
            if m.resolution.uncertain:
                notes.append(f"holder '{m.printed}' resolved by {m.resolution.how} to {m.canonical}")
    if text.strip() and not result:
        notes.append(f"no holder found in '{text[:40]}'")
    return result, notes


def _condition(prefix: str) -> str:
    """The sub-case: what precedes 由, without 其中 and trailing commas."""
    prefix = re.sub(r"^(?:其中|另外|此外)[,，]?", "", prefix.strip())
    return prefix.strip(" ,，")
