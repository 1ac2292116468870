"""Check-ins: a new value (or done), a confidence and a note; each one moves the goal's progress
and its ancestors', and may complete a milestone."""

from __future__ import annotations

import uuid
from collections import defaultdict
from collections.abc import Iterator, Sequence
from datetime import datetime
from typing import Any, NamedTuple, TypeVar

import sqlalchemy as sa

from ..core.db import db, in_ids, utcnow
from ..core.errors import Conflict, field_error
from ..people.models import User
from . import services
from .models import ACTIVE, BINARY, CheckIn

_T = TypeVar("_T")


def checkins_query(actor: User, goal_id: uuid.UUID) -> sa.Select[tuple[CheckIn]]:
    """A goal's check-ins, oldest first (the points of its progress line)."""
    goal = services.get_readable(actor, goal_id)
    return sa.select(CheckIn).where(CheckIn.goal_id == goal.id).order_by(CheckIn.at, CheckIn.id)


def add_checkin(actor: User, goal_id: uuid.UUID, data: dict[str, Any]) -> tuple[CheckIn, int]:
    """Record a check-in; returns it and how many goals had their progress recomputed."""
    goal = services.get_editable(actor, goal_id)
    if goal.status != ACTIVE:
        raise Conflict(f"Only an active goal takes check-ins; this one is {goal.status}")
    checkin = CheckIn(
        goal_id=goal.id,
        author_id=actor.id,
        at=utcnow(),
        confidence=data["confidence"],
        note=(data.get("note") or "").strip(),
    )
    if goal.measure_kind == BINARY:
        if data.get("done") is None:
            raise field_error("done", "is required for a done/not-done goal")
        goal.done = checkin.done = bool(data["done"])
    else:
        if data.get("value") is None:
            raise field_error("value", "is required for a numeric goal")
        goal.current_value = checkin.value = data["value"]
    services.complete_if_reached(goal)
    recomputed = services.recompute_upwards(goal)
    checkin.progress = goal.progress
    db.session.add(checkin)
    db.session.flush()
    services.refresh_smart([goal])
    db.session.flush()
    return checkin, recomputed


class Point(NamedTuple):
    """One point of a progress line."""

    at: datetime
    value: float | None
    done: bool | None
    confidence: int
    progress: float


_POINT_COLUMNS = ("at", "value", "done", "confidence", "progress")


class Line(Sequence[Point]):
    """A goal's progress line: its points are kept as plain tuples and handed out as Points. The
    garbage collector stops tracking a tuple of plain values, never a named tuple: a tree's 5,000
    tracked points got promoted to the oldest generation and set off a full collection (130 ms in
    this app) every few reads, where points made while dumping die young."""

    __slots__ = ("_values",)

    def __init__(self, values: Sequence[tuple[Any, ...]] = ()) -> None:
        self._values = values

    def __len__(self) -> int:
        return len(self._values)

    def __getitem__(self, index: Any) -> Any:
        if isinstance(index, slice):
            return [Point._make(values) for values in self._values[index]]
        return Point._make(self._values[index])

    def __iter__(self) -> Iterator[Point]:
        return map(Point._make, self._values)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Line | list) and list(self) == list(other)

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        return f"Line({list(self)!r})"


def in_order(numbers: list[int], values: list[_T]) -> list[_T]:
    """`values` sorted by their `numbers` (1, 2, ...): as they are when they came in order."""
    if numbers == list(range(1, len(numbers) + 1)):
        return values
    return [value for _n, value in sorted(zip(numbers, values, strict=True))]


def progress_lines(goal_ids: list[uuid.UUID]) -> dict[uuid.UUID, Line]:
    """Every check-in of these goals as light points, oldest first, in one query: what a tree
    draws. The notes are in each goal's check-in list."""
    found: dict[uuid.UUID, Line] = defaultdict(Line)
    if not goal_ids:
        return found
    if db.session.get_bind().dialect.name == "postgresql":
        # One row per goal with its points as arrays: thousands of check-ins arrive as a few
        # hundred rows, which halves the time psycopg spends decoding them. The points are sorted
        # once and numbered (PostgreSQL 15 would sort each of five ordered array_agg on its own,
        # per goal); arrays follow their input order in practice but SQL does not promise it, so
        # the numbers come along and any line that arrived out of order is put back in order.
        number = sa.func.row_number().over(partition_by=CheckIn.goal_id, order_by=(CheckIn.at, CheckIn.id))
        # The times come as PostgreSQL's ISO text: datetime.fromisoformat reads it four times
        # faster than psycopg's timestamptz loader (which moves every value into the session's
        # ZoneInfo), into equal datetimes with the same UTC offset, so the same isoformat().
        points = (
            sa.select(
                CheckIn.goal_id,
                number.label("n"),
                sa.cast(CheckIn.at, sa.Text).label("at"),
                *(getattr(CheckIn, name) for name in _POINT_COLUMNS[1:]),
            )
            .where(in_ids(CheckIn.goal_id, goal_ids))
            .subquery()
        )
        # psycopg returns lists already; SQLAlchemy's ARRAY type would copy every one of them.
        arrays = [
            sa.type_coerce(sa.func.array_agg(points.c[name]), sa.types.NullType())
            for name in ("n", *_POINT_COLUMNS)
        ]
        stmt = sa.select(points.c.goal_id, *arrays).group_by(points.c.goal_id)
        for goal_id, numbers, times, *columns in db.session.execute(stmt):
            values = list(zip(map(datetime.fromisoformat, times), *columns, strict=True))
            found[goal_id] = Line(in_order(numbers, values))
        return found
    rows = db.session.execute(
        sa.select(CheckIn.goal_id, *(getattr(CheckIn, name) for name in _POINT_COLUMNS))
        .where(in_ids(CheckIn.goal_id, goal_ids))
        .order_by(CheckIn.goal_id, CheckIn.at, CheckIn.id)
    )
    grouped: dict[uuid.UUID, list[tuple[Any, ...]]] = defaultdict(list)
    for goal_id, *values in rows:
        grouped[goal_id].append(tuple(values))
    found.update((goal_id, Line(values)) for goal_id, values in grouped.items())
    return found
