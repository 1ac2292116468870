"""Each hard constraint on its own, on instances small enough to check by hand."""

from __future__ import annotations

from typing import Any

from matching import build_org_chart, parse_instance, score_pairs, solve


def run(mentees: list[dict], mentors: list[dict], **extra: Any) -> dict[str, str]:
    data = {"mentees": mentees, "mentors": mentors, **extra}
    result = solve(parse_instance(data))
    return {a.mentee: a.mentor for a in result.assignments}


def pairs(mentees: list[dict], mentors: list[dict], **extra: Any) -> set[tuple[str, str]]:
    data = {"mentees": mentees, "mentors": mentors, **extra}
    return {(a, b) for a, b, _ in score_pairs(parse_instance(data)).triples()}


GOOD = {"skills": {"x": 5}, "topics": ["t"]}  # a mentor who fully covers NEED
NEED = {"needs": {"x": 3}, "goals": ["t"]}


def test_never_the_mentee_themself() -> None:
    mentees = [{"id": "ann", **NEED}]
    mentors = [{"id": "ann", "capacity": 1, **GOOD}, {"id": "bob", "capacity": 1}]
    assert run(mentees, mentors) == {"ann": "bob"}
    assert pairs(mentees, mentors) == {("ann", "bob")}


def test_never_anyone_in_the_management_chain() -> None:
    mentees = [{"id": "ann", "managers": ["cat", "dan"], **NEED}]
    mentors = [
        {"id": "cat", "capacity": 1, **GOOD},
        {"id": "dan", "capacity": 1, **GOOD},
        {"id": "eve", "capacity": 1},
    ]
    assert run(mentees, mentors) == {"ann": "eve"}


def test_never_anyone_in_the_mentees_own_subtree() -> None:
    mentees = [{"id": "boss", **NEED}]
    mentors = [
        {"id": "report", "capacity": 1, "managers": ["boss"], **GOOD},
        {"id": "skip-level", "capacity": 1, "managers": ["mid", "boss"], **GOOD},
        {"id": "peer", "capacity": 1, "managers": ["ceo"]},
    ]
    assert run(mentees, mentors) == {"boss": "peer"}


def test_never_an_excluded_pair() -> None:
    mentees = [{"id": "ann", **NEED}]
    mentors = [{"id": "bob", "capacity": 1, **GOOD}, {"id": "cy", "capacity": 1}]
    assert run(mentees, mentors, exclude=[["ann", "bob"]]) == {"ann": "cy"}


def test_never_over_capacity_and_capacity_zero_means_unavailable() -> None:
    mentees = [{"id": f"e{k}", **NEED} for k in range(4)]
    mentors = [{"id": "star", "capacity": 2, **GOOD}, {"id": "off", "capacity": 0, **GOOD}]
    got = run(mentees, mentors)
    assert sorted(got.values()) == ["star", "star"]
    assert all(m != "off" for _, m in pairs(mentees, mentors))


def test_never_below_min_score() -> None:
    mentees = [{"id": "ann", **NEED}]
    weak = {"id": "weak", "capacity": 1, "skills": {"x": 1}}  # needs 1/3 -> score 0.7*0.333/0.95
    assert run(mentees, [weak], options={"min_score": 0.5}) == {}
    assert run(mentees, [weak], options={"min_score": 0.2}) == {"ann": "weak"}


def test_min_score_is_inclusive_at_the_printed_six_decimals() -> None:
    data = {
        "mentees": [{"id": "a"}],
        "mentors": [{"id": "m", "capacity": 1}],
        "candidates": [["a", "m", 0.3]],
        "options": {"min_score": 0.3},
    }
    assert len(solve(parse_instance(data)).assignments) == 1


def test_explicit_candidates_still_obey_every_constraint() -> None:
    data = {
        "mentees": [{"id": "a", "managers": ["boss"]}, {"id": "b"}],
        "mentors": [{"id": "boss", "capacity": 5}, {"id": "a", "capacity": 5}, {"id": "c", "capacity": 1}],
        "candidates": [
            ["a", "boss", 1.0],
            ["a", "a", 1.0],
            ["a", "c", 0.2],
            ["b", "c", 0.9],
            ["b", "boss", 0.1],
        ],
        "exclude": [["b", "c"]],
    }
    result = solve(parse_instance(data))
    assert {(x.mentee, x.mentor) for x in result.assignments} == {("a", "c"), ("b", "boss")}


def test_chains_combine_across_records_in_the_org_chart() -> None:
    # ann lists only her manager; her manager's own record lists the CEO: the CEO is in ann's
    # chain too, and ann is in the CEO's subtree.
    mentees = [{"id": "ann", "managers": ["lead"], **NEED}, {"id": "ceo", **NEED}]
    mentors = [
        {"id": "lead", "capacity": 1, "managers": ["ceo"], **GOOD},
        {"id": "ceo", "capacity": 1, **GOOD},
        {"id": "ext", "capacity": 1},
    ]
    assert ("ann", "ceo") not in pairs(mentees, mentors)
    assert ("ceo", "lead") not in pairs(mentees, mentors)  # lead reports to the CEO
    assert pairs(mentees, mentors) == {("ann", "ext"), ("ceo", "ext")}


def test_the_org_chart_is_a_networkx_tree_read_from_nearest_first_chains() -> None:
    people = parse_instance(
        {
            "mentees": [{"id": "a", "managers": ["b", "c"]}, {"id": "d", "managers": ["c"]}],
            "mentors": [{"id": "b", "capacity": 1, "managers": ["c"]}],
        }
    )
    chart = build_org_chart((*people.mentees, *people.mentors))
    assert sorted(chart.edges) == [("a", "b"), ("b", "c"), ("d", "c")]


def test_a_cycle_in_bad_org_data_forbids_both_directions_and_does_not_crash() -> None:
    mentees = [{"id": "x", "managers": ["y"], **NEED}]
    mentors = [{"id": "y", "capacity": 1, "managers": ["x"], **GOOD}, {"id": "z", "capacity": 1}]
    assert run(mentees, mentors) == {"x": "z"}
