"""Law ↔ local links: a local provision that cites an article of a law implements it.

`依据《中华人民共和国噪声污染防治法》第七十条`, `根据《大气污染防治法》第十二条、第十三条规定`,
`按照《…条例》第二十条第二款` give one (provision, article) link each: a LawArticle keyed by the
law's title and the article label, the same key a law-article table row uses (loaders/tables/
law_articles.py), so a prose citation and a table row of one article meet in one node.  A law
cited by its short title (《噪声污染防治法》) is given the full title of the bundled reference
law it names (ontology/laws/), else kept as cited; queries match it to a loaded law by
`law_key`, so the law may be loaded before or after the local document.  The words that make a
mention a citation (依据, 根据 …) are data: ontology/laws.yaml `citation_triggers`.

Pure: provisions in, links out.

>>> [(c.law, c.label) for c in cited_articles("依据《噪声污染防治法》第七十条、第八十一条第二款规定，由市城管局负责。")]
[('中华人民共和国噪声污染防治法', '第七十条'), ('中华人民共和国噪声污染防治法', '第八十一条第二款')]
>>> [c.label for c in cited_articles("依照《中华人民共和国民事诉讼法》第二十九条至第三十一条的规定")]
['第二十九条', '第三十条', '第三十一条']
>>> cited_articles("违反《噪声污染防治法》第七十条的，依法处理。")
[]
"""
from __future__ import annotations

import functools
import re
from dataclasses import dataclass

from graph.model import LawArticle, LoadResult, stable_id
from loaders.numerals import chinese_to_int
from ontology.law_vocab import law_key, law_words   # law_key: re-exported for the loaders

_NUM = "一二三四五六七八九十百千零〇两0-9"
_LABEL = rf"第[{_NUM}]+条(?:之[一二三四五六七八九十]+)?(?:第[{_NUM}]+款)?"
_TITLE = r"《(?P<law>[^《》\n]{2,60}?)》"
# After the title: an optional (以下简称…) note and 的, then the labels joined by 、 和 及 以及.
_AFTER = rf"(?:[（(][^（）()]{{0,30}}[）)])?的?(?P<labels>{_LABEL}(?:(?:、|和|及|以及|，|至)?{_LABEL})*)"
_CITATION = re.compile(_TITLE + _AFTER)
_ONE_LABEL = re.compile(rf"第([{_NUM}]+)条(之[一二三四五六七八九十]+)?(?:第([{_NUM}]+)款)?")


@dataclass(frozen=True)
class CitedArticle:
    law: str                  # the law's full title where the bundled reference laws know it
    label: str                # 第七十条, 第八十一条第二款 (Chinese numerals, as laws print them)
    span: tuple[int, int]     # the citation in the text given


def cited_articles(text: str) -> list[CitedArticle]:
    """Articles the text cites as its basis: a trigger word (依据, 根据 …) earlier in the same sentence."""
    out: list[CitedArticle] = []
    for m in _CITATION.finditer(text):
        if not _triggered(text, m.start()):
            continue
        law = full_title(m.group("law"))
        labels = m.group("labels")
        found = list(_ONE_LABEL.finditer(labels))
        for k, lm in enumerate(found):
            span = (m.start(), m.start("labels") + lm.end())
            if k and labels[found[k - 1].end():lm.start()] == "至":     # 第二十九条至第三十一条: the ones between
                first, last = _number(found[k - 1].group(1)), _number(lm.group(1))
                out += [CitedArticle(law, f"第{_cn(str(n))}条", span) for n in range(first + 1, min(last, first + 50))]
            out.append(CitedArticle(law, _label(lm), span))
    return out


def link_citations(result: LoadResult, doc_id: str) -> None:
    """Add an IMPLEMENTS link for every article a provision of this document cites."""
    have = set(result.implements)
    known = {a.id for a in result.law_articles}
    for p in (p for p in result.provisions if p.doc_id == doc_id):
        for c in cited_articles(p.text):
            art = LawArticle(stable_id("law", c.law, c.label), c.law, c.label, "")
            if art.id not in known:
                result.law_articles.append(art)
                known.add(art.id)
            if (p.id, art.id) not in have:
                result.implements.append((p.id, art.id))
                have.add((p.id, art.id))


def full_title(cited: str) -> str:
    """A short title (噪声污染防治法) as the bundled reference law is titled, else as cited."""
    return _reference_titles().get(law_key(cited), re.sub(r"\s", "", cited))


# -- helpers -------------------------------------------------------------------
def _triggered(text: str, start: int) -> bool:
    sentence = re.split(r"[。；;！？\n]", text[max(0, start - 40):start])[-1]
    return any(w in sentence for w in law_words()["citation_triggers"])


def _label(m: re.Match) -> str:
    label = f"第{_cn(m.group(1))}条" + (m.group(2) or "")
    return label + (f"第{_cn(m.group(3))}款" if m.group(3) else "")


def _number(number: str) -> int:
    return int(number) if number.isdigit() else chinese_to_int(number)


def _cn(number: str) -> str:
    """Arabic digits as Chinese numerals (第12条 → 第十二条); Chinese numerals kept as printed."""
    from loaders.laws import _cn as to_chinese
    return to_chinese(int(number)) if number.isdigit() else to_chinese(chinese_to_int(number))


@functools.lru_cache(maxsize=1)
def _reference_titles() -> dict[str, str]:
    from loaders.tables.lawtext import load_laws
    return {law_key(law.title): law.title for law in load_laws() if law.title}
