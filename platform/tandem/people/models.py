"""Tenants, people, teams, API tokens and stored import files."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from ..core.auth import EMPLOYEE, HR_ADMIN
from ..core.db import Base, IdMixin, TimestampMixin, utcnow
from ..core.tenancy import TenantScoped, tenant_fk

DEFAULT_TENANT_SETTINGS: dict[str, Any] = {"allow_multiple_roots": False}


class Tenant(IdMixin, Base):
    """An organisation. Not tenant-scoped itself: sign-in looks it up by slug."""

    __tablename__ = "tenants"

    slug: Mapped[str] = mapped_column(sa.String(63), unique=True)
    name: Mapped[str] = mapped_column(sa.String(200))
    settings: Mapped[dict[str, Any]] = mapped_column(default=dict)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    def setting(self, key: str) -> Any:
        return {**DEFAULT_TENANT_SETTINGS, **(self.settings or {})}.get(key)


class Team(IdMixin, TenantScoped, TimestampMixin, Base):
    __tablename__ = "teams"
    __extra_table_args__ = (sa.UniqueConstraint("tenant_id", "name"),)

    name: Mapped[str] = mapped_column(sa.String(120))
    description: Mapped[str] = mapped_column(sa.Text, default="")


class User(IdMixin, TenantScoped, TimestampMixin, Base):
    """A person in an organisation. A manager is simply someone with reports."""

    __tablename__ = "users"
    __extra_table_args__ = (
        sa.UniqueConstraint("tenant_id", "email"),
        tenant_fk("manager_id", "users"),
        tenant_fk("team_id", "teams"),
        sa.Index("ix_users_tenant_manager", "tenant_id", "manager_id"),
        sa.CheckConstraint(f"role IN ('{EMPLOYEE}', '{HR_ADMIN}')", name="role"),
        sa.CheckConstraint("manager_id IS NULL OR manager_id <> id", name="not_own_manager"),
    )

    email: Mapped[str] = mapped_column(sa.String(254))
    name: Mapped[str] = mapped_column(sa.String(200))
    title: Mapped[str] = mapped_column(sa.String(200), default="")
    team_id: Mapped[uuid.UUID | None] = mapped_column(default=None)
    manager_id: Mapped[uuid.UUID | None] = mapped_column(default=None)
    role: Mapped[str] = mapped_column(sa.String(16), default=EMPLOYEE)
    is_active: Mapped[bool] = mapped_column(default=True)
    password_hash: Mapped[str | None] = mapped_column(sa.String(200), default=None)
    # Changing it signs the person out everywhere (password change, deactivation).
    session_nonce: Mapped[str] = mapped_column(sa.String(32), default=lambda: uuid.uuid4().hex[:16])
    last_login_at: Mapped[datetime | None] = mapped_column(default=None)
    deactivated_at: Mapped[datetime | None] = mapped_column(default=None)

    # --- what Flask-Login and core.auth need -------------------------------------------------
    is_authenticated = True
    is_anonymous = False

    def get_id(self) -> str:
        # A session names its tenant: the loader binds it before it reads the user.
        return f"{self.tenant_id}:{self.id}:{self.session_nonce}"

    @property
    def is_hr_admin(self) -> bool:
        return self.role == HR_ADMIN

    def __repr__(self) -> str:
        return f"<User {self.id}>"


class ApiToken(IdMixin, TenantScoped, Base):
    """A Bearer token: only its SHA-256 digest is stored; the token is shown once."""

    __tablename__ = "api_tokens"
    __extra_table_args__ = (tenant_fk("user_id", "users"),)

    user_id: Mapped[uuid.UUID] = mapped_column(index=True)
    name: Mapped[str] = mapped_column(sa.String(100))
    token_digest: Mapped[str] = mapped_column(sa.String(64), unique=True)
    prefix: Mapped[str] = mapped_column(sa.String(12))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_used_at: Mapped[datetime | None] = mapped_column(default=None)
    expires_at: Mapped[datetime | None] = mapped_column(default=None)
    revoked_at: Mapped[datetime | None] = mapped_column(default=None)

    @property
    def is_usable(self) -> bool:
        now = utcnow()
        return self.revoked_at is None and (self.expires_at is None or self.expires_at > now)


class ImportBatch(IdMixin, TenantScoped, Base):
    """An uploaded people CSV, kept so a background import job gets it by id."""

    __tablename__ = "import_batches"
    __extra_table_args__ = (tenant_fk("created_by_id", "users"),)

    filename: Mapped[str] = mapped_column(sa.String(255))
    content: Mapped[str] = mapped_column(sa.Text)
    options: Mapped[dict[str, Any]] = mapped_column(default=dict)
    created_by_id: Mapped[uuid.UUID | None] = mapped_column(default=None)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    report: Mapped[dict[str, Any] | None] = mapped_column(default=None)
