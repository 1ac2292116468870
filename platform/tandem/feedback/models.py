"""360 feedback tables. Identity separation lives here: an invitation knows who reviews, a
response knows only the relationship category, and nothing links the two."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from ..core.db import Base, IdMixin, TimestampMixin, utcnow
from ..core.tenancy import TenantScoped, tenant_fk

SELF, MANAGER, PEER, DIRECT_REPORT, OTHER = "self", "manager", "peer", "direct_report", "other"
RELATIONSHIPS = (SELF, MANAGER, PEER, DIRECT_REPORT, OTHER)
RATING, TEXT = "rating", "text"
QUESTION_KINDS = (RATING, TEXT)
PENDING_APPROVAL, INVITED, SUBMITTED, DECLINED, REJECTED = (
    "pending_approval",
    "invited",
    "submitted",
    "declined",
    "rejected",
)
INVITATION_STATUSES = (PENDING_APPROVAL, INVITED, SUBMITTED, DECLINED, REJECTED)
OPEN, CLOSED = "open", "closed"
STATUSES = (OPEN, CLOSED)
TEAM, SUBTREE, WHOLE_TENANT = "team", "subtree", "tenant"
SCOPES = (TEAM, SUBTREE, WHOLE_TENANT)
RATING_MIN, RATING_MAX = 1, 5


def _one_of(column: str, values: tuple[str, ...]) -> sa.CheckConstraint:
    listed = ", ".join(f"'{v}'" for v in values)
    return sa.CheckConstraint(f"{column} IN ({listed})", name=column)


class FeedbackTemplate(IdMixin, TenantScoped, TimestampMixin, Base):
    """A questionnaire. `key` marks the seeded defaults so they are seeded once per tenant."""

    __tablename__ = "feedback_templates"
    __extra_table_args__ = (
        tenant_fk("created_by_id", "users"),
        sa.UniqueConstraint("tenant_id", "key"),
    )

    name: Mapped[str] = mapped_column(sa.String(200))
    description: Mapped[str] = mapped_column(sa.Text, default="")
    key: Mapped[str | None] = mapped_column(sa.String(40), default=None)
    is_active: Mapped[bool] = mapped_column(default=True)
    created_by_id: Mapped[uuid.UUID | None] = mapped_column(default=None)


class FeedbackQuestion(IdMixin, TenantScoped, Base):
    """A rating question (1 to 5, labelled anchors, tied to a competency and maybe a skill) or an
    open-text question. `skill_id` names a learning skill; its foreign key comes in a later
    migration, once the learning tables exist."""

    __tablename__ = "feedback_questions"
    __extra_table_args__ = (
        tenant_fk("template_id", "feedback_templates", ondelete="CASCADE"),
        sa.UniqueConstraint("tenant_id", "template_id", "position"),
        _one_of("kind", QUESTION_KINDS),
        sa.CheckConstraint("position >= 0", name="position"),
    )

    template_id: Mapped[uuid.UUID]
    position: Mapped[int]
    kind: Mapped[str] = mapped_column(sa.String(16))
    prompt: Mapped[str] = mapped_column(sa.String(500))
    competency: Mapped[str] = mapped_column(sa.String(120), default="")
    skill_id: Mapped[uuid.UUID | None] = mapped_column(default=None)
    # Five labels, for 1 to 5 (rating questions only).
    anchors: Mapped[list[Any]] = mapped_column(default=list)
    required: Mapped[bool] = mapped_column(default=True)


class FeedbackCycle(IdMixin, TenantScoped, TimestampMixin, Base):
    """A 360 round HR admins launch for a team, a manager's subtree or the whole organisation.
    The anonymity thresholds are copied in at launch and never change afterwards."""

    __tablename__ = "feedback_cycles"
    __extra_table_args__ = (
        tenant_fk("template_id", "feedback_templates"),
        tenant_fk("team_id", "teams"),
        tenant_fk("manager_id", "users"),
        tenant_fk("created_by_id", "users"),
        _one_of("scope", SCOPES),
        _one_of("status", STATUSES),
        sa.CheckConstraint("closes_on >= opens_on", name="dates_in_order"),
        sa.CheckConstraint("max_requests_per_reviewer BETWEEN 1 AND 50", name="cap"),
    )

    name: Mapped[str] = mapped_column(sa.String(200))
    template_id: Mapped[uuid.UUID]
    scope: Mapped[str] = mapped_column(sa.String(16))
    team_id: Mapped[uuid.UUID | None] = mapped_column(default=None)
    manager_id: Mapped[uuid.UUID | None] = mapped_column(default=None)
    opens_on: Mapped[date] = mapped_column(sa.Date)
    closes_on: Mapped[date] = mapped_column(sa.Date)
    status: Mapped[str] = mapped_column(sa.String(16), default=OPEN)
    thresholds: Mapped[dict[str, Any]] = mapped_column(default=dict)
    max_requests_per_reviewer: Mapped[int] = mapped_column(default=6)
    created_by_id: Mapped[uuid.UUID | None] = mapped_column(default=None)
    closed_at: Mapped[datetime | None] = mapped_column(default=None)


class FeedbackRequest(IdMixin, TenantScoped, TimestampMixin, Base):
    """Feedback about one subject: ad hoc (asked by them or their manager) or one subject's part
    of a cycle. Results are per request, released when it closes."""

    __tablename__ = "feedback_requests"
    __extra_table_args__ = (
        tenant_fk("cycle_id", "feedback_cycles", ondelete="CASCADE"),
        tenant_fk("subject_id", "users"),
        tenant_fk("requested_by_id", "users"),
        tenant_fk("template_id", "feedback_templates"),
        sa.UniqueConstraint("tenant_id", "cycle_id", "subject_id"),
        sa.Index("ix_feedback_requests_tenant_subject", "tenant_id", "subject_id"),
        _one_of("status", STATUSES),
    )

    cycle_id: Mapped[uuid.UUID | None] = mapped_column(default=None)
    subject_id: Mapped[uuid.UUID]
    requested_by_id: Mapped[uuid.UUID]
    template_id: Mapped[uuid.UUID]
    message: Mapped[str] = mapped_column(sa.Text, default="")
    due_on: Mapped[date] = mapped_column(sa.Date)
    status: Mapped[str] = mapped_column(sa.String(16), default=OPEN)
    peer_approval: Mapped[bool] = mapped_column(default=False)
    thresholds: Mapped[dict[str, Any]] = mapped_column(default=dict)
    closed_at: Mapped[datetime | None] = mapped_column(default=None)


class FeedbackInvitation(IdMixin, TenantScoped, Base):
    """Who is asked, in which relationship, and where they are (asked, declined, done). It never
    points at a response: that is what keeps reviewers anonymous."""

    __tablename__ = "feedback_invitations"
    __extra_table_args__ = (
        tenant_fk("request_id", "feedback_requests", ondelete="CASCADE"),
        tenant_fk("reviewer_id", "users"),
        tenant_fk("nominated_by_id", "users"),
        tenant_fk("decided_by_id", "users"),
        sa.UniqueConstraint("tenant_id", "request_id", "reviewer_id"),
        sa.Index("ix_feedback_invitations_tenant_reviewer", "tenant_id", "reviewer_id", "status"),
        _one_of("relationship", RELATIONSHIPS),
        _one_of("status", INVITATION_STATUSES),
        sa.CheckConstraint("reminder_count >= 0", name="reminder_count"),
    )

    request_id: Mapped[uuid.UUID]
    reviewer_id: Mapped[uuid.UUID]
    relationship: Mapped[str] = mapped_column(sa.String(16))
    status: Mapped[str] = mapped_column(sa.String(20), default=INVITED)
    nominated_by_id: Mapped[uuid.UUID | None] = mapped_column(default=None)
    decided_by_id: Mapped[uuid.UUID | None] = mapped_column(default=None)
    decline_reason: Mapped[str] = mapped_column(sa.Text, default="")
    reminder_count: Mapped[int] = mapped_column(default=0)
    last_reminded_at: Mapped[datetime | None] = mapped_column(default=None)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class FeedbackDraft(IdMixin, TenantScoped, Base):
    """A reviewer's unfinished answers, keyed by their invitation so they can come back to them.
    Submitting copies the answers (without any reviewer id) into a response and deletes this."""

    __tablename__ = "feedback_drafts"
    __extra_table_args__ = (
        tenant_fk("invitation_id", "feedback_invitations", ondelete="CASCADE"),
        sa.UniqueConstraint("tenant_id", "invitation_id"),
    )

    invitation_id: Mapped[uuid.UUID]
    answers: Mapped[dict[str, Any]] = mapped_column(default=dict)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)


class FeedbackResponse(IdMixin, TenantScoped, Base):
    """One submitted questionnaire: the relationship category and the answers, nothing else. No
    reviewer id and no timestamp; the id is random, so neither it nor any column orders
    responses by arrival. Answers map question id -> rating (1-5) or text."""

    __tablename__ = "feedback_responses"
    __extra_table_args__ = (
        tenant_fk("request_id", "feedback_requests", ondelete="CASCADE"),
        sa.Index("ix_feedback_responses_tenant_request", "tenant_id", "request_id"),
        _one_of("relationship", RELATIONSHIPS),
    )

    request_id: Mapped[uuid.UUID]
    relationship: Mapped[str] = mapped_column(sa.String(16))
    answers: Mapped[dict[str, Any]] = mapped_column(default=dict)
