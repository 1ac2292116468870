"""Properties on tiny random instances: feasibility, optimality against brute force, determinism."""

from __future__ import annotations

import io
import itertools
import json
import math
import random
from typing import Any
from unittest import mock

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from matching import parse_instance, score_pairs, solve, solver
from matching.cli import main

POOL = [f"p{k}" for k in range(7)]  # mentors and mentees are drawn from one pool, so some are both
SKILLS = {"a": {"related": {"b": 0.5}}, "b": {"related": {"c": 0.6}}, "c": {}, "d": {}}
THEMES = ["x", "y", "z"]
FEW_SCORES = [0.0, 0.1, 0.25, 0.5, 0.5, 0.75, 1.0]  # repeated values make ties common


@st.composite
def instances(draw: st.DrawFn, explicit: bool | None = None) -> dict[str, Any]:
    mentee_ids = draw(st.lists(st.sampled_from(POOL), max_size=5, unique=True))
    mentor_ids = draw(st.lists(st.sampled_from(POOL), max_size=4, unique=True))
    explicit = draw(st.booleans()) if explicit is None else explicit
    levels = st.dictionaries(st.sampled_from(sorted(SKILLS)), st.integers(1, 5), max_size=3)
    themes = st.lists(st.sampled_from(THEMES), max_size=2, unique=True)
    managers = st.lists(st.sampled_from(POOL), max_size=3, unique=True)
    teams = st.sampled_from(["t1", "t2", None])

    def person(pid: str, **fields: Any) -> dict[str, Any]:
        chain = [b for b in draw(managers) if b != pid]
        return {"id": pid, "team": draw(teams), "managers": chain, **fields}

    mentees = [person(i, needs=draw(levels), goals=draw(themes)) for i in mentee_ids]
    mentors = [
        # Some capacities exceed the 5 mentees at most: the solver clips those, the load share must not.
        person(
            j, capacity=draw(st.integers(0, 2) | st.integers(3, 8)), skills=draw(levels), topics=draw(themes)
        )
        for j in mentor_ids
    ]
    pairs = [(i, j) for i in mentee_ids for j in mentor_ids]
    data: dict[str, Any] = {
        "skills": SKILLS,
        "mentees": mentees,
        "mentors": mentors,
        "exclude": [list(p) for p in draw(st.lists(st.sampled_from(pairs), max_size=3, unique=True))]
        if pairs
        else [],
        "options": {
            "objective": draw(st.sampled_from(["participation", "score"])),
            "min_score": draw(st.sampled_from([0.0, 0.0, 0.2, 0.5])),
            "max_load_share": draw(st.sampled_from([None, None, 0.5])),
            "load_share_margin": draw(st.sampled_from([0.0, 0.1, 0.3])),
        },
    }
    if explicit:
        chosen = draw(st.lists(st.sampled_from(pairs), unique=True)) if pairs else []
        data["candidates"] = [[i, j, draw(st.sampled_from(FEW_SCORES))] for i, j in chosen]
    return data


def raw_scores(data: dict[str, Any]) -> dict[tuple[str, str], float]:
    """Score of every pair, ignoring all constraints (scoring is tested by hand elsewhere)."""
    if "candidates" in data:
        return {(i, j): s for i, j, s in data["candidates"]}
    free = dict(data, exclude=[], options={})
    free["mentees"] = [dict(p, managers=[]) for p in data["mentees"]]
    free["mentors"] = [dict(p, managers=[], capacity=1) for p in data["mentors"]]
    # Self pairs stay out of this table; they are never eligible, so their score does not matter.
    return {(a, b): s for a, b, s in score_pairs(parse_instance(free)).triples()}


def chain(data: dict[str, Any], person: str) -> set[str]:
    """Everyone above ``person`` in the org chart that the chains (nearest manager first) spell
    out link by link: a chain [a, b] says a reports to b, whoever's record it is in."""
    bosses: dict[str, set[str]] = {}
    for p in data["mentees"] + data["mentors"]:
        links = [p["id"], *p["managers"]]
        for low, high in zip(links, links[1:], strict=False):
            bosses.setdefault(low, set()).add(high)
    seen, todo = set(), [person]
    while todo:
        for boss in bosses.get(todo.pop(), ()):
            if boss not in seen:
                seen.add(boss)
                todo.append(boss)
    return seen - {person}


def eligible(data: dict[str, Any], scores: dict[tuple[str, str], float]) -> dict[tuple[str, str], float]:
    """The hard constraints, written independently of the engine."""
    mentors = {m["id"]: m for m in data["mentors"]}
    excluded = {tuple(p) for p in data["exclude"]}
    out = {}
    for e in data["mentees"]:
        for j, r in mentors.items():
            s = scores.get((e["id"], j))
            if (
                s is not None
                and e["id"] != j
                and j not in chain(data, e["id"])
                and e["id"] not in chain(data, j)
                and (e["id"], j) not in excluded
                and r["capacity"] > 0
                and s >= data["options"]["min_score"]
            ):
                out[(e["id"], j)] = s
    return out


def value(data: dict[str, Any], assignment: dict[str, str], scores: dict[tuple[str, str], float]) -> tuple:
    """The documented objective, in exact integers: (matches, micro-score sum - penalty * overflow)."""
    options = data["options"]
    load: dict[str, int] = {}
    for j in assignment.values():
        load[j] = load.get(j, 0) + 1
    overflow = 0
    if options["max_load_share"] is not None:
        for r in data["mentors"]:
            regular = min(r["capacity"], max(1, math.floor(r["capacity"] * options["max_load_share"] + 1e-9)))
            overflow += max(0, load.get(r["id"], 0) - regular)
    penalty = round(options["load_share_margin"] * 10**6) if options["max_load_share"] is not None else 0
    total = sum(round(scores[(i, j)] * 10**6) for i, j in assignment.items()) - penalty * overflow
    return (len(assignment), total) if options["objective"] == "participation" else (total,)


def brute_force(data: dict[str, Any], allowed: dict[tuple[str, str], float]) -> tuple:
    capacity = {r["id"]: r["capacity"] for r in data["mentors"]}
    mentees = [e["id"] for e in data["mentees"]]
    options = [[None] + [j for j in capacity if (i, j) in allowed] for i in mentees]
    best = None
    for choice in itertools.product(*options):
        chosen = {i: j for i, j in zip(mentees, choice, strict=True) if j is not None}
        if all(list(chosen.values()).count(j) <= c for j, c in capacity.items()):
            v = value(data, chosen, allowed)
            best = v if best is None or v > best else best
    return best


def check(data: dict[str, Any]) -> None:
    result = solve(parse_instance(data))
    allowed = eligible(data, raw_scores(data))
    assignment = {a.mentee: a.mentor for a in result.assignments}
    assert len(assignment) == len(result.assignments), "a mentee assigned twice"
    for a in result.assignments:
        assert (a.mentee, a.mentor) in allowed, f"forbidden or ineligible pair {a.mentee}-{a.mentor}"
        assert a.score == allowed[(a.mentee, a.mentor)]
        assert a.reasons
    for r in data["mentors"]:
        assert list(assignment.values()).count(r["id"]) <= r["capacity"], "mentor over capacity"
    assert set(assignment) | {u.mentee for u in result.unmatched} == {e["id"] for e in data["mentees"]}
    assert not set(assignment) & {u.mentee for u in result.unmatched}
    assert all(u.reason for u in result.unmatched)
    assert result.matched == len(assignment)
    assert math.isclose(result.total_score, math.fsum(a.score for a in result.assignments), abs_tol=1e-9)
    assert value(data, assignment, allowed) == brute_force(data, allowed)


SETTINGS = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@SETTINGS
@given(instances())
def test_feasible_and_optimal_against_brute_force(data: dict[str, Any]) -> None:
    check(data)


@SETTINGS
@given(instances())
def test_pruned_graph_with_certificate_is_still_optimal(data: dict[str, Any]) -> None:
    # Force the pruning path on tiny instances: one candidate per mentee, then certificate rounds.
    with mock.patch.multiple(solver, SMALL=0, PER_MENTEE=1, PER_SLOT=0, PER_MENTOR_EXTRA=0, ADD_PER_MENTEE=1):
        check(data)


@settings(max_examples=40, deadline=None)
@given(instances())
def test_networkx_reference_solver_agrees(data: dict[str, Any]) -> None:
    data["options"]["solver"] = "networkx"
    check(data)


@st.composite
def crowded_instances(draw: st.DrawFn) -> dict[str, Any]:
    """Fairness on, and mentors declaring more places than there are mentees: the solver clips
    those places to the mentee count, but the load share is a share of the declared capacity.
    Dense candidates with close scores, so the share decides where mentees go."""
    mentee_ids = [f"e{k}" for k in range(draw(st.integers(2, 5)))]
    mentor_ids = [f"m{k}" for k in range(draw(st.integers(1, 3)))]
    pairs = [(i, j) for i in mentee_ids for j in mentor_ids]
    chosen = draw(st.lists(st.sampled_from(pairs), min_size=len(pairs) // 2, unique=True))
    return {
        "mentees": [{"id": i, "managers": []} for i in mentee_ids],
        "mentors": [
            {"id": j, "managers": [], "capacity": draw(st.integers(len(mentee_ids) + 1, 12))}
            for j in mentor_ids
        ],
        "candidates": [[i, j, draw(st.sampled_from(FEW_SCORES))] for i, j in chosen],
        "exclude": [],
        "options": {
            "objective": draw(st.sampled_from(["participation", "score"])),
            "min_score": 0.0,
            "max_load_share": draw(st.sampled_from([0.25, 0.34, 0.5, 0.75])),
            "load_share_margin": draw(st.sampled_from([0.1, 0.3, 1.0])),
        },
    }


@SETTINGS
@given(crowded_instances())
def test_load_share_of_capacities_above_the_mentee_count_against_brute_force(data: dict[str, Any]) -> None:
    check(data)


def shuffled(data: dict[str, Any], seed: int) -> dict[str, Any]:
    """The same instance with every list (but the ordered management chains) and every object's
    keys in another order."""
    rng = random.Random(seed)

    def mix(value: Any, sortable: bool = True) -> Any:
        if isinstance(value, dict):
            items = list(value.items())
            rng.shuffle(items)
            return {k: v if k == "managers" else mix(v) for k, v in items}
        if isinstance(value, list) and sortable and all(isinstance(x, dict | str | list) for x in value):
            value = [mix(x, sortable=not isinstance(x, list)) for x in value]
            if all(not isinstance(x, list) or len(x) in (2, 3) for x in value):
                rng.shuffle(value)
            return value
        return value

    return mix(json.loads(json.dumps(data)))


def cli_bytes(data: dict[str, Any]) -> str:
    out = io.StringIO()
    assert main(["solve", "-"], stdin=io.StringIO(json.dumps(data)), stdout=out) == 0
    return out.getvalue()


@settings(max_examples=60, deadline=None)
@given(instances(), st.integers(0, 10**6))
def test_same_input_in_any_order_gives_byte_identical_output(data: dict[str, Any], seed: int) -> None:
    first = cli_bytes(data)
    assert cli_bytes(data) == first
    assert cli_bytes(shuffled(data, seed)) == first
