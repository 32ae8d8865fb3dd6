"""Recognise department names: registry data plus general rules of form.

The registry (ontology/departments.yaml) lists organisations with aliases,
old names, typos and the field words of generic references (公安 → 公安部门).
Names never seen before are still recognised by their form (…局, …委, …中心),
and near misses of known names go to a review list instead of silently
merging.  Many names are matched at once with an Aho–Corasick automaton.

>>> reg = default_registry()
>>> reg.resolve("市工信局").canonical
'市工业和信息化局'
>>> reg.resolve("公安部门").canonical, reg.resolve("公安部门").how
('市公安局', 'generic')
>>> [m.canonical for m in reg.split_list("市民政局市退役军人局")]
['市民政局', '市退役军人局']
"""
from __future__ import annotations

import copy
import functools
import os
import re
from dataclasses import dataclass, replace
from typing import Optional

import ahocorasick
import yaml
from rapidfuzz import fuzz, process

from ontology import data_path, places, vocab

REGISTRY_PATH = data_path("departments.yaml")

# Suffixes that make a string an organisation name, with the kind they imply.
_SUFFIX_KIND = [
    ("公司", "enterprise"), ("集团", "enterprise"), ("企业", "enterprise"), ("运营商", "enterprise"),
    ("营业部", "enterprise"), ("法院", "judicial"), ("检察院", "judicial"),
    ("纪委监委", "party"), ("纪委", "party"), ("团市委", "party"), ("团县委", "party"),
    ("管委会", "agency"), ("委员会", "government"), ("办公室", "agency"), ("专班", "agency"),
    ("中心", "agency"), ("支队", "agency"), ("大队", "agency"), ("分行", "agency"), ("支行", "agency"),
    ("人行", "agency"),     # 市人行, 县人行: the people's bank branch of the place, by its usual short name
    ("分局", "agency"), ("海关", "agency"), ("海事处", "agency"), ("残联", "agency"), ("妇联", "agency"),
    ("工会", "agency"), ("科协", "agency"), ("局", "government"), ("委", "government"),
    ("办", "agency"), ("厅", "government"), ("署", "government"), ("站", "agency"), ("所", "agency"),
    ("院", "agency"), ("部", "government"), ("处", "agency"),
    # Towns and streets hold duties in district documents (江宁路街道, 华亭镇).
    ("街道办事处", "town"), ("街道", "town"), ("镇人民政府", "town"), ("乡人民政府", "town"),
    ("镇政府", "town"), ("镇", "town"), ("乡", "town"), ("人民政府", "government"),
    ("工商联", "agency"), ("总工会", "agency"), ("团委", "party"), ("党委", "party"),
    ("政府", "government"), ("实验室", "agency"), ("研究所", "agency"), ("大学", "agency"), ("学院", "agency"),
    ("总队", "agency"), ("社", "agency"), ("银行", "agency"), ("队", "agency"),
    # Offices inside a bureau (基础教育科, 督导室, 教研室) hold duties in the bureau's own documents.
    ("科", "agency"), ("室", "agency"), ("股", "agency"),
    ("联合会", "agency"), ("总会", "agency"), ("协会", "agency"), ("学会", "agency"), ("商会", "agency"),
    ("基金会", "agency"), ("红十字会", "agency"), ("委会", "agency"), ("联", "agency"), ("党校", "party"),
    ("馆", "agency"), ("电视台", "enterprise"), ("电台", "enterprise"), ("学校", "agency"),
    # Development zones hold duties through their 管委会 (立山经济开发区, 重庆高新区); 园区 alone is a
    # word of task tables (产业园区), not a body.
    ("开发区", "government"), ("高新区", "government"), ("新区", "government"), ("示范区", "government"),
    ("保税区", "government"), ("试验区", "government"), ("合作区", "government"),
]
_SUFFIXES = "|".join(re.escape(s) for s, _ in sorted(_SUFFIX_KIND, key=lambda x: -len(x[0])))
# Quotes occur inside names: 区“两旧”专班.
_NAME_FORM = re.compile(rf"^[\u4e00-\u9fff()“”\"]{{1,28}}?(?:{_SUFFIXES})$")
# A name of form alone must say more than its suffix: 乡, 城镇, 部 are words, not bodies.
_TOO_SHORT = 3
# A name ends and the next begins: "市民政局市退役军人局" has no separator.
_CONCAT_SPLIT = re.compile(rf"(?<=局|委|办|室|心|队|行|关|联|会|司|团|院|班|处)(?=市|县|区|国家|国网|中国)")

_GENERIC_SUFFIXES = ("行政主管部门", "主管部门", "管理部门", "监管部门", "部门", "机关")
_GENERIC_PREFIXES = ("", "市", "县级以上人民政府", "县级以上", "地方人民政府", "县(区)", "各级", "本级")

# 区级各执法部门, 县直相关部门, 各省级教育行政部门, 相关行业主管部门: any body of a kind, none named.
_VAGUE_ANY = re.compile(r"^[^和及与、]{0,8}(?:各|有关|相关)[^和及与、]{0,8}(?:部门|单位|机构|政府|企业|专班|工作组)$"
                        r"|^[^和及与、]{2,20}成员单位$")   # 区疫情防控指挥部成员单位: the members, none named
_VAGUE_FORM = re.compile(
    r"^(?:其他|其它)?(?:市直|市级|市政府|各级|本级|县级|省直|区级|区政府|县政府|省政府|国务院)?(?:各|其他)?"
    r"(?:有关|相关|职能)*(?:职能)?(?:成员)?(?:部门|单位|机构|方面)(?:[和及、](?:部门|单位|机构))?(?:等)?$")
_COLLECTIVE_FORM = re.compile(
    r"^(?:各|有关|相关)?(?:县|区|县\(区\)|县区|区县|乡镇|乡\(镇\)|街道|市县|街道办事处"
    r"|市\([地州]\)|市[地州]|地市|(?<=各)市"
    r"|[县区市]\([县区市](?:[、,][县区市])?\)区?|区县\(市\))"
    r"(?:级)?(?:人民)?(?:政府|党委和政府|党委政府)?(?:\(行政公署\))?$"
    r"|^(?:县级以上|县级及以上|市级以上|各级|地方各级)(?:地方)?(?:各级)?(?:人民)?(?:党委和|党委、)?政府$")
# Every body of one kind, at any level: 各街镇, 各相关街镇, 各区、县级市, 各省级人民政府, 各乡镇(街道).
_UNIT = (r"(?:省|自治区|直辖市|地市|市|州|盟|县级市|县|区|旗|乡镇|乡|镇街|街镇|镇|街道|街办|地区|地|开发区|园区|功能区"
         r"|社区|村|村\(居\)|居委会|村\(居\)委会|管委会)(?:\([^()]{1,8}\))?")
_COLLECTIVE_ANY = re.compile(
    rf"^(?:各|各有关|各相关|有关|相关)(?:[\u4e00-\u9fff]{{1,5}}?)?{_UNIT}(?:[、和及]?{_UNIT})*(?:级)?(?:人民)?"
    r"(?:政府|党委和政府|党委政府|党委|党委、政府)?$")   # 各涉农区政府, 各区(市)县政府, 相关镇(街道)
# Every body of one kind in every place: 各市(区)市场监督管理局, 各区工商联, 各县(市、区)教育局.
_COLLECTIVE_OFFICES = re.compile(
    rf"^各(?:有关|相关)?{_UNIT}(?:[、和及]?{_UNIT})*[\u4e00-\u9fff]{{2,14}}(?:局|委|办|联|会|中心|所|站|队|院|厅|部)$")
# What may follow a collective after 、 and still belong to it: 各区、县级市.
_UNIT_ONLY = re.compile(rf"^{_UNIT}(?:级)?(?:人民)?(?:政府)?$")
_STRIP = "　 \t\n,，、;；:：.。"
# What a place name ends with, longest first: 广西壮族自治区, 黑龙江省, 临江市, 青山县.
PLACE_LEVELS = ("自治区", "自治州", "自治县", "省", "市", "县", "区", "州", "盟", "旗")
# One body under two names: 省市场监管局(省知识产权局).
_WITH_SECOND_NAME = re.compile(r"^([^()]{3,28})\(([^()]{3,28})\)$")
# A place printed in full may hold a duty (配合单位:…、越秀区): its government.
_PLACE_FORM = re.compile(r"^[\u4e00-\u9fff]{1,12}(?:省|自治区|市|区|县|州|盟|旗)$")
_PLACE = re.compile(r"^([\u4e00-\u9fff]{2,8}?(?:" + "|".join(PLACE_LEVELS) + "))")


def _plausible_form(name: str) -> bool:
    """A name of form alone, not an ordinary word ending like one (布局, 一网通办) or a task's words."""
    words = vocab.name_form()
    if name in words["short_bodies"]:
        return True
    if len(name) < _TOO_SHORT or name.startswith(("各", "有关", "相关")) or name.endswith(words["not_endings"]):
        return False
    return name.startswith(words["level_prefixes"]) or not any(v in name for v in words["task_verbs"])


def place_of(name: str) -> str:
    """The province, city or county a name begins with: 临江市人民政府办公室 → 临江市, 市公安局 → ''.

    >>> place_of("黑龙江省人民政府办公厅"), place_of("宝清县水务局"), place_of("市市场监管局")
    ('黑龙江省', '宝清县', '')
    """
    m = _PLACE.match(name or "")
    return m.group(1) if m else ""


def normalise_name(text: str) -> str:
    """Fold full-width brackets and strip separators and whitespace.

    >>> normalise_name(" 各县（区） 人民政府、")
    '各县(区)人民政府'
    """
    text = text.replace("（", "(").replace("）", ")").replace("〔", "(").replace("〕", ")")
    text = re.sub(r"\s+", "", text)
    return text.strip(_STRIP)


@dataclass(frozen=True)
class Resolution:
    canonical: str
    kind: str
    how: str             # name | alias | old | typo | generic | form | place | fragment | fuzzy | vague | collective
    uncertain: bool = False
    suggestion: str = ""  # for fuzzy near misses: the known name it resembles

    @property
    def is_vague(self) -> bool:
        return self.how == "vague"


@dataclass(frozen=True)
class Mention:
    printed: str
    start: int
    end: int
    resolution: Resolution

    @property
    def canonical(self) -> str:
        return self.resolution.canonical


class Registry:
    def __init__(self, data: dict, national: dict | None = None):
        self.jurisdiction = data.get("jurisdiction", "")
        # Entries whose names carry these places belong to this jurisdiction only.
        self.places = tuple(data.get("places", []) or [])
        self.place = ""      # set on a view from another place's document (for_jurisdiction)
        self.home = True     # False on a view from another place's or an unplaced document
        # Printed forms that are one name spelt two ways, folded outside the home place.
        self.spellings = tuple(tuple(pair) for pair in data.get("spellings", []) or [])
        self._exact: dict[str, Resolution] = {}
        self._domains: dict[str, str] = {}
        self._kinds: dict[str, str] = {}
        for entry in data.get("departments", []):
            name, kind = normalise_name(entry["name"]), entry.get("kind", "government")
            self._kinds[name] = kind
            self._exact[name] = Resolution(name, kind, "collective" if kind == "collective" else "name")
            for alias in entry.get("aliases", []) or []:
                alias, _, mark = alias.partition("!")
                how = {"old": "old", "typo": "typo"}.get(mark, "alias")
                self._exact[normalise_name(alias)] = Resolution(name, kind, how)
            for domain in entry.get("domains", []) or []:
                self._domains.setdefault(domain, name)
        for phrase in data.get("vague", []) or []:
            phrase = normalise_name(phrase)
            self._exact[phrase] = Resolution(phrase, "vague", "vague")
        # Bodies of the central state (ontology/national.yaml) hold duties in any place's document;
        # they are recognised by name and kept as printed (教育部, 共青团中央, 国务院国资委).
        self._national: dict[str, Resolution] = {}
        for entry in (national or {}).get("departments", []):
            kind = entry.get("kind", "government")
            for printed in [entry["name"]] + [a.partition("!")[0] for a in entry.get("aliases", []) or []]:
                self._national[normalise_name(printed)] = Resolution(normalise_name(printed), kind, "national")
        for phrase in (national or {}).get("vague", []) or []:
            self._national.setdefault(normalise_name(phrase), Resolution(normalise_name(phrase), "vague", "vague"))
        self._canonical_names = sorted({r.canonical for r in self._exact.values() if r.how != "vague"})
        self._automaton = self._build_automaton()

    def for_jurisdiction(self, jurisdiction: str) -> "Registry":
        """The registry as seen from a document of another place, or of no known place.

        The registry's aliases speak for its home jurisdiction: "市教育局" is 双鸭山's
        市教育和体育局, but in a Guangzhou document it is Guangzhou's 市教育局.  Outside
        home a name stays as printed (spelling variants folded), a name the registry
        ties to its own places falls back to the general rules, and a name of the
        document's own level is that place's (see _qualified).  An unplaced document
        (jurisdiction "") keeps every name as printed.

        >>> default_registry().for_jurisdiction("临江市").resolve("市税务局").canonical
        '临江市税务局'
        >>> default_registry().for_jurisdiction("").resolve("市教育局").canonical
        '市教育局'
        """
        if self.jurisdiction and jurisdiction == self.jurisdiction:
            return self
        view = copy.copy(self)
        view.place, view.home = jurisdiction, False
        return view

    def _local_only(self, resolution: Optional[Resolution]) -> bool:
        return bool(not self.home and resolution and any(p in resolution.canonical for p in self.places))

    def _as_printed(self, printed: str, resolution: Resolution) -> Resolution:
        """Outside home a registry alias is not this place's name: keep the printed one."""
        if self.home or resolution.how not in ("alias", "old", "typo") or resolution.kind == "vague":
            return resolution
        if resolution.kind == "collective":   # 各县(市、区)人民政府 as printed, not the home's 各县(区)人民政府
            return Resolution(normalise_name(printed), "collective", "collective")
        return Resolution(self.spelt(normalise_name(printed)), resolution.kind, "form")

    def spelt(self, name: str) -> str:
        """One spelling of a name printed two ways (人力资源和社会保障局 → 人力资源社会保障局)."""
        for variant, usual in self.spellings:
            name = name.replace(variant, usual)
        return name

    # -- single names -------------------------------------------------
    def resolve(self, printed: str) -> Optional[Resolution]:
        """The organisation a printed name stands for, or None if it is no department name."""
        resolution = self._resolve(printed)
        if resolution is not None:
            resolution = self._as_printed(printed, resolution)
        # A field word (农业农村部门) names that field's department of the document's own place,
        # which only the home registry knows: elsewhere it stays as printed.
        if resolution is not None and not self.home and resolution.how == "generic":
            resolution = Resolution(normalise_name(printed), "generic", "generic", uncertain=True)
        if self._local_only(resolution):
            name = normalise_name(printed)
            if resolution.how == "generic" or name.endswith(_GENERIC_SUFFIXES):
                resolution = Resolution(name, "generic", "generic", uncertain=True)
            else:
                resolution = self._by_form(name) if _NAME_FORM.match(name) else None
        return self._qualified(resolution)

    def _qualified(self, resolution: Optional[Resolution]) -> Optional[Resolution]:
        """In another city's document "市公安局" is that city's own: 临江市公安局.

        The registry's names speak for its home jurisdiction; a name of the
        document's own level (市… in a 市's document, 县… in a 县's) is given
        the document's place, so two cities' bureaus stay two departments.  A
        name of another level (市财政局 in a county's document) is left as it is.

        >>> default_registry().for_jurisdiction("临江市").resolve("市工信局").canonical
        '临江市工信局'
        >>> default_registry().for_jurisdiction("宝清县").resolve("市公安局").canonical
        '市公安局'
        """
        if not (self.place and resolution) or resolution.kind in ("vague", "collective"):
            return resolution
        level = next((lv for lv in PLACE_LEVELS if self.place.endswith(lv)), self.place[-1])
        if level not in vocab.name_form()["qualified_levels"]:
            return resolution   # 州应急局 in a 黔东南州 document stays as printed
        name, suggestion = resolution.canonical, resolution.suggestion
        if not name.startswith(level) or name.startswith(self.place):
            return resolution
        if suggestion.startswith(level):
            suggestion = self.place + suggestion[len(level):]
        return replace(resolution, canonical=self.place + name[len(level):], suggestion=suggestion)

    def _resolve(self, printed: str) -> Optional[Resolution]:
        name = normalise_name(printed)
        if not name:
            return None
        if name in self._exact:
            return self._exact[name]
        if name in self._national:
            national = self._national[name]
            return replace(national, canonical=self.spelt(name)) if not self.home else national
        if _VAGUE_FORM.match(name) or (_VAGUE_ANY.match(name) and not _COLLECTIVE_FORM.match(name)
                                        and not _COLLECTIVE_ANY.match(name)):
            return Resolution(name, "vague", "vague")
        generic = self._resolve_generic(name)
        if generic:
            return generic
        if (_COLLECTIVE_FORM.match(name) or _COLLECTIVE_ANY.match(name) or _COLLECTIVE_OFFICES.match(name)) \
                and (len(name) >= 3 or name[0] == "各"):
            return Resolution(name, "collective", "collective")   # a bare 县 or 区 is no holder; 各区 is
        if _NAME_FORM.match(name) and _plausible_form(name):
            return self._by_form(name)
        both = _WITH_SECOND_NAME.match(name)
        if both and all(self._names_a_body(n) and not (self.home and n in self._exact) for n in both.groups()):
            # 省市场监管局（省知识产权局）: one body under two names, kept with its brackets as
            # printed.  At home the registry decides: names it holds are its departments.
            return replace(self._by_form(both.group(1)), canonical=re.sub(r"\s+", "", printed).strip(_STRIP))
        if _PLACE_FORM.match(name) and places.lookup(name) is not None:
            return Resolution(name, "government", "place")   # 越秀区: the district as a holder
        return None

    def _names_a_body(self, name: str) -> bool:
        """A single office's name, known or of a name's form (not a collective or a field word)."""
        known = self._exact.get(name) or self._national.get(name)
        if known is not None:
            return known.kind not in ("vague", "collective")
        return bool(_NAME_FORM.match(name)) and _plausible_form(name)

    def _resolve_generic(self, name: str) -> Optional[Resolution]:
        for suffix in _GENERIC_SUFFIXES:
            if not name.endswith(suffix) or len(name) == len(suffix):
                continue
            stem = name[: -len(suffix)]
            for prefix in _GENERIC_PREFIXES:
                if prefix and not stem.startswith(prefix):
                    continue
                domain = stem[len(prefix):]
                if domain in self._domains:
                    canonical = self._domains[domain]
                    return Resolution(canonical, self._kinds[canonical], "generic")
        if name.endswith(_GENERIC_SUFFIXES) and len(name) <= 12:
            # A field word the registry does not know (矿山安全监管部门): a generic holder.
            return Resolution(name, "generic", "generic", uncertain=True)
        return None

    def _by_form(self, name: str) -> Resolution:
        kind = next(k for s, k in sorted(_SUFFIX_KIND, key=lambda x: -len(x[0])) if name.endswith(s))
        if re.match(r"^(?:市|县|区)委", name):
            kind = "party"
        match = process.extractOne(name, self._canonical_names, scorer=fuzz.ratio)
        if match and match[1] >= 85:
            return Resolution(name, kind, "fuzzy", uncertain=True, suggestion=match[0])
        return Resolution(name, kind, "form")

    def recover_fragment(self, fragment: str) -> Optional[Resolution]:
        """A name cut by table extraction ("化广电和旅游局"): the one known name it ends or starts."""
        frag = normalise_name(fragment)
        if len(frag) < 4:
            return None
        hits = [n for n in self._canonical_names if n != frag and (n.endswith(frag) or n.startswith(frag))]
        if len(hits) == 1:
            canonical = hits[0]
            return self._qualified(Resolution(canonical, self._kinds.get(canonical, "government"), "fragment",
                                              uncertain=True))
        return None

    # -- many names in running text -------------------------------------
    def _build_automaton(self):
        automaton = ahocorasick.Automaton()
        patterns = set(self._exact) | set(self._national)
        for domain in self._domains:
            for suffix in ("部门", "主管部门", "行政主管部门", "机关"):
                patterns.add(domain + suffix)
        for pattern in patterns:
            automaton.add_word(pattern, pattern)
        automaton.make_automaton()
        return automaton

    def mentions(self, text: str) -> list[Mention]:
        """Known names in running text: longest first, no overlaps, in text order."""
        found = []
        for end, pattern in self._automaton.iter(text):
            start = end - len(pattern) + 1
            found.append((start, end + 1, pattern))
        found.sort(key=lambda m: (-(m[1] - m[0]), m[0]))
        taken: list[tuple[int, int]] = []
        result = []
        for start, stop, pattern in found:
            if any(start < b and a < stop for a, b in taken):
                continue
            resolution = self.resolve(pattern)
            if resolution is None:
                continue
            taken.append((start, stop))
            result.append(Mention(pattern, start, stop, resolution))
        return sorted(result, key=lambda m: m.start)

    def split_list(self, text: str, offset: int = 0) -> list[Mention]:
        """Split an assignee list ("市发展改革委、市生态环境局及供气企业") into mentions.

        Separators are 、，,;； and 及/以及 between names.  A piece that is no
        name as a whole is split at known names (Aho–Corasick) and at name
        boundaries ("…局市…"); what is left is kept only if it has a name's form.
        """
        mentions: list[Mention] = []
        pieces = _joined_collectives(text, list(_pieces(text)))
        for k, (piece, start) in enumerate(pieces):
            shared = self._shared_suffix(piece, pieces[k + 1][0] if k + 1 < len(pieces) else "")
            if shared is not None:
                mentions.append(Mention(shared.canonical, start + offset, start + offset + len(piece), shared))
                continue
            mentions.extend(self._resolve_piece(piece, start + offset))
        return mentions

    def _shared_suffix(self, piece: str, following: str) -> Optional[Resolution]:
        """"东城、西城派出所": a bare place word takes the next name's suffix (东城派出所).

        Only when the piece names nothing alone and the next name starts with a word of
        the same length that is no level word (市、区 are not stems: 市财政局 is one name).
        """
        stem = normalise_name(piece)
        following = normalise_name(following)
        # A stem of a level (市人行, 县农机站) is an abbreviated body, no bare place word.
        if stem.startswith(vocab.name_form()["level_prefixes"]):
            return None
        if not (2 <= len(stem) <= 4) or len(following) <= len(stem) + 1 or self.resolve(stem) is not None:
            return None
        if following.startswith(vocab.name_form()["level_prefixes"]) or self.resolve(following) is None:
            return None
        composed = stem + following[len(stem):]
        resolution = self.resolve(composed)
        return replace(resolution, canonical=composed) if resolution and resolution.how == "form" else None

    def _resolve_piece(self, piece: str, start: int) -> list[Mention]:
        whole = self.resolve(piece)
        if whole is not None and whole.how not in ("form", "fuzzy"):
            return [Mention(piece, start, start + len(piece), whole)]
        # 及 / 以及 / 和 join two holders ("市住房城乡建设局及供气企业"), but they
        # also occur inside names, so split only where every side is a name.
        conj = _split_at(piece, _CONJ_SPLIT)
        paired = vocab.name_form()["paired_organs"]
        if len(conj) > 1 and any(normalise_name(p) in paired for p, _ in conj[1:]):
            # 各乡镇党委和人民政府: the organs of one place, one holder of the first organ's kind
            head = self.resolve(conj[0][0])
            if whole is None and head is not None:
                whole = replace(head, canonical=normalise_name(piece))
        elif len(conj) > 1 and all(self.resolve(p) for p, _ in conj):
            return [m for p, at in conj for m in self._resolve_piece(p, start + at)]
        parts = _split_at(piece, _CONCAT_SPLIT)
        # Split "…局市…" only where every part is itself a name (团市委 stays whole).
        if len(parts) > 1 and all(self.resolve(p) or self.recover_fragment(p) for p, _ in parts):
            result = []
            for part, at in parts:
                res = self.resolve(part)
                if res is None or res.how == "fuzzy":
                    res = self.recover_fragment(part) or res
                if res is not None:
                    result.append(Mention(part, start + at, start + at + len(part), res))
            return result
        if whole is not None:
            return [Mention(piece, start, start + len(piece), whole)]
        fragment = self.recover_fragment(piece)
        if fragment is not None:
            return [Mention(piece, start, start + len(piece), fragment)]
        return [replace(m, start=start + m.start, end=start + m.end) for m in self.mentions(piece)]


_CONJ_SPLIT = re.compile(r"(?<=[局委办室心队行关联会司业商部署厅府院所站团社])(?:以及|及|和)(?=[\u4e00-\u9fff])")


def _split_at(text: str, pattern: re.Pattern) -> list[tuple[str, int]]:
    """Split text at a zero-width or separator pattern, keeping each part's offset."""
    parts, pos = [], 0
    for match in pattern.finditer(text):
        parts.append((text[pos:match.start()], pos))
        pos = match.end()
    parts.append((text[pos:], pos))
    return [(p, at) for p, at in parts if p]


def _joined_collectives(text: str, pieces: list[tuple[str, int]]) -> list[tuple[str, int]]:
    """"各区、县级市" is one collective: a piece that is only a kind of place joins the 各… before it."""
    joined: list[tuple[str, int]] = []
    for piece, start in pieces:
        if joined and joined[-1][0].startswith("各"):
            # "…直辖市人民政府和新疆生产建设兵团": the kind of place ends at 和
            unit, rest = _split_conj(piece)
            head, at = joined[-1]
            if _UNIT_ONLY.match(normalise_name(unit)) and _COLLECTIVE_ANY.match(
                    normalise_name(text[at:start + len(unit)])):
                joined[-1] = (text[at:start + len(unit)], at)
                if rest:
                    joined.append((rest, start + len(piece) - len(rest)))
                continue
        joined.append((piece, start))
    return joined


def _split_conj(piece: str) -> tuple[str, str]:
    m = re.match(r"^(.+?)(?:以及|和|及)(.+)$", piece)
    return (m.group(1), m.group(2)) if m else (piece, "")


def _pieces(text: str):
    """Split on list separators and white space, keeping each piece's offset.

    A separator inside brackets is part of a name: 各县(市、区)人民政府 is one holder.
    """
    depth, start = 0, None
    for i, ch in enumerate(text + "、"):
        if ch in "(（":
            depth += 1
        elif ch in ")）" and depth:
            depth -= 1
        if (ch in "、，,;；" or ch.isspace()) and depth == 0 or i == len(text):
            if start is not None:
                yield text[start:i], start
                start = None
        elif start is None:
            start = i


NATIONAL_PATH = os.path.join(os.path.dirname(REGISTRY_PATH), "national.yaml")


@functools.lru_cache(maxsize=4)
def load_registry(path: str = REGISTRY_PATH, national_path: str = NATIONAL_PATH) -> Registry:
    with open(path, encoding="utf-8") as handle, open(national_path, encoding="utf-8") as national:
        return Registry(yaml.safe_load(handle), yaml.safe_load(national))


def default_registry() -> Registry:
    return load_registry(os.environ.get("DUTYGRAPH_DEPARTMENTS", REGISTRY_PATH))
