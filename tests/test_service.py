"""The service (service/): one way to load, delete and refresh, with the same promise on both backends.

Every test runs on the embedded store and on a real Neo4j database, through one
fixture, and asserts what service/writing.py promises: the documents of one
call are all written or none is, and the findings follow every change.
"""
from __future__ import annotations

import dataclasses
import os

import pytest

from api.settings import load_settings
from graph.backends import open_backend
from graph.errors import NotFound, PartlyLoaded, StoreError
from loaders.pipeline import load_text
from queries import vocabulary
from service import Service

PLAN = "双鸭山市人民政府关于{topic}的通知\n\n(一)加强{topic}管控。(市生态环境局牵头,市农业农村局等按职责分工负责)\n" \
       "(二)开展{topic}宣传。\n"


@pytest.fixture(params=["sqlite", "networkx", "neo4j"])
def service(request, tmp_path):
    """A Service over an empty store of each backend (Neo4j: the conftest's wiped database)."""
    store = str(tmp_path / "store.json")
    if request.param == "sqlite":
        settings = load_settings(store=str(tmp_path / "store.sqlite"), backend="sqlite")
    elif request.param == "neo4j":
        request.getfixturevalue("neo4j_driver")      # an empty database, or the conftest's skip/fail
        settings = load_settings(store=store, backend="neo4j",
                                 neo4j_uri=os.environ.get("NEO4J_URI", "bolt://127.0.0.1:7687"))
    else:
        settings = load_settings(store=store, backend="networkx")
    with Service(settings) as svc:
        yield svc


def _plan(topic: str, source: str):
    return load_text(PLAN.format(topic=topic), source)


def _numbers(service) -> list[str]:
    return [d["title"] for d in service.read(vocabulary.documents)]


def _broken(result):
    """The result with one provision made PART_OF an assignment: a relationship the schema forbids."""
    victim = result.provisions[0]
    bad = dataclasses.replace(victim, parent_id=result.assignments[0].id)
    return dataclasses.replace(result, provisions=[bad if p is victim else p for p in result.provisions])


def test_a_load_of_several_results_writes_all_or_none(service):
    good, other = _plan("秸秆禁烧", "a.txt"), _plan("扬尘治理", "b.txt")
    with pytest.raises(StoreError, match="schema does not allow"):
        service.write_loads([good, _broken(other)])
    assert _numbers(service) == []                   # the good first result was not written either
    assert service.read(vocabulary.stats)["Provision"] == 0
    service.write_loads([good, other])
    assert sorted(_numbers(service)) == sorted(d.title for r in (good, other) for d in r.documents)


def test_a_failed_load_leaves_the_previous_version_whole(service):
    first = _plan("秸秆禁烧", "a.txt")
    service.write_loads([first])
    before = service.read(vocabulary.export_assignments)
    with pytest.raises(StoreError):
        service.write_loads([_plan("扬尘治理", "b.txt"), _broken(first)])
    assert service.read(vocabulary.export_assignments) == before


def test_findings_follow_every_load_and_delete(service):
    summary = service.load_bytes(PLAN.format(topic="秸秆禁烧").encode("utf-8"), "a.txt")
    assert summary["documents"][0]["title"].endswith("秸秆禁烧的通知") and summary["assignments"] == 2
    stored = service.read(vocabulary.stats)["Finding"]
    assert stored == len(service.read(vocabulary.findings)) > 0    # (二) is held by nobody: a finding
    deleted = service.delete_document(summary["documents"][0]["id"])
    assert deleted == summary["documents"][0]["id"]
    assert service.read(vocabulary.stats)["Finding"] == 0 and _numbers(service) == []
    with pytest.raises(NotFound, match="GET /documents"):
        service.delete_document(deleted, hint="GET /documents lists them")


def test_refresh_findings_writes_them_again(service):
    service.load_bytes(PLAN.format(topic="秸秆禁烧").encode("utf-8"), "a.txt")
    expected = service.read(vocabulary.stats)["Finding"]
    store = open_backend(service.settings)           # another writer clears them, bypassing the service
    try:
        store.write_findings([], [])
        store.save()
    finally:
        store.close()
    assert service.read(vocabulary.stats)["Finding"] == 0
    service.refresh_findings()
    assert service.read(vocabulary.stats)["Finding"] == expected > 0


REGULATION = ("某市养犬管理条例\n（{date}某市人民代表大会常务委员会通过）\n"
              "第一条 为了规范养犬行为，制定本条例。\n第二条 {holder}负责本市养犬管理工作。\n")


def _regulation(date: str, holder: str, tmp_path) -> str:
    path = tmp_path / f"某市养犬管理条例({date}).md"
    path.write_text(REGULATION.format(date=date.replace("-", "年", 1).replace("-", "月") + "日", holder=holder),
                    encoding="utf-8")
    return str(path)


def _regulation_holders(service) -> tuple[list[str], list[str]]:
    docs = service.read(vocabulary.documents)
    return [d["date"] for d in docs], [r["department"] for r in service.read(vocabulary.export_assignments) if r["department"]]


def test_a_law_keeps_its_newest_version_whatever_the_order_of_loading(service, tmp_path):
    old = _regulation("2018-03-01", "公安机关", tmp_path)
    new = _regulation("2023-06-30", "城市管理部门", tmp_path)
    out = service.load_paths([new])
    assert _regulation_holders(service) == (["2023-06-30"], ["城市管理部门"]) and out["documents"] == 1
    out = service.load_paths([old])          # the older text, loaded later, leaves the newer one standing
    assert _regulation_holders(service) == (["2023-06-30"], ["城市管理部门"]) and out["documents"] == 0
    assert any("2018-03-01 not loaded" in w and "2023-06-30 (in the store) is newer" in w for w in out["warnings"])
    service.delete_document(service.read(vocabulary.documents)[0]["id"])
    out = service.load_paths([old, new])     # both in one load, the older first: the newer is kept
    assert _regulation_holders(service) == (["2023-06-30"], ["城市管理部门"]) and out["documents"] == 1


def test_a_load_in_batches_keeps_the_batches_before_a_bad_file_and_says_where_to_go_on(service, tmp_path):
    folder = tmp_path / "plans"
    folder.mkdir()
    for name, topic in (("1.txt", "秸秆禁烧"), ("2.txt", "扬尘治理"), ("4.txt", "噪声防治")):
        (folder / name).write_text(PLAN.format(topic=topic), encoding="utf-8")
    (folder / "3.txt").write_bytes(b"\x00\x01\x02binary\xff" * 40)
    with pytest.raises(PartlyLoaded, match=r"3\.txt.*the files before .*3\.txt are written \(2 of 4, in batches of 2"):
        service.load_paths([str(folder)], batch=2)
    assert sorted(_numbers(service)) == ["双鸭山市人民政府关于扬尘治理的通知", "双鸭山市人民政府关于秸秆禁烧的通知"]
    (folder / "3.txt").unlink()
    out = service.load_paths([str(folder)], batch=2)     # again, whole: the first batch reloads, nothing doubled
    assert out["files"] == 3 and out["documents"] == 3 and len(_numbers(service)) == 3
    assert service.load_paths([str(folder)], batch=1)["created_nodes"] == 0


def test_dutygraph_load_batch_reports_a_partial_load_on_stderr(tmp_path, capsys):
    from api.cli import main
    folder = tmp_path / "plans"
    folder.mkdir()
    (folder / "1.txt").write_text(PLAN.format(topic="秸秆禁烧"), encoding="utf-8")
    (folder / "2.txt").write_bytes(b"")
    store = str(tmp_path / "store.sqlite")
    assert main(["load", "--store", store, "--batch", "1", str(folder)]) == 1
    err = capsys.readouterr().err
    assert "2.txt" in err and "are written (1 of 2, in batches of 1" in err and "Traceback" not in err
    assert main(["load", "--store", store, "--batch", "-1", str(folder)]) == 1
    assert "--batch -1" in capsys.readouterr().err


def test_on_neo4j_a_findings_refresh_that_fails_after_the_write_says_the_documents_are_written(
        neo4j_driver, tmp_path, monkeypatch):
    from graph.neo4j_backend import reads
    settings = load_settings(store=str(tmp_path / "lock"), backend="neo4j",
                             neo4j_uri=os.environ.get("NEO4J_URI", "bolt://127.0.0.1:7687"))
    monkeypatch.setattr(reads, "MAX_ROWS", 1)     # a store too big for the findings' whole-store reads
    with Service(settings) as svc:
        with pytest.raises(StoreError, match="the documents are written, but the findings could not be refreshed"):
            svc.write_loads([_plan("秸秆禁烧", "a.txt")])
        monkeypatch.setattr(reads, "MAX_ROWS", 100_000)
        assert _numbers(svc) == ["双鸭山市人民政府关于秸秆禁烧的通知"]
