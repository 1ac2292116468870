"""The demo organisation `demo`: created once, with realistic data from every domain."""

from __future__ import annotations

import uuid
from datetime import timedelta

import sqlalchemy as sa

from .core import tenancy
from .core.db import db, utcnow
from .core.security import hash_password
from .dashboards.services import submit_build
from .feedback.demo_data import seed_feedback
from .goals.demo_data import seed_goals
from .learning.demo_data import seed_learning
from .mentoring.demo_data import seed_mentoring
from .people.accounts import create_tenant, tenant_by_slug
from .people.demo_data import DEMO_DOMAIN, DEMO_LOGINS, demo_csv
from .people.importer import ImportOptions
from .people.imports import import_people
from .people.models import User

DEMO_SLUG = "demo"
DEMO_PASSWORD = "tandem-demo-2026"


def seed() -> bool:
    """Create the demo organisation unless it exists; returns whether it was created."""
    if tenant_by_slug(DEMO_SLUG) is not None:
        return False
    tenant, _admin = create_tenant(
        DEMO_SLUG, "Demo Company", f"harper.hughes@{DEMO_DOMAIN}", DEMO_PASSWORD, admin_name="Harper Hughes"
    )
    with tenancy.tenant_scope(tenant.id):
        report = import_people(None, demo_csv(), ImportOptions(), dry_run=False, filename="demo.csv")
        if not report["applied"]:
            raise RuntimeError(f"demo people did not import: {report['problems']}")
        # One hash for everyone: they share the demo password, and argon2 is slow on purpose.
        shared_hash = hash_password(DEMO_PASSWORD)
        db.session.execute(
            sa.update(User.__table__)
            .where(User.__table__.c.tenant_id == tenant.id)
            .values(password_hash=shared_hash)
        )
        _spread_joining_dates(tenant.id)
        db.session.flush()
        seed_goals()
        seed_learning()
        seed_feedback()
        seed_mentoring()
        # Dashboards are built once the seed commits (inline: the demo has no worker).
        submit_build()
    return True


def _spread_joining_dates(tenant_id: uuid.UUID) -> None:
    """People joined over the last few years (two of them this month), as in a real company:
    dashboards count new joiners and draw headcount over time from these dates."""
    table = User.__table__
    ids = db.session.scalars(sa.select(User.id).order_by(User.email)).all()
    now = utcnow()
    for i, person_id in enumerate(ids):
        days = 9 + 12 * i if i < 2 else 90 + (i * 53) % 1000
        db.session.execute(
            sa.update(table)
            .where(table.c.tenant_id == tenant_id, table.c.id == person_id)
            .values(created_at=now - timedelta(days=days))
        )


def demo_logins() -> list[tuple[str, str]]:
    return list(DEMO_LOGINS)
