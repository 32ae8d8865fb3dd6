"""Example answers for the OpenAPI document, taken from the bundled sample gazette (shortened)."""
from __future__ import annotations

_STRAW_HOLDER = {"department": "市农业农村局", "vague": None, "role": "responsible", "open_ended": True,
                 "condition": None, "pending": False, "deadline": None, "inherited_from": None,
                 "quote": "市生态环境局、市农业农村局、市发展改革委、市气象局等按职责分工负责", "span": [33434, 33469]}
_AIR_DOC = {"doc_id": "doc:a1a23e5fdcb7", "doc_number": "双政发〔2024〕6号",
            "doc_title": "双鸭山市人民政府关于印发《双鸭山市空气质量持续改善行动计划贯彻落实方案》的通知"}


def example(value) -> dict:
    """An OpenAPI `responses` entry for status 200 with this example."""
    return {"content": {"application/json": {"example": value}}}


def _page(*items) -> dict:
    return {"items": list(items), "total": len(items), "limit": 50, "offset": 0}


DEPARTMENTS = _page({"id": "dept:ebdf3605b1d1", "name": "市生态环境局", "kind": "government",
                     "aliases": ["生态环境部门"], "needs_review": False, "lead": 8, "responsible": 30,
                     "supporting": 0})

OBLIGATIONS = {"department": {"id": "dept:ebdf3605b1d1", "name": "市生态环境局", "kind": "government",
                              "aliases": ["生态环境部门"]},
               **_page({**_AIR_DOC, "provision_id": "prov:67574647ff48", "unit": "(20)",
                        "heading": "加强秸秆综合利用和禁烧管控", "role": "responsible", "open_ended": True,
                        "condition": None, "pending": False, "deadline": None, "deadline_date": None,
                        "quote": _STRAW_HOLDER["quote"], "span": _STRAW_HOLDER["span"]})}

WHO = _page({"score": 22.267684, "provision_id": "prov:67574647ff48", **_AIR_DOC, "unit": "(20)",
             "heading": "加强秸秆综合利用和禁烧管控",
             "text": "(二十)加强秸秆综合利用和禁烧管控。提高秸秆还田标准化规范化水平。…",
             "holders": [_STRAW_HOLDER]})

PROVISION = {"provision_id": "prov:67574647ff48", **_AIR_DOC, "unit": "(20)", "kind": "clause",
             "heading": "加强秸秆综合利用和禁烧管控",
             "text": "(二十)加强秸秆综合利用和禁烧管控。提高秸秆还田标准化规范化水平。…",
             "span_start": 33078, "span_end": 33470, "parent_id": "prov:cfc7b244d9ba", "children": [],
             "citations": [], "holders": [_STRAW_HOLDER]}

DOCUMENTS = _page({"id": "doc:a1a23e5fdcb7", "number": "双政发〔2024〕6号", "title": _AIR_DOC["doc_title"],
                   "issuer": "双鸭山市人民政府", "date": "2024-05-27",
                   "source": "shuangyashan-gazette-2024-05.txt", "provisions": 47})

SERVICE_ITEMS = _page({"id": "item:c40b7f44a0f4", "name": '开办餐饮店"一件事"', "category": "一件事",
                       "provision_id": "prov:c40b7f44a0f4",
                       "attributes": {"序号": "3", "名称": '开办餐饮店"一件事"',
                                      "具体事项": "企业营业执照信息核验、食品经营许可、户外招牌设施设置规范管理、"
                                                  "公众聚集场所投入使用、营业前消防安全检查"}})

LAW_ARTICLES = _page({"id": "law:6311b04744a2", "law": "中华人民共和国噪声污染防治法", "label": "第七十七条",
                      "provision_ids": ["prov:165f59e7de4b"]})

FINDINGS = _page({"rule": "gap", "severity": "warning", "doc": "双政发〔2024〕6号", "unit": "(3)",
                  "message": "no department holds this provision"})

HEALTH = {"status": "ok", "backend": "networkx", "reachable": True,
          "counts": {"Assignment": 799, "Department": 50, "Document": 7, "Provision": 393}, "message": ""}

UPLOADED = {"documents": [{"id": "doc:a1a23e5fdcb7", "number": "双政发〔2024〕6号", "title": _AIR_DOC["doc_title"]}],
            "provisions": 47, "departments": 30, "assignments": 180, "review": 0,
            "created_nodes": 260, "created_relationships": 420}
