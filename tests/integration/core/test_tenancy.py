"""The tenancy mechanism itself: scoped reads, refused cross-tenant writes, composite keys."""

from __future__ import annotations

import uuid

import pytest
import sqlalchemy as sa

from tandem.core import tenancy
from tandem.core.db import db
from tandem.core.pagination import page_of
from tandem.people.models import Team, User


def test_reads_only_see_the_bound_tenant(org, other_org):
    org.person("Ada")
    other_org.person("Grace")
    with org.scope():
        emails = set(db.session.scalars(sa.select(User.email)))
    assert emails == {org.admin.email, f"ada@{org.slug}.test"}


def test_get_by_id_of_another_tenant_finds_nothing(org, other_org):
    with org.scope():
        assert db.session.get(User, other_org.admin.id) is None


def test_counts_and_subqueries_are_scoped_too(org, other_org):
    other_org.person("Grace")
    other_org.person("Linus")
    with org.scope():
        page = page_of(sa.select(User).order_by(User.id), {"page": 1, "per_page": 10})
        joined = db.session.scalar(
            sa.select(sa.func.count()).select_from(User).join(Team, Team.id == User.team_id, isouter=True)
        )
    assert page["total"] == 1 and len(page["items"]) == 1
    assert joined == 1


def test_a_query_without_a_tenant_raises(app, org):
    with app.app_context(), pytest.raises(tenancy.TenantNotBound):
        db.session.scalars(sa.select(User)).all()


def test_unscoped_is_the_named_bypass(app, org, other_org):
    with app.app_context(), tenancy.unscoped():
        ids = set(db.session.scalars(sa.select(User.id)))
    assert {org.admin.id, other_org.admin.id} <= ids


def test_adding_a_row_for_another_tenant_is_refused(org, other_org):
    with org.scope():
        db.session.add(User(tenant_id=other_org.tenant_id, email="x@x.test", name="X"))
        with pytest.raises(tenancy.CrossTenantWrite):
            db.session.flush()
        db.session.rollback()


def test_new_rows_get_the_bound_tenant(org):
    with org.scope():
        team = Team(name="Platform")
        db.session.add(team)
        db.session.flush()
        assert team.tenant_id == org.tenant_id


def test_changing_a_loaded_row_of_another_tenant_is_refused(app, org, other_org):
    with app.app_context():
        with tenancy.unscoped():
            foreign = db.session.get(User, other_org.admin.id)
        with tenancy.tenant_scope(org.tenant_id):
            foreign.name = "Hijacked"
            with pytest.raises(tenancy.CrossTenantWrite):
                db.session.flush()
        db.session.rollback()


def test_bulk_insert_must_carry_the_bound_tenant(org, other_org):
    with org.scope(), pytest.raises(tenancy.CrossTenantWrite):
        db.session.execute(
            sa.insert(Team),
            [{"id": uuid.uuid4(), "tenant_id": other_org.tenant_id, "name": "Sneaky", "description": ""}],
        )


def test_orm_update_and_delete_statements_are_scoped(org, other_org):
    with org.scope():
        db.session.execute(sa.update(User).values(title="Renamed"))
        db.session.execute(sa.delete(Team))
    with other_org.scope():
        assert db.session.scalar(sa.select(User.title).where(User.id == other_org.admin.id)) != "Renamed"


def test_composite_foreign_key_stops_a_manager_from_another_tenant(app, org, other_org):
    """Even code that bypasses the ORM and the row-level policies cannot point a row at another
    tenant's row."""
    with app.app_context(), tenancy.unscoped():
        with pytest.raises(sa.exc.IntegrityError):
            db.session.execute(
                sa.update(User.__table__)
                .where(User.__table__.c.id == org.admin.id)
                .values(manager_id=other_org.admin.id)
            )
        db.session.rollback()
