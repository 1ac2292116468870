"""360 feedback pages for the person asking: my requests and what I owe, asking for feedback and
nominating reviewers, one request's progress, closing it, and the released results."""

from __future__ import annotations

import uuid
from typing import Any

from flask import flash, redirect, request, url_for

from ..core.auth import login_required
from ..core.db import db
from ..feedback import requests, responses, services
from ..feedback.models import RELATIONSHIPS
from ..feedback.schemas import FeedbackRequestCreateSchema, FeedbackReviewersSchema
from ..people import services as people_services
from .blueprint import web
from .forms import Form, attempt
from .pages import me, page, today

REVIEWER_ROWS = 6
RELATIONSHIP_LABELS = {
    "self": "Myself",
    "manager": "My manager",
    "peer": "Peer (shares my manager)",
    "direct_report": "Direct report",
    "other": "Someone else",
}


def people_choices() -> list[tuple[str, str]]:
    return [
        (str(p.id), f"{p.name} ({p.title})" if p.title else p.name)
        for p in db.session.scalars(people_services.people_query())
    ]


def reviewer_rows(form: Form) -> tuple[list[dict[str, Any]], list[int]]:
    """The filled reviewer rows (reviewers.N.person_id / .relationship) and their row numbers."""
    rows, numbers = [], []
    for n in range(REVIEWER_ROWS):
        person = form.text(f"reviewers.{n}.person_id")
        relationship = form.text(f"reviewers.{n}.relationship")
        if person:
            rows.append({"person_id": person, "relationship": relationship})
            numbers.append(n)
    return rows, numbers


def renumber(form: Form, numbers: list[int]) -> None:
    """Messages about the n-th filled row belong to the row the person filled."""
    moved: dict[str, list[str]] = {}
    for name, messages in form.errors.items():
        parts = name.split(".")
        if (
            len(parts) >= 2
            and parts[0] == "reviewers"
            and parts[1].isdigit()
            and int(parts[1]) < len(numbers)
        ):
            parts[1] = str(numbers[int(parts[1])])
            name = ".".join(parts)
        moved.setdefault(name, []).extend(messages)
    form.errors = moved


def load_with_rows(form: Form, schema: Any, extra: dict[str, Any]) -> dict[str, Any] | None:
    rows, numbers = reviewer_rows(form)
    data = form.validate(schema, {**extra, "reviewers": rows})
    if data is None:
        renumber(form, numbers)
        return None
    data["_rows"] = numbers
    return data


@web.get("/feedback", endpoint="feedback")
@login_required
def feedback_home():  # type: ignore[no-untyped-def]
    actor = me()
    owed = db.session.execute(responses.todo_query(actor)).all()
    mine = list(db.session.scalars(requests.requests_query(actor, {"scope": "mine"})))
    invitations = requests.invitations_of([r.id for r in mine])
    approvals = db.session.execute(requests.approvals_query(actor)).all()
    subjects = services.people_by_id({r.subject_id for r in mine})
    return page(
        "feedback/index.html",
        owed=owed,
        mine=[
            (r, subjects.get(r.subject_id), requests.status_counts(invitations[r.id]), services.is_closed(r))
            for r in mine
        ],
        approvals=approvals,
    )


@web.route("/feedback/requests/new", methods=["GET", "POST"])
@login_required
def feedback_request_new():  # type: ignore[no-untyped-def]
    actor = me()
    form = Form.from_request() if request.method == "POST" else Form({"reviewers.0.relationship": "manager"})
    if form.posted:
        extra: dict[str, Any] = {"peer_approval": form.checked("peer_approval")}
        for name in ("due_on", "message"):
            if form.text(name):
                extra[name] = form.text(name)
        data = load_with_rows(form, FeedbackRequestCreateSchema(), extra)
        if data is not None:
            numbers = data.pop("_rows")
            created = attempt(form, lambda: requests.create_request(actor, data))
            renumber(form, numbers)
            if created is not None:
                flash("Your feedback request is on its way to your reviewers.", "success")
                return redirect(url_for("web.feedback_request", request_id=created.id))
    return page(
        "feedback/new.html",
        form,
        form=form,
        people=people_choices(),
        relationships=[(r, RELATIONSHIP_LABELS[r]) for r in RELATIONSHIPS],
        rows=range(REVIEWER_ROWS),
        min_date=today().isoformat(),
    )


def request_page(request_id: uuid.UUID, nominate: Form | None = None) -> tuple[str, int]:
    actor = me()
    found = services.get_request(actor, request_id)
    subject = services.people_by_id({found.subject_id})[found.subject_id]
    rows = requests.invitations_of([found.id])[found.id]
    closed = services.is_closed(found)
    may_nominate = not closed and actor.id in {found.subject_id, found.requested_by_id, subject.manager_id}
    return page(
        "feedback/request.html",
        nominate,
        request=found,
        subject=subject,
        invitations=rows,
        counts=requests.status_counts(rows),
        closed=closed,
        may_nominate=may_nominate,
        may_close=not closed
        and found.cycle_id is None
        and (actor.id in (found.subject_id, found.requested_by_id) or actor.is_hr_admin),
        form=nominate or Form({"reviewers.0.relationship": "peer"}),
        people=people_choices() if may_nominate else [],
        relationships=[(r, RELATIONSHIP_LABELS[r]) for r in RELATIONSHIPS],
        rows=range(3),
    )


@web.get("/feedback/requests/<uuid:request_id>")
@login_required
def feedback_request(request_id: uuid.UUID):  # type: ignore[no-untyped-def]
    return request_page(request_id)


@web.post("/feedback/requests/<uuid:request_id>/reviewers")
@login_required
def feedback_request_reviewers(request_id: uuid.UUID):  # type: ignore[no-untyped-def]
    form = Form.from_request()
    data = load_with_rows(form, FeedbackReviewersSchema(), {})
    if data is not None:
        numbers = data.pop("_rows")
        added = attempt(form, lambda: requests.add_reviewers(me(), request_id, data["reviewers"]))
        renumber(form, numbers)
        if added is not None:
            flash(f"{len(added)} reviewer{'s' if len(added) != 1 else ''} nominated.", "success")
            return redirect(url_for("web.feedback_request", request_id=request_id))
    return request_page(request_id, form)


@web.post("/feedback/requests/<uuid:request_id>/close")
@login_required
def feedback_request_close(request_id: uuid.UUID):  # type: ignore[no-untyped-def]
    form = Form()
    if attempt(form, lambda: requests.close_request(me(), request_id)) is not None:
        flash("The request is closed: the results are released.", "success")
        return redirect(url_for("web.feedback_results", request_id=request_id))
    flash(form.message or "This request cannot be closed.", "error")
    return request_page(request_id)[0], form.status


@web.get("/feedback/requests/<uuid:request_id>/results")
@login_required
def feedback_results(request_id: uuid.UUID):  # type: ignore[no-untyped-def]
    actor = me()
    found = services.get_request(actor, request_id)
    subject = services.people_by_id({found.subject_id})[found.subject_id]
    form = Form()
    result = attempt(form, lambda: requests.released_result(actor, request_id))
    if result is None:
        flash(form.message or "The results are not released yet.", "error")
        return redirect(url_for("web.feedback_request", request_id=request_id))
    return page("feedback/results.html", request=found, subject=subject, result=result)
