"""Exact assignment on a candidate graph with SciPy's sparse LAPJV, mentors expanded into slots."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import scipy.sparse as sp
from scipy.sparse.csgraph import maximum_bipartite_matching, min_weight_full_bipartite_matching


@dataclass(frozen=True)
class Slots:
    """Mentor capacity expanded into unit slots; slots beyond ``regular`` carry the fairness penalty."""

    capacity: np.ndarray
    regular: np.ndarray
    penalty: int

    @property
    def start(self) -> np.ndarray:
        return np.cumsum(self.capacity) - self.capacity

    @property
    def total(self) -> int:
        return int(self.capacity.sum())

    @property
    def mentor(self) -> np.ndarray:
        return np.repeat(np.arange(len(self.capacity)), self.capacity)


def solve(
    n: int, slots: Slots, rows: np.ndarray, cols: np.ndarray, w: np.ndarray, scale: int, participation: bool
) -> np.ndarray:
    """Best assignment of mentees to mentors over the pairs given; returns the mentor per mentee (-1: none).

    Participation: a maximum-cardinality matching of greatest value, found without any big-M by
    splitting the graph along its Dulmage-Mendelsohn decomposition into parts where a maximum
    matching is a full matching of the smaller side (which is what LAPJVsp solves).
    Score: the greatest value with every mentee free to stay unmatched (a private dummy column).
    LAP costs are small positive integers (scale - value + 1 <= 2 scale + 1), so the float64
    arithmetic inside SciPy is exact.
    """
    cost = _expanded(n, slots, rows, cols, w, scale)
    if cost.nnz == 0:
        return np.full(n, -1, dtype=np.int64)
    slot_of = _by_blocks(cost) if participation else _with_dummies(cost, scale)
    mentor_of = np.full(n, -1, dtype=np.int64)
    hit = slot_of >= 0
    mentor_of[hit] = slots.mentor[slot_of[hit]]
    return mentor_of


def _expanded(
    n: int, slots: Slots, rows: np.ndarray, cols: np.ndarray, w: np.ndarray, scale: int
) -> sp.csr_matrix:
    reps = slots.capacity[cols]
    total = int(reps.sum())
    first = np.repeat(np.cumsum(reps) - reps, reps)
    k = np.arange(total) - first  # slot number within the mentor
    slot = np.repeat(slots.start[cols], reps) + k
    over = k >= np.repeat(slots.regular[cols], reps)
    cost = np.repeat(scale - w, reps) + over * slots.penalty + 1
    matrix = sp.csr_matrix((cost.astype(np.float64), (np.repeat(rows, reps), slot)), shape=(n, slots.total))
    matrix.sum_duplicates()
    return matrix


def _full(matrix: sp.csr_matrix) -> tuple[np.ndarray, np.ndarray]:
    """LAPJVsp on a matrix with rows <= cols where every row can be matched."""
    if matrix.shape[0] == 0:
        return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64)
    r, c = min_weight_full_bipartite_matching(matrix)
    return r.astype(np.int64), c.astype(np.int64)


def _with_dummies(cost: sp.csr_matrix, scale: int) -> np.ndarray:
    n, t = cost.shape
    active = np.flatnonzero(np.diff(cost.indptr) > 0)
    sub = cost[active]
    # A private dummy per mentee at the cost of a zero-valued pair ("stay unmatched").
    dummy = sp.csr_matrix(
        (np.full(len(active), scale + 1.0), (np.arange(len(active)), t + np.arange(len(active)))),
        shape=(len(active), t + len(active)),
    )
    sub = sp.csr_matrix((sub.data, sub.indices, sub.indptr), shape=(len(active), t + len(active)))
    r, c = _full((sub + dummy).tocsr())
    slot_of = np.full(n, -1, dtype=np.int64)
    real = c < t
    slot_of[active[r[real]]] = c[real]
    return slot_of


def _reach(
    adj: sp.csr_matrix, start: np.ndarray, partner: np.ndarray, n_other: int
) -> tuple[np.ndarray, np.ndarray]:
    """Vertices reachable from ``start`` along alternating paths (any edge out, matched edge back)."""
    seen = np.zeros(adj.shape[0], dtype=bool)
    seen_other = np.zeros(n_other, dtype=bool)
    seen[start] = True
    frontier = start
    while frontier.size:
        nbrs = np.unique(adj[frontier].indices)
        nbrs = nbrs[~seen_other[nbrs]]
        seen_other[nbrs] = True
        back = partner[nbrs]
        if np.any(back < 0):
            raise AssertionError("augmenting path left after maximum matching")
        back = back[~seen[back]]
        seen[back] = True
        frontier = back
    return np.flatnonzero(seen), np.flatnonzero(seen_other)


def _by_blocks(cost: sp.csr_matrix) -> np.ndarray:
    n, t = cost.shape
    row_match = maximum_bipartite_matching(cost, perm_type="column").astype(np.int64)
    col_match = np.full(t, -1, dtype=np.int64)
    matched = row_match >= 0
    col_match[row_match[matched]] = np.flatnonzero(matched)
    cost_t = cost.T.tocsr()
    # D_A: mentees some maximum matching leaves out, N_A: their slots, always filled from D_A.
    d_rows, n_cols = _reach(cost, np.flatnonzero(~matched), col_match, t)
    # D_B: slots some maximum matching leaves empty, N_B: their mentees, always matched into D_B.
    d_cols, n_rows = _reach(cost_t, np.flatnonzero(col_match < 0), row_match, n)
    in_c_rows = np.ones(n, dtype=bool)
    in_c_rows[d_rows] = False
    in_c_rows[n_rows] = False
    in_c_cols = np.ones(t, dtype=bool)
    in_c_cols[n_cols] = False
    in_c_cols[d_cols] = False
    c_rows, c_cols = np.flatnonzero(in_c_rows), np.flatnonzero(in_c_cols)
    slot_of = np.full(n, -1, dtype=np.int64)
    # Every maximum matching is the union of full matchings of these three parts (and uses no
    # edge between parts), so the best one is the union of the parts' best full matchings.
    if n_cols.size:
        r, c = _full(cost_t[n_cols][:, d_rows].tocsr())
        slot_of[d_rows[c]] = n_cols[r]
    if n_rows.size:
        r, c = _full(cost[n_rows][:, d_cols].tocsr())
        slot_of[n_rows[r]] = d_cols[c]
    if c_rows.size:
        r, c = _full(cost[c_rows][:, c_cols].tocsr())
        slot_of[c_rows[r]] = c_cols[c]
    return slot_of
