"""suggest(): the top-k eligible mentors for one mentee, with reasons."""

from __future__ import annotations

import random

import pytest

from matching import InputError, parse_instance, score_pairs, suggest

DATA = {
    "skills": {"py": {"related": {"data": 0.5}}, "data": {}},
    "mentees": [{"id": "ann", "needs": {"py": 4}, "goals": ["career"], "managers": ["boss"]}],
    "mentors": [
        {"id": "boss", "capacity": 1, "skills": {"py": 5}, "topics": ["career"]},
        {"id": "m1", "capacity": 1, "skills": {"py": 4}},
        {"id": "m2", "capacity": 1, "skills": {"py": 2}, "topics": ["career"]},
        {"id": "m3", "capacity": 0, "skills": {"py": 5}, "topics": ["career"]},
        {"id": "m4", "capacity": 2, "skills": {"data": 5}},
        {"id": "m5", "capacity": 1, "skills": {"py": 4}},
        {"id": "m6", "capacity": 1},
    ],
    "exclude": [["ann", "m5"]],
    "options": {"min_score": 0.01},
}


def test_best_first_eligible_only_with_reasons() -> None:
    got = suggest(parse_instance(DATA), "ann", k=5)
    # boss is in the chain, m3 is full, m5 excluded, m6 scores 0 (< min_score). Weights without a
    # team: needs 0.7 / 0.95, goals 0.25 / 0.95. m1: py covered; m2: py at 2 of 4 plus the theme;
    # m4: data at full level through the 0.5 relation.
    wn, wg = 0.7 / 0.95, 0.25 / 0.95
    expected = [("m1", round(wn, 6)), ("m2", round(wn * 0.5 + wg, 6)), ("m4", round(wn * 0.5, 6))]
    assert [(s.mentor, s.score) for s in got] == expected
    assert got[0].reasons == (
        "need py (level 4): mentor has py at level 4, full credit",
        "no shared goal themes (wanted: career)",
    )
    assert got[2].reasons[0] == "need py (level 4): related skill data at level 5 via py -> data, credit 0.50"


def test_k_limits_and_ties_break_by_mentor_id() -> None:
    data = {
        "mentees": [{"id": "a"}],
        "mentors": [{"id": f"m{k}", "capacity": 1} for k in (3, 1, 2)],
        "candidates": [["a", "m3", 0.5], ["a", "m1", 0.5], ["a", "m2", 0.9]],
    }
    assert [s.mentor for s in suggest(parse_instance(data), "a", k=2)] == ["m2", "m1"]
    assert suggest(parse_instance(data), "a", k=0) == []


def test_unknown_mentee_or_bad_k() -> None:
    instance = parse_instance(DATA)
    with pytest.raises(InputError, match="unknown mentee id 'zed'"):
        suggest(instance, "zed")
    with pytest.raises(InputError, match="k must be a non-negative integer"):
        suggest(instance, "ann", k=-1)


def test_suggest_sees_exactly_the_pairs_solve_may_use() -> None:
    # A random org (chains through mentors' own records) and exclusions; suggest's per-mentee
    # constraint path must agree with the all-pairs one behind score_pairs and solve.
    rng = random.Random(4)
    ids = [f"p{k}" for k in range(40)]
    boss = {p: rng.choice(ids[:k]) for k, p in enumerate(ids) if k}

    def chain(p: str) -> list[str]:
        up = []
        while p in boss:
            p = boss[p]
            up.append(p)
        return up[: rng.randint(0, 3)]  # partial chains: the graph has to join them up

    mentees = [{"id": p, "needs": {"py": rng.randint(1, 5)}, "managers": chain(p)} for p in ids[5:]]
    mentors = [
        {"id": p, "capacity": rng.randint(0, 2), "skills": {"py": rng.randint(1, 5)}, "managers": chain(p)}
        for p in ids[::2]
    ]
    data = {
        "mentees": mentees,
        "mentors": mentors,
        "exclude": [[rng.choice(mentees)["id"], rng.choice(mentors)["id"]] for _ in range(10)],
        "options": {"min_score": 0.3},
    }
    expected: dict[str, list[tuple[str, float]]] = {}
    for a, b, s in score_pairs(parse_instance(data)).triples():
        expected.setdefault(a, []).append((b, s))
    fresh = parse_instance(data)  # nothing cached: suggest takes its own per-mentee path
    for mentee in mentees:
        got = [(s.mentor, s.score) for s in suggest(fresh, mentee["id"], k=100)]
        assert got == expected.get(mentee["id"], [])
