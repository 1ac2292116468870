"""The exact solver at a size where it prunes: equal to an independent dense reference optimum."""

from __future__ import annotations

import math
from unittest import mock

import numpy as np
import pytest
from scipy.optimize import linear_sum_assignment

from matching import parse_instance, score_pairs, solve, solver
from matching.certificate import potentials
from matching.lap import Slots


def reference(data: dict) -> tuple[int, float]:
    """Participation optimum by scipy's dense LAP on the capacity-expanded matrix (no engine code
    but its eligible-pair scores): one more match is worth more than any total score."""
    scored = score_pairs(parse_instance(data))
    capacity = {m["id"]: m["capacity"] for m in data["mentors"]}
    cap = np.array([capacity[j] for j in scored.mentor_ids])
    big = len(scored.mentee_ids) + 1.0
    value = np.zeros((len(scored.mentee_ids), len(scored.mentor_ids)))
    value[scored.rows, scored.cols] = big + scored.scores
    expanded = np.repeat(value, cap, axis=1)
    r, c = linear_sum_assignment(expanded, maximize=True)
    chosen = expanded[r, c]
    chosen = chosen[chosen > 0] - big
    return len(chosen), math.fsum(chosen.tolist())


def star_instance(seed: int, n: int = 400, m: int = 160) -> dict:
    """Ten star mentors everyone ranks first: top-k pruning alone misses the optimum here."""
    rng = np.random.default_rng(seed)
    cands = []
    for i in range(n):
        for j in range(m):
            s = rng.uniform(0.9, 1.0) if j < 10 else rng.uniform(0.0, 0.6)
            cands.append([f"e{i:03d}", f"m{j:03d}", round(float(s), 6)])
    return {
        "mentees": [{"id": f"e{i:03d}"} for i in range(n)],
        "mentors": [{"id": f"m{j:03d}", "capacity": int(rng.integers(1, 4))} for j in range(m)],
        "candidates": cands,
    }


@pytest.mark.parametrize("seed", [1, 2])
def test_pruned_and_certified_solve_equals_the_dense_reference(seed: int) -> None:
    data = star_instance(seed)
    result = solve(parse_instance(data))
    assert result.stats["certificate"] == "reduced costs of every eligible pair"
    assert result.stats["candidate_pairs"] < result.stats["eligible_pairs"] / 4
    matched, total = reference(data)
    assert result.matched == matched
    assert result.total_score == pytest.approx(total, abs=1e-6)


def test_a_too_small_first_graph_is_caught_by_the_certificate_and_grown() -> None:
    data = star_instance(3)
    with mock.patch.multiple(solver, PER_MENTEE=1, PER_SLOT=0, PER_MENTOR_EXTRA=0, ADD_PER_MENTEE=2):
        result = solve(parse_instance(data))
    assert result.stats["rounds"] >= 2
    assert result.stats["certificate"] == "reduced costs of every eligible pair"
    matched, total = reference(data)
    assert (result.matched, result.total_score) == (matched, pytest.approx(total, abs=1e-6))


def scored_instance(seed: int, n: int = 400, m: int = 250) -> dict:
    rng = np.random.default_rng(seed)
    skills = [f"s{k}" for k in range(12)]
    related = {s: {"related": {skills[(k + 1) % 12]: 0.6}} for k, s in enumerate(skills)}
    return {
        "skills": related,
        "mentees": [
            {
                "id": f"e{i}",
                "needs": {skills[int(k)]: int(rng.integers(1, 6)) for k in rng.choice(12, 3, replace=False)},
                "goals": [f"g{int(g)}" for g in rng.choice(5, 2, replace=False)],
                "team": f"t{i % 7}",
                "managers": [f"m{int(rng.integers(0, m))}"],
            }
            for i in range(n)
        ],
        "mentors": [
            {
                "id": f"m{j}",
                "capacity": int(rng.integers(0, 3)),
                "skills": {skills[int(k)]: int(rng.integers(1, 6)) for k in rng.choice(12, 4, replace=False)},
                "topics": [f"g{int(g)}" for g in rng.choice(5, 2, replace=False)],
                "team": f"t{j % 7}",
            }
            for j in range(m)
        ],
    }


def test_scored_instance_large_enough_to_prune_equals_the_reference() -> None:
    data = scored_instance(3)
    result = solve(parse_instance(data))
    assert result.stats["eligible_pairs"] > 50_000  # so the pruned path ran
    matched, total = reference(data)
    assert (result.matched, result.total_score) == (matched, pytest.approx(total, abs=1e-6))


def test_potentials_refuse_a_non_optimal_assignment() -> None:
    # Two mentees, two mentors: swapping is worth more, so a negative cycle exists.
    slots = Slots(np.array([1, 1]), np.array([1, 1]), 0)
    rows, cols = np.array([0, 0, 1, 1]), np.array([0, 1, 0, 1])
    value = np.array([10, 1, 1, 10])
    assert potentials(2, slots, rows, cols, value, np.array([0, 1])) is not None
    with pytest.raises(AssertionError, match="negative cycle"):
        potentials(2, slots, rows, cols, value, np.array([1, 0]))


def test_some_mentees_and_some_places_left_over_at_once() -> None:
    # x and y compete for A (capacity 1); B has room but only z may use it, and z prefers A.
    data = {
        "mentees": [{"id": k} for k in "xyz"],
        "mentors": [{"id": "A", "capacity": 1}, {"id": "B", "capacity": 2}, {"id": "C", "capacity": 1}],
        "candidates": [["x", "A", 0.9], ["y", "A", 0.8], ["z", "A", 1.0], ["z", "B", 0.1]],
    }
    result = solve(parse_instance(data))
    assert {(a.mentee, a.mentor) for a in result.assignments} == {("x", "A"), ("z", "B")}
    assert [u.mentee for u in result.unmatched] == ["y"]


def test_a_free_mentor_outside_the_first_graph_is_found_by_the_certificate() -> None:
    # Found by the pruned-path property test: every pair scores 0 and every mentee's single first
    # candidate is the same mentor, so the mentor with room is reachable only through pairs left
    # out; the big-M excess of those pairs must survive the scan (a clipped excess once hid them).
    data = {
        "mentees": [{"id": i} for i in ("p0", "p1", "p2", "p4")],
        "mentors": [{"id": "p0", "capacity": 0}, {"id": "p1", "capacity": 1}, {"id": "p3", "capacity": 1}],
    }
    for candidates in (None, [[e, r, 0.0] for e in ("p0", "p1", "p2", "p4") for r in ("p1", "p3") if e != r]):
        with mock.patch.multiple(
            solver, SMALL=0, PER_MENTEE=1, PER_SLOT=0, PER_MENTOR_EXTRA=0, ADD_PER_MENTEE=1
        ):
            result = solve(parse_instance(dict(data, candidates=candidates)))
        assert result.matched == 2
