"""Skills, their relations, role profiles, people's skill profiles and evidence, goal-skill links,
the learning catalogue, and learning plans with their items."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from ..core.db import Base, IdMixin, TimestampMixin, utcnow
from ..core.tenancy import TenantScoped, tenant_fk

MIN_LEVEL, MAX_LEVEL = 1, 5
ACTIVE, RETIRED, MERGED = "active", "retired", "merged"
SKILL_STATUSES = (ACTIVE, RETIRED, MERGED)

COURSE, WORKSHOP, CERTIFICATION, CONFERENCE = "course", "workshop", "certification", "conference"
WEBINAR, BOOK, MENTORING, STRETCH = "webinar", "book", "mentoring", "stretch_assignment"
ITEM_KINDS = (COURSE, WORKSHOP, CERTIFICATION, CONFERENCE, WEBINAR, BOOK, MENTORING, STRETCH)

PLANNED, IN_PROGRESS, COMPLETED, DROPPED = "planned", "in_progress", "completed", "dropped"
ITEM_STATUSES = (PLANNED, IN_PROGRESS, COMPLETED, DROPPED)
PLAN_ACTIVE, PLAN_COMPLETED, PLAN_ARCHIVED = "active", "completed", "archived"
PLAN_STATUSES = (PLAN_ACTIVE, PLAN_COMPLETED, PLAN_ARCHIVED)

# Where a piece of evidence came from. 360 feedback records "feedback" through
# services.record_evidence; completed learning items record "learning" or "certification".
FEEDBACK, LEARNING, CERTIFICATE, MANAGER_NOTE = "feedback", "learning", "certification", "manager_note"
EVIDENCE_SOURCES = (FEEDBACK, LEARNING, CERTIFICATE, MANAGER_NOTE)

_LEVEL = f"BETWEEN {MIN_LEVEL} AND {MAX_LEVEL}"


def _one_of(column: str, values: tuple[str, ...]) -> sa.CheckConstraint:
    listed = ", ".join(f"'{v}'" for v in values)
    return sa.CheckConstraint(f"{column} IN ({listed})", name=column)


def _level(column: str, *, nullable: bool = False) -> sa.CheckConstraint:
    rule = f"{column} {_LEVEL}"
    return sa.CheckConstraint(f"{column} IS NULL OR {rule}" if nullable else rule, name=column)


class Skill(IdMixin, TenantScoped, TimestampMixin, Base):
    """One skill of the tenant's catalogue. Renaming keeps the id (history keeps pointing at it);
    retiring hides it from new use; merging moves current data to another skill and leaves this
    row, with its evidence, as history (`merged_into_id`)."""

    __tablename__ = "skills"
    __extra_table_args__ = (
        sa.UniqueConstraint("tenant_id", "key"),
        tenant_fk("merged_into_id", "skills"),
        sa.Index("ix_skills_tenant_category", "tenant_id", "category"),
        _one_of("status", SKILL_STATUSES),
        sa.CheckConstraint("merged_into_id IS NULL OR merged_into_id <> id", name="not_merged_into_self"),
        sa.CheckConstraint("(status = 'merged') = (merged_into_id IS NOT NULL)", name="merged_has_target"),
    )

    key: Mapped[str] = mapped_column(sa.String(80))
    name: Mapped[str] = mapped_column(sa.String(120))
    category: Mapped[str] = mapped_column(sa.String(60))
    description: Mapped[str] = mapped_column(sa.Text, default="")
    # Five strings: what levels 1 to 5 look like for this skill.
    level_descriptions: Mapped[list[Any]] = mapped_column(default=list)
    status: Mapped[str] = mapped_column(sa.String(16), default=ACTIVE)
    merged_into_id: Mapped[uuid.UUID | None] = mapped_column(default=None)
    retired_at: Mapped[datetime | None] = mapped_column(default=None)


class SkillRelation(IdMixin, TenantScoped, Base):
    """An undirected "related skill" link: one row per pair, stored with skill_id < related_id."""

    __tablename__ = "skill_relations"
    __extra_table_args__ = (
        sa.UniqueConstraint("tenant_id", "skill_id", "related_id"),
        tenant_fk("skill_id", "skills", ondelete="CASCADE"),
        tenant_fk("related_id", "skills", ondelete="CASCADE"),
        sa.CheckConstraint("skill_id <> related_id", name="not_self"),
        sa.CheckConstraint("weight > 0 AND weight <= 1", name="weight_range"),
    )

    skill_id: Mapped[uuid.UUID]
    related_id: Mapped[uuid.UUID]
    weight: Mapped[float] = mapped_column(sa.Float, default=0.5)


class RoleProfile(IdMixin, TenantScoped, TimestampMixin, Base):
    """What a job title or career step requires; `next_profile_id` is the usual next step."""

    __tablename__ = "role_profiles"
    __extra_table_args__ = (
        sa.UniqueConstraint("tenant_id", "name"),
        tenant_fk("next_profile_id", "role_profiles"),
        sa.CheckConstraint("next_profile_id IS NULL OR next_profile_id <> id", name="not_own_next"),
    )

    name: Mapped[str] = mapped_column(sa.String(120))
    # People whose title equals this (case-insensitively) have this profile unless one is assigned.
    job_title: Mapped[str | None] = mapped_column(sa.String(200), default=None)
    track: Mapped[str] = mapped_column(sa.String(60), default="")
    description: Mapped[str] = mapped_column(sa.Text, default="")
    next_profile_id: Mapped[uuid.UUID | None] = mapped_column(default=None)
    is_active: Mapped[bool] = mapped_column(default=True)


class RoleRequirement(IdMixin, TenantScoped, Base):
    """One skill a role profile requires, at a level, with what that level means in this role."""

    __tablename__ = "role_profile_skills"
    __extra_table_args__ = (
        sa.UniqueConstraint("tenant_id", "role_profile_id", "skill_id"),
        tenant_fk("role_profile_id", "role_profiles", ondelete="CASCADE"),
        tenant_fk("skill_id", "skills"),
        _level("level"),
    )

    role_profile_id: Mapped[uuid.UUID]
    skill_id: Mapped[uuid.UUID]
    level: Mapped[int] = mapped_column(sa.SmallInteger)
    note: Mapped[str] = mapped_column(sa.Text, default="")


class CareerPath(IdMixin, TenantScoped, TimestampMixin, Base):
    """A person's assigned role profile (else matched by job title) and the next step they chose."""

    __tablename__ = "career_paths"
    __extra_table_args__ = (
        sa.UniqueConstraint("tenant_id", "person_id"),
        tenant_fk("person_id", "users"),
        tenant_fk("role_profile_id", "role_profiles"),
        tenant_fk("target_profile_id", "role_profiles"),
    )

    person_id: Mapped[uuid.UUID]
    role_profile_id: Mapped[uuid.UUID | None] = mapped_column(default=None)
    target_profile_id: Mapped[uuid.UUID | None] = mapped_column(default=None)


class PersonSkill(IdMixin, TenantScoped, TimestampMixin, Base):
    """One line of a person's skill profile: their own level, their manager's, interest, mentoring.
    Evidence sits beside it (SkillEvidence) and never changes these levels."""

    __tablename__ = "person_skills"
    __extra_table_args__ = (
        sa.UniqueConstraint("tenant_id", "person_id", "skill_id"),
        tenant_fk("person_id", "users"),
        tenant_fk("skill_id", "skills"),
        tenant_fk("manager_assessor_id", "users"),
        sa.Index("ix_person_skills_tenant_skill", "tenant_id", "skill_id"),
        _level("self_level", nullable=True),
        _level("manager_level", nullable=True),
    )

    person_id: Mapped[uuid.UUID]
    skill_id: Mapped[uuid.UUID]
    self_level: Mapped[int | None] = mapped_column(sa.SmallInteger, default=None)
    self_assessed_at: Mapped[datetime | None] = mapped_column(default=None)
    manager_level: Mapped[int | None] = mapped_column(sa.SmallInteger, default=None)
    manager_note: Mapped[str] = mapped_column(sa.Text, default="")
    manager_assessor_id: Mapped[uuid.UUID | None] = mapped_column(default=None)
    manager_assessed_at: Mapped[datetime | None] = mapped_column(default=None)
    interested: Mapped[bool] = mapped_column(default=False)
    willing_to_mentor: Mapped[bool] = mapped_column(default=False)


class SkillEvidence(IdMixin, TenantScoped, Base):
    """A dated piece of evidence about a person's skill (a 360 rating, completed learning); never
    edited, and it stays on the skill it was recorded for even if that skill is merged later."""

    __tablename__ = "skill_evidence"
    __extra_table_args__ = (
        tenant_fk("person_id", "users"),
        tenant_fk("skill_id", "skills"),
        tenant_fk("learning_item_id", "learning_items"),
        tenant_fk("recorded_by_id", "users"),
        sa.Index("ix_skill_evidence_tenant_person_skill", "tenant_id", "person_id", "skill_id"),
        _one_of("source", EVIDENCE_SOURCES),
        sa.CheckConstraint("value IS NULL OR (value >= 1 AND value <= 5)", name="value_range"),
    )

    person_id: Mapped[uuid.UUID]
    skill_id: Mapped[uuid.UUID]
    source: Mapped[str] = mapped_column(sa.String(24))
    value: Mapped[float | None] = mapped_column(sa.Float, default=None)
    note: Mapped[str] = mapped_column(sa.Text, default="")
    at: Mapped[datetime] = mapped_column(default=utcnow)
    learning_item_id: Mapped[uuid.UUID | None] = mapped_column(default=None)
    recorded_by_id: Mapped[uuid.UUID | None] = mapped_column(default=None)


class GoalSkill(IdMixin, TenantScoped, Base):
    """A goal depends on a skill at a level (the goals domain stays unaware of skills)."""

    __tablename__ = "goal_skills"
    __extra_table_args__ = (
        sa.UniqueConstraint("tenant_id", "goal_id", "skill_id"),
        tenant_fk("goal_id", "goals", ondelete="CASCADE"),
        tenant_fk("skill_id", "skills"),
        sa.Index("ix_goal_skills_tenant_skill", "tenant_id", "skill_id"),
        _level("level"),
    )

    goal_id: Mapped[uuid.UUID]
    skill_id: Mapped[uuid.UUID]
    level: Mapped[int] = mapped_column(sa.SmallInteger, default=3)


class CatalogueItem(IdMixin, TenantScoped, TimestampMixin, Base):
    """A learning resource HR admins curate for the whole organisation."""

    __tablename__ = "catalogue_items"
    __extra_table_args__ = (
        tenant_fk("created_by_id", "users"),
        _one_of("kind", ITEM_KINDS),
        sa.CheckConstraint("hours IS NULL OR hours >= 0", name="hours"),
        sa.CheckConstraint(
            "validity_months IS NULL OR (kind = 'certification' AND validity_months > 0)", name="validity"
        ),
    )

    title: Mapped[str] = mapped_column(sa.String(200))
    kind: Mapped[str] = mapped_column(sa.String(24))
    provider: Mapped[str] = mapped_column(sa.String(200), default="")
    url: Mapped[str] = mapped_column(sa.String(1000), default="")
    hours: Mapped[float | None] = mapped_column(sa.Float, default=None)
    description: Mapped[str] = mapped_column(sa.Text, default="")
    # Certifications: how long the certificate stays valid (sets an item's expiry on completion).
    validity_months: Mapped[int | None] = mapped_column(default=None)
    is_active: Mapped[bool] = mapped_column(default=True)
    created_by_id: Mapped[uuid.UUID | None] = mapped_column(default=None)


class CatalogueItemSkill(IdMixin, TenantScoped, Base):
    """A catalogue item teaches a skill up to a level."""

    __tablename__ = "catalogue_item_skills"
    __extra_table_args__ = (
        sa.UniqueConstraint("tenant_id", "item_id", "skill_id"),
        tenant_fk("item_id", "catalogue_items", ondelete="CASCADE"),
        tenant_fk("skill_id", "skills"),
        sa.Index("ix_catalogue_item_skills_tenant_skill", "tenant_id", "skill_id"),
        _level("level"),
    )

    item_id: Mapped[uuid.UUID]
    skill_id: Mapped[uuid.UUID]
    level: Mapped[int] = mapped_column(sa.SmallInteger, default=3)


class LearningPlan(IdMixin, TenantScoped, TimestampMixin, Base):
    """A person's learning plan (they may keep several: this year's, a certification track...)."""

    __tablename__ = "learning_plans"
    __extra_table_args__ = (
        tenant_fk("owner_id", "users"),
        sa.Index("ix_learning_plans_tenant_owner", "tenant_id", "owner_id"),
        _one_of("status", PLAN_STATUSES),
        sa.CheckConstraint("due_date IS NULL OR due_date >= start_date", name="dates_in_order"),
    )

    owner_id: Mapped[uuid.UUID]
    title: Mapped[str] = mapped_column(sa.String(200))
    description: Mapped[str] = mapped_column(sa.Text, default="")
    status: Mapped[str] = mapped_column(sa.String(16), default=PLAN_ACTIVE)
    start_date: Mapped[date] = mapped_column(sa.Date)
    due_date: Mapped[date | None] = mapped_column(sa.Date, default=None)


class LearningItem(IdMixin, TenantScoped, TimestampMixin, Base):
    """One thing to learn from in a plan. A manager's suggestion waits (accepted_at NULL) until the
    owner accepts it; completing an item records evidence for its skills."""

    __tablename__ = "learning_items"
    __extra_table_args__ = (
        tenant_fk("plan_id", "learning_plans", ondelete="CASCADE"),
        tenant_fk("catalogue_item_id", "catalogue_items"),
        tenant_fk("suggested_by_id", "users"),
        sa.Index("ix_learning_items_tenant_plan", "tenant_id", "plan_id"),
        sa.Index("ix_learning_items_tenant_expires", "tenant_id", "expires_on"),
        _one_of("kind", ITEM_KINDS),
        _one_of("status", ITEM_STATUSES),
        sa.CheckConstraint("hours IS NULL OR hours >= 0", name="hours"),
        sa.CheckConstraint(
            "due_date IS NULL OR start_date IS NULL OR due_date >= start_date", name="dates_in_order"
        ),
        sa.CheckConstraint("(status = 'completed') = (completed_on IS NOT NULL)", name="completed_on"),
        sa.CheckConstraint("expires_on IS NULL OR kind = 'certification'", name="expiry_for_certificates"),
    )

    plan_id: Mapped[uuid.UUID]
    catalogue_item_id: Mapped[uuid.UUID | None] = mapped_column(default=None)
    kind: Mapped[str] = mapped_column(sa.String(24))
    title: Mapped[str] = mapped_column(sa.String(200))
    provider: Mapped[str] = mapped_column(sa.String(200), default="")
    url: Mapped[str] = mapped_column(sa.String(1000), default="")
    hours: Mapped[float | None] = mapped_column(sa.Float, default=None)
    start_date: Mapped[date | None] = mapped_column(sa.Date, default=None)
    due_date: Mapped[date | None] = mapped_column(sa.Date, default=None)
    status: Mapped[str] = mapped_column(sa.String(16), default=PLANNED)
    completed_on: Mapped[date | None] = mapped_column(sa.Date, default=None)
    expires_on: Mapped[date | None] = mapped_column(sa.Date, default=None)
    evidence: Mapped[str] = mapped_column(sa.Text, default="")
    notes: Mapped[str] = mapped_column(sa.Text, default="")
    suggested_by_id: Mapped[uuid.UUID | None] = mapped_column(default=None)
    accepted_at: Mapped[datetime | None] = mapped_column(default=None)


class LearningItemSkill(IdMixin, TenantScoped, Base):
    __tablename__ = "learning_item_skills"
    __extra_table_args__ = (
        sa.UniqueConstraint("tenant_id", "item_id", "skill_id"),
        tenant_fk("item_id", "learning_items", ondelete="CASCADE"),
        tenant_fk("skill_id", "skills"),
    )

    item_id: Mapped[uuid.UUID]
    skill_id: Mapped[uuid.UUID]


class LearningItemGoal(IdMixin, TenantScoped, Base):
    __tablename__ = "learning_item_goals"
    __extra_table_args__ = (
        sa.UniqueConstraint("tenant_id", "item_id", "goal_id"),
        tenant_fk("item_id", "learning_items", ondelete="CASCADE"),
        tenant_fk("goal_id", "goals", ondelete="CASCADE"),
    )

    item_id: Mapped[uuid.UUID]
    goal_id: Mapped[uuid.UUID]
