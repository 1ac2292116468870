"""Eligible pairs with quantised scores: dense when every pair is scored, sparse for explicit candidates."""

from __future__ import annotations

import math
from dataclasses import dataclass
from operator import itemgetter
from typing import Protocol

import numpy as np

from .arrays import cached, forbidden, roster
from .model import Instance
from .objective import Encoding
from .scoring import MICRO, score_block

_BLOCK = 2_000_000  # pairs per block when scanning, to bound temporaries
_SCORE_BLOCK = 1 << 18  # pairs per scoring block: small enough for its temporaries to stay in cache


class Pairs(Protocol):
    """What the solver needs from the eligible pairs (hard constraints already applied)."""

    n: int
    m: int

    def count(self) -> int: ...
    def top_per_mentee(self, k: int) -> tuple[np.ndarray, np.ndarray]: ...
    def top_per_mentor(self, k: int) -> tuple[np.ndarray, np.ndarray]: ...
    def everything(self) -> tuple[np.ndarray, np.ndarray]: ...
    def values(self, rows: np.ndarray, cols: np.ndarray) -> np.ndarray: ...
    def scores(self, rows: np.ndarray, cols: np.ndarray) -> np.ndarray: ...
    def mark_selected(self, rows: np.ndarray, cols: np.ndarray) -> None: ...
    def violations(
        self, a: np.ndarray, b: np.ndarray, slack: int = 0
    ) -> tuple[np.ndarray, np.ndarray, np.ndarray]: ...
    def row(self, i: int) -> tuple[np.ndarray, np.ndarray]: ...


@dataclass
class DensePairs:
    """(mentees x mentors) int32 quantised scores, -1 where the pair is not eligible."""

    w: np.ndarray
    scale: int
    pool: np.ndarray | None = None  # w with already selected pairs blanked, for the certificate scan

    @property
    def n(self) -> int:
        return self.w.shape[0]

    @property
    def m(self) -> int:
        return self.w.shape[1]

    def count(self) -> int:
        return int(np.count_nonzero(self.w >= 0))

    def top_per_mentee(self, k: int) -> tuple[np.ndarray, np.ndarray]:
        k = min(k, self.m)
        if k == 0:
            return _empty()
        # float32 partitions several times faster than int32; rounding only blurs which
        # near-equal pairs seed the candidate graph, and the certificate repairs any choice.
        part = np.argpartition(self.w.astype(np.float32), self.m - k, axis=1)[:, self.m - k :]
        rows = np.repeat(np.arange(self.n), k)
        cols = part.ravel()
        keep = self.w[rows, cols] >= 0
        return rows[keep], cols[keep]

    def top_per_mentor(self, k: int) -> tuple[np.ndarray, np.ndarray]:
        k = min(k, self.n)
        if k == 0:
            return _empty()
        by_mentor = np.ascontiguousarray(self.w.T, dtype=np.float32)
        part = np.argpartition(by_mentor, self.n - k, axis=1)[:, self.n - k :]
        rows = part.ravel()
        cols = np.repeat(np.arange(self.m), k)
        keep = self.w[rows, cols] >= 0
        return rows[keep], cols[keep]

    def everything(self) -> tuple[np.ndarray, np.ndarray]:
        rows, cols = np.nonzero(self.w >= 0)
        return rows.astype(np.int64), cols.astype(np.int64)

    def values(self, rows: np.ndarray, cols: np.ndarray) -> np.ndarray:
        return self.w[rows, cols].astype(np.int64)

    def scores(self, rows: np.ndarray, cols: np.ndarray) -> np.ndarray:
        # Exact: computed scores have 6 decimals, so w / scale is the same double as the score.
        return self.w[rows, cols] / self.scale

    def mark_selected(self, rows: np.ndarray, cols: np.ndarray) -> None:
        if self.pool is None:
            self.pool = self.w.copy()
        self.pool[rows, cols] = -1

    def violations(
        self, a: np.ndarray, b: np.ndarray, slack: int = 0
    ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Unselected eligible pairs with excess = w - (a[i] - b[j]) > -slack (the certificate scan:
        excess > 0 is a violation; the slack also returns pairs that are close to one)."""
        pool = self.pool if self.pool is not None else self.w
        step = max(1, _BLOCK // max(1, self.m))
        found = []
        for r0 in range(0, self.n, step):
            # int64 throughout: thresholds carry the big-M of the participation objective, and
            # the excess must be exact (not clipped) to rank the pairs and to apply the slack.
            thr = (a[r0 : r0 + step] - slack)[:, None] - b[None, :]
            rr, cc = np.nonzero(pool[r0 : r0 + step] > thr)
            if rr.size:
                found.append((rr + r0, cc, pool[rr + r0, cc] - thr[rr, cc] - slack))
        if not found:
            return _empty3()
        return tuple(np.concatenate(parts).astype(np.int64) for parts in zip(*found, strict=True))  # type: ignore[return-value]

    def row(self, i: int) -> tuple[np.ndarray, np.ndarray]:
        cols = np.flatnonzero(self.w[i] >= 0)
        return cols, self.w[i, cols].astype(np.int64)


@dataclass
class SparsePairs:
    """Explicit candidate pairs, sorted by (mentee, mentor)."""

    n: int
    m: int
    rows: np.ndarray
    cols: np.ndarray
    w: np.ndarray  # int64 quantised scores
    score: np.ndarray  # the scores as given
    selected: np.ndarray | None = None

    def __post_init__(self) -> None:
        self.keys = self.rows * self.m + self.cols  # sorted, because rows/cols are

    def count(self) -> int:
        return len(self.rows)

    def _top(self, major: np.ndarray, k: int) -> np.ndarray:
        # One stable sort on (major, best first); equal keys keep the (mentee, mentor) order.
        order = np.argsort(major * (self.w.max(initial=0) + 1) - self.w, kind="stable")
        ranked = major[order]
        first = np.searchsorted(ranked, ranked, side="left")
        return order[np.arange(len(order)) - first < k]

    def top_per_mentee(self, k: int) -> tuple[np.ndarray, np.ndarray]:
        keep = self._top(self.rows, k)
        return self.rows[keep], self.cols[keep]

    def top_per_mentor(self, k: int) -> tuple[np.ndarray, np.ndarray]:
        keep = self._top(self.cols, k)
        return self.rows[keep], self.cols[keep]

    def everything(self) -> tuple[np.ndarray, np.ndarray]:
        return self.rows, self.cols

    def _find(self, rows: np.ndarray, cols: np.ndarray) -> np.ndarray:
        return np.searchsorted(self.keys, rows * self.m + cols)

    def values(self, rows: np.ndarray, cols: np.ndarray) -> np.ndarray:
        return self.w[self._find(rows, cols)]

    def scores(self, rows: np.ndarray, cols: np.ndarray) -> np.ndarray:
        return self.score[self._find(rows, cols)]

    def mark_selected(self, rows: np.ndarray, cols: np.ndarray) -> None:
        if self.selected is None:
            self.selected = np.zeros(len(self.rows), dtype=bool)
        self.selected[self._find(rows, cols)] = True

    def violations(
        self, a: np.ndarray, b: np.ndarray, slack: int = 0
    ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        excess = self.w - (a[self.rows] - b[self.cols])
        hit = excess > -slack
        if self.selected is not None:
            hit &= ~self.selected
        return self.rows[hit], self.cols[hit], excess[hit]

    def row(self, i: int) -> tuple[np.ndarray, np.ndarray]:
        lo, hi = np.searchsorted(self.rows, [i, i + 1])
        return self.cols[lo:hi], self.w[lo:hi]


def build_pairs(instance: Instance, encoding: Encoding) -> DensePairs | SparsePairs:
    """Apply every hard constraint except capacity use, and quantise the scores."""
    r = roster(instance)
    ban = forbidden(instance)
    n, m = len(r.mentee_ids), len(r.mentor_ids)
    min_score = instance.options.min_score
    if instance.candidates is not None:
        rows, cols, score = cached(instance, "candidate_arrays", candidate_arrays)
        order = np.argsort(rows * max(1, m) + cols, kind="stable")
        rows, cols, score = rows[order], cols[order], score[order]
        keep = (score >= min_score) & (r.capacity[cols] > 0)
        if len(ban.rows):
            keep &= ~np.isin(rows * m + cols, ban.rows * m + ban.cols)
        rows, cols, score = rows[keep], cols[keep], score[keep]
        return SparsePairs(n, m, rows, cols, encoding.quantise(score), score)
    w = np.empty((n, m), dtype=np.int32)
    step = max(1, _SCORE_BLOCK // max(1, m))
    lowest = _lowest_micro(min_score)
    per_micro = encoding.scale // MICRO
    for r0 in range(0, n, step):
        micro = score_block(instance, np.arange(r0, min(n, r0 + step)))
        # micro * (scale / 1e6) is exactly the quantised score micro / 1e6 * scale.
        q = micro.astype(np.int32) * np.int32(per_micro)
        q[micro < lowest] = -1
        w[r0 : r0 + step] = q
    w[:, r.capacity <= 0] = -1
    w[ban.rows, ban.cols] = -1
    return DensePairs(w, encoding.scale)


def candidate_arrays(instance: Instance) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Mentee index, mentor index and score of each explicit candidate, in the given order."""
    r = roster(instance)
    triples = instance.candidates or ()
    rows = np.array(list(map(r.mentee_index.__getitem__, map(itemgetter(0), triples))), dtype=np.int64)
    cols = np.array(list(map(r.mentor_index.__getitem__, map(itemgetter(1), triples))), dtype=np.int64)
    return rows, cols, np.array(list(map(itemgetter(2), triples)), dtype=np.float64)


def candidate_row(instance: Instance, i: int) -> np.ndarray:
    """Explicit score of mentee ``i`` with every mentor, -1 where the pair is not a candidate."""

    def by_mentee(inst: Instance) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        rows, cols, score = cached(inst, "candidate_arrays", candidate_arrays)
        order = np.argsort(rows, kind="stable")
        return rows[order], cols[order], score[order]

    rows, cols, score = cached(instance, "candidates_by_mentee", by_mentee)
    lo, hi = np.searchsorted(rows, [i, i + 1])
    out = np.full(len(instance.mentors), -1.0)
    out[cols[lo:hi]] = score[lo:hi]
    return out


def _lowest_micro(min_score: float) -> int:
    """Smallest micro-score k whose score k / 1e6 is >= min_score (as the printed floats compare)."""
    k = max(0, math.ceil(min_score * MICRO) - 1)
    while k / MICRO < min_score:
        k += 1
    return k


def _empty() -> tuple[np.ndarray, np.ndarray]:
    return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64)


def _empty3() -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64)
