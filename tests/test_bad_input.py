"""Bad files get a clear error that names the file (and the place), and the store stays whole."""
import os

import pytest

from ontology import data_path
from api.cli import main
from api.settings import load_settings
from graph.errors import InputError
from graph.backends import open_backend
from loaders.reading import decode, read_document_file

SAMPLE = data_path("samples", "shuangyashan-gazette-2024-05.txt")


def run(*args):
    return main(list(args))


def test_empty_file(tmp_path):
    f = tmp_path / "empty.txt"
    f.write_bytes(b"")
    with pytest.raises(InputError, match="empty.txt: the file is empty"):
        read_document_file(str(f))


def test_binary_file_names_the_byte(tmp_path):
    f = tmp_path / "image.png"
    f.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x01\x02binary")
    with pytest.raises(InputError, match=r"image.png: this is a binary file.*byte 8"):
        read_document_file(str(f))


PDFS = os.path.join(os.path.dirname(__file__), "data", "pdf")


def test_a_pdf_cut_short_is_named_not_a_traceback(tmp_path):
    with open(os.path.join(PDFS, "task-table-tab.pdf"), "rb") as handle:
        data = handle.read()
    f = tmp_path / "cut.pdf"
    f.write_bytes(data[: len(data) // 3])
    with pytest.raises(InputError, match=r"cut.pdf: this is not a readable PDF .*Export or save it again"):
        read_document_file(str(f))
    f.write_bytes(b"%PDF-1.7\n\x00\x01\x02binary")
    with pytest.raises(InputError, match=r"cut.pdf: this is not a readable PDF"):
        read_document_file(str(f))


def test_an_encrypted_pdf_says_so():
    # tests/data/pdf/make_pdfs.py: task-table-tab.pdf encrypted by qpdf with a user password
    with pytest.raises(InputError, match=r"encrypted.pdf: the PDF is encrypted \(it needs a password\)"):
        read_document_file(os.path.join(PDFS, "encrypted.pdf"))


def test_a_scanned_pdf_names_the_page():
    # a page printed as a picture: no text layer to read
    with pytest.raises(InputError, match=r"scanned.pdf: a scanned page: an image without a text layer "
                                         r"\(at page 1\)\. Run OCR"):
        read_document_file(os.path.join(PDFS, "scanned.pdf"))


@pytest.mark.parametrize("name", ["encrypted.pdf", "scanned.pdf"])
def test_a_bad_pdf_stores_nothing(tmp_path, capsys, name):
    store = tmp_path / "s.json"
    assert run("load", SAMPLE, "--store", str(store)) == 0
    before = store.read_bytes()
    assert run("load", SAMPLE, os.path.join(PDFS, name), "--store", str(store)) == 2
    assert name in capsys.readouterr().err
    assert store.read_bytes() == before


def test_gbk_text_is_read():
    text = "(一)加强禁烧管控。(市生态环境局牵头,市农业农村局等按职责分工负责)"
    assert decode(text.encode("gbk"), "gbk.txt") == text
    assert decode(b"\xef\xbb\xbf" + text.encode("utf-8"), "bom.txt") == text


def test_wrong_encoding_names_the_line(tmp_path):
    f = tmp_path / "latin.txt"
    f.write_bytes("第一行\n".encode("utf-8") + b"\xff\xfe\xfd\x80\x81 broken")
    with pytest.raises(InputError, match=r"latin.txt: the text is neither UTF-8 nor GB18030/GBK \(at line 2"):
        read_document_file(str(f))


def test_unrelated_text(tmp_path):
    f = tmp_path / "poem.txt"
    f.write_text("床前明月光,疑是地上霜。举头望明月,低头思故乡。" * 3, encoding="utf-8")
    with pytest.raises(InputError, match="poem.txt: no Chinese government document found"):
        read_document_file(str(f))


def test_huge_file_is_refused(tmp_path, monkeypatch):
    monkeypatch.setenv("DUTYGRAPH_MAX_BYTES", "1000")
    f = tmp_path / "huge.txt"
    f.write_text("市公安局负责。" * 500, encoding="utf-8")
    with pytest.raises(InputError, match="huge.txt: the file is .* over the limit of 1000"):
        read_document_file(str(f))


EMBEDDED = [("networkx", "s.json"), ("sqlite", "s.sqlite")]


def _stored_nodes(store, backend: str) -> list[dict]:
    """Every node of an embedded store, as {"label", "props"}."""
    s = open_backend(load_settings(store=str(store), backend=backend))
    try:
        return [{"label": d["label"], "props": d} for _, d in s.graph.nodes(data=True)]
    finally:
        s.close()


@pytest.mark.parametrize("backend,name", EMBEDDED)
def test_truncated_document_still_loads_what_is_there(tmp_path, backend, name):
    with open(SAMPLE, encoding="utf-8") as handle:
        text = handle.read()
    cut = text.index("切实保障环境空气质量。(市生") + 16   # inside the bracket of (20)
    f = tmp_path / "cut.txt"
    f.write_text(text[:cut], encoding="utf-8")
    store = tmp_path / name
    assert run("load", str(f), "--store", str(store), "--backend", backend) == 0
    assert sum(1 for n in _stored_nodes(store, backend) if n["label"] == "Document") == 3


def test_a_failed_load_leaves_the_store_byte_identical(tmp_path, capsys):
    store = tmp_path / "s.json"
    assert run("load", SAMPLE, "--store", str(store)) == 0
    before = store.read_bytes()
    bad = tmp_path / "bad.bin"
    bad.write_bytes(b"\x00" * 10)
    # a good file and a bad one in one call: nothing of either is written
    assert run("load", SAMPLE, str(bad), "--store", str(store)) == 2
    assert "bad.bin: this is a binary file" in capsys.readouterr().err
    assert store.read_bytes() == before


@pytest.mark.parametrize("backend,name", EMBEDDED)
def test_hostile_text_is_data_not_code(tmp_path, backend, name):
    hostile = ("关于测试的通知\n\n(一)测试。(市公安局'}) MATCH (n) DETACH DELETE n //牵头,"
               "市民政局\"; DROP TABLE x;--等按职责分工负责)\n")
    f = tmp_path / "hostile.txt"
    f.write_text(hostile, encoding="utf-8")
    store = tmp_path / name
    assert run("load", str(f), "--store", str(store), "--backend", backend) == 0
    assert any(n["label"] == "Provision" and "DETACH DELETE" in n["props"]["text"]
               for n in _stored_nodes(store, backend))


def test_a_folder_is_named_not_a_traceback(tmp_path, capsys):
    folder = tmp_path / "gazettes"
    folder.mkdir()
    with pytest.raises(InputError, match=r"gazettes: this is a folder, not a file"):
        read_document_file(str(folder))
    assert run("check", "--store", str(tmp_path / "s.json"), str(folder)) == 2
    assert "Traceback" not in capsys.readouterr().err


@pytest.mark.parametrize("mark", ["\ufeff", ""], ids=["with BOM", "without BOM"])
@pytest.mark.parametrize("encoding", ["utf-16-le", "utf-16-be", "utf-32-le", "utf-32-be"])
def test_utf16_and_utf32_with_or_without_a_byte_order_mark_read_as_the_utf8_file(tmp_path, encoding, mark):
    with open(SAMPLE, encoding="utf-8") as handle:
        text = handle.read()
    f = tmp_path / f"gazette-{encoding}.txt"
    f.write_bytes((mark + text.replace("\n", "\r\n")).encode(encoding))
    assert read_document_file(str(f)) == read_document_file(SAMPLE)


@pytest.mark.parametrize("data", [bytes(range(256)) * 40, b"\x00\x01" * 600, b"ELF\x02\x01\x00\x00" * 300],
                         ids=["every byte", "alternating", "ELF-like"])
def test_binary_with_zero_bytes_is_not_taken_for_bomless_utf16(tmp_path, data):
    f = tmp_path / "blob.txt"
    f.write_bytes(data)
    with pytest.raises(InputError, match=r"blob.txt: (this is a binary file|the file is full of control|no Chinese government document)"):
        read_document_file(str(f))


def test_a_byte_order_mark_over_other_bytes_names_the_byte(tmp_path):
    f = tmp_path / "odd.txt"
    f.write_bytes(b"\xff\xfe" + "市公安局".encode("utf-16-le") + b"\x00\xdc")    # a lone low surrogate
    with pytest.raises(InputError, match=r"odd.txt: the text starts with the UTF-16-LE byte order mark but is "
                                         r"not UTF-16-LE \(at byte 10\)"):
        read_document_file(str(f))


def test_a_word_file_that_unpacks_to_too_much_is_refused_before_it_is_unpacked(tmp_path, monkeypatch):
    import io as _io
    import zipfile
    monkeypatch.setenv("DUTYGRAPH_MAX_DOCX_XML_BYTES", "1000000")
    body = b'<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>' + \
        b"<w:p><w:r><w:t>" + b"a" * 2_000_000 + b"</w:t></w:r></w:p></w:body></w:document>"
    buffer = _io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("word/document.xml", body)
    f = tmp_path / "bomb.docx"
    f.write_bytes(buffer.getvalue())
    assert f.stat().st_size < 20_000
    with pytest.raises(InputError, match=r"bomb.docx: the Word file unpacks to more than 1000000 bytes of text "
                                         r"\(at word/document.xml\)"):
        read_document_file(str(f))
