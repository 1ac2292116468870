"""Accounts: creating tenants, signing in, loading the principal of a session or token, tokens."""

from __future__ import annotations

import re
import uuid
from datetime import timedelta

import sqlalchemy as sa

from ..core import audit, tenancy
from ..core.auth import HR_ADMIN
from ..core.db import db, utcnow
from ..core.errors import Conflict, Forbidden, NotFound, field_error
from ..core.security import (
    MIN_PASSWORD_LENGTH,
    TOKEN_PREFIX,
    hash_password,
    new_api_token,
    token_digest,
    verify_password,
)
from .models import ApiToken, Tenant, User

SLUG = re.compile(r"^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$")
NAME_LENGTH = 200  # tenants.name
# Writing last_used_at on every request would turn reads into writes; a minute is precise enough.
_LAST_USED_RESOLUTION = timedelta(minutes=1)


def check_password_strength(password: str, field: str = "password") -> None:
    if len(password) < MIN_PASSWORD_LENGTH:
        raise field_error(field, f"must be at least {MIN_PASSWORD_LENGTH} characters")
    if len(password) > 512:
        raise field_error(field, "must be at most 512 characters")


def tenant_by_slug(slug: str) -> Tenant | None:
    return db.session.scalar(sa.select(Tenant).where(Tenant.slug == slug.strip().lower()))


def create_tenant(
    slug: str, name: str, admin_email: str, admin_password: str, admin_name: str = "HR Admin"
) -> tuple[Tenant, User]:
    """A new organisation with its first HR admin."""
    slug = slug.strip().lower()
    if not SLUG.match(slug):
        raise field_error("slug", "use 1-63 lowercase letters, digits and hyphens")
    if not name.strip():
        raise field_error("name", "is required")
    if len(name.strip()) > NAME_LENGTH:
        raise field_error("name", f"use at most {NAME_LENGTH} characters")
    from .services import normalise_email

    email = normalise_email(admin_email, "admin_email")
    check_password_strength(admin_password, "admin_password")
    if tenant_by_slug(slug) is not None:
        raise Conflict(f"an organisation with slug {slug!r} already exists")
    tenant = Tenant(slug=slug, name=name.strip(), settings={})
    db.session.add(tenant)
    db.session.flush()
    with tenancy.tenant_scope(tenant.id):
        admin = User(
            tenant_id=tenant.id,
            email=email,
            name=admin_name,
            role=HR_ADMIN,
            password_hash=hash_password(admin_password),
        )
        db.session.add(admin)
        db.session.flush()
        audit.record("tenant.create", "tenant", tenant.id, None, {"slug": slug, "name": tenant.name})
        audit.record("person.create", "person", admin.id, None, {"email": email, "role": HR_ADMIN})
        db.session.flush()
    return tenant, admin


def authenticate(slug: str, email: str, password: str) -> User | None:
    """The active person with these credentials in this organisation, else None. Costs the same
    time whether or not the organisation or the person exists."""
    tenant = tenant_by_slug(slug)
    if tenant is None:
        verify_password(None, password)
        return None
    with tenancy.tenant_scope(tenant.id):
        user = db.session.scalar(
            sa.select(User).where(User.email == email.strip().lower(), User.is_active.is_(True))
        )
        if not verify_password(user.password_hash if user else None, password) or user is None:
            return None
        user.last_login_at = utcnow()
        db.session.flush()  # inside the tenant scope: the flush guard checks the bound tenant
        return user


def load_session_user(session_id: str) -> User | None:
    """Flask-Login's user_loader: the id names the tenant, which is bound before the read."""
    try:
        tenant_text, user_text, nonce = session_id.split(":")
        tenant_id, user_id = uuid.UUID(tenant_text), uuid.UUID(user_text)
    except ValueError:
        return None
    tenancy.bind(tenant_id)  # released at the end of the request (app teardown)
    user = db.session.get(User, user_id)
    if user is None or not user.is_active or user.session_nonce != nonce:
        return None
    return user


def load_token_user(token: str) -> User | None:
    """Flask-Login's request_loader for `Authorization: Bearer <token>`."""
    if not token.startswith(TOKEN_PREFIX) or len(token) > 200:
        return None
    with tenancy.unscoped():  # the token itself names the tenant
        record = db.session.scalar(sa.select(ApiToken).where(ApiToken.token_digest == token_digest(token)))
    if record is None or not record.is_usable:
        return None
    tenancy.bind(record.tenant_id)
    user = db.session.get(User, record.user_id)
    if user is None or not user.is_active:
        return None
    now = utcnow()
    if record.last_used_at is None or now - record.last_used_at > _LAST_USED_RESOLUTION:
        record.last_used_at = now
    return user


def create_token(
    actor: User, name: str, *, for_user_id: uuid.UUID | None = None, expires_in_days: int | None = None
) -> tuple[ApiToken, str]:
    """A new token for the actor (or, for an HR admin, for someone else). The secret is returned
    once and never stored."""
    owner_id = for_user_id or actor.id
    if owner_id != actor.id and not actor.is_hr_admin:
        raise Forbidden("Only an HR admin can create tokens for someone else")
    owner = db.session.get(User, owner_id)
    if owner is None:
        raise NotFound("No such person")
    if not owner.is_active:
        raise field_error("user_id", "this person is deactivated")
    secret = new_api_token()
    record = ApiToken(
        user_id=owner.id,
        name=name.strip() or "API token",
        token_digest=token_digest(secret),
        prefix=secret[: len(TOKEN_PREFIX) + 4],
        expires_at=utcnow() + timedelta(days=expires_in_days) if expires_in_days else None,
    )
    db.session.add(record)
    db.session.flush()
    audit.record(
        "token.create", "api_token", record.id, actor.id, {"user_id": str(owner.id), "name": record.name}
    )
    return record, secret


def tokens_visible_to(actor: User) -> sa.Select[tuple[ApiToken]]:
    stmt = sa.select(ApiToken).order_by(ApiToken.created_at.desc(), ApiToken.id)
    return stmt if actor.is_hr_admin else stmt.where(ApiToken.user_id == actor.id)


def revoke_token(actor: User, token_id: uuid.UUID) -> ApiToken:
    record = db.session.get(ApiToken, token_id)
    if record is None or (record.user_id != actor.id and not actor.is_hr_admin):
        raise NotFound("No such token")
    if record.revoked_at is None:
        record.revoked_at = utcnow()
        audit.record("token.revoke", "api_token", record.id, actor.id, {})
    return record
