"""Scores by hand: needs at, below and beside the wanted level, goal themes, team, renormalising."""

from __future__ import annotations

import numpy as np
import pytest

from matching import parse_instance, score_pairs, solve, suggest
from matching.scoring import pair_criteria

SKILLS = {
    "python": {"related": {"data-analysis": 0.5}},
    "data-analysis": {"related": {"statistics": 0.8}},
    "statistics": {},
    "rust": {},
}


def one_pair(mentee: dict, mentor: dict, **options: object) -> float:
    data = {"skills": SKILLS, "mentees": [mentee], "mentors": [mentor], "options": options}
    scored = score_pairs(parse_instance(data))
    assert len(scored) == 1
    return float(scored.scores[0])


def test_need_met_at_or_above_wanted_level_is_full_credit() -> None:
    assert (
        one_pair({"id": "a", "needs": {"python": 3}}, {"id": "m", "capacity": 1, "skills": {"python": 3}})
        == 1.0
    )
    assert (
        one_pair({"id": "a", "needs": {"python": 3}}, {"id": "m", "capacity": 1, "skills": {"python": 5}})
        == 1.0
    )


def test_lower_level_gets_proportional_credit() -> None:
    score = one_pair({"id": "a", "needs": {"python": 4}}, {"id": "m", "capacity": 1, "skills": {"python": 1}})
    assert score == 0.25


def test_related_skill_credit_is_the_product_along_the_best_path() -> None:
    # python -> data-analysis (0.5) -> statistics (0.8): 0.4, times level credit 2/4.
    score = one_pair(
        {"id": "a", "needs": {"python": 4}}, {"id": "m", "capacity": 1, "skills": {"statistics": 2}}
    )
    assert score == pytest.approx(0.2, abs=1e-6)


def test_related_credit_below_the_floor_counts_nothing() -> None:
    mentee = {"id": "a", "needs": {"python": 1}}
    mentor = {"id": "m", "capacity": 1, "skills": {"statistics": 5}}
    assert one_pair(mentee, mentor, related_min_credit=0.5) == 0.0
    assert one_pair(mentee, mentor, related_min_credit=0.4) == 0.4


def test_best_covering_skill_wins_and_needs_are_averaged() -> None:
    mentee = {"id": "a", "needs": {"data-analysis": 2, "rust": 2}}
    # data-analysis: direct level 1 gives 0.5, statistics via 0.8 at full level gives 0.8: take 0.8.
    mentor = {"id": "m", "capacity": 1, "skills": {"data-analysis": 1, "statistics": 3}}
    assert one_pair(mentee, mentor) == pytest.approx(0.4, abs=1e-6)


def test_goals_and_team_with_default_weights() -> None:
    mentee = {"id": "a", "needs": {"rust": 2}, "goals": ["career", "speaking"], "team": "web"}
    mentor = {"id": "m", "capacity": 1, "skills": {"rust": 2}, "topics": ["career"], "team": "data"}
    # 0.7 * 1 + 0.25 * 0.5 + 0.05 * 1
    assert one_pair(mentee, mentor) == 0.875
    same_team = dict(mentor, team="web")
    assert one_pair(mentee, same_team) == 0.825


def test_weights_renormalise_over_what_the_mentee_stated() -> None:
    # No goals: needs and team share the weight 0.7 : 0.05.
    mentee = {"id": "a", "needs": {"rust": 2}, "team": "web"}
    mentor = {"id": "m", "capacity": 1, "skills": {"rust": 1}, "team": "data"}
    assert one_pair(mentee, mentor) == pytest.approx(round((0.7 * 0.5 + 0.05) / 0.75, 6), abs=0)
    # No team known: only needs count.
    assert one_pair({"id": "a", "needs": {"rust": 2}}, mentor) == 0.5


def test_a_mentee_who_stated_nothing_scores_zero_even_across_teams() -> None:
    assert one_pair({"id": "a", "team": "web"}, {"id": "m", "capacity": 1, "team": "data"}) == 0.0


def test_custom_weights() -> None:
    mentee = {"id": "a", "needs": {"rust": 2}, "goals": ["career"]}
    mentor = {"id": "m", "capacity": 1, "skills": {"rust": 2}, "topics": []}
    assert one_pair(mentee, mentor, weights={"needs": 1, "goals": 3, "team": 0}) == 0.25


def random_instance(seed: int, n: int = 30, m: int = 12) -> dict:
    rng = np.random.default_rng(seed)
    names = sorted(SKILLS)
    themes = ["a", "b", "c", "d"]
    return {
        "skills": SKILLS,
        "mentees": [
            {
                "id": f"e{i}",
                "needs": {
                    names[s]: int(rng.integers(1, 6)) for s in rng.choice(4, int(rng.integers(0, 4)), False)
                },
                "goals": [themes[t] for t in rng.choice(4, int(rng.integers(0, 3)), False)],
                "team": ["x", "y", None][int(rng.integers(0, 3))],
            }
            for i in range(n)
        ],
        "mentors": [
            {
                "id": f"m{j}",
                "capacity": int(rng.integers(0, 3)),
                "skills": {
                    names[s]: int(rng.integers(1, 6)) for s in rng.choice(4, int(rng.integers(0, 4)), False)
                },
                "topics": [themes[t] for t in rng.choice(4, int(rng.integers(0, 3)), False)],
                "team": ["x", "y", None][int(rng.integers(0, 3))],
            }
            for j in range(m)
        ],
    }


@pytest.mark.parametrize("seed", range(5))
def test_matrix_pair_and_suggest_paths_give_bit_identical_scores(seed: int) -> None:
    instance = parse_instance(random_instance(seed))
    scored = score_pairs(instance)
    table = {(a, b): s for a, b, s in scored.triples()}
    assert all(0.0 <= s <= 1.0 for s in table.values())
    crit = pair_criteria(instance, scored.rows, scored.cols)
    assert crit.total.tolist() == scored.scores.tolist()
    for mentee in instance.mentees:
        for s in suggest(instance, mentee.id, k=100):
            assert table[(mentee.id, s.mentor)] == s.score
    for a in solve(instance).assignments:
        assert table[(a.mentee, a.mentor)] == a.score


@pytest.mark.parametrize("seed", range(3))
def test_breakdown_weights_sum_to_one_and_recombine_to_the_score(seed: int) -> None:
    instance = parse_instance(random_instance(seed))
    for a in solve(instance).assignments:
        parts = a.breakdown.values()
        if any(p["weight"] for p in parts):
            assert sum(p["weight"] for p in parts) == pytest.approx(1.0, abs=1e-5)
        assert sum(p["value"] * p["weight"] for p in parts) == pytest.approx(a.score, abs=2e-6)
