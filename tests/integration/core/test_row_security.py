"""PostgreSQL row-level security, the second tenant wall: statements that go round the ORM's
scoping (raw SQL here) still see and write only the bound organisation's rows.

The app under test connects as an ordinary role (tests/conftest.py `as_app_role`), as in
production; a superuser would skip every policy."""

from __future__ import annotations

import uuid

import pytest
import sqlalchemy as sa

from tandem.core import tenancy
from tandem.core.db import db
from tandem.models_registry import metadata
from tandem.people.models import Team


def emails_seen() -> set[str]:
    return set(db.session.scalars(sa.text("SELECT email FROM users")))


def test_every_tenant_owned_table_has_a_forced_policy(app):
    tables = sorted(name for name, table in metadata.tables.items() if "tenant_id" in table.c)
    with app.app_context():
        rows = db.session.execute(
            sa.text(
                "SELECT c.relname, c.relrowsecurity, c.relforcerowsecurity,"
                " (SELECT count(*) FROM pg_policies p WHERE p.tablename = c.relname"
                "  AND p.policyname = 'tenant_isolation' AND p.cmd = 'ALL') AS policies"
                " FROM pg_class c WHERE c.relname = ANY(:names) AND c.relkind = 'r'"
            ),
            {"names": tables},
        ).all()
    assert len(tables) > 40
    assert {
        row.relname: (row.relrowsecurity, row.relforcerowsecurity, row.policies) for row in rows
    } == dict.fromkeys(tables, (True, True, 1))


def test_the_app_connects_as_a_role_policies_bind(app):
    with app.app_context():
        role = db.session.execute(
            sa.text("SELECT rolsuper, rolbypassrls FROM pg_roles WHERE rolname = current_user")
        ).one()
    assert (role.rolsuper, role.rolbypassrls) == (False, False)


def test_raw_sql_sees_only_the_bound_organisation(app, org, other_org):
    org.person("Ada")
    other_org.person("Grace")
    with org.scope():
        assert emails_seen() == {org.admin.email, f"ada@{org.slug}.test"}
    with other_org.scope():
        assert emails_seen() == {other_org.admin.email, f"grace@{other_org.slug}.test"}


def test_with_no_organisation_bound_raw_sql_sees_no_ones_rows(app, org):
    with app.app_context():
        assert emails_seen() == set()
        assert db.session.scalar(sa.text("SELECT count(*) FROM api_tokens")) == 0


def test_the_named_bypass_sees_every_organisation(app, org, other_org):
    with app.app_context(), tenancy.unscoped():
        assert {org.admin.email, other_org.admin.email} <= emails_seen()


def test_raw_sql_cannot_write_a_row_into_another_organisation(app, org, other_org):
    with org.scope():
        with pytest.raises(sa.exc.ProgrammingError, match="row-level security"), db.session.begin_nested():
            db.session.execute(
                sa.text(
                    "INSERT INTO teams (id, tenant_id, name, description, created_at, updated_at)"
                    " VALUES (:id, :tenant, 'Intruders', '', now(), now())"
                ),
                {"id": uuid.uuid4(), "tenant": other_org.tenant_id},
            )
        changed = db.session.execute(
            sa.text("UPDATE users SET name = 'Changed' WHERE tenant_id = :tenant"),
            {"tenant": other_org.tenant_id},
        ).rowcount
    assert changed == 0
    with other_org.scope():
        assert db.session.scalar(sa.text("SELECT name FROM users")) == "Admin"


def told(connection: sa.Connection) -> str | None:
    return connection.execute(sa.text("SELECT current_setting('app.tenant_id', true)")).scalar()


def test_the_setting_ends_with_its_transaction(app, org):
    """A pooled connection never carries one request's organisation into the next."""
    with app.app_context():
        engine = db.engine
    with engine.connect() as connection:
        with tenancy.tenant_scope(org.tenant_id):
            assert told(connection) == str(org.tenant_id)
        connection.commit()
        assert told(connection) in ("", None)
        with tenancy.tenant_scope(org.tenant_id):
            assert told(connection) == str(org.tenant_id)  # told again in the new transaction
    with engine.connect() as connection:  # the same pooled connection, given out again
        assert told(connection) in ("", None)


def test_a_rolled_back_savepoint_does_not_leave_the_wrong_organisation(app, org, other_org):
    with org.scope():
        assert org.admin.email in emails_seen()
        savepoint = db.session.begin_nested()
        with tenancy.tenant_scope(other_org.tenant_id):
            assert other_org.admin.email in emails_seen()
            savepoint.rollback()  # PostgreSQL puts the setting back to the first organisation's
            assert emails_seen() == {other_org.admin.email}


def test_bulk_insert_goes_through_the_policy(app, org, other_org):
    """COPY cannot load a table whose policy applies; the rows are staged and checked instead."""
    with org.scope():
        stamp = db.session.scalar(sa.select(sa.func.now()))
        rows = [
            {
                "id": uuid.uuid4(),
                "tenant_id": org.tenant_id,
                "name": f"Team {i}",
                "description": "",
                "created_at": stamp,
                "updated_at": stamp,
            }
            for i in range(3)
        ]
        tenancy.bulk_insert(db.session, Team, rows)
        names = set(db.session.scalars(sa.text("SELECT name FROM teams")))
    assert names == {"Team 0", "Team 1", "Team 2"}
    with other_org.scope():
        assert db.session.scalar(sa.text("SELECT count(*) FROM teams")) == 0


def analyze_count() -> int:
    db.session.execute(sa.text("SELECT pg_stat_clear_snapshot()"))
    return db.session.scalar(sa.text("SELECT analyze_count FROM pg_stat_user_tables WHERE relname = 'users'"))


def test_the_app_role_refreshes_user_statistics_through_the_owners_function(app, org):
    """The people import re-plans foreign-key checks after a bulk load with ANALYZE, which only
    the owner may run: as the app's role it would be skipped with a mere warning."""
    from tandem.people import imports

    with org.scope():
        before = analyze_count()
        imports._refresh_statistics()
        assert analyze_count() == before + 1
