"""Per-person figures from the build's query rows: additive columns (counts and sums) that any
group adds up, plus the skill-gap and feedback-score matrices. Pure: no database, no Flask.

Only sums are stored per person; averages and rates are worked out per group from them
(reports.payloads), so a group's average is over its goals, not a mean of people's means."""

from __future__ import annotations

import uuid
from collections import defaultdict
from collections.abc import Callable, Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

import numpy as np
from scipy import sparse

from tandem.feedback import results
from tandem.goals.progress import health
from tandem.learning.rules import current_level

from .aggregation import NONE, Tree

WEEKS = 12
RECENT_DAYS = 30
FEEDBACK_DAYS = 90
RELEASED_DAYS = 365
EXPIRY_DAYS = 90
HEALTHS = ("on_track", "at_risk", "off_track", "overdue")
GOAL_STATUSES = ("draft", "active", "completed", "abandoned")
TREND_KEYS = ("headcount", "progress_sum", "progress_n", "check_ins", "milestones", "learning", "has_mentor")


@dataclass(frozen=True)
class Window:
    """The dates a build measures against: today, and twelve weeks ending now."""

    now: datetime

    @property
    def today(self) -> date:
        return self.now.date()

    def days_ago(self, days: int) -> date:
        return self.today - timedelta(days=days)

    def since(self, days: int) -> datetime:
        return self.now - timedelta(days=days)

    def week_ends(self) -> list[datetime]:
        """The end of each of the twelve weeks, oldest first; the last one is now."""
        return [self.now - timedelta(weeks=WEEKS - 1 - i) for i in range(WEEKS)]

    def week_index(self, weeks_before: float) -> int | None:
        """The trend column of something `weeks_before` whole weeks before now; -1 when it is
        older than the window (it counts from the first week on), None when in the future."""
        k = int(weeks_before)
        if k < 0:
            return None
        return -1 if k >= WEEKS else WEEKS - 1 - k

    def week_of(self, moment: datetime) -> int | None:
        return self.week_index((self.now - moment).total_seconds() // (7 * 24 * 3600))


def _aware(moment: datetime | None) -> datetime | None:
    if moment is None or moment.tzinfo is not None:
        return moment
    return moment.replace(tzinfo=UTC)


class Columns:
    """Named per-person columns being filled (float arrays of the tree's length)."""

    def __init__(self, people: int) -> None:
        self.people = people
        self.data: dict[str, np.ndarray] = {}

    def __getitem__(self, name: str) -> np.ndarray:
        column = self.data.get(name)
        if column is None:
            column = self.data[name] = np.zeros(self.people, dtype=np.float64)
        return column


def trend_name(key: str, week: int) -> str:
    return f"trend:{key}:{week}"


def cumulate(columns: Columns, key: str, baseline: np.ndarray, increments: Mapping[int, np.ndarray]) -> None:
    """Week columns holding running totals: what was there before the window plus each week's."""
    running = baseline.copy()
    for week in range(WEEKS):
        if week in increments:
            running = running + increments[week]
        columns[trend_name(key, week)][:] = running


class _Sums:
    """Per-person running sums kept in Python lists while a loop adds rows one by one (indexing
    numpy arrays element-wise costs several times more), then added to the named columns. The
    additions happen in row order either way, so the totals are the same floats."""

    def __init__(self, people: int) -> None:
        self.people = people
        self.lists: dict[str, list[float]] = {}

    def column(self, name: str) -> list[float]:
        found = self.lists.get(name)
        if found is None:
            found = self.lists[name] = [0.0] * self.people
        return found

    def into(self, columns: Columns) -> None:
        for name, values in self.lists.items():
            columns[name][:] += np.asarray(values)


def _micros(moment: datetime | None) -> int | None:
    """Microseconds since the epoch (exact, unlike float seconds), naive meaning UTC."""
    moment = _aware(moment)
    return None if moment is None else (moment - _EPOCH) // _MICROSECOND


_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_MICROSECOND = timedelta(microseconds=1)


def people_columns(columns: Columns, tree: Tree, rows: Sequence[Any], window: Window) -> np.ndarray:
    """Headcount, new joiners and weekly headcount; returns the 0/1 active mask."""
    n = len(tree)
    active = np.zeros(n)
    joined_since = _micros(window.since(RECENT_DAYS))
    people = tree.positions([row[0] for row in rows])
    if NONE in people:
        raise KeyError(rows[people.index(NONE)][0])  # everyone is in the tree built from them
    created, left, counted, is_active = [], [], [], []
    never, forever = np.iinfo(np.int64).min, np.iinfo(np.int64).max
    for _person, _manager, _team, _name, person_active, created_at, deactivated_at in rows:
        start, end = _micros(created_at), _micros(deactivated_at)
        created.append(never if start is None else start)
        left.append(forever if end is None else end)
        is_active.append(bool(person_active))
        counted.append(bool(person_active) or end is not None)  # present in past weeks at all
    if not people:
        columns["headcount"][:] = active
        return active
    at = np.asarray(people, dtype=np.int64)
    created_us, left_us = np.asarray(created, dtype=np.int64), np.asarray(left, dtype=np.int64)
    now_active = np.asarray(is_active)
    active[at[now_active]] = 1
    if now_active.any():
        joiners = columns["new_joiners"]
        joiners[at[now_active]] = (created_us[now_active] >= joined_since) & (created_us[now_active] != never)
    counted_mask = np.asarray(counted)
    for week, end in enumerate(window.week_ends()):
        end_us = _micros(end)
        present = counted_mask & (created_us <= end_us) & (left_us > end_us)
        if present.any():
            columns[trend_name("headcount", week)][at[present]] = 1
    columns["headcount"][:] = active
    return active


def goal_columns(
    columns: Columns, tree: Tree, rows: Iterable[Any], window: Window, active: np.ndarray
) -> None:
    """Goals by status and health, progress, SMART scores, stale goals, completed milestones."""
    today = window.today
    stale_before = window.since(RECENT_DAYS)
    started_before = window.days_ago(RECENT_DAYS)
    rows = list(rows)
    at, is_active = tree.positions([row[0] for row in rows]), active.tolist()
    has_active = [0.0] * len(tree)
    sums = _Sums(len(tree))
    milestones_30d = sums.column("milestones_completed_30d")
    progress_sum, progress_n = sums.column("progress_sum"), sums.column("progress_n")
    stale = sums.column("goals_without_check_in_30d")
    smart_sum, smart_n = sums.column("smart_sum"), sums.column("smart_n")
    for i, (_owner, kind, status, progress, start, due, completed_at, smart, last_check_in) in zip(
        at, rows, strict=True
    ):
        if i == NONE or not is_active[i]:
            continue
        if kind == "milestone":
            completed = _aware(completed_at)
            if status == "completed" and completed is not None:
                if completed >= stale_before:
                    milestones_30d[i] += 1
                week = window.week_of(completed)
                if week is not None and week >= 0:
                    sums.column(trend_name("milestones", week))[i] += 1
            continue
        sums.column(f"goals_{status}")[i] += 1
        if status == "active":
            has_active[i] = 1.0
            progress_sum[i] += progress
            progress_n[i] += 1
            state = health(status, progress, start, due, today)
            if state is not None:
                sums.column(f"health_{state}")[i] += 1
            last = _aware(last_check_in)
            if start <= started_before and (last is None or last < stale_before):
                stale[i] += 1
        score = (smart or {}).get("score")
        if status in ("draft", "active") and isinstance(score, int | float):
            smart_sum[i] += score
            smart_n[i] += 1
    sums.into(columns)
    columns["without_active_goal"][:] = active * (1 - np.asarray(has_active))


def check_in_columns(
    columns: Columns, tree: Tree, rows: Iterable[Any], window: Window, active: np.ndarray
) -> None:
    """Weekly check-ins, and each week's total and count of latest recorded goal progress.

    A build has a row per person and week (hundreds of thousands): they are added up with numpy,
    row by row in row order (numpy.add.at), so the totals are the floats a loop would make."""
    n = len(tree)
    rows = list(rows)
    owners, weeks_before, counts, firsts, deltas = zip(*rows, strict=True) if rows else ((),) * 5
    person = np.asarray(tree.positions(owners), dtype=np.int64)
    weeks = {k: window.week_index(k) for k in set(weeks_before)}  # a handful of distinct values
    skip = -2
    week = np.fromiter(
        (skip if weeks[k] is None else weeks[k] for k in weeks_before), dtype=np.int64, count=len(rows)
    )
    keep = (person >= 0) & (week != skip)
    keep[keep] = active[person[keep]] != 0
    count = np.asarray(counts, dtype=np.float64)
    first = np.asarray(firsts, dtype=np.float64)
    delta = np.asarray(deltas, dtype=np.float64)

    def added(selected: np.ndarray, values: np.ndarray) -> np.ndarray:
        total = np.zeros(n)
        np.add.at(total, person[selected], values[selected])
        return total

    before = keep & (week == -1)
    sum_weeks, first_weeks = {}, {}
    for w in np.unique(week[keep & (week >= 0)]).tolist():
        selected = keep & (week == w)
        sum_weeks[w], first_weeks[w] = added(selected, delta), added(selected, first)
        columns[trend_name("check_ins", w)][:] += added(selected, count)
    cumulate(columns, "progress_sum", added(before, delta), sum_weeks)
    cumulate(columns, "progress_n", added(before, first), first_weeks)


def feedback_columns(
    columns: Columns,
    tree: Tree,
    request_rows: Iterable[Any],
    cycle_rows: Iterable[Any],
    active: np.ndarray,
) -> list[str]:
    """Requests, invitations sent and submitted; one 0/1 column per open cycle. Returns the
    cycle column names."""
    for subject, requests, sent, submitted in request_rows:
        i = tree.index.get(subject)
        if i is None or not active[i]:
            continue
        # PostgreSQL's sum of counts is numeric (Decimal in Python), which numpy cannot add.
        columns["feedback_requests"][i] += float(requests)
        columns["feedback_sent"][i] += float(sent)
        columns["feedback_submitted"][i] += float(submitted)
    cycle_names = set()
    for subject, cycle_id in cycle_rows:
        i = tree.index.get(subject)
        if i is None or not active[i]:
            continue
        name = f"cycle:{cycle_id}"
        cycle_names.add(name)
        columns[name][i] = 1
    return sorted(cycle_names)


@dataclass(frozen=True)
class CompetencyScores:
    """Per person and competency: the released pooled ratings' sum and count."""

    competencies: tuple[str, ...]
    sums: np.ndarray  # people x competencies
    answers: np.ndarray  # people x competencies


def competency_scores(
    tree: Tree,
    requests: Iterable[Any],
    responses: Iterable[Any],
    questions_of: Callable[[uuid.UUID], list[results.Question]],
    active: np.ndarray,
) -> CompetencyScores:
    """Each released request goes through the feedback domain's own release rules
    (feedback.results), so only what its thresholds release reaches a dashboard."""
    by_request: dict[Hashable, list[results.Response]] = defaultdict(list)
    for request_id, relationship, answers in responses:
        by_request[request_id].append(results.Response(relationship, answers))
    questions: dict[Hashable, list[results.Question]] = {}
    per_person: dict[tuple[int, str], list[float]] = defaultdict(lambda: [0.0, 0.0])
    for request_id, subject, template_id, thresholds in requests:
        i = tree.index.get(subject)
        if i is None or not active[i] or not by_request.get(request_id):
            continue
        if template_id not in questions:
            questions[template_id] = questions_of(template_id)
        released = results.release(
            questions[template_id], by_request[request_id], results.Thresholds.from_dict(thresholds)
        )
        for score in results.competency_scores(released):
            name = score["competency"] or "General"
            total = per_person[(i, name)]
            total[0] += score["mean"] * score["answers"]
            total[1] += score["answers"]
    names = tuple(sorted({name for _i, name in per_person}))
    sums = np.zeros((len(tree), len(names)))
    answers = np.zeros((len(tree), len(names)))
    position = {name: j for j, name in enumerate(names)}
    for (i, name), (total, count) in per_person.items():
        sums[i, position[name]] = total
        answers[i, position[name]] = count
    return CompetencyScores(names, sums, answers)


def learning_columns(
    columns: Columns,
    tree: Tree,
    rows: Iterable[Any],
    week_rows: Iterable[Any],
    window: Window,
    active: np.ndarray,
) -> None:
    names = (
        "learning_planned",
        "learning_in_progress",
        "learning_completed",
        "learning_overdue",
        "learning_hours_planned",
        "learning_hours_completed",
        "certifications_expiring_90d",
    )
    is_active = active.tolist()
    rows = list(rows)
    sums = _Sums(len(tree))
    totals = [sums.column(name) for name in names]
    for i, (_owner, *values) in zip(tree.positions([row[0] for row in rows]), rows, strict=True):
        if i == NONE or not is_active[i]:
            continue
        for total, value in zip(totals, values, strict=True):
            total[i] += float(value or 0)
    sums.into(columns)
    week_rows = list(week_rows)
    weekly: dict[int, list[float]] = {}
    weeks: dict[date, int | None] = {}  # a dozen weeks of days among many rows
    for i, (_owner, completed_on, count) in zip(
        tree.positions([row[0] for row in week_rows]), week_rows, strict=True
    ):
        if i == NONE or not is_active[i]:
            continue
        if completed_on not in weeks:
            moment = datetime.combine(completed_on, time.max, tzinfo=UTC)
            weeks[completed_on] = window.week_of(min(moment, window.now))
        week = weeks[completed_on]
        if week is not None and week >= 0:
            if week not in weekly:
                weekly[week] = [0.0] * len(tree)
            weekly[week][i] += count
    for week in range(WEEKS):
        columns[trend_name("learning", week)][:] = np.asarray(weekly[week]) if week in weekly else 0


def mentoring_columns(
    columns: Columns,
    tree: Tree,
    mentorship_rows: Iterable[Any],
    request_rows: Iterable[Any],
    profile_rows: Iterable[Any],
    window: Window,
    active: np.ndarray,
) -> None:
    ends = window.week_ends()
    has_mentor = np.zeros(len(tree))
    weekly = np.zeros((WEEKS, len(tree)))
    for mentee, mentor, status, started_at, ended_at in mentorship_rows:
        started, ended = _aware(started_at), _aware(ended_at)
        i = tree.index.get(mentee)
        if i is not None and active[i]:
            if status == "active":
                has_mentor[i] = 1
            for week, end in enumerate(ends):
                if (started is None or started <= end) and (ended is None or ended > end):
                    weekly[week, i] = 1
        j = tree.index.get(mentor)
        if j is not None and active[j] and status in ("active", "paused"):
            columns["mentor_active"][j] += 1
    columns["has_mentor"][:] = has_mentor
    for week in range(WEEKS):
        columns[trend_name("has_mentor", week)][:] = weekly[week]
    for mentee, count in request_rows:
        i = tree.index.get(mentee)
        if i is not None and active[i]:
            columns["mentoring_open_requests"][i] += count
    for user_id, is_open, capacity in profile_rows:
        i = tree.index.get(user_id)
        if i is not None and active[i] and is_open:
            columns["mentors"][i] += 1
            columns["mentor_capacity"][i] += capacity


@dataclass(frozen=True)
class SkillGaps:
    """people x skills: 1 where the person falls short of a needed level, and by how much."""

    skills: tuple[Hashable, ...]
    has_gap: sparse.csr_matrix
    size: sparse.csr_matrix


def skill_gaps(tree: Tree, rows: Iterable[Any], active: np.ndarray) -> SkillGaps:
    skills: dict[Hashable, int] = {}  # in the order first seen
    seen: dict[Any, int] = {}  # the same, a UUID by its number (hashed in C, not in Python)
    people, columns, sizes = [], [], []
    rows, is_active = list(rows), active.tolist()
    for i, (_person, skill, required, self_level, manager_level) in zip(
        tree.positions([row[0] for row in rows]), rows, strict=True
    ):
        if i == NONE or not is_active[i]:
            continue
        gap = required - current_level(self_level, manager_level)
        if gap < 1:
            continue
        key = skill.int if isinstance(skill, uuid.UUID) else (None, skill)
        column = seen.get(key)
        if column is None:
            column = seen[key] = skills[skill] = len(skills)
        people.append(i)
        columns.append(column)
        sizes.append(float(gap))
    shape = (len(tree), len(skills))
    size = sparse.csr_matrix((sizes, (people, columns)), shape=shape)
    has_gap = sparse.csr_matrix((np.ones(len(sizes)), (people, columns)), shape=shape)
    return SkillGaps(tuple(skills), has_gap, size)
