"""Action plans: a goal's tasks (sorted into Eisenhower quadrants) and its obstacles."""

from __future__ import annotations

import uuid
from collections import defaultdict
from collections.abc import Sequence
from typing import Any

import sqlalchemy as sa

from ..core.db import db, in_ids, utcnow
from ..core.errors import NotFound, field_error
from ..people.models import User
from . import services
from .models import ACTIVE, DRAFT, Goal, GoalObstacle, GoalTask

QUADRANTS = ("do", "schedule", "delegate", "eliminate")
TASK_FIELDS = ("title", "due_date", "estimate_hours", "urgent", "important", "done")
TASK_COLUMNS = ("id", "goal_id", *TASK_FIELDS, "done_at", "created_at")
OBSTACLE_FIELDS = ("description", "contingency", "status")


def quadrant(urgent: bool, important: bool) -> str:
    """Do (urgent, important), schedule (important), delegate (urgent), eliminate (neither)."""
    if important:
        return "do" if urgent else "schedule"
    return "delegate" if urgent else "eliminate"


def _required_text(data: dict[str, Any], name: str) -> None:
    if name in data:
        data[name] = (data[name] or "").strip()
        if not data[name]:
            raise field_error(name, "is required")


# --- tasks ----------------------------------------------------------------------------------------


def tasks_of(actor: User, goal_id: uuid.UUID) -> list[GoalTask]:
    goal = services.get_readable(actor, goal_id)
    stmt = sa.select(GoalTask).where(GoalTask.goal_id == goal.id)
    return list(
        db.session.scalars(
            stmt.order_by(
                GoalTask.done,
                GoalTask.due_date.is_(None),
                GoalTask.due_date,
                GoalTask.created_at,
                GoalTask.id,
            )
        )
    )


def _get_task(goal: Goal, task_id: uuid.UUID) -> GoalTask:
    task = db.session.get(GoalTask, task_id)
    if task is None or task.goal_id != goal.id:
        raise NotFound("No such task")
    return task


def create_task(actor: User, goal_id: uuid.UUID, data: dict[str, Any]) -> GoalTask:
    goal = services.get_editable(actor, goal_id)
    _required_text(data, "title")
    task = GoalTask(goal_id=goal.id, **{k: v for k, v in data.items() if k in TASK_FIELDS})
    if task.done:
        task.done_at = utcnow()
    db.session.add(task)
    db.session.flush()
    return task


def update_task(actor: User, goal_id: uuid.UUID, task_id: uuid.UUID, data: dict[str, Any]) -> GoalTask:
    goal = services.get_editable(actor, goal_id)
    task = _get_task(goal, task_id)
    _required_text(data, "title")
    for name in TASK_FIELDS:
        if name in data:
            if name == "done" and bool(data["done"]) != task.done:
                task.done_at = utcnow() if data["done"] else None
            setattr(task, name, data[name])
    db.session.flush()
    return task


def delete_task(actor: User, goal_id: uuid.UUID, task_id: uuid.UUID) -> None:
    goal = services.get_editable(actor, goal_id)
    db.session.delete(_get_task(goal, task_id))
    db.session.flush()


def my_tasks(actor: User, *, include_done: bool) -> list[tuple[GoalTask, Goal]]:
    """The actor's tasks on their draft and active goals that are not archived, each with its
    goal, in one query: soonest due first, undated last."""
    stmt = (
        sa.select(GoalTask, Goal)
        .join(Goal, Goal.id == GoalTask.goal_id)
        .where(Goal.owner_id == actor.id, Goal.status.in_((DRAFT, ACTIVE)), Goal.archived_at.is_(None))
        .order_by(GoalTask.done, GoalTask.due_date.is_(None), GoalTask.due_date, GoalTask.title, GoalTask.id)
    )
    if not include_done:
        stmt = stmt.where(GoalTask.done.is_(False))
    return [(task, goal) for task, goal in db.session.execute(stmt).all()]


def task_out(task: Any, **extra: Any) -> dict[str, Any]:
    """A task as TaskSchema dumps it, with its quadrant."""
    return {
        **{name: getattr(task, name) for name in TASK_COLUMNS},
        "quadrant": quadrant(task.urgent, task.important),
        **extra,
    }


def _rows_by_goal(
    model: type[GoalTask | GoalObstacle],
    names: Sequence[str],
    goal_ids: list[uuid.UUID],
    order: Sequence[Any],
) -> dict[uuid.UUID, list[dict[str, Any]]]:
    """Columns `names` (goal_id among them) of many goals' rows in one query, grouped by goal in
    `order`, each as a dict of its columns: no ORM objects (a tree has thousands), and no rows
    either (reading a row's column by name costs ~0.45 us, and a task has 11)."""
    found: dict[uuid.UUID, list[dict[str, Any]]] = defaultdict(list)
    if goal_ids:
        stmt = sa.select(*(getattr(model, name) for name in names)).where(in_ids(model.goal_id, goal_ids))
        for row in db.session.execute(stmt.order_by(*order)):
            values = dict(zip(names, row, strict=True))
            found[values["goal_id"]].append(values)
    return found


def tasks_by_goal(goal_ids: list[uuid.UUID]) -> dict[uuid.UUID, list[dict[str, Any]]]:
    """The tasks of many goals in one query, as TaskSchema dumps them (with their quadrant): open
    ones first, soonest due first, undated last."""
    order = (GoalTask.done, GoalTask.due_date.is_(None), GoalTask.due_date, GoalTask.id)
    found = _rows_by_goal(GoalTask, TASK_COLUMNS, goal_ids, order)
    for tasks in found.values():
        for task in tasks:
            task["quadrant"] = quadrant(task["urgent"], task["important"])
    return found


def obstacles_by_goal(goal_ids: list[uuid.UUID]) -> dict[uuid.UUID, list[dict[str, Any]]]:
    """The obstacles of many goals in one query, oldest first."""
    names = ("id", "goal_id", *OBSTACLE_FIELDS, "created_at", "updated_at")
    return _rows_by_goal(GoalObstacle, names, goal_ids, (GoalObstacle.created_at, GoalObstacle.id))


# --- obstacles ------------------------------------------------------------------------------------


def obstacles_of(actor: User, goal_id: uuid.UUID) -> list[GoalObstacle]:
    goal = services.get_readable(actor, goal_id)
    stmt = sa.select(GoalObstacle).where(GoalObstacle.goal_id == goal.id)
    return list(db.session.scalars(stmt.order_by(GoalObstacle.created_at, GoalObstacle.id)))


def _get_obstacle(goal: Goal, obstacle_id: uuid.UUID) -> GoalObstacle:
    obstacle = db.session.get(GoalObstacle, obstacle_id)
    if obstacle is None or obstacle.goal_id != goal.id:
        raise NotFound("No such obstacle")
    return obstacle


def create_obstacle(actor: User, goal_id: uuid.UUID, data: dict[str, Any]) -> GoalObstacle:
    goal = services.get_editable(actor, goal_id)
    _required_text(data, "description")
    obstacle = GoalObstacle(goal_id=goal.id, **{k: v for k, v in data.items() if k in OBSTACLE_FIELDS})
    db.session.add(obstacle)
    db.session.flush()
    return obstacle


def update_obstacle(
    actor: User, goal_id: uuid.UUID, obstacle_id: uuid.UUID, data: dict[str, Any]
) -> GoalObstacle:
    goal = services.get_editable(actor, goal_id)
    obstacle = _get_obstacle(goal, obstacle_id)
    _required_text(data, "description")
    for name in OBSTACLE_FIELDS:
        if name in data:
            setattr(obstacle, name, data[name] if name != "contingency" else (data[name] or ""))
    db.session.flush()
    return obstacle


def delete_obstacle(actor: User, goal_id: uuid.UUID, obstacle_id: uuid.UUID) -> None:
    goal = services.get_editable(actor, goal_id)
    db.session.delete(_get_obstacle(goal, obstacle_id))
    db.session.flush()
