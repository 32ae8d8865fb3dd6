"""A 职责分工方案 table: which department holds the duties of which law article.

Header: 序号 | 条款 | 法律内容 | 职责部门.  The printed article labels are often
garbled (vertical text: "第 七 第 十 二 後", "П)"); the quoted 法律内容 is matched
against the law text (ontology/laws) to recover the article.  A 款 is added
to the label only when the printed label names one (款, or a second 第 that
the garbling left of "第…条第…款") and the quote matches that single 款.
"""
from __future__ import annotations

import re

from loaders.tables import Table, TableRow
from loaders.tables.cells import duty_assignees
from loaders.tables.grid import Line, is_header_like, match_header, norm
from loaders.tables.lawtext import article_index, best_article, chinese_number, load_laws
from loaders.tables.listrows import collect

KIND = "law_articles"
COLUMNS = {"num": ("序号",), "label": ("条款", "条目", "条"), "content": ("法律内容", "条文", "内容"),
           "dept": ("职责部门", "责任部门", "部门", "单位")}
REQUIRED = ("label", "content", "dept")
HEADER_WORDS = ("序号", "条款", "法律内容", "职责部门", "条文", "责任部门")
MIN_SCORE = 70
_LABEL = re.compile(r"^第[一二三四五六七八九十百零]+条(?:第[一二三四五六七八九十]+款)?$")


def roles_of(cells: list[str]) -> list[str] | None:
    if not any(k in c for c in cells for k in ("法律", "条款", "条文")):
        return None
    return match_header(cells, COLUMNS, REQUIRED)


def read(source: str, lines: list[Line], registry, laws=None) -> Table:
    roles = roles_of([c.text for c in lines[0].cells])
    records = collect(
        source, lines[1:], roles,
        # A new row has its own number or label; a line with only later columns
        # continues the row above (its text ran over a page break).
        starts=lambda t: bool((t.get("num", "") + t.get("label", "")).strip()) and bool(t.get("content")),
        skip=lambda cells: is_header_like(cells, HEADER_WORDS))
    laws = load_laws() if laws is None else laws
    law = _choose_law(laws, [r.text("content") for r in records])
    table = Table(KIND, (lines[0].start, lines[-1].end), law=law.title if law else "")
    for seq, record in enumerate(records, 1):
        content, printed = record.text("content"), record.text("label")
        label, doubts = _label(law, content, printed, seq, laws)
        row = TableRow(unit=label, kind="law_article", heading=label,
                       text=norm(" ".join(record.text(r) for r in roles if not r.startswith("_"))),
                       span=record.span, uncertain=doubts,
                       fields={"条款": label, "法律内容": content, "职责部门": record.text("dept")})
        dept = record.joined("dept")
        if dept is not None:
            row.assignees, notes = duty_assignees(dept, registry)
            row.uncertain += notes
        else:
            row.uncertain.append("no 职责部门 cell")
        table.rows.append(row)
    return table


def _choose_law(laws, quotes: list[str]):
    """The law the table quotes: the one its rows match best on the whole — each row compared
    with the articles of any law sharing most of its words (lawtext.ArticleIndex)."""
    laws = tuple(laws)
    if not laws:
        return None
    index = article_index(laws)
    totals = [0.0] * len(laws)
    for quote in quotes:
        for li, among in index.laws_quoted(quote).items():
            match = best_article(laws[li], quote, among)
            totals[li] += match.score if match else 0.0
    return laws[max(range(len(laws)), key=lambda li: totals[li])]


def _label(law, content: str, printed: str, seq: int, laws=()) -> tuple[str, list[str]]:
    clean = re.sub(r"\s+", "", printed)
    match = None
    if law:
        laws = tuple(laws)
        at = next((i for i, known in enumerate(laws) if known is law), None)
        among = article_index(laws).candidates(content, at) if at is not None else None
        match = best_article(law, content, among)
    if match is None or match.score < MIN_SCORE:
        if _LABEL.match(clean):
            return clean, ["法律内容 not found in the law text; printed label kept"]
        return f"条款/{seq}", [f"article label '{printed}' unreadable and 法律内容 not found in the law"]
    label = match.article.label
    names_paragraph = "款" in clean or clean.count("第") >= 2
    if match.paragraph and names_paragraph:
        label += f"第{chinese_number(match.paragraph)}款"
    doubts = []
    if clean != label:
        doubts.append(f"article label recovered from the law text (printed '{printed}')")
    return label, doubts
