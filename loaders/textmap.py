"""Whitespace-normalised text that remembers where every character came from.

PDF extraction breaks Chinese lines with spaces ("政务 服务", "〔牵 头单位").
Parsers work on the cleaned text; spans are mapped back to the source so that
every quote is the exact source slice.
"""
from __future__ import annotations

from dataclasses import dataclass


def _is_ascii_word(ch: str) -> bool:
    return ch.isascii() and ch.isalnum()


@dataclass(frozen=True)
class MappedText:
    text: str                 # cleaned text
    origin: tuple[int, ...]   # origin[i] = source offset of text[i]
    base: str                 # the source text the offsets refer to

    def source_span(self, start: int, end: int) -> tuple[int, int]:
        """Span in the source of the cleaned slice text[start:end]."""
        if end <= start:
            pos = self.origin[start] if start < len(self.origin) else (self.origin[-1] + 1 if self.origin else 0)
            return pos, pos
        return self.origin[start], self.origin[end - 1] + 1

    def quote(self, start: int, end: int) -> str:
        """The exact source text behind text[start:end]."""
        a, b = self.source_span(start, end)
        return self.base[a:b]


def clean(base: str, start: int = 0, end: int | None = None) -> MappedText:
    """Drop whitespace inside Chinese text, keep it between ASCII words.

    >>> m = clean("政务 服务 PM 2.5 级\\n水平")
    >>> m.text
    '政务服务PM 2.5级水平'
    >>> m.quote(0, 4)
    '政务 服务'
    """
    end = len(base) if end is None else end
    chars: list[str] = []
    origin: list[int] = []
    i = start
    while i < end:
        ch = base[i]
        if ch.isspace():
            j = i
            while j < end and base[j].isspace():
                j += 1
            prev = chars[-1] if chars else ""
            nxt = base[j] if j < end else ""
            if prev and nxt and _is_ascii_word(prev) and _is_ascii_word(nxt):
                chars.append(" ")
                origin.append(i)
            i = j
            continue
        chars.append(ch)
        origin.append(i)
        i += 1
    return MappedText("".join(chars), tuple(origin), base)
