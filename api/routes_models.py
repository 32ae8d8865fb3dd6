"""Response shapes of the API: they document the answers in the OpenAPI document
and drop internal fields (search_text, order …) from what the vocabulary returns.

The shapes of the vocabulary's answers are derived from their dataclasses
(graph/results.py rows, queries/answers.py answers), keys, types, defaults and
descriptions alike, so a key is written once; only the shapes of the service's
own replies (health, load summaries) are written here.
"""
from __future__ import annotations

import dataclasses
import typing
from typing import Any, Generic, Optional, TypeVar, Union

from pydantic import BaseModel, Field, create_model

from graph import results
from queries import answers

T = TypeVar("T")


class Page(BaseModel, Generic[T]):
    items: list[T]
    total: int = Field(description="how many items there are in all, across pages")
    limit: int
    offset: int


_MODELS: dict[type, type[BaseModel]] = {}


def model_of(row_type: type, exclude: tuple[str, ...] = (), name: str | None = None,
             **overrides: tuple[Any, Any]) -> type[BaseModel]:
    """The pydantic model of a result dataclass: its fields but `exclude`d ones, in its order,
    with their types (tuples as lists, nested results as their models), defaults and the
    description and examples of the field's metadata.  `overrides`: (type, Field) of a field
    whose JSON shape differs from the row's (a JSON string sent as an object, '' sent as null)."""
    hints = typing.get_type_hints(row_type)
    spec: dict[str, Any] = {}
    for f in dataclasses.fields(row_type):
        if f.name in exclude:
            continue
        if f.name in overrides:
            spec[f.name] = overrides[f.name]
            continue
        default = f.default if f.default is not dataclasses.MISSING else ...
        spec[f.name] = (_json_type(hints[f.name]), Field(default, **dict(f.metadata)))
    model = create_model(name or row_type.__name__, **spec)
    _MODELS.setdefault(row_type, model)
    return model


def _json_type(hint):
    """A field's type as the API sends it: tuple[X, ...] is a list, a result dataclass its model."""
    origin, args = typing.get_origin(hint), typing.get_args(hint)
    if origin is tuple:
        return list[_json_type(args[0])]
    if origin is Union:
        return Optional[_json_type(next(a for a in args if a is not type(None)))]
    if dataclasses.is_dataclass(hint):
        return _MODELS.get(hint) or model_of(hint)
    return hint


Department = model_of(results.DepartmentRow, name="Department")
DepartmentRef = model_of(results.DepartmentRef)
Holder = model_of(answers.Holder)
Answer = model_of(answers.Answer)
Target = model_of(answers.Target)
Duty = model_of(answers.Duty)


class Obligations(Page[Duty]):
    department: DepartmentRef


# The vocabulary's provision also carries what the web pages use; the API leaves those out.
Provision = model_of(answers.ProvisionAnswer, name="Provision", exclude=("doc_place", "search_text", "order"),
                     parent_id=(Optional[str], Field(description="the enclosing provision, null at the top")))
Document = model_of(results.DocumentRow, name="Document")
ServiceItem = model_of(results.ServiceItemRow, name="ServiceItem",
                       attributes=(dict[str, Any], Field(description="the row's other columns, by header")))
LawArticle = model_of(results.LawArticleRow, name="LawArticle")


class Health(BaseModel):
    status: str = Field(examples=["ok"])
    backend: str = Field(examples=["networkx"])
    reachable: bool
    counts: dict[str, int] = Field(description="nodes by label")
    message: str = ""


class LoadSummary(BaseModel):
    documents: list[DocumentRef] = Field(description="the documents the upload held, now in the store")
    provisions: int
    departments: int
    assignments: int
    review: int = Field(description="department names that need a person's review")
    warnings: list[str] = Field(default=[], description="what could not be read, e.g. a cover notice whose "
                                                       "attachment is not in the upload")
    created_nodes: int
    created_relationships: int


class DocumentRef(BaseModel):
    id: str
    number: str
    title: str


class Deleted(BaseModel):
    deleted: str = Field(description="id of the removed document")


LoadSummary.model_rebuild()
