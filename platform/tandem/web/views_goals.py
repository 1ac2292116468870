"""Goal pages: my goals, a new goal with live SMART hints, and one goal with its milestones,
progress line, check-ins, tasks and obstacles (their writes are in views_goal_plans)."""

from __future__ import annotations

import uuid
from typing import Any

from flask import flash, redirect, request, url_for

from ..core.auth import login_required
from ..core.db import db
from ..goals import checkins, plans
from ..goals import services as goals
from ..goals.models import HORIZONS, VISIBILITIES, Goal
from ..goals.progress import health
from ..goals.schemas import GoalCreateSchema, GoalUpdateSchema
from ..people import orgchart
from .blueprint import web
from .forms import Form, attempt
from .pages import me, page, people, today

GOAL_FIELDS = (
    "title",
    "what",
    "why",
    "how",
    "relevance_note",
    "measure_kind",
    "metric_name",
    "unit",
    "start_value",
    "target_value",
    "start_date",
    "due_date",
    "horizon",
    "kind",
    "parent_id",
    "visibility",
    "status",
)
VISIBILITY_LABELS = {
    "private": "Only me",
    "manager_chain": "Me and my managers",
    "tenant": "Everyone in the organisation",
}
QUADRANT_LABELS = {
    "do": "do first",
    "schedule": "schedule",
    "delegate": "delegate",
    "eliminate": "drop or defer",
}
HORIZON_LABELS = {"short_term": "Short term", "long_term": "Long term"}


def parent_choices(actor: Any) -> list[tuple[str, str]]:
    """Goals a new goal may support: mine and those my managers share (the service decides)."""
    owners = [actor.id, *(m.id for m in orgchart.chain(actor.id))]
    names = people(owners)
    rows = []
    for owner in owners:
        for goal in db.session.scalars(
            goals.goals_query(actor, {"scope": "visible", "owner_id": owner})
        ).all():
            if goal.status in ("draft", "active"):
                who = "" if owner == actor.id else f" ({names[owner].name})"
                rows.append((str(goal.id), goal.title + who))
    return rows


@web.get("/goals", endpoint="goals")
@login_required
def goals_list():  # type: ignore[no-untyped-def]
    actor = me()
    forest = goals.owner_goals(actor, actor.id, include_archived=False)
    day = today()
    rows = [
        (goal, depth, health(goal.status, goal.progress, goal.start_date, goal.due_date, day))
        for goal, depth in forest
    ]
    return page("goals/list.html", rows=rows)


@web.route("/goals/new", methods=["GET", "POST"])
@login_required
def goal_new():  # type: ignore[no-untyped-def]
    actor = me()
    if request.method == "POST":
        form = Form.from_request()
        data = form.load(GoalCreateSchema(), [n for n in GOAL_FIELDS if n in form.values or n == "title"])
        if data is not None:
            goal = attempt(form, lambda: goals.create_goal(actor, data))
            if goal is not None:
                flash(f"Goal created: {goal.title}", "success")
                return redirect(url_for("web.goal_detail", goal_id=goal.id))
    else:
        form = Form(
            {
                "start_date": today().isoformat(),
                "measure_kind": "numeric",
                "status": "active",
                "visibility": "manager_chain",
                "horizon": "short_term",
                "kind": request.args.get("kind", "goal"),
                "parent_id": request.args.get("parent_id", ""),
            }
        )
    return page(
        "goals/new.html",
        form,
        form=form,
        parents=parent_choices(actor),
        visibilities=[(v, VISIBILITY_LABELS[v]) for v in VISIBILITIES],
        horizons=[(h, HORIZON_LABELS[h]) for h in HORIZONS],
    )


def goal_page(goal_id: uuid.UUID, **forms: Form) -> tuple[str, int]:
    """One goal as its reader sees it; `forms` are the page's forms (a refused one with problems)."""
    actor = me()
    goal = goals.get_readable(actor, goal_id)
    below = goals.subtree_of(actor, goal.id)[1:]
    history = list(db.session.scalars(checkins.checkins_query(actor, goal.id)))
    owner = people([goal.owner_id])[goal.owner_id]
    parent = db.session.get(Goal, goal.parent_id) if goal.parent_id else None
    if parent is not None and not goals.can_read(actor, parent):
        parent = None  # a goal may support one its reader cannot see
    defaults = {
        "checkin": Form({"confidence": "3"}),
        "task": Form(),
        "obstacle": Form({"status": "open"}),
    }
    defaults.update(forms)
    return page(
        "goals/detail.html",
        *defaults.values(),
        goal=goal,
        owner=owner,
        parent=parent,
        can_edit=goal.owner_id == actor.id,
        below=below,
        history=history,
        chart=progress_chart(goal, history),
        tasks=[(t, plans.quadrant(t.urgent, t.important)) for t in plans.tasks_of(actor, goal.id)],
        quadrant_labels=QUADRANT_LABELS,
        obstacles=plans.obstacles_of(actor, goal.id),
        health=health(goal.status, goal.progress, goal.start_date, goal.due_date, today()),
        **defaults,
    )


def progress_chart(goal: Any, history: list[Any]) -> dict[str, Any]:
    """The progress line: progress (%) after each check-in and, for numeric goals, the value."""
    datasets: list[dict[str, Any]] = [
        {"label": "Progress (%)", "data": [round(c.progress * 100, 1) for c in history], "axis": "y"}
    ]
    if goal.measure_kind == "numeric":
        unit = f" ({goal.unit})" if goal.unit else ""
        datasets.append(
            {
                "label": f"{goal.metric_name or 'Value'}{unit}",
                "data": [c.value for c in history],
                "axis": "y1",
            }
        )
    return {
        "type": "line",
        "x_label": "Check-in",
        "labels": [c.at.strftime("%Y-%m-%d %H:%M") for c in history],
        "datasets": datasets,
        "y_min": 0,
        "y_max": 100,
    }


@web.get("/goals/<uuid:goal_id>")
@login_required
def goal_detail(goal_id: uuid.UUID):  # type: ignore[no-untyped-def]
    return goal_page(goal_id)


@web.post("/goals/<uuid:goal_id>/status")
@login_required
def goal_status(goal_id: uuid.UUID):  # type: ignore[no-untyped-def]
    form = Form.from_request()
    data = form.load(GoalUpdateSchema(partial=True), ["status"])
    if data is not None and attempt(form, lambda: goals.update_goal(me(), goal_id, data)) is not None:
        flash(f"The goal is now {data['status']}.", "success")
        return redirect(url_for("web.goal_detail", goal_id=goal_id))
    flash(form.message or "; ".join(form.error("status")) or "That change is not possible.", "error")
    return goal_page(goal_id)[0], form.status
