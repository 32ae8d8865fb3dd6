"""Text → LoadResult: documents, provisions, departments, assignments, with evidence.

Pure: takes the text and the name to cite; reading files is loaders.reading's job.

>>> r = load_text("关于加强秸秆禁烧的通知\\n\\n(一)加强禁烧管控。(市生态环境局牵头,市农业农村局等按职责分工负责)\\n", "t.txt")
>>> sorted((a.role, a.printed_name) for a in r.assignments)
[('lead', '市生态环境局'), ('responsible', '市农业农村局')]
"""
from __future__ import annotations

import os
import re
from dataclasses import replace

from graph.model import (Assignment, Citation, Department, Document, Evidence, Gazette, LawArticle,
                         LoadResult, Provision, ServiceItem, Target, stable_id)
from loaders import structure
from loaders.assignments import PROSE_DUTIES, PROSE_NONE, PROSE_STRICT, Holder, heading_holders, parse_provision
from loaders.deadlines import find_citations, find_targets
from ontology.registry import Mention, Registry, default_registry
from loaders.document_place import document_place
from loaders.law_links import link_citations
from loaders.law_pipeline import load_law
from loaders.laws import is_law
from loaders.tables import Table, find_tables
from loaders.pdf_text import page_of, place_of
from loaders.textmap import MappedText, clean
from ontology import vocab

_NO_GAP_KINDS = ("preamble", "annex", "section")


def load_text(text: str, source: str, registry: Registry | None = None) -> LoadResult:
    if is_law(text):           # a law or regulation: its own reader (loaders/laws.py)
        return load_law(text, source)
    registry = registry or default_registry()
    result = LoadResult(source=source)
    result.gazette = _gazette(text, source)
    for raw in structure.split_documents(text):
        _load_document(text, raw, result, registry)
    return result


def _gazette(text: str, source: str) -> Gazette | None:
    head = text[:3000]
    title = re.search(r"^\s*(\S*公报)\s*$", head, re.M)
    if not title:
        return None
    issue = re.search(r"(\d{4})\s*(?:年)?\s*第\s*(\d+)\s*期(?:\s*[(（]\s*总第\s*(\d+)\s*期\s*[)）])?", head)
    date = re.search(r"(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日", head)
    issue_text = f"{issue.group(1)}年第{issue.group(2)}期" if issue else ""
    if issue and issue.group(3):
        issue_text += f"(总第{issue.group(3)}期)"
    iso = f"{int(date.group(1)):04d}-{int(date.group(2)):02d}-{int(date.group(3)):02d}" if date else ""
    return Gazette(stable_id("gazette", title.group(1), issue_text), title.group(1), issue_text, iso, source)


def _load_document(text: str, raw: structure.RawDocument, result: LoadResult, registry: Registry) -> None:
    place = document_place(raw.issuer, raw.title, result.gazette.title if result.gazette else "",
                           text[raw.body_start:raw.end])
    doc = Document(
        id=stable_id("doc", raw.number or raw.title or result.source), number=raw.number,
        title=raw.title or _untitled(result.source),
        issuer=raw.issuer, date=raw.date, addressees=tuple(raw.addressees),
        gazette_id=result.gazette.id if result.gazette else "", source=result.source,
        span=(raw.start, raw.end), place=place.path)
    result.documents.append(doc)
    registry = registry.for_jurisdiction(place.name)
    tables = find_tables(text, raw.body_start, raw.end, registry)
    skip = [t.span for t in tables]
    builder = _DocumentBuilder(text, doc, result, registry)
    builder.add_prose(structure.read_provisions(text, raw, skip))
    annexes = structure.annex_headings(text, raw)
    for table in tables:
        builder.add_table(table, _service_list(text, table) or _annex_of(table, annexes))
    builder.first_listed_leads(structure.first_leads_at(text, raw))
    builder.finish()
    link_citations(result, doc.id)     # 依据《…法》第X条: the provision implements the article
    missing = structure.missing_attachment(text, raw, bool(tables))
    if missing:
        result.warnings.append(f"{source_label(result.source, doc)}: the notice issues 《{missing}》, but its text is "
                               f"not in this file; load the attachment too (its duties are not read)")


_HEADING_MAX = 30                            # characters of a heading line; a wrapped body line is longer
_CLOSING = tuple("。；;：:！!？?，,、)）")       # a line ending (or a next line opening) so runs on
_SENTENCE_MARK = re.compile(r"[。；;：:！!？?]")  # a heading holds no sentence and no label


def _names_an_office(holder: Holder | None) -> bool:
    """A holder that is one named office, not a collective, a vague phrase or a standing note."""
    if holder is None or holder.source == "standing_note":
        return False
    resolution = holder.mention.resolution
    return not resolution.is_vague and resolution.kind != "collective"


class _DocumentBuilder:
    """Collects one document's provisions and assignments, then applies the cross-provision rules."""

    def __init__(self, text: str, doc: Document, result: LoadResult, registry: Registry):
        self.text, self.doc, self.result, self.registry = text, doc, result, registry
        self.provisions: list[Provision] = []
        self.holders: dict[str, list[tuple[Holder | None, Mention, str, tuple[int, int], str]]] = {}
        self.labels: set[str] = set()

    # -- prose --------------------------------------------------------
    def add_prose(self, raws: list[structure.RawProvision]) -> None:
        ids = {}
        standing: list[tuple[Holder, MappedText]] = []
        parsed_by_id = {}
        for raw in raws:
            mapped = _mapped_lines(self.text, raw.lines)
            label = self._unique(raw.label)
            pid = stable_id("prov", self.doc.id, label)
            ids[id(raw)] = pid
            parent = ids.get(id(raw.parent), "") if raw.parent else ""
            head = self._heading_line(raw, mapped)
            span = _span(raw.lines)
            prov = Provision(pid, self.doc.id, label, raw.kind, _heading_of(raw.kind, mapped.text[:head or None]),
                             mapped.text, span, parent, order=len(self.provisions), page=page_of(self.text, span[0]))
            self.provisions.append(prov)
            # a heading on a line of its own (三、工作要求) is no part of the first sentence's subject
            parse_text = " " * head + mapped.text[head:]
            mode = _prose_mode(raw, self.text)
            parsed = parse_provision(parse_text, self.registry, mode)
            if not parsed.holders and (
                    (mode == PROSE_DUTIES and (head or not _SENTENCE_MARK.search(mapped.text)))
                    or (raw.kind == "section" and not _SENTENCE_MARK.search(mapped.text))):
                # （二）城管中队及各社区, its tasks below it: the heading names who holds them.  A section
                # titled by nothing but holders (一、生态环境部门) divides duties wherever it stands.
                words = _heading_of(raw.kind, mapped.text[:head or None])
                at = mapped.text.find(words)
                parsed.holders = heading_holders(mapped.text, at, at + len(words), self.registry)
            parsed_by_id[pid] = (parsed, mapped, raw)
            own = [(h, mapped) for h in parsed.holders]
            if own and standing and raw.kind not in ("preamble", "annex"):
                own += [(h, m) for h, m in standing]
            standing += [(h, mapped) for h in parsed.standing]
            for h, m in own:
                self._hold(pid, h, m)
            self._extract_facts(prov, mapped)
        self._distribute_section_holders(parsed_by_id)
        self._cover_preceding_items(parsed_by_id)

    def _heading_line(self, raw: structure.RawProvision, mapped: MappedText) -> int:
        """The length of a heading printed on a line of its own, else 0.

        A short first line without closing punctuation, with more lines after it, is a heading
        (三、工作要求); a line that is a holder's name (（一）市教育局, then 负责…) is not.
        """
        if len(raw.lines) < 2:
            return 0
        first = raw.lines[0]
        line = clean(self.text, first.start + first.content_offset, first.end).text
        words = _heading_of(raw.kind, line).strip()
        if not words or len(line) > _HEADING_MAX or line.rstrip().endswith(_CLOSING) or len(line) >= len(mapped.text) \
                or _SENTENCE_MARK.search(line):
            return 0
        if self.registry.resolve(words) is not None or mapped.text[len(line):].lstrip().startswith(_CLOSING):
            return 0
        return len(line)

    def _distribute_section_holders(self, parsed_by_id) -> None:
        """A section whose intro assigns the work (由X牵头…) covers every clause under it."""
        children: dict[str, list[Provision]] = {}
        for p in self.provisions:
            children.setdefault(p.parent_id, []).append(p)
        for p in self.provisions:
            if p.kind != "section" or p.id not in self.holders or not children.get(p.id):
                continue
            moved = self.holders.pop(p.id)
            for child in children[p.id]:
                if child.kind == "clause":
                    for entry in moved:
                        self.holders.setdefault(child.id, []).append(entry[:4] + ("section",))

    def _cover_preceding_items(self, parsed_by_id) -> None:
        """A bracket after the last of several items covers the items before it without one."""
        by_parent: dict[str, list[Provision]] = {}
        for p in self.provisions:
            if p.kind in ("item", "subitem"):   # clauses each carry their own note
                by_parent.setdefault(p.parent_id, []).append(p)
        by_id = {p.id: p for p in self.provisions}
        for siblings in by_parent.values():
            waiting: list[Provision] = []
            for p in siblings:
                parsed = parsed_by_id[p.id][0]
                if parsed.has_bracket_list:
                    bracket = [e for e in self.holders.get(p.id, []) if e[0] and e[0].source == "bracket"]
                    parent = by_id.get(p.parent_id)
                    if p is siblings[-1] and len(waiting) == len(siblings) - 1 > 0 and parent is not None \
                            and parent.id not in self.holders and bracket and self._on_own_line(bracket[0]):
                        # "1.完善预案体系 (1)… (2)… / (责任单位:…)": a note on a line of its own after the
                        # last point closes the item the points belong to, not the last point
                        self.holders[parent.id] = bracket
                        self.holders[p.id] = [e for e in self.holders[p.id] if e not in bracket]
                        if not self.holders[p.id]:
                            del self.holders[p.id]
                        waiting = []
                        continue
                    for w in waiting:
                        for entry in bracket:
                            self.holders.setdefault(w.id, []).append(entry[:4] + ("inherited",))
                    waiting = []
                elif parsed_by_id[p.id][1].text.rstrip("。；; ").endswith((")", "）", "]", "】", "〕")):
                    # an item with a note of its own that names nobody known never borrows the next
                    # item's holders (市委督查室负责 must not become the next item's 市信访局)
                    waiting = []
                elif any(_names_an_office(e[0]) for e in self.holders.get(p.id, [])):
                    waiting = []   # an item that names its own office (X会同Y…, 由X负责) ends the run
                else:
                    waiting.append(p)   # 各县(区)应当… alone does not: the next note names the offices

    def _on_own_line(self, entry) -> bool:
        """Does the note of this holder entry open its line (nothing but its bracket before it)?"""
        start = entry[3][0]
        line_start = self.text.rfind("\n", 0, start) + 1
        return self.text[line_start:start].strip() in ("", "(", "（", "〔", "[", "【")

    def _extract_facts(self, prov: Provision, mapped: MappedText) -> None:
        for number, a, b in find_citations(mapped.text):
            title = _cited_title(mapped.text, a)
            self.result.citations.append(Citation(
                stable_id("cite", prov.id, number), prov.id, number, title, self._evidence(prov.unit, mapped, a, b)))
        for t in find_targets(mapped.text):
            self.result.targets.append(Target(
                stable_id("target", prov.id, t["indicator"], t["value"], t["unit"]), prov.id, t["indicator"],
                t["value"], t["unit"], t["year"], self._evidence(prov.unit, mapped, t["start"], t["end"])))

    # -- tables -------------------------------------------------------
    def add_table(self, table: Table, annex: str = "") -> None:
        """`annex`: the attachment the table stands in (附件, 附件2), whose rows are labelled 附件/<n>."""
        by_unit: dict[str, str] = {}
        for row in table.rows:
            label = self._unique(f"{annex}/{row.unit}" if annex and row.unit.isdigit() else row.unit)
            pid = stable_id("prov", self.doc.id, label)
            by_unit[row.unit] = pid
            parent = by_unit.get(row.parent_unit, "")
            kind = "sub_item" if row.kind == "sub_item" else "table_row"
            self.provisions.append(Provision(pid, self.doc.id, label, kind, row.heading, row.text, row.span,
                                             parent, order=len(self.provisions), uncertain=tuple(row.uncertain),
                                             page=page_of(self.text, row.span[0])))
            for a in row.assignees:
                holder = Holder(a.mention, a.role, a.quote_span, "table", open_ended=a.open_ended,
                                condition=a.condition, pending=a.pending, deadline=row.deadline)
                self.holders.setdefault(pid, []).append((holder, a.mention, label, a.quote_span, "table"))
            if row.kind in ("service_item", "decision_item"):
                attrs = tuple(sorted(row.fields.items()))
                category = {"yijianshi": "一件事", "service_list": "基本养老服务",
                            "decision_list": "重大行政决策事项"}.get(table.kind, table.kind)
                self.result.service_items.append(ServiceItem(
                    stable_id("item", self.doc.id, row.unit), row.heading, pid, category, attrs))
            if row.kind == "law_article":
                art = LawArticle(stable_id("law", table.law, row.unit), table.law, row.unit,
                                 row.fields.get("法律内容", ""))
                self.result.law_articles.append(art)
                self.result.implements.append((pid, art.id))

    # -- assignments --------------------------------------------------
    def _hold(self, pid: str, holder: Holder, mapped: MappedText) -> None:
        a, b = mapped.source_span(*holder.span)
        m = holder.mention
        src = mapped.source_span(m.start, m.end)
        mention = Mention(m.printed, src[0], src[1], m.resolution)
        self.holders.setdefault(pid, []).append((holder, mention, "", (a, b), holder.source))

    def first_listed_leads(self, since: int | None) -> None:
        """Where the document says the first-listed body leads (排在第一位的为牵头单位, 下同, or in a
        closing 注), every list of it follows that, one name alone included: the first holder of a
        bracket note or a table row leads unless the list names a lead itself.  `since` is where
        it says so (None: it does not)."""
        if since is None:
            return
        for p in self.provisions:   # the whole document: the sentence may also stand in a closing note
            entries = self.holders.get(p.id, [])
            groups: dict[tuple, list[int]] = {}
            for k, (holder, mention, _, span, source) in enumerate(entries):
                if holder is not None and source in ("bracket", "table", "colon"):
                    groups.setdefault(("table",) if source == "table" else span, []).append(k)
            for members in groups.values():
                if any(entries[k][0].role == "lead" for k in members):
                    continue
                named = [k for k in members if not entries[k][1].resolution.is_vague]
                if named:
                    first = min(named, key=lambda k: entries[k][1].start)
                    holder, *rest = entries[first]
                    entries[first] = (replace(holder, role="lead"), *rest)

    def finish(self) -> None:
        units = {p.id: p.unit for p in self.provisions}
        seen = set()
        for p in self.provisions:
            for holder, mention, _, (a, b), source in self.holders.get(p.id, []):
                res = mention.resolution
                vague = res.canonical if res.is_vague else ""
                dept_id = "" if vague else self._department(mention)
                key = dept_id or "VAGUE:" + vague
                aid = stable_id("asg", p.id, key, holder.role, holder.condition)
                if aid in seen:
                    continue
                seen.add(aid)
                self.result.assignments.append(Assignment(
                    aid, p.id, dept_id, holder.role, _evidence(self.text, self.doc.id, units[p.id], a, b),
                    printed_name=mention.printed, vague=vague, open_ended=holder.open_ended,
                    condition=holder.condition, pending=holder.pending, deadline=holder.deadline,
                    deadline_date=holder.deadline_date or _date_of(holder.deadline), source=source))
                if res.how in ("fuzzy", "fragment") or (res.how == "generic" and res.uncertain):
                    self.result.review.append({
                        "doc_id": self.doc.id, "unit": units[p.id], "printed": mention.printed,
                        "resolved_as": res.canonical, "how": res.how, "suggestion": res.suggestion,
                        "span": [mention.start, mention.end]})
        self.result.provisions.extend(self.provisions)

    def _department(self, mention: Mention) -> str:
        res = mention.resolution
        dept_id = stable_id("dept", res.canonical)
        existing = next((d for d in self.result.departments if d.id == dept_id), None)
        aliases = set(existing.aliases) if existing else set()
        if mention.printed != res.canonical:
            aliases.add(structure._squash(mention.printed))
        dept = Department(dept_id, res.canonical, res.kind if res.kind != "vague" else "unknown",
                          tuple(sorted(aliases)), needs_review=res.how in ("fuzzy", "fragment"))
        if existing:
            self.result.departments[self.result.departments.index(existing)] = dept
        else:
            self.result.departments.append(dept)
        return dept_id

    # -- helpers ------------------------------------------------------
    def _unique(self, label: str) -> str:
        base, n = label, 2
        while label in self.labels:
            label, n = f"{base}#{n}", n + 1
        self.labels.add(label)
        return label

    def _evidence(self, unit: str, mapped: MappedText, a: int, b: int) -> Evidence:
        s, e = mapped.source_span(a, b)
        return _evidence(self.text, self.doc.id, unit, s, e)


def _evidence(text: str, doc_id: str, unit: str, a: int, b: int) -> Evidence:
    """The quote text[a:b] as evidence; from a PDF with its page and position."""
    page, position = place_of(text, a)
    return Evidence(doc_id, unit, (a, b), text[a:b], page, position)


def _untitled(source: str) -> str:
    """A document that prints no title is named by its file: 兰州发改委对接事项.txt → 兰州发改委对接事项."""
    return os.path.splitext(os.path.basename(source))[0] or source


def _service_list(text: str, table: Table) -> str:
    """清单 for a task table titled as a list of public services (县级政务服务事项清单): its rows are
    清单/<n> (ARCHITECTURE.md), whether or not it stands in an attachment."""
    if table.kind != "task_division":
        return ""
    before = [ln.strip() for ln in text[max(0, table.span[0] - _TITLE_REACH):table.span[0]].splitlines() if ln.strip()]
    title = before[-1] if before else ""
    return "清单" if any(w in title for w in vocab.service_list_titles()) else ""


_TITLE_REACH = 200   # characters before a table in which its title stands


def _annex_of(table: Table, annexes: list[tuple[int, str]]) -> str:
    """附件 (or 附件2 when the document has several attachments) for a task table inside one."""
    if table.kind != "task_division":
        return ""
    before = [label for start, label in annexes if start < table.span[0]]
    if not before:
        return ""
    return before[-1] if len({label for _, label in annexes}) > 1 else "附件"


def source_label(source: str, doc: Document) -> str:
    return f"{source} ({doc.label})" if doc.label else source


def _prose_mode(raw: structure.RawProvision, text: str) -> str:
    """How this provision's running sentences are read: a provision under a heading that
    says it divides duties (第四条（职责分工）, 三、部门职责) reads every sentence as an
    assignment; an article of rules outside such headings leaves its prose to the law reader."""
    node = raw
    while node is not None:
        if node.lines and any(w in _first_words(text, node) for w in vocab.duty_headings()):
            return PROSE_DUTIES
        node = node.parent
    return PROSE_NONE if raw.kind == "article" else PROSE_STRICT


def _first_words(text: str, raw: structure.RawProvision) -> str:
    """The heading of a provision: its first line up to the first full stop or colon."""
    line = raw.lines[0]
    return re.split(r"[。：:]", text[line.start:line.end], maxsplit=1)[0][:30]


def _mapped_lines(text: str, lines: list[structure.Line]) -> MappedText:
    chars, origin = [], []
    for ln in lines:
        m = clean(text, ln.start + ln.content_offset, ln.end)
        chars.append(m.text)
        origin.extend(m.origin)
    return MappedText("".join(chars), tuple(origin), text)


def _span(lines: list[structure.Line]) -> tuple[int, int]:
    return (lines[0].start, lines[-1].end) if lines else (0, 0)


def _heading_of(kind: str, text: str) -> str:
    body = re.sub(r"^(?:[(（][^)）]{1,4}[)）]|[一二三四五六七八九十]{1,4}、|\d{1,3}[.．﹒、]|第[一二三四五六七八九十百]+条)", "", text)
    head = re.split(r"[。:：]", body, maxsplit=1)[0]
    return head[:60]


def _cited_title(text: str, at: int) -> str:
    before = text[max(0, at - 120):at]
    titles = re.findall(r"《([^《》]{2,100})》", before)
    return titles[-1] if titles else ""


def _date_of(deadline: str) -> str:
    from loaders.deadlines import parse_deadline
    return parse_deadline(deadline) if deadline else ""


def gap_provisions(result: LoadResult) -> list[Provision]:
    """Leaf provisions that nobody holds, neither themselves nor through an ancestor."""
    held = {a.provision_id for a in result.assignments}
    parents = {p.parent_id for p in result.provisions}
    by_id = {p.id: p for p in result.provisions}
    gaps = []
    for p in result.provisions:
        if p.kind in _NO_GAP_KINDS or p.id in parents:
            continue
        node, covered = p, False
        while node is not None:
            if node.id in held:
                covered = True
                break
            node = by_id.get(node.parent_id)
        if not covered:
            gaps.append(p)
    return gaps
