"""The place a document speaks for: its issuer's, else its title's, else its gazette's, else its text's.

A document's place decides what its department names mean (市公安局 in a 临江市 document is
临江市's, see loaders.departments.Registry.for_jurisdiction) and which questions it answers (a
question about 吴泾镇 is answered from 吴泾镇's documents and those above it).  Place names come
from the national division table (ontology/places.py); a place the table does not hold (a new or
renamed one) is still taken from the form of the issuer's name.

>>> document_place("上海市闵行区吴泾镇人民政府", "关于印发…的通知")
DocumentPlace(name='吴泾镇', path='上海市闵行区吴泾镇')
>>> document_place("", "嘉定区系统化全域推进海绵城市建设的实施方案")
DocumentPlace(name='嘉定区', path='上海市嘉定区')
>>> document_place("", "关于推进人才集聚工程的实施意见", body="…赢在广州…广州地区高校…越秀区…")
DocumentPlace(name='广州市', path='广东省广州市')
>>> document_place("", "关于推进人才集聚工程的实施意见")
DocumentPlace(name='', path='')
"""
from __future__ import annotations

from collections import Counter

from loaders.departments import place_of
from ontology import places
from ontology.places import UNPLACED, DocumentPlace

# The text of a document names many places; its own is the one it names most, and at least this often.
BODY_MIN_MENTIONS = 2
# How much of the text is read for place names (its opening says whose it is).
BODY_CHARS = 4000


def document_place(issuer: str, title: str, gazette_title: str = "", body: str = "") -> DocumentPlace:
    """Issuer, then title, then the gazette's title: the lowest place named at the start; then the
    place the opening of the text names most (at least BODY_MIN_MENTIONS times); else unplaced."""
    for text in (issuer, title, gazette_title):
        found = _leading(text)
        if found is not None:
            return found
    counts = Counter(p for p, _, _ in places.find_places(body[:BODY_CHARS]) if p.level != "town")
    if counts:
        (place, n), = counts.most_common(1)
        if n >= BODY_MIN_MENTIONS:
            return DocumentPlace(place.name, places.qualify(place))
    return UNPLACED


def _leading(text: str) -> DocumentPlace | None:
    """The place a name or title opens with (上海市闵行区吴泾镇人民政府 → 吴泾镇)."""
    text = "".join((text or "").split())
    found = [(p, s, e) for p, s, e in places.find_places(text, short=False)]
    chain, at = [], 0
    for p, s, e in found:
        if s == at:
            chain.append(p)
            at = e
    if chain:
        return DocumentPlace(chain[-1].name, places.qualify(chain[-1]))
    printed = place_of(text)    # a place the table does not hold: 临江市 in a test text, a new county
    return DocumentPlace(printed, printed) if printed else None
