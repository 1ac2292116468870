"""Mentoring tables: programmes, mentor profiles and skills, mentee requests, match runs and
proposals, invitations sent to mentors, mentorships and their sessions."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from ..core.db import Base, IdMixin, TimestampMixin, utcnow
from ..core.tenancy import TenantScoped, tenant_fk

OPEN, MATCHED, WITHDRAWN = "open", "matched", "withdrawn"
REQUEST_STATUSES = (OPEN, MATCHED, WITHDRAWN)
PROPOSED, APPROVED, REJECTED = "proposed", "approved", "rejected"
PROPOSAL_STATUSES = (PROPOSED, APPROVED, REJECTED)
PENDING, ACCEPTED, DECLINED, EXPIRED = "pending", "accepted", "declined", "expired"
INVITATION_STATUSES = (PENDING, ACCEPTED, DECLINED, EXPIRED, WITHDRAWN)
ACTIVE, PAUSED, COMPLETED = "active", "paused", "completed"
MENTORSHIP_STATUSES = (ACTIVE, PAUSED, COMPLETED)
# A mentor's places are taken by mentorships that are not over yet.
HOLDS_A_PLACE = (ACTIVE, PAUSED)


def _one_of(column: str, values: tuple[str, ...]) -> sa.CheckConstraint:
    listed = ", ".join(f"'{v}'" for v in values)
    return sa.CheckConstraint(f"{column} IN ({listed})", name=column)


class Programme(IdMixin, TenantScoped, TimestampMixin, Base):
    """A named mentoring cohort with dates; requests outside any programme are the open pool."""

    __tablename__ = "mentoring_programmes"
    __extra_table_args__ = (
        tenant_fk("created_by_id", "users"),
        sa.UniqueConstraint("tenant_id", "name"),
        sa.CheckConstraint("ends_on >= starts_on", name="dates_in_order"),
    )

    name: Mapped[str] = mapped_column(sa.String(200))
    description: Mapped[str] = mapped_column(sa.Text, default="")
    starts_on: Mapped[date] = mapped_column(sa.Date)
    ends_on: Mapped[date] = mapped_column(sa.Date)
    created_by_id: Mapped[uuid.UUID | None] = mapped_column(default=None)


class MentorProfile(IdMixin, TenantScoped, TimestampMixin, Base):
    """A person's opt-in as a mentor: how many mentees at once, topics and availability."""

    __tablename__ = "mentor_profiles"
    __extra_table_args__ = (
        tenant_fk("user_id", "users", ondelete="CASCADE"),
        sa.UniqueConstraint("tenant_id", "user_id"),
        sa.CheckConstraint("capacity BETWEEN 0 AND 20", name="capacity_range"),
    )

    user_id: Mapped[uuid.UUID]
    is_open: Mapped[bool] = mapped_column(default=True)
    capacity: Mapped[int] = mapped_column(default=1)
    topics: Mapped[list[Any]] = mapped_column(default=list)
    availability: Mapped[str] = mapped_column(sa.Text, default="")


class MentorSkill(IdMixin, TenantScoped, Base):
    """A skill from the learning catalogue that a mentor offers, at a level."""

    __tablename__ = "mentor_skills"
    __extra_table_args__ = (
        tenant_fk("profile_id", "mentor_profiles", ondelete="CASCADE"),
        tenant_fk("skill_id", "skills", ondelete="CASCADE"),
        sa.UniqueConstraint("tenant_id", "profile_id", "skill_id"),
        sa.CheckConstraint("level BETWEEN 1 AND 5", name="level"),
    )

    profile_id: Mapped[uuid.UUID]
    skill_id: Mapped[uuid.UUID]
    level: Mapped[int] = mapped_column(sa.SmallInteger, default=3)


class MentoringRequest(IdMixin, TenantScoped, TimestampMixin, Base):
    """A mentee asks for a mentor: skills wanted (with levels), goals, themes, preferred mentors."""

    __tablename__ = "mentoring_requests"
    __extra_table_args__ = (
        tenant_fk("mentee_id", "users", ondelete="CASCADE"),
        tenant_fk("programme_id", "mentoring_programmes", ondelete="SET NULL"),
        sa.Index("ix_mentoring_requests_tenant_mentee", "tenant_id", "mentee_id"),
        _one_of("status", REQUEST_STATUSES),
        # One open request per mentee: matching places people, not requests.
        sa.Index(
            "uq_mentoring_requests_open_mentee",
            "tenant_id",
            "mentee_id",
            unique=True,
            postgresql_where=sa.text("status = 'open'"),
            sqlite_where=sa.text("status = 'open'"),
        ),
    )

    mentee_id: Mapped[uuid.UUID]
    programme_id: Mapped[uuid.UUID | None] = mapped_column(default=None)
    status: Mapped[str] = mapped_column(sa.String(16), default=OPEN)
    # {skill id: wanted level 1..5}, skills from the learning catalogue.
    needs: Mapped[dict[str, Any]] = mapped_column(default=dict)
    goal_ids: Mapped[list[Any]] = mapped_column(default=list)
    topics: Mapped[list[Any]] = mapped_column(default=list)
    preferred_mentor_ids: Mapped[list[Any]] = mapped_column(default=list)
    note: Mapped[str] = mapped_column(sa.Text, default="")


class MatchRun(IdMixin, TenantScoped, Base):
    """A batch match an HR admin ran for a programme (or the open pool); its job is a JobRun."""

    __tablename__ = "mentoring_match_runs"
    __extra_table_args__ = (
        tenant_fk("programme_id", "mentoring_programmes", ondelete="CASCADE"),
        tenant_fk("job_run_id", "job_runs"),
        tenant_fk("created_by_id", "users"),
    )

    programme_id: Mapped[uuid.UUID | None] = mapped_column(default=None)
    job_run_id: Mapped[uuid.UUID | None] = mapped_column(default=None)
    created_by_id: Mapped[uuid.UUID | None] = mapped_column(default=None)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    # Counts and the engine's stats; the reasons live on the proposals.
    summary: Mapped[dict[str, Any] | None] = mapped_column(default=None)


class MatchProposal(IdMixin, TenantScoped, Base):
    """One pair the engine proposed; an HR admin approves it (it becomes an invitation) or not."""

    __tablename__ = "mentoring_proposals"
    __extra_table_args__ = (
        tenant_fk("match_run_id", "mentoring_match_runs", ondelete="CASCADE"),
        tenant_fk("request_id", "mentoring_requests", ondelete="CASCADE"),
        tenant_fk("mentor_id", "users", ondelete="CASCADE"),
        sa.UniqueConstraint("tenant_id", "match_run_id", "request_id"),
        _one_of("status", PROPOSAL_STATUSES),
    )

    match_run_id: Mapped[uuid.UUID] = mapped_column(index=True)
    request_id: Mapped[uuid.UUID]
    mentor_id: Mapped[uuid.UUID]
    score: Mapped[float] = mapped_column(sa.Float)
    reasons: Mapped[list[Any]] = mapped_column(default=list)
    status: Mapped[str] = mapped_column(sa.String(16), default=PROPOSED)


class Invitation(IdMixin, TenantScoped, TimestampMixin, Base):
    """A pending request to one mentor for one mentee; the mentor accepts or declines."""

    __tablename__ = "mentoring_invitations"
    __extra_table_args__ = (
        tenant_fk("request_id", "mentoring_requests", ondelete="CASCADE"),
        tenant_fk("mentee_id", "users", ondelete="CASCADE"),
        tenant_fk("mentor_id", "users", ondelete="CASCADE"),
        tenant_fk("proposal_id", "mentoring_proposals", ondelete="SET NULL"),
        sa.Index("ix_mentoring_invitations_tenant_mentor", "tenant_id", "mentor_id"),
        _one_of("status", INVITATION_STATUSES),
        sa.CheckConstraint("mentee_id <> mentor_id", name="not_self"),
        # At most one pending request per pair, whoever sent it and however fast.
        sa.Index(
            "uq_mentoring_invitations_pending_pair",
            "tenant_id",
            "mentee_id",
            "mentor_id",
            unique=True,
            postgresql_where=sa.text("status = 'pending'"),
            sqlite_where=sa.text("status = 'pending'"),
        ),
    )

    request_id: Mapped[uuid.UUID]
    mentee_id: Mapped[uuid.UUID]
    mentor_id: Mapped[uuid.UUID]
    proposal_id: Mapped[uuid.UUID | None] = mapped_column(default=None)
    status: Mapped[str] = mapped_column(sa.String(16), default=PENDING)
    score: Mapped[float | None] = mapped_column(sa.Float, default=None)
    reasons: Mapped[list[Any]] = mapped_column(default=list)
    expires_at: Mapped[datetime]
    answered_at: Mapped[datetime | None] = mapped_column(default=None)


class Mentorship(IdMixin, TenantScoped, TimestampMixin, Base):
    """A mentor and a mentee working together; either side can pause or end it."""

    __tablename__ = "mentorships"
    __extra_table_args__ = (
        tenant_fk("mentee_id", "users", ondelete="CASCADE"),
        tenant_fk("mentor_id", "users", ondelete="CASCADE"),
        tenant_fk("request_id", "mentoring_requests", ondelete="SET NULL"),
        sa.Index("ix_mentorships_tenant_mentor", "tenant_id", "mentor_id"),
        sa.Index("ix_mentorships_tenant_mentee", "tenant_id", "mentee_id"),
        _one_of("status", MENTORSHIP_STATUSES),
        sa.CheckConstraint("mentee_id <> mentor_id", name="not_self"),
        sa.CheckConstraint("rating IS NULL OR rating BETWEEN 1 AND 5", name="rating_range"),
    )

    mentee_id: Mapped[uuid.UUID]
    mentor_id: Mapped[uuid.UUID]
    request_id: Mapped[uuid.UUID | None] = mapped_column(default=None)
    status: Mapped[str] = mapped_column(sa.String(16), default=ACTIVE)
    goal_ids: Mapped[list[Any]] = mapped_column(default=list)
    started_at: Mapped[datetime] = mapped_column(default=utcnow)
    ended_at: Mapped[datetime | None] = mapped_column(default=None)
    ended_by_id: Mapped[uuid.UUID | None] = mapped_column(default=None)
    rating: Mapped[int | None] = mapped_column(sa.SmallInteger, default=None)


class MentoringSession(IdMixin, TenantScoped, TimestampMixin, Base):
    """A meeting of the pair: its date, notes and agreed actions (for the pair's eyes only)."""

    __tablename__ = "mentoring_sessions"
    __extra_table_args__ = (tenant_fk("mentorship_id", "mentorships", ondelete="CASCADE"),)

    mentorship_id: Mapped[uuid.UUID] = mapped_column(index=True)
    held_on: Mapped[date] = mapped_column(sa.Date)
    notes: Mapped[str] = mapped_column(sa.Text, default="")
    actions: Mapped[list[Any]] = mapped_column(default=list)
    created_by_id: Mapped[uuid.UUID | None] = mapped_column(default=None)
