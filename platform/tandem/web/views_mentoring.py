"""Mentoring pages for mentees: my mentoring at a glance, asking for a mentor, the suggested
mentors with their reasons, sending a request to one, withdrawing."""

from __future__ import annotations

import uuid
from typing import Any

from flask import flash, redirect, request, url_for

from ..core.auth import login_required
from ..core.db import db
from ..goals import services as goals
from ..mentoring import services as mentoring
from ..mentoring import workflow
from ..mentoring.schemas import MentoringRequestSchema
from .blueprint import web
from .forms import Form, attempt
from .pages import as_uuid, me, page, people
from .views_skills import LEVELS, skill_choices

NEED_ROWS = 3


@web.get("/mentoring", endpoint="mentoring")
@login_required
def mentoring_home():  # type: ignore[no-untyped-def]
    actor = me()
    mine = [r for r in db.session.scalars(mentoring.requests_query(actor)) if r.mentee_id == actor.id]
    sent = list(db.session.scalars(workflow.invitations_query(actor, role="mentee")))
    incoming = list(db.session.scalars(workflow.invitations_query(actor, role="mentor", status="pending")))
    ships = [
        m
        for m in db.session.scalars(workflow.mentorships_query(actor))
        if actor.id in (m.mentee_id, m.mentor_id)
    ]
    ids = {i.mentor_id for i in sent} | {i.mentee_id for i in incoming}
    ids |= {x for m in ships for x in (m.mentee_id, m.mentor_id)}
    return page(
        "mentoring/index.html",
        open_request=next((r for r in mine if r.status == "open"), None),
        sent=sent,
        incoming=incoming,
        mentorships=ships,
        names=people(ids),
    )


def need_rows(form: Form) -> tuple[list[dict[str, Any]], list[int]]:
    rows, numbers = [], []
    for n in range(NEED_ROWS):
        skill = form.text(f"needs.{n}.skill_id")
        if skill:
            level = form.text(f"needs.{n}.level")
            rows.append({"skill_id": skill, "level": int(level) if level.isdigit() else level})
            numbers.append(n)
    return rows, numbers


def renumber(form: Form, numbers: list[int]) -> None:
    moved: dict[str, list[str]] = {}
    for name, messages in form.errors.items():
        parts = name.split(".")
        if len(parts) >= 2 and parts[0] == "needs" and parts[1].isdigit() and int(parts[1]) < len(numbers):
            parts[1] = str(numbers[int(parts[1])])
        moved.setdefault(".".join(parts), []).extend(messages)
    form.errors = moved


@web.route("/mentoring/requests/new", methods=["GET", "POST"])
@login_required
def mentoring_request_new():  # type: ignore[no-untyped-def]
    actor = me()
    form = (
        Form.from_request()
        if request.method == "POST"
        else Form({f"needs.{n}.level": "3" for n in range(NEED_ROWS)})
    )
    if form.posted:
        needs, numbers = need_rows(form)
        raw = {
            "needs": needs,
            "goal_ids": form.getlist("goal_ids"),
            "topics": [t.strip() for t in form.text("topics").split(",") if t.strip()],
            "note": form.text("note"),
        }
        data = form.validate(MentoringRequestSchema(), raw)
        if data is not None:
            created = attempt(form, lambda: mentoring.create_request(actor, data))
            if created is not None:
                flash("Your request is open. Here are the mentors who fit best.", "success")
                return redirect(url_for("web.mentoring_request", request_id=created.id))
        renumber(form, numbers)
    my_goals = [
        (str(g.id), g.title)
        for g in db.session.scalars(goals.goals_query(actor, {"scope": "mine"}))
        if g.status in ("draft", "active")
    ]
    return page(
        "mentoring/new.html",
        form,
        form=form,
        rows=range(NEED_ROWS),
        choices=skill_choices(),
        levels=LEVELS,
        my_goals=my_goals,
        chosen_goals=set(form.getlist("goal_ids")),
    )


@web.get("/mentoring/requests/<uuid:request_id>")
@login_required
def mentoring_request(request_id: uuid.UUID):  # type: ignore[no-untyped-def]
    actor = me()
    found = mentoring.readable_request(actor, request_id)
    suggestions = workflow.suggestions_for(found)  # where the workflow finds them (alternatives too)
    invitations = [
        i
        for i in db.session.scalars(workflow.invitations_query(actor, role="mentee"))
        if i.request_id == found.id
    ]
    names = people([s["mentor_id"] for s in suggestions] + [i.mentor_id for i in invitations])
    skill_names = mentoring.skill_names()
    return page(
        "mentoring/request.html",
        request=found,
        suggestions=suggestions,
        invitations=invitations,
        names=names,
        needs=[(skill_names.get(k, "?"), v) for k, v in sorted(found.needs.items())],
        is_mentee=found.mentee_id == actor.id,
    )


@web.post("/mentoring/requests/<uuid:request_id>/invite")
@login_required
def mentoring_invite(request_id: uuid.UUID):  # type: ignore[no-untyped-def]
    form = Form.from_request()
    mentor_id = as_uuid(form.text("mentor_id"))
    if mentor_id is None:
        mentoring.own_request(me(), request_id)  # absent or not yours: 404 or 403 first
        flash("Choose a mentor.", "error")
    elif attempt(form, lambda: workflow.invite(me(), request_id, mentor_id)) is not None:
        name = people([mentor_id])[mentor_id].name
        flash(f"Request sent to {name}. They have 14 days to answer.", "success")
    else:
        flash("; ".join([form.message or "", *form.error("mentor_id")]).strip("; "), "error")
    return redirect(url_for("web.mentoring_request", request_id=request_id))


@web.post("/mentoring/requests/<uuid:request_id>/withdraw")
@login_required
def mentoring_withdraw(request_id: uuid.UUID):  # type: ignore[no-untyped-def]
    form = Form()
    if attempt(form, lambda: workflow.withdraw_request(me(), request_id)) is not None:
        flash("Request withdrawn.", "success")
    else:
        flash(form.message or "This request cannot be withdrawn.", "error")
    return redirect(url_for("web.mentoring"))
