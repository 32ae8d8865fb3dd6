"""Re-typeset test documents as HTML with real tables and print them to PDF.

    python tests/data/pdf/make_pdfs.py            # writes tests/data/pdf/*.pdf (the *.html it prints, untracked)

The PDFs are committed, so the tests neither need a browser nor depend on its version; this script
says how each was made.  Each source is a text document the loader already reads (tests/data/*.txt,
tests/data/real/*.txt, with hand annotation); the HTML keeps its words and turns its tables into
<table>s, merging equal neighbouring cells of a column into one cell spanning rows (rowspan), a
group row into one cell spanning the row (colspan), a cell broken over lines into one cell.  Layouts:

- `chromium`: headless Chromium's --print-to-pdf, its running header and footer (date, title, page
  x/y) on or off;
- `chromium` + `two_columns`: the body in two CSS columns under a full-width title;
- `soffice`: LibreOffice Writer's PDF export of the same HTML (Debian's libreoffice-writer-nogui);
- `doubled`: every glyph drawn twice (a text shadow), as some typesetters fake bold type;
- `scanned`: a page rendered to an image (pdftoppm) and printed back: a PDF with no text layer;
- `encrypted`: task-table-tab.pdf encrypted by qpdf with a user password.
"""
from __future__ import annotations

import html
import os
import re
import shutil
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
DATA = os.path.dirname(HERE)

STYLE = """
@page { size: A4; margin: 22mm 20mm; }
body { font-family: "Noto Serif CJK SC", serif; font-size: 12pt; line-height: 1.5; }
p.title { text-align: center; text-indent: 0; font-size: 16pt; margin: 0 0 8pt; }
p { margin: 0; text-indent: 2em; text-align: justify; }
p.flush { text-indent: 0; }
table { border-collapse: collapse; width: 100%; font-size: 10pt; margin: 6pt 0; }
td, th { border: 0.75pt solid #000; padding: 2pt 3pt; vertical-align: middle; font-weight: normal; }
thead { display: table-header-group; }
.columns { column-count: 2; column-gap: 9mm; }
"""

# Columns whose equal neighbouring cells are merged into one spanning cell: everything but the
# 序号 and the long task text, as typesetters do.
_NO_MERGE = ("序号", "具体举措", "重点任务", "任务", "工作任务")


def paragraphs_html(lines: list[str]) -> str:
    out = []
    for ln in lines:
        text = ln.strip().lstrip("\u3000")
        if not text:
            continue
        flush = re.match(r"^(附件\d*|[一二三四五六七八九十]+、|[\u4e00-\u9fff]{0,20}[：:]$)", text) or len(text) < 16
        out.append(f'<p class="{"flush" if flush else ""}">{html.escape(text)}</p>')
    return "\n".join(out)


def table_html(header: list[list[tuple[str, int, int]]], rows: list[list[str]], groups: dict[int, str],
               merge: bool = True) -> str:
    """header: rows of (text, rowspan, colspan); rows: body cells; groups: row index → group row text
    printed before that row (one cell spanning the table)."""
    width = max(len(r) for r in rows)
    names = [c[0] for c in header[0] for _ in range(c[2])] if header else []
    spans = [[1] * width for _ in rows]      # rowspan of each cell; 0: covered by the cell above
    if merge:
        for col in range(width):
            if col < len(names) and names[col] in _NO_MERGE:
                continue
            top = 0
            for i in range(1, len(rows) + 1):
                same = (i < len(rows) and i not in groups and rows[i][col] and rows[i][col] == rows[top][col])
                if same:
                    spans[top][col] += 1
                    spans[i][col] = 0
                else:
                    top = i
    head = "".join("<tr>" + "".join(
        f'<th rowspan="{rs}" colspan="{cs}">{html.escape(t)}</th>' for t, rs, cs in hrow) + "</tr>" for hrow in header)
    body = []
    for i, row in enumerate(rows):
        if i in groups:
            body.append(f'<tr><td colspan="{width}">{html.escape(groups[i])}</td></tr>')
        cells = "".join(f'<td rowspan="{spans[i][c]}">{html.escape(row[c])}</td>' if spans[i][c] > 1
                        else f"<td>{html.escape(row[c])}</td>" for c in range(width) if spans[i][c])
        body.append(f"<tr>{cells}</tr>")
    return f"<table border=\"1\" cellspacing=\"0\"><thead>{head}</thead><tbody>{''.join(body)}</tbody></table>"


# Bold faked by drawing every glyph twice, a hair apart (Chromium prints a text shadow so)
DOUBLED = "* { text-shadow: 0.4px 0 0 #000; }"


def page_html(title: str, body: str, two_columns: bool = False, doubled: bool = False) -> str:
    inner = f'<div class="columns">{body}</div>' if two_columns else body
    return (f'<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><title>{html.escape(title)}</title>'
            f'<style>{STYLE}{DOUBLED if doubled else ""}</style></head><body><p class="title">{html.escape(title)}</p>\n{inner}</body></html>')


# -- sources ------------------------------------------------------------------------------------

def prose(name: str) -> tuple[str, str]:
    """A document of one paragraph a line: title, then paragraphs."""
    lines = open(os.path.join(DATA, "real", name + ".txt"), encoding="utf-8").read().split("\n")
    return lines[0].strip(), paragraphs_html(lines[1:])


def gazette_document(number: str) -> tuple[str, str]:
    """One document of the bundled gazette (ontology/samples), a paragraph for each of its lines as
    the gazette's text has them (its pdftotext layout: broken lines, stray spaces)."""
    sys.path.insert(0, os.path.dirname(os.path.dirname(DATA)))
    from loaders import structure
    path = os.path.join(os.path.dirname(os.path.dirname(DATA)), "ontology", "samples", "shuangyashan-gazette-2024-05.txt")
    text = open(path, encoding="utf-8").read()
    raw = next(r for r in structure.split_documents(text) if r.number == number)
    lines = text[raw.start:raw.end].split("\n")
    title = lines[0].strip()
    body = "\n".join(f'<p class="flush">{html.escape(ln.strip())}</p>' for ln in lines[1:] if ln.strip())
    return title, body


def tab_table(name: str) -> tuple[str, str]:
    """tests/data/task-table-tab.txt: a TAB table with group rows and cells continued on the next line."""
    lines = open(os.path.join(DATA, name + ".txt"), encoding="utf-8").read().split("\n")
    first = next(i for i, ln in enumerate(lines) if ln.startswith("序号\t"))
    end = next((i for i in range(first + 1, len(lines)) if "\t" not in lines[i] and not
                re.match(r"^[一二三四五六七八九十]+、", lines[i])), len(lines))
    header = [[(c, 1, 1) for c in lines[first].split("\t")]]
    rows, groups = [], {}
    for ln in lines[first + 1:end]:
        cells = ln.split("\t")
        if len(cells) == 1:
            groups[len(rows)] = cells[0]
        elif cells[0].strip() == "" and rows:           # a cell continued on the next line
            rows[-1] = [a + b for a, b in zip(rows[-1], cells + [""] * (len(rows[-1]) - len(cells)))]
        else:
            rows.append(cells + [""] * (len(header[0]) - len(cells)))
    body = paragraphs_html(lines[1:first]) + table_html(header, rows, groups) + paragraphs_html(lines[end:])
    return lines[0].strip(), body


def cells_per_line(name: str, columns: int) -> tuple[str, str]:
    """A real table copied from a web page, one cell a line: title, header cells, rows of `columns` cells."""
    lines = [ln for ln in open(os.path.join(DATA, "real", name + ".txt"), encoding="utf-8").read().split("\n")]
    title = lines[0].strip()
    cells = [ln.strip() for ln in lines[1:] if ln.strip()]
    header = [[(c, 1, 1) for c in cells[:columns]]]
    body = cells[columns:]
    rows = [body[i:i + columns] for i in range(0, len(body), columns)]
    return title, table_html(header, rows, {})


def markdown_two_level(name: str) -> tuple[str, str]:
    """A task table under a two-level header (责任单位 over 牵头单位 | 配合单位), as rowspan/colspan."""
    lines = open(os.path.join(DATA, name + ".txt"), encoding="utf-8").read().split("\n")
    first = next(i for i, ln in enumerate(lines) if ln.startswith("|"))
    end = next((i for i in range(first, len(lines)) if not lines[i].startswith("|")), len(lines))
    rows = [[c.strip() for c in ln.strip().strip("|").split("|")] for ln in lines[first:end]]
    top, second, data = rows[0], rows[1], [r for r in rows[3:]]
    header_top, header_second = [], []
    col = 0
    while col < len(top):
        span = 1
        while col + span < len(top) and not top[col + span]:
            span += 1
        if span > 1:
            header_top.append((top[col], 1, span))
            header_second += [(second[c], 1, 1) for c in range(col, col + span)]
        else:
            header_top.append((top[col], 2, 1))
        col += span
    title = lines[0].strip()
    body = (paragraphs_html(lines[1:first]) + table_html([header_top, header_second], data, {}, merge=False)
            + paragraphs_html(lines[end:]))
    return title, body


# -- printing -----------------------------------------------------------------------------------

def chromium(html_path: str, pdf_path: str, header_footer: bool) -> None:
    args = ["chromium", "--headless", "--no-sandbox", "--disable-gpu", f"--print-to-pdf={pdf_path}"]
    if not header_footer:
        args.append("--no-pdf-header-footer")
    subprocess.run(args + [html_path], check=True, capture_output=True, timeout=120)


def soffice(html_path: str, pdf_path: str) -> None:
    with tempfile.TemporaryDirectory() as out:
        # Writer proper, not Writer/Web: the latter loses the first line of a title that wraps
        subprocess.run(["soffice", "--headless", "--infilter=HTML (StarWriter)", "--convert-to",
                        "pdf:writer_pdf_Export", "--outdir", out, html_path], check=True, capture_output=True, timeout=180)
        produced = os.path.join(out, os.path.splitext(os.path.basename(html_path))[0] + ".pdf")
        shutil.move(produced, pdf_path)


def scanned(pdf_path: str, source_pdf: str) -> None:
    """The first page of `source_pdf` as a picture, printed back to PDF: no text layer."""
    with tempfile.TemporaryDirectory() as tmp:
        subprocess.run(["pdftoppm", "-png", "-r", "60", "-f", "1", "-l", "1", source_pdf, os.path.join(tmp, "p")],
                       check=True)
        png = next(os.path.join(tmp, f) for f in os.listdir(tmp) if f.endswith(".png"))
        page = os.path.join(tmp, "scan.html")
        with open(page, "w", encoding="utf-8") as fh:
            fh.write(f'<!doctype html><html><body style="margin:0"><img src="{os.path.basename(png)}" '
                     f'style="width:100%"></body></html>')
        chromium(page, pdf_path, header_footer=False)


# name → (source reader, how it is printed)
FIXTURES = {
    "guangzhou-two-columns": (lambda: prose("guangzhou_rencai_jiju_2012"), "chromium", dict(two_columns=True,
                                                                                            header_footer=True)),
    "national-plain": (lambda: prose("national_gaoxiao_biyesheng_jiuye_2022"), "chromium", {}),
    "shangwu-louyu-soffice": (lambda: prose("shanghai_shangwu_louyu_2025"), "soffice", {}),
    "zhejiang-long-table": (lambda: cells_per_line("zhejiang_rengongzhineng_renwu_2026", 7), "chromium",
                            dict(header_footer=True)),
    "gazette-air-plan": (lambda: gazette_document("双政发〔2024〕6号"), "chromium", dict(header_footer=True)),
    "task-table-tab": (lambda: tab_table("task-table-tab"), "chromium", dict(header_footer=True)),
    "task-table-doubled-glyphs": (lambda: tab_table("task-table-tab"), "chromium", dict(doubled=True)),
    "task-table-two-level-soffice": (lambda: markdown_two_level("task-table-markdown-two-level"), "soffice", {}),
}


def main(names: list[str]) -> None:
    for name, (reader, how, options) in FIXTURES.items():
        if names and name not in names:
            continue
        title, body = reader()
        html_path = os.path.join(HERE, name + ".html")
        with open(html_path, "w", encoding="utf-8") as fh:
            fh.write(page_html(title, body, options.get("two_columns", False), options.get("doubled", False)))
        pdf_path = os.path.join(HERE, name + ".pdf")
        if how == "soffice":
            soffice(html_path, pdf_path)
        else:
            chromium(html_path, pdf_path, options.get("header_footer", False))
        print(f"{pdf_path}: {os.path.getsize(pdf_path)} bytes")
    if not names or "encrypted" in names:
        subprocess.run(["qpdf", "--encrypt", "secret", "owner", "256", "--", os.path.join(HERE, "task-table-tab.pdf"),
                        os.path.join(HERE, "encrypted.pdf")], check=True)
    if not names or "scanned" in names:
        scanned(os.path.join(HERE, "scanned.pdf"), os.path.join(HERE, "national-plain.pdf"))
        print(os.path.join(HERE, "scanned.pdf"))


if __name__ == "__main__":
    main(sys.argv[1:])
