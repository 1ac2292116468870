"""Feedback requests: asking (for yourself, or as a manager about a report), nominating reviewers
by a relationship the org chart confirms, approving peer nominations, closing, listing, and the
released results."""

from __future__ import annotations

import uuid
from collections import Counter
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import aliased

from ..core import audit
from ..core.db import db, utcnow
from ..core.errors import Conflict, Forbidden, NotFound, ValidationFailed, field_error
from ..people import orgchart
from ..people.models import User
from . import results, templates
from .models import (
    CLOSED,
    DECLINED,
    DIRECT_REPORT,
    INVITED,
    MANAGER,
    PEER,
    PENDING_APPROVAL,
    REJECTED,
    SELF,
    SUBMITTED,
    FeedbackCycle,
    FeedbackInvitation,
    FeedbackRequest,
    FeedbackResponse,
)
from .services import can_view_request, feedback_settings, get_request, is_closed, today

MAX_REVIEWERS = 50
# Invitations that count against a reviewer's cap in a cycle.
LIVE = (PENDING_APPROVAL, INVITED, SUBMITTED)


def relationship_problem(subject: User, reviewer: User, relationship: str) -> str | None:
    """Why `reviewer` is not the subject's `relationship` in the org chart (None: they are)."""
    if not reviewer.is_active:
        return "this person is deactivated"
    is_manager = subject.manager_id is not None and reviewer.id == subject.manager_id
    is_report = reviewer.manager_id == subject.id
    is_peer = (
        subject.manager_id is not None
        and reviewer.manager_id == subject.manager_id
        and reviewer.id != subject.id
    )
    if relationship == SELF:
        return None if reviewer.id == subject.id else "only the subject answers as self"
    if reviewer.id == subject.id:
        return "the subject answers as self"
    if relationship == MANAGER:
        return None if is_manager else "not the subject's manager"
    if relationship == DIRECT_REPORT:
        return None if is_report else "not one of the subject's direct reports"
    if relationship == PEER:
        return None if is_peer else "not a peer of the subject (peers share the subject's manager)"
    if is_manager or is_report or is_peer:
        return "this person has a closer relationship: nominate them as manager, direct report or peer"
    return None


def _reviewers(subject: User, nominations: list[dict[str, Any]], field: str) -> list[tuple[User, str]]:
    if len(nominations) > MAX_REVIEWERS:
        raise field_error(field, f"at most {MAX_REVIEWERS} reviewers at once")
    wanted = [n["person_id"] for n in nominations]
    duplicates = [str(pid) for pid, count in Counter(wanted).items() if count > 1]
    if duplicates:
        raise field_error(field, f"named twice: {', '.join(duplicates[:10])}")
    people = {p.id: p for p in db.session.scalars(sa.select(User).where(User.id.in_(wanted)))}
    problems: dict[str, list[str]] = {}
    chosen = []
    for index, nomination in enumerate(nominations):
        person = people.get(nomination["person_id"])
        problem = (
            "no such person in this organisation"
            if person is None
            else relationship_problem(subject, person, nomination["relationship"])
        )
        if problem:
            problems[f"{field}.{index}"] = [problem]
        else:
            chosen.append((person, nomination["relationship"]))
    if problems:
        raise ValidationFailed("; ".join(f"{k}: {v[0]}" for k, v in problems.items()), problems)
    return chosen  # type: ignore[return-value]


def _cap_problems(
    cycle: FeedbackCycle, reviewer_ids: list[uuid.UUID], field: str, exclude: uuid.UUID | None = None
) -> None:
    """Nobody gets more than the cycle's cap of requests (peer nominations stop there)."""
    if not reviewer_ids:
        return
    counts = dict(
        db.session.execute(
            sa.select(FeedbackInvitation.reviewer_id, sa.func.count())
            .join(FeedbackRequest, FeedbackRequest.id == FeedbackInvitation.request_id)
            .where(
                FeedbackRequest.cycle_id == cycle.id,
                FeedbackInvitation.reviewer_id.in_(reviewer_ids),
                FeedbackInvitation.status.in_(LIVE),
                FeedbackInvitation.id != exclude if exclude else sa.true(),
            )
            .group_by(FeedbackInvitation.reviewer_id)
        ).all()
    )
    full = [str(rid) for rid in reviewer_ids if counts.get(rid, 0) >= cycle.max_requests_per_reviewer]
    if full:
        raise field_error(
            field,
            f"already asked for {cycle.max_requests_per_reviewer} reviews in this cycle: "
            + ", ".join(full[:10]),
        )


def _invite(
    actor: User, request: FeedbackRequest, subject: User, chosen: list[tuple[User, str]]
) -> list[FeedbackInvitation]:
    existing = set(
        db.session.scalars(
            sa.select(FeedbackInvitation.reviewer_id).where(FeedbackInvitation.request_id == request.id)
        )
    )
    clash = [str(person.id) for person, _rel in chosen if person.id in existing]
    if clash:
        raise field_error("reviewers", f"already invited: {', '.join(clash[:10])}")
    # Peers wait for the subject's manager when approval is on, unless that manager nominates them.
    needs_approval = (
        request.peer_approval and subject.manager_id is not None and actor.id != subject.manager_id
    )
    invitations = [
        FeedbackInvitation(
            request_id=request.id,
            reviewer_id=person.id,
            relationship=relationship,
            status=PENDING_APPROVAL if relationship == PEER and needs_approval else INVITED,
            nominated_by_id=actor.id,
        )
        for person, relationship in chosen
    ]
    db.session.add_all(invitations)
    db.session.flush()
    return invitations


def create_request(actor: User, data: dict[str, Any]) -> FeedbackRequest:
    """Ask for feedback about yourself, or (as one of their managers) about someone below you."""
    subject_id = data.get("subject_id") or actor.id
    subject = db.session.get(User, subject_id)
    if subject is None or not subject.is_active:
        raise field_error("subject_id", "no such active person in this organisation")
    if subject.id != actor.id and not orgchart.is_below(subject.id, actor.id):
        raise Forbidden("Only the person themselves or one of their managers can ask for feedback about them")
    if data["due_on"] < today():
        raise field_error("due_on", "must be today or later")
    template = templates.usable_template(data.get("template_id"))
    chosen = _reviewers(subject, data["reviewers"], "reviewers")
    settings = feedback_settings()
    request = FeedbackRequest(
        id=uuid.uuid4(),
        subject_id=subject.id,
        requested_by_id=actor.id,
        template_id=template.id,
        message=(data.get("message") or "").strip(),
        due_on=data["due_on"],
        peer_approval=data.get("peer_approval", settings["peer_approval_default"]),
        thresholds=settings["thresholds"],
    )
    db.session.add(request)
    db.session.flush()
    _invite(actor, request, subject, chosen)
    audit.record(
        "feedback.request.create",
        "feedback_request",
        request.id,
        actor.id,
        {"subject_id": [None, str(subject.id)], "reviewers": [None, len(chosen)]},
    )
    return request


def _open_request_for_nominating(actor: User, request_id: uuid.UUID) -> tuple[FeedbackRequest, User]:
    request = get_request(actor, request_id)
    subject = db.session.get(User, request.subject_id)
    allowed = {request.subject_id, request.requested_by_id}
    if subject is not None and subject.manager_id is not None:
        allowed.add(subject.manager_id)
    if actor.id not in allowed:
        raise Forbidden("Only the subject, whoever asked and the subject's manager nominate reviewers")
    if is_closed(request):
        raise Conflict("This request is closed")
    return request, subject  # type: ignore[return-value]


def add_reviewers(
    actor: User, request_id: uuid.UUID, nominations: list[dict[str, Any]]
) -> list[FeedbackInvitation]:
    """More reviewers for an open request. In a cycle, only peers are nominated (self, manager and
    direct reports were invited at launch), and nobody goes over the cycle's cap."""
    request, subject = _open_request_for_nominating(actor, request_id)
    chosen = _reviewers(subject, nominations, "reviewers")
    if request.cycle_id is not None:
        cycle = db.session.get(FeedbackCycle, request.cycle_id)
        wrong = [str(p.id) for p, rel in chosen if rel != PEER]
        if wrong:
            raise field_error("reviewers", "in a cycle, nominate peers only (the rest are invited at launch)")
        _cap_problems(cycle, [p.id for p, _rel in chosen], "reviewers")  # type: ignore[arg-type]
    invitations = _invite(actor, request, subject, chosen)
    audit.record(
        "feedback.reviewers.add", "feedback_request", request.id, actor.id, {"reviewers": [None, len(chosen)]}
    )
    return invitations


def decide_nomination(actor: User, invitation_id: uuid.UUID, approve: bool) -> FeedbackInvitation:
    """The subject's manager (or an HR admin) approves or rejects a peer nomination."""
    invitation = db.session.get(FeedbackInvitation, invitation_id)
    request = db.session.get(FeedbackRequest, invitation.request_id) if invitation else None
    if invitation is None or request is None or not can_view_request(actor, request):
        raise NotFound("No such feedback invitation")
    subject = db.session.get(User, request.subject_id)
    if not actor.is_hr_admin and (subject is None or subject.manager_id != actor.id):
        raise Forbidden("Only the subject's manager or an HR admin approves nominations")
    if invitation.status != PENDING_APPROVAL:
        raise Conflict("This nomination is not waiting for approval")
    if is_closed(request):
        raise Conflict("This request is closed")
    if approve and request.cycle_id is not None:
        cycle = db.session.get(FeedbackCycle, request.cycle_id)
        _cap_problems(cycle, [invitation.reviewer_id], "invitation_id", invitation.id)  # type: ignore[arg-type]
    invitation.status = INVITED if approve else REJECTED
    invitation.decided_by_id = actor.id
    db.session.flush()
    audit.record(
        "feedback.nomination.approve" if approve else "feedback.nomination.reject",
        "feedback_invitation",
        invitation.id,
        actor.id,
        {"status": [PENDING_APPROVAL, invitation.status]},
    )
    return invitation


def close_request(actor: User, request_id: uuid.UUID) -> FeedbackRequest:
    """Close an ad-hoc request early (the subject, whoever asked, or HR): results are released."""
    request = get_request(actor, request_id)
    if actor.id not in (request.subject_id, request.requested_by_id) and not actor.is_hr_admin:
        raise Forbidden("Only the subject, whoever asked or an HR admin can close this request")
    if request.cycle_id is not None:
        raise Conflict("This request is part of a cycle; it closes with the cycle")
    if request.status == CLOSED:
        raise Conflict("This request is closed already")
    request.status, request.closed_at = CLOSED, utcnow()
    db.session.flush()
    audit.record(
        "feedback.request.close", "feedback_request", request.id, actor.id, {"status": ["open", CLOSED]}
    )
    return request


def requests_query(actor: User, args: dict[str, Any]) -> sa.Select[tuple[FeedbackRequest]]:
    """mine: about me or asked by me; reports: about anyone below me; all: everything (HR)."""
    scope = args.get("scope") or "mine"
    stmt = sa.select(FeedbackRequest).order_by(FeedbackRequest.due_on.desc(), FeedbackRequest.id)
    if scope == "mine":
        stmt = stmt.where(
            sa.or_(FeedbackRequest.subject_id == actor.id, FeedbackRequest.requested_by_id == actor.id)
        )
    elif scope == "reports":
        below = orgchart.subtree_ids(actor.id, include_inactive=True)
        stmt = stmt.where(FeedbackRequest.subject_id.in_(below)) if below else stmt.where(sa.false())
    elif not actor.is_hr_admin:
        raise Forbidden("Only an HR admin can list every request")
    if args.get("cycle_id"):
        stmt = stmt.where(FeedbackRequest.cycle_id == args["cycle_id"])
    if args.get("subject_id"):
        stmt = stmt.where(FeedbackRequest.subject_id == args["subject_id"])
    return stmt


def invitations_of(request_ids: list[uuid.UUID]) -> dict[uuid.UUID, list[tuple[FeedbackInvitation, User]]]:
    """Invitations (with their reviewer) per request, in one query: who was asked and where they
    are. Never anything about what they answered."""
    found: dict[uuid.UUID, list[tuple[FeedbackInvitation, User]]] = {rid: [] for rid in request_ids}
    if not request_ids:
        return found
    rows = db.session.execute(
        sa.select(FeedbackInvitation, User)
        .join(User, User.id == FeedbackInvitation.reviewer_id)
        .where(FeedbackInvitation.request_id.in_(request_ids))
        .order_by(FeedbackInvitation.relationship, User.name, User.id)
    ).all()
    for invitation, reviewer in rows:
        found[invitation.request_id].append((invitation, reviewer))
    return found


def status_counts(invitations: list[tuple[FeedbackInvitation, User]]) -> dict[str, int]:
    counts = Counter(invitation.status for invitation, _reviewer in invitations)
    return {
        status: counts.get(status, 0) for status in (PENDING_APPROVAL, INVITED, SUBMITTED, DECLINED, REJECTED)
    }


def approvals_query(actor: User) -> sa.Select[Any]:
    """Peer nominations waiting for `actor` as the subject's manager."""
    subject, reviewer = aliased(User), aliased(User)
    return (
        sa.select(FeedbackInvitation, FeedbackRequest, subject, reviewer)
        .join(FeedbackRequest, FeedbackRequest.id == FeedbackInvitation.request_id)
        .join(subject, subject.id == FeedbackRequest.subject_id)
        .join(reviewer, reviewer.id == FeedbackInvitation.reviewer_id)
        .where(FeedbackInvitation.status == PENDING_APPROVAL, subject.manager_id == actor.id)
        .order_by(FeedbackRequest.due_on, subject.name, FeedbackInvitation.id)
    )


# --- results -------------------------------------------------------------------------------------


def result_questions(template_id: uuid.UUID) -> list[results.Question]:
    return [
        results.Question(
            id=str(q.id),
            kind=q.kind,
            prompt=q.prompt,
            competency=q.competency,
            skill_id=str(q.skill_id) if q.skill_id else None,
        )
        for q in templates.questions_of([template_id])[template_id]
    ]


def stored_responses(request_ids: list[uuid.UUID]) -> dict[uuid.UUID, list[results.Response]]:
    """Responses per request: only the category and the answers are read (there is nothing else)."""
    found: dict[uuid.UUID, list[results.Response]] = {rid: [] for rid in request_ids}
    if not request_ids:
        return found
    rows = db.session.execute(
        sa.select(FeedbackResponse.request_id, FeedbackResponse.relationship, FeedbackResponse.answers).where(
            FeedbackResponse.request_id.in_(request_ids)
        )
    ).all()
    for request_id, relationship, answers in rows:
        found[request_id].append(results.Response(relationship, answers))
    return found


def released_result(actor: User, request_id: uuid.UUID) -> dict[str, Any]:
    """The released result of a closed request: the same for the subject, their managers and HR."""
    request = get_request(actor, request_id)
    if not is_closed(request):
        raise Conflict(
            f"Results are released when the request closes (on {request.due_on.isoformat()} at the latest)"
        )
    result = results.release(
        result_questions(request.template_id),
        stored_responses([request.id])[request.id],
        results.Thresholds.from_dict(request.thresholds),
    )
    return {
        "request_id": request.id,
        "subject_id": request.subject_id,
        "thresholds": request.thresholds,
        **result,
    }
