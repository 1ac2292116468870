"""Progress and health rules (pure: no database): a measure's progress, the weighted roll-up of
children, and health from progress against time elapsed. docs/goals.md states the same rules."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

ACTIVE, COMPLETED = "active", "completed"
# Children that count in a parent's roll-up: drafts are not committed to yet, abandoned ones
# are given up on; both are left out.
COUNTED_STATUSES = frozenset({ACTIVE, COMPLETED})

ON_TRACK, AT_RISK, OFF_TRACK, OVERDUE = "on_track", "at_risk", "off_track", "overdue"
HEALTHS = (ON_TRACK, AT_RISK, OFF_TRACK, OVERDUE)
# How far progress may lag the share of time elapsed before a goal is at risk / off track.
AT_RISK_GAP = 0.10
OFF_TRACK_GAP = 0.25


@dataclass(frozen=True)
class Child:
    status: str
    weight: float
    progress: float


def clamp01(value: float) -> float:
    return 0.0 if value < 0 else 1.0 if value > 1 else value


def measure_progress(
    kind: str, start: float | None, target: float | None, current: float | None, done: bool
) -> float:
    """(current - start) / (target - start) clamped to [0, 1]; a binary goal is 0 or 1.

    The formula works for decreasing targets too (start 400 ms, target 200 ms): both the
    numerator and the denominator are negative while the value moves toward the target."""
    if kind == "binary":
        return 1.0 if done else 0.0
    if start is None or target is None or current is None or target == start:
        return 0.0
    return clamp01((current - start) / (target - start))


def rollup(children: Iterable[Child]) -> float | None:
    """The weighted mean of the counted children's progress; None when no child counts."""
    total_weight = 0.0
    weighted = 0.0
    for child in children:
        if child.status in COUNTED_STATUSES and child.weight > 0:
            total_weight += child.weight
            weighted += child.weight * clamp01(child.progress)
    if total_weight <= 0:
        return None
    return clamp01(weighted / total_weight)


def goal_progress(status: str, own_measure: float, children: Iterable[Child]) -> float:
    """A completed goal is done (1); a goal with counted children takes their roll-up; any
    other goal takes its own measure."""
    if status == COMPLETED:
        return 1.0
    rolled = rollup(children)
    return own_measure if rolled is None else rolled


def time_elapsed(start: date, due: date, today: date) -> float:
    """The share of the goal's time used up, in [0, 1] (a one-day goal is all used on its day)."""
    span = (due - start).days
    if span <= 0:
        return 1.0 if today >= due else 0.0
    return clamp01((today - start).days / span)


def health(status: str, progress: float, start: date, due: date | None, today: date) -> str | None:
    """on_track / at_risk / off_track / overdue for an active goal; None for drafts, finished and
    abandoned goals, and for goals without a due date (nothing to measure time against)."""
    if status != ACTIVE or due is None:
        return None
    if progress >= 1.0:
        return ON_TRACK
    if today > due:
        return OVERDUE
    gap = time_elapsed(start, due, today) - progress
    if gap > OFF_TRACK_GAP:
        return OFF_TRACK
    if gap > AT_RISK_GAP:
        return AT_RISK
    return ON_TRACK
