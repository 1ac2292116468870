"""Vectorised pair scores in [0, 1] and their per-criterion breakdown (formula in docs/matching.md)."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .arrays import MenteeSide, cached, mentee_side, mentor_side, related, team_code
from .model import Instance

# Scores are defined to 6 decimals, so printed and optimised values agree exactly. Internally a
# score is carried as an integer count of millionths ("micro"); the score is micro / 1e6.
MICRO = 1_000_000


@dataclass(frozen=True)
class Criteria:
    """Criterion values (each in [0, 1]) and the effective weights of one mentee (they sum to 1)."""

    needs: np.ndarray
    goals: np.ndarray
    team: np.ndarray
    total: np.ndarray
    weights: np.ndarray  # effective (needs, goals, team) weights: shape (3,) for one mentee, (k, 3) per pair


def coverage(instance: Instance, keys: tuple[tuple[str, int], ...]) -> np.ndarray:
    """(len(keys) x mentors): how well each mentor covers each need (skill, wanted level).

    coverage = max over skills s' the mentor has of credit(need skill -> s') * min(1, level(s') / wanted).
    """
    side = mentor_side(instance)
    memo = side.coverage
    missing = [k for k in dict.fromkeys(keys) if k not in memo]
    if missing:
        for key, column in zip(missing, _coverage(instance, missing), strict=True):
            memo[key] = column
    if not keys:
        return np.zeros((0, side.count))
    return np.stack([memo[k] for k in keys])


def _coverage(instance: Instance, keys: list[tuple[str, int]]) -> np.ndarray:
    # Mentors hold a handful of skills each, so visit only the mentors holding each related skill
    # rather than a dense (mentors x related skills) product.
    side = mentor_side(instance)
    closures = related(instance, {s for s, _ in keys})
    key_rows, key_cols, key_credit, key_wanted = [], [], [], []
    for pos, (skill, wanted) in enumerate(keys):
        for rel in closures[skill]:
            col = side.skill_index.get(rel.skill)
            if col is not None:
                key_rows.append(pos)
                key_cols.append(col)
                key_credit.append(rel.credit)
                key_wanted.append(float(wanted))
    result = np.zeros((len(keys), side.count))
    if not key_rows:
        return result
    # For each (need, related skill) entry, the mentors holding that skill: a CSC column slice.
    holders = side.holders
    entry_col = np.array(key_cols, dtype=np.int64)
    lo, hi = holders.indptr[entry_col], holders.indptr[entry_col + 1]
    count = hi - lo
    held = np.repeat(lo - np.cumsum(count) + count, count) + np.arange(count.sum())
    entry = np.repeat(np.arange(len(entry_col)), count)
    credit = np.array(key_credit)[entry]
    wanted = np.array(key_wanted)[entry]
    # credit * min(1, level / wanted): the same two roundings the reasons text uses.
    value = credit * np.minimum(1.0, holders.data[held] / wanted)
    np.maximum.at(result, (np.array(key_rows, dtype=np.int64)[entry], holders.indices[held]), value)
    return result


def effective_weights(
    instance: Instance, has_needs: np.ndarray, has_goals: np.ndarray, team: np.ndarray
) -> np.ndarray:
    """(k x 3) weights of needs, goals and team, renormalised over what each mentee stated."""
    w = instance.options.weights
    wn = np.where(has_needs, w.needs, 0.0)
    wg = np.where(has_goals, w.goals, 0.0)
    stated = (wn + wg) > 0
    # The team preference never stands alone: a mentee who stated nothing scores 0 everywhere.
    wt = np.where(stated & (team != -1), w.team, 0.0)
    total = wn + wg + wt
    safe = np.where(total > 0, total, 1.0)
    return np.stack([wn / safe, wg / safe, wt / safe], axis=1)


def _combine(w: np.ndarray, needs: np.ndarray, goals: np.ndarray, team: np.ndarray) -> np.ndarray:
    """Micro-score w0*needs + w1*goals + w2*team, rounded; overwrites its arguments.

    One sequence of float operations shared by the matrix and the single-row paths, so a
    suggestion, a solve and a breakdown all report bit-identical scores. In place, because
    fresh temporaries of millions of floats cost more than the arithmetic. Weights sum to 1 and
    criteria lie in [0, 1], so no clipping is needed: rint keeps the result in [0, MICRO].
    """
    needs *= w[:, 0:1]
    goals *= w[:, 1:2]
    needs += goals
    team *= w[:, 2:3]
    needs += team
    needs *= MICRO
    return np.rint(needs, out=needs)


def score_block(instance: Instance, rows: np.ndarray) -> np.ndarray:
    """Micro-scores of mentees ``rows`` against every mentor: (len(rows) x mentors), integer-valued."""
    mentees = mentee_side(instance)
    mentors = mentor_side(instance)
    cover = cached(instance, "cover", lambda inst: coverage(inst, mentees.need_keys))  # (keys x mentors)
    # A 0/1 CSR matrix (sorted indices) times a dense one adds whole rows of `cover` in key order,
    # and multiplying by 1.0 is exact: each sum is ((0 + c1) + c2) + ..., the same as criteria()
    # forms it one key at a time, with or without fused multiply-add.
    needs = mentees.need_matrix[rows] @ cover
    needs /= np.maximum(mentees.n_needs[rows], 1.0)[:, None]
    # Sums of 0/1 products are exact integers, so the division is the only rounding step.
    goals = mentees.goal_matrix[rows] @ mentors.topics_t
    goals /= np.maximum(mentees.n_goals[rows], 1.0)[:, None]
    team = _team(mentees.team[rows], mentors.team)
    return _combine(_weights(instance, mentees, rows), needs, goals, team)


def _weights(instance: Instance, side: MenteeSide, rows: np.ndarray) -> np.ndarray:
    return effective_weights(instance, side.n_needs[rows] > 0, side.n_goals[rows] > 0, side.team[rows])


def _team(mentee_team: np.ndarray, mentor_team: np.ndarray) -> np.ndarray:
    other = mentee_team[:, None] != mentor_team[None, :]
    return (other & (mentee_team[:, None] != -1) & (mentor_team[None, :] != -1)).astype(np.float64)


def criteria(instance: Instance, i: int, cols: np.ndarray) -> Criteria:
    """Per-criterion values of mentee ``i`` against mentors ``cols`` (compiles no other mentee)."""
    mentors = mentor_side(instance)
    mentee = instance.mentees[i]
    keys = tuple(sorted(mentee.needs.items()))
    needs = np.zeros((1, len(cols)))
    if keys:
        cover = coverage(instance, keys)
        for c in range(len(keys)):
            needs[0] += cover[c, cols]
        needs /= len(keys)
    goal_idx = sorted(mentors.topic_index[g] for g in mentee.goals if g in mentors.topic_index)
    goals = np.zeros((1, len(cols)))
    if goal_idx:
        goals = mentors.topics_t[goal_idx][:, cols].sum(axis=0, keepdims=True)
        goals /= len(mentee.goals)
    code = np.array([team_code(mentors, mentee.team)])
    team = _team(code, mentors.team[cols])
    w = effective_weights(instance, np.array([bool(keys)]), np.array([bool(mentee.goals)]), code)
    total = _combine(w, needs.copy(), goals.copy(), team.copy())[0] / MICRO
    return Criteria(needs=needs[0], goals=goals[0], team=team[0], total=total, weights=w[0])


def pair_criteria(instance: Instance, rows: np.ndarray, cols: np.ndarray) -> Criteria:
    """Per-criterion values for the pairs (rows[k], cols[k]); same arithmetic as score_block."""
    mentees = mentee_side(instance)
    mentors = mentor_side(instance)
    k = len(rows)
    sub = mentees.need_matrix[rows].tocsr()  # row p: the keys of pair p's mentee, in key order
    sub.sort_indices()
    needs = np.zeros(k)
    if sub.nnz:
        pair = np.repeat(np.arange(k), np.diff(sub.indptr))
        cover = coverage(instance, mentees.need_keys)
        # ufunc.at adds in index order: per pair, key by key from 0, exactly like score_block.
        np.add.at(needs, pair, cover[sub.indices, cols[pair]])
    needs /= np.maximum(mentees.n_needs[rows], 1.0)
    shared = mentees.goal_matrix[rows].multiply(mentors.topics_t.T[cols])
    goals = np.asarray(shared.sum(axis=1)).ravel() / np.maximum(mentees.n_goals[rows], 1.0)
    mt, tt = mentees.team[rows], mentors.team[cols]
    team = ((mt != tt) & (mt != -1) & (tt != -1)).astype(np.float64)
    w = _weights(instance, mentees, rows)
    total = _combine(w, needs[:, None].copy(), goals[:, None].copy(), team[:, None].copy())[:, 0] / MICRO
    return Criteria(needs=needs, goals=goals, team=team, total=total, weights=w)
