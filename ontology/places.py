"""Place names: the national administrative-division table, as pure lookups.

The table (ontology/places.tsv: 33 provinces, 333 cities, 2,845 counties,
38,723 towns, with their codes and parents) is the Ministry of Civil Affairs'
list as of 2025-12-31, written by scripts/make_places.py; it is read once, on
first use.  A name may be full (静安区) or short (静安, 广州, 内蒙古, 恩施州):

>>> lookup("静安").code, qualify(lookup("静安区"))
('310106', '上海市静安区')
>>> [(p.name, s, e) for p, s, e in find_places("广州市人民政府关于印发越秀区…的通知")]
[('广州市', 0, 3), ('越秀区', 11, 14)]

Names repeat across the country (朝阳区 in 北京 and 长春, 82 towns called 城关镇).
``lookup`` never guesses: an ambiguous name gives None unless ``within`` (a place
above it) or a qualified name (北京市朝阳区) settles it; ``candidates`` lists
them all.  A short form shared by places of different levels means the highest
one (吉林 → 吉林省, not 吉林市), as it does in government writing.  ``find_places``
settles a repeated name by the other places of the same text, and otherwise
returns every candidate at that span.
"""
from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from typing import Iterable, Optional, Union

import ahocorasick

from ontology import data_path

PLACES_PATH = data_path("places.tsv")
LEVELS = ("province", "city", "county", "town")
# Levels whose short forms are looked for in running text: a county's or town's
# stem is too often an ordinary word (和平, 新华, 长安, 朝阳产业).
_TEXT_SHORT_LEVELS = ("province", "city")
# A full name shorter than this is found in text only after its parent's name:
# 和县 in "各市和县", 城区 in "城区污水管网" are no places; 马鞍山市和县 is.
_MIN_TEXT_NAME = 3
# After a short form: a street, road or river named after the place (南京西路, 苏州河).
_STREET = re.compile(r"[东西南北中]?(?:路|街|巷|弄|河|桥|大道|公路)")
# After a county's name: the collective notation 县(市、区), as in 会同县(市、区)人民政府.
_COLLECTIVE_AFTER = re.compile(r"[(（][市区县]")


@dataclass(frozen=True, slots=True)
class Place:
    """One administrative division.  ``parent`` is the parent's code ('' for a province)."""
    name: str
    short: str          # the usual short form, '' when there is none (和县, towns)
    level: str          # province | city | county | town
    code: str
    parent: str
    shorts: tuple[str, ...] = ()   # every short form, ``short`` first

    def __str__(self) -> str:
        return self.name


PlaceRef = Union[Place, str]


@dataclass(frozen=True)
class _Table:
    by_code: dict[str, Place]
    by_name: dict[str, tuple[Place, ...]]
    by_short: dict[str, tuple[Place, ...]]


@functools.lru_cache(maxsize=1)
def _table() -> _Table:
    by_code: dict[str, Place] = {}
    by_name: dict[str, list[Place]] = {}
    by_short: dict[str, list[Place]] = {}
    with open(PLACES_PATH, encoding="utf-8") as fp:
        for line in fp:
            if line.startswith("#") or line.startswith("name\t"):
                continue
            name, short, level, code, parent = line.rstrip("\n").split("\t")
            shorts = tuple(short.split("|")) if short else ()
            place = Place(name, shorts[0] if shorts else "", level, code, parent, shorts)
            by_code[code] = place
            by_name.setdefault(name, []).append(place)
            for form in shorts:
                by_short.setdefault(form, []).append(place)
    return _Table(by_code, {k: tuple(v) for k, v in by_name.items()},
                  {k: tuple(v) for k, v in by_short.items()})


def by_code(code: str) -> Optional[Place]:
    """The division with this code.

    >>> by_code("370116").name, qualify(by_code("370116"))
    ('莱芜区', '山东省济南市莱芜区')
    """
    return _table().by_code.get(code)


def parent_of(place: Place) -> Optional[Place]:
    """The division directly above; a 直辖市's districts sit right under it.

    >>> parent_of(lookup("静安区")).name, parent_of(lookup("上海市"))
    ('上海市', None)
    """
    return _table().by_code.get(place.parent) if place.parent else None


def ancestors(place: Place) -> tuple[Place, ...]:
    """The divisions above a place, the province first.

    >>> [p.name for p in ancestors(by_code("310112110"))]
    ['上海市', '闵行区']
    """
    chain = []
    current = parent_of(place)
    while current is not None:
        chain.append(current)
        current = parent_of(current)
    return tuple(reversed(chain))


def qualify(place: Place) -> str:
    """The full path of names from the province down.

    >>> qualify(lookup("越秀区")), qualify(by_code("310112110"))
    ('广东省广州市越秀区', '上海市闵行区吴泾镇')
    """
    return "".join(p.name for p in ancestors(place)) + place.name


def is_within(place: Place, above: PlaceRef) -> bool:
    """Whether ``place`` is ``above`` or lies inside it (``above`` a Place, name or code).

    >>> is_within(lookup("嘉定区"), "上海市"), is_within(lookup("嘉定区"), "广东")
    (True, False)
    """
    above_places = _refs(above)
    return any(place == a or a in ancestors(place) for a in above_places)


def candidates(name: str) -> tuple[Place, ...]:
    """Every division a printed name may mean: by full name if any has it, else by short form.

    Ordered by level, then code.

    >>> [qualify(p) for p in candidates("朝阳区")]
    ['北京市朝阳区', '吉林省长春市朝阳区']
    >>> [p.name for p in candidates("吉林")]
    ['吉林省', '吉林市']
    """
    name = "".join((name or "").split())
    table = _table()
    found = table.by_name.get(name) or table.by_short.get(name) or ()
    return tuple(sorted(found, key=_order))


def lookup(name: str, within: Optional[PlaceRef] = None) -> Optional[Place]:
    """The one division a name stands for, or None when it is unknown or ambiguous.

    ``within`` (a Place, a name or a code) keeps only the candidates inside it.
    A name qualified by the places above it is understood too.

    >>> lookup("黑龙江省").code, lookup("广州").name, lookup("恩施州").name
    ('230000', '广州市', '恩施土家族苗族自治州')
    >>> lookup("朝阳区") is None, lookup("朝阳区", within="北京").code
    (True, '110105')
    >>> lookup("长春市朝阳区").code, lookup("吉林").name, lookup("莱芜市")
    ('220104', '吉林省', None)
    """
    name = "".join((name or "").split())
    return _lookup_direct(name, within) if candidates(name) else _lookup_qualified(name, within)


def _lookup_direct(name: str, within: Optional[PlaceRef]) -> Optional[Place]:
    found = candidates(name)
    if within is not None:
        found = tuple(p for p in found if is_within(p, within))
    return _settle(found, by_short=name not in _table().by_name)


def find_places(text: str, within: Optional[PlaceRef] = None,
                short: bool = True) -> list[tuple[Place, int, int]]:
    """The place names in a text, longest first where they overlap, as (Place, start, end).

    Full names of provinces, cities and counties are found anywhere; a town
    (镇, 乡, 街道), or a city by its short form (广州), only in the context of a
    place above it — ``within``, or a place found in the same text — because
    their names are also words (提高城镇 is no 高城镇, 重大理念 no 大理).  Short
    forms only when ``short``, and never before 路, 街, 河 (南京西路, 苏州河).
    A name that several places bear is settled by the place printed right before
    it, then by ``within`` and the other places of the text (长春市朝阳区 →
    长春's); if it stays ambiguous, each candidate is returned at the same span.
    Sorted by start, then code.

    >>> [(qualify(p), s, e) for p, s, e in find_places("嘉定区系统化全域推进海绵城市建设的实施方案")]
    [('上海市嘉定区', 0, 3)]
    >>> [(qualify(p), s) for p, s, e in find_places("北京市朝阳区、长春市朝阳区")]
    [('北京市', 0), ('北京市朝阳区', 3), ('吉林省长春市', 7), ('吉林省长春市朝阳区', 10)]
    >>> [p.code for p, s, e in find_places("朝阳区人民政府")]
    ['110105', '220104']
    >>> [p.name for p, s, e in find_places("静安区北站街道、南京西路，提高城镇化水平")]
    ['静安区', '北站街道']
    """
    found = []   # (start, end, candidates, is_short)
    for start, segments in _select(text, short):
        for offset, length, form, is_short in segments:
            s, e = start + offset, start + offset + length
            if is_short:
                if _STREET.match(text, e):
                    continue
                places = tuple(sorted((p for p in _table().by_short[form] if p.level in _TEXT_SHORT_LEVELS),
                                      key=_order))
            else:
                if _COLLECTIVE_AFTER.match(text, e) and form[-1] in "县区市":
                    continue
                places = candidates(form)
            found.append((s, e, places, is_short))
    context = set(_refs(within)) if within is not None else set()
    context |= {places[0] for _, _, places, is_short in found
                if len(places) == 1 and not is_short and places[0].level != "town"}
    context |= {a for c in list(context) for a in ancestors(c)}
    out: list[tuple[Place, int, int]] = []
    previous: tuple[int, tuple[Place, ...]] = (-1, ())
    for start, end, places, is_short in found:
        if previous[0] == start and len(places) > 1:   # 长春市朝阳区: the place printed before it
            places = _prefer(places, list(previous[1]), False)
        places = tuple(p for p in places if not _needs_context(p, is_short)
                       or p in context or context.intersection(ancestors(p))
                       or (previous[0] == start and set(previous[1]).intersection(ancestors(p))))
        if len(places) > 1:
            places = _prefer(places, list(context), is_short)
        out.extend((p, start, end) for p in places)
        previous = (end, places)
    out.sort(key=lambda r: (r[1], r[0].code))
    return out


def _needs_context(place: Place, is_short: bool) -> bool:
    return place.level == "town" or (is_short and place.level != "province")


# -- helpers ----------------------------------------------------------
def _order(place: Place) -> tuple[int, str]:
    return LEVELS.index(place.level), place.code


def _refs(ref: PlaceRef) -> tuple[Place, ...]:
    if isinstance(ref, Place):
        return (ref,)
    if ref in _table().by_code:
        return (_table().by_code[ref],)
    return candidates(ref)


def _settle(found: Iterable[Place], by_short: bool) -> Optional[Place]:
    found = sorted(found, key=_order)
    if len(found) == 1:
        return found[0]
    if by_short and len(found) > 1 and found[0].level != found[1].level:
        return found[0]          # 吉林 → 吉林省 over 吉林市
    return None


def _prefer(places: tuple[Place, ...], context: list[Place], is_short: bool) -> tuple[Place, ...]:
    inside = tuple(p for p in places if any(c in ancestors(p) for c in context))
    places = inside or places
    if len(places) > 1 and is_short:
        best = _settle(places, by_short=True)
        return (best,) if best else places
    return places


def _lookup_qualified(name: str, within: Optional[PlaceRef]) -> Optional[Place]:
    """北京市朝阳区 → the 朝阳区 inside 北京市: a leading place, then the rest within it."""
    for cut in range(len(name) - 1, 1, -1):
        head = _lookup_direct(name[:cut], within) if candidates(name[:cut]) else None
        rest = lookup(name[cut:], within=head) if head is not None else None
        if rest is not None:
            return rest
    return None


@functools.lru_cache(maxsize=2)
def _automaton(short: bool) -> ahocorasick.Automaton:
    """Keys of the text matcher, each mapped to its segments (offset, length, form, is_short).

    A name of fewer than _MIN_TEXT_NAME characters is a key only together
    with its parent's name (马鞍山市和县), and then stands for two segments.
    """
    table = _table()
    keys: dict[str, tuple] = {}
    for name, places in table.by_name.items():
        if len(name) >= _MIN_TEXT_NAME:
            keys[name] = ((0, len(name), name, False),)
        for place in places:
            parent = parent_of(place)
            if len(name) < _MIN_TEXT_NAME and parent is not None:
                keys[parent.name + name] = ((0, len(parent.name), parent.name, False),
                                            (len(parent.name), len(name), name, False))
    if short:
        for form, places in table.by_short.items():
            if form not in keys and any(p.level in _TEXT_SHORT_LEVELS for p in places):
                keys[form] = ((0, len(form), form, True),)
    automaton = ahocorasick.Automaton()
    for key, segments in keys.items():
        automaton.add_word(key, (len(key), segments))
    automaton.make_automaton()
    return automaton


def _select(text: str, short: bool) -> list[tuple[int, tuple]]:
    """Leftmost-longest, non-overlapping matches: 上海市 wins over 上海 inside it."""
    matches = sorted(((end + 1 - length, length, segments)
                      for end, (length, segments) in _automaton(short).iter(text)),
                     key=lambda m: (m[0], -m[1]))
    chosen, last_end = [], 0
    for start, length, segments in matches:
        if start >= last_end:
            chosen.append((start, segments))
            last_end = start + length
    return chosen


# -- the place a document speaks for ----------------------------------------------

@dataclass(frozen=True)
class DocumentPlace:
    name: str       # as a document of the place calls it: 静安区, 广州市, 临江市
    path: str       # with the places above it: 上海市静安区 ('' when unplaced)

    def covers(self, asked: "DocumentPlace") -> bool:
        """Does this document answer a question about `asked`: the same place or one above it?

        >>> DocumentPlace("上海市", "上海市").covers(DocumentPlace("吴泾镇", "上海市闵行区吴泾镇"))
        True
        >>> DocumentPlace("静安区", "上海市静安区").covers(DocumentPlace("吴泾镇", "上海市闵行区吴泾镇"))
        False
        """
        return not self.path or asked.path.startswith(self.path)


UNPLACED = DocumentPlace("", "")
