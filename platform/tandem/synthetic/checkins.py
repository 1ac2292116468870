"""Check-in histories: weekly-ish points whose progress only moves forward, following the real rules."""

from __future__ import annotations

import random
from datetime import date, datetime, timedelta
from typing import NamedTuple

from ..goals.progress import measure_progress
from .randomness import Clock
from .vocabulary import CHECKIN_NOTES


class Point(NamedTuple):
    at: datetime
    value: float | None
    done: bool | None
    confidence: int
    note: str
    progress: float


def _round(value: float, step: float) -> float:
    return round(round(value / step) * step, 4)


def numeric_history(
    rng: random.Random,
    clock: Clock,
    start: date,
    due: date,
    until: date,
    values: tuple[float, float, float],
    pace: float,
    minute: int,
) -> list[Point]:
    """Check-ins from a week after `start` until `until` (at most today), about weekly. The share
    of the way to the target follows `pace` x time elapsed with a little noise and never goes
    back; the series stops at the check-in that reaches the target."""
    low, high, step = values
    span = max(7, (due - start).days)
    points: list[Point] = []
    share = 0.0
    day = start + timedelta(days=rng.randint(5, 9))
    end = min(until, clock.today)
    while day <= end:
        if rng.random() < 0.96:
            expected = pace * (day - start).days / span + rng.gauss(0, 0.04)
            share = min(1.0, max(share, expected))
            value = high if share >= 1.0 else _round(low + (high - low) * share, step)
            progress = measure_progress("numeric", low, high, value, False)
            behind = expected / max(0.01, (day - start).days / span)
            confidence = 5 if behind > 1.1 else 4 if behind > 0.9 else 3 if behind > 0.6 else 2
            points.append(
                Point(clock.at(day, minute), value, None, confidence, rng.choice(CHECKIN_NOTES), progress)
            )
            if progress >= 1.0:
                break
        day += timedelta(days=rng.choice((7, 7, 7, 6, 8)))
    return points


def binary_history(
    rng: random.Random, clock: Clock, start: date, finish: date | None, until: date, minute: int
) -> list[Point]:
    """A done/not-done goal: a not-yet check-in or two, then done on `finish` (if it finished)."""
    points: list[Point] = []
    end = min(until, clock.today)
    last = finish or end
    day = start + timedelta(days=rng.randint(10, 25))
    while day < last and len(points) < 3:
        points.append(
            Point(clock.at(day, minute), None, False, rng.choice((3, 3, 4)), rng.choice(CHECKIN_NOTES), 0.0)
        )
        day += timedelta(days=rng.randint(14, 30))
    if finish is not None:
        points.append(Point(clock.at(finish, minute), None, True, 5, "Done!", 1.0))
    return points
