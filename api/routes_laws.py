"""Read routes of laws and their local holders (issue 13, part 5): each asks queries.law_queries one
question under the query timeout and pages the answer, like api/routes_read.py."""
from __future__ import annotations

from typing import Optional

from fastapi import APIRouter, Depends, Path, Query, Request
from pydantic import BaseModel, Field

from api.http_errors import responses
from api.routes_examples import example
from api.routes_common import MAX_PAGE, Paging, read
from api.routes_models import DepartmentRef
from queries import law_queries

router = APIRouter()

_LAW = Path(description="the law's title or short title (噪声污染防治法)", examples=["噪声污染防治法"],
            min_length=1, max_length=200)
_PLACE = Query(None, max_length=60, pattern=r"^[\u4e00-\u9fff]", examples=["双鸭山市"],
               description="only this place's documents (a place of the national division table); "
                           "default: every place whose documents implement the law")


class LawSummary(BaseModel):
    id: str
    title: str = Field(examples=["中华人民共和国噪声污染防治法"])
    kind: str = Field(description="law | regulation | local_regulation", examples=["law"])
    date: str = Field(description="the version's date (last adoption or amendment)", examples=["2021-12-24"])
    provisions: int = Field(description="chapters, sections, articles, paragraphs and items")
    implemented_by: int = Field(description="local provisions that implement one of its articles")


class LawHolder(BaseModel):
    department: str = Field(description="as the law names it, without its level (VAGUE:… when no body is named)",
                            examples=["生态环境主管部门"])
    printed: str = Field(examples=["地方人民政府生态环境主管部门"])
    level: Optional[str] = Field(None, examples=["地方人民政府"])
    field: Optional[str] = Field(None, description="today's field (ontology/fields.yaml)", examples=["生态环境"])
    role: str
    designated: bool = Field(description="the law leaves the body to local designation")
    quote: str
    span: list[int]


class LocalHolder(BaseModel):
    department: Optional[str]
    vague: Optional[str]
    role: str
    condition: Optional[str]
    quote: str
    span: list[int]


class LocalProvision(BaseModel):
    doc: str = Field(examples=["双政办发〔2024〕22号"])
    unit: str
    provision_id: str
    cites: str = Field(description="the label it cites (an article or one of its paragraphs)")
    departments: list[str]
    holders: list[LocalHolder]


class LawUnit(BaseModel):
    unit: str = Field(examples=["第四十三条"])
    provision_id: str
    designated: bool
    law_holders: list[LawHolder]
    local: list[LocalProvision] = Field(description="the place's provisions that implement the unit")
    departments_of_field: dict[str, list[str]] = Field(
        description="each field the law names → the place's departments of that field")
    findings: list[str] = Field(description="the law findings raised on the unit in this place")


class PlacedUnit(LawUnit):
    place: str


class LawRef(BaseModel):
    id: str
    title: str
    kind: str
    date: str


class PlaceCoverage(BaseModel):
    place: str = Field(examples=["黑龙江省双鸭山市"])
    total: int
    units: list[LawUnit]


class Coverage(BaseModel):
    law: LawRef
    places: list[PlaceCoverage]


class ArticleHolders(BaseModel):
    law: LawRef
    article: str
    units: list[PlacedUnit]


class UnheldDuty(LawHolder):
    unit: str
    provision_id: str
    why: str = Field(description="designated (no local provision designates it) | no_department_of_field")


class PlaceUnheld(BaseModel):
    place: str
    total: int
    duties: list[UnheldDuty]


class Unheld(BaseModel):
    law: LawRef
    places: list[PlaceUnheld]


class LocalRef(BaseModel):
    doc: str
    unit: str
    provision_id: str


class DepartmentArticle(BaseModel):
    law: str
    unit: str
    provision_id: str
    place: str
    via: str = Field(description="designation (a local provision implementing it names the department) | "
                                 "field (the law names an authority of the department's field)")
    local: Optional[LocalRef]
    law_holders: list[LawHolder]
    quote: str


class DepartmentArticles(BaseModel):
    department: DepartmentRef
    total: int
    articles: list[DepartmentArticle]
    limit: int
    offset: int


_ERRORS = responses(400, 404, 422, 503, 504)

# -- examples (the bundled gazette with the noise law loaded) ---------------------------------------
_LAW_REF = {"id": "doc:f68c53aca813", "title": "中华人民共和国噪声污染防治法", "kind": "law", "date": "2021-12-24"}
_QUOTE_43 = ("因特殊需要必须连续施工作业的，应当取得地方人民政府住房和城乡建设、生态环境主管部门或者地方人民政府指定的部门的证明，"
             "并在施工现场显著位置公示或者以其他方式公告附近居民")
_HOLDER_43 = {"department": "住房和城乡建设主管部门", "printed": "地方人民政府住房和城乡建设、生态环境主管部门",
              "level": "地方人民政府", "field": "住房和城乡建设", "role": "responsible", "designated": False,
              "quote": _QUOTE_43, "span": [5632, 5723]}
_UNIT_43 = {"unit": "第四十三条", "provision_id": "prov:7ad03326a17a", "designated": True, "law_holders": [_HOLDER_43],
            "local": [{"doc": "双政办发〔2024〕22号", "unit": "第四十三条", "provision_id": "prov:6d7e0b1f2a3c",
                       "cites": "第四十三条", "departments": ["市城管局"],
                       "holders": [{"department": "市城管局", "vague": None, "role": "responsible", "condition": None,
                                    "quote": "由城管部门负责监督管理出具证明", "span": [57030, 57045]}]}],
            "departments_of_field": {"住房和城乡建设": ["市住房城乡建设局"], "生态环境": ["市生态环境局"]},
            "findings": ["law_authority_differs"]}
LAWS_EXAMPLE = [{**_LAW_REF, "provisions": 230, "implemented_by": 13}]
COVERAGE_EXAMPLE = {"law": _LAW_REF, "places": [{"place": "黑龙江省双鸭山市", "total": 57, "units": [_UNIT_43]}]}
ARTICLE_EXAMPLE = {"law": _LAW_REF, "article": "第四十三条", "units": [{"place": "黑龙江省双鸭山市", **_UNIT_43}]}
UNHELD_EXAMPLE = {"law": _LAW_REF, "places": [{"place": "黑龙江省双鸭山市", "total": 1, "duties": [{
    "unit": "第八十条", "provision_id": "prov:1f0e2d3c4b5a", "why": "no_department_of_field",
    "department": "民用航空部门", "printed": "交通运输、铁路监督管理、民用航空等部门", "level": None, "field": "民用航空",
    "role": "responsible", "designated": False, "quote": "由交通运输、铁路监督管理、民用航空等部门…按照职责责令改正",
    "span": [10600, 10690]}]}]}
DEPARTMENT_EXAMPLE = {"department": {"id": "dept:b9ee332f9f80", "name": "市城管局", "kind": "government",
                                     "aliases": ["城管部门"]},
                      "total": 1, "limit": 50, "offset": 0,
                      "articles": [{"law": "中华人民共和国噪声污染防治法", "unit": "第四十三条",
                                    "provision_id": "prov:7ad03326a17a", "place": "黑龙江省双鸭山市",
                                    "via": "designation", "local": {"doc": "双政办发〔2024〕22号", "unit": "第四十三条",
                                                                    "provision_id": "prov:6d7e0b1f2a3c"},
                                    "law_holders": [_HOLDER_43], "quote": "由城管部门负责监督管理出具证明"}]}


@router.get("/laws", response_model=list[LawSummary], tags=["laws"], summary="Laws and regulations loaded",
            description="Every law, regulation and local regulation in the store, by title, with how many "
                        "local provisions implement it (at most 200).",
            responses={200: example(LAWS_EXAMPLE), **responses(422, 503, 504)})
async def list_laws(request: Request):
    return (await read(request, law_queries.list_laws))[:MAX_PAGE]


@router.get("/laws/{law}/coverage", response_model=Coverage, tags=["laws"],
            summary="A law in a place: article by article",
            description="For each unit of the law that gives duties: the law's holders, the place's provisions "
                        "implementing it and their holders, the place's departments of the fields the law names, "
                        "and the law findings (law_authority_differs …).  `limit`/`offset` page the units of "
                        "each place.", responses={200: example(COVERAGE_EXAMPLE), **_ERRORS})
async def law_coverage(request: Request, law: str = _LAW, place: Optional[str] = _PLACE,
                       paging: Paging = Depends()):
    return await read(request, lambda b: law_queries.law_coverage(b, law, place, paging.limit, paging.offset))


@router.get("/laws/{law}/articles/{article}", response_model=ArticleHolders, tags=["laws"],
            summary="Who holds an article locally",
            description="Article N (第四十三条) or one paragraph (第七十二条第二款): the law's holders and the "
                        "local holders in each place (or in `place`).",
            responses={200: example(ARTICLE_EXAMPLE), **_ERRORS})
async def article_holders(request: Request, law: str = _LAW,
                          article: str = Path(min_length=2, max_length=40, pattern=r"^第", examples=["第四十三条"]),
                          place: Optional[str] = _PLACE):
    return await read(request, lambda b: law_queries.article_holders(b, law, article, place))


@router.get("/laws/{law}/unheld", response_model=Unheld, tags=["laws"],
            summary="Duties of a law without a local holder",
            description="Designated duties no local provision designates, and named authorities of whose field "
                        "the place has no department.  `limit`/`offset` page the duties of each place.",
            responses={200: example(UNHELD_EXAMPLE), **_ERRORS})
async def unheld_duties(request: Request, law: str = _LAW, place: Optional[str] = _PLACE,
                        paging: Paging = Depends()):
    return await read(request, lambda b: law_queries.unheld_duties(b, law, place, paging.limit, paging.offset))


@router.get("/departments/{department}/law-articles", response_model=DepartmentArticles, tags=["laws"],
            summary="The law articles that give a department its duties",
            description="Through its field (the law names 生态环境主管部门; the department is 市生态环境局) and "
                        "through local designation (a local provision implementing the article names it).",
            responses={200: example(DEPARTMENT_EXAMPLE), **_ERRORS})
async def department_law_articles(request: Request,
                                  department: str = Path(min_length=1, max_length=200, examples=["市城管局"]),
                                  paging: Paging = Depends()):
    out = await read(request, lambda b: law_queries.articles_of_department(b, department, paging.limit,
                                                                           paging.offset))
    return {**out, "limit": paging.limit, "offset": paging.offset}
