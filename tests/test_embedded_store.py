"""The embedded store: idempotent reloads, atomic file swap, documents replaced whole."""
import csv
import json
import os

import pytest

from ontology import data_path
from api.cli import main
from api.settings import load_settings
from graph.errors import StoreError
from graph.networkx_backend import NetworkxStore
from service.service import load_files

SAMPLE = data_path("samples", "shuangyashan-gazette-2024-05.txt")


def test_loading_twice_leaves_the_store_identical(tmp_path):
    store = tmp_path / "s.json"
    first = load_files([SAMPLE], load_settings(store=str(store), backend="networkx"))
    before = store.read_bytes()
    second = load_files([SAMPLE], load_settings(store=str(store), backend="networkx"))
    assert store.read_bytes() == before
    assert first["created_nodes"] > 900 and (second["created_nodes"], second["created_relationships"]) == (0, 0)


def test_a_crash_while_saving_keeps_the_previous_file(tmp_path, monkeypatch):
    store = tmp_path / "s.json"
    load_files([SAMPLE], load_settings(store=str(store), backend="networkx"))
    before = store.read_bytes()
    s = NetworkxStore(str(store))
    s.delete_document(next(n for n, d in s.graph.nodes(data=True) if d["label"] == "Document"))

    def boom(*_):
        raise OSError("disk full")
    monkeypatch.setattr(os, "fsync", boom)
    with pytest.raises(StoreError, match="cannot write the store .*disk full.*previous version is unchanged"):
        s.save()
    assert store.read_bytes() == before
    # no temp file left behind (s.json.lock is the store's write lock, graph/locking.py: it stays)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["s.json", "s.json.lock"]


def test_delete_document_removes_what_came_from_it(tmp_path):
    store = tmp_path / "s.json"
    load_files([SAMPLE], load_settings(store=str(store), backend="networkx"))
    s = NetworkxStore(str(store))
    doc = next(n for n, d in s.graph.nodes(data=True) if d.get("number") == "双政办发〔2024〕22号")
    assert s.delete_document(doc)
    left = [d for _, d in s.graph.nodes(data=True) if d.get("doc_id") == doc]
    assert left == [] and not any(d["label"] == "LawArticle" for _, d in s.graph.nodes(data=True))


def test_export_follows_the_contract(tmp_path, capsys):
    store = str(tmp_path / "s.json")
    assert main(["load", SAMPLE, "--store", store]) == 0
    capsys.readouterr()
    assert main(["export", "assignments", "--format", "jsonl", "--store", store]) == 0
    rows = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert set(rows[0]) == {"doc", "unit", "department", "role", "open_ended", "vague", "collective", "condition",
                            "deadline", "quote", "span"}
    # Collectives are exported under their name, marked (ARCHITECTURE.md, "Holders are never dropped").
    assert {r["collective"] for r in rows if r["department"] == "各县(区)人民政府"} == {True}
    assert not any(r["collective"] for r in rows if r["department"] == "市生态环境局")
    straw = [r for r in rows if r["doc"] == "双政发〔2024〕6号" and r["unit"] == "(20)"]
    assert {r["department"] for r in straw} >= {"市生态环境局", "市农业农村局", "市发展改革委", "市气象局"}
    assert all(r["open_ended"] for r in straw if r["department"] != "各县(区)人民政府")
    gaps = [r for r in rows if r["department"] is None]
    assert ("双政办规〔2024〕2号", "(41)") in {(r["doc"], r["unit"]) for r in gaps}
    vague = [r for r in rows if r["department"] and r["department"].startswith("VAGUE:")]
    assert vague and all(r["vague"] for r in vague)
    out = tmp_path / "a.csv"
    assert main(["export", "assignments", "--format", "csv", "-o", str(out), "--store", store]) == 0
    assert out.read_bytes().startswith(b"\xef\xbb\xbf")
    with open(out, encoding="utf-8-sig", newline="") as handle:
        assert len(list(csv.reader(handle))) == len(rows) + 1


def test_who_and_duties_from_the_cli(tmp_path, capsys):
    store = str(tmp_path / "s.json")
    main(["load", SAMPLE, "--store", store])
    capsys.readouterr()
    assert main(["who", "秸秆禁烧", "--json", "--store", store]) == 0
    hits = json.loads(capsys.readouterr().out)
    assert (hits[0]["doc_number"], hits[0]["unit"]) == ("双政发〔2024〕6号", "(20)")
    assert "市生态环境局" in {h["department"] for h in hits[0]["holders"]}
    assert main(["duties", "市工信局", "--json", "--store", store]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["department"]["name"] == "市工业和信息化局"
    assert ("双政发〔2024〕5号", "(1)", "lead") in {(d["doc_number"], d["unit"], d["role"]) for d in out["duties"]}
    assert main(["duties", "不存在的局", "--store", store]) == 1
