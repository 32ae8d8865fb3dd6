"""The rows every backend answers with: frozen dataclasses, one per kind of row, each with its canonical order.

Every `ReadBackend` primitive (graph/seams.py) returns these types, whatever the
backend: the networkx reads build them field by field, the Cypher reads build
them from their records with `from_record` (a RETURN alias that is not a field,
or a field no alias fills, is a TypeError, not a silent key), and the API
derives its response models from them (api/routes_models.py), so each key is
written here once.  `canonical(rows)` sorts rows by their type's `sort_key`:
the order answers are given in, and the order the differential test compares.

>>> t = TargetRow(provision_id="prov:2", id="target:b", indicator="PM2.5浓度", value="26",
...               unit="微克/立方米", year="2025", quote="…", span_start=40, span_end=60)
>>> u = TargetRow.from_record({**as_dict(t), "provision_id": "prov:1"})
>>> [r.provision_id for r in canonical([t, u])]
['prov:1', 'prov:2']
"""
from __future__ import annotations

import dataclasses
import typing
from dataclasses import dataclass, field
from typing import Any, Iterable, Mapping, NamedTuple, TypeVar

from graph.schema import ROLE_ORDER

R = TypeVar("R", bound="Row")


def described(description: str = "", examples: list | None = None, **kwargs):
    """A dataclass field with the description (and examples) the API documents it by."""
    meta = {"description": description} if description else {}
    if examples is not None:
        meta["examples"] = examples
    return field(metadata=meta, **kwargs)


def result(cls):
    """The decorator of every result type: a frozen dataclass built by `Row.__init__`.

    The constructor a dataclass generates sets each of a row's ~30 fields through
    object.__setattr__ (the price of frozen): ten times the cost of a dict, on rows read by
    the hundred thousand.  `Row.__init__` fills the instance in one pass instead, with the
    same rules: keywords only, every field without a default given, no other name.
    """
    return dataclass(frozen=True, kw_only=True, init=False)(cls)


class _Spec(NamedTuple):
    names: tuple[str, ...]          # the fields, in order
    name_set: frozenset
    defaults: dict                  # of the fields that have one
    nested: tuple[str, ...]         # fields holding tuples or rows: what as_dict converts
    empty: dict                     # each field's value where a stored node has no such property


_SPECS: dict[type, _Spec] = {}


def _spec(cls: type) -> _Spec:
    spec = _SPECS.get(cls)
    if spec is None:
        fields = dataclasses.fields(cls)
        hints = typing.get_type_hints(cls)
        nested = tuple(f.name for f in fields if _holds_rows_or_tuples(hints[f.name]))
        names = tuple(f.name for f in fields)
        empty = {f.name: _EMPTY.get(hints[f.name]) for f in fields}
        spec = _SPECS[cls] = _Spec(names, frozenset(names), {f.name: f.default for f in fields
                                                             if f.default is not dataclasses.MISSING}, nested, empty)
    return spec


# A property a node lacks reads as its type's empty value, as the Cypher reads' coalesce(…, '') do.
_EMPTY = {str: "", int: 0, bool: False, float: 0.0, tuple[str, ...]: ()}


def _holds_rows_or_tuples(hint) -> bool:
    if typing.get_origin(hint) in (tuple, list):
        return True
    if isinstance(hint, type):
        return issubclass(hint, Row)
    return any(_holds_rows_or_tuples(a) for a in typing.get_args(hint))


@result
class Row:
    """Base of every result type: construction from keywords or a record, the canonical order."""

    def __init__(self, **values):
        spec = _spec(type(self))
        names, defaults = spec.names, spec.defaults
        state = self.__dict__
        if len(values) == len(names):       # the common case, every field given: one C-level pass
            try:
                state.update(zip(names, map(values.__getitem__, names)))
                return
            except KeyError:
                state.clear()
        given = 0
        for name in names:
            if name in values:
                state[name] = values[name]
                given += 1
            elif name in defaults:
                state[name] = defaults[name]
            else:
                raise TypeError(f"{type(self).__name__} needs {name!r}")
        if given != len(values):
            unknown = sorted(set(values) - set(names))
            raise TypeError(f"{type(self).__name__} has no field {', '.join(map(repr, unknown))}")

    @classmethod
    def from_record(cls: type[R], record: Mapping[str, Any]) -> R:
        """A row from a record whose keys are exactly this type's fields (a Cypher RETURN map)."""
        return cls(**record)

    @classmethod
    def from_props(cls: type[R], props: Mapping[str, Any], **given) -> R:
        """A row from a stored node's properties: each field not `given` is the property of its
        name, or its type's empty value ('', 0, False) where the node has none."""
        spec = _spec(cls)
        values = {n: props.get(n, spec.empty[n]) for n in spec.names if n not in given}
        values.update(given)
        return cls(**values)

    @classmethod
    def field_names(cls) -> tuple[str, ...]:
        return _spec(cls).names

    @classmethod
    def of(cls: type[R], *parts: Row, **values) -> R:
        """A row of this type from rows holding its fields (later parts and `values` win)."""
        merged: dict[str, Any] = {}
        for part in parts:
            merged.update(part.__dict__)
        names = _spec(cls).name_set
        if not merged.keys() <= names:      # a part with fields this type has not
            merged = {n: v for n, v in merged.items() if n in names}
        merged.update(values)
        return cls(**merged)

    def sort_key(self) -> tuple:
        return tuple(self.__dict__.values())


def canonical(rows: Iterable[R]) -> list[R]:
    """Rows in the canonical order of their type."""
    return sorted(rows, key=lambda r: r.sort_key())


def as_dict(row: Row) -> dict:
    """A row (or an answer, queries/answers.py) as JSON-ready plain data, its fields in order:
    nested rows become dicts and tuples lists, the shapes json and the web pages expect."""
    out = dict(row.__dict__)
    for name in _spec(type(row)).nested:
        out[name] = _plain(out[name])
    return out


def as_dicts(rows: Iterable[Row]) -> list[dict]:
    """Rows as plain data, for code that builds dicts of its own beside them (the findings'
    evidence, the law coverage, the RDF export)."""
    return [as_dict(r) for r in rows]


def _plain(value):
    if isinstance(value, Row):
        return as_dict(value)
    if isinstance(value, (tuple, list)):
        return [_plain(v) for v in value]
    return value


# -- provisions ---------------------------------------------------------------

@result
class ProvisionFields(Row):
    """A provision and its document: the part every provision-shaped row shares."""
    provision_id: str
    doc_id: str
    doc_number: str
    doc_title: str
    doc_place: str
    unit: str
    kind: str
    heading: str
    text: str
    search_text: str
    order: int

    def sort_key(self) -> tuple:
        return (self.doc_number or self.doc_title, self.doc_id, self.order, self.provision_id)


@result
class ProvisionRow(ProvisionFields):
    span_start: int
    span_end: int
    page: int = described("the page of the PDF it starts on; 0 when it was not read from a PDF", default=0)


@result
class DocumentProvision(ProvisionRow):
    """A provision in its document's reading order, with its parent ('' at the top)."""
    parent_id: str


@result
class ProvisionDetail(DocumentProvision):
    """One provision with its place in the tree and what it cites."""
    children: tuple[str, ...]
    citations: tuple[str, ...] = described("numbers of the documents it cites")


@result
class ImplementationRow(ProvisionRow):
    """A local provision that IMPLEMENTS a law article."""
    article_id: str
    law: str
    label: str

    def sort_key(self) -> tuple:
        return (self.provision_id, self.article_id)


# -- assignments ---------------------------------------------------------------

@result
class Assignment(Row):
    """An assignment as stored, with its department's name and kind."""
    assignment_id: str
    department_id: str
    department: str
    department_kind: str
    role: str
    vague: str
    open_ended: bool
    condition: str
    pending: bool
    deadline: str
    deadline_date: str
    printed_name: str
    source: str
    quote: str
    span_start: int
    span_end: int
    level: str
    field: str
    designated: bool
    page: int

    def sort_key(self) -> tuple:
        # Named holders before vague ones, and those added by a standing note (以下…不再列出) last.
        return (ROLE_ORDER.get(self.role, 9), self.source == "standing_note", not self.department,
                self.department or self.vague, self.condition, self.span_start, self.assignment_id)


@result
class HolderRow(Assignment):
    """A holder of a provision: its own assignment, or the nearest ancestor's (`inherited_from`: that unit)."""
    provision_id: str
    inherited_from: str

    def sort_key(self) -> tuple:
        return (self.provision_id, *super().sort_key())


@result
class AssignmentRow(ProvisionFields, Assignment):
    """An assignment with its provision and document (the span and page are the assignment's)."""

    def sort_key(self) -> tuple:
        return (self.doc_number or self.doc_title, self.order, ROLE_ORDER.get(self.role, 9), self.condition,
                self.department, self.assignment_id)


# -- departments, documents, listings -------------------------------------------------

@result
class DepartmentRef(Row):
    id: str = described(examples=["dept:5b1f0c3a9e21"])
    name: str = described("canonical name", ["市生态环境局"])
    kind: str = described(examples=["government"])
    aliases: tuple[str, ...] = described(examples=[["生态环境部门"]])

    def sort_key(self) -> tuple:
        return (self.name, self.id)


@result
class DepartmentRow(DepartmentRef):
    """A department with how many duties it holds in each role."""
    needs_review: bool = False
    lead: int = described("provisions it leads (牵头)")
    responsible: int = described("provisions it is responsible for (负责, 责任单位 …)")
    supporting: int = described("provisions it supports (配合, 协助)")

    def sort_key(self) -> tuple:
        return (-(self.lead + self.responsible + self.supporting), self.name, self.id)


@result
class PlaceDepartment(Row):
    """A named holder of a duty in a local document of one place."""
    department_id: str
    department: str
    department_kind: str
    doc_place: str


@result
class DocumentRow(Row):
    id: str = described(examples=["doc:a1a23e5fdcb7"])
    number: str = described(examples=["双政发〔2024〕6号"])
    title: str
    issuer: str
    date: str
    source: str
    place: str = described("the place it speaks for, with those above it (黑龙江省双鸭山市; '' unplaced)")
    kind: str = described("law | regulation | local_regulation; '' for a policy document", default="")
    provisions: int

    def sort_key(self) -> tuple:
        return (self.number or self.title, self.id)


@result
class ServiceItemRow(Row):
    id: str
    name: str = described(examples=['开办餐饮店"一件事"'])
    category: str = described(examples=["一件事"])
    provision_id: str
    attributes: str = described("the row's other columns, by header (one JSON object: a Neo4j property "
                                "cannot be a map)")

    def sort_key(self) -> tuple:
        return (self.category, self.provision_id, self.name, self.id)


@result
class TargetRow(Row):
    """A target (指标) a provision sets: by 2025 PM2.5 ≤ 26 微克/立方米."""
    provision_id: str
    id: str
    indicator: str
    value: str
    unit: str
    year: str
    quote: str
    span_start: int
    span_end: int

    def sort_key(self) -> tuple:
        return (self.provision_id, self.span_start, self.id)


@result
class LawArticleRow(Row):
    id: str
    law: str = described(examples=["中华人民共和国噪声污染防治法"])
    label: str = described(examples=["第七十条"])
    provision_ids: tuple[str, ...]

    def sort_key(self) -> tuple:
        return (self.law, self.label, self.id)
