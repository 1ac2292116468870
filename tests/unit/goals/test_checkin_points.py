"""A progress line's points come back in the order PostgreSQL numbered them, however the arrays
arrived, and a line behaves as the list of its points while keeping plain tuples."""

from __future__ import annotations

import gc
from datetime import UTC, datetime, timedelta

from hypothesis import given
from hypothesis import strategies as st

from tandem.goals.checkins import Line, Point, in_order

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


def test_a_line_is_the_list_of_its_points():
    points = [Point(START + timedelta(days=i), float(i), None, 3, i / 4) for i in range(4)]
    line = Line([tuple(p) for p in points])
    assert line == points and points == line and list(line) == points and len(line) == 4
    assert line[0] == points[0] and line[-1].at == points[-1].at and isinstance(line[-1], Point)
    assert line[1:3] == points[1:3] and list(reversed(line)) == points[::-1]
    assert line != points[:3] and line != tuple(points) and not Line() and Line() == []


def test_a_lines_points_are_not_tracked_by_the_garbage_collector_once_seen():
    line = Line([(START, 1.0, None, 3, 0.5)])
    gc.collect()
    assert not gc.is_tracked(line._values[0])
