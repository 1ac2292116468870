"""The reasons attached to every assignment and to every unmatched mentee."""

from __future__ import annotations

from matching import parse_instance, solve

SKILLS = {"python": {"related": {"data": 0.6}}, "data": {"related": {"stats": 0.5}}, "stats": {}, "lead": {}}


def result_for(data: dict) -> tuple[dict, dict]:
    result = solve(parse_instance({"skills": SKILLS, **data}))
    return {a.mentee: a for a in result.assignments}, {u.mentee: u for u in result.unmatched}


def test_assignment_reasons_name_skills_levels_paths_themes_and_team() -> None:
    assigned, _ = result_for(
        {
            "mentees": [
                {
                    "id": "ann",
                    "needs": {"python": 3, "lead": 4, "stats": 2},
                    "goals": ["career", "speaking"],
                    "team": "web",
                }
            ],
            "mentors": [
                {
                    "id": "max",
                    "capacity": 1,
                    "skills": {"python": 5, "lead": 2, "data": 4},
                    "topics": ["career"],
                    "team": "data",
                }
            ],
        }
    )
    assert assigned["ann"].reasons == (
        "need lead (level 4): mentor has lead at level 2, partial credit 0.50",
        "need python (level 3): mentor has python at level 5, full credit",
        "need stats (level 2): related skill data at level 4 via stats -> data, credit 0.50",
        "shared goal themes: career (1 of 2)",
        "from another team (data; mentee in web)",
    )
    assert assigned["ann"].breakdown["needs"] == {"value": round((0.5 + 1 + 0.5) / 3, 6), "weight": 0.7}


def test_related_skill_reason_shows_the_whole_path() -> None:
    assigned, _ = result_for(
        {
            "mentees": [{"id": "ann", "needs": {"python": 1}}],
            "mentors": [{"id": "max", "capacity": 1, "skills": {"stats": 3}}],
        }
    )
    assert assigned["ann"].reasons == (
        "need python (level 1): related skill stats at level 3 via python -> data -> stats, credit 0.30",
    )
    assert assigned["ann"].score == 0.3


def test_uncovered_needs_missing_themes_and_same_team_are_said_too() -> None:
    assigned, _ = result_for(
        {
            "mentees": [{"id": "ann", "needs": {"lead": 2}, "goals": ["career"], "team": "web"}],
            "mentors": [
                {"id": "max", "capacity": 1, "skills": {"python": 5}, "topics": ["golf"], "team": "web"}
            ],
        }
    )
    assert assigned["ann"].reasons == (
        "need lead (level 2): not covered",
        "no shared goal themes (wanted: career)",
        "same team (web): no other-team credit",
    )


def test_explicit_candidates_carry_their_given_score_as_the_reason() -> None:
    result = solve(
        parse_instance(
            {
                "mentees": [{"id": "a"}],
                "mentors": [{"id": "m", "capacity": 1}],
                "candidates": [["a", "m", 0.25]],
            }
        )
    )
    assert result.assignments[0].reasons == ("explicit candidate score 0.25",)


def test_unmatched_with_no_eligible_mentor_counts_each_blocking_constraint() -> None:
    _, unmatched = result_for(
        {
            "mentees": [{"id": "ann", "managers": ["boss"], "needs": {"lead": 1}}],
            "mentors": [
                {"id": "boss", "capacity": 1, "skills": {"lead": 5}},
                {"id": "ann", "capacity": 1, "skills": {"lead": 5}},
                {"id": "rep", "capacity": 1, "managers": ["ann"], "skills": {"lead": 5}},
                {"id": "ex", "capacity": 1, "skills": {"lead": 5}},
                {"id": "full", "capacity": 0, "skills": {"lead": 5}},
                {"id": "weak1", "capacity": 1, "skills": {"python": 1}},
                {"id": "weak2", "capacity": 1, "skills": {"stats": 1}},
            ],
            "exclude": [["ann", "ex"]],
            "options": {"min_score": 0.5},
        }
    )
    assert unmatched["ann"].reason == (
        "no eligible mentor among 7: 1 is the mentee themself, 1 in the mentee's management chain, "
        "1 in the mentee's own subtree, 1 excluded pair, 1 with capacity 0, "
        "2 below min_score 0.5 (best: weak1 at 0)"
    )
    assert unmatched["ann"].constraint == "min_score"


def test_unmatched_because_every_eligible_mentor_is_full_names_them() -> None:
    _, unmatched = result_for(
        {
            "mentees": [{"id": f"e{k}", "needs": {"lead": 1}} for k in range(3)],
            "mentors": [
                {"id": "m1", "capacity": 1, "skills": {"lead": 5}},
                {"id": "m2", "capacity": 1, "skills": {"lead": 5}},
            ],
        }
    )
    (only,) = unmatched.values()
    assert only.constraint == "capacity"
    assert only.reason == "all 2 eligible mentors are at capacity: m1 (1/1), m2 (1/1)"


def test_unmatched_reason_lists_a_few_mentors_then_how_many_more() -> None:
    _, unmatched = result_for(
        {
            "mentees": [{"id": f"e{k}", "needs": {"lead": 1}} for k in range(6)],
            "mentors": [{"id": f"m{k}", "capacity": 1, "skills": {"lead": 1 + k % 5}} for k in range(5)],
        }
    )
    (only,) = unmatched.values()
    assert only.reason.startswith("all 5 eligible mentors are at capacity: ")
    assert only.reason.endswith(" and 2 more")


def test_no_mentors_at_all() -> None:
    _, unmatched = result_for({"mentees": [{"id": "ann"}], "mentors": []})
    assert (unmatched["ann"].reason, unmatched["ann"].constraint) == ("there are no mentors", "no_mentors")
