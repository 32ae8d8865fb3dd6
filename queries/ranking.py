"""Chinese topic search without a word list: character bigrams scored with BM25.

Both backends return the same candidates (provisions holding any query
bigram), so scoring here, once, keeps their rankings identical.

>>> bigrams("秸秆禁烧")
['秸秆', '秆禁', '禁烧']
>>> bigrams("PM2.5 浓度")
['pm2.5', '浓度']
"""
from __future__ import annotations

import math
import re

from graph.results import ProvisionRow

K1, B = 1.2, 0.75
_RUN = re.compile(r"[\u4e00-\u9fff]+|[A-Za-z0-9.]+")


def bigrams(text: str) -> list[str]:
    """Distinct bigrams of the Chinese runs (a lone character counts as itself) plus ASCII words."""
    out: list[str] = []
    for run in _RUN.findall(text):
        if run.isascii():
            grams = [run.lower()]
        elif len(run) == 1:
            grams = [run]
        else:
            grams = [run[i:i + 2] for i in range(len(run) - 1)]
        for g in grams:
            if g not in out:
                out.append(g)
    return out


CONTEXT_WEIGHT = 0.3


def bm25(query_terms: list[str], candidates: list[ProvisionRow], total_docs: int) -> list[tuple[float, ProvisionRow]]:
    """Score candidate provisions (graph/results.py rows); highest first, ties by provision id.

    A term in the provision's own text counts fully; a term found only in the
    headings above it (its context) counts CONTEXT_WEIGHT, so a 一件事 row that
    names the topic outranks each of its sub-items that merely sit under it.
    """
    if not candidates:
        return []
    texts = [c.search_text.lower() for c in candidates]
    avg_len = sum(len(t) for t in texts) / len(texts)
    df = {t: sum(1 for x in texts if t in x) for t in query_terms}
    scored = [(score(query_terms, cand, text, df, total_docs, avg_len), cand) for cand, text in zip(candidates, texts)]
    scored.sort(key=lambda sc: (-sc[0], sc[1].provision_id))
    return scored


def idf(total_docs: int, df: int) -> float:
    return math.log(1 + (total_docs - df + 0.5) / (df + 0.5))


def score(query_terms: list[str], cand: ProvisionRow, text: str, df: dict, total_docs: int, avg_len: float) -> float:
    """One candidate's score, given the document frequencies and mean length of all candidates
    (`text`: its search text, lower-cased)."""
    own = cand.text.lower()
    context = text[: max(0, len(text) - len(own))]
    total = 0.0
    for t in query_terms:
        tf = own.count(t) + CONTEXT_WEIGHT * context.count(t)
        if not tf:
            continue
        total += idf(total_docs, df[t]) * tf * (K1 + 1) / (tf + K1 * (1 - B + B * len(text) / avg_len))
    # Headings say what a provision is about: a topic in its heading outranks a passing mention.
    heading = cand.heading.lower()
    total += 0.5 * sum(1 for t in query_terms if t in heading)
    return round(total, 6)


def score_bound(query_terms: list[str], matched: list[str], df: dict, total_docs: int) -> float:
    """No candidate holding only the terms `matched` scores more: each term's saturation
    (K1 + 1) times its idf, whatever its frequency and the text's length, and every heading bonus."""
    return sum(idf(total_docs, df[t]) * (K1 + 1) for t in matched) + 0.5 * len(query_terms)
