"""A progress line's points come back in the order PostgreSQL numbered them, however the arrays
arrived."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from hypothesis import given
from hypothesis import strategies as st

from tandem.goals.checkins import Point, in_order

START = datetime(2026, 1, 1, tzinfo=UTC)


@given(st.permutations(range(12)))
def test_points_follow_their_numbers(order):
    line = [Point(START + timedelta(days=i), float(i), None, 3, i / 12) for i in range(12)]
    numbers = [i + 1 for i in order]
    shuffled = [line[i] for i in order]
    assert in_order(numbers, shuffled) == line


def test_points_in_order_are_kept_as_they_are():
    line = [Point(START, 1.0, None, 3, 0.5)]
    assert in_order([1], line) is line
