"""Response shapes of the API: they document the answers in the OpenAPI document
and drop internal fields (search_text, order …) from what the vocabulary returns."""
from __future__ import annotations

from typing import Any, Generic, Optional, TypeVar

from pydantic import BaseModel, Field

T = TypeVar("T")


class Page(BaseModel, Generic[T]):
    items: list[T]
    total: int = Field(description="how many items there are in all, across pages")
    limit: int
    offset: int


class Department(BaseModel):
    id: str = Field(examples=["dept:5b1f0c3a9e21"])
    name: str = Field(description="canonical name", examples=["市生态环境局"])
    kind: str = Field(examples=["government"])
    aliases: list[str] = Field(examples=[["生态环境部门"]])
    needs_review: bool = False
    lead: int = Field(description="provisions it leads (牵头)")
    responsible: int = Field(description="provisions it is responsible for (负责, 责任单位 …)")
    supporting: int = Field(description="provisions it supports (配合, 协助)")


class DepartmentRef(BaseModel):
    id: str
    name: str
    kind: str
    aliases: list[str]


class Holder(BaseModel):
    department: Optional[str] = Field(description="canonical name; null for a vague holder")
    vague: Optional[str] = Field(description="the vague phrase as printed (有关部门 …)")
    role: str = Field(examples=["lead"])
    open_ended: bool = Field(description="the list of holders ends in 等")
    condition: Optional[str] = Field(description="the sub-case this holder is for, if any")
    pending: bool = Field(description="held only after a reorganisation (待…职能调整后)")
    deadline: Optional[str]
    inherited_from: Optional[str] = Field(description="unit of the ancestor provision the holder comes from")
    quote: str = Field(description="the text that assigns the duty")
    span: list[int] = Field(description="[start, end) character offsets of the quote in the source")
    place: str = Field(description="the place whose document assigns it (上海市静安区; '' unplaced)")


class Answer(BaseModel):
    score: float
    provision_id: str
    doc_id: str
    doc_number: str
    doc_title: str
    place: str = Field(description="the place the document speaks for, with those above it")
    unit: str = Field(examples=["(20)"])
    heading: str
    text: str
    holders: list[Holder]


class Target(BaseModel):
    indicator: str = Field(description="what is measured, as printed (煤炭消费比重, PM2.5浓度 …)")
    value: str = Field(description="the figure, as printed")
    unit: str = Field(description="its unit (%, 微克/立方米, 天 …)")
    year: Optional[str] = Field(description="the year it is due, when the text gives one")
    quote: str
    span: list[int]


class Duty(BaseModel):
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
    deadline: Optional[str] = Field(description="the 完成时限 as printed")
    deadline_date: Optional[str] = Field(description="the deadline as an ISO date, when it has one")
    quote: str
    span: list[int]
    targets: list[Target] = Field(description="the targets (指标) the provision sets, each with its quote")


class Obligations(Page[Duty]):
    department: DepartmentRef


class Provision(BaseModel):
    provision_id: str
    doc_id: str
    doc_number: str
    doc_title: str
    unit: str
    kind: str
    heading: str
    text: str
    span_start: int
    span_end: int
    page: int = Field(0, description="the page of the PDF it starts on; 0 when it was not read from a PDF")
    parent_id: Optional[str] = Field(description="the enclosing provision, null at the top")
    children: list[str]
    citations: list[str] = Field(description="numbers of the documents it cites")
    holders: list[Holder]


class Document(BaseModel):
    id: str = Field(examples=["doc:a1a23e5fdcb7"])
    number: str = Field(examples=["双政发〔2024〕6号"])
    title: str
    issuer: str
    date: str
    source: str
    place: str = Field(description="the place it speaks for, with those above it (黑龙江省双鸭山市; '' unplaced)")
    kind: str = Field("", description="law | regulation | local_regulation; '' for a policy document")
    provisions: int


class ServiceItem(BaseModel):
    id: str
    name: str = Field(examples=['开办餐饮店"一件事"'])
    category: str = Field(examples=["一件事"])
    provision_id: str
    attributes: dict[str, Any] = Field(description="the row's other columns, by header")


class LawArticle(BaseModel):
    id: str
    law: str = Field(examples=["中华人民共和国噪声污染防治法"])
    label: str = Field(examples=["第七十条"])
    provision_ids: list[str]


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
