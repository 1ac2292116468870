"""Celebrations: a completed milestone is recorded with its goal, owner and time, and shown to
the people around its owner. Who those are is decided here, in two named functions: the owner's
management chain and their current mentors (a mentee's mentors see their milestones too)."""

from __future__ import annotations

import uuid

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


def celebrated_people_visible_to(viewer: User) -> set[uuid.UUID]:
    """Whose celebrations `viewer` sees: their own, everyone's below them and their current
    mentees' (the inverse of `celebration_audience`)."""
    mentees = db.session.scalars(
        sa.select(Mentorship.mentee_id).where(
            Mentorship.mentor_id == viewer.id, Mentorship.status.in_(HOLDS_A_PLACE)
        )
    )
    return {viewer.id, *orgchart.subtree_ids(viewer.id, include_inactive=True), *mentees}


def celebrations_query(
    viewer: User, owner_id: uuid.UUID | None = None, goal_id: uuid.UUID | None = None
) -> sa.Select[tuple[Celebration]]:
    """Celebrations the viewer may see, newest first. A private goal's milestones are celebrated
    for the owner alone: the chain does not see private goals."""
    people = celebrated_people_visible_to(viewer)
    stmt = (
        sa.select(Celebration)
        .join(Goal, Goal.id == Celebration.goal_id)
        .where(
            Celebration.owner_id.in_(people),
            sa.or_(Celebration.owner_id == viewer.id, Goal.visibility != PRIVATE),
        )
    )
    if owner_id is not None:
        stmt = stmt.where(Celebration.owner_id == owner_id)
    if goal_id is not None:
        stmt = stmt.where(Celebration.goal_id == goal_id)
    return stmt.order_by(Celebration.at.desc(), Celebration.id)
