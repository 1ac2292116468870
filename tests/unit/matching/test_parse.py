"""Validation: every malformed field is an InputError naming it; valid input becomes a canonical Instance."""

from __future__ import annotations

import pytest

from matching import InputError, parse_instance

BASE = {"mentees": [{"id": "a"}], "mentors": [{"id": "m", "capacity": 1}]}


def with_(**changes: object) -> dict:
    return {**BASE, **changes}


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (with_(extra=1), "instance: unknown field 'extra'"),
        (with_(mentees={"a": {}}), "mentees: expected an array, got an object"),
        (with_(mentees=[{"id": "a"}, {"id": "a"}]), "mentees: duplicate id 'a'"),
        (with_(mentors=[{"id": "m"}]), "mentors[0] (m): missing required field 'capacity'"),
        (
            with_(mentors=[{"id": "m", "capacity": True}]),
            "capacity: expected a non-negative integer, got a boolean",
        ),
        (with_(mentors=[{"id": "m", "capacity": 1.5}]), "capacity: expected a non-negative integer"),
        (with_(mentees=[{"id": "a", "nedes": {}}]), "mentees[0]: unknown field 'nedes'"),
        (with_(mentees=[{"id": "a", "goals": "career"}]), "mentees[0] (a).goals: expected an array"),
        (with_(mentees=[{"id": "a", "managers": ["a"]}]), "'a' lists itself as its own manager"),
        (with_(mentees=[{"id": "a", "managers": ["b", "b"]}]), "a manager appears twice in the chain"),
        (with_(mentees=[{"id": "a", "managers": [""]}]), "managers[0]: expected a non-empty string"),
        (with_(mentees=[{"id": "a", "team": 3}]), "mentees[0] (a).team: expected a string or null"),
        (with_(skills={"py": {}}, mentees=[{"id": "a", "needs": {"go": 1}}]), "unknown skill 'go'"),
        (with_(skills={"py": {"related": {"go": 0.5}}}), "skills.py.related.go: unknown skill 'go'"),
        (with_(skills={"py": {"related": {"py": 0.5}}}), "a skill cannot be related to itself"),
        (
            with_(skills={"py": {}, "go": {"related": {"py": 0}}}),
            "skills.go.related.py: must be in (0, 1], got 0",
        ),
        (with_(candidates=[["a", "m"]]), "candidates[0]: expected an array of 3 items"),
        (with_(candidates=[["a", "m", 0.5], ["a", "m", 0.6]]), "candidates[1]: duplicate candidate pair"),
        (with_(candidates=[["a", "m", "0.5"]]), "candidates[0] score: expected a number"),
        (with_(candidates=[[["a"], "m", 0.5]]), "candidates[0]: unknown mentee id ['a']"),
        (with_(exclude=[["a"]]), "exclude[0]: expected an array of 2 items"),
        (with_(options={"min_score": 2}), "options.min_score: must be in [0, 1], got 2"),
        (with_(options={"max_load_share": 0}), "options.max_load_share: must be in (0, 1], got 0"),
        (with_(options={"weights": {"needs": 0, "goals": 0}}), "needs and goals cannot both be 0"),
        (with_(options={"weights": {"skill": 1}}), "options.weights: unknown field 'skill'"),
        (with_(options={"solver": "gurobi"}), "options.solver: expected 'auto' or 'networkx'"),
        (with_(options={"speed": 1}), "options: unknown field 'speed'"),
    ],
)
def test_bad_input_names_the_problem(data: dict, message: str) -> None:
    with pytest.raises(InputError) as err:
        parse_instance(data)
    assert message in str(err.value)
    assert "\n" not in str(err.value)


def test_people_are_sorted_and_sets_are_canonical() -> None:
    instance = parse_instance(
        {
            "mentees": [{"id": "b", "goals": ["y", "x", "x"]}, {"id": "a", "managers": ["z", "y"]}],
            "mentors": [{"id": "n", "capacity": 0}, {"id": "m", "capacity": 2, "topics": ["t"]}],
        }
    )
    assert [p.id for p in instance.mentees] == ["a", "b"]
    assert [p.id for p in instance.mentors] == ["m", "n"]
    assert instance.mentees[1].goals == ("x", "y")
    assert instance.mentees[0].managers == ("z", "y")  # a chain keeps its order: nearest first
    assert instance.options.objective == "participation"


def test_managers_outside_the_programme_are_allowed() -> None:
    parse_instance(with_(mentees=[{"id": "a", "managers": ["vp-not-in-the-instance"]}]))


def test_explicit_candidates_need_no_skills_needs_or_topics() -> None:
    instance = parse_instance(with_(candidates=[["a", "m", 1]]))
    assert instance.candidates == (("a", "m", 1.0),)
