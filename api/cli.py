"""The `dutygraph` command: a thin shell over loaders/ and queries/.

Every command takes --store (or DUTYGRAPH_STORE) and --backend, so several
corpora can live side by side.  Errors are printed as one line naming the file
and place, with exit code 2 for bad input and 1 for other failures.
"""
from __future__ import annotations

import argparse
import csv
import io
import json
import os
import sys

from api.cli_laws import add_law_parser
from api.cli_serve import add_serve_parser
from api.csv_cells import formula_safe
from api.settings import load_settings
from graph.errors import DutygraphError, InputError, NotFound, QueryError
from ontology import data_path
from queries import vocabulary as vocab
from service import Service, read_once
from service.deadline import Deadline
from service.loading import document_paths

SAMPLE = data_path("samples", "shuangyashan-gazette-2024-05.txt")
EXPORT_FIELDS = ["doc", "unit", "department", "role", "open_ended", "vague", "collective", "condition", "deadline",
                 "quote", "span"]
# Fields only some records have: the page of a record read from a PDF (jsonl only; csv keeps its columns)
OPTIONAL_EXPORT_FIELDS = ["page"]


def main(argv: list[str] | None = None) -> int:
    parser = _parser()
    args = parser.parse_args(argv)
    if not getattr(args, "command", None):
        parser.print_help()
        return 0
    settings = load_settings(store=args.store, backend=args.backend)
    try:
        return args.func(args, settings)
    except InputError as exc:
        print(f"dutygraph: {exc}", file=sys.stderr)
        return 2
    except DutygraphError as exc:
        print(f"dutygraph: {exc}", file=sys.stderr)
        return 1
    except BrokenPipeError:
        # the reader went away (| head): not an error of ours
        sys.stdout = open(os.devnull, "w")
        return 0


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="dutygraph", description="Who must do what: a duty graph of "
                                     "government departments built from Chinese policy documents.")
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--store", help="store file of the embedded backend (env DUTYGRAPH_STORE)")
    common.add_argument("--backend", choices=["sqlite", "networkx", "neo4j"],
                        help="env DUTYGRAPH_BACKEND; default sqlite (networkx: the older one-JSON-file store)")
    sub = parser.add_subparsers(dest="command")

    p = sub.add_parser("demo", parents=[common], help="load the bundled sample gazette and show answers")
    p.set_defaults(func=cmd_demo)
    p = sub.add_parser("load", parents=[common], help="load documents (UTF-8 or GB18030 text)")
    p.add_argument("files", nargs="+")
    p.add_argument("--timeout", type=float, metavar="SECONDS",
                   help="wall-clock budget of the whole load (parse, wait for the store's lock, write); past "
                        "it the parse is stopped and nothing is written.  Default: DUTYGRAPH_LOAD_TIMEOUT "
                        "(60 s) for each file given")
    p.add_argument("--batch", type=int, default=0, metavar="N",
                   help="write every N files on their own, each batch all or nothing (default: all the files "
                        "at once).  For a body of thousands of files, such as a corpus of laws: one batch is held "
                        "in memory, and no Neo4j transaction outgrows the server's memory; a failure keeps the "
                        "batches before it and says from which file to go on")
    p.set_defaults(func=cmd_load)
    p = sub.add_parser("check", parents=[common], help="coverage: assignment cues no extracted assignment "
                       "explains (nothing is written to the store)")
    p.add_argument("files", nargs="+")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_check)
    p = sub.add_parser("who", parents=[common], help="who is responsible for a topic")
    p.add_argument("topic")
    p.add_argument("--limit", type=int, default=5)
    p.add_argument("--place", help="only documents of this place and those above it (双鸭山, 上海市静安区)")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_who)
    p = sub.add_parser("duties", parents=[common], help="a department's duties (name or alias)")
    p.add_argument("department")
    p.add_argument("--role", choices=["lead", "responsible", "supporting"])
    p.add_argument("--doc", help="document number or id")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_duties)
    p = sub.add_parser("departments", parents=[common], help="departments with duty counts by role")
    p.set_defaults(func=cmd_departments)
    p = sub.add_parser("summary", parents=[common], help="what the store holds")
    p.set_defaults(func=cmd_summary)
    p = sub.add_parser("findings", parents=[common], help="overlaps, conflicts and gaps, worst first")
    _finding_filters(p)
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_findings)
    p = sub.add_parser("report", parents=[common], help="the evidence report for a legal office")
    _finding_filters(p)
    p.add_argument("--format", choices=["html", "md", "csv"], default="html")
    p.add_argument("--output", "-o", help="file to write (default: standard output)")
    p.set_defaults(func=cmd_report)
    p = sub.add_parser("review", parents=[common], help="mark a finding accepted, dismissed or resolved")
    p.add_argument("finding_id")
    p.add_argument("status", choices=["accepted", "dismissed", "resolved", "open"])
    p.add_argument("--note", default="", help="why (needed to dismiss)")
    p.add_argument("--reviewer", default="")
    p.add_argument("--rules", help="rules file laid over ontology/rules.yaml")
    p.set_defaults(func=cmd_review)
    add_serve_parser(sub, common)
    add_law_parser(sub, common)
    p = sub.add_parser("migrate", parents=[common], help="convert a JSON store (networkx backend) into a SQLite store")
    p.add_argument("old", help="the JSON store file")
    p.add_argument("new", help="the SQLite store file to create")
    p.set_defaults(func=cmd_migrate)
    p = sub.add_parser("export", parents=[common], help="export the assignments (ARCHITECTURE.md contract)")
    p.add_argument("what", choices=["assignments", "rdf"])
    p.add_argument("--format", choices=["jsonl", "csv", "turtle", "json-ld", "nt"],
                   help="assignments: jsonl (default) or csv; rdf: turtle (default), json-ld or nt")
    p.add_argument("--base", help="IRI base of the RDF export (env DUTYGRAPH_RDF_BASE)")
    p.add_argument("--output", "-o", help="file to write (default: standard output)")
    p.set_defaults(func=cmd_export)
    return parser


def _load(paths: list[str], settings, progress: bool, deadline=None, batch: int = 0) -> dict:
    with Service(settings) as service:
        return service.load_paths(paths, progress, deadline, batch)


def load_deadline(timeout: float | None, files: int, settings) -> Deadline:
    """The budget of one `dutygraph load`: --timeout, else the upload's budget for each file to load
    (a folder counts its files), so that one file has the budget it would have over HTTP."""
    if timeout is not None and timeout <= 0:
        raise QueryError(f"--timeout {timeout:g}: give a number of seconds above 0")
    seconds = timeout if timeout is not None else settings.load_timeout * max(1, files)
    return Deadline(seconds, "--timeout" if timeout is not None else "--timeout or DUTYGRAPH_LOAD_TIMEOUT",
                    work="the load", where="")


def cmd_load(args, settings) -> int:
    deadline = load_deadline(args.timeout, len(document_paths(args.files)[0]), settings)
    if args.batch < 0:
        raise QueryError(f"--batch {args.batch}: give a number of files above 0 (or 0: all at once)")
    summary = _load(args.files, settings, progress=len(args.files) > 1, deadline=deadline, batch=args.batch)
    print(_format_counts(summary))
    for warning in summary["warnings"]:
        print(f"dutygraph: warning: {warning}", file=sys.stderr)
    return 0


def cmd_check(args, settings) -> int:
    """Coverage of each file; a file that cannot be read is named on stderr and the rest still checked."""
    from loaders import coverage
    from loaders.pipeline import load_text
    from loaders.reading import read_document_file
    reports, failed = [], []
    for path in args.files:
        try:
            if os.path.isdir(path):
                raise InputError(path, "this is a folder, not a file",
                                 hint=f"Give its files: dutygraph check {path}/*.txt")
            text = read_document_file(path)
        except InputError as exc:
            print(f"dutygraph: {exc}", file=sys.stderr)
            failed.append(path)
            continue
        reports.append(coverage.check(text, load_text(text, os.path.basename(path)), path))
    total, explained = sum(len(r.cues) for r in reports), sum(r.explained for r in reports)
    if args.json:
        print(json.dumps({"cues": total, "explained": explained, "not_read": failed, "files": [
            {"file": r.file, "cues": len(r.cues), "explained": r.explained,
             "unexplained": [c.as_dict() for c in r.unexplained]} for r in reports]}, ensure_ascii=False, indent=1))
    else:
        for r in reports:
            for c in r.unexplained:
                print(f"{c.file}:{c.line}:{c.col} {c.cue} [{c.kind}] {coverage.excerpt(c)}")
        print(coverage.summary_line(total, explained) + (f"; {len(failed)} files not read" if failed else ""))
    return 2 if failed else 0   # bad input, as for `load`, after reporting on the rest


def cmd_demo(args, settings) -> int:
    summary = _load([SAMPLE], settings, progress=False)
    print(f"Loaded the bundled sample into {settings.neo4j_uri if settings.backend == 'neo4j' else settings.store}")
    print(_format_counts(summary))

    def answers(backend):
        s = vocab.stats(backend)
        print(f"\nStore: {s['Document']} documents, {s['Provision']} provisions, {s['Department']} departments, "
              f"{s['Assignment']} assignments, {s['ServiceItem']} service items, {s['LawArticle']} law articles")
        for topic in ("秸秆禁烧", "食品经营许可", "老年人乘车优惠"):
            print(f"\n$ dutygraph who {topic}")
            _print_who(vocab.who(backend, topic, limit=2))
        print("\n$ dutygraph duties 市工信局 --role lead")
        _print_duties(vocab.duties(backend, "市工信局", role="lead"))
    read_once(settings, answers)
    return 0


def cmd_who(args, settings) -> int:
    hits = read_once(settings, lambda b: vocab.who(b, args.topic, args.limit, place=args.place))
    if args.json:
        print(json.dumps(hits, ensure_ascii=False, indent=1))
    else:
        _print_who(hits)
    return 0


def cmd_duties(args, settings) -> int:
    out = read_once(settings, lambda b: vocab.duties(b, args.department, role=args.role, doc=args.doc))
    if args.json:
        print(json.dumps(out, ensure_ascii=False, indent=1))
    else:
        _print_duties(out)
    return 0


def cmd_departments(args, settings) -> int:
    for d in read_once(settings, vocab.departments):
        alias = f"  (= {'、'.join(d['aliases'])})" if d["aliases"] else ""
        print(f"{d['name']:<24} {d['kind']:<11} lead {d['lead']:>3}  responsible {d['responsible']:>3}  "
              f"supporting {d['supporting']:>3}{alias}")
    return 0


def cmd_summary(args, settings) -> int:
    print(json.dumps(read_once(settings, vocab.stats), ensure_ascii=False))
    return 0


def _finding_filters(p) -> None:
    p.add_argument("--type", action="append", dest="types", help="a finding type (repeatable)")
    p.add_argument("--department", help="canonical name or alias")
    p.add_argument("--doc", help="document number, title or id")
    p.add_argument("--severity", choices=["high", "medium", "low", "info"], help="this severity and worse")
    p.add_argument("--today", help="date deadlines are judged against (default: today)")
    p.add_argument("--rules", help="rules file laid over ontology/rules.yaml")


def _filters(args) -> dict:
    return {"rules": args.rules, "today": args.today, "types": args.types, "department": args.department,
            "doc": args.doc, "severity": args.severity}


def _reviews(settings):
    from graph.review_store import ReviewStore
    return ReviewStore(settings.store)


def cmd_findings(args, settings) -> int:
    from api.report import render_table
    from queries.findings import findings
    records = read_once(settings, lambda b: findings(b, **_filters(args), stored=True))
    marks = _reviews(settings).marks()
    if args.json:
        print(json.dumps(records, ensure_ascii=False, indent=1))
    else:
        print(render_table(records, marks))
    return 0


def cmd_report(args, settings) -> int:
    from api import report
    from queries.findings import report_data
    data = read_once(settings, lambda b: report_data(b, **_filters(args)))
    marks = _reviews(settings).marks()
    if args.format == "html":
        text = report.render_html(data["findings"], data["departments"], marks, data["provisions"],
                                  calendar=data["calendar"], overlaps=data["overlaps"], today=data["today"])
    elif args.format == "md":
        text = report.render_md(data["findings"], marks, today=data["today"])
    else:
        text = report.render_csv(data["findings"], marks)
    if args.output:
        with open(args.output, "w", encoding="utf-8", newline="") as handle:
            handle.write(text)
        print(f"wrote {args.output} ({len(data['findings'])} findings)")
    else:
        sys.stdout.write(text)
    return 0


def cmd_review(args, settings) -> int:
    from queries.findings import findings
    records = read_once(settings, lambda b: findings(b, rules=args.rules))
    found = next((f for f in records if f["id"] == args.finding_id), None)
    if found is None:
        raise NotFound(f"no finding {args.finding_id!r}: list them with `dutygraph findings`")
    _reviews(settings).mark(found["id"], args.status, args.note, found["evidence_hash"], args.reviewer)
    print(f"{found['id']} marked {args.status}")
    return 0


def cmd_migrate(args, settings) -> int:
    from graph.sqlite_backend.migrate import migrate
    copied = migrate(args.old, args.new)
    print(f"copied {copied['nodes']} nodes and {copied['relationships']} relationships from {args.old} "
          f"into {args.new}; use it with --backend sqlite --store {args.new}")
    return 0


def cmd_export(args, settings) -> int:
    if args.what == "rdf":
        return _export_rdf(args, settings)
    args.format = args.format or "jsonl"
    if args.format not in ("jsonl", "csv"):
        raise QueryError("assignments are exported as jsonl or csv; use `export rdf` for linked data")
    records = read_once(settings, vocab.export_assignments)
    out = open(args.output, "w", encoding="utf-8-sig" if args.format == "csv" else "utf-8", newline="") \
        if args.output else None
    try:
        stream = out or sys.stdout
        if args.format == "jsonl":
            for r in records:
                record = {k: r[k] for k in EXPORT_FIELDS} | {k: r[k] for k in OPTIONAL_EXPORT_FIELDS if k in r}
                stream.write(json.dumps(record, ensure_ascii=False) + "\n")
        else:
            if out is None:
                stream.write("\ufeff")   # Excel needs the BOM to read UTF-8
            writer = csv.writer(stream)
            writer.writerow(EXPORT_FIELDS)
            for r in records:
                writer.writerow([_csv_cell(r[k]) for k in EXPORT_FIELDS])
    finally:
        if out:
            out.close()
    return 0


def _export_rdf(args, settings) -> int:
    from queries import rdf_export
    base = args.base or settings.rdf_base
    fmt = args.format or "turtle"
    if fmt not in ("turtle", "json-ld", "nt"):
        raise QueryError("rdf is exported as turtle, json-ld or nt")
    text = rdf_export.serialize(read_once(settings, lambda b: rdf_export.to_rdf(b, base)), fmt, base=base)
    if args.output:
        with open(args.output, "w", encoding="utf-8") as handle:
            handle.write(text)
    else:
        sys.stdout.write(text)
    return 0


def _csv_cell(value) -> str:
    """A field of an exported assignment as a CSV cell; text from documents never runs as a formula."""
    if isinstance(value, list):
        return f"{value[0]}-{value[1]}"
    if isinstance(value, bool):
        return "true" if value else "false"
    return formula_safe(value)


def _format_counts(summary: dict) -> str:
    return (f"files {summary['files']}, documents {summary['documents']}, provisions {summary['provisions']}, "
            f"departments {summary['departments']}, assignments {summary['assignments']} "
            f"(created {summary['created_nodes']} nodes, {summary['created_relationships']} relationships)"
            + (f"; {summary['review']} names to review" if summary.get("review") else ""))


def _print_who(hits: list[dict]) -> None:
    if not hits:
        print("  no provision mentions this topic")
    for h in hits:
        place = f"{h['place']} " if h.get("place") else ""
        print(f"  [{place}{h['doc_number'] or h['doc_title']} {h['unit']}] {h['heading']}  (score {h['score']:.2f})")
        for d in h["holders"]:
            name = d["department"] or f"VAGUE:{d['vague']}"
            flags = "".join([" 等" if d["open_ended"] else "", f" 条件:{d['condition']}" if d["condition"] else "",
                             " 待调整" if d["pending"] else "",
                             f" (from {d['inherited_from']})" if d["inherited_from"] else ""])
            print(f"      {d['role']:<11} {name}{flags}")
        if h["holders"]:
            print(f"      quote: {_one_line(h['holders'][0]['quote'])}")   # the first holder's own evidence


def _print_duties(out: dict) -> None:
    dept = out["department"]
    print(f"  {dept['name']} ({dept['kind']}): {out['total']} duties")
    for d in out["duties"]:
        deadline = f"  时限:{d['deadline']}" if d["deadline"] else ""
        print(f"  [{d['doc_number'] or d['doc_title']} {d['unit']}] {d['role']:<11} {d['heading']}{deadline}")
        for t in d.get("targets", []):
            print(f"      指标: {_one_line(t['quote'])}")


def _one_line(text: str, width: int = 100) -> str:
    text = " ".join(text.split())
    return text if len(text) <= width else text[:width] + "…"


if __name__ == "__main__":
    sys.exit(main())
