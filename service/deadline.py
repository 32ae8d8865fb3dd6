"""A wall-clock budget shared by every step of one piece of work (an upload: read, parse, write).

>>> d = Deadline(60, "DUTYGRAPH_LOAD_TIMEOUT")
>>> 59 < d.remaining() <= 60
True
>>> Deadline(0, "DUTYGRAPH_LOAD_TIMEOUT").check("writing")
Traceback (most recent call last):
graph.errors.OutOfTime: the upload did not finish within 0s (it ran out while writing); nothing was written. Split the document, or raise DUTYGRAPH_LOAD_TIMEOUT on the server
"""
from __future__ import annotations

import time

from graph.errors import OutOfTime


class Deadline:
    def __init__(self, seconds: float, setting: str):
        self.seconds, self.setting = seconds, setting
        self._end = time.monotonic() + seconds

    def remaining(self) -> float:
        return max(0.0, self._end - time.monotonic())

    def out_of_time(self, step: str) -> OutOfTime:
        """The error that says the budget ran out at `step` and how to fix it."""
        return OutOfTime(f"the upload did not finish within {self.seconds:g}s (it ran out while {step}); "
                         f"nothing was written. Split the document, or raise {self.setting} on the server")

    def check(self, step: str) -> None:
        """OutOfTime if the budget is spent; `step` says where the work was."""
        if self.remaining() <= 0:
            raise self.out_of_time(step)
