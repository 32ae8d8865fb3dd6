"""A wall-clock budget shared by every step of one piece of work (an upload or a CLI load:
read, parse, wait for the write lock, write).

>>> d = Deadline(60, "DUTYGRAPH_LOAD_TIMEOUT")
>>> 59 < d.remaining() <= 60
True
>>> Deadline(0, "DUTYGRAPH_LOAD_TIMEOUT").check("writing")
Traceback (most recent call last):
graph.errors.OutOfTime: the upload did not finish within 0s (it ran out while writing); nothing was written. Split the document, or raise DUTYGRAPH_LOAD_TIMEOUT on the server
>>> Deadline(0, "--timeout or DUTYGRAPH_LOAD_TIMEOUT", work="the load", where="").check("parsing a.txt")
Traceback (most recent call last):
graph.errors.OutOfTime: the load did not finish within 0s (it ran out while parsing a.txt); nothing was written. Split the document, or raise --timeout or DUTYGRAPH_LOAD_TIMEOUT
"""
from __future__ import annotations

import time

from graph.errors import OutOfTime


class Deadline:
    def __init__(self, seconds: float, setting: str, work: str = "the upload", where: str = "on the server"):
        self.seconds, self.setting, self.work, self.where = seconds, setting, work, where
        self._end = time.monotonic() + seconds

    def remaining(self) -> float:
        return max(0.0, self._end - time.monotonic())

    def out_of_time(self, step: str) -> OutOfTime:
        """The error that says the budget ran out at `step` and how to fix it."""
        where = f" {self.where}" if self.where else ""
        return OutOfTime(f"{self.work} did not finish within {self.seconds:g}s (it ran out while {step}); "
                         f"nothing was written. Split the document, or raise {self.setting}{where}")

    def check(self, step: str) -> None:
        """OutOfTime if the budget is spent; `step` says where the work was."""
        if self.remaining() <= 0:
            raise self.out_of_time(step)
