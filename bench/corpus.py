"""A large, varied corpus made from the bundled gazette, for the load and query benchmarks.

Each copy is the sample gazette with
  * new document numbers: every 文号 line keeps its prefix and gets a number of
    its own (双政发〔2024〕4号 → 双政发〔2024〕1004号), so document, provision and
    assignment ids differ from copy to copy;
  * a gazette issue of its own (2024 第5期 (总第65期) → 2024 第3期 (总第102期));
  * its clauses shuffled: within each run of consecutive clauses (一)(二)… the
    clause bodies move while the numbers stay in place, so the clause labels are
    the same and their texts are not;
  * a few departments swapped: pairs of government departments from the registry
    (ontology/departments.yaml) trade their canonical names throughout the text.
A copy parses into as many documents as the sample and about as many provisions
and assignments.  Everything is decided by a seeded random generator: the same
seed and number of copies give the same texts.

    python bench/corpus.py --copies 100 --out /tmp/dutygraph-corpus   # writes copy-000.txt …

    >>> texts = make_corpus(sample_text(), copies=2, seed=7)
    >>> [name for name, _ in texts]
    ['copy-000.txt', 'copy-001.txt']
    >>> texts == make_corpus(sample_text(), copies=2, seed=7)
    True
"""
from __future__ import annotations

import argparse
import os
import random
import re
import sys

import yaml

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
if ROOT not in sys.path:
    sys.path.insert(0, ROOT)

from ontology import data_path  # noqa: E402
from ontology.registry import REGISTRY_PATH  # noqa: E402
from loaders.structure import DOC_NUMBER, HEADINGS  # noqa: E402

SAMPLE = data_path("samples", "shuangyashan-gazette-2024-05.txt")
# Department pairs swapped in each copy.
SWAPS_PER_COPY = 4

_CLAUSE = dict(HEADINGS)["clause"]
_SECTION = dict(HEADINGS)["section"]
_NUMBER_TAIL = re.compile(r"(\d{1,4})(\s*号\s*)$")
_ISSUE = re.compile(r"(\d{4})\s*第\s*\d+\s*期\s*[(（]\s*总第\s*\d+\s*期\s*[)）]")
# The clause number and the space after it: "(十八) "
_CLAUSE_PREFIX = re.compile(r"^\s*[(（][^)）]{1,4}[)）]\s*")


def sample_text() -> str:
    with open(SAMPLE, encoding="utf-8") as handle:
        return handle.read()


def government_departments(path: str = REGISTRY_PATH) -> list[str]:
    """Canonical names of the registry's government departments (the swappable ones)."""
    with open(path, encoding="utf-8") as handle:
        data = yaml.safe_load(handle)
    return sorted(d["name"] for d in data["departments"] if d.get("kind", "government") == "government")


def make_corpus(text: str, copies: int, seed: int = 2024) -> list[tuple[str, str]]:
    """`copies` varied copies of a gazette text, as (file name, text) pairs."""
    rng = random.Random(seed)
    departments = [d for d in government_departments() if d in text]
    return [(f"copy-{n:03d}.txt", vary(text, n, rng, departments)) for n in range(copies)]


def vary(text: str, n: int, rng: random.Random, departments: list[str]) -> str:
    """Copy number `n` of the text (see the module docstring for what changes)."""
    lines = text.split("\n")
    lines = _renumber_documents(lines, n)
    lines = _shuffle_clauses(lines, rng)
    text = "\n".join(lines)
    text = _ISSUE.sub(lambda m: f"{m.group(1)} 第{n % 12 + 1}期 (总第{100 + n}期)", text, count=1)
    return _swap_departments(text, rng, departments)


def _renumber_documents(lines: list[str], n: int) -> list[str]:
    out, j = [], 0
    for line in lines:
        if DOC_NUMBER.match(line):
            # 1000 + 10n + j stays clear of the sample's own numbers (2 … 24).
            line = _NUMBER_TAIL.sub(lambda m: f"{1000 + 10 * n + j}{m.group(2)}", line.rstrip())
            j += 1
        out.append(line)
    return out


def _shuffle_clauses(lines: list[str], rng: random.Random) -> list[str]:
    """Shuffle the bodies of each run of clauses; a run ends at a section heading or a document."""
    # Blocks: [start, end) line ranges of clauses whose end is the next clause's heading.
    # The last clause of a run (whose end is not certain: a table, a signature …) stays put.
    out = list(lines)
    run: list[tuple[int, int]] = []
    start = None

    def flush():
        if len(run) >= 2:
            bodies = [lines[a:b] for a, b in run]
            prefixes = [_CLAUSE_PREFIX.match(body[0]).group(0) for body in bodies]
            rng.shuffle(bodies)
            pos = run[0][0]
            for prefix, body in zip(prefixes, bodies):
                moved = [prefix + body[0][_CLAUSE_PREFIX.match(body[0]).end():]] + body[1:]
                out[pos:pos + len(moved)] = moved
                pos += len(moved)
        run.clear()

    for i, line in enumerate(lines):
        stripped = line.strip()
        if DOC_NUMBER.match(line) or _SECTION.match(stripped) or "\t" in line:
            flush()
            start = None
        elif _CLAUSE.match(stripped):
            if start is not None:
                run.append((start, i))
            start = i
    flush()
    return out


def _swap_departments(text: str, rng: random.Random, departments: list[str]) -> str:
    if len(departments) < 2:
        return text
    chosen = rng.sample(departments, min(2 * SWAPS_PER_COPY, len(departments) // 2 * 2))
    swap = {}
    for a, b in zip(chosen[::2], chosen[1::2]):
        swap[a], swap[b] = b, a
    # One pass over the text, longest names first, so a swapped name is never swapped back.
    pattern = re.compile("|".join(re.escape(name) for name in sorted(swap, key=len, reverse=True)))
    return pattern.sub(lambda m: swap[m.group(0)], text)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--copies", type=int, default=100)
    parser.add_argument("--seed", type=int, default=2024)
    parser.add_argument("--out", required=True, help="directory for copy-NNN.txt files")
    args = parser.parse_args(argv)
    os.makedirs(args.out, exist_ok=True)
    for name, text in make_corpus(sample_text(), args.copies, args.seed):
        with open(os.path.join(args.out, name), "w", encoding="utf-8") as handle:
            handle.write(text)
    print(f"wrote {args.copies} files to {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
