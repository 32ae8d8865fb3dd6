"""Split a file into documents, and a document into numbered provisions.

A gazette holds several documents, each opened by a title line and a 文号 line
(双政发〔2024〕6号); the cover, the table of contents and the back cover are
not documents.  A file without any 文号 is one document named by its title.

Provision labels follow ARCHITECTURE.md: clause (十四) → "(14)", its item 2.
→ "(14).2", an item numbered through the document → "19", sub-item (1) of
item 2 → "(14).2.(1)", sub-item (1) straight under clause (三) → "(3).1" (it is
that clause's item level), section 三、 → "三".  Where clause numbers restart in
every section the section is kept in the label: "三(1)".
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from loaders.numerals import chinese_to_int
from ontology import vocab

DOC_NUMBER = re.compile(
    r"^\s*(?P<number>[\u4e00-\u9fff]{1,12}\s*[〔\[［(（]\s*\d{4}\s*[〕\]］)）]\s*\d{1,4}\s*号)\s*$")
SIGNATURE = re.compile(
    r"^\s*(?P<issuer>[\u4e00-\u9fff()（）]{2,40}?(?:人民政府办公室|人民政府办公厅|人民政府|办公室|办公厅|委员会|局|委))"
    r"\s*(?P<y>\d{4})\s*年\s*(?P<m>\d{1,2})\s*月\s*(?P<d>\d{1,2})\s*日\s*$")
_CN = "一二三四五六七八九十百零〇两"
HEADINGS = [
    ("section", re.compile(rf"^([{_CN}]{{1,4}})\s*、")),
    ("clause", re.compile(rf"^[(（]\s*([{_CN}]{{1,4}})\s*[)）]")),
    ("article", re.compile(rf"^第([{_CN}]{{1,5}})条")),
    ("item", re.compile(r"^(\d{1,6})\s*[.．﹒、](?!\d)")),
    ("subitem", re.compile(r"^[(（]\s*(\d{1,6})\s*[)）]")),
    ("circled", re.compile(r"^([\u2460-\u2473])")),     # ① … ⑳
    ("annex", re.compile(r"^附\s*件\s*(\d{0,2})\s*(?:[:：].*)?$")),
]
_LEVEL = {"annex": -1, "section": 0, "article": 1, "clause": 1, "item": 2, "subitem": 3, "circled": 3}
_NOISE_LINE = re.compile(
    r"^\s*(?:[-—–·.\s]*\d{1,3}[-—–·.\s]*|编辑出版[:：].*|地\s*址[:：].*|网\s*址[:：].*|.*准印证.*"
    r"|单位\s*[:：].{0,20}|专栏\s*\d+.{0,30}|附件\s*\d*\s*)$")
_IMPRINT = re.compile(r"^\s*(?:编辑出版|主办|出版|地\s*址|网\s*址|电\s*话|邮\s*编|.*准印证).*$")
_TITLE_WORDS = re.compile(r"通知|方案|意见|办法|规定|决定|清单|计划|措施|细则|目录|公告|通告|批复|报告|纲要|规划|要点|图谱|条例")


@dataclass
class Line:
    start: int
    end: int
    text: str

    @property
    def stripped(self) -> str:
        return self.text[self.content_offset:].strip()

    @property
    def content_offset(self) -> int:
        """Where the text starts after indentation and a list bullet ("- ") the extraction added."""
        m = re.match(r"^\s*(?:[-*•]\s+)?", self.text)
        return m.end()


@dataclass
class RawProvision:
    kind: str
    number: int
    label: str
    lines: list[Line] = field(default_factory=list)
    parent: "RawProvision | None" = None
    section: str = ""
    order: int = 0


@dataclass
class RawDocument:
    number: str
    title: str
    start: int
    end: int
    issuer: str = ""
    date: str = ""
    addressees: list[str] = field(default_factory=list)
    body_start: int = 0


# "(六) 提升…水平 20.提升…": a clause title and its first item on one extracted line.
_EMBEDDED_ITEM = re.compile(rf"^\s*[(（][{_CN}]{{1,4}}[)）][^。,，;；:：]{{2,40}}?\s+(?=\d{{1,3}}[.．﹒](?!\d))", re.M)


def split_lines(text: str, start: int = 0, end: int | None = None) -> list[Line]:
    end = len(text) if end is None else end
    lines, pos = [], start
    while pos < end:
        nl = text.find("\n", pos, end)
        stop = end if nl < 0 else nl
        embedded = _EMBEDDED_ITEM.match(text, pos, stop)
        if embedded:
            lines.append(Line(pos, embedded.end(), text[pos:embedded.end()]))
            lines.append(Line(embedded.end(), stop, text[embedded.end():stop]))
        else:
            lines.append(Line(pos, stop, text[pos:stop]))
        pos = stop + 1
    return lines


def split_documents(text: str) -> list[RawDocument]:
    """Documents of a file, by their 文号 lines (or the whole file as one)."""
    lines = split_lines(text)
    anchors = [i for i, ln in enumerate(lines) if DOC_NUMBER.match(ln.text)]
    docs: list[RawDocument] = []
    for k, i in enumerate(anchors):
        title_idx = _title_line_before(lines, i)
        start = lines[title_idx].start if title_idx is not None else lines[i].start
        title = _squash(lines[title_idx].text) if title_idx is not None else ""
        docs.append(RawDocument(_squash(DOC_NUMBER.match(lines[i].text).group("number")), title, start, 0,
                                body_start=lines[i].end))
    for k, doc in enumerate(docs):
        doc.end = docs[k + 1].start if k + 1 < len(docs) else _content_end(text, lines)
    if not docs:
        # The title: a line among the first that says what kind of document this is, but
        # never a numbered provision or a sentence (a title has no 。).
        heads = [ln for ln in lines[:15] if ln.text.strip() and not _heading(ln.text.strip())[0]
                 and "。" not in ln.text and len(ln.text.strip()) <= 80
                 and "\t" not in ln.text and ln.text.count("|") < 2]     # a table's header is no title
        first = next((ln for ln in heads if _TITLE_WORDS.search(ln.text)),
                     next((ln for ln in lines if ln.text.strip()), None))
        if first is None:
            return []
        if first not in heads and (_heading(first.text.strip())[0] or _is_table_line(first.text)):
            # the file opens with its first provision or its table: no title line to skip
            docs.append(RawDocument("", "", 0, _content_end(text, lines), body_start=first.start))
        else:
            docs.append(RawDocument("", _squash(first.text), 0, _content_end(text, lines), body_start=first.end))
    for doc in docs:
        _read_header(text, doc)
    return docs


def _is_table_line(line: str) -> bool:
    """A row or a header cell of a table: cells apart by tabs or bars, or a column's name alone."""
    s = line.strip().strip("|").strip()
    return "\t" in line or line.count("|") >= 2 or s in vocab.role_labels() or s in vocab.table_headers()["num"]


def _title_line_before(lines: list[Line], i: int):
    for j in range(i - 1, max(-1, i - 6), -1):
        if lines[j].text.strip():
            return j
    return None


def _content_end(text: str, lines: list[Line]) -> int:
    """End of the last document: before a back cover of imprint lines (编辑出版:…, 地址:…, a
    slogan, page numbers).  Short lines count as the back cover only in a block that holds an
    imprint line: a table printed a cell per line also ends in short lines (县发展改革局, 持续推进)."""
    end, cover_end, imprint = len(text), len(text), False
    for ln in reversed(lines):
        s = ln.text.strip()
        if not s or _NOISE_LINE.match(s) or len(s) <= 6:
            cover_end = ln.start
            imprint = imprint or bool(_IMPRINT.match(s))
            continue
        break
    if imprint:
        end = cover_end
    # Without an imprint, only blank lines and page numbers are trimmed.
    for ln in reversed(lines):
        s = ln.text.strip()
        if ln.start < end and s and not _NOISE_LINE.match(s):
            return min(end, ln.end)
    return end


def _read_header(text: str, doc: RawDocument) -> None:
    """Addressees (主送) and the signature (issuer, date) of a document."""
    previous = ""
    for ln in split_lines(text, doc.body_start, doc.end)[:40]:
        s = ln.text.strip()
        if not s:
            continue
        # A signature may put the issuer and the date on two lines.
        if previous and re.fullmatch(r"\d{4}\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日", s):
            s = previous + s
        previous = s if re.fullmatch(r"[\u4e00-\u9fff()（）]{2,40}(?:人民政府|办公室|办公厅|委员会|局|委)", s) else ""
        head = re.match(r"^(?P<to>[^:：]{4,100})[:：]", s)
        if not doc.addressees and head and re.search(r"人民政府|单位|部门|各|委员会|局", head.group("to")):
            doc.addressees = _addressees(head.group("to"))
            continue
        sig = SIGNATURE.match(s)
        if sig and not doc.issuer:
            doc.issuer = sig.group("issuer")
            doc.date = f"{int(sig.group('y')):04d}-{int(sig.group('m')):02d}-{int(sig.group('d')):02d}"
            break


def _addressees(line: str) -> list[str]:
    # Two-column extraction interleaves the notice body into this line; keep
    # only the tokens that are not body text.
    tokens = [t for t in line.rstrip(":： ").split()
              if not re.search(r"发给你们|执行|贯彻|印发|现将|请|。$", t)]
    joined = "".join(tokens)
    return [p for p in re.split(r"[,，]", joined) if p]


def _squash(s: str) -> str:
    s = re.sub(r"^#{1,6}\s*", "", s.strip())   # a Markdown heading's marks are not part of the title
    return re.sub(r"(?<=[^\x00-\x7f])\s+|\s+(?=[^\x00-\x7f])", "", s)


# 现将《…》印发给你们 / 《…》已经市政府同意，现转发给你们
_ISSUES = re.compile(r"《(?P<title>[^《》]{2,80})》[^。《》]{0,60}?(?:印发|转发|下发)给你们")


def missing_attachment(text: str, doc: RawDocument, has_tables: bool) -> str:
    """The title of the plan a cover notice issues (现将《…方案》印发给你们) when the file holds
    the notice alone: no numbered provision and no table follows.  '' otherwise."""
    body = re.sub(r"\s", "", text[doc.body_start:doc.end])
    m = _ISSUES.search(body)
    if not m or has_tables:
        return ""
    rest = split_lines(text, doc.body_start, doc.end)
    numbered = any(_heading(ln.stripped)[0] not in (None, "annex") for ln in rest if ln.stripped)
    return "" if numbered else m.group("title")


def annex_headings(text: str, doc: RawDocument) -> list[tuple[int, str]]:
    """(offset, 附件 or 附件<k>) of each attachment heading of a document, in order."""
    found = []
    for ln in split_lines(text, doc.body_start, doc.end):
        kind, number = _heading(ln.stripped) if ln.stripped else (None, 0)
        if kind == "annex" or (ln.stripped.startswith(("附件：", "附件:")) and len(ln.stripped) < 80):
            found.append((ln.start, f"附件{number}" if number else "附件"))
    return found


def first_leads_at(text: str, doc: RawDocument) -> int | None:
    """Where a document says, once, that the first-listed body of every list leads
    (排在第一位的为牵头单位, 下同), or None: without such a sentence order means nothing."""
    body = text[doc.body_start:doc.end]
    hits = [m.start() for pattern in vocab.first_leads() for m in re.finditer(pattern, re.sub(r"\s", " ", body))]
    return doc.body_start + min(hits) if hits else None


def read_provisions(text: str, doc: RawDocument, skip: list[tuple[int, int]]) -> list[RawProvision]:
    """Numbered provisions of one document; lines inside `skip` spans (tables) are left out."""
    preamble = RawProvision("preamble", 0, "序言")
    provisions = [preamble]
    stack: list[RawProvision] = []
    current = preamble
    for ln in split_lines(text, doc.body_start, doc.end):
        s = ln.stripped
        if not s or any(a <= ln.start < b for a, b in skip) or _is_noise(ln):
            continue
        kind, number = _heading(s)
        if not kind:
            kind, number = _item_before_digits(s, provisions)
        if kind == "item" and stack and _lists_attachments(stack[-1], s):
            kind = None     # "附件：1. …表" then "2. …表": the notice's list of attachments, not items
        if kind:
            while stack and _LEVEL[stack[-1].kind] >= _LEVEL[kind]:
                stack.pop()
            node = RawProvision(kind, number, "", [ln], parent=stack[-1] if stack else None)
            stack.append(node)
            provisions.append(node)
            current = node
        else:
            current.lines.append(ln)
    _label(provisions)
    for i, p in enumerate(provisions):
        p.order = i
    return [p for p in provisions if p.lines]


_ATTACHMENT_LIST = re.compile(r"^附\s*件\s*[:：]\s*1\s*[.．﹒、]")


def _lists_attachments(top: RawProvision, line: str) -> bool:
    """An item under "附件：1. …" that is one more attachment's title (no sentence in it)."""
    return (top.kind == "annex" and bool(_ATTACHMENT_LIST.match(top.lines[0].stripped))
            and len(line) <= 60 and not re.search(r"[。；;，,]", line))


def _is_noise(ln: Line) -> bool:
    return ln.text.count("\t") >= 2 or bool(_NOISE_LINE.match(ln.text.strip()))


def _heading(s: str):
    for kind, pattern in HEADINGS:
        m = pattern.match(s)
        if m:
            value = m.group(1)
            if kind == "annex":
                return kind, int(value or 0)
            if kind == "circled":
                return kind, ord(value) - 0x2460 + 1
            number = int(value) if value.isdigit() else chinese_to_int(value)
            if number:
                return kind, number
    return None, 0


_ITEM_BEFORE_DIGITS = re.compile(r"^(\d{1,3})\s*[.．﹒](?=\d)")


def _item_before_digits(s: str, provisions: list[RawProvision]):
    """"11.121人才梯队项目" is item 11 when item 10 came last; otherwise a decimal like 2.5."""
    m = _ITEM_BEFORE_DIGITS.match(s)
    last = next((p for p in reversed(provisions) if p.kind == "item"), None)
    if m and last is not None and int(m.group(1)) == last.number + 1:
        return "item", last.number + 1
    return None, 0


def _label(provisions: list[RawProvision]) -> None:
    clauses = [p for p in provisions if p.kind == "clause"]
    restart = any(b.number <= a.number for a, b in zip(clauses, clauses[1:]))
    items = [p for p in provisions if p.kind == "item"]
    through = _numbered_through(items)
    item_restart = any(b.number <= a.number for a, b in zip(items, items[1:]))
    for p in provisions:
        sect = _ancestor(p, "section")
        if p.kind == "section":
            p.label = _int_to_cn(p.number)
        elif p.kind == "annex":
            p.label = f"附件{p.number}" if p.number else "附件"
        elif p.kind == "article":
            p.label = f"第{_int_to_cn(p.number)}条"
        elif p.kind == "clause":
            p.label = (f"{sect.label}({p.number})" if restart and sect else f"({p.number})")
        elif p.kind == "item":
            parent = p.parent
            if through or parent is None or (parent.kind == "section" and not item_restart):
                p.label = str(p.number)
            else:
                p.label = f"{parent.label}.{p.number}"
        elif p.kind == "subitem":      # (1) under item 2. is 2.(1); straight under a clause it is the item level: (3).1
            if p.parent is None:
                p.label = f"({p.number})"
            elif p.parent.kind in ("clause", "section"):
                p.label = f"{p.parent.label}.{p.number}"
            else:
                p.label = f"{p.parent.label}.({p.number})"
        elif p.kind == "circled":   # ② under item 1. is 1.2
            p.label = f"{p.parent.label}.{p.number}" if p.parent else str(p.number)


def _numbered_through(items: list[RawProvision]) -> bool:
    """Items numbered 1..n across the document rather than restarting per clause."""
    if len(items) < 2:
        return False
    parents = {id(p.parent) for p in items}
    if len(parents) < 2:
        return items[0].parent is None
    return all(b.number > a.number for a, b in zip(items, items[1:]))


def _ancestor(p: RawProvision, kind: str):
    node = p.parent
    while node is not None and node.kind != kind:
        node = node.parent
    return node


def _int_to_cn(n: int) -> str:
    digits = "零一二三四五六七八九"
    if n < 10:
        return digits[n]
    if n < 20:
        return "十" + (digits[n - 10] if n % 10 else "")
    if n < 100:
        return digits[n // 10] + "十" + (digits[n % 10] if n % 10 else "")
    return str(n)
