"""A short coverage-guided campaign (atheris, tests/fuzz/atheris_readers.py) over every reader.

Seeds: the bundled documents — text, a Word file, a PDF — cut to 20 KB.
libFuzzer mutates them for a fixed number of runs (deterministic: -seed=1)
and fails on any exception that is not the project's own error, or an input
that runs past its -timeout (a hang detector, not a timing: 60 s for inputs
of at most 20 KB, which parse in well under a second).
"""
from __future__ import annotations

import os
import subprocess
import sys

import pytest

HERE = os.path.dirname(os.path.abspath(__file__))
RUNS = int(os.environ.get("DUTYGRAPH_ATHERIS_RUNS", "10000"))
SEEDS = [os.path.join(HERE, "data", "division-of-duties.txt"), os.path.join(HERE, "data", "other-city-word.docx"),
         os.path.join(HERE, "data", "pdf", "task-table-two-level-soffice.pdf"),
         os.path.join(os.path.dirname(HERE), "ontology", "samples", "shuangyashan-gazette-2024-05.txt")]


def test_a_coverage_guided_campaign_finds_no_crash(tmp_path):
    pytest.importorskip("atheris", reason="atheris does not install here (pip install atheris)")
    seeds = tmp_path / "seeds"
    seeds.mkdir()
    for path in SEEDS:
        with open(path, "rb") as handle:
            (seeds / os.path.basename(path)).write_bytes(handle.read()[:20000])
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    done = subprocess.run(
        [sys.executable, os.path.join(HERE, "fuzz", "atheris_readers.py"), f"-runs={RUNS}", "-seed=1",
         "-max_len=20000", "-timeout=60", "-rss_limit_mb=3072", f"-artifact_prefix={tmp_path}/",
         str(corpus), str(seeds)],
        capture_output=True, text=True, cwd=tmp_path, env={**os.environ, "PYTHONPATH": os.path.dirname(HERE)},
        timeout=1800)
    crashes = [p.name for p in tmp_path.iterdir() if p.name.startswith(("crash-", "timeout-", "oom-"))]
    assert done.returncode == 0 and not crashes, (crashes, done.stderr[-4000:])
    assert f"Done {RUNS} runs" in done.stderr
