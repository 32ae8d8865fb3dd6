"""The page shell and the small pieces every page uses: escaping, links, labels.

Every text that reaches a page goes through `esc` (html.escape, quotes too):
document text is input from outside and must never become markup.

>>> esc('<script>alert("x")</script>')
'&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;'
>>> dept_href("dept:abc")
'/ui/departments/dept%3Aabc'
>>> "<title>搜索 · 职责图谱</title>" in page("搜索", "<p>x</p>")
True
"""
from __future__ import annotations

from html import escape
from urllib.parse import quote, urlencode

from api.report import SEVERITY_ZH, STATUS_ZH, TYPE_ZH
from loaders.textmap import clean

STATIC = "/ui/static"
SITE = "职责图谱"
ROLE_ZH = {"lead": "牵头", "responsible": "负责", "supporting": "配合", "mentioned": "正文提及"}
KIND_ZH = {"government": "政府部门", "agency": "机构", "enterprise": "企业", "collective": "各级政府",
           "party": "党群组织", "judicial": "司法机关", "generic": "泛指", "unknown": "未识别"}
__all__ = ["ROLE_ZH", "KIND_ZH", "SEVERITY_ZH", "STATUS_ZH", "TYPE_ZH", "esc", "page", "dept_href",
           "doc_href", "prov_href", "law_href", "role_badge", "holder_name", "quote_html"]

_NAV = (("/", "搜索"), ("/ui/departments", "单位"), ("/ui/documents", "文件"), ("/ui/laws", "法律法规"),
        ("/ui/findings", "问题发现"))


def esc(value) -> str:
    return escape("" if value is None else str(value), quote=True)


def _path(value: str) -> str:
    # Ids hold ':' and names hold Chinese: percent-encode the path segment (and '/', which would split it).
    return quote(value, safe="")


def dept_href(dept_id: str) -> str:
    return "/ui/departments/" + _path(dept_id)


def doc_href(doc_id: str) -> str:
    return "/ui/documents/" + _path(doc_id)


def prov_href(provision_id: str) -> str:
    return "/ui/provisions/" + _path(provision_id)


def law_href(title: str, place: str | None = None, offset: int = 0) -> str:
    """A law's page; `place` and `offset` pick one place's table and its page.

    >>> law_href("中华人民共和国噪声污染防治法", "双鸭山市", 200)
    '/ui/laws/%E4%B8%AD%E5%8D%8E%E4%BA%BA%E6%B0%91%E5%85%B1%E5%92%8C%E5%9B%BD%E5%99%AA%E5%A3%B0%E6%B1%A1%E6%9F%93%E9%98%B2%E6%B2%BB%E6%B3%95?place=%E5%8F%8C%E9%B8%AD%E5%B1%B1%E5%B8%82&offset=200'
    """
    query = urlencode({k: v for k, v in (("place", place), ("offset", offset)) if v})
    return "/ui/laws/" + _path(title) + ("?" + query if query else "")


def holder_name(holder: dict) -> str:
    """A holder's printed name: the department, else the vague words it was given as (有关部门)."""
    return holder.get("department") or f"泛指:{holder.get('vague') or '未明确'}"


def quote_html(quote: str) -> str:
    """A quote as read: PDF line-break spaces inside Chinese dropped; the exact source slice in the tooltip.

    >>> quote_html("市生 态环境局牵头")
    '<q title="原文:市生 态环境局牵头">市生态环境局牵头</q>'
    """
    return f'<q title="原文:{esc(quote)}">{esc(clean(quote).text)}</q>'


def role_badge(role: str | None) -> str:
    role = role or "none"
    return f'<span class="role role-{esc(role)}">{esc(ROLE_ZH.get(role, "无"))}</span>'


def page(title: str, body: str, *, active: str = "", head: str = "", scripts: tuple[str, ...] = ()) -> str:
    """A whole HTML page: meta viewport, the one stylesheet, the navigation, `body` (already HTML)."""
    on = ' class="on"'
    nav = "".join(f'<a href="{href}"{on if label == active else ""}>{label}</a>' for href, label in _NAV)
    js = "".join(f'<script src="{STATIC}/{esc(s)}" defer></script>' for s in scripts)
    return (f'<!DOCTYPE html><html lang="zh-CN"><head><meta charset="utf-8">'
            f'<meta name="viewport" content="width=device-width, initial-scale=1">'
            f'<title>{esc(title)} · {SITE}</title><link rel="stylesheet" href="{STATIC}/app.css">{head}{js}'
            f'</head><body><header class="top"><a class="brand" href="/">{SITE}</a><nav>{nav}</nav></header>'
            f'<main>{body}</main><footer>依据政策文件原文自动识别,引文与条款编号可供核对;'
            f'结果仅供参考,以文件原文为准。</footer></body></html>')


def error_page(status: int, message: str) -> str:
    titles = {404: "没有找到", 400: "无法回答", 422: "参数有误", 503: "数据暂不可用", 504: "查询超时"}
    title = titles.get(status, "出错了")
    return page(title, f'<h1>{esc(title)}</h1><p class="error">{esc(message)}</p>'
                       f'<p><a href="/">返回搜索</a></p>')
