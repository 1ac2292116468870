"""Reminder mail for reviewers who still owe feedback, at most once per tenant-set interval.

Each reminder is claimed on its own short committed transaction before the mail goes out, so two
overlapping runs, or a run retried after a crash, never remind the same person twice within the
interval. A reminder names the subject and the due date; never any answer.

A run covers the whole organisation (the hourly `tandem feedback send-reminders`) or, when given a
cycle id, only that cycle's requests (the cycle page's "Send due reminders now"); both share the
per-invitation interval, so neither reminds anyone the other just reminded."""

from __future__ import annotations

import logging
import uuid
from datetime import datetime, timedelta
from typing import Any

import sqlalchemy as sa

from ..core import mail
from ..core.db import db, utcnow
from ..core.tenancy import current_tenant_id
from ..people.models import User
from ..settings import Settings
from .models import INVITED, OPEN, FeedbackCycle, FeedbackInvitation, FeedbackRequest
from .services import feedback_settings, today

log = logging.getLogger(__name__)
_TABLE = FeedbackInvitation.__table__


def interval() -> timedelta:
    return timedelta(hours=feedback_settings()["reminder_interval_hours"])


def due_query(now: datetime, every: timedelta, cycle_id: uuid.UUID | None = None) -> sa.Select[Any]:
    """Invitations still owed on open requests (and opened cycles), not reminded within `every`:
    in the bound tenant, or only on the requests of the cycle `cycle_id` when given."""
    day = now.date()
    stmt = (
        sa.select(
            FeedbackInvitation.id,
            User.email,
            User.name,
            FeedbackRequest.subject_id,
            FeedbackRequest.due_on,
            FeedbackInvitation.reviewer_id,
        )
        .join(FeedbackRequest, FeedbackRequest.id == FeedbackInvitation.request_id)
        .join(User, User.id == FeedbackInvitation.reviewer_id)
        .outerjoin(FeedbackCycle, FeedbackCycle.id == FeedbackRequest.cycle_id)
        .where(
            FeedbackInvitation.status == INVITED,
            FeedbackRequest.status == OPEN,
            FeedbackRequest.due_on >= day,
            sa.or_(FeedbackCycle.id.is_(None), FeedbackCycle.opens_on <= day),
            User.is_active.is_(True),
            sa.or_(
                FeedbackInvitation.last_reminded_at.is_(None),
                FeedbackInvitation.last_reminded_at <= now - every,
            ),
        )
        .order_by(FeedbackInvitation.id)
    )
    if cycle_id is not None:
        stmt = stmt.where(FeedbackRequest.cycle_id == cycle_id)
    return stmt


def due_counts(cycle_id: uuid.UUID | None = None) -> tuple[int, int]:
    """(reminders, people) due now, in one statement: in the whole organisation, or only for one
    cycle's requests. One mail goes per invitation, so a reviewer owing feedback on several
    people of the cycle counts once among the people and once per invitation among reminders."""
    due = due_query(utcnow(), interval(), cycle_id).order_by(None).subquery()
    reminders, people = db.session.execute(
        sa.select(sa.func.count(), sa.func.count(sa.distinct(due.c.reviewer_id)))
    ).one()
    return reminders or 0, people or 0


def count_due(cycle_id: uuid.UUID | None = None) -> int:
    """Reminders due now: in the whole organisation, or only for one cycle's requests."""
    return due_counts(cycle_id)[0]


def _claim(invitation_id: uuid.UUID, tenant_id: uuid.UUID, now: datetime, every: timedelta) -> bool:
    with db.engine.begin() as conn:
        claimed = conn.execute(
            sa.update(_TABLE)
            .where(
                _TABLE.c.id == invitation_id,
                _TABLE.c.tenant_id == tenant_id,
                _TABLE.c.status == INVITED,
                sa.or_(_TABLE.c.last_reminded_at.is_(None), _TABLE.c.last_reminded_at <= now - every),
            )
            .values(last_reminded_at=now, reminder_count=_TABLE.c.reminder_count + 1)
        )
        return claimed.rowcount == 1


def _unclaim(invitation_id: uuid.UUID, tenant_id: uuid.UUID, now: datetime) -> None:
    # The mail did not go out: let the next run try again.
    with db.engine.begin() as conn:
        conn.execute(
            sa.update(_TABLE)
            .where(
                _TABLE.c.id == invitation_id,
                _TABLE.c.tenant_id == tenant_id,
                _TABLE.c.last_reminded_at == now,
            )
            .values(last_reminded_at=None, reminder_count=_TABLE.c.reminder_count - 1)
        )


def _body(name: str, subject_name: str, due: Any, base_url: str) -> str:
    return (
        f"Hello {name},\n\n"
        f"{subject_name} is waiting for your feedback. Please answer by {due.isoformat()}.\n"
        f"Open your list: {base_url}/api/v1/me/feedback/todo\n\n"
        "Your answers are anonymous: they are only ever shown pooled with others, and only when "
        "enough people have answered (see the anonymity rules in Tandem's help).\n"
        "If you cannot give feedback, you can decline with a reason.\n"
    )


def send_due(settings: Settings, cycle_id: uuid.UUID | None = None) -> dict[str, Any]:
    """Send every due reminder of the bound tenant, or only those of the cycle `cycle_id` (a cycle
    of another organisation finds nothing); returns counts only."""
    tenant_id, now, every = current_tenant_id(), utcnow(), interval()
    rows = db.session.execute(due_query(now, every, cycle_id)).all()
    if not rows:
        return {"due": 0, "sent": 0, "failed": 0}
    subjects = dict(
        db.session.execute(
            sa.select(User.id, User.name).where(User.id.in_({r.subject_id for r in rows}))
        ).all()
    )
    sent = failed = 0
    with mail.connect(settings) as mailer:
        for invitation_id, email, name, subject_id, due_on, _reviewer_id in rows:
            if not _claim(invitation_id, tenant_id, now, every):
                continue  # another run reminded them a moment ago
            try:
                mailer.send(
                    email,
                    f"Feedback for {subjects.get(subject_id, 'a colleague')} is due {due_on.isoformat()}",
                    _body(name, subjects.get(subject_id, "A colleague"), due_on, settings.base_url),
                )
                sent += 1
            except mail.MailError as exc:
                _unclaim(invitation_id, tenant_id, now)
                failed += 1
                log.warning("feedback reminder for invitation %s not sent: %s", invitation_id, exc)
    return {"due": len(rows), "sent": sent, "failed": failed, "day": today().isoformat()}
