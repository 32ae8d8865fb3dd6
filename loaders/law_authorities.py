"""Who an article of a law makes responsible: holders with level, field, role (ARCHITECTURE.md,
"Laws and regulations").

A holder is found by the end of its name (主管部门, 部门, 管理机构 …, or a body such as
街道办事处), then read backwards: the field before the ending (a list 公安、交通运输等 gives
one holder each, open-ended), then the government tier (县级以上地方人民政府, or tiers joined:
市和区、县人民政府).  A holder is kept only as the subject of a duty: not after 向/报/配合
(the object of someone else's act, also behind words describing it: 报有管辖权的X), not before
的, not as an offender (X有下列行为之一的), and only when the words after it carry a role —
or when 由 makes it the agent of whatever verb follows (由X规定).  Words are data
(ontology/laws.yaml, ontology/fields.yaml).

>>> [(h.department, h.level, h.field, h.role) for h in article_holders(
...     "县级以上地方人民政府生态环境主管部门对本行政区域噪声污染防治实施统一监督管理。")]
[('生态环境主管部门', '县级以上地方人民政府', '生态环境', 'lead')]
>>> [(h.department, h.designated) for h in article_holders("由地方人民政府指定的部门责令改正。")]
[('指定的部门', True)]
"""
from __future__ import annotations

import functools
import re
from dataclasses import dataclass

from ontology.law_vocab import field_of, law_words

_CLAUSE_END = "。；;"
_CONNECTORS = ("、", "和", "或者", "或", "及其", "以及", "及", "与", "会同", "，")
_STOP = set("当者，。；：:、（）()《》“”\"' \u3000\n由对向经报的在将与和及或并其本应可等按依照各所为从把被给")
_RELATIVE = re.compile(r"[\u4e00-\u9fff]{1,4}的")   # 国务院卫生行政部门制定的标准: the body describes a thing
_NOT_A_DUTY = ("的", "及其工作人员", "工作人员")   # 某部门的规定, 某部门及其工作人员违反…: no duty of its own
_NOT_HOLDING = ("《", "指定", "规定的", "批准", "的")   # after a government: it names or approves, the holder is another
_PURPOSE = re.compile(r"\s*为了?")
_ADVERBIALS = re.compile(r"^(?:[，,\s]|(?:按照|根据|依照|依据)(?:各自的?)?职责(?:分工)?|依法|分别|共同)*")
_CHOSEN_BY = re.compile(r"确定[^，。；]{0,6}的")     # 县级人民政府确定的其他镇 (but 由市人民政府确定并公布 is its act)
_REFERENCE = re.compile(r"(?:前款|前条|前两款|上述|本条第[一二三四五六七八九十]+款)(?:规定|所列|所称)?的?$")


@dataclass(frozen=True)
class LawHolder:
    department: str            # as the law names it, without its level: 生态环境主管部门, 指定的部门, 人民政府
    role: str                  # lead | responsible | supporting
    span: tuple[int, int]      # the name as printed, in the paragraph
    level: str = ""            # 县级以上地方人民政府
    field: str = ""            # today's field (生态环境), through ontology/fields.yaml
    designated: bool = False   # the law leaves the body to local designation
    vague: bool = False        # 有关部门, 其他负有…职责的部门: no body named
    open_ended: bool = False   # one of a list ending in 等
    printed: str = ""          # the whole name as printed, level included
    quote: tuple[int, int] = (0, 0)   # the clause the duty is read from


def article_holders(text: str, before: list[LawHolder] | None = None) -> list[LawHolder]:
    """The holders of one paragraph (款); `before` are the holders of the paragraphs above it,
    which 前款规定的部门 refers to."""
    holders: list[LawHolder] = []
    start = 0
    for m in re.finditer(rf"[^{_CLAUSE_END}]+[{_CLAUSE_END}]?", text):
        holders += _clause_holders(text, m.start(), m.end(), before or [])
        start = m.end()
    seen, unique = set(), []
    for h in holders:
        key = (h.department, h.level, h.role)
        if key not in seen:
            seen.add(key)
            unique.append(h)
    return unique


# -- one clause ------------------------------------------------------------------
def _clause_holders(text: str, a: int, b: int, before: list[LawHolder]) -> list[LawHolder]:
    if _PURPOSE.match(text, a) and "制定本" in text[a:b]:
        return []                # 为了加强海关对保税区的监管，…制定本办法: the aim of the law, no duty
    mentions = _mentions(text, a, b, before)
    groups: list[list[LawHolder]] = []
    for h in mentions:
        if groups and _joined(text[groups[-1][-1].span[1]:h.span[0]]):
            groups[-1].append(h)
        else:
            groups.append([h])
    lead_ins = [text[(groups[k - 1][-1].span[1] if k else a):g[0].span[0]] for k, g in enumerate(groups)]
    taking = [not _is_object(li) for li in lead_ins]
    out = []
    for k, group in enumerate(groups):
        lead_in = lead_ins[k]
        after = text[group[-1].span[1]:b]
        if after.lstrip().startswith(tuple(law_words()["offence_openings"])):
            continue             # 各级人民政府…和其他有关部门有下列行为之一的: the offenders, no duty
        if _describes_a_thing(after):
            continue             # 建立政府主导、X具体负责、相关部门共同参与的…协调机制: part of the thing built
        if _is_object(lead_in) or after.startswith(_NOT_A_DUTY) or _RELATIVE.match(after):
            # 向…指定的部门报告, 取得…指定的部门的证明: the body that receives or certifies is
            # still one the local division of duties must name
            # (and the bodies named beside it as alternatives: 取得住房和城乡建设、生态环境主管部门或者…指定的部门的证明)
            certifying = any(h.designated for h in group)
            out += [_with(h, role="responsible", quote=(a, _trim_end(text, a, b))) for h in group
                    if h.designated or (certifying and not h.vague)]
            continue
        # the predicate runs to the next body that acts, past the objects of this one's act
        # (省人民政府收到申请后，在90日内向国务院…部门报送)
        stop = next((groups[j][0].span[0] for j in range(k + 1, len(groups)) if taking[j]), b)
        gap = text[group[-1].span[1]:stop]
        # 由A等部门或者B有关部门，按照职责…: a list broken by 或者 shares the verb after it
        role = _role(gap) or ("，" not in gap and _role(text[group[-1].span[1]:b]))
        if _organised(lead_in):
            role = "supporting"     # 会同/组织 others: they take part, the one before leads
        elif not role and _agent(lead_in, gap):
            role = "responsible"    # 由X规定/许可/火化: what follows 由X is X's act, whatever the verb
        if not role:
            continue
        together = "".join(text[x.span[1]:y.span[0]] for x, y in zip(group, group[1:]))
        for n, h in enumerate(group):
            r = role
            if "会同" in together:
                r = "lead" if n < _index_after(text, group, "会同") else "supporting"
            out.append(_with(h, role=r, quote=(a, _trim_end(text, a, b))))
    return out


def _mentions(text: str, a: int, b: int, before: list[LawHolder]) -> list[LawHolder]:
    found: list[LawHolder] = []
    for m in _suffix_re().finditer(text, a, b):
        found += _named_by_suffix(text, a, m, before)
    # 公安机关交通管理部门 holds 公安机关: a name inside a longer holder's name is no holder of its own
    # (the members of one list share its end and stay)
    found = [h for h in found if not any(o.span[0] <= h.span[0] and h.span[1] < o.span[1] for o in found)]
    taken = [h.span for h in found]
    for m in _government_re().finditer(text, a, b):
        if any(s <= m.start() < e or s < m.end() <= e for s, e in taken):
            continue
        name = m.group(0)
        if text.startswith(_NOT_HOLDING, m.end()) or _CHOSEN_BY.match(text, m.end()):
            continue
        if name in law_words()["bodies"]:
            found.append(LawHolder(name, "", (m.start(), m.end()), printed=name))
        else:
            dept = "国务院" if name == "国务院" else "人民政府"
            found.append(LawHolder(dept, "", (m.start(), m.end()), level="" if dept == "国务院" else name,
                                   printed=name))
    return sorted(found, key=lambda h: h.span)


def _named_by_suffix(text: str, a: int, m: re.Match, before: list[LawHolder]) -> list[LawHolder]:
    """The holder(s) whose name ends at this 部门/主管部门/管理机构, read backwards."""
    suffix, end = m.group(0), m.end()
    window = text[max(a, m.start() - 160):m.start()]     # long enough for a list of twelve bodies
    base = m.start() - len(window)
    ref = _REFERENCE.search(window)
    if ref:
        named = [h for h in before if not h.vague]
        start = base + ref.start()
        return [_with(h, span=(start, end), printed=text[start:end]) for h in named[-1:]] if named else []
    designating = re.search(r"指定的(?:行政)?$", window)   # 指定的部门, 指定的行政机关
    if designating:
        level, lstart = _level_ending(window[:designating.start()], base)
        start = lstart if level else base + designating.start()
        return [LawHolder(text[base + designating.start():end], "", (start, end), level=level, designated=True,
                          printed=text[start:end])]
    charged = re.search(r"负责(?P<f>[\u4e00-\u9fff]{1,12}?)(?:管理|监督管理)?(?:工作)?的$", window)
    if charged and not re.search(r"(?:负有|承担|职责)", charged.group(0)):
        start_of = base + charged.start()
        level, lstart = _level_ending(text[base:start_of], base)
        start = lstart if level else start_of
        return [LawHolder(text[start_of:end], "", (start, end), level=level, field=field_of(charged.group("f")),
                          printed=text[start:end])]
    acting = re.search(r"(?:有权|作出)[\u4e00-\u9fff]{0,8}的(?:行政)?$", window)
    if acting:                   # 有权处理的部门, 作出处罚决定的行政机关: named by the power it holds
        start = base + acting.start()
        return [LawHolder(text[start:end], "", (start, end), printed=text[start:end])]
    chosen = re.search(r"指定的[^，。；]{0,24}?(?:有关|相关)$", window)
    if chosen:                   # 地方人民政府指定的城市轨道交通有关部门: designated, its field as printed
        level, lstart = _level_ending(window[:chosen.start()], base)
        start = lstart if level else base + chosen.start()
        return [LawHolder(text[base + chosen.start():end], "", (start, end), level=level, designated=True,
                          printed=text[start:end])]
    listed = re.search(rf"等{_vague()}$", window)
    if listed and _field_ending(text, base, base + listed.start()):
        # 发展改革、工业和信息化、财政等其他相关主管部门, 气象等有关部门: the list names the bodies
        return _listed(text, base, base + listed.start() + 1, suffix, end)
    duty = re.search(r"(?:其他)?(?:依照[^，。；]{1,12}?)?(?:负有|承担|具有|行使)[^，。；、]{1,30}?(?:职责|权)的$", window)
    vague = re.search(rf"{_vague()}$", window)
    if duty or vague:
        phrase_start = base + (duty.start() if duty else vague.start())
        level, lstart = _level_ending(text[base:phrase_start], base)
        start = lstart if level else phrase_start
        return [LawHolder(text[phrase_start:end], "", (start, end), level=level, vague=True,
                          printed=text[start:end])]
    return _listed(text, base, m.start(), suffix, end)


def _listed(text: str, base: int, cursor: int, suffix: str, end: int) -> list[LawHolder]:
    """The field(s) before `cursor`, read backwards: one holder, or one per member of a list
    (公安、交通运输等部门; 环保和卫生等部门 — 和 joins members of a list that ends in 等)."""
    fields, open_ended = [], False
    if text[base:cursor].endswith("等"):
        cursor, open_ended = cursor - 1, True
    while True:
        f = _field_ending(text, base, cursor)
        if not f or (fields and f.endswith(_suffixes())):
            break                # 由公安部门、园林部门: a member that is a holder already is read on its own
        cursor -= len(f)
        while open_ended and cursor > base and text[cursor - 1] in "和及":
            g = _field_ending(text, base, cursor - 1)   # 住房保障和房产管理: 和 inside one member
            if not g or g.endswith(_suffixes()):
                break
            f, cursor = g + text[cursor - 1] + f, cursor - 1 - len(g)
        fields.insert(0, (cursor, f))
        if cursor > base and text[cursor - 1] == "、":
            cursor -= 1
            continue
        break
    if open_ended and len(fields) == 1 and fields[0][1] not in _known_fields():
        # 环保和卫生等部门: with no 、, 和 joins the members of the list
        at, member = fields[0]
        parts = re.split(r"[和及]", member)
        fields = [(at + len("".join(parts[:k])) + k, p) for k, p in enumerate(parts)]
    if not fields or (len(fields) == 1 and fields[0][1] + suffix in law_words()["generic_names"]):
        return []
    level, lstart = _level_ending(text[base:cursor], base)
    start = lstart if level else cursor
    several = len(fields) > 1
    return [LawHolder(f + suffix, "", (start if k == 0 else fs, end), level=level, field=field_of(_bare(f)),
                      open_ended=open_ended or (several and open_ended), printed=text[start:end])
            for k, (fs, f) in enumerate(fields)]


def _field_ending(text: str, base: int, cursor: int) -> str:
    """The field printed just before `cursor`: a known field (住房和城乡建设), else a run of words;
    a bracketed qualifier stays with it (城市管理行政执法(市容))."""
    window = text[base:cursor]
    qualifier = re.search(r"[（(][\u4e00-\u9fff]{1,6}[）)]$", window)
    if qualifier:
        f = _field_ending(text, base, cursor - len(qualifier.group(0)))
        return f + qualifier.group(0) if f else ""
    run = ""
    for ch in reversed(window):
        if ch in _STOP or not ("\u4e00" <= ch <= "\u9fff"):
            break
        run = ch + run
    cut = max((run.rfind(w) + len(w) for w in law_words()["verbs_before_field"] if w in run), default=0)
    run = run[cut:]
    if len(run) > 2 and len(run[0]) == 1 and run[0] in law_words()["object_markers"] and \
            any(run[1:].startswith(f) for f in _known_fields()):
        run = run[1:]            # 受公安机关委托: a one-word marker before a known field (but 受理部门 stays)
    before = len(window) - len(run)
    cut = max((window.rfind(lv) + len(lv) - before for lv in _levels()
               if len(lv) > 1 and lv in window and window.rfind(lv) + len(lv) > before), default=0)
    run = run[cut:]              # 县级以上地方人民政府生态环境, 当地民政: the tier is no part of the field
    if run.startswith("级") and len(run) > 1:
        run = run[1:]            # 区、县（市）级公安: the 级 of a tier the bracket cut off
    tier = next((t for t in _tiers_longest_first() if len(t) > 1 and run.startswith(t) and len(run) > len(t)), "")
    run = run[len(tier):]        # 市、县级环境保护: the last tier of a list the 、 cut off
    if "人民政府" in run:         # 有审批权的人民政府水行政, 各级人民政府: nor is any government
        run = run[run.rfind("人民政府") + 4:]
    inside = re.match(r"[\u4e00-\u9fff]{2,}?内(?=[\u4e00-\u9fff])", run)
    if inside:                   # 流域内渔业: the place the body acts in is no part of its field
        run = run[inside.end():]
    vague = re.match(rf"{_vague()}(?=..)", run)
    if vague:                    # 由有关综合行政执法部门: 有关 picks the body, it is no part of its field
        run = run[vague.end():]
    known = next((f for f in _known_fields() if window.endswith(f)), "")
    if len(known) > len(run):    # 住房和城乡建设: a known field may hold a word that stops a run (和)
        return known
    if run[:1] in _short_levels() and len(run) > 2 and not any(run.startswith(f) for f in _known_fields()):
        run = run[1:]            # 市绿化: the tier of a local regulation, one character (but 市场监督)
    return run if 1 <= len(run) <= 10 else ""


def _level_ending(window: str, base: int) -> tuple[str, int]:
    composite = _composite_tier_re().search(window)
    for level in _levels():
        if window.endswith(level):
            if composite and len(composite.group(0)) > len(level):
                break
            return level, base + len(window) - len(level)
    if composite:                # 省和地级以上市, 省、市, 市和区、县人民政府: tiers joined
        return composite.group(0), base + composite.start()
    if window.endswith("人民政府"):   # 有审批权的人民政府水行政主管部门: a government, its tier left to the words before
        return "人民政府", base + len(window) - 4
    return "", base + len(window)


def _bare(field: str) -> str:
    field = re.sub(r"[（(].*?[）)]$", "", field)      # 城市管理行政执法(市容): the field is 城市管理行政执法
    return re.sub(r"行政$", "", field) if field_of(field) == field else field


# -- roles ---------------------------------------------------------------------------
def _role(predicate: str) -> str:
    roles = law_words()["roles"]
    if any(_acts(predicate, w) for w in roles["lead"]):
        return "lead"
    head = _ADVERBIALS.sub("", predicate)[:10]     # 根据各自职责，依法协助…: the verb after the adverbials
    if any(w in head for w in roles["supporting"]):
        return "supporting"
    if any(w in predicate for w in roles["responsible"]):
        return "responsible"
    # 省人民政府应根据…划定, 市人民政府可向…申请: older texts write 应/可 for 应当/可以
    if head.startswith(tuple(roles["modal_heads"])) and not head.startswith(tuple(roles["not_modal"])):
        return "responsible"
    return ""


def _acts(predicate: str, word: str) -> bool:
    """The word is the holder's act, not the name of a thing it builds (建立健全统筹协调和长效管理机制)."""
    for m in re.finditer(re.escape(word), predicate):
        phrase = re.split(r"[，。；、,;]", predicate[m.end():], maxsplit=1)[0]
        if not phrase.endswith(tuple(law_words()["roles"]["thing_endings"])):
            return True
    return False


def _is_object(lead_in: str) -> bool:
    tail = lead_in.rstrip()
    if any(tail.endswith(w) for w in law_words()["object_markers"]):
        return True
    # 报有管辖权的X审批, 向采砂所在地的X提出申请: a marker of direction, then words describing X
    return bool(_described_object_re().search(tail))


def _describes_a_thing(after: str) -> bool:
    """The words after a body, to the next comma, describe a mechanism or system (…的协调机制)
    and hold no modal verb of its own: the body is named inside that description."""
    phrase = re.split(r"[，。；,;]", after, maxsplit=1)[0]
    roles = law_words()["roles"]
    return ("的" in phrase and phrase.endswith(tuple(roles["thing_endings"]))
            and not any(w in phrase for w in roles["modal_heads"] + ["应当", "可以"]))


def _organised(lead_in: str) -> bool:
    """会同/组织 (相关…) before a group: the group takes part in another's act."""
    tail = re.sub(rf"{_vague()}$", "", lead_in.rstrip())
    return tail.endswith(("会同", "组织"))


def _agent(lead_in: str, gap: str) -> bool:
    """由X…: X is the agent of the verb after it (由X规定, 由X火化, 由其所在单位或者上级主管部门给予处分)."""
    clause = re.split(r"[，,：:]", lead_in)[-1]
    return "由" in clause and bool(re.match(r"[\u4e00-\u9fff]", gap.lstrip()))


def _joined(gap: str) -> bool:
    return gap.strip(" \u3000") in _CONNECTORS or gap == ""


def _index_after(text: str, group: list[LawHolder], word: str) -> int:
    for n, (x, y) in enumerate(zip(group, group[1:]), 1):
        if word in text[x.span[1]:y.span[0]]:
            return n
    return len(group)


def _trim_end(text: str, a: int, b: int) -> int:
    while b > a and text[b - 1] in _CLAUSE_END + "，, \u3000\n":
        b -= 1
    return b


def _with(h: LawHolder, **changes) -> LawHolder:
    from dataclasses import replace
    return replace(h, **changes)


# -- data-built patterns ----------------------------------------------------------------
@functools.lru_cache(maxsize=1)
def _levels() -> tuple[str, ...]:
    """The tiers as printed, with ASCII brackets too (市、县(市、区)人民政府)."""
    printed = set(law_words()["levels"])
    printed |= {lv.replace("（", "(").replace("）", ")") for lv in printed}
    return tuple(sorted(printed, key=len, reverse=True))


@functools.lru_cache(maxsize=1)
def _tier() -> str:
    """One tier word (省, 市, 地级以上市, 县（市、区）…), as a pattern."""
    return "(?:" + "|".join(map(re.escape, sorted(law_words()["tiers"], key=len, reverse=True))) + ")"


@functools.lru_cache(maxsize=1)
def _tiers_longest_first() -> tuple[str, ...]:
    return tuple(sorted(law_words()["tiers"], key=len, reverse=True))


@functools.lru_cache(maxsize=1)
def _composite_tier_re() -> re.Pattern:
    """Tiers joined by 、/和/及 (省、市; 省和地级以上市; 市和区、县人民政府), at the end of a window."""
    return re.compile(rf"{_tier()}(?:[、和及]{_tier()})+(?:人民政府)?$")


@functools.lru_cache(maxsize=1)
def _vague() -> str:
    """其他有关, 有关, 相关 …: the words by which a law points at bodies without naming them."""
    return "(?:" + "|".join(sorted(law_words()["vague_prefixes"], key=len, reverse=True)) + ")"


@functools.lru_cache(maxsize=1)
def _suffixes() -> tuple[str, ...]:
    return tuple(law_words()["authority_suffixes"])


@functools.lru_cache(maxsize=1)
def _short_levels() -> tuple[str, ...]:
    return tuple(lv for lv in law_words()["levels"] if len(lv) == 1)


@functools.lru_cache(maxsize=1)
def _known_fields() -> tuple[str, ...]:
    from ontology.law_vocab import _fields
    return tuple(sorted((f for f in _fields() if len(f) > 1), key=len, reverse=True))


@functools.lru_cache(maxsize=1)
def _described_object_re() -> re.Pattern:
    words = sorted(law_words()["described_object_markers"], key=len, reverse=True)
    # the marker opens a word (应当报…, 并向…, ，报…), not inside one (收到材料的 is no 到)
    return re.compile(rf"(?:^|(?<=[，,；;\s当并应须可再即后和或]))(?:{'|'.join(map(re.escape, words))})"
                      rf"[^，。；、,;由]{{1,12}}的$")


@functools.lru_cache(maxsize=1)
def _suffix_re() -> re.Pattern:
    words = sorted(law_words()["authority_suffixes"], key=len, reverse=True)
    return re.compile("|".join(map(re.escape, words)))


@functools.lru_cache(maxsize=1)
def _government_re() -> re.Pattern:
    """Governments and bodies named alone: 县级以上人民政府, 国务院, 乡镇人民政府, 街道办事处."""
    names = [lv for lv in _levels() if lv.endswith("人民政府") or lv == "国务院"]
    names += [b for b in law_words()["bodies"] if "指定" not in b]
    joined = rf"{_tier()}(?:[、和及]{_tier()})*人民政府"      # 县人民政府, 市和区、县人民政府
    described = r"(?<=的)人民政府"                       # 机动车排气污染严重城市的人民政府
    return re.compile("|".join([joined] + list(map(re.escape, sorted(set(names), key=len, reverse=True))) + [described]))
