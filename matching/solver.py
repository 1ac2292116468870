"""The exact optimiser: solve on a pruned candidate graph, certify against every eligible pair, repeat."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from . import lap
from .certificate import potentials
from .lap import Slots
from .objective import Encoding
from .pairs import Pairs

SMALL = 50_000  # below this many eligible pairs, solve on all of them at once
PER_MENTEE = 8  # initial candidates: each mentee's best mentors...
PER_SLOT = 2  # ...and each mentor's best mentees, this many per unit of capacity...
PER_MENTOR_EXTRA = 2  # ...plus this many
ADD_PER_MENTEE = 8  # violating pairs re-added per mentee and round
NEAR = 0.03  # also re-add pairs this close (in score) to a violation: they tend to be the next ones
MAX_ROUNDS = 12  # then give up pruning and solve on every eligible pair
MAX_SHARE = 0.3  # likewise once the candidate graph holds this share of all eligible pairs


@dataclass(frozen=True)
class Solution:
    mentor_of: np.ndarray  # mentor index per mentee, -1 when unmatched
    rounds: int
    candidate_pairs: int  # size of the graph the last round solved on
    eligible_pairs: int
    pruned: bool  # False when the last round solved on every eligible pair


def optimise(pairs: Pairs, slots: Slots, enc: Encoding, participation: bool) -> Solution:
    n, m = pairs.n, pairs.m
    eligible = pairs.count()
    if eligible <= SMALL:
        rows, cols = pairs.everything()
    else:
        r1, c1 = pairs.top_per_mentee(PER_MENTEE)
        k = PER_SLOT * int(slots.capacity.max(initial=0)) + PER_MENTOR_EXTRA
        r2, c2 = pairs.top_per_mentor(k)
        rows, cols = _union(m, (r1, r2), (c1, c2))
    new_rows, new_cols = rows, cols
    rounds = 0
    while True:
        rounds += 1
        w = pairs.values(rows, cols)
        mentor_of = lap.solve(n, slots, rows, cols, w, enc.scale, participation)
        d = potentials(n, slots, rows, cols, enc.match + w, mentor_of)
        if len(rows) == eligible:
            # Nothing was left out; the potentials above already proved optimality.
            return Solution(mentor_of, rounds, len(rows), eligible, pruned=False)
        pairs.mark_selected(new_rows, new_cols)
        vr, vc, excess = pairs.violations(d[:n] - enc.match, d[n : n + m], int(NEAR * enc.scale))
        if vr.size == 0 or excess.max() <= 0:
            return Solution(mentor_of, rounds, len(rows), eligible, pruned=True)
        # Most favourable reduced cost first; a few per mentee keeps rounds small and few.
        order = np.lexsort((vc, -excess, vr))
        vr, vc = vr[order], vc[order]
        rank = np.arange(len(vr)) - np.searchsorted(vr, vr, side="left")
        new_rows, new_cols = vr[rank < ADD_PER_MENTEE], vc[rank < ADD_PER_MENTEE]
        if rounds >= MAX_ROUNDS or len(rows) + len(new_rows) > MAX_SHARE * eligible:
            # Pruning is not paying off: solve on every eligible pair (checked by the potentials alone).
            new_rows, new_cols = pairs.everything()
            rows, cols = new_rows, new_cols
            continue
        rows, cols = _union(m, (rows, new_rows), (cols, new_cols))


def _union(
    m: int, rows: tuple[np.ndarray, ...], cols: tuple[np.ndarray, ...]
) -> tuple[np.ndarray, np.ndarray]:
    # Sorted unique pairs: the candidate graph, and so the LAP's input, is canonical.
    keys = np.unique(np.concatenate([r.astype(np.int64) * m + c for r, c in zip(rows, cols, strict=True)]))
    return keys // m, keys % m


def complete(pairs: Pairs, slots: Slots, enc: Encoding, mentor_of: np.ndarray) -> np.ndarray:
    """Score objective: add pairs worth exactly 0 (never changes the total) so nobody is left out
    while an eligible mentor has room at no cost; in mentee then mentor order, deterministic."""
    mentor_of = mentor_of.copy()
    load = np.bincount(mentor_of[mentor_of >= 0], minlength=pairs.m)
    for i in np.flatnonzero(mentor_of < 0):
        cols, w = pairs.row(int(i))
        room = load[cols] < slots.capacity[cols]
        pen = np.where(load[cols] >= slots.regular[cols], enc.penalty, 0)
        free = np.flatnonzero(room & (w - pen == 0))
        if free.size:
            j = int(cols[free[0]])
            mentor_of[i] = j
            load[j] += 1
    return mentor_of
