"""Reviewers' side: what I owe, my questionnaire and draft, submitting and declining.

Submitting is where identity is separated: the answers are copied into a response row that
carries the relationship category and nothing else (a random id, no reviewer, no time), the
invitation only learns that it is done, and the draft keyed by the invitation is deleted."""

from __future__ import annotations

import uuid
from typing import Any

import sqlalchemy as sa

from ..core.db import db
from ..core.errors import Conflict, ValidationFailed
from ..people.models import User
from . import templates
from .models import (
    DECLINED,
    INVITED,
    PENDING_APPROVAL,
    RATING,
    RATING_MAX,
    RATING_MIN,
    SUBMITTED,
    FeedbackCycle,
    FeedbackDraft,
    FeedbackInvitation,
    FeedbackQuestion,
    FeedbackRequest,
    FeedbackResponse,
)
from .services import get_own_invitation, is_closed, today

MAX_TEXT = 5000


def todo_query(actor: User) -> sa.Select[Any]:
    """My open invitations on requests still open, soonest due first."""
    return (
        sa.select(FeedbackInvitation, FeedbackRequest, User)
        .join(FeedbackRequest, FeedbackRequest.id == FeedbackInvitation.request_id)
        .join(User, User.id == FeedbackRequest.subject_id)
        .where(
            FeedbackInvitation.reviewer_id == actor.id,
            FeedbackInvitation.status == INVITED,
            FeedbackRequest.status == "open",
            FeedbackRequest.due_on >= today(),
        )
        .order_by(FeedbackRequest.due_on, User.name, FeedbackInvitation.id)
    )


def drafts_for(invitation_ids: list[uuid.UUID]) -> set[uuid.UUID]:
    if not invitation_ids:
        return set()
    return set(
        db.session.scalars(
            sa.select(FeedbackDraft.invitation_id).where(FeedbackDraft.invitation_id.in_(invitation_ids))
        )
    )


def _request_of(invitation: FeedbackInvitation) -> FeedbackRequest:
    request = db.session.get(FeedbackRequest, invitation.request_id)
    assert request is not None  # a composite foreign key with ON DELETE CASCADE
    return request


def questionnaire(actor: User, invitation_id: uuid.UUID) -> dict[str, Any]:
    """My invitation: whom it is about, the questions and my saved draft."""
    invitation = get_own_invitation(actor, invitation_id)
    request = _request_of(invitation)
    subject = db.session.get(User, request.subject_id)
    draft = db.session.scalar(sa.select(FeedbackDraft).where(FeedbackDraft.invitation_id == invitation.id))
    return {
        "invitation": invitation,
        "request": request,
        "subject": subject,
        "questions": templates.questions_of([request.template_id])[request.template_id],
        "draft": _answers_out(draft.answers) if draft else [],
        "closed": is_closed(request),
    }


def _answers_out(answers: dict[str, Any]) -> list[dict[str, Any]]:
    out = []
    for question_id, value in sorted(answers.items()):
        item: dict[str, Any] = {"question_id": question_id}
        item["rating" if isinstance(value, int) else "text"] = value
        out.append(item)
    return out


def checked_answers(
    questions: list[FeedbackQuestion], answers: list[dict[str, Any]], *, complete: bool
) -> dict[str, Any]:
    """Answers as stored ({question id: rating or text}); every problem is a field message.
    `complete`: every required question must be answered (submitting, not saving a draft)."""
    by_id = {q.id: q for q in questions}
    problems: dict[str, list[str]] = {}
    stored: dict[str, Any] = {}
    for index, answer in enumerate(answers):
        where = f"answers.{index}"
        question = by_id.get(answer["question_id"])
        rating, text = answer.get("rating"), answer.get("text")
        if question is None:
            problems[where] = ["this question is not in the questionnaire"]
        elif str(question.id) in stored:
            problems[where] = ["this question is answered twice"]
        elif question.kind == RATING:
            if text is not None or rating is None:
                problems[where] = [f"a rating question takes a rating from {RATING_MIN} to {RATING_MAX}"]
            elif not RATING_MIN <= rating <= RATING_MAX:
                problems[where] = [f"ratings go from {RATING_MIN} to {RATING_MAX}"]
            else:
                stored[str(question.id)] = rating
        elif rating is not None or text is None:
            problems[where] = ["an open question takes text"]
        elif len(text) > MAX_TEXT:
            problems[where] = [f"at most {MAX_TEXT} characters"]
        elif text.strip():
            stored[str(question.id)] = text.strip()
    if complete and not problems:
        missing = [str(q.id) for q in questions if q.required and str(q.id) not in stored]
        if missing:
            problems["answers"] = [f"required questions are not answered: {', '.join(missing)}"]
    if problems:
        raise ValidationFailed("; ".join(f"{k}: {v[0]}" for k, v in problems.items()), problems)
    return stored


def _writable(actor: User, invitation_id: uuid.UUID) -> tuple[FeedbackInvitation, FeedbackRequest]:
    invitation = get_own_invitation(actor, invitation_id)
    request = _request_of(invitation)
    if invitation.status == SUBMITTED:
        raise Conflict("You have submitted this feedback already")
    if invitation.status == DECLINED:
        raise Conflict("You declined this request")
    if invitation.status == PENDING_APPROVAL:
        raise Conflict("This nomination is waiting for the manager's approval")
    if invitation.status != INVITED:
        raise Conflict("This nomination was not approved")
    if is_closed(request):
        raise Conflict("This request is closed; answers are no longer accepted")
    if request.cycle_id is not None:
        cycle = db.session.get(FeedbackCycle, request.cycle_id)
        if cycle is not None and cycle.opens_on > today():
            raise Conflict(f"This cycle opens on {cycle.opens_on.isoformat()}")
    return invitation, request


def save_draft(actor: User, invitation_id: uuid.UUID, answers: list[dict[str, Any]]) -> list[dict[str, Any]]:
    invitation, request = _writable(actor, invitation_id)
    stored = checked_answers(
        templates.questions_of([request.template_id])[request.template_id], answers, complete=False
    )
    draft = db.session.scalar(sa.select(FeedbackDraft).where(FeedbackDraft.invitation_id == invitation.id))
    if draft is None:
        db.session.add(FeedbackDraft(invitation_id=invitation.id, answers=stored))
    else:
        draft.answers = stored
    db.session.flush()
    return _answers_out(stored)


def submit(actor: User, invitation_id: uuid.UUID, answers: list[dict[str, Any]] | None) -> FeedbackInvitation:
    """Submit the given answers (or else the saved draft). Once only, while the request is open."""
    invitation, request = _writable(actor, invitation_id)
    draft = db.session.scalar(sa.select(FeedbackDraft).where(FeedbackDraft.invitation_id == invitation.id))
    questions = templates.questions_of([request.template_id])[request.template_id]
    if answers is None:
        answers = _answers_out(draft.answers) if draft else []
        for answer in answers:
            answer["question_id"] = uuid.UUID(answer["question_id"])
    stored = checked_answers(questions, answers, complete=True)
    # The guard against a double submission that races this one: only one UPDATE finds it open.
    claimed = db.session.execute(
        sa.update(FeedbackInvitation)
        .where(FeedbackInvitation.id == invitation.id, FeedbackInvitation.status == INVITED)
        .values(status=SUBMITTED)
        .execution_options(synchronize_session=False)
    )
    if claimed.rowcount != 1:  # type: ignore[attr-defined]
        raise Conflict("You have submitted this feedback already")
    db.session.add(
        FeedbackResponse(
            id=uuid.uuid4(), request_id=request.id, relationship=invitation.relationship, answers=stored
        )
    )
    if draft is not None:
        db.session.delete(draft)
    db.session.flush()
    db.session.refresh(invitation)
    return invitation


def decline(actor: User, invitation_id: uuid.UUID, reason: str) -> FeedbackInvitation:
    """Say no, with a reason whoever asked can read; any draft is deleted."""
    invitation, _request = _writable(actor, invitation_id)
    reason = reason.strip()
    if not reason:
        raise ValidationFailed("reason: is required", {"reason": ["is required"]})
    invitation.status, invitation.decline_reason = DECLINED, reason
    db.session.execute(sa.delete(FeedbackDraft).where(FeedbackDraft.invitation_id == invitation.id))
    db.session.flush()
    return invitation
