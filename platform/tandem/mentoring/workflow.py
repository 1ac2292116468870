"""The mentoring workflow after a request: invitations to mentors (sent by the mentee or from an
approved batch proposal), accepting under a row lock, declining and expiry, match runs and their
proposals, mentorships, sessions and ratings."""

from __future__ import annotations

import uuid
from datetime import timedelta
from typing import Any

import sqlalchemy as sa

from ..core import jobs
from ..core.db import db, utcnow
from ..core.errors import Conflict, Forbidden, NotFound
from ..people import orgchart
from ..people.models import User
from .models import (
    ACCEPTED,
    ACTIVE,
    APPROVED,
    COMPLETED,
    DECLINED,
    EXPIRED,
    HOLDS_A_PLACE,
    MATCHED,
    OPEN,
    PAUSED,
    PENDING,
    PROPOSED,
    REJECTED,
    WITHDRAWN,
    Invitation,
    MatchProposal,
    MatchRun,
    MentoringRequest,
    MentoringSession,
    MentorProfile,
    Mentorship,
)
from .services import get_programme, own_request, profile_of, refuse, require_hr
from .suggestions import suggestions_for

INVITATION_DAYS = 14


# --- invitations ----------------------------------------------------------------------------------


def expire_overdue() -> int:
    """Pending invitations past their expiry become expired (one UPDATE)."""
    result = db.session.execute(
        sa.update(Invitation)
        .where(Invitation.status == PENDING, Invitation.expires_at <= utcnow())
        .values(status=EXPIRED, answered_at=utcnow())
        .execution_options(synchronize_session=False)
    )
    return result.rowcount or 0  # type: ignore[attr-defined]


def _check_pair(mentee_id: uuid.UUID, mentor_id: uuid.UUID) -> None:
    """The engine's hard constraints for a pair chosen by hand: not oneself, not up or down the
    management line, a mentor who is open to mentees."""
    if mentee_id == mentor_id:
        refuse({"mentor_id": ["you cannot be your own mentor"]})
    profile = profile_of(mentor_id)
    mentor = db.session.get(User, mentor_id)
    if profile is None or not profile.is_open or mentor is None or not mentor.is_active:
        refuse({"mentor_id": ["this person is not open to mentees"]})
    if orgchart.is_below(mentee_id, mentor_id):
        refuse({"mentor_id": ["this person is in your management chain"]})
    if orgchart.is_below(mentor_id, mentee_id):
        refuse({"mentor_id": ["this person reports to you"]})


def _pending_pair(mentee_id: uuid.UUID, mentor_id: uuid.UUID) -> bool:
    stmt = sa.select(Invitation.id).where(
        Invitation.mentee_id == mentee_id, Invitation.mentor_id == mentor_id, Invitation.status == PENDING
    )
    return db.session.scalar(stmt) is not None


def invite(actor: User, request_id: uuid.UUID, mentor_id: uuid.UUID) -> Invitation:
    """The mentee asks one mentor directly (a suggested one, or one they would like)."""
    found = own_request(actor, request_id)
    _check_pair(actor.id, mentor_id)
    if found.status != OPEN:
        raise Conflict("This request is no longer open")
    expire_overdue()
    if _pending_pair(actor.id, mentor_id):
        raise Conflict("A request to this mentor is already waiting for an answer")
    invitation = Invitation(
        request_id=found.id,
        mentee_id=actor.id,
        mentor_id=mentor_id,
        expires_at=utcnow() + timedelta(days=INVITATION_DAYS),
    )
    db.session.add(invitation)
    db.session.flush()
    return invitation


def get_invitation(invitation_id: uuid.UUID) -> Invitation:
    found = db.session.get(Invitation, invitation_id)
    if found is None:
        raise NotFound("No such invitation")
    return found


def readable_invitation(actor: User, invitation_id: uuid.UUID) -> Invitation:
    found = get_invitation(invitation_id)
    if actor.id not in (found.mentee_id, found.mentor_id) and not actor.is_hr_admin:
        raise Forbidden("Only the mentor, the mentee and HR admins can see this invitation")
    return found


def invitations_query(actor: User, *, role: str | None = None, status: str | None = None) -> Any:
    """Invitations the actor sent or received (HR admins: all)."""
    expire_overdue()
    stmt = sa.select(Invitation).order_by(Invitation.created_at.desc(), Invitation.id)
    if role == "mentor":
        stmt = stmt.where(Invitation.mentor_id == actor.id)
    elif role == "mentee":
        stmt = stmt.where(Invitation.mentee_id == actor.id)
    elif not actor.is_hr_admin:
        stmt = stmt.where(sa.or_(Invitation.mentor_id == actor.id, Invitation.mentee_id == actor.id))
    if status:
        stmt = stmt.where(Invitation.status == status)
    return stmt


def accept(actor: User, invitation_id: uuid.UUID) -> Mentorship:
    """The mentor says yes. Atomic: the mentor's profile row is locked (SELECT ... FOR UPDATE) so
    two acceptances of the last place are serialised and capacity is counted afresh under the lock;
    the request row is locked next (same order everywhere: no deadlock), so one mentee never gets
    two mentors at once. The mentee's other pending invitations are withdrawn."""
    found = get_invitation(invitation_id)
    if found.mentor_id != actor.id:
        raise Forbidden("Only the mentor can accept this invitation")
    profile = db.session.scalar(
        sa.select(MentorProfile)
        .where(MentorProfile.user_id == actor.id)
        .with_for_update()
        .execution_options(populate_existing=True)
    )
    request = db.session.scalar(
        sa.select(MentoringRequest)
        .where(MentoringRequest.id == found.request_id)
        .with_for_update()
        .execution_options(populate_existing=True)
    )
    found = db.session.scalar(
        sa.select(Invitation).where(Invitation.id == invitation_id).execution_options(populate_existing=True)
    )
    assert found is not None and request is not None
    now = utcnow()
    if found.status == PENDING and found.expires_at <= now:
        found.status, found.answered_at = EXPIRED, now
        db.session.flush()
        raise Conflict("This invitation has expired")
    if found.status != PENDING:
        raise Conflict(f"This invitation is {found.status}")
    if request.status != OPEN:
        raise Conflict("The mentee has a mentor already")
    taken = db.session.scalar(
        sa.select(sa.func.count())
        .select_from(Mentorship)
        .where(Mentorship.mentor_id == actor.id, Mentorship.status.in_(HOLDS_A_PLACE))
    )
    if profile is None or (taken or 0) >= profile.capacity:
        raise Conflict("You have no place left: raise your capacity or end a mentorship first")
    found.status, found.answered_at = ACCEPTED, now
    request.status = MATCHED
    db.session.execute(
        sa.update(Invitation)
        .where(
            Invitation.mentee_id == found.mentee_id, Invitation.status == PENDING, Invitation.id != found.id
        )
        .values(status=WITHDRAWN, answered_at=now)
        .execution_options(synchronize_session=False)
    )
    mentorship = Mentorship(
        mentee_id=found.mentee_id,
        mentor_id=actor.id,
        request_id=request.id,
        goal_ids=list(request.goal_ids),
        started_at=now,
    )
    db.session.add(mentorship)
    db.session.flush()
    return mentorship


def decline(actor: User, invitation_id: uuid.UUID) -> tuple[Invitation, list[dict[str, Any]]]:
    """The mentor says no; the answer carries the mentee's next best mentors."""
    found = get_invitation(invitation_id)
    if found.mentor_id != actor.id:
        raise Forbidden("Only the mentor can decline this invitation")
    expire_overdue()
    db.session.refresh(found)
    if found.status != PENDING:
        raise Conflict(f"This invitation is {found.status}")
    found.status, found.answered_at = DECLINED, utcnow()
    db.session.flush()
    return found, alternatives(found)


def alternatives(found: Invitation) -> list[dict[str, Any]]:
    """For a declined or expired invitation: other mentors for the same request."""
    if found.status not in (DECLINED, EXPIRED):
        return []
    request = db.session.get(MentoringRequest, found.request_id)
    return suggestions_for(request) if request is not None else []


def withdraw_request(actor: User, request_id: uuid.UUID) -> MentoringRequest:
    found = own_request(actor, request_id)
    if found.status != OPEN:
        raise Conflict("This request is no longer open")
    found.status = WITHDRAWN
    db.session.execute(
        sa.update(Invitation)
        .where(Invitation.request_id == found.id, Invitation.status == PENDING)
        .values(status=WITHDRAWN, answered_at=utcnow())
        .execution_options(synchronize_session=False)
    )
    db.session.flush()
    return found


# --- batch match runs -----------------------------------------------------------------------------


def start_match(actor: User, programme_id: uuid.UUID | None) -> MatchRun:
    """Queue a batch match for a programme's open requests (or every open request)."""
    if programme_id is not None:
        get_programme(programme_id)  # another organisation's programme: 404 before any role check
    require_hr(actor, "run a batch match")
    run_id = uuid.uuid4()
    job = jobs.submit(
        "mentoring.match",
        "tandem.mentoring.jobs.run_match",
        params={"match_run_id": str(run_id)},
        dedupe_key=f"mentoring.match:{programme_id or 'all'}",
        created_by_id=actor.id,
    )
    existing = db.session.scalar(sa.select(MatchRun).where(MatchRun.job_run_id == job.id))
    if existing is not None:
        return existing  # the same match is already queued or running
    run = MatchRun(id=run_id, programme_id=programme_id, job_run_id=job.id, created_by_id=actor.id)
    db.session.add(run)
    db.session.flush()
    return run


def get_run(actor: User, run_id: uuid.UUID) -> MatchRun:
    run = db.session.get(MatchRun, run_id)
    if run is None:
        raise NotFound("No such match run")
    require_hr(actor, "see match runs")
    return run


def job_of(run: MatchRun) -> jobs.JobRun | None:
    return db.session.get(jobs.JobRun, run.job_run_id) if run.job_run_id else None


def proposals_of(run_id: uuid.UUID) -> list[MatchProposal]:
    return list(
        db.session.scalars(
            sa.select(MatchProposal)
            .where(MatchProposal.match_run_id == run_id)
            .order_by(MatchProposal.score.desc(), MatchProposal.id)
        )
    )


def _awaiting(run: MatchRun, proposal_ids: list[uuid.UUID] | None) -> list[MatchProposal]:
    """The run's proposals still awaiting a decision: all, or the listed ones (422 otherwise)."""
    proposals = [p for p in proposals_of(run.id) if p.status == PROPOSED]
    if proposal_ids is None:
        return proposals
    by_id = {p.id: p for p in proposals}
    unknown = [str(i) for i in proposal_ids if i not in by_id]
    if unknown:
        refuse({"proposal_ids": [f"not a proposal awaiting approval in this run: {', '.join(unknown)}"]})
    return [by_id[i] for i in dict.fromkeys(proposal_ids)]


def reject(actor: User, run_id: uuid.UUID, proposal_ids: list[uuid.UUID]) -> list[MatchProposal]:
    """Set the listed proposals aside: nothing is sent for them."""
    proposals = _awaiting(get_run(actor, run_id), proposal_ids)
    for proposal in proposals:
        proposal.status = REJECTED
    db.session.flush()
    return proposals


def approve(actor: User, run_id: uuid.UUID, proposal_ids: list[uuid.UUID] | None) -> list[Invitation]:
    """Approve all proposals of a run, or the listed ones, and send them to the mentors as pending
    invitations. Pairs whose request closed or that already wait for an answer are skipped."""
    proposals = _awaiting(get_run(actor, run_id), proposal_ids)
    if not proposals:
        return []
    expire_overdue()
    requests = {
        r.id: r
        for r in db.session.scalars(
            sa.select(MentoringRequest).where(MentoringRequest.id.in_([p.request_id for p in proposals]))
        )
    }
    waiting = set(
        db.session.execute(
            sa.select(Invitation.mentee_id, Invitation.mentor_id).where(
                Invitation.status == PENDING,
                Invitation.mentee_id.in_([r.mentee_id for r in requests.values()]),
            )
        ).all()
    )
    now, invitations = utcnow(), []
    for proposal in proposals:
        proposal.status = APPROVED
        request = requests.get(proposal.request_id)
        if request is None or request.status != OPEN or (request.mentee_id, proposal.mentor_id) in waiting:
            continue
        invitations.append(
            Invitation(
                request_id=request.id,
                mentee_id=request.mentee_id,
                mentor_id=proposal.mentor_id,
                proposal_id=proposal.id,
                score=proposal.score,
                reasons=list(proposal.reasons),
                expires_at=now + timedelta(days=INVITATION_DAYS),
            )
        )
    db.session.add_all(invitations)
    db.session.flush()
    return invitations


# --- mentorships ----------------------------------------------------------------------------------


def get_mentorship(actor: User, mentorship_id: uuid.UUID, *, pair_only: bool = False) -> Mentorship:
    """The pair see their mentorship; HR admins see that it exists (never its sessions)."""
    found = db.session.get(Mentorship, mentorship_id)
    if found is None:
        raise NotFound("No such mentorship")
    in_pair = actor.id in (found.mentee_id, found.mentor_id)
    if not in_pair and (pair_only or not actor.is_hr_admin):
        raise Forbidden("Only the mentor and the mentee can do this")
    return found


def mentorships_query(actor: User, *, status: str | None = None) -> Any:
    stmt = sa.select(Mentorship).order_by(Mentorship.started_at.desc(), Mentorship.id)
    if not actor.is_hr_admin:
        stmt = stmt.where(sa.or_(Mentorship.mentor_id == actor.id, Mentorship.mentee_id == actor.id))
    if status:
        stmt = stmt.where(Mentorship.status == status)
    return stmt


def set_status(actor: User, mentorship_id: uuid.UUID, status: str) -> Mentorship:
    """Pause or resume (either side); ending goes through `end`."""
    found = get_mentorship(actor, mentorship_id, pair_only=True)
    if found.status == COMPLETED:
        raise Conflict("This mentorship has ended")
    if status not in (ACTIVE, PAUSED):
        refuse({"status": ["use the end endpoint to complete a mentorship"]})
    found.status = status
    db.session.flush()
    return found


def end(actor: User, mentorship_id: uuid.UUID, rating: int | None) -> Mentorship:
    """Either side ends it; the mentee may rate it (1-5) now or later."""
    found = get_mentorship(actor, mentorship_id, pair_only=True)
    if found.status == COMPLETED:
        raise Conflict("This mentorship has ended already")
    if rating is not None and actor.id != found.mentee_id:
        raise Forbidden("Only the mentee can rate the mentorship")
    found.status, found.ended_at, found.ended_by_id = COMPLETED, utcnow(), actor.id
    if rating is not None:
        found.rating = rating
    db.session.flush()
    return found


def rate(actor: User, mentorship_id: uuid.UUID, rating: int) -> Mentorship:
    found = get_mentorship(actor, mentorship_id, pair_only=True)
    if actor.id != found.mentee_id:
        raise Forbidden("Only the mentee can rate the mentorship")
    if found.status != COMPLETED:
        raise Conflict("A mentorship is rated when it has ended")
    found.rating = rating
    db.session.flush()
    return found


def sessions_of(actor: User, mentorship_id: uuid.UUID) -> list[MentoringSession]:
    found = get_mentorship(actor, mentorship_id, pair_only=True)
    return list(
        db.session.scalars(
            sa.select(MentoringSession)
            .where(MentoringSession.mentorship_id == found.id)
            .order_by(MentoringSession.held_on.desc(), MentoringSession.id)
        )
    )


def add_session(actor: User, mentorship_id: uuid.UUID, data: dict[str, Any]) -> MentoringSession:
    found = get_mentorship(actor, mentorship_id, pair_only=True)
    if found.status == COMPLETED:
        raise Conflict("This mentorship has ended")
    session = MentoringSession(
        mentorship_id=found.id,
        held_on=data["held_on"],
        notes=data.get("notes", ""),
        actions=list(data.get("actions", [])),
        created_by_id=actor.id,
    )
    db.session.add(session)
    db.session.flush()
    return session
