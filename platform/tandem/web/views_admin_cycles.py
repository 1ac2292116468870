"""HR admin pages: 360 feedback cycles, listed with their progress, launched for a team, a manager's
subtree or everyone with a template and dates, and closed."""

from __future__ import annotations

import uuid
from datetime import timedelta

from flask import flash, redirect, request, url_for

from ..core.db import db
from ..feedback import cycles, templates
from ..feedback.models import SCOPES
from ..feedback.schemas import FeedbackCycleCreateSchema
from ..people import services as people_services
from .blueprint import web
from .forms import Form, attempt
from .pages import me, page, today
from .views_admin_shared import admin_only, paged

FIELDS = (
    "name",
    "template_id",
    "scope",
    "team_id",
    "manager_id",
    "opens_on",
    "closes_on",
    "max_requests_per_reviewer",
)
SCOPE_LABELS = {"tenant": "Everyone", "team": "One team", "subtree": "A manager's whole subtree"}
STATUSES = (("", "All"), ("open", "Open"), ("closed", "Closed"))


def cycles_page(form: Form | None = None):  # type: ignore[no-untyped-def]
    actor = me()
    status = request.args.get("status") if request.args.get("status") in ("open", "closed") else None
    found = paged(cycles.cycles_query(actor, status))
    progress = cycles.progress([c.id for c in found["items"]])
    teams = list(db.session.scalars(people_services.teams_query()))
    managers = list(db.session.scalars(people_services.people_query()))
    day = today()
    return page(
        "admin/cycles.html",
        form,
        form=form
        or Form(
            {
                "scope": "tenant",
                "opens_on": day.isoformat(),
                "closes_on": (day + timedelta(days=21)).isoformat(),
            }
        ),
        found=found,
        progress=progress,
        closed={c.id for c in found["items"] if cycles.is_cycle_closed(c)},
        status=status or "",
        statuses=STATUSES,
        template_choices=[(str(t.id), t.name) for t in db.session.scalars(templates.templates_query(False))],
        scope_choices=[(s, SCOPE_LABELS[s]) for s in SCOPES],
        team_choices=[(str(t.id), t.name) for t in teams],
        team_names={t.id: t.name for t in teams},
        manager_choices=[(str(p.id), f"{p.name} ({p.title})" if p.title else p.name) for p in managers],
        manager_names={p.id: p.name for p in managers},
    )


@web.get("/admin/feedback/cycles", endpoint="admin_cycles")
@admin_only
def admin_cycles():  # type: ignore[no-untyped-def]
    return cycles_page()


@web.post("/admin/feedback/cycles")
@admin_only
def admin_cycles_new():  # type: ignore[no-untyped-def]
    form = Form.from_request()
    data = form.load(FeedbackCycleCreateSchema(), FIELDS)
    if data is not None:
        # Only the scope's own choice counts: a team picked before switching to "everyone" is moot.
        if data["scope"] != "team":
            data.pop("team_id", None)
        if data["scope"] != "subtree":
            data.pop("manager_id", None)
        actor = me()
        cycle = attempt(form, lambda: cycles.launch_cycle(actor, data))
        if cycle is not None:
            flash(f"The cycle “{cycle.name}” is open until {cycle.closes_on.isoformat()}.", "success")
            return redirect(url_for("web.admin_cycles"))
    return cycles_page(form)


@web.post("/admin/feedback/cycles/<uuid:cycle_id>/close")
@admin_only
def admin_cycles_close(cycle_id: uuid.UUID):  # type: ignore[no-untyped-def]
    form = Form.from_request()
    actor = me()
    cycle = attempt(form, lambda: cycles.close_cycle(actor, cycle_id))
    if cycle is None:
        flash(form.message or "The cycle could not be closed.", "error")
    else:
        flash(f"The cycle “{cycle.name}” is closed; its results are released.", "success")
    return redirect(url_for("web.admin_cycles"))
