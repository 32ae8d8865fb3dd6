"""PDFs made here from documents the text readers already read (tests/data/pdf/make_pdfs.py: headless
Chromium and LibreOffice, two columns, running headers and footers, merged cells, a table over page
breaks with its header repeated, a two-level header): loading the PDF gives the assignments loading the
text gives, and as many of the hand annotation's.
"""
import json
import os
import re

import pytest
from scoring import score

from api.settings import load_settings
from graph.networkx_backend import NetworkxStore

from service.service import load_files
from loaders.pdf_text import PdfText, page_of
from loaders.reading import read_document_file
from queries.vocabulary import export_assignments

DATA = os.path.join(os.path.dirname(__file__), "data")
PDFS = os.path.join(DATA, "pdf")
# PDF → the text it was typeset from (its gold annotation, where it has one, is beside it)
SOURCES = {
    "guangzhou-two-columns": "real/guangzhou_rencai_jiju_2012",          # Chromium, 2 columns, header+footer
    "national-plain": "real/national_gaoxiao_biyesheng_jiuye_2022",      # Chromium
    "shangwu-louyu-soffice": "real/shanghai_shangwu_louyu_2025",         # LibreOffice
    "zhejiang-long-table": "real/zhejiang_rengongzhineng_renwu_2026",    # 4 pages of table, rowspans, header+footer
    "task-table-tab": "task-table-tab",                                  # group rows; 1 page, header+footer
    "task-table-doubled-glyphs": "task-table-tab",                       # every glyph printed twice
    "task-table-two-level-soffice": "task-table-markdown-two-level",     # 责任单位 over 牵头单位 | 配合单位
    # one document of the bundled gazette (双政发〔2024〕6号), its lines as the gazette's text has them
    "gazette-air-plan": "../../ontology/samples/shuangyashan-gazette-2024-05",
}
MIN_F1 = 0.95


def _export(path: str, tmp_path_factory) -> list[dict]:
    store = str(tmp_path_factory.mktemp("pdf") / "store.json")
    load_files([path], load_settings(store=store, backend="networkx"))
    return export_assignments(NetworkxStore(store).reads())


def _keys(records: list[dict]) -> set[tuple]:
    return {(r["doc"], r["unit"], r["department"], r["role"]) for r in records}


@pytest.fixture(scope="module")
def exports(tmp_path_factory) -> dict[str, tuple[list[dict], list[dict]]]:
    """PDF → (its export, its text's export of the documents the PDF holds)."""
    out = {}
    for name, src in SOURCES.items():
        pdf = _export(os.path.join(PDFS, name + ".pdf"), tmp_path_factory)
        docs = {r["doc"] for r in pdf}
        out[name] = (pdf, [r for r in _export(os.path.join(DATA, src + ".txt"), tmp_path_factory) if r["doc"] in docs])
    return out


def _f1(a: set, b: set) -> float:
    return 2 * len(a & b) / (len(a) + len(b)) if a or b else 1.0


@pytest.mark.parametrize("name", sorted(SOURCES))
def test_the_pdf_gives_the_assignments_of_its_text(exports, name):
    pdf, text = exports[name]
    pdf_keys, text_keys = _keys(pdf), _keys(text)
    assert text_keys, "the source text has assignments to compare with"
    f1 = _f1(pdf_keys, text_keys)
    assert f1 >= MIN_F1, (f1, sorted(text_keys - pdf_keys)[:10], sorted(pdf_keys - text_keys)[:10])


def test_over_all_pdfs_the_f1_against_the_text_and_the_annotation(exports):
    """Micro F1 of the PDFs against their texts, and of both against the hand annotation."""
    tp = sum(len(_keys(p) & _keys(t)) for p, t in exports.values())
    size = sum(len(_keys(p)) + len(_keys(t)) for p, t in exports.values())
    assert 2 * tp / size >= 0.98
    for name, src in SOURCES.items():
        gold_path = os.path.join(DATA, src + ".gold.jsonl")
        if not os.path.exists(gold_path):
            continue
        with open(gold_path, encoding="utf-8") as handle:
            gold = [json.loads(line) for line in handle if line.strip()]
        pdf, text = exports[name]
        assert score(gold, pdf).f1 >= min(MIN_F1, score(gold, text).f1), name


def _lines(path: str) -> list[str]:
    with open(path, encoding="utf-8") as handle:
        return [ln.strip().lstrip("\u3000") for ln in handle.read().split("\n") if ln.strip()]


@pytest.mark.parametrize("name", ["guangzhou-two-columns", "national-plain", "shangwu-louyu-soffice"])
def test_paragraphs_come_back_whole_and_in_order(name):
    """Every paragraph of the source is one line of the PDF's text, in the source's order: columns read
    one after the other, lines broken by the layout joined, nothing of the running header or footer."""
    text = read_document_file(os.path.join(PDFS, name + ".pdf"))
    got = text.split("\n")
    want = _lines(os.path.join(DATA, SOURCES[name] + ".txt"))
    positions = [got.index(w) for w in want if w in got]
    assert len(positions) == len(want), [w[:30] for w in want if w not in got]
    assert positions == sorted(positions)
    assert not re.search(r"file://|\d+/\d+/\d+, \d+:\d+|^\d+/\d+$", text, re.M)


def test_a_table_over_four_pages_is_one_table_with_its_merged_cells_filled():
    text = read_document_file(os.path.join(PDFS, "zhejiang-long-table.pdf"))
    rows = [ln.split("\t") for ln in text.split("\n") if "\t" in ln]
    assert rows[0] == ["序号", "重点任务", "具体任务", "具体举措", "牵头单位", "配合单位", "完成时间"]
    assert sum(1 for r in rows if r[0] == "序号") == 1, "the header repeated on each page is read once"
    cells = _lines(os.path.join(DATA, SOURCES["zhejiang-long-table"] + ".txt"))[8:]
    source = [cells[i:i + 7] for i in range(0, len(cells), 7)]
    assert [r[0] for r in rows[1:]] == [r[0] for r in source]
    # every cell as printed, a cell merged over several rows (or cut by a page break) in each of them
    for got, want in zip(rows[1:], source):
        assert [re.sub(r"\s", "", c) for c in got] == [re.sub(r"\s", "", c) for c in want], want[0]


def test_a_two_level_header_and_group_rows_read_as_the_text_readers_expect():
    text = read_document_file(os.path.join(PDFS, "task-table-two-level-soffice.pdf"))
    assert "序号\t重点任务\t责任单位\t\t完成时限\n\t\t牵头单位\t配合单位\t\n" in text
    text = read_document_file(os.path.join(PDFS, "task-table-tab.pdf"))
    assert "\n一、优化政务服务\n1\t推进政务服务事项标准化。编制全市统一的政务服务事项清单，实现同一事项同一标准。\t" in text


def test_a_wrapped_title_is_one_line():
    text = read_document_file(os.path.join(PDFS, "task-table-tab.pdf"))
    assert text.split("\n")[0] == "临江市人民政府办公室关于印发临江市数字政府建设重点任务分工的通知"


def test_every_line_knows_its_page():
    text = read_document_file(os.path.join(PDFS, "zhejiang-long-table.pdf"))
    assert isinstance(text, PdfText)
    assert page_of(text, text.index("\n1\t")) == 1
    assert page_of(text, text.index("\n36\t")) == 4
    pages = [page_of(text, text.index(f"\n{n}\t")) for n in range(1, 37) if f"\n{n}\t" in text]
    assert pages == sorted(pages) and set(pages) == {1, 2, 3, 4}
    # a paragraph that goes on over a page break: its quote at the end is on the later page
    text = read_document_file(os.path.join(PDFS, "national-plain.pdf"))
    start = text.index("（七）加强就业指导。")
    end = text.index("按职责分工负责）", start)
    assert (page_of(text, start), page_of(text, end)) == (1, 2)


def test_the_export_names_the_page_of_each_quote(tmp_path, capsys):
    """Every record of a PDF names the page its quote stands on; a text file's records have no page."""
    from api.cli import main
    store = str(tmp_path / "s.json")
    assert main(["load", os.path.join(PDFS, "zhejiang-long-table.pdf"), "--store", store]) == 0
    capsys.readouterr()
    assert main(["export", "assignments", "--store", store]) == 0
    records = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    text = read_document_file(os.path.join(PDFS, "zhejiang-long-table.pdf"))
    assert records and all(r["page"] == page_of(text, r["span"][0]) for r in records)
    by_row = {int(r["unit"]): r["page"] for r in records if r["unit"].isdigit()}
    assert by_row[1] == 1 and by_row[max(by_row)] == 4
    assert [by_row[k] for k in sorted(by_row)] == sorted(by_row.values())
    other = str(tmp_path / "t.json")
    assert main(["load", os.path.join(DATA, "task-table-tab.txt"), "--store", other]) == 0
    capsys.readouterr()
    assert main(["export", "assignments", "--store", other]) == 0
    assert all("page" not in json.loads(line) for line in capsys.readouterr().out.splitlines())
