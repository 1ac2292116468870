"""The SMART check (pure: no database): five criteria, each with deterministic rules and a concrete
hint when a rule fails. docs/goals.md lists every rule with its hint; tests/unit/goals cover them."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

CRITERIA = (
    ("specific", "Specific"),
    ("measurable", "Measurable"),
    ("achievable", "Achievable"),
    ("relevant", "Relevant"),
    ("time_bound", "Time-bound"),
)

# Words that say "more of something" without saying what or how much.
VAGUE_WORDS = (
    "improve",
    "better",
    "enhance",
    "optimise",
    "optimize",
    "work on",
    "try",
    "learn about",
    "get good",
    "be good",
    "more",
    "boost",
    "strengthen",
    "grow",
    "help",
    "support",
    "focus on",
    "as much as possible",
    "asap",
)
_VAGUE = re.compile(r"\b(" + "|".join(re.escape(w) for w in VAGUE_WORDS) + r")\w*\b", re.IGNORECASE)
_DIGIT = re.compile(r"\d")
MIN_TITLE_WORDS = 4
# The Achievable rule needs this much history before it judges a pace...
MIN_CHECKINS = 3
MIN_HISTORY_DAYS = 14
# ...and flags a target that needs more than this many times the pace observed so far.
PACE_FACTOR = 3.0


@dataclass(frozen=True)
class SmartInput:
    title: str = ""
    what: str = ""
    measure_kind: str = "numeric"
    metric_name: str | None = None
    unit: str | None = None
    start_value: float | None = None
    target_value: float | None = None
    current_value: float | None = None
    start_date: date | None = None
    due_date: date | None = None
    has_parent: bool = False
    parent_due_date: date | None = None
    relevance_note: str = ""
    # (day, value) of numeric check-ins, oldest first.
    history: Sequence[tuple[date, float]] = field(default_factory=tuple)


def _fmt(value: float) -> str:
    return f"{value:g}"


def _specific(goal: SmartInput) -> list[str]:
    hints = []
    text = f"{goal.title} {goal.what}"
    if not goal.what.strip() and len(goal.title.split()) < MIN_TITLE_WORDS:
        hints.append(
            "Say what exactly will be different when this is done: add a 'what' "
            f"or a title of at least {MIN_TITLE_WORDS} words."
        )
    vague = _VAGUE.search(text)
    measured = goal.measure_kind == "numeric" and bool((goal.metric_name or "").strip())
    if vague and not measured and not _DIGIT.search(text):
        hints.append(
            f"'{vague.group(0).lower()}' is vague and nothing measures it: name the outcome and how "
            "much (a metric with a target, or a number in the title)."
        )
    return hints


def _measurable(goal: SmartInput) -> list[str]:
    if goal.measure_kind == "binary":
        return []
    hints = []
    if not (goal.metric_name or "").strip():
        hints.append("Name the metric you will track (for example 'p95 latency' or 'NPS').")
    if goal.target_value is None:
        hints.append("Set a target value.")
    elif goal.start_value is not None and goal.target_value == goal.start_value:
        hints.append(
            f"The target equals the start value ({_fmt(goal.start_value)}): set a target that differs "
            "from where you start."
        )
    return hints


def _achievable(goal: SmartInput, today: date) -> list[str]:
    history = list(goal.history)
    if (
        goal.measure_kind != "numeric"
        or goal.target_value is None
        or goal.start_value is None
        or goal.target_value == goal.start_value
        or goal.due_date is None
        or len(history) < MIN_CHECKINS
    ):
        return []
    (first_day, first_value), (last_day, last_value) = history[0], history[-1]
    observed_days = (last_day - first_day).days
    if observed_days < MIN_HISTORY_DAYS:
        return []
    direction = 1.0 if goal.target_value > goal.start_value else -1.0
    remaining = (goal.target_value - last_value) * direction
    days_left = (goal.due_date - max(today, last_day)).days
    if remaining <= 0 or days_left <= 0:
        return []
    observed_pace = max(0.0, (last_value - first_value) * direction / observed_days)
    needed_pace = remaining / days_left
    if needed_pace <= PACE_FACTOR * observed_pace:
        return []
    projected = last_value + direction * observed_pace * days_left
    unit = f" {goal.unit}" if goal.unit else ""
    times = "no progress so far" if observed_pace == 0 else f"{needed_pace / observed_pace:.1f}x that pace"
    return [
        f"At the pace of your check-ins you would reach about {_fmt(round(projected, 2))}{unit} by the "
        f"due date; the target {_fmt(goal.target_value)}{unit} needs {times}: lower the target, move "
        "the due date, or split it into milestones."
    ]


def _relevant(goal: SmartInput) -> list[str]:
    if goal.has_parent or goal.relevance_note.strip():
        return []
    return ["Link this goal to the goal it supports, or add a relevance note saying why it matters now."]


def _time_bound(goal: SmartInput) -> list[str]:
    if goal.due_date is None:
        return ["Set a due date."]
    hints = []
    if goal.start_date is not None and goal.due_date < goal.start_date:
        hints.append(
            f"The due date ({goal.due_date.isoformat()}) is before the start date "
            f"({goal.start_date.isoformat()})."
        )
    if goal.parent_due_date is not None and goal.due_date > goal.parent_due_date:
        hints.append(
            f"The due date ({goal.due_date.isoformat()}) is after the due date of the goal it supports "
            f"({goal.parent_due_date.isoformat()}): finish by then, or move that goal."
        )
    return hints


def check(goal: SmartInput, today: date) -> dict[str, Any]:
    """`{score, is_smart, criteria: [{key, label, ok, hints}], checked_on}`."""
    found = {
        "specific": _specific(goal),
        "measurable": _measurable(goal),
        "achievable": _achievable(goal, today),
        "relevant": _relevant(goal),
        "time_bound": _time_bound(goal),
    }
    criteria = [
        {"key": key, "label": label, "ok": not found[key], "hints": found[key]} for key, label in CRITERIA
    ]
    score = sum(1 for item in criteria if item["ok"])
    return {
        "score": score,
        "is_smart": score == len(CRITERIA),
        "criteria": criteria,
        "checked_on": today.isoformat(),
    }
