"""Mentoring pages for both sides of a pair: an invitation as the mentor sees it (accept or
decline), and a mentorship with its sessions (notes, agreed actions), ending and rating it."""

from __future__ import annotations

import uuid

from flask import flash, redirect, url_for

from ..core.auth import login_required
from ..mentoring import briefs, workflow
from ..mentoring.schemas import MentoringSessionSchema, MentorshipRatingSchema
from .blueprint import web
from .forms import Form, attempt
from .pages import me, page, people, today


@web.get("/mentoring/invitations/<uuid:invitation_id>")
@login_required
def mentoring_invitation(invitation_id: uuid.UUID):  # type: ignore[no-untyped-def]
    actor = me()
    workflow.expire_overdue()
    brief = briefs.invitation_brief(actor, invitation_id)
    invitation = brief["invitation"]
    alternatives = workflow.alternatives(invitation) if actor.id == invitation.mentee_id else []
    return page(
        "mentoring/invitation.html",
        **brief,
        is_mentor=actor.id == invitation.mentor_id,
        alternatives=alternatives,
        names=people([a["mentor_id"] for a in alternatives]),
    )


@web.post("/mentoring/invitations/<uuid:invitation_id>/accept")
@login_required
def mentoring_accept(invitation_id: uuid.UUID):  # type: ignore[no-untyped-def]
    form = Form()
    mentorship = attempt(form, lambda: workflow.accept(me(), invitation_id))
    if mentorship is not None:
        flash("You accepted: your mentorship has started.", "success")
        return redirect(url_for("web.mentorship_detail", mentorship_id=mentorship.id))
    flash(form.message or "This invitation cannot be accepted.", "error")
    return redirect(url_for("web.mentoring_invitation", invitation_id=invitation_id))


@web.post("/mentoring/invitations/<uuid:invitation_id>/decline")
@login_required
def mentoring_decline(invitation_id: uuid.UUID):  # type: ignore[no-untyped-def]
    form = Form()
    if attempt(form, lambda: workflow.decline(me(), invitation_id)) is not None:
        flash("You declined. The mentee will be shown other mentors.", "success")
        return redirect(url_for("web.mentoring"))
    flash(form.message or "This invitation cannot be declined.", "error")
    return redirect(url_for("web.mentoring_invitation", invitation_id=invitation_id))


def mentorship_page(mentorship_id: uuid.UUID, session: Form | None = None, rating: Form | None = None):  # type: ignore[no-untyped-def]
    actor = me()
    found = workflow.get_mentorship(actor, mentorship_id)
    in_pair = actor.id in (found.mentee_id, found.mentor_id)
    names = people([found.mentee_id, found.mentor_id])
    return page(
        "mentoring/mentorship.html",
        session,
        rating,
        mentorship=found,
        mentor=names[found.mentor_id],
        mentee=names[found.mentee_id],
        in_pair=in_pair,
        is_mentee=actor.id == found.mentee_id,
        sessions=workflow.sessions_of(actor, found.id) if in_pair else [],
        session_form=session or Form({"held_on": today().isoformat()}),
        rating_form=rating or Form(),
    )


@web.get("/mentoring/mentorships/<uuid:mentorship_id>")
@login_required
def mentorship_detail(mentorship_id: uuid.UUID):  # type: ignore[no-untyped-def]
    return mentorship_page(mentorship_id)


@web.post("/mentoring/mentorships/<uuid:mentorship_id>/sessions")
@login_required
def mentorship_session(mentorship_id: uuid.UUID):  # type: ignore[no-untyped-def]
    form = Form.from_request()
    schema = MentoringSessionSchema()
    raw = form.raw(schema, ["held_on", "notes"])
    raw["actions"] = [line.strip() for line in form.text("actions").splitlines() if line.strip()]
    data = form.validate(schema, raw)
    if (
        data is not None
        and attempt(form, lambda: workflow.add_session(me(), mentorship_id, data)) is not None
    ):
        flash("Session recorded.", "success")
        return redirect(url_for("web.mentorship_detail", mentorship_id=mentorship_id))
    return mentorship_page(mentorship_id, session=form)


@web.post("/mentoring/mentorships/<uuid:mentorship_id>/end")
@login_required
def mentorship_end(mentorship_id: uuid.UUID):  # type: ignore[no-untyped-def]
    form = Form.from_request()
    rating = None
    if form.text("rating"):
        data = form.load(MentorshipRatingSchema(), ["rating"])
        if data is None:
            return mentorship_page(mentorship_id, rating=form)
        rating = data["rating"]
    if attempt(form, lambda: workflow.end(me(), mentorship_id, rating)) is not None:
        flash("The mentorship has ended. Thank you both!", "success")
        return redirect(url_for("web.mentorship_detail", mentorship_id=mentorship_id))
    return mentorship_page(mentorship_id, rating=form)


@web.post("/mentoring/mentorships/<uuid:mentorship_id>/rating")
@login_required
def mentorship_rate(mentorship_id: uuid.UUID):  # type: ignore[no-untyped-def]
    form = Form.from_request()
    data = form.load(MentorshipRatingSchema(), ["rating"])
    if (
        data is not None
        and attempt(form, lambda: workflow.rate(me(), mentorship_id, data["rating"])) is not None
    ):
        flash("Thank you for rating your mentorship.", "success")
        return redirect(url_for("web.mentorship_detail", mentorship_id=mentorship_id))
    return mentorship_page(mentorship_id, rating=form)


@web.post("/mentoring/mentorships/<uuid:mentorship_id>/status")
@login_required
def mentorship_status(mentorship_id: uuid.UUID):  # type: ignore[no-untyped-def]
    form = Form.from_request()
    status = form.text("status")
    if attempt(form, lambda: workflow.set_status(me(), mentorship_id, status)) is not None:
        flash("Mentorship paused." if status == "paused" else "Mentorship resumed.", "success")
    else:
        flash(form.message or "; ".join(form.error("status")) or "That change is not possible.", "error")
    return redirect(url_for("web.mentorship_detail", mentorship_id=mentorship_id))
