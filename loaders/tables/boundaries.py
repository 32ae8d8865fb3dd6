"""Where one numbered item of a table ends and the next begins.

A merged cell (the item number, its name) is printed in the vertical middle
of the rows it spans, so the line that carries the number is not the item's
first line.  Which rows go with which number is decided by dynamic
programming over the boundaries between consecutive numbers: each choice is
scored by the caller (one lead star per item, one name per item, the number
near the middle, no cell cut in two) and the cheapest split wins.  Boundaries
whose alternatives score almost the same are reported, so that the rows they
move can be marked uncertain instead of silently guessed.

>>> # 6 lines, numbers on lines 1 and 4; the cost wants items of 3 lines.
>>> split_items(6, [[1], [4]], lambda a, b, k: abs((b - a) - 3), lambda b: 0.0)
([0, 3, 6], [[]])
"""
from __future__ import annotations

from typing import Callable

# Equal scores prefer the later boundary: rows the extraction could not place
# (and so cannot count for centring) stay with the item that precedes them.
_LATER = 1e-6
NEAR = 0.5


def split_items(n: int, anchors: list[list[int]],
                item_cost: Callable[[int, int, int], float],
                cut_cost: Callable[[int], float]) -> tuple[list[int], list[list[int]]]:
    """Boundaries b0=0 < b1 < … < bK=n with anchors[k] inside [b_k, b_k+1).

    Returns the boundaries and, for each inner boundary, the other positions
    whose total cost is within NEAR of the best (empty when the choice is clear).
    """
    k_items = len(anchors)
    if k_items == 0:
        return [0, n], []
    if k_items == 1:
        return [0, n], []
    lows = [max(anchors[k - 1]) + 1 for k in range(1, k_items)]
    highs = [min(anchors[k]) for k in range(1, k_items)]
    # best[b] for the current k: cheapest split of lines [0, b) into k items.
    best = {0: (0.0, [0])}
    for k in range(1, k_items):
        nxt: dict[int, tuple[float, list[int]]] = {}
        for b in range(lows[k - 1], highs[k - 1] + 1):
            options = [(cost + item_cost(a, b, k - 1) + cut_cost(b) - _LATER * b, path)
                       for a, (cost, path) in best.items() if a < b]
            if options:
                cost, path = min(options, key=lambda o: o[0])
                nxt[b] = (cost, path + [b])
        best = nxt
    total, bounds = min(((cost + item_cost(a, n, k_items - 1), path + [n])
                         for a, (cost, path) in best.items()), key=lambda o: o[0])
    return bounds, _near(bounds, lows, highs, item_cost, cut_cost)


def _near(bounds, lows, highs, item_cost, cut_cost) -> list[list[int]]:
    """Per inner boundary: other positions almost as good, the rest held fixed."""
    result = []
    for k in range(1, len(bounds) - 1):
        a, c = bounds[k - 1], bounds[k + 1]

        def local(b, k=k, a=a, c=c):
            return item_cost(a, b, k - 1) + item_cost(b, c, k) + cut_cost(b)

        here = local(bounds[k])
        result.append([b for b in range(max(lows[k - 1], a + 1), min(highs[k - 1], c - 1) + 1)
                       if b != bounds[k] and local(b) - here < NEAR])
    return result
