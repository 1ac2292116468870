"""Every SMART rule: when it holds, when it fails, and the hint it gives."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tandem.goals.smart import SmartInput, check

TODAY = date(2026, 3, 1)
GOOD = SmartInput(
    title="Cut p95 checkout latency to 200 ms",
    what="The checkout API answers 95% of requests in under 200 ms",
    measure_kind="numeric",
    metric_name="p95 latency",
    unit="ms",
    start_value=400,
    target_value=200,
    current_value=400,
    start_date=TODAY - timedelta(days=30),
    due_date=TODAY + timedelta(days=60),
    relevance_note="Slow checkouts lose orders",
)


def failing(goal):
    return {c["key"]: c["hints"] for c in check(goal, TODAY)["criteria"] if not c["ok"]}


def test_a_good_goal_passes_everything():
    result = check(GOOD, TODAY)
    assert result["is_smart"] and result["score"] == 5 and failing(GOOD) == {}
    assert [c["label"] for c in result["criteria"]] == [
        "Specific",
        "Measurable",
        "Achievable",
        "Relevant",
        "Time-bound",
    ]
    assert result["checked_on"] == "2026-03-01"


def test_specific_needs_a_what_or_a_longer_title():
    hints = failing(replace(GOOD, title="Latency", what=""))["specific"]
    assert hints == [
        "Say what exactly will be different when this is done: add a 'what' or a title of at least 4 words."
    ]
    assert "specific" not in failing(replace(GOOD, title="Latency"))  # the what says it


def test_vague_wording_without_a_measurable_outcome_is_not_specific():
    vague = replace(GOOD, title="Improve our documentation a lot", what="", metric_name=None)
    assert failing(vague)["specific"] == [
        "'improve' is vague and nothing measures it: name the outcome and how much (a metric with a "
        "target, or a number in the title)."
    ]
    assert "specific" not in failing(replace(vague, metric_name="pages rewritten"))  # a metric measures it
    assert "specific" not in failing(
        replace(vague, title="Improve 12 pages of our documentation")
    )  # a number
    binary = replace(vague, measure_kind="binary")
    assert "specific" in failing(binary)


def test_measurable_needs_a_metric_and_a_target_that_moves():
    assert failing(replace(GOOD, metric_name=" "))["measurable"] == [
        "Name the metric you will track (for example 'p95 latency' or 'NPS')."
    ]
    assert failing(replace(GOOD, target_value=400))["measurable"] == [
        "The target equals the start value (400): set a target that differs from where you start."
    ]
    assert failing(replace(GOOD, target_value=None))["measurable"] == ["Set a target value."]
    assert "measurable" not in failing(
        replace(GOOD, measure_kind="binary", metric_name=None, target_value=None)
    )


def _history(*points):
    return tuple((TODAY - timedelta(days=days_ago), value) for days_ago, value in points)


def test_achievable_flags_a_target_far_beyond_the_checkin_pace():
    # 400 -> 390 in 30 days (1/3 a day); 190 to go in 60 days needs 3.2 a day: 9.5x the pace.
    slow = replace(GOOD, current_value=390, history=_history((30, 400), (15, 395), (0, 390)))
    hint = failing(slow)["achievable"][0]
    assert hint.startswith("At the pace of your check-ins you would reach about 370 ms by the due date;")
    assert "the target 200 ms needs 9.5x that pace" in hint


def test_achievable_holds_at_a_plausible_pace_and_without_enough_history():
    fast = replace(GOOD, history=_history((30, 400), (15, 350), (0, 300)))  # 100 in 30 days; 100 to go in 60
    assert "achievable" not in failing(fast)
    assert "achievable" not in failing(replace(GOOD, history=_history((30, 400), (0, 400))))  # two points
    assert "achievable" not in failing(
        replace(GOOD, history=_history((10, 400), (5, 400), (0, 400)))
    )  # 10 days
    stalled = replace(GOOD, history=_history((30, 400), (15, 400), (0, 400)))
    assert "no progress so far" in failing(stalled)["achievable"][0]
    assert "achievable" not in failing(
        replace(stalled, history=_history((30, 400), (15, 300), (0, 150)))
    )  # reached


def test_relevant_needs_a_parent_or_a_note():
    assert failing(replace(GOOD, relevance_note=" "))["relevant"] == [
        "Link this goal to the goal it supports, or add a relevance note saying why it matters now."
    ]
    assert "relevant" not in failing(replace(GOOD, relevance_note="", has_parent=True))


def test_time_bound_rules():
    assert failing(replace(GOOD, due_date=None))["time_bound"] == ["Set a due date."]
    reversed_dates = replace(GOOD, start_date=date(2026, 5, 1), due_date=date(2026, 4, 1))
    assert failing(reversed_dates)["time_bound"] == [
        "The due date (2026-04-01) is before the start date (2026-05-01)."
    ]
    late = replace(GOOD, has_parent=True, parent_due_date=GOOD.due_date - timedelta(days=1))
    assert failing(late)["time_bound"] == [
        f"The due date ({GOOD.due_date.isoformat()}) is after the due date of the goal it supports "
        f"({(GOOD.due_date - timedelta(days=1)).isoformat()}): finish by then, or move that goal."
    ]
    assert "time_bound" not in failing(replace(late, parent_due_date=GOOD.due_date))


@given(
    st.text(max_size=60),
    st.text(max_size=60),
    st.sampled_from(["numeric", "binary"]),
    st.one_of(st.none(), st.floats(-1e12, 1e12)),
    st.one_of(st.none(), st.floats(-1e12, 1e12)),
    st.one_of(st.none(), st.dates()),
    st.lists(st.tuples(st.dates(), st.floats(-1e12, 1e12)), max_size=6),
)
def test_the_check_is_total_and_deterministic(title, what, kind, start, target, due, history):
    goal = SmartInput(
        title=title,
        what=what,
        measure_kind=kind,
        start_value=start,
        target_value=target,
        due_date=due,
        start_date=TODAY,
        history=tuple(sorted(history)),
    )
    first = check(goal, TODAY)
    assert first == check(goal, TODAY)
    assert first["score"] == sum(c["ok"] for c in first["criteria"])
    assert all(c["ok"] == (c["hints"] == []) for c in first["criteria"])


@pytest.mark.parametrize("word", ["better", "Optimize", "work on", "more"])
def test_each_vague_word_is_caught(word):
    assert "specific" in failing(
        replace(GOOD, title=f"{word} the onboarding flow", what="", metric_name=None)
    )
