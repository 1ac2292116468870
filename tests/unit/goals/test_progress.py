"""The progress rules: measure progress clamped to [0, 1] for rising and falling targets, the
weighted roll-up without abandoned or draft children, and health against time elapsed."""

from __future__ import annotations

import sys
from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tandem.goals.progress import Child, goal_progress, health, measure_progress, rollup

values = st.floats(min_value=-1e9, max_value=1e9, allow_nan=False, allow_infinity=False)
weights = st.floats(min_value=0.01, max_value=1000, allow_nan=False)
progresses = st.floats(min_value=0, max_value=1, allow_nan=False)
statuses = st.sampled_from(["draft", "active", "completed", "abandoned"])
children = st.lists(st.builds(Child, statuses, weights, progresses), max_size=12)


def test_examples():
    assert measure_progress("numeric", 0, 100, 25, False) == 0.25
    assert measure_progress("numeric", 400, 200, 300, False) == 0.5  # decreasing target
    assert measure_progress("numeric", 400, 200, 500, False) == 0.0  # moved away: clamped
    assert measure_progress("numeric", 400, 200, 100, False) == 1.0  # beyond target: clamped
    assert measure_progress("binary", None, None, None, True) == 1.0
    assert measure_progress("binary", None, None, None, False) == 0.0
    assert rollup([Child("active", 3, 0.5), Child("active", 1, 1.0), Child("abandoned", 10, 0)]) == 0.625
    assert rollup([Child("draft", 1, 1), Child("abandoned", 1, 1)]) is None
    assert goal_progress("active", 0.3, []) == 0.3
    assert goal_progress("completed", 0.3, [Child("active", 1, 0)]) == 1.0


@given(values, values, values)
def test_measure_progress_is_always_in_0_1(start, target, current):
    assert 0.0 <= measure_progress("numeric", start, target, current, False) <= 1.0


@given(values, values, values, values)
def test_moving_toward_the_target_never_lowers_progress(start, target, a, b):
    if start == target:
        return
    # Order a and b so that b is at least as close to the target as a, in the target's direction.
    direction = 1 if target > start else -1
    closer, farther = (a, b) if (a - b) * direction >= 0 else (b, a)
    assert measure_progress("numeric", start, target, closer, False) >= measure_progress(
        "numeric", start, target, farther, False
    )


@given(values, values)
def test_decreasing_targets_mirror_increasing_ones(start, delta):
    if delta == 0:
        return
    for fraction in (0.0, 0.25, 0.5, 1.0):
        up = measure_progress("numeric", start, start + abs(delta), start + abs(delta) * fraction, False)
        down = measure_progress("numeric", start, start - abs(delta), start - abs(delta) * fraction, False)
        # Both sides round `start ± delta * fraction` to floats: the error of each is about
        # eps * |start| / |delta| in progress terms, so the tolerance scales with that ratio.
        tolerance = 1e-9 + 8 * sys.float_info.epsilon * (abs(start) + abs(delta)) / abs(delta)
        assert up == pytest.approx(down, abs=tolerance)


@given(children)
def test_rollup_is_the_weighted_mean_of_counted_children(kids):
    counted = [c for c in kids if c.status in ("active", "completed")]
    result = rollup(kids)
    if not counted:
        assert result is None
        return
    expected = sum(c.weight * c.progress for c in counted) / sum(c.weight for c in counted)
    assert result == pytest.approx(expected)
    assert min(c.progress for c in counted) - 1e-9 <= result <= max(c.progress for c in counted) + 1e-9


@given(children, st.builds(Child, st.sampled_from(["abandoned", "draft"]), weights, progresses))
def test_abandoned_and_draft_children_change_nothing(kids, excluded):
    assert rollup([*kids, excluded]) == rollup(kids)


@given(children, weights, progresses, progresses)
def test_a_child_moving_toward_its_target_never_lowers_the_parent(kids, weight, before, after):
    low, high = sorted((before, after))
    assert (
        rollup([*kids, Child("active", weight, high)])
        >= rollup([*kids, Child("active", weight, low)]) - 1e-12
    )


@given(
    st.lists(st.builds(Child, st.just("active"), weights, progresses), min_size=1, max_size=8),
    st.floats(0.1, 10),
)
def test_scaling_every_weight_changes_nothing(kids, factor):
    scaled = [Child(c.status, c.weight * factor, c.progress) for c in kids]
    assert rollup(scaled) == pytest.approx(rollup(kids))


START = date(2026, 1, 1)
DUE = START + timedelta(days=100)


@pytest.mark.parametrize(
    ("progress", "day", "expected"),
    [
        (0.5, 50, "on_track"),
        (0.45, 50, "on_track"),  # lags by 5 points
        (0.35, 50, "at_risk"),  # lags by 15 points
        (0.2, 50, "off_track"),  # lags by 30 points
        (0.0, 0, "on_track"),
        (0.9, 101, "overdue"),
        (1.0, 150, "on_track"),  # reached: never overdue
    ],
)
def test_health(progress, day, expected):
    assert health("active", progress, START, DUE, START + timedelta(days=day)) == expected


def test_health_is_none_when_it_cannot_be_judged():
    assert health("draft", 0, START, DUE, START) is None
    assert health("completed", 1, START, DUE, START) is None
    assert health("active", 0, START, None, START) is None
    assert health("active", 0, START, START, START) == "off_track"  # a one-day goal, not started
