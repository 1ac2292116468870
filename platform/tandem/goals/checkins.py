"""Check-ins: a new value (or done), a confidence and a note; each one moves the goal's progress
and its ancestors', and may complete a milestone."""

from __future__ import annotations

import uuid
from collections import defaultdict
from datetime import datetime
from itertools import repeat
from typing import Any, NamedTuple

import sqlalchemy as sa

from ..core.db import db, in_ids, utcnow
from ..core.errors import Conflict, field_error
from ..people.models import User
from . import services
from .models import ACTIVE, BINARY, CheckIn


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


def in_order(numbers: list[int], points: list[Point]) -> list[Point]:
    """`points` sorted by their `numbers` (1, 2, ...): as they are when they came in order."""
    if numbers == list(range(1, len(numbers) + 1)):
        return points
    return [point for _n, point in sorted(zip(numbers, points, strict=True))]


def progress_lines(goal_ids: list[uuid.UUID]) -> dict[uuid.UUID, list[Point]]:
    """Every check-in of these goals as light points, oldest first, in one query: what a tree
    draws. The notes are in each goal's check-in list."""
    found: dict[uuid.UUID, list[Point]] = defaultdict(list)
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
            values = zip(map(datetime.fromisoformat, times), *columns, strict=True)
            # Point(*v) for each, without the Python-level __new__ of a named tuple.
            found[goal_id] = in_order(numbers, list(map(tuple.__new__, repeat(Point), values)))
        return found
    rows = db.session.execute(
        sa.select(CheckIn.goal_id, *(getattr(CheckIn, name) for name in _POINT_COLUMNS))
        .where(in_ids(CheckIn.goal_id, goal_ids))
        .order_by(CheckIn.goal_id, CheckIn.at, CheckIn.id)
    )
    for goal_id, *values in rows:
        found[goal_id].append(Point(*values))
    return found
