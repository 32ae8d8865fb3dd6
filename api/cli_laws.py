"""`dutygraph law`: a law and its local holders (issue 13, part 5), wired into api/cli.py.

    dutygraph law 噪声污染防治法 --place 双鸭山市              # per article: the law's holders, the local ones, findings
    dutygraph law 噪声污染防治法 --article 第四十三条 --place 双鸭山市   # who holds article N locally
    dutygraph law 噪声污染防治法 --unheld --place 双鸭山市     # duties of the law no local holder takes up
    dutygraph law --department 市生态环境局                   # the articles that give a department its duties
    dutygraph law                                             # the laws loaded
"""
from __future__ import annotations

import argparse
import json

from graph.errors import QueryError
from service import read_once


def add_law_parser(sub, common: argparse.ArgumentParser) -> argparse.ArgumentParser:
    p = sub.add_parser("law", parents=[common], help="a law's articles and who holds them locally",
                       description="A law or regulation loaded beside the local documents that implement it: "
                                   "for each article with duties, the law's holders, the local holders and the "
                                   "findings. Without a law: the laws loaded.")
    p.add_argument("law", nargs="?", help="title or short title (噪声污染防治法)")
    p.add_argument("--place", help="the place whose documents are compared (双鸭山市, 上海市静安区)")
    p.add_argument("--article", help="only this article or paragraph (第四十三条, 第七十二条第二款)")
    p.add_argument("--unheld", action="store_true", help="the law's duties that no local holder takes up")
    p.add_argument("--department", help="the articles that give this department its duties (name or alias)")
    p.add_argument("--limit", type=int, default=200)
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_law)
    return p


def cmd_law(args, settings) -> int:
    from queries import law_queries         # here: the other commands need not import the law's queries
    if args.department:
        out = read_once(settings, lambda b: law_queries.articles_of_department(b, args.department, args.limit))
        return _emit(args, out, _print_department)
    if not args.law:
        return _emit(args, read_once(settings, law_queries.list_laws), _print_laws)
    if args.article:
        out = read_once(settings, lambda b: law_queries.article_holders(b, args.law, args.article, args.place))
        return _emit(args, out, _print_article)
    if args.unheld:
        out = read_once(settings, lambda b: law_queries.unheld_duties(b, args.law, args.place, args.limit))
        return _emit(args, out, _print_unheld)
    out = read_once(settings, lambda b: law_queries.law_coverage(b, args.law, args.place, args.limit))
    return _emit(args, out, _print_coverage)


def _emit(args, out, printer) -> int:
    if args.json:
        print(json.dumps(out, ensure_ascii=False, indent=1))
    else:
        printer(out)
    return 0


def _print_laws(rows: list[dict]) -> None:
    if not rows:
        raise QueryError("no law or regulation is loaded; load one with `dutygraph load law.md`")
    for r in rows:
        print(f"  {r['title']} ({r['kind']}, {r['date'] or '日期不详'}): {r['provisions']} units, "
              f"implemented by {r['implemented_by']} local provisions")


def _print_coverage(out: dict) -> None:
    law = out["law"]
    if not out["places"]:
        print(f"  《{law['title']}》: no local document implements it; name a place with --place")
    for place in out["places"]:
        print(f"  《{law['title']}》 in {place['place'] or '未定地区'}: {place['total']} articles with duties")
        for u in place["units"]:
            _print_unit(u)


def _print_article(out: dict) -> None:
    print(f"  《{out['law']['title']}》{out['article']}")
    for u in out["units"]:
        print(f"  in {u['place'] or '未定地区'}:")
        _print_unit(u)


def _print_unit(u: dict) -> None:
    flags = f"  ⚠ {', '.join(u['findings'])}" if u["findings"] else ""
    law = "、".join(dict.fromkeys(h["printed"] or h["department"] for h in u["law_holders"]))
    print(f"    {u['unit']:<12} law: {law}{flags}")
    for loc in u["local"]:
        print(f"      {loc['doc']} {loc['unit']}: {'、'.join(loc['departments']) or '(no named holder)'}")
    by_field = [f"{k}→{'、'.join(v) or '无'}" for k, v in u["departments_of_field"].items()]
    if by_field and not u["local"]:
        print(f"      by field: {'; '.join(by_field)}")


def _print_unheld(out: dict) -> None:
    for place in out["places"]:
        print(f"  《{out['law']['title']}》 in {place['place'] or '未定地区'}: {place['total']} duties without a local holder")
        for d in place["duties"]:
            why = "no local provision designates it" if d["why"] == "designated" else "no department of its field"
            print(f"    {d['unit']:<12} {d['printed'] or d['department']}  ({why})")


def _print_department(out: dict) -> None:
    dept = out["department"]
    print(f"  {dept['name']}: {out['total']} law articles give it duties")
    for a in out["articles"]:
        via = f"via {a['local']['doc']} {a['local']['unit']}" if a["via"] == "designation" else "by field"
        print(f"    《{a['law']}》{a['unit']}  {via}  ({a['place']})")
