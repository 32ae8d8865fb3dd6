"""Quotes highlighted inside a provision's text, each department linked to its page.

A quote carries its span in the source file; a provision carries its own
span and its text.  Where the text is the exact source slice, the quote is
placed by offsets.  A provision's text is whitespace-cleaned (PDF line breaks
inside Chinese words are dropped, loaders/textmap.py), so offsets no longer
line up; then the quote is found as an exact substring, and failing that as
its cleaned form.  A quote that is not in the text at all (a holder inherited
from a heading above) is handed back unplaced, for the page to show apart.

>>> marks = [{"quote": "市生 态环境局牵头", "span": [110, 119],
...           "holders": [{"name": "市生态环境局", "href": "/ui/departments/d1", "role": "lead"}]}]
>>> html, unplaced = highlight("加强管控<b>。(市生态环境局牵头)", 100, marks)
>>> html
'加强管控&lt;b&gt;。(<mark class="q role-lead" title="市生态环境局(牵头)"><a href="/ui/departments/d1">市生态环境局</a>牵头</mark>)'
>>> unplaced
[]
"""
from __future__ import annotations

from loaders.textmap import clean
from api.web.layout import ROLE_ZH, esc


def highlight(text: str, start: int | None, marks: list[dict]) -> tuple[str, list[dict]]:
    """(the text as HTML with every placeable quote marked, the marks that could not be placed).

    `start` is the source offset of text[0] (None: unknown); each mark is {quote, span, holders:[{name, href, role}]}.
    """
    groups = _grouped(marks)
    taken: list[tuple[int, int, dict]] = []
    unplaced = []
    for g in groups:
        where = _place(text, start, g, [(a, b) for a, b, _ in taken])
        if where is None:
            unplaced.append(g)
        else:
            taken.append((*where, g))
    taken.sort(key=lambda t: t[0])
    out, pos = [], 0
    for a, b, g in taken:
        out.append(esc(text[pos:a]))
        out.append(_mark(text[a:b], g))
        pos = b
    out.append(esc(text[pos:]))
    return "".join(out), unplaced


def _grouped(marks: list[dict]) -> list[dict]:
    """One group per (quote, span): a list like 市生态环境局、市农业农村局等负责 names several holders."""
    groups: dict[tuple, dict] = {}
    for m in marks:
        if not m.get("quote"):
            continue
        key = (m["quote"], tuple(m.get("span") or ()))
        g = groups.setdefault(key, {"quote": m["quote"], "span": list(m.get("span") or ()), "holders": []})
        for h in m.get("holders", []):
            if h not in g["holders"]:
                g["holders"].append(h)
    return list(groups.values())


def _place(text: str, start: int | None, g: dict, taken: list[tuple[int, int]]) -> tuple[int, int] | None:
    quote, span = g["quote"], g["span"]
    if start is not None and len(span) == 2:
        a, b = span[0] - start, span[1] - start
        if 0 <= a < b <= len(text) and text[a:b] == quote and _free(a, b, taken):
            return a, b
    for needle in dict.fromkeys((quote, clean(quote).text)):   # exact, then whitespace-cleaned
        if not needle:
            continue
        at = text.find(needle)
        while at >= 0:
            if _free(at, at + len(needle), taken):
                return at, at + len(needle)
            at = text.find(needle, at + 1)
    return None


def _free(a: int, b: int, taken: list[tuple[int, int]]) -> bool:
    return all(b <= x or a >= y for x, y in taken)


def _mark(segment: str, g: dict) -> str:
    holders = g["holders"]
    roles = {h.get("role") for h in holders}
    cls = "q role-" + (roles.pop() if len(roles) == 1 and None not in roles else "mixed")
    title = "、".join(f"{h['name']}({ROLE_ZH.get(h.get('role') or '', '无')})" for h in holders)
    # Link each holder's name where the quote prints it; the others follow the mark as links.
    links, rest = [], []
    for h in holders:
        at = segment.find(h["name"]) if h.get("href") else -1
        if at >= 0 and _free(at, at + len(h["name"]), [(x, y) for x, y, _ in links]):
            links.append((at, at + len(h["name"]), h))
        else:
            rest.append(h)
    links.sort(key=lambda t: t[0])
    inner, pos = [], 0
    for a, b, h in links:
        inner.append(esc(segment[pos:a]))
        inner.append(f'<a href="{esc(h["href"])}">{esc(segment[a:b])}</a>')
        pos = b
    inner.append(esc(segment[pos:]))
    after = "".join(f'<a class="who" href="{esc(h["href"])}">{esc(h["name"])}</a>' if h.get("href")
                    else f'<span class="who">{esc(h["name"])}</span>' for h in rest)
    return f'<mark class="{esc(cls)}" title="{esc(title)}">{"".join(inner)}</mark>{after}'
