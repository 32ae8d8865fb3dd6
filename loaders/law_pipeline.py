"""A law or regulation → LoadResult: the document, its chapters, sections, articles, paragraphs
and items as provisions, and the holders of each article as assignments.

A holder is attached to its article (第十二条); when paragraphs of one article name different
holders, each paragraph keeps its own (第十二条第二款), as ARCHITECTURE.md says.  A law that
names no holder at all is still stored.

>>> r = load_law("某某条例\\n第一条 为了规范管理，制定本条例。\\n第二条 市生态环境主管部门负责监督管理。\\n", "x.md")
>>> r.documents[0].kind, [(a.evidence.unit, a.printed_name, a.role) for a in r.assignments]
('regulation', [('第二条', '市生态环境主管部门', 'responsible')])
"""
from __future__ import annotations

import re

from graph.model import Assignment, Department, Document, Evidence, LoadResult, Provision, stable_id
from loaders.law_authorities import LawHolder, article_holders
from loaders.laws import LawText, LawUnit, read_law

_TOWN_BODIES = ("乡镇人民政府", "乡、镇人民政府", "乡（镇）人民政府", "街道办事处", "居民委员会", "村民委员会")


def load_law(text: str, source: str) -> LoadResult:
    law = read_law(text, source)
    result = LoadResult(source=source)
    doc = Document(id=stable_id("doc", law.title), number="", title=law.title, date=law.date, source=source,
                   span=(0, len(text)), kind=law.kind)
    result.documents.append(doc)
    ids = _provisions(text, law, doc, result)
    if not law.articles():
        return result
    aliases: set[str] = set()
    for art in law.articles():
        _assign(text, law, art, ids, doc, result, aliases)
    return result


def _provisions(text: str, law: LawText, doc: Document, result: LoadResult) -> list[str]:
    ids: list[str] = []
    units = law.units or [LawUnit("article", "正文", _body(text, law))]
    for order, u in enumerate(units):
        pid = stable_id("prov", doc.id, u.label)
        ids.append(pid)
        body = _squash(text[u.span[0]:u.span[1]])
        heading = u.heading if u.kind in ("chapter", "section") else re.split(r"[。：:；]", body, maxsplit=1)[0][:60]
        result.provisions.append(Provision(pid, doc.id, u.label, u.kind, heading, body, u.span,
                                           ids[u.parent] if u.parent >= 0 else "", order=order))
    return ids


def _assign(text: str, law: LawText, art: int, ids: list[str], doc: Document, result: LoadResult,
            aliases: set[str]) -> None:
    paragraphs = [i for i in law.children(art) if law.units[i].kind == "paragraph"] or [art]
    found: list[tuple[int, list[LawHolder]]] = []
    before: list[LawHolder] = []
    for p in paragraphs:
        unit = law.units[p]
        start = unit.span[0] if p != art else _body_start(text, unit)
        holders = [_designated_alias(text, _shift(h, start), aliases)
                   for h in article_holders(text[start:unit.span[1]], before)]
        before = before + holders
        found.append((p, holders))
    sets = {frozenset((h.department, h.level, h.role) for h in hs) for _, hs in found if hs}
    for p, holders in found:
        where = p if len(sets) > 1 else art
        for h in holders:
            _add(text, law.units[where].label, ids[where], h, doc, result)


def _add(text: str, unit: str, pid: str, h: LawHolder, doc: Document, result: LoadResult) -> None:
    dept_id = "" if h.vague else _department(h, result)
    key = dept_id or "VAGUE:" + h.department
    aid = stable_id("asg", pid, key, h.role, h.level)
    if any(a.id == aid for a in result.assignments):
        return
    a, b = h.quote
    result.assignments.append(Assignment(
        aid, pid, dept_id, h.role, Evidence(doc.id, unit, (a, b), text[a:b]), printed_name=h.printed,
        vague=h.department if h.vague else "", open_ended=h.open_ended, source="law",
        level=h.level, field=h.field, designated=h.designated))


def _department(h: LawHolder, result: LoadResult) -> str:
    dept_id = stable_id("dept", h.department)
    if not any(d.id == dept_id for d in result.departments):
        kind = ("town" if h.department in _TOWN_BODIES else
                "government" if h.department in ("人民政府", "国务院") else "generic")
        result.departments.append(Department(dept_id, h.department, kind))
    return dept_id


_ALIAS = re.compile(r"[（(]以下简称[“\"「]?([^”\"」）)]+)[”\"」]?[）)]")


def _designated_alias(text: str, h: LawHolder, aliases: set[str]) -> LawHolder:
    """A designated body named short later on (由省人民政府指定的行政机关负责（以下简称“省核管理机关”）):
    the short name stays designated wherever it holds a duty."""
    from dataclasses import replace
    if h.designated:
        m = _ALIAS.search(text, h.span[1], h.quote[1] + 1)
        if m:
            aliases.add(m.group(1))
        return h
    return replace(h, designated=True) if h.printed in aliases else h


def _shift(h: LawHolder, by: int) -> LawHolder:
    from dataclasses import replace
    return replace(h, span=(h.span[0] + by, h.span[1] + by), quote=(h.quote[0] + by, h.quote[1] + by))


def _body_start(text: str, unit: LawUnit) -> int:
    """An article's text after its label (第十二条 is no part of a holder's clause)."""
    m = re.match(r"第[一二三四五六七八九十百千零〇两]+条(?:之[一二三四五六七八九十]+)?[\s\u3000]*", text[unit.span[0]:])
    return unit.span[0] + (m.end() if m else 0)


def _body(text: str, law: LawText) -> tuple[int, int]:
    """A text with no articles (an old 规定 in numbered points): its body after the header."""
    marker = text.find("<!-- INFO END -->")
    start = marker + len("<!-- INFO END -->") if marker >= 0 else law.title_span[1]
    while start < len(text) and text[start].isspace():
        start += 1
    return (start, len(text.rstrip()))


def _squash(s: str) -> str:
    return re.sub(r"[ \t\u3000]*\n[\s\u3000]*", "", s).strip()
