"""The tool's own coverage report: assignment cues that no extracted assignment explains.

A cue is a place in the text that says, or usually says, who must do something: a word
(负责, 牵头, 责任单位 …), a department-like name before a colon at the start of a line
(`综合执法队:负责…`) or the header cell of a table column of holders (责任单位, 牵头部门 …).
The cue lists are data (ontology/cues.yaml).  A cue is explained when an extracted
assignment's quote lies in the cue's sentence (clipped to a window either side), or, for a
column header, when an assignment is read from the rows below it.  On a document nobody has
annotated, the unexplained cues are where to look for what the readers missed.

Pure: text and LoadResult in, cues out; reading the file is loaders.reading's job.

>>> from loaders.pipeline import load_text
>>> text = ("关于加强秸秆禁烧的通知\\n\\n(一)加强禁烧管控。(市生态环境局牵头,市农业农村局等按职责分工负责)\\n"
...         "(二)做好宣传。请各单位积极配合。\\n")
>>> report = check(text, load_text(text, "t.txt"), "t.txt")
>>> [(c.line, c.col, c.cue, c.explained) for c in report.cues]
[(3, 18, '牵头', True), (3, 28, '按职责分工负责', True), (4, 15, '配合', False)]
>>> report.summary()
'cues 3, explained 2 (66.7%)'
"""
from __future__ import annotations

import bisect
import functools
import os
import re
from dataclasses import dataclass


from graph.errors import InputError
from graph.model import LoadResult
from loaders.textmap import clean
from ontology import data_path, read_user_yaml

CUES_PATH = data_path("cues.yaml")

_KEYS = {"words", "not_assigning", "holder_columns", "holder_before_colon", "sentence_ends", "window",
         "column_window"}
_COLON_KEYS = {"suffixes", "min_chars", "max_chars", "not_names"}
# A clause or item number before a name: (一) 一、 1. 1、 第一条
_NUMBER = r"(?:[(（][一二三四五六七八九十\d]{1,4}[)）]|[一二三四五六七八九十]{1,3}[、.．﹒]|\d{1,3}[.．﹒、]|第[一二三四五六七八九十百]+条)?"
# Cells of a table row: tabs, "|" (Markdown) or two or more spaces (pdftotext -layout)
_CELL_SPLIT = re.compile(r"\t|\||[ \u3000]{2,}")
_BLANK_LINE = re.compile(r"\n[ \t\u3000]*\n")


@dataclass(frozen=True)
class CueTable:
    """ontology/cues.yaml, checked and compiled."""
    words: re.Pattern
    not_assigning: tuple[str, ...]
    columns: re.Pattern
    colon: re.Pattern
    not_names: frozenset[str]
    name_endings: tuple[str, ...]   # how a department-like name ends (the colon rule's suffixes)
    sentence_ends: str
    window: int
    column_window: int


@dataclass(frozen=True)
class Cue:
    file: str
    line: int              # 1-based
    col: int               # 1-based, in characters
    cue: str               # the cue as printed, whitespace dropped (牵头单位, 综合执法队:, 责任单位)
    kind: str              # word | colon | column
    span: tuple[int, int]  # character span in the source text
    context: str           # the whole source line
    doc: str = ""          # number or title of the document it lies in ("" outside every document)
    explained: bool = False

    def as_dict(self) -> dict:
        return {"file": self.file, "line": self.line, "col": self.col, "cue": self.cue, "kind": self.kind,
                "span": list(self.span), "doc": self.doc, "explained": self.explained, "context": self.context}


@dataclass(frozen=True)
class Coverage:
    file: str
    cues: tuple[Cue, ...]

    @property
    def unexplained(self) -> list[Cue]:
        return [c for c in self.cues if not c.explained]

    @property
    def explained(self) -> int:
        return sum(1 for c in self.cues if c.explained)

    def summary(self) -> str:
        return summary_line(len(self.cues), self.explained)


def summary_line(total: int, explained: int) -> str:
    """>>> summary_line(0, 0)
    'cues 0, explained 0 (100.0%)'
    """
    share = 100.0 * explained / total if total else 100.0   # nothing to explain: nothing missed
    return f"cues {total}, explained {explained} ({share:.1f}%)"


def check(text: str, result: LoadResult, source: str, table: CueTable | None = None) -> Coverage:
    """Every cue of `text`, each marked explained or not by `result` (the load of the same text).

    Cues outside every document (a gazette's cover, table of contents, back cover) are not
    counted: no duty is read there by design.  A file in which no document was found keeps all.
    """
    table = table or default_cues()
    spans = sorted((a.evidence.span[0], max(a.evidence.span[1], a.evidence.span[0] + 1))
                   for a in result.assignments)
    starts = [a for a, _ in spans]
    # the longest quote bounds how far back a quote overlapping a point can start
    longest = max((b - a for a, b in spans), default=0)
    docs = sorted((d.span[0], d.span[1], d.label) for d in result.documents)
    held = _holders_by_provision(result)
    cues = []
    for kind, cue, a, b in find_cues(text, table):
        doc = next((label for ds, de, label in docs if ds <= a < de), None)
        if doc is None and docs:
            continue
        if kind == "column":
            i = bisect.bisect_left(starts, b)
            explained = i < len(starts) and starts[i] <= b + table.column_window
        else:
            s, e = sentence_around(text, a, b, table)
            i = bisect.bisect_left(starts, s - longest)
            explained = (any(qa < e and qb > s for qa, qb in spans[i:bisect.bisect_left(starts, e)])
                         or _held_by_provision(text, a, held, table))
        line, col, context = _place(text, a)
        cues.append(Cue(source, line, col, cue, kind, (a, b), context, doc or "", explained))
    return Coverage(source, tuple(cues))


def _holders_by_provision(result: LoadResult) -> list[tuple[int, int, frozenset[str]]]:
    """(start, end, printed holder names) of every provision that has assignments, smallest first."""
    names: dict[str, set[str]] = {}
    for a in result.assignments:
        names.setdefault(a.provision_id, set()).add("".join((a.printed_name or a.vague).split()))
    spans = [(p.span[0], p.span[1], frozenset(names.get(p.id, ()))) for p in result.provisions]
    return sorted(spans, key=lambda s: s[1] - s[0])


def _held_by_provision(text: str, at: int, held, table: CueTable) -> bool:
    """The cue lies in a provision that has assignments, and names no holder of its own they miss.

    A bracket at the end of a clause explains the 配合 or 负责 of the sentences before it; but
    `区水务局负责…` in that clause is explained only if 区水务局 is one of the clause's holders.
    """
    inner = next((s for s in held if s[0] <= at < s[1]), None)
    if inner is None or not inner[2]:
        return False
    before = "".join(text[max(0, at - 40):at].split())
    if not before.endswith(table.name_endings):
        return True
    return any(name and before.endswith(name) for name in inner[2])


def uncovered(text: str, result: LoadResult, source: str) -> list[Cue]:
    """The cues no extracted assignment explains, in text order."""
    return check(text, result, source).unexplained


def find_cues(text: str, table: CueTable) -> list[tuple[str, str, int, int]]:
    """(kind, cue, start, end) in text order; a word inside a header cell or a name is not counted twice.

    >>> find_cues("序号\\t任务\\t牵头部门\\n1\\t修路\\t区交通委\\n", default_cues())
    [('column', '牵头部门', 6, 10)]
    """
    found = _line_cues(text, table)
    taken = [(a, b) for _, _, a, b in found]
    for cue, a, b in _word_cues(text, table):
        if not any(a < tb and b > ta for ta, tb in taken):
            found.append(("word", cue, a, b))
    return sorted(found, key=lambda c: (c[2], c[3]))


def sentence_around(text: str, start: int, end: int, table: CueTable) -> tuple[int, int]:
    """The source span of the cue's sentence: between sentence ends or blank lines, at most a window away.

    >>> sentence_around("甲。乙负责丙。丁", 3, 5, default_cues())
    (2, 7)
    """
    lo, hi = max(0, start - table.window), min(len(text), end + table.window)
    s = lo
    for i in range(start - 1, lo - 1, -1):
        if text[i] in table.sentence_ends:
            s = i + 1
            break
    blank = [m.end() for m in _BLANK_LINE.finditer(text, s, start)]
    s = blank[-1] if blank else s
    e = hi
    for i in range(end, hi):
        if text[i] in table.sentence_ends:
            e = i + 1
            break
    m = _BLANK_LINE.search(text, end, e)
    return s, (m.start() if m else e)


def _word_cues(text: str, table: CueTable) -> list[tuple[str, int, int]]:
    """Cue words found in the whitespace-free text, adjacent ones joined (按职责分工负责 is one cue)."""
    mapped = clean(text)
    flat = mapped.text
    hits: list[list[int]] = []
    for m in table.words.finditer(flat):
        if _inside_phrase(flat, m.start(), m.group(), table.not_assigning):
            continue
        if hits and hits[-1][1] == m.start():
            hits[-1][1] = m.end()
        else:
            hits.append([m.start(), m.end()])
    out = []
    for a, b in hits:
        sa, sb = mapped.source_span(a, b)
        out.append((flat[a:b], sa, sb))
    return out


def _inside_phrase(flat: str, at: int, word: str, phrases: tuple[str, ...]) -> bool:
    for phrase in phrases:
        k = phrase.find(word)
        while k >= 0:
            if flat.startswith(phrase, at - k) and at - k >= 0:
                return True
            k = phrase.find(word, k + 1)
    return False


def _line_cues(text: str, table: CueTable) -> list[tuple[str, str, int, int]]:
    """Header cells of holder columns and names before a colon, line by line."""
    out = []
    pos = 0
    for raw in text.split("\n"):
        start, end = pos, pos + len(raw)
        pos = end + 1
        if not raw.strip():
            continue
        columns = []
        for cell, ca, cb in _cells(raw, start):
            m = table.columns.fullmatch(cell)
            if m:
                sa, sb = clean(text, ca, cb).source_span(0, m.end("name"))
                columns.append(("column", m.group("name"), sa, sb))
        if columns:
            out += columns
            continue
        mapped = clean(text, start, end)
        m = table.colon.match(mapped.text)
        if m and m.group("name") not in table.not_names:
            sa, sb = mapped.source_span(m.start("name"), m.end("colon"))
            out.append(("colon", m.group("name") + m.group("colon"), sa, sb))
    return out


def _cells(line: str, offset: int):
    """(cell text without whitespace, start, end) for every non-empty cell of a line."""
    at = 0
    for m in list(_CELL_SPLIT.finditer(line)) + [None]:
        stop = m.start() if m else len(line)
        cell = line[at:stop]
        squashed = "".join(cell.split())
        if squashed:
            lead = len(cell) - len(cell.lstrip())
            yield squashed, offset + at + lead, offset + at + len(cell.rstrip())
        at = m.end() if m else stop


def _place(text: str, at: int) -> tuple[int, int, str]:
    line_start = text.rfind("\n", 0, at) + 1
    line_end = text.find("\n", at)
    line_end = len(text) if line_end < 0 else line_end
    return text.count("\n", 0, at) + 1, at - line_start + 1, text[line_start:line_end]


def excerpt(cue: Cue, width: int = 30) -> str:
    """The cue's line around it, whitespace squashed, at most `width` characters either side.

    >>> excerpt(Cue("f", 1, 3, "负责", "word", (2, 4), "甲乙负责丙丁"), width=1)
    '…乙负责丙…'
    """
    col = cue.col - 1
    length = cue.span[1] - cue.span[0]
    before = cue.context[max(0, col - width):col]
    after = cue.context[col + length:col + length + width]
    text = " ".join((("…" if col > width else "") + before + cue.context[col:col + length] + after
                     + ("…" if col + length + width < len(cue.context) else "")).split())
    return text


def load_cues(path: str) -> CueTable:
    """Read and check a cue file; a misspelt key is an error, not a silently ignored setting."""
    return compile_cues(read_user_yaml(path, "cue file", "cues.yaml"), path)


def compile_cues(data: dict, source: str = "cues") -> CueTable:
    unknown = set(data) - _KEYS
    colon = data.get("holder_before_colon") or {}
    unknown |= {f"holder_before_colon.{k}" for k in set(colon) - _COLON_KEYS}
    if unknown or not data.get("words"):
        raise InputError(source, f"unknown settings {sorted(unknown)}" if unknown else "no cue words",
                         hint="compare with the bundled ontology/cues.yaml")
    words = sorted(set(data["words"]), key=len, reverse=True)
    columns = sorted(set(data.get("holder_columns") or []), key=len, reverse=True)
    suffixes = sorted(set(colon.get("suffixes") or ["局"]), key=len, reverse=True)
    lo, hi = int(colon.get("min_chars", 3)), int(colon.get("max_chars", 20))
    name = (rf"(?P<name>(?=[^:：]{{{lo},{hi}}}[:：])[\u4e00-\u9fff、()（）]{{0,{hi}}}?"
            rf"(?:{'|'.join(map(re.escape, suffixes))}))")
    return CueTable(
        words=re.compile("|".join(map(re.escape, words))),
        not_assigning=tuple(data.get("not_assigning") or ()),
        columns=re.compile(rf"(?P<name>{'|'.join(map(re.escape, columns)) or '(?!)'})(?:[(（][^)）]*[)）])?"),
        colon=re.compile(rf"{_NUMBER}{name}(?P<colon>[:：])(?=\S)"),
        not_names=frozenset(colon.get("not_names") or ()),
        name_endings=tuple(suffixes),
        sentence_ends=str(data.get("sentence_ends", "。！？；;!?")),
        window=int(data.get("window", 80)),
        column_window=int(data.get("column_window", 3000)))


@functools.lru_cache(maxsize=4)
def _cached(path: str) -> CueTable:
    return load_cues(path)


def default_cues() -> CueTable:
    return _cached(os.environ.get("DUTYGRAPH_CUES", CUES_PATH))
