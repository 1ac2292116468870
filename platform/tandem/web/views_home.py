"""The home page: what needs the signed-in person's attention today."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from flask import render_template

from ..core.auth import login_required
from ..core.db import db, utcnow
from ..feedback import requests as feedback_requests
from ..feedback import responses as feedback_responses
from ..goals import celebrations, checkins, plans
from ..goals import services as goals
from ..goals.progress import health
from ..mentoring import workflow as mentoring
from ..people import orgchart
from ..people import services as people_services
from .blueprint import web
from .pages import me, people, today

DUE_SOON_DAYS = 14
STALE_DAYS = 30
QUADRANTS = (
    ("do", "Do first", "Urgent and important"),
    ("schedule", "Schedule", "Important, not urgent"),
    ("delegate", "Delegate", "Urgent, not important"),
    ("eliminate", "Drop or defer", "Neither urgent nor important"),
)


def goals_needing_attention(actor: Any) -> list[dict[str, Any]]:
    """My active goals due within two weeks (or overdue), or without a check-in for 30 days."""
    day = today()
    active = list(db.session.scalars(goals.goals_query(actor, {"scope": "mine", "status": "active"})))
    lines = checkins.progress_lines([g.id for g in active])
    out = []
    for goal in active:
        points = lines.get(goal.id, [])
        last = points[-1].at.date() if points else None
        reasons = []
        if goal.due_date is not None and goal.due_date <= day + timedelta(days=DUE_SOON_DAYS):
            reasons.append("overdue" if goal.due_date < day else f"due {goal.due_date.isoformat()}")
        since = last or goal.start_date
        if since <= day - timedelta(days=STALE_DAYS):
            reasons.append(f"no check-in since {last.isoformat()}" if last else "never checked in")
        if reasons:
            out.append(
                {
                    "goal": goal,
                    "reasons": reasons,
                    "health": health(goal.status, goal.progress, goal.start_date, goal.due_date, day),
                }
            )
    return out


def tasks_this_week(actor: Any) -> tuple[dict[str, list[Any]], int]:
    """Open tasks due by Sunday (overdue included) by Eisenhower quadrant, and how many are later."""
    day = today()
    sunday = day + timedelta(days=6 - day.weekday())
    grouped: dict[str, list[Any]] = {key: [] for key, _t, _h in QUADRANTS}
    later = 0
    for task, goal in plans.my_tasks(actor, include_done=False):
        if task.due_date is not None and task.due_date <= sunday:
            grouped[plans.quadrant(task.urgent, task.important)].append((task, goal))
        else:
            later += 1
    return grouped, later


def mentoring_now(actor: Any) -> dict[str, Any]:
    ships = [
        m
        for m in db.session.scalars(mentoring.mentorships_query(actor))
        if m.status != "completed" and actor.id in (m.mentor_id, m.mentee_id)
    ]
    incoming = list(db.session.scalars(mentoring.invitations_query(actor, role="mentor", status="pending")))
    # Sessions come newest first; a person has a handful of mentorships at most.
    last = {m.id: next(iter(mentoring.sessions_of(actor, m.id)), None) for m in ships}
    return {"mentorships": ships, "incoming": incoming, "last_session": last}


@web.get("/")
@login_required
def home():  # type: ignore[no-untyped-def]
    actor = me()
    owed = db.session.execute(feedback_responses.todo_query(actor)).all()
    approvals = db.session.execute(feedback_requests.approvals_query(actor)).all()
    recent = utcnow() - timedelta(days=60)
    celebrated = list(db.session.scalars(celebrations.celebrations_query(actor, since=recent).limit(12)))
    quadrants, later = tasks_this_week(actor)
    mentor = mentoring_now(actor)
    ids = {c.owner_id for c in celebrated}
    ids |= {x for m in mentor["mentorships"] for x in (m.mentor_id, m.mentee_id)}
    ids |= {i.mentee_id for i in mentor["incoming"]}
    reports = orgchart.direct_reports(actor.id)
    return render_template(
        "home.html",
        me=actor,
        manager=people_services.get_person(actor.manager_id) if actor.manager_id else None,
        chain=orgchart.chain(actor.id),
        reports=reports,
        subtree_size=orgchart.subtree_size(actor.id) if reports else 0,
        attention=goals_needing_attention(actor),
        quadrants=[(key, title, hint, quadrants[key]) for key, title, hint in QUADRANTS],
        later_tasks=later,
        owed=owed,
        approvals=approvals,
        celebrated=celebrated,
        mentor=mentor,
        names=people(ids),
    )
