"""Tab-separated table lines as the PDF extraction left them, with source offsets.

A flattened table is one line per visual row, cells separated by TAB.  The
readers need, for every line, its cells with their offsets in the source so
that every quote stays an exact slice of the source.  This module knows
nothing about any table kind: it splits lines, maps cells to header columns,
tells garbage from text and joins cell fragments that belong to one cell.

>>> src = "序号\\t事项名称\\t承办单位\\n1\\t发布地价\\t市自然资源局\\n"
>>> lines = split_lines(src, 0, len(src))
>>> [c.text for c in lines[1].cells]
['1', '发布地价', '市自然资源局']
>>> cell_text(src, lines[1].cells[2])
'市自然资源局'
"""
from __future__ import annotations

import re
import unicodedata
from array import array
from dataclasses import dataclass

from loaders.textmap import MappedText, clean


@dataclass(frozen=True)
class Cell:
    text: str       # raw cell text, as in the source
    start: int      # source offset of the cell's first character
    end: int

    @property
    def span(self) -> tuple[int, int]:
        return self.start, self.end


@dataclass(frozen=True)
class Line:
    index: int      # line number within the scanned range (0-based); only for ordering
    start: int      # source offset of the line start
    end: int        # source offset of the line end (without the newline)
    text: str

    @property
    def cells(self) -> list[Cell]:
        cells, pos = [], self.start
        for part in self.text.split("\t"):
            cells.append(Cell(part, pos, pos + len(part)))
            pos += len(part) + 1
        return cells

    @property
    def tabbed(self) -> bool:
        return "\t" in self.text

    @property
    def blank(self) -> bool:
        return not self.text.strip()


# A cell printed alone on its line and closed by a bar (a web table copied cell by cell); "||" or "|"
# alone is an empty cell.  Markdown rows (| a | b |) hold bars inside and are left as they are.
_CELL_END = re.compile(r"\s*\|+\s*$")


def split_lines(source: str, start: int, end: int) -> list[Line]:
    """The lines of source[start:end], each with its source offsets."""
    lines, pos, index = [], start, 0
    while pos < end:
        stop = source.find("\n", pos, end)
        stop = end if stop < 0 else stop
        text = source[pos:stop]
        cell_end = _CELL_END.search(text)
        if cell_end and "|" not in text[:cell_end.start()]:
            text = text[:cell_end.start()]      # "城管局 |": a cell per line, each closed by a bar
        lines.append(Line(index, pos, pos + len(text), text))
        index += 1
        pos = stop + 1
    return lines


def cell_text(source: str, cell: Cell) -> str:
    """Whitespace-normalised cell text (PDF line breaks inside Chinese removed)."""
    return clean(source, cell.start, cell.end).text


def norm(text: str) -> str:
    """Whitespace-normalised text of a string that is not (or no longer) in the source."""
    return clean(text).text


# -- garbage ------------------------------------------------------------------

def is_cjk(ch: str) -> bool:
    return "\u4e00" <= ch <= "\u9fff" or "\u3400" <= ch <= "\u4dbf"


def cjk_ratio(text: str) -> float:
    chars = [c for c in text if not c.isspace()]
    if not chars:
        return 0.0
    return sum(1 for c in chars if is_cjk(c)) / len(chars)


def is_garbage(text: str, threshold: float = 0.4) -> bool:
    """Text the OCR/extraction mangled: mostly not Chinese ("T 4 二 4", ", , ,)", "ᄓᆔᄼᆚ").

    Pure numbers are not garbage (they are row numbers or statistics).
    """
    t = re.sub(r"\s+", "", text)
    if not t or re.fullmatch(r"\d+(?:\.\d+)?", t):
        return False
    return cjk_ratio(t) < threshold


_TRAILING_NOISE = re.compile(r"[\s\\/|~^`'_,.;:，。·\-]+$")
_LEADING_NOISE = re.compile(r"^[\s\\/|~^`'_,.;:，。·\-]+")


def strip_noise(text: str) -> str:
    """Drop extraction debris at the ends of a cell ("汇总) \\ \\ \\" → "汇总")
    and a closing bracket left unmatched by that debris."""
    stripped = _LEADING_NOISE.sub("", _TRAILING_NOISE.sub("", text))
    # Only a bracket that stood right before the debris is debris itself:
    # "…经营的除外)" legitimately closes a bracket opened on the line above.
    had_debris = len(stripped) < len(text.lstrip())
    if had_debris and stripped and stripped[-1] in ")）" and bracket_depth(stripped) < 0:
        stripped = _TRAILING_NOISE.sub("", stripped[:-1])
    return stripped


_OPEN, _CLOSE = "(（《〈[【", ")）》〉]】"


def bracket_depth(text: str) -> int:
    """Open minus closed brackets: > 0 means the cell continues on the next line."""
    depth = sum(text.count(c) for c in _OPEN) - sum(text.count(c) for c in _CLOSE)
    # Curly quotes open and close a quoted name ("信用中国").
    depth += text.count("“") - text.count("”")
    return depth


def display_width(text: str) -> int:
    """Printed width in half-width units: a cell wraps when it reaches the column width."""
    width = 0
    for ch in text:
        if ch.isspace():
            continue
        east = unicodedata.east_asian_width(ch)
        width += 2 if east in ("W", "F") or ch in "\"“”‘’" else 1
    return width


# -- header matching and column alignment -------------------------------------

def match_header(cells: list[str], columns: dict[str, tuple[str, ...]],
                 required: tuple[str, ...]) -> list[str] | None:
    """The column role of every header cell, or None unless all `required` roles were found.

    Roles are tried in the order of `columns`, each taking the first free cell
    holding one of its keywords.  An optional role that found no keyword takes
    a blank header cell (a header the extraction lost, like 序号 in some lists);
    cells left over get the role "_<i>".

    >>> match_header(["服务对象", "", "服务项目"], {"num": ("序号",), "item": ("项目",)}, ("item",))
    ['_0', 'num', 'item']
    """
    found: dict[str, int] = {}
    for role, keywords in columns.items():
        for i, text in enumerate(cells):
            if any(k in text for k in keywords) and i not in found.values():
                found[role] = i
                break
    if not all(r in found for r in required):
        return None
    blanks = [i for i, text in enumerate(cells) if not text.strip() and i not in found.values()]
    for role in columns:
        if role not in found and blanks:
            found[role] = blanks.pop(0)
    by_index = {i: r for r, i in found.items()}
    return [by_index.get(i, f"_{i}") for i in range(len(cells))]


def is_header_like(cells: list[str], keywords: tuple[str, ...], least: int = 2) -> bool:
    """A repeated header row (page break): at least `least` header keywords, even if
    the first cell is garbled ("平<T>条款<T>法律内容<T>职责部门")."""
    return sum(1 for k in keywords if any(k in c for c in cells)) >= least


@dataclass
class Aligned:
    """One line's cells mapped to the header's columns."""
    line: Line
    cells: dict[str, Cell]          # role → cell (absent: the line has no cell there)
    ghost: Cell | None = None       # leading extra cell: a repeat of the row or a displaced blob


def align(line: Line, roles: list[str], tail_is_last: "callable") -> Aligned:
    """Map a line's cells to column roles (in header order).

    More cells than columns: the extraction glued text before the row (a
    tab-less repeat of rows, seen as one leading cell), so the extra leading
    cells are the ghost.  Fewer cells: a merged cell swallowed its tab; the
    row is right-aligned when its last cell fits the last column
    (`tail_is_last(text)`), else left-aligned.
    """
    cells = line.cells
    ghost = None
    if len(cells) > len(roles):
        extra = len(cells) - len(roles)
        head = cells[:extra]
        ghost = Cell(line.text[: head[-1].end - line.start], line.start, head[-1].end)
        cells = cells[extra:]
    if len(cells) < len(roles) and not tail_is_last(cells[-1].text):
        mapping = dict(zip(roles, cells))
    else:
        mapping = dict(zip(roles[len(roles) - len(cells):], cells))
    return Aligned(line, mapping, ghost)


# -- cells spread over several lines ------------------------------------------

@dataclass
class Joined:
    """Fragments of one cell over several lines, joined with an offset map."""
    mapped: MappedText
    fragments: list[Cell]

    @property
    def text(self) -> str:
        return self.mapped.text

    @property
    def span(self) -> tuple[int, int]:
        return self.fragments[0].start, self.fragments[-1].end

    def source_span(self, a: int, b: int) -> tuple[int, int]:
        return self.mapped.source_span(a, b)

    def fragment_span(self, a: int, b: int) -> tuple[int, int]:
        """The span of the fragments that hold text[a:b] (whole cell parts, for quotes)."""
        lo, hi = self.mapped.source_span(a, b)
        parts = [f for f in self.fragments if f.start < hi and lo < f.end]
        return (parts[0].start, parts[-1].end) if parts else (lo, hi)


def join_cells(source: str, fragments: list[Cell], strip: bool = False) -> Joined:
    """Concatenate cell fragments (no separator: a wrapped cell continues mid-word)."""
    text: list[str] = []
    origin = array("q")
    for cell in fragments:
        m = clean(source, cell.start, cell.end)
        piece, orig = m.text, m.origin
        if strip:
            kept = strip_noise(piece)
            at = piece.find(kept) if kept else 0
            piece, orig = kept, orig[at: at + len(kept)]
        text.append(piece)
        origin.extend(orig)
    return Joined(MappedText("".join(text), origin, source), list(fragments))
