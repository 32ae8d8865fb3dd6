"""How Chinese documents bracket their notes: (X牵头，Y负责), 〔责任单位：…〕, [X等部门按照职责分工推进落实].

Below the loaders and the queries: the loader reads holders from these notes, and the findings
look at the same notes again when they compare a body with its list.
"""
from __future__ import annotations


def find_brackets(text: str) -> list[tuple[int, int]]:
    """Spans of bracketed notes, including the brackets; the outermost of nested ones.

    One pass, linear in the text whatever its brackets (an unclosed "（" costs nothing more):
    round brackets close round ones, the square kinds (〔 [ ［ 【) close each other, since a
    note opened with 〔 is often closed with ].  A bracket may be as long as it needs to be.

    >>> t = "加强管控。(市生态环境局牵头,市工信局(市数据局)等负责)〔责任单位:市财政局]"
    >>> [t[a:b] for a, b in find_brackets(t)]
    ['(市生态环境局牵头,市工信局(市数据局)等负责)', '〔责任单位:市财政局]']
    >>> find_brackets("（" * 5 + "正文")
    []
    """
    round_open, square_open, pairs = [], [], []
    for i, ch in enumerate(text):
        if ch in "(（":
            round_open.append(i)
        elif ch in ")）":
            if round_open:
                pairs.append((round_open.pop(), i + 1))
        elif ch in "〔[［【":
            square_open.append(i)
        elif ch in "〕]］】":
            if square_open:
                pairs.append((square_open.pop(), i + 1))
    spans, last_end = [], -1
    for a, b in sorted(pairs, key=lambda p: (p[0], -p[1])):
        if a >= last_end:
            spans.append((a, b))
            last_end = b
    return spans
