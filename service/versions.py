"""The version of a law a store keeps: the newest by its date, whatever the order of loading.

A law's versions share its title, and so its document id (loaders/law_pipeline.py), and a load
replaces the documents of its ids.  Loading 公司法(2018-10-26) after 公司法(2023-12-29) — or a
folder holding both, read in name order — would leave the older text standing as the law.  So a
load keeps, of each law, the newest version among those it brings and the one already stored, and
says in its warnings which version it left out and why.  A version without a date never replaces
a dated one; a version of the same date replaces the stored one (a reload).

>>> from graph.model import Document
>>> def law(date, source):
...     return LoadResult(source, documents=[Document("doc:x", "", "某法", date=date, kind="law")])
>>> kept = newest_versions([law("2018-10-26", "a.md"), law("2023-12-29", "b.md")], {})
>>> [(r.source, len(r.documents)) for r in kept]
[('a.md', 0), ('b.md', 1)]
>>> kept[0].warnings
['a.md: 某法 of 2018-10-26 not loaded: its version of 2023-12-29 (b.md) is newer']
>>> [len(r.documents) for r in newest_versions([law("2018-10-26", "a.md")], {"doc:x": "2023-12-29"})]
[0]
"""
from __future__ import annotations

from graph.model import LoadResult


def newest_versions(results: list[LoadResult], stored: dict[str, str]) -> list[LoadResult]:
    """`results` with each law that an equal or newer version outdates replaced by an empty result
    carrying a warning.  `stored`: document id → date of the laws already in the store."""
    best: dict[str, tuple[str, int]] = {doc_id: (date, -1) for doc_id, date in stored.items()}
    for i, r in enumerate(results):
        for d in _laws(r):
            if d.id not in best or _newer_or_same(d.date, best[d.id][0]):
                best[d.id] = (d.date, i)
    out = []
    for i, r in enumerate(results):
        outdated = [(d, best[d.id]) for d in _laws(r) if best[d.id][1] != i]
        if not outdated:
            out.append(r)
            continue
        d, (date, by) = outdated[0]
        where = f" ({results[by].source})" if by >= 0 else " (in the store)"
        out.append(LoadResult(r.source, warnings=[
            f"{r.source}: {d.title} of {d.date or 'no date'} not loaded: its version of {date}{where} is newer"]))
    return out


def stored_law_dates(reads, results: list[LoadResult]) -> dict[str, str]:
    """Document id → date of the stored laws that `results` would replace (no read when they hold none)."""
    ids = {d.id for r in results for d in _laws(r)}
    return {d.id: d.date or "" for d in reads.documents() if d.id in ids} if ids else {}


def _laws(result: LoadResult):
    return [d for d in result.documents if d.kind]


def _newer_or_same(date: str, than: str) -> bool:
    """ISO dates compare as text; no date is older than any date."""
    return bool(date) and date >= than or not than
