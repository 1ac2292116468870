"""HR admin pages: 360 feedback cycles, listed with their progress, launched for a team, a manager's
subtree or everyone with a template and dates, and closed; one page per cycle with its settings,
its participation in counts (never an answer), the people in it, reminders and closing."""

from __future__ import annotations

import uuid
from datetime import timedelta

from flask import current_app, flash, redirect, request, url_for

from ..core import mail
from ..core.db import db
from ..core.pagination import page_of
from ..feedback import cycles, reminders, templates
from ..feedback import jobs as feedback_jobs
from ..feedback.models import RELATIONSHIPS, SCOPES, FeedbackCycle
from ..feedback.schemas import FeedbackCycleCreateSchema
from ..feedback.services import feedback_settings
from ..people import services as people_services
from ..people.models import Team
from .blueprint import web
from .forms import Form, attempt
from .pages import me, page, people, today
from .views_admin_shared import PER_PAGE, admin_only, page_number, paged

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
GROUP_LABELS = {
    "self": "Self",
    "manager": "Manager",
    "peer": "Peers",
    "direct_report": "Direct reports",
    "other": "Others",
}


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


def _back(cycle_id: uuid.UUID, form: Form) -> str:
    # The cycle's own page sends `back=cycle` to come back to it; the list comes back to the list.
    if form.text("back") == "cycle":
        return url_for("web.admin_cycles_detail", cycle_id=cycle_id)
    return url_for("web.admin_cycles")


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
    return redirect(_back(cycle_id, form))


def _who(cycle: FeedbackCycle) -> str:
    if cycle.team_id is not None:
        team = db.session.get(Team, cycle.team_id)
        return f"Team {team.name if team else '(removed)'}"
    if cycle.manager_id is not None:
        manager = people({cycle.manager_id}).get(cycle.manager_id)
        return f"Everyone below {manager.name if manager else '(unknown)'}"
    return "Everyone in the organisation"


@web.get("/admin/feedback/cycles/<uuid:cycle_id>", endpoint="admin_cycles_detail")
@admin_only
def admin_cycles_detail(cycle_id: uuid.UUID):  # type: ignore[no-untyped-def]
    actor = me()
    cycle = cycles.get_cycle(actor, cycle_id)  # another organisation's cycle: 404
    closed = cycles.is_cycle_closed(cycle)
    found = page_of(
        cycles.subjects_query(cycle), {"page": page_number(), "per_page": PER_PAGE}, scalars=False
    )
    found["pages"] = max(1, -(-found["total"] // PER_PAGE))
    figures = cycles.participation(cycle)
    mail_ready = mail.is_configured(current_app.extensions["tandem.settings"])
    creator = people({cycle.created_by_id}).get(cycle.created_by_id) if cycle.created_by_id else None
    due, people_due = reminders.due_counts(cycle.id) if not closed else (0, 0)
    return page(
        "admin/cycle.html",
        cycle=cycle,
        closed=closed,
        who=_who(cycle),
        questionnaire=templates.get_template(cycle.template_id),
        creator=creator,
        figures=figures,
        groups=[(rel, GROUP_LABELS[rel], figures["by_relationship"][rel]) for rel in RELATIONSHIPS],
        found=found,
        mail_ready=mail_ready,
        due=due,
        people_due=people_due,
        interval_hours=feedback_settings()["reminder_interval_hours"],
        days_left=(cycle.closes_on - today()).days,
    )


@web.post("/admin/feedback/cycles/<uuid:cycle_id>/reminders")
@admin_only
def admin_cycles_remind(cycle_id: uuid.UUID):  # type: ignore[no-untyped-def]
    cycle = cycles.get_cycle(me(), cycle_id)  # another organisation's cycle: 404, and HR admins only
    back = url_for("web.admin_cycles_detail", cycle_id=cycle_id)
    if cycles.is_cycle_closed(cycle):
        flash("The cycle is closed: nobody is reminded any more.", "error")
        return redirect(back)
    if not mail.is_configured(current_app.extensions["tandem.settings"]):
        flash("Mail is not set up on this server (SMTP_HOST), so no reminders can be sent.", "error")
        return redirect(back)
    due, people_due = reminders.due_counts(cycle_id)
    # This cycle's reminder run only (its own reviewers, one run at a time per cycle); it shares
    # the interval with the organisation's hourly run, so pressing this again, or the hourly run
    # coming by, reminds nobody twice within the interval.
    run = feedback_jobs.submit_reminders(cycle_id, created_by_id=me().id)
    if run is None:
        flash("Nobody in this cycle is due a reminder: everyone awaited was reminded recently.", "success")
    else:
        flash(_on_their_way(due, people_due), "success")
    return redirect(back)


def _on_their_way(due: int, people_due: int) -> str:
    # One mail per request a reviewer owes: someone asked about three people gets three.
    who = "1 person" if people_due == 1 else f"{people_due} people"
    said = f"Reminders are on their way to {who} in this cycle who owe feedback"
    if due == people_due:
        return f"{said}."
    return f"{said}: {due} reminders, one for each person they still have to review."
