"""Cycles: HR admins launch a 360 round for a team, a manager's subtree or the whole
organisation. Every subject gets a request with self, manager and direct-report reviewers;
subjects then nominate peers (their manager approves), capped per reviewer."""

from __future__ import annotations

import uuid
from collections import defaultdict
from typing import Any

import sqlalchemy as sa

from ..core import audit
from ..core.db import db, utcnow
from ..core.errors import Conflict, NotFound, field_error
from ..people import orgchart
from ..people.models import Team, User
from . import results, templates
from .models import (
    CLOSED,
    DECLINED,
    DIRECT_REPORT,
    INVITATION_STATUSES,
    INVITED,
    MANAGER,
    OPEN,
    PEER,
    PENDING_APPROVAL,
    REJECTED,
    RELATIONSHIPS,
    SELF,
    SUBMITTED,
    SUBTREE,
    TEAM,
    FeedbackCycle,
    FeedbackInvitation,
    FeedbackRequest,
)
from .requests import result_questions, stored_responses
from .services import feedback_settings, require_hr, today

MAX_SUBJECTS = 5000


def get_cycle(actor: User, cycle_id: uuid.UUID) -> FeedbackCycle:
    require_hr(actor, "Only an HR admin can manage feedback cycles")
    cycle = db.session.get(FeedbackCycle, cycle_id)
    if cycle is None:
        raise NotFound("No such feedback cycle")
    return cycle


def cycles_query(actor: User, status: str | None) -> sa.Select[tuple[FeedbackCycle]]:
    require_hr(actor, "Only an HR admin can manage feedback cycles")
    stmt = sa.select(FeedbackCycle).order_by(FeedbackCycle.opens_on.desc(), FeedbackCycle.id)
    if status == OPEN:
        return stmt.where(FeedbackCycle.status == OPEN, FeedbackCycle.closes_on >= today())
    if status == CLOSED:
        return stmt.where(sa.or_(FeedbackCycle.status == CLOSED, FeedbackCycle.closes_on < today()))
    return stmt


def _subjects(data: dict[str, Any]) -> list[User]:
    active = sa.select(User).where(User.is_active.is_(True)).order_by(User.name, User.id)
    if data["scope"] == TEAM:
        if not data.get("team_id"):
            raise field_error("team_id", "is required for a team cycle")
        if db.session.get(Team, data["team_id"]) is None:
            raise field_error("team_id", "no such team in this organisation")
        return list(db.session.scalars(active.where(User.team_id == data["team_id"])))
    if data["scope"] == SUBTREE:
        if not data.get("manager_id"):
            raise field_error("manager_id", "is required for a subtree cycle")
        manager = db.session.get(User, data["manager_id"])
        if manager is None:
            raise field_error("manager_id", "no such person in this organisation")
        return [person for person, _depth in orgchart.subtree(manager.id)]
    return list(db.session.scalars(active))


def launch_cycle(actor: User, data: dict[str, Any]) -> FeedbackCycle:
    """Create and open a cycle in one go; its thresholds are fixed from this moment."""
    require_hr(actor, "Only an HR admin can launch feedback cycles")
    name = data["name"].strip()
    if not name:
        raise field_error("name", "is required")
    if data["closes_on"] < data["opens_on"]:
        raise field_error("closes_on", "must be on or after opens_on")
    if data["closes_on"] < today():
        raise field_error("closes_on", "must be today or later")
    template = templates.usable_template(data.get("template_id"))
    subjects = _subjects(data)
    if not subjects:
        raise field_error("scope", "nobody active is in this scope")
    if len(subjects) > MAX_SUBJECTS:
        raise field_error("scope", f"at most {MAX_SUBJECTS} people in one cycle")
    settings = feedback_settings()
    cycle = FeedbackCycle(
        id=uuid.uuid4(),
        name=name,
        template_id=template.id,
        scope=data["scope"],
        team_id=data.get("team_id") if data["scope"] == TEAM else None,
        manager_id=data.get("manager_id") if data["scope"] == SUBTREE else None,
        opens_on=data["opens_on"],
        closes_on=data["closes_on"],
        thresholds=settings["thresholds"],
        max_requests_per_reviewer=data.get("max_requests_per_reviewer")
        or settings["max_requests_per_reviewer"],
        created_by_id=actor.id,
    )
    db.session.add(cycle)
    db.session.flush()
    _add_requests(actor, cycle, subjects)
    audit.record(
        "feedback.cycle.launch",
        "feedback_cycle",
        cycle.id,
        actor.id,
        {"name": [None, name], "subjects": [None, len(subjects)], "thresholds": [None, cycle.thresholds]},
    )
    return cycle


def _add_requests(actor: User, cycle: FeedbackCycle, subjects: list[User]) -> None:
    ids = [s.id for s in subjects]
    reports: dict[uuid.UUID, list[uuid.UUID]] = defaultdict(list)
    active_managers = set()
    manager_ids = {s.manager_id for s in subjects if s.manager_id}
    for chunk_start in range(0, len(ids), 1000):
        chunk = ids[chunk_start : chunk_start + 1000]
        for person_id, manager_id in db.session.execute(
            sa.select(User.id, User.manager_id).where(User.manager_id.in_(chunk), User.is_active.is_(True))
        ):
            reports[manager_id].append(person_id)
    if manager_ids:
        active_managers = set(
            db.session.scalars(sa.select(User.id).where(User.id.in_(manager_ids), User.is_active.is_(True)))
        )
    requests, invitations = [], []
    for subject in subjects:
        request = FeedbackRequest(
            id=uuid.uuid4(),
            cycle_id=cycle.id,
            subject_id=subject.id,
            requested_by_id=actor.id,
            template_id=cycle.template_id,
            due_on=cycle.closes_on,
            peer_approval=True,
            thresholds=cycle.thresholds,
        )
        requests.append(request)
        reviewers = [(subject.id, SELF)]
        if subject.manager_id in active_managers:
            reviewers.append((subject.manager_id, MANAGER))  # type: ignore[arg-type]
        reviewers += [(report_id, DIRECT_REPORT) for report_id in reports.get(subject.id, [])]
        invitations += [
            FeedbackInvitation(
                request_id=request.id,
                reviewer_id=reviewer_id,
                relationship=relationship,
                status=INVITED,
                nominated_by_id=actor.id,
            )
            for reviewer_id, relationship in reviewers
        ]
    db.session.add_all(requests)
    db.session.flush()
    db.session.add_all(invitations)
    db.session.flush()


def close_cycle(actor: User, cycle_id: uuid.UUID) -> FeedbackCycle:
    """Close the cycle and every request in it: results are released, submissions stop."""
    cycle = get_cycle(actor, cycle_id)
    if cycle.status == CLOSED:
        raise Conflict("This cycle is closed already")
    now = utcnow()
    cycle.status, cycle.closed_at = CLOSED, now
    db.session.execute(
        sa.update(FeedbackRequest)
        .where(FeedbackRequest.cycle_id == cycle.id, FeedbackRequest.status == OPEN)
        .values(status=CLOSED, closed_at=now)
        .execution_options(synchronize_session="fetch")
    )
    db.session.flush()
    audit.record("feedback.cycle.close", "feedback_cycle", cycle.id, actor.id, {"status": [OPEN, CLOSED]})
    return cycle


def is_cycle_closed(cycle: FeedbackCycle) -> bool:
    return cycle.status == CLOSED or cycle.closes_on < today()


def progress(cycle_ids: list[uuid.UUID]) -> dict[uuid.UUID, dict[str, int]]:
    """Per cycle: subjects and invitations by status, in two queries (no per-answer data)."""
    found: dict[uuid.UUID, dict[str, int]] = {
        cid: {
            "subjects": 0,
            "pending_approval": 0,
            "invited": 0,
            "submitted": 0,
            "declined": 0,
            "rejected": 0,
        }
        for cid in cycle_ids
    }
    if not cycle_ids:
        return found
    for cycle_id, count in db.session.execute(
        sa.select(FeedbackRequest.cycle_id, sa.func.count())
        .where(FeedbackRequest.cycle_id.in_(cycle_ids))
        .group_by(FeedbackRequest.cycle_id)
    ):
        found[cycle_id]["subjects"] = count
    for cycle_id, status, count in db.session.execute(
        sa.select(FeedbackRequest.cycle_id, FeedbackInvitation.status, sa.func.count())
        .join(FeedbackRequest, FeedbackRequest.id == FeedbackInvitation.request_id)
        .where(FeedbackRequest.cycle_id.in_(cycle_ids))
        .group_by(FeedbackRequest.cycle_id, FeedbackInvitation.status)
    ):
        found[cycle_id][status] = count
    return found


# Still waiting for someone: a manager's approval of a nomination, or the reviewer's answer.
AWAITED = (PENDING_APPROVAL, INVITED)
# Really asked: the nominations a manager rejected never reached anyone.
ASKED = (INVITED, SUBMITTED, DECLINED)


def _count_where(condition: Any) -> Any:
    # COUNT of a CASE without ELSE counts the rows where it holds (portable, unlike FILTER).
    return sa.func.count(sa.case((condition, 1)))


def participation(cycle: FeedbackCycle) -> dict[str, Any]:
    """Where a cycle stands, in counts only (two queries; no response is read):

    - `by_relationship[rel]` and `total`: invitations per status, `overdue` (still awaited after
      the request's due date), `reminded` (awaited and reminded at least once), `asked` (invited,
      submitted or declined) and `rate` (submitted / asked, None when nobody was asked);
    - `by_relationship[rel]["shown_for"]`: subjects with enough submitted answers in that group
      for it to be shown under the cycle's thresholds, and `shown_all_but_self` the same for the
      pooled figure (answers of groups that are shown, as `results.release` pools them);
    - `subjects`: people in the cycle, `thresholds`: each group's minimum."""
    thresholds = results.Thresholds.from_dict(cycle.thresholds)
    empty = {**dict.fromkeys(INVITATION_STATUSES, 0), "overdue": 0, "reminded": 0, "shown_for": 0}
    by_rel: dict[str, dict[str, Any]] = {rel: dict(empty) for rel in RELATIONSHIPS}
    awaited = FeedbackInvitation.status.in_(AWAITED)
    for rel, status, count, overdue, reminded in db.session.execute(
        sa.select(
            FeedbackInvitation.relationship,
            FeedbackInvitation.status,
            sa.func.count(),
            _count_where(sa.and_(awaited, FeedbackRequest.due_on < today())),
            _count_where(sa.and_(awaited, FeedbackInvitation.reminder_count > 0)),
        )
        .join(FeedbackRequest, FeedbackRequest.id == FeedbackInvitation.request_id)
        .where(FeedbackRequest.cycle_id == cycle.id)
        .group_by(FeedbackInvitation.relationship, FeedbackInvitation.status)
    ):
        by_rel[rel][status] += count
        by_rel[rel]["overdue"] += overdue
        by_rel[rel]["reminded"] += reminded
    shown_all_but_self = 0
    for rel, count in db.session.execute(_shown_counts(cycle.id, thresholds)):
        if rel in by_rel:
            by_rel[rel]["shown_for"] = count
        else:
            shown_all_but_self = count
    total: dict[str, Any] = {key: sum(row[key] for row in by_rel.values()) for key in empty}
    for row in (*by_rel.values(), total):
        row["asked"] = sum(row[s] for s in ASKED)
        row["rate"] = row[SUBMITTED] / row["asked"] if row["asked"] else None
    subjects = db.session.scalar(
        sa.select(sa.func.count()).select_from(FeedbackRequest).where(FeedbackRequest.cycle_id == cycle.id)
    )
    return {
        "by_relationship": by_rel,
        "total": total,
        "subjects": subjects or 0,
        "shown_all_but_self": shown_all_but_self,
        "thresholds": {rel: thresholds.minimum(rel) for rel in RELATIONSHIPS}
        | {"all_but_self": thresholds.all_but_self},
    }


def _shown_counts(cycle_id: uuid.UUID, thresholds: results.Thresholds) -> sa.CompoundSelect:
    """(relationship, subjects for whom that group is shown) rows, plus ("all_but_self", n)."""
    submitted = (
        sa.select(
            FeedbackInvitation.request_id,
            FeedbackInvitation.relationship,
            sa.func.count().label("answers"),
        )
        .join(FeedbackRequest, FeedbackRequest.id == FeedbackInvitation.request_id)
        .where(FeedbackRequest.cycle_id == cycle_id, FeedbackInvitation.status == SUBMITTED)
        .group_by(FeedbackInvitation.request_id, FeedbackInvitation.relationship)
        .subquery()
    )
    minimum = sa.case(
        {rel: thresholds.minimum(rel) for rel in RELATIONSHIPS}, value=submitted.c.relationship, else_=1
    )
    shown = sa.select(submitted).where(submitted.c.answers >= minimum).subquery()
    pooled = (
        sa.select(shown.c.request_id)
        .where(shown.c.relationship != SELF)
        .group_by(shown.c.request_id)
        .having(sa.func.sum(shown.c.answers) >= thresholds.all_but_self)
        .subquery()
    )
    return sa.union_all(
        sa.select(shown.c.relationship, sa.func.count()).group_by(shown.c.relationship),
        sa.select(sa.literal("all_but_self"), sa.func.count()).select_from(pooled),
    )


def subjects_query(cycle: FeedbackCycle) -> sa.Select[Any]:
    """One row per person in the cycle, by name: their request id and how many of their
    invitations wait for approval, wait for an answer, were submitted or declined, and how many
    peers are nominated (rejected ones aside). Counts only, one grouped query per page."""
    inv = FeedbackInvitation
    return (
        sa.select(
            FeedbackRequest.id.label("request_id"),
            User.id.label("subject_id"),
            User.name.label("name"),
            _count_where(inv.status == PENDING_APPROVAL).label(PENDING_APPROVAL),
            _count_where(inv.status == INVITED).label(INVITED),
            _count_where(inv.status == SUBMITTED).label(SUBMITTED),
            _count_where(inv.status == DECLINED).label(DECLINED),
            _count_where(sa.and_(inv.relationship == PEER, inv.status != REJECTED)).label("peers"),
        )
        .join(User, User.id == FeedbackRequest.subject_id)
        .outerjoin(inv, inv.request_id == FeedbackRequest.id)
        .where(FeedbackRequest.cycle_id == cycle.id)
        .group_by(FeedbackRequest.id, User.id, User.name)
        .order_by(User.name, User.id)
    )


def export(actor: User, cycle_id: uuid.UUID) -> dict[str, Any]:
    """Every subject's released result of a closed cycle (aggregates only, the same thresholds),
    ordered by subject name; a constant number of queries."""
    cycle = get_cycle(actor, cycle_id)
    if not is_cycle_closed(cycle):
        raise Conflict("Results are released when the cycle closes")
    rows = db.session.execute(
        sa.select(FeedbackRequest.id, FeedbackRequest.subject_id, User.name)
        .join(User, User.id == FeedbackRequest.subject_id)
        .where(FeedbackRequest.cycle_id == cycle.id)
        .order_by(User.name, User.id)
    ).all()
    questions = result_questions(cycle.template_id)
    responses = stored_responses([row.id for row in rows])
    thresholds = results.Thresholds.from_dict(cycle.thresholds)
    subjects = []
    for request_id, subject_id, subject_name in rows:
        released = results.release(questions, responses[request_id], thresholds)
        subjects.append(
            {
                "request_id": request_id,
                "subject_id": subject_id,
                "subject_name": subject_name,
                **released,
                "competencies": results.competency_scores(released),
            }
        )
    return {"cycle_id": cycle.id, "name": cycle.name, "thresholds": cycle.thresholds, "subjects": subjects}
