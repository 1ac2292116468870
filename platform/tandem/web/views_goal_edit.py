"""Editing a goal after it was created: title, description (what, why, how), measure, dates,
weight, visibility, tags, relevance note and the goal it supports, saved with the service that
PATCH /api/v1/goals/<id> calls (owner only: 403 for other readers, 404 for other organisations)."""

from __future__ import annotations

import uuid
from typing import Any

from flask import flash, redirect, request, url_for

from ..core.auth import login_required
from ..core.db import db
from ..goals import services as goals
from ..goals.models import HORIZONS, VISIBILITIES, Goal
from ..goals.schemas import GoalUpdateSchema
from .blueprint import web
from .forms import Form, attempt
from .pages import me, page
from .views_goals import HORIZON_LABELS, VISIBILITY_LABELS, parent_choices

EDIT_FIELDS = (
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
    "weight",
    "visibility",
    "parent_id",
)
# Emptied on the form means emptied in the goal (a blank field is otherwise left as it was).
CLEARABLE_TEXT = ("what", "why", "how", "relevance_note")
LABELS = {
    "title": "Title",
    "what": "What exactly will be different",
    "why": "Why it matters",
    "how": "How you will get there",
    "relevance_note": "Why it matters now",
    "measure_kind": "Measured by",
    "metric_name": "Metric",
    "start_value": "Start value",
    "target_value": "Target value",
    "start_date": "Start date",
    "due_date": "Due date",
    "weight": "Weight",
    "visibility": "Who can see it",
    "parent_id": "Supports the goal",
    "tags": "Tags",
}


def number(value: float | None) -> str:
    if value is None:
        return ""
    return str(int(value)) if float(value).is_integer() and abs(value) < 1e15 else repr(value)


def stored(goal: Goal) -> Form:
    """The edit form holding what the goal holds now."""
    return Form(
        {
            "title": goal.title,
            "what": goal.what or "",
            "why": goal.why or "",
            "how": goal.how or "",
            "relevance_note": goal.relevance_note or "",
            "measure_kind": goal.measure_kind,
            "metric_name": goal.metric_name or "",
            "unit": goal.unit or "",
            "start_value": number(goal.start_value),
            "target_value": number(goal.target_value),
            "start_date": goal.start_date.isoformat() if goal.start_date else "",
            "due_date": goal.due_date.isoformat() if goal.due_date else "",
            "horizon": goal.horizon,
            "weight": number(goal.weight),
            "visibility": goal.visibility,
            "tags": ", ".join(goal.tags or []),
            "parent_id": str(goal.parent_id) if goal.parent_id else "",
        }
    )


def parents_for(actor: Any, goal: Goal) -> list[tuple[str, str]]:
    """Goals this one may support: not itself nor one below it (the service refuses cycles too),
    and the one it supports now even when it is no longer open."""
    below = {str(g.id) for g, _depth in goals.subtree_of(actor, goal.id)}
    options = [(value, title) for value, title in parent_choices(actor) if value not in below]
    if goal.parent_id is not None and str(goal.parent_id) not in {v for v, _t in options}:
        parent = db.session.get(Goal, goal.parent_id)
        title = (
            parent.title
            if parent is not None and goals.can_read(actor, parent)
            else "(a goal you cannot see)"
        )
        options.insert(0, (str(goal.parent_id), f"{title} (now)"))
    return options


def edit_page(goal: Goal, form: Form) -> tuple[str, int]:
    actor = me()
    return page(
        "goals/edit.html",
        form,
        goal=goal,
        form=form,
        labels=LABELS,
        parents=parents_for(actor, goal),
        visibilities=[(v, VISIBILITY_LABELS[v]) for v in VISIBILITIES],
        horizons=[(h, HORIZON_LABELS[h]) for h in HORIZONS],
    )


def changes(form: Form) -> dict[str, Any] | None:
    """The posted fields as the API's PATCH schema takes them (None, with messages, if refused)."""
    schema = GoalUpdateSchema(partial=True)
    raw = form.raw(schema, [n for n in EDIT_FIELDS if n in form.values])
    for name in ("title", *CLEARABLE_TEXT):
        if name in form.values:
            raw[name] = form.text(name)
    if "tags" in form.values:
        raw["tags"] = [t.strip() for t in form.text("tags").split(",") if t.strip()]
    data = form.validate(schema, raw)
    if data is None:
        # A tag's message ("tags.2") goes under the tags field.
        for name in [n for n in form.errors if n.startswith("tags.")]:
            number_ = name.split(".", 1)[1]
            form.errors.setdefault("tags", []).extend(
                f"tag {int(number_) + 1 if number_.isdigit() else number_}: {m}"
                for m in form.errors.pop(name)
            )
    return data


@web.route("/goals/<uuid:goal_id>/edit", methods=["GET", "POST"])
@login_required
def goal_edit(goal_id: uuid.UUID):  # type: ignore[no-untyped-def]
    actor = me()
    goal = goals.get_editable(actor, goal_id)  # another organisation's: 404; not the owner: 403
    if request.method == "GET":
        return edit_page(goal, stored(goal))
    form = Form.from_request()
    data = changes(form)
    if data is not None and attempt(form, lambda: goals.update_goal(actor, goal_id, data)) is not None:
        flash("Goal saved.", "success")
        return redirect(url_for("web.goal_detail", goal_id=goal_id))
    return edit_page(goals.get_editable(actor, goal_id), form)
