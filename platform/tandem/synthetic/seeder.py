"""Seeding one synthetic tenant: checks, the tenant row, then every domain in order, in one transaction."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date

import sqlalchemy as sa

from ..core import tenancy
from ..core.db import db
from ..core.security import hash_password
from ..people.accounts import tenant_by_slug
from ..people.models import Tenant, User
from .feedback import write_feedback
from .goals import write_goals
from .learning import write_learning
from .mentoring import write_mentoring
from .people import build_org, write_people
from .randomness import Clock, Stream
from .skills import write_profiles, write_skills


class AlreadySeeded(ValueError):
    """The organisation has people: seeding would mix synthetic people into real ones."""


@dataclass
class Seeded:
    tenant_id: uuid.UUID
    created_tenant: bool
    hr_admin_email: str
    root_email: str
    counts: dict[str, int]


def seed_tenant(slug: str, name: str, employees: int, seed: int, today: date, password: str) -> Seeded:
    """Write a synthetic organisation of `employees` people into tenant `slug` (created when
    missing). Flushes, never commits: the caller commits once, so it is all or nothing."""
    clock = Clock(today)
    tenant = tenant_by_slug(slug)
    created = tenant is None
    if tenant is None:
        tenant = Tenant(
            id=Stream(seed, slug, "tenant").uuid(),
            slug=slug,
            name=name,
            settings={},
            created_at=clock.ago(3 * 365 + 200),
        )
        db.session.add(tenant)
        db.session.flush()
    with tenancy.tenant_scope(tenant.id):
        people = db.session.scalar(sa.select(sa.func.count()).select_from(User))
        if people:
            raise AlreadySeeded(f"organisation {slug!r} already has {people} people; seed a new slug")
        # One hash for everyone: they share the password, and argon2 is slow on purpose.
        password_hash = hash_password(password)
        tenant_id = tenant.id
        org = build_org(employees, f"{slug}.example.com", clock, Stream(seed, slug, "people"))
        counts = write_people(org, tenant_id, password_hash, clock, Stream(seed, slug, "users"))
        book, skill_counts = write_skills(tenant_id, clock, Stream(seed, slug, "skills"))
        counts |= skill_counts
        counts |= write_profiles(org, book, tenant_id, clock, Stream(seed, slug, "profiles"))
        goals, goal_counts = write_goals(org, book, tenant_id, clock, Stream(seed, slug, "goals"))
        counts |= goal_counts
        counts |= write_learning(org, book, goals, tenant_id, clock, Stream(seed, slug, "learning"))
        counts |= write_feedback(org, tenant_id, clock, Stream(seed, slug, "feedback"))
        counts |= write_mentoring(org, book, goals, tenant_id, clock, Stream(seed, slug, "mentoring"))
        db.session.flush()
    return Seeded(tenant_id, created, org.people[org.hr_admin].email, org.people[org.root].email, counts)
