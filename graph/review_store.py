"""Review marks on findings, kept in a JSON file next to the store.

A reviewer marks a finding accepted, dismissed (with a note) or resolved.
Marks are keyed by the finding's stable id, so they survive reloads; each
mark keeps the evidence_hash the reviewer saw, and a dismissed or resolved
finding whose evidence has changed since is shown again ("reopened") —
the reviewer judged other evidence.  An accepted finding stays accepted
(acceptance is about the problem, not the wording) but says its evidence
changed.  The file is written by temp file, fsync and os.replace, so a crash
never leaves half a file, and each mark reads, changes and rewrites it under
the store's write lock (graph/locking.py), so marks made at once from several
processes are all kept.

>>> import tempfile, os
>>> reviews = ReviewStore(os.path.join(tempfile.mkdtemp(), "store.json"))
>>> _ = reviews.mark("finding:1", "dismissed", "intended: 分别牵头", "abc")
>>> reviews.status({"id": "finding:1", "evidence_hash": "abc"})["status"]
'dismissed'
>>> reviews.status({"id": "finding:1", "evidence_hash": "xyz"})["status"]
'reopened'
"""
from __future__ import annotations

import json
import os
from datetime import datetime, timezone

from graph import faults
from graph.files import read_json, write_atomically
from graph.errors import QueryError, StoreError
from graph.locking import store_lock

FORMAT = "dutygraph-reviews/1"
STATUSES = ("accepted", "dismissed", "resolved", "open")   # "open" clears a mark
_REOPEN_ON_CHANGE = ("dismissed", "resolved")


def reviews_path(store_path: str) -> str:
    return store_path + ".reviews.json"


class ReviewStore:
    def __init__(self, store_path: str):
        self.store_path = store_path
        self.path = reviews_path(store_path)

    def marks(self) -> dict[str, dict]:
        """Current mark of every finding that has one, by finding id."""
        return self._read()["marks"]

    def mark(self, finding_id: str, status: str, note: str = "", evidence_hash: str = "",
             reviewer: str = "") -> dict:
        """Record a mark; "open" removes it.  A dismissal needs a note saying why."""
        if status not in STATUSES:
            raise QueryError(f"review status must be one of {', '.join(STATUSES)}, not {status!r}")
        if not finding_id or not finding_id.startswith("finding:"):
            raise QueryError(f"{finding_id!r} is no finding id: copy it from `dutygraph findings`")
        if status == "dismissed" and not (note or "").strip():
            raise QueryError("a dismissal needs a note saying why the finding is not a problem")
        if status != "open" and not evidence_hash:
            raise QueryError("give the finding's evidence_hash, so that a change of evidence can reopen it")
        entry = {"status": status, "note": note or "", "evidence_hash": evidence_hash, "reviewer": reviewer,
                 "at": datetime.now(timezone.utc).replace(microsecond=0).isoformat()}
        with store_lock(self.store_path):      # read, change, rewrite: no other writer in between
            data = self._read()
            previous = data["marks"].pop(finding_id, None)
            history = (previous or {}).get("history", []) + ([_without_history(previous)] if previous else [])
            if status != "open":
                data["marks"][finding_id] = {**entry, "history": history}
            faults.reach("write")
            self._write(data)
        return entry

    def status(self, finding: dict, marks: dict | None = None) -> dict:
        """The effective review state of one finding: status, note, and whether its evidence changed."""
        marks = self.marks() if marks is None else marks
        return effective_status(finding, marks)

    # -- file -------------------------------------------------------------
    def _read(self) -> dict:
        if not os.path.exists(self.path):
            return {"format": FORMAT, "marks": {}}
        data = read_json(self.path, "review marks", "restore it from a backup or move it away to start again")
        if not isinstance(data, dict) or data.get("format") != FORMAT or not isinstance(data.get("marks"), dict):
            found = data.get("format") if isinstance(data, dict) else type(data).__name__
            raise StoreError(f"{self.path}: not a dutygraph review file (format {found!r})")
        return data

    def _write(self, data: dict) -> None:
        payload = json.dumps(data, ensure_ascii=False, sort_keys=True, indent=1)
        write_atomically(self.path, payload)


def effective_status(finding: dict, marks: dict) -> dict:
    """open | accepted | dismissed | resolved | reopened, with the mark's note."""
    mark = marks.get(finding["id"])
    if mark is None:
        return {"status": "open", "note": "", "evidence_changed": False, "mark": None}
    changed = mark.get("evidence_hash") != finding["evidence_hash"]
    status = "reopened" if changed and mark["status"] in _REOPEN_ON_CHANGE else mark["status"]
    return {"status": status, "note": mark.get("note", ""), "evidence_changed": changed, "mark": mark}


def _without_history(mark: dict) -> dict:
    return {k: v for k, v in mark.items() if k != "history"}
