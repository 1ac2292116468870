"""Exact integer encoding of the objectives: score quantum, fairness penalty and the big-M per match."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .model import Options

SCALE = 10**9  # scores are optimised on a 1e-9 grid (computed scores have 6 decimals: exact)
_INT64_BUDGET = 2**62


@dataclass(frozen=True)
class Encoding:
    """Integers the solver optimises: a pair with quantised score w in slot k is worth

    ``match + w - (penalty if k is above the mentor's load share else 0)``.

    ``match`` is 0 for the score objective and ``L * (scale + penalty) + 1`` for participation,
    where L bounds the number of matches: any matching with one more pair is then worth more,
    whatever the scores (see docs/matching.md for the proof).
    """

    scale: int
    penalty: int
    match: int

    def quantise(self, scores: np.ndarray) -> np.ndarray:
        return np.rint(np.asarray(scores, dtype=np.float64) * self.scale).astype(np.int64)


def encode(options: Options, max_matches: int, nodes: int) -> Encoding:
    """Choose the integers; ``nodes`` bounds path lengths in the certificate's residual graph."""
    scale = SCALE
    while True:
        penalty = round(options.load_share_margin * scale) if options.max_load_share is not None else 0
        match = max_matches * (scale + penalty) + 1 if options.objective == "participation" else 0
        # Shortest-path potentials are sums of at most `nodes` arc costs; they must fit in int64.
        if (nodes + 1) * (match + scale + penalty + 1) < _INT64_BUDGET or scale == 10**6:
            return Encoding(scale=scale, penalty=penalty, match=match)
        scale //= 10  # only beyond ~10^5 people a side; never below the 6 decimals of computed scores


def regular_slots(
    capacity: np.ndarray, share: float | None, declared: np.ndarray | None = None
) -> np.ndarray:
    """Slots per mentor filled before the fairness penalty applies (a mentor may always take one).

    ``capacity`` is the usable places; the share is of ``declared`` (the capacity as declared,
    when ``capacity`` was clipped to the number of mentees), so clipping never moves the share:
    regular = min(declared, max(1, floor(share x declared))), and no more than ``capacity``.
    """
    if share is None:
        return capacity.copy()
    declared = capacity if declared is None else declared
    regular = np.minimum(declared, np.maximum(1, np.floor(declared * share + 1e-9).astype(np.int64)))
    return np.minimum(capacity, regular)
