"""The reviewer's side of 360 feedback (answer: save a draft, submit, decline) and the manager's
(approve or reject peer nominations for their reports' requests)."""

from __future__ import annotations

import uuid
from typing import Any

from flask import flash, redirect, request, url_for

from ..core.auth import login_required
from ..core.db import db
from ..feedback import requests, responses
from ..feedback.models import RATING
from .blueprint import web
from .forms import Form, attempt
from .pages import me, page


def answers_from(form: Form, questions: list[Any]) -> tuple[list[dict[str, Any]], dict[int, str]]:
    """The answers typed (q.<question id>), in question order, and which field each index is."""
    answers, where = [], {}
    for question in questions:
        name = f"q.{question.id}"
        value = form.text(name)
        if not value:
            continue
        if question.kind == RATING:
            rating: Any = int(value) if value.isdigit() else value
            answers.append({"question_id": question.id, "rating": rating})
        else:
            answers.append({"question_id": question.id, "text": value})
        where[len(answers) - 1] = name
    return answers, where


def place_errors(form: Form, where: dict[int, str], questions: list[Any]) -> None:
    """answers.N -> the question's field; ids in a form-level message -> the questions' prompts."""
    placed: dict[str, list[str]] = {}
    prompts = {str(q.id): f"“{q.prompt}”" for q in questions}
    for name, messages in form.errors.items():
        parts = name.split(".")
        if parts[0] == "answers" and len(parts) > 1 and parts[1].isdigit() and int(parts[1]) in where:
            name = where[int(parts[1])]
        for message in messages:
            for qid, prompt in prompts.items():
                message = message.replace(qid, prompt)
            placed.setdefault(name, []).append(message)
    form.errors = placed


def answer_page(invitation_id: uuid.UUID, form: Form | None = None) -> tuple[str, int]:
    view = responses.questionnaire(me(), invitation_id)
    if form is None:
        form = Form(
            {f"q.{a['question_id']}": str(a.get("rating") or a.get("text") or "") for a in view["draft"]}
        )
    return page("feedback/answer.html", form, form=form, decline=Form(), **view)


@web.get("/feedback/invitations/<uuid:invitation_id>")
@login_required
def feedback_answer(invitation_id: uuid.UUID):  # type: ignore[no-untyped-def]
    return answer_page(invitation_id)


@web.post("/feedback/invitations/<uuid:invitation_id>")
@login_required
def feedback_answer_save(invitation_id: uuid.UUID):  # type: ignore[no-untyped-def]
    actor = me()
    view = responses.questionnaire(actor, invitation_id)
    form = Form.from_request()
    answers, where = answers_from(form, view["questions"])
    if request.form.get("action") == "submit":
        done = attempt(form, lambda: responses.submit(actor, invitation_id, answers))
        message = "Thank you: your feedback is submitted, without your name."
    else:
        done = attempt(form, lambda: responses.save_draft(actor, invitation_id, answers))
        message = "Draft saved. Only you can see it until you submit."
    if done is not None:
        flash(message, "success")
        if request.form.get("action") == "submit":
            return redirect(url_for("web.feedback"))
        return redirect(url_for("web.feedback_answer", invitation_id=invitation_id))
    place_errors(form, where, view["questions"])
    return answer_page(invitation_id, form)


@web.post("/feedback/invitations/<uuid:invitation_id>/decline")
@login_required
def feedback_decline(invitation_id: uuid.UUID):  # type: ignore[no-untyped-def]
    form = Form.from_request()
    if attempt(form, lambda: responses.decline(me(), invitation_id, form.text("reason"))) is not None:
        flash("You declined; whoever asked will see your reason.", "success")
        return redirect(url_for("web.feedback"))
    view = responses.questionnaire(me(), invitation_id)
    return page("feedback/answer.html", form, form=Form(), decline=form, **view)


@web.get("/feedback/approvals")
@login_required
def feedback_approvals():  # type: ignore[no-untyped-def]
    rows = db.session.execute(requests.approvals_query(me())).all()
    return page("feedback/approvals.html", rows=rows)


@web.post("/feedback/nominations/<uuid:invitation_id>/<any(approve, reject):decision>")
@login_required
def feedback_nomination(invitation_id: uuid.UUID, decision: str):  # type: ignore[no-untyped-def]
    form = Form()
    approve = decision == "approve"
    if attempt(form, lambda: requests.decide_nomination(me(), invitation_id, approve)) is not None:
        flash("Nomination approved: they are invited." if approve else "Nomination rejected.", "success")
    else:
        flash(form.message or "That nomination cannot be changed.", "error")
    return redirect(url_for("web.feedback_approvals"))
