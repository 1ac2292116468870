"""Goals and what hangs off them: tasks, obstacles, check-ins, celebrations, and goal templates."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from ..core.db import Base, IdMixin, TimestampMixin, utcnow
from ..core.tenancy import TenantScoped, tenant_fk

DRAFT, ACTIVE, COMPLETED, ABANDONED = "draft", "active", "completed", "abandoned"
STATUSES = (DRAFT, ACTIVE, COMPLETED, ABANDONED)
SHORT_TERM, LONG_TERM = "short_term", "long_term"
HORIZONS = (SHORT_TERM, LONG_TERM)
PRIVATE, MANAGER_CHAIN, TENANT = "private", "manager_chain", "tenant"
VISIBILITIES = (PRIVATE, MANAGER_CHAIN, TENANT)
NUMERIC, BINARY = "numeric", "binary"
MEASURE_KINDS = (NUMERIC, BINARY)
GOAL, MILESTONE = "goal", "milestone"
KINDS = (GOAL, MILESTONE)
OBSTACLE_STATUSES = ("open", "mitigated", "occurred", "resolved")
MILESTONE_COMPLETED = "milestone_completed"


def _one_of(column: str, values: tuple[str, ...]) -> sa.CheckConstraint:
    listed = ", ".join(f"'{v}'" for v in values)
    return sa.CheckConstraint(f"{column} IN ({listed})", name=column)


class GoalTemplate(IdMixin, TenantScoped, TimestampMixin, Base):
    """A goal HR admins define once and assign to many people (each gets their own goal)."""

    __tablename__ = "goal_templates"
    __extra_table_args__ = (
        tenant_fk("created_by_id", "users"),
        _one_of("measure_kind", MEASURE_KINDS),
        _one_of("horizon", HORIZONS),
        _one_of("visibility", VISIBILITIES),
        sa.CheckConstraint("default_duration_days BETWEEN 1 AND 3650", name="duration"),
        sa.CheckConstraint(
            "measure_kind <> 'numeric' OR (target_value IS NOT NULL AND start_value IS NOT NULL "
            "AND target_value <> start_value)",
            name="numeric_target",
        ),
    )

    title: Mapped[str] = mapped_column(sa.String(200))
    what: Mapped[str] = mapped_column(sa.Text, default="")
    why: Mapped[str] = mapped_column(sa.Text, default="")
    how: Mapped[str] = mapped_column(sa.Text, default="")
    relevance_note: Mapped[str] = mapped_column(sa.Text, default="")
    measure_kind: Mapped[str] = mapped_column(sa.String(16), default=NUMERIC)
    metric_name: Mapped[str | None] = mapped_column(sa.String(120), default=None)
    unit: Mapped[str | None] = mapped_column(sa.String(40), default=None)
    start_value: Mapped[float | None] = mapped_column(sa.Float, default=None)
    target_value: Mapped[float | None] = mapped_column(sa.Float, default=None)
    default_duration_days: Mapped[int] = mapped_column(default=90)
    horizon: Mapped[str] = mapped_column(sa.String(16), default=SHORT_TERM)
    visibility: Mapped[str] = mapped_column(sa.String(16), default=MANAGER_CHAIN)
    tags: Mapped[list[Any]] = mapped_column(default=list)
    # [{"title": str, "offset_days": int}]: due this many days after the goal starts.
    milestones: Mapped[list[Any]] = mapped_column(default=list)
    is_active: Mapped[bool] = mapped_column(default=True)
    created_by_id: Mapped[uuid.UUID | None] = mapped_column(default=None)


class Goal(IdMixin, TenantScoped, TimestampMixin, Base):
    """A goal or a milestone. `parent_id` aligns it to the goal it supports (any owner's), which
    makes the goal trees; `progress` is stored and kept current by `tree.recompute_upwards`."""

    __tablename__ = "goals"
    __extra_table_args__ = (
        tenant_fk("owner_id", "users"),
        tenant_fk("parent_id", "goals"),
        tenant_fk("team_id", "teams"),
        tenant_fk("template_id", "goal_templates"),
        sa.Index("ix_goals_tenant_owner", "tenant_id", "owner_id"),
        sa.Index("ix_goals_tenant_parent", "tenant_id", "parent_id"),
        _one_of("status", STATUSES),
        _one_of("horizon", HORIZONS),
        _one_of("visibility", VISIBILITIES),
        _one_of("measure_kind", MEASURE_KINDS),
        _one_of("kind", KINDS),
        sa.CheckConstraint("parent_id IS NULL OR parent_id <> id", name="not_own_parent"),
        sa.CheckConstraint("due_date IS NULL OR due_date >= start_date", name="dates_in_order"),
        sa.CheckConstraint("weight > 0", name="weight_positive"),
        sa.CheckConstraint("progress >= 0 AND progress <= 1", name="progress_range"),
        sa.CheckConstraint(
            "measure_kind <> 'numeric' OR (target_value IS NOT NULL AND start_value IS NOT NULL "
            "AND current_value IS NOT NULL AND target_value <> start_value)",
            name="numeric_target",
        ),
    )

    owner_id: Mapped[uuid.UUID]
    parent_id: Mapped[uuid.UUID | None] = mapped_column(default=None)
    team_id: Mapped[uuid.UUID | None] = mapped_column(default=None)
    template_id: Mapped[uuid.UUID | None] = mapped_column(default=None)
    kind: Mapped[str] = mapped_column(sa.String(16), default=GOAL)
    title: Mapped[str] = mapped_column(sa.String(200))
    what: Mapped[str] = mapped_column(sa.Text, default="")
    why: Mapped[str] = mapped_column(sa.Text, default="")
    how: Mapped[str] = mapped_column(sa.Text, default="")
    relevance_note: Mapped[str] = mapped_column(sa.Text, default="")
    measure_kind: Mapped[str] = mapped_column(sa.String(16), default=NUMERIC)
    metric_name: Mapped[str | None] = mapped_column(sa.String(120), default=None)
    unit: Mapped[str | None] = mapped_column(sa.String(40), default=None)
    start_value: Mapped[float | None] = mapped_column(sa.Float, default=None)
    target_value: Mapped[float | None] = mapped_column(sa.Float, default=None)
    current_value: Mapped[float | None] = mapped_column(sa.Float, default=None)
    done: Mapped[bool] = mapped_column(default=False)
    start_date: Mapped[date] = mapped_column(sa.Date)
    due_date: Mapped[date | None] = mapped_column(sa.Date, default=None)
    horizon: Mapped[str] = mapped_column(sa.String(16), default=SHORT_TERM)
    weight: Mapped[float] = mapped_column(sa.Float, default=1.0)
    visibility: Mapped[str] = mapped_column(sa.String(16), default=MANAGER_CHAIN)
    tags: Mapped[list[Any]] = mapped_column(default=list)
    status: Mapped[str] = mapped_column(sa.String(16), default=DRAFT)
    progress: Mapped[float] = mapped_column(sa.Float, default=0.0)
    smart: Mapped[dict[str, Any]] = mapped_column(default=dict)
    completed_at: Mapped[datetime | None] = mapped_column(default=None)
    archived_at: Mapped[datetime | None] = mapped_column(default=None)


class GoalTask(IdMixin, TenantScoped, TimestampMixin, Base):
    """One step of a goal's action plan, placed in an Eisenhower quadrant by urgent/important."""

    __tablename__ = "goal_tasks"
    __extra_table_args__ = (
        tenant_fk("goal_id", "goals", ondelete="CASCADE"),
        sa.Index("ix_goal_tasks_tenant_goal", "tenant_id", "goal_id"),
        sa.CheckConstraint("estimate_hours IS NULL OR estimate_hours >= 0", name="estimate"),
    )

    goal_id: Mapped[uuid.UUID]
    title: Mapped[str] = mapped_column(sa.String(200))
    due_date: Mapped[date | None] = mapped_column(sa.Date, default=None)
    estimate_hours: Mapped[float | None] = mapped_column(sa.Float, default=None)
    urgent: Mapped[bool] = mapped_column(default=False)
    important: Mapped[bool] = mapped_column(default=True)
    done: Mapped[bool] = mapped_column(default=False)
    done_at: Mapped[datetime | None] = mapped_column(default=None)


class GoalObstacle(IdMixin, TenantScoped, TimestampMixin, Base):
    """What could block a goal, and the plan if it does."""

    __tablename__ = "goal_obstacles"
    __extra_table_args__ = (
        tenant_fk("goal_id", "goals", ondelete="CASCADE"),
        sa.Index("ix_goal_obstacles_tenant_goal", "tenant_id", "goal_id"),
        _one_of("status", OBSTACLE_STATUSES),
    )

    goal_id: Mapped[uuid.UUID]
    description: Mapped[str] = mapped_column(sa.Text)
    contingency: Mapped[str] = mapped_column(sa.Text, default="")
    status: Mapped[str] = mapped_column(sa.String(16), default="open")


class CheckIn(IdMixin, TenantScoped, Base):
    """A progress report: the new value (or done), a confidence and a note; never edited."""

    __tablename__ = "goal_checkins"
    __extra_table_args__ = (
        tenant_fk("goal_id", "goals", ondelete="CASCADE"),
        tenant_fk("author_id", "users"),
        sa.Index("ix_goal_checkins_tenant_goal_at", "tenant_id", "goal_id", "at"),
        sa.CheckConstraint("confidence BETWEEN 1 AND 5", name="confidence"),
        sa.CheckConstraint("progress >= 0 AND progress <= 1", name="progress_range"),
    )

    goal_id: Mapped[uuid.UUID]
    author_id: Mapped[uuid.UUID]
    at: Mapped[datetime] = mapped_column(default=utcnow)
    value: Mapped[float | None] = mapped_column(sa.Float, default=None)
    done: Mapped[bool | None] = mapped_column(default=None)
    confidence: Mapped[int] = mapped_column(sa.SmallInteger)
    note: Mapped[str] = mapped_column(sa.Text, default="")
    # The goal's progress right after this check-in: the points of its progress line.
    progress: Mapped[float] = mapped_column(sa.Float, default=0.0)


class Celebration(IdMixin, TenantScoped, Base):
    """A milestone was completed: the owner's manager chain (and later mentors) see it."""

    __tablename__ = "goal_celebrations"
    __extra_table_args__ = (
        tenant_fk("goal_id", "goals", ondelete="CASCADE"),
        tenant_fk("owner_id", "users"),
        sa.Index("ix_goal_celebrations_tenant_owner_at", "tenant_id", "owner_id", "at"),
        _one_of("kind", (MILESTONE_COMPLETED,)),
    )

    goal_id: Mapped[uuid.UUID]
    owner_id: Mapped[uuid.UUID]
    kind: Mapped[str] = mapped_column(sa.String(32), default=MILESTONE_COMPLETED)
    title: Mapped[str] = mapped_column(sa.String(200))
    at: Mapped[datetime] = mapped_column(default=utcnow)
