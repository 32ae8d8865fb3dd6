"""The place a document speaks for: its issuer's, else its title's, else its gazette's, else its text's.

A document's place decides what its department names mean (市公安局 in a 临江市 document is
临江市's, see ontology.registry.Registry.for_jurisdiction) and which questions it answers (a
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

import re
from collections import Counter

from ontology.registry import place_of
from ontology import places, vocab
from ontology.places import UNPLACED, DocumentPlace

# The text of a document names many places; its own is the one it names most, and at least this often.
BODY_MIN_MENTIONS = 2
# A place's name by form alone (not in the table) is short: 青山县, 临江市.
PRINTED_PLACE_MAX = 6
# How much of the text is read for place names (its opening says whose it is).
BODY_CHARS = 4000


def document_place(issuer: str, title: str, gazette_title: str = "", body: str = "") -> DocumentPlace:
    """Issuer, then title, then the gazette's title: the lowest place named at the start; then the
    place the opening of the text names most (at least BODY_MIN_MENTIONS times); else unplaced."""
    for text, by_form in ((issuer, True), (title, True), (gazette_title, False)):
        found = _leading(text, by_form)
        if found is not None:
            return found
    counts = Counter(p for p, _, _ in places.find_places(body[:BODY_CHARS]) if p.level != "town")
    if counts:
        (place, n), = counts.most_common(1)
        if n >= BODY_MIN_MENTIONS:
            return DocumentPlace(place.name, places.qualify(place))
    return UNPLACED


# Words before the place in a title or an issuer's name: 关于印发湖南省…, 共青团武汉市委员会.
_OPENING = re.compile(r"^(?:关于)?(?:印发|转发|批转|下达)?(?:中共|中国共产党|共青团)?")


def _leading(text: str, by_form: bool) -> DocumentPlace | None:
    """The place a name or title opens with (上海市闵行区吴泾镇人民政府 → 吴泾镇); `by_form`: also a
    place the table does not hold, by the form of the name (an issuer's, never a title's words)."""
    text = _OPENING.sub("", "".join((text or "").split()))
    found = [(p, s, e) for p, s, e in places.find_places(text, short=False)]
    chain, at = [], 0
    for p, s, e in found:
        if s == at:
            chain.append(p)
            at = e
    if chain:
        return DocumentPlace(chain[-1].name, places.qualify(chain[-1]))
    printed = place_of(text) if by_form else ""    # a place the table does not hold (a new county)
    if len(printed) > PRINTED_PLACE_MAX or any(v in printed for v in vocab.name_form()["task_verbs"]):
        return None     # 加强城市管理… opens with words, not with a place
    return DocumentPlace(printed, printed) if printed else None
