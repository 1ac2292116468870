"""Participation (most matches, then score) versus score (highest total), and deterministic ties."""

from __future__ import annotations

import itertools

from matching import parse_instance, solve


def instance(objective: str, candidates: list[list], capacity: dict[str, int] | None = None) -> dict:
    mentees = sorted({c[0] for c in candidates})
    mentors = sorted({c[1] for c in candidates})
    capacity = capacity or {}
    return {
        "mentees": [{"id": i} for i in mentees],
        "mentors": [{"id": j, "capacity": capacity.get(j, 1)} for j in mentors],
        "candidates": candidates,
        "options": {"objective": objective},
    }


# ann is the only one who can take X; bob can take X (perfect) or Y (weak).
CONFLICT = [["ann", "X", 0.1], ["bob", "X", 1.0], ["bob", "Y", 0.05]]


def pairs(data: dict) -> set[tuple[str, str]]:
    return {(a.mentee, a.mentor) for a in solve(parse_instance(data)).assignments}


def test_participation_matches_most_mentees_then_highest_score() -> None:
    result = solve(parse_instance(instance("participation", CONFLICT)))
    assert {(a.mentee, a.mentor) for a in result.assignments} == {("ann", "X"), ("bob", "Y")}
    assert (result.matched, result.total_score) == (2, 0.15)


def test_score_objective_takes_the_highest_total_even_with_fewer_matches() -> None:
    result = solve(parse_instance(instance("score", CONFLICT)))
    assert {(a.mentee, a.mentor) for a in result.assignments} == {("bob", "X")}
    assert result.total_score == 1.0


def test_one_more_match_outweighs_any_score_difference() -> None:
    # A chain where matching everyone forces every pair onto its worst option: 3 x 0.0 beats
    # 2 x 1.0 under participation.
    chain = [["a", "X", 1.0], ["b", "Y", 1.0], ["a", "Z", 0.0], ["b", "X", 0.0], ["c", "Y", 0.0]]
    assert pairs(instance("participation", chain)) == {("a", "Z"), ("b", "X"), ("c", "Y")}
    assert pairs(instance("score", chain)) >= {("a", "X"), ("b", "Y")}


def test_participation_picks_the_best_total_among_maximum_matchings() -> None:
    cands = [
        [i, j, round(((k * 7) % 10) / 10, 1)] for k, (i, j) in enumerate(itertools.product("abc", "XYZ"))
    ]
    table = {(i, j): s for i, j, s in cands}
    best = max(
        sum(table[(i, j)] for i, j in zip("abc", perm, strict=True)) for perm in itertools.permutations("XYZ")
    )
    result = solve(parse_instance(instance("participation", cands)))
    assert result.matched == 3
    assert abs(result.total_score - best) < 1e-9


def test_score_objective_still_places_zero_score_mentees_where_there_is_room() -> None:
    data = instance("score", [["a", "X", 0.0], ["b", "X", 0.5]], capacity={"X": 2})
    assert pairs(data) == {("a", "X"), ("b", "X")}


def test_ties_are_broken_the_same_way_every_time() -> None:
    # Everyone scores the same with everyone: many optimal answers, always the same one returned.
    cands = [[i, j, 0.5] for i in ("a", "b", "c", "d") for j in ("X", "Y", "Z")]
    first = pairs(instance("participation", cands))
    for _ in range(5):
        assert pairs(instance("participation", cands)) == first
    assert pairs(instance("participation", list(reversed(cands)))) == first
