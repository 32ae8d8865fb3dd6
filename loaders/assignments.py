"""Find who must do a provision: bracket notes, 由X牵头 sentences, body duties.

Works on whitespace-cleaned provision text (loaders.textmap) and returns
holders with spans in that text; the pipeline maps spans to the source.

The forms, all general (no wording of one document is wired in):
- labelled brackets   〔牵头单位:X;责任单位:Y、Z;配合单位:W;完成时限:…〕
- verb brackets       (X、Y等按职责分工负责)  (X牵头,Y、Z等按职责分工负责)  [X等部门按照职责分工推进落实]
- body sentences      由X牵头并制定专项工作方案,Y等市直有关部门、各县(区)按职责分工推进落实
                      分别由X、Y、Z牵头 …   X会同Y …   公安部门应当依法注销爆破许可证件
- sub-cases           没有生产经营主体的由县(区)级政府负责
- pending             待城管部门职能调整后,由承接部门负责
- standing notes      以下责任单位均含各县(区)人民政府,不再列出

>>> from ontology.registry import default_registry
>>> hs = parse_holders("加强管控。(市生态环境局牵头,市工信局、市发展改革委等按职责分工负责)", default_registry())
>>> [(h.mention.canonical, h.role, h.open_ended) for h in hs]
[('市生态环境局', 'lead', False), ('市工业和信息化局', 'responsible', True), ('市发展改革委', 'responsible', True)]
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field, replace

from loaders.deadlines import parse_deadline
from ontology.registry import Mention, Registry
from ontology import vocab
from ontology.brackets import find_brackets

# Labels and their roles are data: ontology/labels.yaml.
LABEL_ROLES = vocab.role_labels()
DEADLINE_LABELS = vocab.deadline_labels()


# The verb after a holder list decides the role.
def _verb_pattern() -> re.Pattern:
    """The verb after a holder list, by role; the words are data (ontology/labels.yaml holder_verbs)."""
    words = vocab.holder_verbs()

    def alt(items) -> str:
        return "|".join(re.escape(w) for w in sorted(items, key=len, reverse=True))
    # 应 alone is a modal (应加强…), not the start of 应急 / 应用 / 应对
    return re.compile(
        rf"(?P<lead>{alt(words['lead'])}|是[^，,。；;]{{0,40}}?(?:{alt(words['noun_lead'])}))"
        rf"|(?P<with>{alt(words['with'])})|(?P<support>{alt(words['supporting'])})"
        rf"|(?P<owner>是[^，,。；;]{{0,40}}?(?:{alt(words['noun_responsible'])}))"
        rf"|(?P<resp>{alt(words['each_by_duty'])}|(?:{alt(words['duty_manner'])})?(?:{alt(words['responsible'])})"
        r"|应(?!急|用|对(?!照)))")


_VERB = _verb_pattern()
_LIST_CHARS = set("、，,及和与以等")
_PARTNERS_MAX = 120   # characters of a 会同 partner list; longer runs are task text
_TAIL_WORDS = ("部门", "单位", "有关部门", "有关单位", "相关部门", "相关单位", "各部门")
# "…按照“管行业必须管安全”要求" / "…根据工作需要": how a list of holders will act, before a comma and the verb
_MANNER_BEFORE_COMMA = re.compile(r"(?:按照|根据|依据|结合)[^，,。]{0,30}?(?:要求|需要|实际|职责|规定)?$")
_MANNER = re.compile("(?:" + "|".join(vocab.manner_words()) + ")+$")
_ALIAS_NOTE = re.compile(r"[(（](?:以下|下文)?(?:简称|统称)[^()（）]{0,30}[)）]")
# A clause's own label before its text: 第四条（职责分工）, （四）, 一、, 1.
_LEADING_LABEL = re.compile(r"^(?:第[一二三四五六七八九十百零]+条(?:[(（][^)）]{1,12}[)）])?|[(（][一二三四五六七八九十\d]{1,4}[)）]"
                            r"|[一二三四五六七八九十]{1,3}、|\d{1,3}[.．﹒、])\s*")
# "以下…均需X落实,不再单独列出" / "具体任务均涉及X,不再做分工,下同": X holds this and every later task.
_STANDING = re.compile(r"(?P<scope>以下|具体任务|各项任务|上述任务)[^,，;；。]*?(?:均|都)?(?:含|包含|包括|涉及|需)(?P<who>.+?)"
                       r"(?:落实|负责)?[,，]?不再(?:单独|重复|另行)?(?:列出|列明|做分工|分工)")
_PENDING = re.compile(r"待(?P<what>[^,，。;；]*?)(?:职能调整|机构改革|调整|划转)[^,，。;；]*?后[,，]?(?:由)?承接部门")
_CONDITION = re.compile(r"^(?P<cond>[^,，;；。]{2,80}?的)[,，]?(?=(?:分别)?由)")


@dataclass
class Holder:
    mention: Mention
    role: str
    span: tuple[int, int]          # the clause or bracket that assigns it (cleaned-text offsets)
    source: str                    # bracket | body | colon | standing_note
    open_ended: bool = False
    condition: str = ""
    pending: bool = False
    deadline: str = ""
    deadline_date: str = ""


@dataclass
class ParsedProvision:
    holders: list[Holder] = field(default_factory=list)
    standing: list[Holder] = field(default_factory=list)   # apply to later provisions
    has_bracket_list: bool = False


def parse_holders(text: str, registry: Registry) -> list[Holder]:
    return parse_provision(text, registry).holders


# How running sentences are read (the bracket notes, labelled fields and tables always are):
PROSE_STRICT = "strict"   # a sentence assigns when it opens with 由…, or its subject is a well-identified organ
PROSE_DUTIES = "duties"   # a division of duties (职责分工): every sentence opening with holders assigns
PROSE_NONE = "none"       # an article of rules: its duties are the law reader's, not assignments of a plan


def parse_provision(text: str, registry: Registry, prose: str = PROSE_STRICT) -> ParsedProvision:
    """All holders named in one provision's cleaned text."""
    result = ParsedProvision()
    covered: list[tuple[int, int]] = []
    pending_at: list[int] = []
    for start, end in find_brackets(text):
        inner = text[start + 1:end - 1]
        if _PENDING.search(inner):
            pending_at.append(start)   # a note on the holder before it, not a holder itself
            covered.append((start, end))
            continue
        parsed = _parse_bracket(inner, start + 1, registry)
        if not (parsed.holders or parsed.standing) and _closes_sentence(text, end):
            parsed.holders = _bare_list(_without_list_rule(inner), start + 1, registry)
        if parsed.holders or parsed.standing:
            result.holders.extend(parsed.holders)
            result.standing.extend(parsed.standing)
            result.has_bracket_list = result.has_bracket_list or bool(parsed.holders)
            covered.append((start, end))
    colon = _holder_before_colon(text, registry)
    if colon:
        result.holders.extend(colon)
        covered.append(colon[0].span)
    for start, end in _labelled_runs(text, covered):
        # "责任单位:X、Y。完成时限:…" written as plain lines rather than in a bracket
        parsed = _parse_bracket(text[start:end], start, registry)
        if parsed.holders or parsed.standing:
            result.holders.extend(parsed.holders)
            result.standing.extend(parsed.standing)
            result.has_bracket_list = result.has_bracket_list or bool(parsed.holders)
            covered.append((start, end))
    if prose != PROSE_NONE:
        result.holders.extend(_parse_body(text, covered, registry, strict=prose == PROSE_STRICT))
    for at in pending_at:
        sentence_start = max(text.rfind(c, 0, at) for c in "。;；") + 1
        for h in result.holders:
            if sentence_start <= h.span[0] <= at:
                h.pending = True
    return result


NOTE_LABELS = vocab.note_labels()
_LABEL_START = re.compile(
    "(?:" + "|".join(sorted(list(LABEL_ROLES) + list(DEADLINE_LABELS) + list(NOTE_LABELS), key=len, reverse=True))
    + r")\s*[:：]")


def _labelled_runs(text: str, covered: list[tuple[int, int]]):
    """Spans of "label: value" fields outside brackets, consecutive fields joined."""
    pos = 0
    while True:
        m = _LABEL_START.search(text, pos)
        if not m:
            return
        if any(a <= m.start() < b for a, b in covered):
            pos = m.end()
            continue
        end = m.end()
        while True:
            stop = text.find("。", end)
            if stop < 0:
                end = len(text)
                break
            if _LABEL_START.match(text, stop + 1):
                end = stop + 1
                continue
            end = stop + 1
            break
        yield m.start(), end
        pos = end


def _parse_bracket(inner: str, offset: int, registry: Registry) -> ParsedProvision:
    result = ParsedProvision()
    deadline = ""
    fields = []
    for m in re.finditer(r"[^;；。]+", inner):
        # Fields written on separate lines lose their separator when lines are
        # joined ("牵头单位:X配合单位:Y"): a label always starts a new field.
        cuts = [0] + [l.start() for l in _LABEL_START.finditer(m.group()) if l.start() > 0] + [len(m.group())]
        fields += [(m.group()[a:b], m.start() + a) for a, b in zip(cuts, cuts[1:]) if m.group()[a:b]]
    labelled = any(_label_of(f)[0] for f, _ in fields)
    for chunk, at in fields:
        standing = _STANDING.search(chunk)
        if standing:
            who = standing.group("who")
            base = offset + at + standing.start("who")
            for m in registry.split_list(who, base):
                if m.resolution.is_vague:
                    continue
                note = Holder(m, "responsible", (offset + at, offset + at + len(chunk)), "standing_note")
                result.standing.append(note)
                if standing.group("scope") != "以下":     # 具体任务均涉及…: this task's too
                    result.holders.append(replace(note))
            continue
        label, rest_at = _label_of(chunk)
        if label in DEADLINE_LABELS:
            deadline = chunk[rest_at:].strip()
            continue
        if label in NOTE_LABELS:     # 部门分工:X牵头,Y配合 — the verbs say the roles
            result.holders.extend(_verb_clauses(chunk[rest_at:], offset + at + rest_at, registry,
                                                (offset, offset + len(inner))))
            continue
        if label:
            role = LABEL_ROLES.get(label)
            if role:
                names = _without_trailing_verb(chunk[rest_at:])
                result.holders.extend(_list_holders(names, offset + at + rest_at, role,
                                                    registry, (offset, offset + len(inner)), "bracket"))
        elif not labelled:
            result.holders.extend(_verb_clauses(chunk, offset + at, registry, (offset, offset + len(inner))))
    if deadline:
        for h in result.holders:
            h.deadline, h.deadline_date = deadline, parse_deadline(deadline)
    return result


def _without_trailing_verb(names: str) -> str:
    """"责任单位:X、Y按职责分工负责": the label gives the role, the verb at the end adds nothing
    and is no part of the last name (blanked, so offsets hold)."""
    verbs = [m for m in _VERB.finditer(names) if m.group("resp") and not names[m.end():].strip()]
    if not verbs:
        return names
    return names[:verbs[0].start()] + " " * (len(names) - verbs[0].start())


def _closes_sentence(text: str, end: int) -> bool:
    """A bracket at the end of a task: the text ends, or a sentence or line does, right after it."""
    rest = text[end:end + 2].lstrip()
    return not rest or rest[0] in "。；;\n"


# How to read the list, said after its names in the same note: "(A、B。列第一位者为牵头部门,下同)".
_RULE_AFTER_LIST = re.compile(r"[。；;，,]\s*(?:" + "|".join(vocab.first_leads())
                              + r"|以下同|下同|排名不分先后|不分先后)[^()（）]*$")


def _without_list_rule(inner: str) -> str:
    """The note without a reading rule after its names (blanked, so offsets hold); the rule itself
    is read for the whole document (`structure.first_leads_at`)."""
    m = _RULE_AFTER_LIST.search(inner)
    return inner if m is None else inner[:m.start()] + " " * (len(inner) - m.start())


def _bare_list(inner: str, offset: int, registry: Registry) -> list[Holder]:
    """"整治占道经营。（区市场监管局、区城管执法局、各街道办事处）": a note of names alone, after a
    task, names who does it.  Not a second name (省市场监管局（省知识产权局）负责) nor a definition
    (（以下简称…）): those are followed by more of the sentence, or name nobody."""
    if not _is_holder_list(_without_lead_marks(inner)[0], registry, False):
        return []
    # a ★ or （牵头） inside the note marks its lead (市民政局★、市商务局)
    holders = _list_holders(inner, offset, "responsible", registry, (offset, offset + len(inner)), "bracket")
    return holders if any(not h.mention.resolution.is_vague for h in holders) else []


# "（一）综合执法队：负责…": a division of duties names the holder before a colon.
_COLON_HOLDER = re.compile(r"(?P<who>[^，,。；;：:()（）]{2,40})[:：]\s*(?:按照?(?:各自)?职责(?:分工)?|依职责|分别|共同)*"
                           r"(?P<verb>主要负责|负责|牵头|配合|协助|承担|职责)")


def _holder_before_colon(text: str, registry: Registry) -> list[Holder]:
    label = _LEADING_LABEL.match(text)
    at = label.end() if label else 0
    m = _COLON_HOLDER.match(text, at)
    if not m or not _is_holder_list(m.group("who"), registry, False):
        return []
    verb = m.group("verb")
    role = "lead" if verb == "牵头" else "supporting" if verb in ("配合", "协助") else "responsible"
    sentence_end = min([i for i in (text.find(c, m.end()) for c in "。；;") if i >= 0] or [len(text)])
    span = (m.start("who"), sentence_end)
    return [Holder(h, role, span, "colon", open_ended=oe)
            for group, oe in _list_mentions(m.group("who"), m.start("who"), registry) for h in group]


def _verb_clauses(chunk: str, offset: int, registry: Registry, span: tuple[int, int]) -> list[Holder]:
    """Holders of "X牵头,Y,Z、W按职责分工负责": a comma may separate kinds of bodies inside
    one list, so a clause of names without a verb takes the role of the next verb (or,
    at the end, responsible, when some clause of the note had a verb)."""
    holders: list[Holder] = []
    waiting: list[tuple[str, int]] = []
    for clause, c_at in _clauses(chunk):
        found = _clause_holders(clause, offset + c_at, registry, "bracket", whole_span=span)
        if not found:
            if _is_holder_list(clause, registry, False):
                waiting.append((clause, offset + c_at))
            continue
        holders += _waiting_holders(waiting, found[-1].role, registry, span) + found
        waiting = []
    if holders and waiting:
        holders += _waiting_holders(waiting, "responsible", registry, span)
    return holders


def _waiting_holders(waiting, role, registry, span) -> list[Holder]:
    return [Holder(m, role, span, "bracket", open_ended=oe)
            for clause, at in waiting for group, oe in _list_mentions(clause, at, registry) for m in group]


def _label_of(chunk: str) -> tuple[str, int]:
    m = re.match(r"\s*([\u4e00-\u9fff]{2,6})\s*[:：]\s*", chunk)
    if m and (m.group(1) in LABEL_ROLES or m.group(1) in DEADLINE_LABELS or m.group(1) in NOTE_LABELS):
        return m.group(1), m.end()
    return "", 0


def _clauses(text: str):
    for m in re.finditer(r"[^,，]+", text):
        yield m.group(), m.start()


_LEAD_MARK = re.compile(
    r"[(（]\s*(?:" + "|".join(sorted(map(re.escape, vocab.lead_marks()["bracketed"]), key=len, reverse=True))
    + r")\s*[)）]|" + "|".join(map(re.escape, vocab.lead_marks()["symbols"])))


def _without_lead_marks(text: str) -> tuple[str, list[tuple[int, int]]]:
    """Blank out "(牵头)" and "★" marks (same length, offsets hold) and say where they were;
    blank a note about the list too ("县发改局(首位单位为牵头单位,下同)、县财政局")."""
    marks = [(m.start(), m.end()) for m in _LEAD_MARK.finditer(text)]
    for a, b in marks + [(m.start(), m.end()) for m in _LIST_NOTE.finditer(text)]:
        text = text[:a] + " " * (b - a) + text[b:]
    return text, marks


# A bracket inside a list that says how to read it (首位单位为牵头单位, 下同, 排名不分先后), not a second name.
_LIST_NOTE = re.compile(r"[(（][^()（）]{0,30}(?:为牵头|为主责|下同|排名不分先后|不分先后|以下同)[^()（）]{0,10}[)）]")


def _marked_lead(m: Mention, offset: int, text: str, marks) -> bool:
    """A name followed by (牵头), or by ★ or preceded by ★ with nothing between, leads.

    ★ is printed on either side of its name (★市民政局, 市民政局★、市商务局): it belongs to the
    name it touches, never across a separator.
    """
    start, end = m.start - offset, m.end - offset
    for a, b in marks:
        if a >= end and text[end:a].strip() == "":
            return True
        if text[a:b] in vocab.lead_marks()["symbols"] and b <= start and text[b:start].strip() == "":
            return True
    return False


def heading_holders(text: str, start: int, end: int, registry: Registry) -> list[Holder]:
    """"（二）城管中队及各社区" printed alone above its tasks in a division of duties: the heading
    text[start:end] names the bodies that hold what follows, when it is nothing but their names."""
    words = text[start:end]
    if not words.strip() or not _is_holder_list(words, registry, False):
        return []
    holders = _list_holders(words, start, "responsible", registry, (start, end), "colon")
    return holders if any(not h.mention.resolution.is_vague for h in holders) else []


def _list_holders(text: str, offset: int, role: str, registry: Registry,
                  span: tuple[int, int], source: str) -> list[Holder]:
    """Holders of a labelled list: every piece must be a department or a vague phrase."""
    holders = []
    blank, marks = _without_lead_marks(text)
    for piece_mentions, open_ended in _list_mentions(blank, offset, registry):
        for m in piece_mentions:
            lead = marks and _marked_lead(m, offset, text, marks)
            holders.append(Holder(m, "lead" if lead else role, span, source, open_ended=open_ended))
    return holders


def _list_mentions(text: str, offset: int, registry: Registry):
    """Split "X、Y等市直有关部门、各县(区)" into ([mentions], open_ended) groups.

    A list ending in 等 is open-ended; what follows 等 is a vague holder only
    when it says more than 部门/单位 (市直有关部门 does, 等部门 does not).
    """
    cursor = 0
    for m in re.finditer(r"等", text):
        left, right_start = text[cursor:m.start()], m.end()
        tail_end = _tail_end(text, right_start)
        tail = text[right_start:tail_end]
        mentions = registry.split_list(left, offset + cursor)
        extra = []
        if tail and tail not in _TAIL_WORDS:
            extra = registry.split_list(tail, offset + right_start)
        yield mentions + extra, True
        cursor = tail_end
    rest = text[cursor:]
    if rest.strip("、，, "):
        yield registry.split_list(rest, offset + cursor), False


def _tail_end(text: str, start: int) -> int:
    stop = re.search(r"[、，,;；]", text[start:])
    return start + stop.start() if stop else len(text)


def _clause_holders(clause: str, offset: int, registry: Registry, source: str,
                    whole_span=None, strict_subject: bool = False) -> list[Holder]:
    """"(由)X、Y等按职责分工负责" → holders, if the clause opens with a holder list."""
    condition = ""
    cond = _CONDITION.match(clause)
    body, body_at = clause, 0
    if cond:
        condition = cond.group("cond")
        body_at = cond.end()
        body = clause[body_at:]
    lead_in = re.match(r"(?:分别由|分别|由)", body)
    list_at = lead_in.end() if lead_in else 0
    for verb in _VERB.finditer(body, list_at):
        # "X、Y等（以下统称“行业主管部门”）是…": the definition in brackets names nobody new.
        list_text = _ALIAS_NOTE.sub(lambda m: "、" * len(m.group()), body[list_at:verb.start()])
        # "各地级以上市人民政府结合实际落实": words of manner between the list and its verb
        list_text = _MANNER.sub(lambda m: "、" * len(m.group()), list_text)
        if not strict_subject:
            # in a division of duties, "农服中心组织兽医站负责": both bodies hold what follows
            list_text = _linked(list_text, registry)
        if not list_text or not _is_holder_list(list_text, registry, strict_subject):
            continue
        if strict_subject and not verb.group("lead") and not lead_in and verb.group("resp") in ("推进", "落实"):
            continue  # "X推进…" in running prose is a description, not an assignment
        # "各县(区)、各部门要…" names the county governments; the vague 各部门 beside
        # a modal verb adds nothing, while beside 推进落实 it is a real (vague) holder.
        modal = strict_subject and verb.group("resp") in ("应当", "应", "要")
        role = "lead" if verb.group("lead") else "supporting" if verb.group("support") else "responsible"
        if verb.group("with"):
            role = "lead"
        span = whole_span or (offset, offset + len(clause))
        holders = [Holder(m, role, span, source, open_ended=oe, condition=condition)
                   for group, oe in _list_mentions(list_text, offset + body_at + list_at, registry)
                   for m in group if not (modal and m.resolution.is_vague)]
        if verb.group("with"):
            holders.extend(_with_partners(body, verb.end(), offset + body_at, registry, span, source, condition))
        if _PENDING.search(clause):
            for h in holders:
                h.pending = True
        return holders
    return []


_LINKING = re.compile("|".join(map(re.escape, vocab.linking_verbs())))


def _linked(list_text: str, registry: Registry) -> str:
    """"X组织Y" as the list "X、Y" (blanked, offsets hold) when both sides are holder lists."""
    for m in _LINKING.finditer(list_text):
        before, after = list_text[:m.start()], list_text[m.end():]
        if before and after and _is_holder_list(before, registry, False) and _is_holder_list(after, registry, False):
            return before + "、" * (m.end() - m.start()) + after
    return list_text


def _with_partners(body, start, offset, registry, span, source, condition) -> list[Holder]:
    """X会同Y: Y supports.  The partner list runs to the next verb or comma."""
    stop = re.search(r"[,，。;；]|按照?|依法|适时|共同|研究|提出|制定|做好|开展|推进|落实|负责", body[start:])
    partner_text = body[start:start + stop.start()] if stop else body[start:]
    # the verb may be any word (会同省发展改革委统筹安排资金): the partners are the longest
    # leading run of names, never a name found inside the task's words
    partner_text = partner_text[:_PARTNERS_MAX]
    end = next((k for k in range(len(partner_text), 0, -1)
                if _is_holder_list(partner_text[:k], registry, False)), 0)
    partner_text = partner_text[:end]
    holders = []
    for group, oe in _list_mentions(partner_text, offset + start, registry):
        for m in group:
            holders.append(Holder(m, "supporting", span, source, open_ended=oe, condition=condition))
    return holders


def _is_holder_list(text: str, registry: Registry, strict: bool) -> bool:
    """True when text is nothing but holder names, separators and 等-tails."""
    text = re.sub(r"等(?:" + "|".join(_TAIL_WORDS) + r")?$", "", text)
    covered = [False] * len(text)
    mentions = [m for group, _ in _list_mentions(text, 0, registry) for m in group]
    if not mentions:
        return False
    if strict and not any(_credible_subject(m) for m in mentions):
        return False
    for m in mentions:
        if strict and not (_credible_subject(m) or m.resolution.is_vague):
            return False
        for i in range(max(0, m.start), min(len(text), m.end)):
            covered[i] = True
    leftover = "".join(ch for ch, c in zip(text, covered) if not c)
    for word in _TAIL_WORDS:
        leftover = leftover.replace(word, "")
    return all(ch in _LIST_CHARS or ch.isspace() for ch in leftover)


def _credible_subject(m: Mention) -> bool:
    """In running text only well-identified organs are subjects of a duty.

    矿山企业应当… is a duty of the regulated, not of a department; an unknown
    field (矿山安全监管部门) or a vague phrase names nobody in particular.
    """
    r = m.resolution
    if r.how in ("vague", "fragment", "fuzzy") or r.uncertain:
        return False
    if r.how == "collective" and r.canonical.startswith(vocab.name_form()["level_collectives"]):
        return False
    if r.how == "form":
        # the printed name: a place-qualified canonical (上海市…) starts with the place
        return m.printed.startswith(tuple(vocab.name_form()["level_prefixes"])) and r.kind not in ("enterprise",)
    return True


def _parse_body(text: str, covered: list[tuple[int, int]], registry: Registry, strict: bool = True) -> list[Holder]:
    """Holders named in sentences outside the bracket notes."""
    holders = []
    for sent in re.finditer(r"[^。;；!！?？]+", text):
        s_start, s_end = sent.span()
        if any(a <= s_start and s_end <= b for a, b in covered):
            continue
        sentence = _mask(text, s_start, s_end, covered)
        # A sentence that opens an assignment (由X牵头, …) may go on with vague or
        # collective holders (市直有关部门、各县(区)按职责分工推进落实); elsewhere only
        # well-identified organs count as the subject of a duty.
        assigning = bool(re.search(r"(?:^|[,，])(?:分别)?由", sentence))
        subject: tuple[str, int] | None = None   # a list of holders whose verb is in the next clause
        for clause, at in _clauses(sentence):
            label = _LEADING_LABEL.match(clause) if at == 0 else None
            stripped = clause[label.end():] if label else clause.lstrip("0123456789.、 ")
            lead = len(clause) - len(stripped)
            found = _clause_holders(stripped, s_start + at + lead, registry, "body",
                                    strict_subject=strict and not assigning)
            if not found and stripped.startswith("会同") and holders and holders[-1].role == "lead":
                # "由X牵头，会同Y依法打击…": Y works with the lead named just before
                found = _with_partners(stripped, 2, s_start + at + lead, registry,
                                       (s_start + at + lead, s_start + at + len(clause)), "body", "")
            if not found and subject is not None and not strict:
                # under a division of duties: "X、Y按照“管行业必须管安全”要求，负责…"
                verb = _VERB.match(stripped)
                if verb:
                    role = "lead" if verb.group("lead") else "supporting" if verb.group("support") else "responsible"
                    found = _waiting_holders([subject], role, registry, (subject[1], s_start + at + len(clause)))
            subject = None
            if not found and not strict and at == 0:
                head = _MANNER_BEFORE_COMMA.sub("", stripped)
                if head and _is_holder_list(head, registry, False):
                    subject = (head, s_start + at + lead)
            prefix = sentence[:at].strip("，, ")
            for h in found:
                h.span = (s_start + at + lead, s_start + at + len(clause))
                # "…的,由X负责": the clauses before 由 say in which case X holds.
                if not h.condition and stripped.startswith(("由", "分别由")) and "的" in prefix:
                    h.condition = prefix
            holders.extend(found)
    return holders


def _mask(text: str, start: int, end: int, covered) -> str:
    """The sentence with bracket notes blanked out (same length, so offsets hold)."""
    chars = list(text[start:end])
    for a, b in covered:
        for i in range(max(a, start), min(b, end)):
            chars[i - start] = "，"
    return "".join(chars)
