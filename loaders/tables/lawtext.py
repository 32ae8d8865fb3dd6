"""Reference law texts (ontology/laws/*.md): articles by label, and the article
a quoted 法律内容 comes from.

The files hold one article per paragraph ("第七十条 对…"), the following
paragraphs being its further 款 or its items ((一)…).  Tables in local
documents garble article labels; the quoted text finds the article again.
"""
from __future__ import annotations

import functools
import os
import re
import unicodedata
from dataclasses import dataclass

from rapidfuzz import fuzz

from loaders.reading import read_document_file
from ontology import data_path

LAWS_DIR = data_path("laws")
_ARTICLE = re.compile(r"^(第[一二三四五六七八九十百零]+条)\s*(.*)$")
_ITEM = re.compile(r"^[(（][一二三四五六七八九十]+[)）]")
_DIGITS = "零一二三四五六七八九十"


@dataclass(frozen=True)
class Article:
    label: str                      # 第七十条
    paragraphs: tuple[str, ...]     # its 款, items folded into the 款 they belong to

    @property
    def text(self) -> str:
        return "".join(self.paragraphs)


@dataclass(frozen=True)
class Law:
    title: str
    articles: tuple[Article, ...]


def fold(text: str) -> str:
    """Comparable form: full-width forms folded (NFKC), white space removed."""
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text))


def parse_law(text: str) -> Law:
    title = next((m.group(1).strip() for m in re.finditer(r"^#\s+(.+)$", text, re.M)), "")
    articles: list[tuple[str, list[str]]] = []
    for para in (p.strip() for p in text.split("\n")):
        if not para or para.startswith(("#", "<!--")):
            continue
        m = _ARTICLE.match(para)
        if m:
            articles.append((m.group(1), [fold(m.group(2))]))
        elif articles and _ITEM.match(para):
            articles[-1][1][-1] += fold(para)
        elif articles:
            articles[-1][1].append(fold(para))
    return Law(title, tuple(Article(label, tuple(paras)) for label, paras in articles))


@functools.lru_cache(maxsize=1)
def load_laws(directory: str = LAWS_DIR) -> tuple[Law, ...]:
    names = sorted(n for n in os.listdir(directory) if n.endswith(".md"))
    return tuple(parse_law(read_document_file(os.path.join(directory, n))) for n in names)


@dataclass(frozen=True)
class Match:
    article: Article
    score: float
    paragraph: int | None      # 1-based 款 when the quote covers exactly one of several


def best_article(law: Law, quote: str, among: tuple[Article, ...] | None = None) -> Match | None:
    """The article whose text the quote comes from (rapidfuzz partial matching), among the
    law's articles or those given (in the law's order: the first of equal scores wins)."""
    q = fold(quote)
    articles = law.articles if among is None else among
    if len(q) < 8 or not articles:
        return None
    # partial_ratio searches the shorter text in the longer one: a short article
    # would be "found" inside any long quote, so shorter articles are discounted.
    score, article = max(((fuzz.partial_ratio(q, a.text) * min(1.0, len(a.text) / len(q)) ** 0.5, a)
                          for a in articles), key=lambda x: x[0])
    paragraph = None
    if len(article.paragraphs) > 1:
        hits = [i + 1 for i, p in enumerate(article.paragraphs) if fuzz.partial_ratio(q, p) >= 90]
        # A quote covering the whole article matches every 款 (the shorter one is
        # searched for); only a quote that matches one 款 names that 款.
        if len(hits) == 1 and len(q) < len(article.text) * 0.9:
            paragraph = hits[0]
    return Match(article, score, paragraph)


# Articles compared exactly with a quote: those sharing the most character bigrams with it.
CANDIDATES = 8


class ArticleIndex:
    """Every article of the given laws by its character bigrams (an inverted index), so a quote
    is compared (rapidfuzz, the costly part) with the few articles sharing most of its bigrams
    instead of every article of every law: the cost of a table row no longer grows with the
    number of laws, only with the articles that share its words.

    >>> law = parse_law("# 法" + chr(10) + "第一条 禁止焚烧秸秆。" + chr(10) + "第二条 夜间施工应当取得证明。")
    >>> [a.label for a in ArticleIndex((law,)).candidates("夜间施工须取得证明文件", 0)]
    ['第二条']
    """

    def __init__(self, laws: tuple[Law, ...]):
        self.laws = laws
        self.postings: dict[str, list[tuple[int, int]]] = {}
        for li, law in enumerate(laws):
            for ai, article in enumerate(law.articles):
                for gram in _grams(article.text):
                    self.postings.setdefault(gram, []).append((li, ai))

    def candidates(self, quote: str, law_index: int, k: int = CANDIDATES) -> tuple[Article, ...]:
        """The (at most k) articles of one law sharing most bigrams with the quote, in the law's order."""
        shared: dict[int, int] = {}
        for gram in _grams(fold(quote)):
            for li, ai in self.postings.get(gram, ()):
                if li == law_index:
                    shared[ai] = shared.get(ai, 0) + 1
        best = sorted(shared, key=lambda ai: (-shared[ai], ai))[:k]
        articles = self.laws[law_index].articles
        return tuple(articles[ai] for ai in sorted(best)) if best else articles[:k]

    def laws_quoted(self, quote: str, k: int = CANDIDATES) -> dict[int, tuple[Article, ...]]:
        """Law index → its articles among the k sharing most bigrams with the quote (of all laws)."""
        shared: dict[tuple[int, int], int] = {}
        for gram in _grams(fold(quote)):
            for key in self.postings.get(gram, ()):
                shared[key] = shared.get(key, 0) + 1
        out: dict[int, list[int]] = {}
        for li, ai in sorted(shared, key=lambda key: (-shared[key], key))[:k]:
            out.setdefault(li, []).append(ai)
        return {li: tuple(self.laws[li].articles[ai] for ai in sorted(ais)) for li, ais in out.items()}


def _grams(text: str) -> set[str]:
    return {text[i:i + 2] for i in range(len(text) - 1)}


_INDEXES: dict[int, tuple[tuple[Law, ...], ArticleIndex]] = {}


def article_index(laws: tuple[Law, ...]) -> ArticleIndex:
    """The index of these laws, built once (load_laws returns the same tuple every time)."""
    held = _INDEXES.get(id(laws))
    if held is None or held[0] is not laws:
        held = _INDEXES[id(laws)] = (laws, ArticleIndex(laws))
    return held[1]


def chinese_number(n: int) -> str:
    """1..99 in Chinese numerals (款 numbers).

    >>> chinese_number(2), chinese_number(12), chinese_number(20)
    ('二', '十二', '二十')
    """
    if n <= 10:
        return _DIGITS[n]
    tens, units = divmod(n, 10)
    return (_DIGITS[tens] if tens > 1 else "") + "十" + (_DIGITS[units] if units else "")
