"""Writes on the goal page: check in, add and tick tasks, add obstacles and change their status.
A refused form re-renders the goal page with its problems and what was typed."""

from __future__ import annotations

import uuid

from flask import flash, redirect, url_for

from ..core.auth import login_required
from ..goals import checkins, plans
from ..goals import services as goals
from ..goals.schemas import CheckInCreateSchema, ObstacleSchema, TaskSchema
from .blueprint import web
from .forms import Form, attempt
from .pages import me
from .views_goals import goal_page

TASK_FIELDS = ("title", "due_date", "estimate_hours", "urgent", "important")


def _back(goal_id: uuid.UUID, anchor: str):  # type: ignore[no-untyped-def]
    return redirect(url_for("web.goal_detail", goal_id=goal_id) + anchor)


@web.post("/goals/<uuid:goal_id>/checkins")
@login_required
def goal_checkin(goal_id: uuid.UUID):  # type: ignore[no-untyped-def]
    actor = me()
    goal = goals.get_readable(actor, goal_id)
    form = Form.from_request()
    names = ["confidence", "note", "done" if goal.measure_kind == "binary" else "value"]
    data = form.load(CheckInCreateSchema(), names)
    if data is not None and attempt(form, lambda: checkins.add_checkin(actor, goal_id, data)) is not None:
        flash("Checked in. Your progress line is updated.", "success")
        return _back(goal_id, "#progress-h")
    return goal_page(goal_id, checkin=form)


@web.post("/goals/<uuid:goal_id>/tasks")
@login_required
def goal_task_add(goal_id: uuid.UUID):  # type: ignore[no-untyped-def]
    form = Form.from_request()
    data = form.load(TaskSchema(), TASK_FIELDS)
    if data is not None and attempt(form, lambda: plans.create_task(me(), goal_id, data)) is not None:
        flash(f"Task added: {data['title']}", "success")
        return _back(goal_id, "#tasks-h")
    return goal_page(goal_id, task=form)


@web.post("/goals/<uuid:goal_id>/tasks/<uuid:task_id>/done")
@login_required
def goal_task_done(goal_id: uuid.UUID, task_id: uuid.UUID):  # type: ignore[no-untyped-def]
    form = Form.from_request()
    done = form.text("done") != "0"
    if attempt(form, lambda: plans.update_task(me(), goal_id, task_id, {"done": done})) is not None:
        flash("Task done. Well done!" if done else "Task reopened.", "success")
        return _back(goal_id, "#tasks-h")
    return goal_page(goal_id, task=form)


@web.post("/goals/<uuid:goal_id>/obstacles")
@login_required
def goal_obstacle_add(goal_id: uuid.UUID):  # type: ignore[no-untyped-def]
    form = Form.from_request()
    data = form.load(ObstacleSchema(), ("description", "contingency", "status"))
    if data is not None and attempt(form, lambda: plans.create_obstacle(me(), goal_id, data)) is not None:
        flash("Obstacle noted, with its plan B.", "success")
        return _back(goal_id, "#obstacles-h")
    return goal_page(goal_id, obstacle=form)


@web.post("/goals/<uuid:goal_id>/obstacles/<uuid:obstacle_id>")
@login_required
def goal_obstacle_status(goal_id: uuid.UUID, obstacle_id: uuid.UUID):  # type: ignore[no-untyped-def]
    form = Form.from_request()
    data = form.load(ObstacleSchema(partial=True), ("status",))
    if (
        data is not None
        and attempt(form, lambda: plans.update_obstacle(me(), goal_id, obstacle_id, data)) is not None
    ):
        flash(f"Obstacle marked {data['status']}.", "success")
        return _back(goal_id, "#obstacles-h")
    return goal_page(goal_id, obstacle=form)
