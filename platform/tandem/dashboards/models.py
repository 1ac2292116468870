"""Stored dashboard snapshots: one row per organisation, manager or team, replaced by each build."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from ..core.db import Base, IdMixin
from ..core.tenancy import TenantScoped, tenant_fk

TENANT, MANAGER, TEAM = "tenant", "manager", "team"
SCOPES = (TENANT, MANAGER, TEAM)
BUILD_KIND = "dashboards.build"
BUILD_TARGET = "reports.jobs.build_dashboards"


class DashboardSnapshot(IdMixin, TenantScoped, Base):
    """A built dashboard. `subject_id` is the manager's or team's id (the organisation's own id
    for the tenant dashboard); `source` says what data it was built from."""

    __tablename__ = "dashboard_snapshots"
    __extra_table_args__ = (
        sa.UniqueConstraint("tenant_id", "scope", "subject_id"),
        tenant_fk("build_id", "job_runs"),
        sa.CheckConstraint(f"scope IN {SCOPES}", name="scope"),
    )

    scope: Mapped[str] = mapped_column(sa.String(16))
    subject_id: Mapped[uuid.UUID]
    build_id: Mapped[uuid.UUID]
    built_at: Mapped[datetime]
    source: Mapped[dict[str, Any]] = mapped_column(default=dict)
    payload: Mapped[dict[str, Any]] = mapped_column(default=dict)
