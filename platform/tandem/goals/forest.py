"""A person's goal tree: their goals as a forest with tasks, obstacles and progress lines."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from typing import Any, NamedTuple

import sqlalchemy as sa

from ..core.db import db
from ..people.models import User
from . import checkins, plans, services
from .models import Goal

# Every column but the tenant: what a goal is read as.
_GOAL_KEYS = tuple(attr.key for attr in sa.inspect(Goal).column_attrs if attr.key != "tenant_id")
_GOAL_COLUMNS = tuple(getattr(Goal, key) for key in _GOAL_KEYS)


class PlannedGoal(NamedTuple):
    """One goal of the tree, as a dict of its columns, with what hangs off it (dicts too)."""

    goal: dict[str, Any]
    depth: int
    tasks: list[dict[str, Any]]
    obstacles: list[dict[str, Any]]
    checkins: Sequence[checkins.Point]


def person_tree(actor: User, owner_id: uuid.UUID, *, include_archived: bool) -> list[PlannedGoal]:
    """The goals of `owner_id` that the actor may read, depth-first, with their tasks, obstacles
    and check-in points: four queries (five for someone else's tree) whatever its size. Plain dicts,
    not ORM objects: a tree holds thousands of items and nothing here is written (and not rows:
    reading a row's column by name costs ~0.45 us, and a goal has 30)."""
    stmt = services.owner_goals_select(actor, owner_id, *_GOAL_COLUMNS, include_archived=include_archived)
    nodes = services.as_forest(db.session.execute(stmt).all())
    ids = [goal.id for goal, _depth in nodes]
    tasks = plans.tasks_by_goal(ids)
    obstacles = plans.obstacles_by_goal(ids)
    lines = checkins.progress_lines(ids)
    return [
        PlannedGoal(
            dict(zip(_GOAL_KEYS, goal, strict=True)),
            depth,
            tasks.get(goal.id, []),
            obstacles.get(goal.id, []),
            lines.get(goal.id, []),
        )
        for goal, depth in nodes
    ]
