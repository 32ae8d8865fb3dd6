"""The typed model every loader produces and every store persists.

Plain frozen dataclasses: a loader builds them, a store writes them, a query
reads them back.  Ids are derived from content (document number or title,
unit label, canonical department name) so that loading the same text twice
yields the same ids — the basis of idempotent loads and of review marks that
survive reloads.

>>> Evidence("doc:x", "(1)", (0, 4), "abcd").quote
'abcd'
"""
from __future__ import annotations

import hashlib
from dataclasses import dataclass, field, asdict
from typing import Optional


def stable_id(prefix: str, *parts: str) -> str:
    """A short, stable id: the same parts always give the same id.

    >>> stable_id("doc", "双政发〔2024〕6号") == stable_id("doc", "双政发〔2024〕6号")
    True
    """
    digest = hashlib.sha1("\x1f".join(parts).encode("utf-8")).hexdigest()[:12]
    return f"{prefix}:{digest}"


@dataclass(frozen=True)
class Evidence:
    """Where a fact was read: document id, unit label, span in the source file, and the quote; read
    from a PDF, also the page (from 1; 0 otherwise) and the position on it of the printed line the
    quote starts in (x0, top in points from the page's top-left corner)."""
    doc_id: str
    unit: str
    span: tuple[int, int]
    quote: str
    page: int = 0
    position: tuple[float, ...] = ()


@dataclass(frozen=True)
class Gazette:
    id: str
    title: str
    issue: str = ""
    date: str = ""
    source: str = ""


@dataclass(frozen=True)
class Document:
    id: str
    number: str            # 文号, "" when the document has none
    title: str
    issuer: str = ""
    date: str = ""          # ISO date of signature when known
    addressees: tuple[str, ...] = ()
    gazette_id: str = ""
    source: str = ""        # file name the text came from
    span: tuple[int, int] = (0, 0)
    place: str = ""         # the place it speaks for, with those above it: 上海市静安区 ('' unplaced)
    kind: str = ""          # law | regulation | local_regulation; "" for a policy document

    @property
    def label(self) -> str:
        """How answers cite the document: its number, else its title."""
        return self.number or self.title


@dataclass(frozen=True)
class Provision:
    id: str
    doc_id: str
    unit: str               # label as in ARCHITECTURE.md: (14), (14).2, 19, 一件事/3, 第七十条
    kind: str               # section | clause | item | paragraph | table_row | sub_item
    heading: str
    text: str               # whitespace-normalised text of the whole unit
    span: tuple[int, int]
    parent_id: str = ""
    order: int = 0
    uncertain: tuple[str, ...] = ()   # why a table row could not be read with confidence
    page: int = 0           # the PDF page it starts on (0: not read from a PDF)


@dataclass(frozen=True)
class Department:
    id: str
    name: str               # canonical name
    kind: str               # government | agency | enterprise | collective | party | judicial | generic | unknown
    aliases: tuple[str, ...] = ()
    needs_review: bool = False


@dataclass(frozen=True)
class Assignment:
    """A department's role on a provision (an n-ary relation, so it can carry its evidence)."""
    id: str
    provision_id: str
    department_id: str      # "" for a vague assignee or for a provision with no assignee
    role: str               # lead | responsible | supporting | none
    evidence: Evidence
    printed_name: str = ""  # the name exactly as printed (alias, old name, typo …)
    vague: str = ""         # the vague phrase as printed (有关部门 …) when no department is named
    open_ended: bool = False
    condition: str = ""
    pending: bool = False
    deadline: str = ""
    deadline_date: str = ""
    source: str = "bracket"  # bracket | body | colon | standing_note | inherited | table | section | law
    # An article of a law: the government tier the holder sits at (县级以上地方人民政府), its field
    # (生态环境, today's name) and whether the law leaves the body to local designation.
    level: str = ""
    field: str = ""
    designated: bool = False


@dataclass(frozen=True)
class ServiceItem:
    id: str
    name: str
    provision_id: str
    category: str = ""      # 一件事 / 基本养老服务 / 决策事项
    attributes: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True)
class LawArticle:
    id: str
    law: str
    label: str              # 第七十条, 第七十九条第二款
    text: str = ""
    designated_locally: bool = False   # the law leaves the department to local designation


@dataclass(frozen=True)
class Target:
    id: str
    provision_id: str
    indicator: str
    value: str
    unit: str
    year: str
    evidence: Evidence


@dataclass(frozen=True)
class Citation:
    id: str
    provision_id: str
    number: str             # 国发〔2024〕3号
    title: str
    evidence: Evidence


@dataclass
class LoadResult:
    """Everything one file produced, ready for a store to write in one transaction."""
    source: str
    gazette: Optional[Gazette] = None
    documents: list[Document] = field(default_factory=list)
    provisions: list[Provision] = field(default_factory=list)
    departments: list[Department] = field(default_factory=list)
    assignments: list[Assignment] = field(default_factory=list)
    service_items: list[ServiceItem] = field(default_factory=list)
    law_articles: list[LawArticle] = field(default_factory=list)
    # (provision id, law article id) pairs: a table row implements an article
    implements: list[tuple[str, str]] = field(default_factory=list)
    targets: list[Target] = field(default_factory=list)
    citations: list[Citation] = field(default_factory=list)
    review: list[dict] = field(default_factory=list)   # fuzzy near misses for a person to check
    warnings: list[str] = field(default_factory=list)  # what the reader could not do, for the user

    def for_document(self, doc_id: str) -> "LoadResult":
        """The slice of this result that belongs to one document (what the stores replace)."""
        provs = [p for p in self.provisions if p.doc_id == doc_id]
        pids = {p.id for p in provs}
        asg = [a for a in self.assignments if a.provision_id in pids]
        dep_ids = {a.department_id for a in asg}
        arts = {art for pid, art in self.implements if pid in pids}
        return LoadResult(
            source=self.source, gazette=self.gazette,
            documents=[d for d in self.documents if d.id == doc_id],
            provisions=provs,
            departments=[d for d in self.departments if d.id in dep_ids],
            assignments=asg,
            service_items=[s for s in self.service_items if s.provision_id in pids],
            law_articles=[a for a in self.law_articles if a.id in arts],
            implements=[(p, a) for p, a in self.implements if p in pids],
            targets=[t for t in self.targets if t.provision_id in pids],
            citations=[c for c in self.citations if c.provision_id in pids],
            review=[r for r in self.review if r.get("doc_id") == doc_id],
            warnings=list(self.warnings),
        )


def as_record(obj) -> dict:
    """A dataclass as a plain dict (tuples become lists) for JSON and stores."""
    return asdict(obj)
