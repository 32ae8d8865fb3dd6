"""Characters placed on a PDF page → lines of text.

A PDF holds glyphs at positions, not words or lines.  This module groups the characters of a
region (a page column, a table cell) into lines by their vertical position and writes each line's
text: nothing between two CJK characters, a space between two Latin words, and a run of spaces
where a wide gap separates two blocks of one line (an unruled table: the aligned-spaces reader
takes it from there).

Fonts embedded by browsers map some ideographs to look-alike code points of the Kangxi radicals
block (⼈ U+2F08 for 人, ⽚ for 片, ⻅ for 见): those are folded to the ideograph, as are the few
characters whose glyph a CJK font shares with another (戶/户); nothing else is changed (full-width
punctuation stays as printed).

>>> chars = [dict(text="市", x0=0, x1=10, top=0, bottom=10, size=10),
...          dict(text="⼈", x0=10, x1=20, top=0, bottom=10, size=10),
...          dict(text="社", x0=20, x1=30, top=0.5, bottom=10.5, size=10),
...          dict(text="局", x0=0, x1=10, top=14, bottom=24, size=10)]
>>> [line.text for line in group_lines(chars)]
['市人社', '局']
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field


# CJK Radicals Supplement → the ideograph each is drawn as (Unicode's EquivalentUnifiedIdeograph.txt);
# NFKC folds the Kangxi radicals block and compatibility ideographs but not these.
_SUPPLEMENT = dict(zip(
    "⺁⺅⺆⺇⺌⺍⺎⺏⺐⺒⺓⺔⺕⺖⺗⺘⺙⺛⺝⺞⺠⺡⺢⺣⺤⺥⺦⺧⺨⺩⺪⺫⺬⺭⺮⺯⺰⺲⺳⺴⺵⺶⺷⺹⺺⺻⺼⺽⺾⺿⻀⻁⻂⻃⻄⻅⻆⻇⻈⻉⻊⻋⻌⻍⻎⻏⻐⻑⻒⻓⻔"
    "⻖⻗⻘⻙⻚⻛⻜⻝⻟⻠⻢⻣⻤⻥⻦⻧⻨⻩⻪⻫⻬⻭⻮⻯⻰⻱⻲⻳",
    "厂亻冂几小小兀尢尢巳幺彐彐忄心扌攵旡月歺民氵氺灬爫爫丬牛犭王疋罒示礻竹糸纟罒罒罓罓羊羊耂肀聿肉臼艹艹艹虎衤覀西见角角讠贝足车辶辶辶阝钅長镸长门"
    "阝雨青韦页风飞食飠饣马骨鬼鱼鸟卤麦黄黾斉齐歯齿竜龙龜亀龟"))


# One glyph drawn for two code points in CJK fonts, which the PDF's character map names by the one
# a mainland document never means: 戶 (traditional) for 户, the horizontal bar for the dash of ——.
_SHARED_GLYPHS = {"戶": "户", "―": "—"}


def fold(ch: str) -> str:
    """A Kangxi radical, radical supplement or CJK compatibility ideograph → the unified ideograph
    it stands for.

    >>> fold("⼈") + fold("⻅") + fold("戶") + fold("，")
    '人见户，'
    """
    code = ord(ch) if len(ch) == 1 else 0
    if 0x2E80 <= code <= 0x2EFF:
        ch = _SUPPLEMENT.get(ch, ch)
    elif 0x2F00 <= code <= 0x2FDF or 0xF900 <= code <= 0xFAFF:
        ch = unicodedata.normalize("NFKC", ch)
    return _SHARED_GLYPHS.get(ch, ch)


@dataclass
class Line:
    """One line of text on a page: its characters' box and its text."""
    chars: list[dict] = field(default_factory=list)     # the glyphs that print
    text: str = ""
    spaces: list[dict] = field(default_factory=list)    # space characters the PDF has on the line

    @property
    def x0(self) -> float:
        return min(c["x0"] for c in self.chars)

    @property
    def x1(self) -> float:
        return max(c["x1"] for c in self.chars)

    @property
    def top(self) -> float:
        return min(c["top"] for c in self.chars)

    @property
    def bottom(self) -> float:
        return max(c["bottom"] for c in self.chars)

    @property
    def size(self) -> float:
        sizes = sorted(c.get("size") or (c["bottom"] - c["top"]) for c in self.chars)
        return sizes[len(sizes) // 2] or 1.0


def group_lines(chars: list[dict]) -> list[Line]:
    """Characters → lines, top to bottom, each line's characters left to right.  A character joins
    the line whose vertical middle it shares (half its height), so sub- and superscripts and
    slightly shifted glyphs stay on their line."""
    lines: list[Line] = []
    blanks = []
    for ch in sorted(chars, key=lambda c: (round(c["top"], 1), c["x0"])):
        if not ch["text"].strip():
            blanks.append(ch)
            continue
        middle = (ch["top"] + ch["bottom"]) / 2
        for line in reversed(lines[-3:]):
            if line.top - 1 <= middle <= line.bottom + 1 and abs(middle - (line.top + line.bottom) / 2) < \
                    max(ch["bottom"] - ch["top"], 1) / 2:
                line.chars.append(ch)
                break
        else:
            lines.append(Line([ch]))
    for blank in blanks:     # a space belongs to the line it stands inside
        middle = (blank["top"] + blank["bottom"]) / 2
        for line in lines:
            if line.top - 1 <= middle <= line.bottom + 1 and line.x0 < blank["x0"] < line.x1:
                line.spaces.append(blank)
                break
    for line in lines:
        line.chars.sort(key=lambda c: c["x0"])
        line.text = line_text(line.chars, line.spaces)
    lines.sort(key=lambda ln: ln.top)
    return lines


_LATIN = re.compile(r"[0-9A-Za-z%.,;:)\]]")


def line_text(chars: list[dict], spaces: list[dict] = ()) -> str:
    """The text of one line's characters (left to right), with spaces where the gaps say so or the
    PDF has a space character (one, however wide)."""
    out: list[str] = []
    prev = None
    blank_at = sorted((s["x0"] + s["x1"]) / 2 for s in spaces)
    for ch in chars:
        text = "".join(fold(c) for c in ch["text"])
        if prev is not None:
            gap = ch["x0"] - prev["x1"]
            em = max(prev.get("size") or 0, ch.get("size") or 0) or (prev["bottom"] - prev["top"]) or 1.0
            if gap > 1.5 * em:
                # a wide gap: aligned blocks of one line; as many spaces as the gap holds half-ems
                out.append(" " * max(2, round(gap / (em / 2))))
            elif (gap > 0.2 * em and _LATIN.match(out[-1][-1:] or "") and _LATIN.match(text[:1])) or \
                    any(prev["x0"] < x < ch["x1"] for x in blank_at):
                out.append(" ")
        out.append(text)
        prev = ch
    return "".join(out).strip()


def join_broken(first: str, second: str) -> str:
    """Two pieces of one paragraph or cell, broken over lines: nothing between CJK text, a space
    between two Latin words, and a hyphen at a Latin line end is a broken word.

    >>> join_broken("市发展改革委、", "市财政局")
    '市发展改革委、市财政局'
    >>> join_broken("PM2.5 and", "ozone")
    'PM2.5 and ozone'
    """
    if not first or not second:
        return first + second
    if first.endswith("-") and first[-2:-1].isalpha() and second[:1].islower():
        return first[:-1] + second
    if first[-1].isascii() and first[-1].isalnum() and second[0].isascii() and second[0].isalnum():
        return first + " " + second
    return first + second
