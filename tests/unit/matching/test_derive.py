"""with_mentees(): an instance derived for other mentees suggests exactly what the same instance
parsed from scratch suggests, shares the compiled mentors, and checks its input."""

from __future__ import annotations

import random
import re
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from matching import InputError, parse_instance, suggest, with_mentees
from matching.arrays import mentor_side

SKILLS = {"a": {"related": {"b": 0.5}}, "b": {"related": {"c": 0.6}}, "c": {}, "d": {}}


def random_data(rng: random.Random) -> dict[str, Any]:
    """Mentors (some also mentees) with chains, teams, skills and topics, and a few mentees."""
    ids = [f"p{k}" for k in range(rng.randint(2, 30))]
    boss = {p: rng.choice(ids[:k]) for k, p in enumerate(ids) if k and rng.random() < 0.8}

    def person(pid: str) -> dict[str, Any]:
        chain, up = [], pid
        while up in boss and len(chain) < rng.randint(0, 4):
            up = boss[up]
            chain.append(up)
        return {"id": pid, "team": rng.choice(["t1", "t2", None]), "managers": chain}

    def levels() -> dict[str, int]:
        return {s: rng.randint(1, 5) for s in rng.sample(sorted(SKILLS), rng.randint(0, 3))}

    def themes() -> list[str]:
        return rng.sample(["x", "y", "z"], rng.randint(0, 2))

    mentors = [
        {**person(p), "capacity": rng.randint(0, 2), "skills": levels(), "topics": themes()}
        for p in rng.sample(ids, rng.randint(1, len(ids)))
    ]
    mentees = [{**person(p), "needs": levels(), "goals": themes()} for p in rng.sample(ids, min(5, len(ids)))]
    options = {"min_score": rng.choice([0.0, 0.0, 0.3]), "related_min_credit": rng.choice([0.25, 0.5])}
    return {"skills": SKILLS, "mentees": mentees, "mentors": mentors, "options": options}


@settings(max_examples=60, deadline=None)
@given(seed=st.integers(0, 2**32 - 1))
def test_a_derived_instance_suggests_what_a_parsed_one_does(seed: int) -> None:
    rng = random.Random(seed)
    data = random_data(rng)
    pool = parse_instance({**data, "mentees": []})
    everyone = data["mentors"]
    for mentee in data["mentees"]:
        exclude = [[mentee["id"], m["id"]] for m in rng.sample(everyone, min(2, len(everyone)))]
        capacity = {m["id"]: rng.randint(0, 2) for m in rng.sample(everyone, min(3, len(everyone)))}
        mentors = [{**m, "capacity": capacity.get(m["id"], m["capacity"])} for m in data["mentors"]]
        expected = parse_instance({**data, "mentees": [mentee], "mentors": mentors, "exclude": exclude})
        derived = with_mentees(pool, [mentee], exclude=exclude, capacity=capacity)
        assert derived.mentors == expected.mentors
        assert suggest(derived, mentee["id"], k=50) == suggest(expected, mentee["id"], k=50)


def test_compiled_mentors_are_shared_but_not_the_need_memo() -> None:
    data = random_data(random.Random(3))
    pool = parse_instance({**data, "mentees": []})
    one = with_mentees(pool, [{"id": "new", "needs": {"a": 3}}])
    two = with_mentees(pool, [{"id": "new", "needs": {"c": 2}}], capacity={data["mentors"][0]["id"]: 0})
    suggest(one, "new")
    suggest(two, "new")
    assert mentor_side(one).holders is mentor_side(pool).holders is mentor_side(two).holders
    # Each derivation memoises the coverage of its own needs only: a shared memo would grow with
    # every need ever asked about.
    assert set(mentor_side(one).coverage) == {("a", 3)}
    assert set(mentor_side(two).coverage) == {("c", 2)}
    assert mentor_side(pool).coverage == {}


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"mentees": [{"id": "x", "needs": {"zz": 2}}]}, "mentees[0] (x).needs: unknown skill 'zz'"),
        ({"mentees": [{"id": "x"}, {"id": "x"}]}, "mentees: duplicate id 'x'"),
        ({"exclude": [["x", "nobody"]]}, "exclude[0]: unknown mentor id 'nobody'"),
        ({"exclude": [["y", "m1"]]}, "exclude[0]: unknown mentee id 'y'"),
        ({"capacity": {"nobody": 1}}, "capacity: unknown mentor id 'nobody'"),
        ({"capacity": {"m1": -1}}, "capacity.m1: expected a non-negative integer, got the number -1"),
        ({"capacity": {"m1": True}}, "capacity.m1: expected a non-negative integer, got a boolean"),
    ],
)
def test_bad_input_names_the_field(change: dict[str, Any], message: str) -> None:
    pool = parse_instance({"skills": SKILLS, "mentees": [], "mentors": [{"id": "m1", "capacity": 1}]})
    args: dict[str, Any] = {"mentees": [{"id": "x"}], **change}
    with pytest.raises(InputError, match=re.escape(message)):
        with_mentees(pool, args.pop("mentees"), **args)


def test_an_instance_with_explicit_candidates_cannot_be_derived() -> None:
    data = {
        "mentees": [{"id": "a"}],
        "mentors": [{"id": "m", "capacity": 1}],
        "candidates": [["a", "m", 0.5]],
    }
    with pytest.raises(InputError, match="explicit candidates"):
        with_mentees(parse_instance(data), [{"id": "b"}])
