"""Optimality certificate: node potentials of the residual flow network, in exact int64 arithmetic.

The problem is a min-cost flow: every mentee sends one unit either to a mentor (arc cost -value)
or to the "unmatched" node U (cost 0); mentors pass flow to the sink t through unit slots whose
cost is 0, or the fairness penalty above the load share. A flow is optimal iff its residual
network has no negative cycle, iff there are potentials d with d[v] <= d[u] + cost(u, v) on every
residual arc. Shortest-path distances from a virtual root are such potentials; with them, a pair
left out of the candidate graph could improve the solution only if its reduced cost
``-value + d[mentee] - d[mentor]`` is negative. None negative: the solution is optimal on the
full graph.
"""

from __future__ import annotations

import numpy as np

from .lap import Slots


def potentials(
    n: int, slots: Slots, rows: np.ndarray, cols: np.ndarray, value: np.ndarray, mentor_of: np.ndarray
) -> np.ndarray:
    """Potentials for the residual network of ``mentor_of`` over pairs (rows, cols, value).

    Node ids: mentees 0..n-1, mentors n..n+m-1, U = n+m, t = n+m+1. Raises if a negative cycle
    exists, i.e. if the assignment is not optimal on these pairs (it never should be).
    """
    m = len(slots.capacity)
    u, t = n + m, n + m + 1
    used = mentor_of[rows] == cols
    matched = mentor_of >= 0
    load = np.bincount(mentor_of[matched], minlength=m)
    mentees = np.arange(n)
    has_room = np.flatnonzero(load < slots.capacity)
    busy = np.flatnonzero(load > 0)
    next_cost = np.where(load[has_room] >= slots.regular[has_room], slots.penalty, 0)
    last_cost = np.where(load[busy] > slots.regular[busy], slots.penalty, 0)
    parts = [
        # mentee -> mentor on a free pair, mentor -> mentee back along a used one
        (np.where(used, n + cols, rows), np.where(used, rows, n + cols), np.where(used, value, -value)),
        # a matched mentee may drop to U; an unmatched one sits on U and may leave it
        (np.where(matched, mentees, u), np.where(matched, u, mentees), np.zeros(n, dtype=np.int64)),
        # next free slot of a mentor, and the last used one given back
        (n + has_room, np.full(has_room.size, t), next_cost),
        (np.full(busy.size, t), n + busy, -last_cost),
        (np.array([u]), np.array([t]), np.array([0])),
    ]
    if not matched.all():
        parts.append((np.array([t]), np.array([u]), np.array([0])))
    tail = np.concatenate([p[0] for p in parts]).astype(np.int64)
    head = np.concatenate([p[1] for p in parts]).astype(np.int64)
    cost = np.concatenate([p[2] for p in parts]).astype(np.int64)
    return _bellman_ford(n + m + 2, tail, head, cost)


def _bellman_ford(size: int, tail: np.ndarray, head: np.ndarray, cost: np.ndarray) -> np.ndarray:
    # Distances from a virtual root with a 0-cost arc to every node, so all start at 0. Each
    # round relaxes only the arcs leaving nodes that improved in the previous round.
    order = np.argsort(tail, kind="stable")
    tail, head, cost = tail[order], head[order], cost[order]
    indptr = np.searchsorted(tail, np.arange(size + 1))
    d = np.zeros(size, dtype=np.int64)
    active = np.arange(size)
    for _ in range(size + 1):
        lo, hi = indptr[active], indptr[active + 1]
        lens = hi - lo
        if not lens.sum():
            return d
        arcs = np.repeat(lo - np.cumsum(lens) + lens, lens) + np.arange(lens.sum())
        cand = d[tail[arcs]] + cost[arcs]
        target = head[arcs]
        better = cand < d[target]
        if not better.any():
            return d
        new = d.copy()
        np.minimum.at(new, target[better], cand[better])
        active = np.flatnonzero(new < d)
        d = new
    raise AssertionError("negative cycle: the assignment is not optimal on its own candidate graph")
