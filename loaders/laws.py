"""Laws and regulations: is a text one, and its title, version date, kind and units.

Reads the Markdown of ../shared/corpus/laws/ (``# title``, history lines, ``## 第一章``,
one article a paragraph) and the same text pasted as plain text (no headings,
articles running on).  An article label counts only in sequence (第一条, 第二条 …),
so a cross-reference (依照本法第十二条) never starts an article.  Pure: spans are
offsets into the text given.

>>> law = read_law("某某条例\\n第一条 为了规范管理，制定本条例。第二条 本条例适用于本市。\\n")
>>> law.title, [u.label for u in law.units]
('某某条例', ['第一条', '第二条'])
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from loaders.numerals import chinese_to_int
from ontology.law_vocab import law_words

_CN = "一二三四五六七八九十百千零〇两"
_ARTICLE = re.compile(rf"第([{_CN}]+)条(?:之([{_CN}]+))?")
_CHAPTER = re.compile(rf"第([{_CN}]+)章")
_SECTION = re.compile(rf"第([{_CN}]+)节")
_ITEM = re.compile(rf"[（(]([{_CN}]+)[）)]")
_BEFORE_LABEL = "。；：;:\n"        # an article label starts a line or follows a sentence's end
_DATE = re.compile(r"(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日")
_FILE_DATE = re.compile(r"\((\d{4})-(\d{2})-(\d{2})\)")
_DOC_NUMBER = re.compile(r"[〔\[［]\s*\d{4}\s*[〕\]］]\s*\d{1,4}\s*号")


@dataclass(frozen=True)
class LawUnit:
    kind: str                   # chapter | section | article | paragraph | item
    label: str                  # 第一章, 第一章第二节, 第十二条, 第十二条第二款, 第十二条第二款第一项
    span: tuple[int, int]
    heading: str = ""
    parent: int = -1            # index of the enclosing unit in LawText.units, -1 for the document
    number: int = 0             # article number; paragraph/item number within its parent


@dataclass
class LawText:
    title: str
    date: str                   # ISO date of the version (the last adoption/amendment date)
    kind: str                   # law | regulation | local_regulation
    title_span: tuple[int, int]
    units: list[LawUnit] = field(default_factory=list)

    def articles(self) -> list[int]:
        return [i for i, u in enumerate(self.units) if u.kind == "article"]

    def children(self, index: int) -> list[int]:
        return [i for i, u in enumerate(self.units) if u.parent == index]


def is_law(text: str) -> bool:
    """A law or regulation: a title with a law's ending, articles in sequence, no 文号.

    >>> is_law("某某条例\\n第一条 为了规范管理，制定本条例。\\n第二条 本条例适用于本市。")
    True
    >>> is_law("双政发〔2024〕6号\\n关于印发某某办法的通知\\n第一条 …\\n第二条 …")
    False
    """
    masked = _mask_comments(text)
    head = masked[:2000]
    if _DOC_NUMBER.search(head[:_first_article_at(masked)]):
        return False
    title = _title(masked)
    if not title[0]:
        return False
    # An old 规定 in numbered points has no articles: its adoption line still makes it a law.
    return len(_articles(masked)) >= 2 or bool(_version_date(masked[title[1][1]:title[1][1] + 400], ""))


def read_law(text: str, source: str = "") -> LawText:
    masked = _mask_comments(text)
    title, title_span = _title(masked)
    articles = _articles(masked)
    first = articles[0][0] if articles else len(masked)
    law = LawText(title, _version_date(masked[:first], source), _kind(title, masked[:first]), title_span)
    chapters = _chapters(masked, first)
    heads = sorted([(s, "chapter", n, e) for s, e, n in chapters] +
                   [(s, "section", n, e) for s, e, n in _sections(masked, first, chapters)])
    boundaries = sorted([a[0] for a in articles] + [h[0] for h in heads] + [len(masked)])
    chapter = section = -1
    chapter_label = ""
    hi = 0
    for k, (start, end, number, sub) in enumerate(articles):
        while hi < len(heads) and heads[hi][0] < start:
            hs, kind, n, he = heads[hi]
            heading = _heading(masked, he, boundaries)
            stop = _next(boundaries, hs)
            if kind == "chapter":
                chapter_label = f"第{_cn(n)}章"
                law.units.append(LawUnit("chapter", chapter_label, (hs, _trim(masked, hs, stop)), heading, -1, n))
                chapter, section = len(law.units) - 1, -1
            else:
                law.units.append(LawUnit("section", f"{chapter_label}第{_cn(n)}节",
                                         (hs, _trim(masked, hs, stop)), heading, chapter, n))
                section = len(law.units) - 1
            hi += 1
        stop = _trim(masked, start, _next(boundaries, start))
        label = f"第{_cn(number)}条" + (f"之{_cn(sub)}" if sub else "")
        parent = section if section >= 0 else chapter
        law.units.append(LawUnit("article", label, (start, stop), "", parent, number))
        _read_paragraphs(masked, len(law.units) - 1, end, stop, law)
    return law


# -- structure -------------------------------------------------------------
def _read_paragraphs(text: str, art: int, body: int, stop: int, law: LawText) -> None:
    """Paragraphs (款) are the article's lines; a line opening with （一） is an item (项) of the one before."""
    lines = [(m.start(), m.end()) for m in re.finditer(r"[^\n]+", text[body:stop])]
    lines = [(body + a, body + b) for a, b in lines if text[body + a:body + b].strip()]
    paragraphs: list[list[tuple[int, int]]] = []
    for a, b in lines:
        opening = text[a:b].lstrip(" \u3000\t")
        if paragraphs and _ITEM.match(opening):
            paragraphs[-1].append((a, b))
        else:
            paragraphs.append([(a, b)])
    label = law.units[art].label
    several = len(paragraphs) > 1
    for p, lines_of in enumerate(paragraphs, 1):
        parent, base = art, label
        if several:
            span = (_ltrim(text, lines_of[0][0], lines_of[-1][1]), lines_of[-1][1])
            law.units.append(LawUnit("paragraph", f"{label}第{_cn(p)}款", span, "", art, p))
            parent, base = len(law.units) - 1, f"{label}第{_cn(p)}款"
        for n, (a, b) in enumerate(_items(text, lines_of), 1):
            law.units.append(LawUnit("item", f"{base}第{_cn(n)}项", (a, b), "", parent, n))


def _items(text: str, lines: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """（一）（二）… in sequence, each to the next one or to the paragraph's end."""
    start, end = lines[0][0], lines[-1][1]
    found, expect = [], 1
    for m in _ITEM.finditer(text, start, end):
        before = text[start:m.start()].rstrip(" \u3000\t")
        if chinese_to_int(m.group(1)) == expect and (not before or before[-1] in _BEFORE_LABEL):
            found.append(m.start())
            expect += 1
    return [(a, _trim(text, a, b)) for a, b in zip(found, found[1:] + [end])]


def _articles(text: str) -> list[tuple[int, int, int, int]]:
    """(start, body start, number, 之N) of each article, numbers in sequence from 第一条."""
    found, last = [], (0, 0)
    for m in _ARTICLE.finditer(text):
        if not _starts_unit(text, m.start(), m.end()):
            continue
        number, sub = chinese_to_int(m.group(1)), chinese_to_int(m.group(2) or "")
        if (number == last[0] + 1 and not sub) or (number == last[0] and sub == last[1] + 1 and last[0]):
            found.append((m.start(), m.end(), number, sub))
            last = (number, sub)
    return found


def _chapters(text: str, first: int) -> list[tuple[int, int, int]]:
    """Chapter labels in sequence from the 第一章 nearest before the first article (a table of
    contents before it lists the chapters too)."""
    found, expect = [], 1
    ones = [m.start() for m in _CHAPTER.finditer(text, 0, first)
            if _starts_unit(text, m.start(), m.end()) and chinese_to_int(m.group(1)) == 1]
    if not ones:
        return []
    for m in _CHAPTER.finditer(text, ones[-1]):
        if _starts_unit(text, m.start(), m.end()) and chinese_to_int(m.group(1)) == expect:
            found.append((m.start(), m.end(), expect))
            expect += 1
    return found


def _sections(text: str, first: int, chapters) -> list[tuple[int, int, int]]:
    """Section labels in sequence, counted again from 第一节 in each chapter."""
    found, expect = [], 1
    starts = [c[0] for c in chapters]
    origin = starts[0] if starts else first
    for m in _SECTION.finditer(text, origin):
        if not _starts_unit(text, m.start(), m.end()):
            continue
        if found and any(found[-1][0] < s < m.start() for s in starts):
            expect = 1
        if chinese_to_int(m.group(1)) == expect:
            found.append((m.start(), m.end(), expect))
            expect += 1
    return found


def _starts_unit(text: str, start: int, end: int) -> bool:
    """A label at a line's start (after # or spaces) or after a sentence's end, followed by a space or text."""
    before = text[max(0, start - 40):start].rstrip(" \u3000\t#")
    return not before or before[-1] in _BEFORE_LABEL or text[start - 1:start] in " \u3000\t"


def _heading(text: str, after: int, boundaries: list[int]) -> str:
    stop = min(_next(boundaries, after - 1), text.find("\n", after) if text.find("\n", after) >= 0 else len(text))
    return re.sub(r"[\s\u3000]+", "", text[after:stop])


def _next(boundaries: list[int], after: int) -> int:
    return next(b for b in boundaries if b > after)


def _trim(text: str, start: int, stop: int) -> int:
    while stop > start and text[stop - 1] in " \u3000\t\r\n#":
        stop -= 1
    return stop


def _ltrim(text: str, start: int, stop: int) -> int:
    while start < stop and text[start] in " \u3000\t":
        start += 1
    return start


# -- header ----------------------------------------------------------------
def _mask_comments(text: str) -> str:
    """HTML comments (the reference laws' source notes) blanked, offsets kept."""
    return re.sub(r"<!--.*?-->", lambda m: re.sub(r"[^\n]", " ", m.group(0)), text, flags=re.S)


def _first_article_at(text: str) -> int:
    articles = _articles(text)
    return articles[0][0] if articles else len(text)


def _title(text: str) -> tuple[str, tuple[int, int]]:
    """The first line before the articles that ends like a law's title (a Markdown # line first)."""
    words = law_words()
    endings = "|".join(sorted(map(re.escape, words["title_endings"]), key=len, reverse=True))
    first = _first_article_at(text)
    pattern = re.compile(rf"^[#\s\u3000]*(?P<t>[^\s\u3000#]{{1,80}}?(?:{endings})(?:[（(][^）)\n]{{1,20}}[）)])?)(?=[\s\u3000]|$)",
                         re.M)
    for m in pattern.finditer(text, 0, first):
        title = m.group("t")
        if not any(w in title for w in words["not_title"]):
            return title, (m.start("t"), m.end("t"))
    return "", (0, 0)


def _version_date(head: str, source: str) -> str:
    words = law_words()["version_words"]
    dates = [m for m in _DATE.finditer(head) if any(w in head[m.end():m.end() + 60].split("\n")[0] for w in words)]
    if dates:
        iso = max(f"{int(y):04d}-{int(mo):02d}-{int(d):02d}" for y, mo, d in (m.groups() for m in dates))
        return iso
    m = _FILE_DATE.search(source)
    return "-".join(m.groups()) if m else ""


def _kind(title: str, head: str) -> str:
    words = law_words()
    national = any(title.startswith(p) for p in words["national_prefixes"]) or words["national_congress"] in head
    places = "|".join(map(re.escape, words["place_endings"]))
    placed = re.match(rf"[\u4e00-\u9fff]{{2,6}}?(?:{places})", title)
    if not national and (words["congress"] in head or placed):
        return "local_regulation"
    if title.endswith("法") or national and words["national_congress"] in head:
        return "law"
    return "regulation"


def _cn(n: int) -> str:
    """1 → 一, 12 → 十二, 105 → 一百零五."""
    digits = "零一二三四五六七八九"
    if n < 10:
        return digits[n]
    if n < 20:
        return "十" + (digits[n % 10] if n % 10 else "")
    if n < 100:
        return digits[n // 10] + "十" + (digits[n % 10] if n % 10 else "")
    rest = n % 100
    tail = "" if not rest else ("零" + _cn(rest) if rest < 10 else ("一" + _cn(rest) if rest < 20 else _cn(rest)))
    return digits[n // 100] + "百" + tail
