"""Celebrations: a completed milestone is recorded with its goal, owner and time, and shown to
the people around its owner. Who those are is decided here, in two named functions: the owner's
management chain and their current mentors (a mentee's mentors see their milestones too)."""

from __future__ import annotations

import uuid
from datetime import datetime

import sqlalchemy as sa

from ..core.db import db, utcnow
from ..mentoring.models import HOLDS_A_PLACE, Mentorship
from ..people import orgchart
from ..people.models import User
from .models import MILESTONE_COMPLETED, PRIVATE, Celebration, Goal


def record(goal: Goal) -> Celebration:
    celebration = Celebration(
        goal_id=goal.id, owner_id=goal.owner_id, kind=MILESTONE_COMPLETED, title=goal.title, at=utcnow()
    )
    db.session.add(celebration)
    return celebration


def celebration_audience(owner_id: uuid.UUID) -> set[uuid.UUID]:
    """Who sees `owner_id`'s celebrations: the owner, their whole manager chain and their current
    mentors."""
    mentors = db.session.scalars(
        sa.select(Mentorship.mentor_id).where(
            Mentorship.mentee_id == owner_id, Mentorship.status.in_(HOLDS_A_PLACE)
        )
    )
    return {owner_id, *(manager.id for manager in orgchart.chain(owner_id)), *mentors}


def celebrated_people_visible_to(viewer: User) -> sa.ColumnElement[bool]:
    """Whose celebrations `viewer` sees, as a condition on the owner: their own, everyone's below
    them and their current mentees' (the inverse of `celebration_audience`). In SQL, so a top
    manager's subtree of thousands never travels to Python and back."""
    mentees = sa.select(Mentorship.mentee_id).where(
        Mentorship.mentor_id == viewer.id, Mentorship.status.in_(HOLDS_A_PLACE)
    )
    return sa.or_(
        Celebration.owner_id == viewer.id,
        Celebration.owner_id.in_(orgchart.subtree_select(viewer.id, include_inactive=True)),
        Celebration.owner_id.in_(mentees),
    )


def celebrations_query(
    viewer: User,
    owner_id: uuid.UUID | None = None,
    goal_id: uuid.UUID | None = None,
    since: datetime | None = None,
) -> sa.Select[tuple[Celebration]]:
    """Celebrations the viewer may see, newest first (only those at or after `since` when given).
    A private goal's milestones are celebrated for the owner alone: the chain does not see private
    goals."""
    # The goal is looked up per candidate celebration (by its key), not joined: a join made
    # PostgreSQL read every goal of the organisation for a top manager's few recent celebrations.
    not_private = (
        sa.select(Goal.id).where(Goal.id == Celebration.goal_id, Goal.visibility != PRIVATE).exists()
    )
    stmt = sa.select(Celebration).where(
        celebrated_people_visible_to(viewer), sa.or_(Celebration.owner_id == viewer.id, not_private)
    )
    if owner_id is not None:
        stmt = stmt.where(Celebration.owner_id == owner_id)
    if goal_id is not None:
        stmt = stmt.where(Celebration.goal_id == goal_id)
    if since is not None:
        stmt = stmt.where(Celebration.at >= since)
    return stmt.order_by(Celebration.at.desc(), Celebration.id)
