"""The answers of the query vocabulary: frozen dataclasses built from the rows of graph/results.py.

queries/vocabulary.py builds these from the backends' rows and hands them out
as plain data (`graph.results.as_dict`: what the CLI prints, the web pages
render and the HTTP API sends); api/routes_models.py derives the response
models from these same classes, so each key of an answer is written here once.

>>> from graph.results import HolderRow
>>> row = HolderRow(assignment_id="a:1", department_id="dept:1", department="市生态环境局",
...                 department_kind="government", role="lead", vague="", open_ended=True, condition="",
...                 pending=False, deadline="", deadline_date="", printed_name="市生态环境局", source="text",
...                 quote="市生态环境局牵头", span_start=10, span_end=18, level="", field="", designated=False,
...                 page=0, provision_id="prov:1", inherited_from="")
>>> h = Holder.of(row, "黑龙江省双鸭山市")
>>> h.department, h.vague, h.span, h.inherited_from
('市生态环境局', None, (10, 18), None)
"""
from __future__ import annotations

from typing import Optional

from graph.results import (AssignmentRow, DocumentProvision, HolderRow, ProvisionDetail, ProvisionRow, Row,
                           TargetRow, described, result)

SPAN = "[start, end) character offsets of the quote in the source"


def _span(row) -> tuple[int, ...]:
    return (row.span_start, row.span_end)


@result
class Holder(Row):
    """A holder of a provision as answers give it, with the place of the document that assigns it."""
    department: Optional[str] = described("canonical name; null for a vague holder")
    vague: Optional[str] = described("the vague phrase as printed (有关部门 …)")
    role: str = described(examples=["lead"])
    open_ended: bool = described("the list of holders ends in 等")
    condition: Optional[str] = described("the sub-case this holder is for, if any")
    pending: bool = described("held only after a reorganisation (待…职能调整后)")
    deadline: Optional[str]
    inherited_from: Optional[str] = described("unit of the ancestor provision the holder comes from")
    quote: str = described("the text that assigns the duty")
    span: tuple[int, ...] = described(SPAN)
    place: str = described("the place whose document assigns it (上海市静安区; '' unplaced)")

    @classmethod
    def of(cls, h: HolderRow, place: str) -> Holder:
        return cls(department=h.department or None, vague=h.vague or None, role=h.role,
                   open_ended=bool(h.open_ended), condition=h.condition or None, pending=bool(h.pending),
                   deadline=h.deadline or None, inherited_from=h.inherited_from or None, quote=h.quote,
                   span=_span(h), place=place)


def holders_of(rows: list[HolderRow], place: str) -> tuple[Holder, ...]:
    """A provision's holders in their canonical order (graph/results.py Assignment.sort_key)."""
    return tuple(Holder.of(h, place) for h in sorted(rows, key=lambda h: h.sort_key()))


@result
class Answer(Row):
    """A provision about a topic, with its score and its holders."""
    score: float
    provision_id: str
    doc_id: str
    doc_number: str
    doc_title: str
    place: str = described("the place the document speaks for, with those above it")
    unit: str = described(examples=["(20)"])
    heading: str
    text: str
    holders: tuple[Holder, ...]

    @classmethod
    def of(cls, score: float, c: ProvisionRow, holders: list[HolderRow]) -> Answer:
        return cls(score=score, provision_id=c.provision_id, doc_id=c.doc_id, doc_number=c.doc_number,
                   doc_title=c.doc_title, place=c.doc_place, unit=c.unit, heading=c.heading, text=c.text,
                   holders=holders_of(holders, c.doc_place))


@result
class Target(Row):
    """A target (指标) as answers give it."""
    indicator: str = described("what is measured, as printed (煤炭消费比重, PM2.5浓度 …)")
    value: str = described("the figure, as printed")
    unit: str = described("its unit (%, 微克/立方米, 天 …)")
    year: Optional[str] = described("the year it is due, when the text gives one")
    quote: str
    span: tuple[int, ...]

    @classmethod
    def of(cls, t: TargetRow) -> Target:
        return cls(indicator=t.indicator, value=t.value, unit=t.unit, year=t.year or None, quote=t.quote,
                   span=_span(t))


@result
class Duty(Row):
    """One duty of a department."""
    doc_id: str
    doc_number: str
    doc_title: str
    provision_id: str
    unit: str
    heading: str
    role: str
    open_ended: bool
    condition: Optional[str]
    pending: bool
    deadline: Optional[str] = described("the 完成时限 as printed")
    deadline_date: Optional[str] = described("the deadline as an ISO date, when it has one")
    quote: str
    span: tuple[int, ...]
    targets: tuple[Target, ...] = described("the targets (指标) the provision sets, each with its quote")

    @classmethod
    def of(cls, r: AssignmentRow, targets: tuple[Target, ...]) -> Duty:
        return cls(doc_id=r.doc_id, doc_number=r.doc_number, doc_title=r.doc_title, provision_id=r.provision_id,
                   unit=r.unit, heading=r.heading, role=r.role, open_ended=bool(r.open_ended),
                   condition=r.condition or None, pending=bool(r.pending), deadline=r.deadline or None,
                   deadline_date=r.deadline_date or None, quote=r.quote, span=_span(r), targets=targets)


@result
class ProvisionAnswer(ProvisionDetail):
    """One provision with its holders (own or inherited)."""
    holders: tuple[Holder, ...]


@result
class ReadingProvision(DocumentProvision):
    """A provision of a document read in order, with its holders."""
    holders: tuple[Holder, ...]
