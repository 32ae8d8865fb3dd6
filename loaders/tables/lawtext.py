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


def best_article(law: Law, quote: str) -> Match | None:
    """The article whose text the quote comes from (rapidfuzz partial matching)."""
    q = fold(quote)
    if len(q) < 8 or not law.articles:
        return None
    # partial_ratio searches the shorter text in the longer one: a short article
    # would be "found" inside any long quote, so shorter articles are discounted.
    score, article = max(((fuzz.partial_ratio(q, a.text) * min(1.0, len(a.text) / len(q)) ** 0.5, a)
                          for a in law.articles), key=lambda x: x[0])
    paragraph = None
    if len(article.paragraphs) > 1:
        hits = [i + 1 for i, p in enumerate(article.paragraphs) if fuzz.partial_ratio(q, p) >= 90]
        # A quote covering the whole article matches every 款 (the shorter one is
        # searched for); only a quote that matches one 款 names that 款.
        if len(hits) == 1 and len(q) < len(article.text) * 0.9:
            paragraph = hits[0]
    return Match(article, score, paragraph)


def chinese_number(n: int) -> str:
    """1..99 in Chinese numerals (款 numbers).

    >>> chinese_number(2), chinese_number(12), chinese_number(20)
    ('二', '十二', '二十')
    """
    if n <= 10:
        return _DIGITS[n]
    tens, units = divmod(n, 10)
    return (_DIGITS[tens] if tens > 1 else "") + "十" + (_DIGITS[units] if units else "")
