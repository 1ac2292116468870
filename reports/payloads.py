"""Snapshot payloads from group sums: the sections, the tables a chart or a CSV export reads, and
the trends. Pure: no database, no Flask. Rates are worked out here from sums, never averaged.

Every table is `{"columns": [{"key", "label"}], "rows": [{key: value}]}`, so the page draws a
chart and the data table beside it from the same numbers, and CSV export writes it as is."""

from __future__ import annotations

from collections.abc import Hashable, Mapping, Sequence
from datetime import datetime
from typing import Any

import numpy as np

from .aggregation import Sums, ratio, top_k
from .figures import GOAL_STATUSES, HEALTHS, WEEKS, trend_name

TOP_GAPS = 5

HEADLINE: tuple[tuple[str, str], ...] = (
    ("headcount", "People"),
    ("goals_active", "Active goals"),
    ("average_progress", "Average progress"),
    ("on_track", "On track"),
    ("at_risk", "At risk"),
    ("off_track", "Off track"),
    ("overdue", "Overdue"),
    ("without_active_goal", "People without an active goal"),
    ("without_check_in_30d", "Goals without a check-in in 30 days"),
    ("feedback_completion_rate", "Feedback completion rate"),
    ("learning_completed", "Learning items completed"),
    ("learning_overdue", "Learning items overdue"),
    ("with_active_mentor_share", "Share with an active mentor"),
)
TREND_SERIES: tuple[tuple[str, str], ...] = (
    ("headcount", "People"),
    ("average_progress", "Average progress (latest check-ins)"),
    ("check_ins", "Check-ins"),
    ("milestones_completed", "Milestones completed"),
    ("learning_completed", "Learning items completed"),
    ("with_active_mentor_share", "Share with an active mentor"),
)


def table(columns: Sequence[tuple[str, str]], rows: list[dict[str, Any]]) -> dict[str, Any]:
    return {"columns": [{"key": k, "label": label} for k, label in columns], "rows": rows}


def _column(sums: Sums, name: str) -> np.ndarray:
    try:
        return sums.values[:, sums.columns.index(name)]
    except ValueError:
        return np.zeros(len(sums.values))


def _rates(numerator: np.ndarray, denominator: np.ndarray, digits: int = 3) -> list[float | None]:
    with np.errstate(divide="ignore", invalid="ignore"):
        values = np.round(numerator / denominator, digits)
    return [None if d <= 0 else float(v) for v, d in zip(values.tolist(), denominator.tolist(), strict=True)]


def _ints(values: np.ndarray) -> list[int]:
    return np.rint(values).astype(np.int64).tolist()


def headline_rows(sums: Sums) -> list[dict[str, Any]]:
    """The breakdown figures of every group at once (vectorised: a build has tens of thousands)."""
    headcount = _column(sums, "headcount")
    values: dict[str, list[Any]] = {
        "headcount": _ints(headcount),
        "goals_active": _ints(_column(sums, "goals_active")),
        "average_progress": _rates(_column(sums, "progress_sum"), _column(sums, "progress_n")),
        **{state: _ints(_column(sums, f"health_{state}")) for state in HEALTHS},
        "without_active_goal": _ints(_column(sums, "without_active_goal")),
        "without_check_in_30d": _ints(_column(sums, "goals_without_check_in_30d")),
        "feedback_completion_rate": _rates(
            _column(sums, "feedback_submitted"), _column(sums, "feedback_sent")
        ),
        "learning_completed": _ints(_column(sums, "learning_completed")),
        "learning_overdue": _ints(_column(sums, "learning_overdue")),
        "with_active_mentor_share": _rates(_column(sums, "has_mentor"), headcount),
    }
    keys = [k for k, _label in HEADLINE]
    return [dict(zip(keys, row, strict=True)) for row in zip(*(values[k] for k in keys), strict=True)]


def sections(row: Mapping[str, float], cycle_columns: Sequence[str]) -> dict[str, Any]:
    """The dashboard's figures, grouped as the page shows them."""

    def n(name: str) -> int:
        return round(row.get(name, 0.0))

    headcount = row.get("headcount", 0.0)
    return {
        "people": {
            "headcount": n("headcount"),
            "new_joiners_30d": n("new_joiners"),
            "without_active_goal": n("without_active_goal"),
        },
        "goals": {
            "by_status": {status: n(f"goals_{status}") for status in GOAL_STATUSES},
            "by_health": {state: n(f"health_{state}") for state in HEALTHS},
            "average_progress": ratio(row.get("progress_sum", 0.0), row.get("progress_n", 0.0)),
            "milestones_completed_30d": n("milestones_completed_30d"),
            "without_check_in_30d": n("goals_without_check_in_30d"),
            "average_smart_score": ratio(row.get("smart_sum", 0.0), row.get("smart_n", 0.0), 2),
        },
        "feedback": {
            "requests_90d": n("feedback_requests"),
            "invitations_sent": n("feedback_sent"),
            "invitations_submitted": n("feedback_submitted"),
            "completion_rate": ratio(row.get("feedback_submitted", 0.0), row.get("feedback_sent", 0.0)),
            "open_cycles": sum(1 for name in cycle_columns if row.get(name, 0.0) > 0),
        },
        "learning": {
            "planned": n("learning_planned"),
            "in_progress": n("learning_in_progress"),
            "completed": n("learning_completed"),
            "overdue": n("learning_overdue"),
            "hours_planned": round(row.get("learning_hours_planned", 0.0), 1),
            "hours_completed": round(row.get("learning_hours_completed", 0.0), 1),
            "certifications_expiring_90d": n("certifications_expiring_90d"),
        },
        "mentoring": {
            "with_active_mentor": n("has_mentor"),
            "with_active_mentor_share": ratio(row.get("has_mentor", 0.0), headcount),
            "open_requests": n("mentoring_open_requests"),
            "mentors": n("mentors"),
            "mentor_capacity": n("mentor_capacity"),
            "mentor_active": n("mentor_active"),
            "mentor_load": ratio(row.get("mentor_active", 0.0), row.get("mentor_capacity", 0.0)),
        },
    }


def trends_table(row: Mapping[str, float], week_ends: Sequence[datetime]) -> dict[str, Any]:
    """The twelve weeks' trends of one group (its sums by column name)."""
    names = tuple(row)
    return trends_tables(
        Sums(names, np.array([[row[name] for name in names]], dtype=np.float64)), week_ends, [0]
    )[0]


def trends_tables(sums: Sums, week_ends: Sequence[datetime], groups: Sequence[int]) -> list[dict[str, Any]]:
    """`trends_table` of each of `groups` (rows of `sums`), the week columns read once for all
    of them; the same Python arithmetic on the same floats, so the same numbers."""
    rows = np.asarray(groups, dtype=np.int64)

    def weekly(key: str, week: int) -> list[float]:
        return _column(sums, trend_name(key, week))[rows].tolist()  # type: ignore[no-any-return]

    def rates(numerators: list[float], denominators: list[float]) -> list[float | None]:
        return [ratio(a, b) for a, b in zip(numerators, denominators, strict=True)]

    weeks = []
    for week in range(WEEKS):
        people = weekly("headcount", week)
        weeks.append(
            (
                [week_ends[week].date().isoformat()] * len(rows),
                [round(v) for v in people],
                rates(weekly("progress_sum", week), weekly("progress_n", week)),
                [round(v) for v in weekly("check_ins", week)],
                [round(v) for v in weekly("milestones", week)],
                [round(v) for v in weekly("learning", week)],
                rates(weekly("has_mentor", week), people),
            )
        )
    columns = (("week_ending", "Week ending"), *TREND_SERIES)
    keys = [key for key, _label in columns]
    return [
        table(columns, [dict(zip(keys, [values[g] for values in week], strict=True)) for week in weeks])
        for g in range(len(rows))
    ]


def skill_gaps_table(
    people_with_gap: Mapping[Hashable, float],
    total_gap: Mapping[Hashable, float],
    names: Mapping[Hashable, str],
) -> dict[str, Any]:
    rows = [
        {
            "skill_id": str(skill),
            "skill": names.get(skill, ""),
            "people": round(count),
            "average_gap": ratio(total_gap.get(skill, 0.0), count, 2),
        }
        for skill, count in top_k(people_with_gap, TOP_GAPS)
    ]
    return table(
        (
            ("skill", "Skill"),
            ("people", "People short of the level needed"),
            ("average_gap", "Average gap (levels)"),
        ),
        rows,
    )


def feedback_scores_table(
    competencies: Sequence[str],
    sums: Sequence[float],
    answers: Sequence[float],
    subjects: Sequence[float],
    shown: Sequence[bool],
) -> tuple[dict[str, Any], int]:
    """Released competency scores of the group; a competency the anonymity rule holds back is
    left out entirely (no score, no count). Returns the table and how many were held back."""
    rows, hidden = [], 0
    for name, total, count, people, ok in zip(competencies, sums, answers, subjects, shown, strict=True):
        if count <= 0:
            continue
        if not ok:
            hidden += 1
            continue
        rows.append(
            {
                "competency": name,
                "score": ratio(total, count, 2),
                "answers": round(count),
                "people": round(people),
            }
        )
    columns = (
        ("competency", "Competency"),
        ("score", "Average rating (1-5)"),
        ("answers", "Answers"),
        ("people", "People"),
    )
    return table(columns, rows), hidden


def breakdown_table(first: tuple[str, str], rows: list[dict[str, Any]]) -> dict[str, Any]:
    return table((first, *HEADLINE), rows)
