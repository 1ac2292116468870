"""Same seed and --today, same data: byte for byte in a fresh database, and alike for a second tenant
in the same database (ids differ there, as they must: they are global keys)."""

from __future__ import annotations

from collections import Counter
from typing import Any

import pytest
import sqlalchemy as sa

from tandem.core import tenancy
from tandem.core.db import Base, db

from .conftest import make_app, rows, seed, tenant_id

pytestmark = pytest.mark.committed

SMALL = 120


def _tenant_tables() -> list[sa.Table]:
    return [t for t in Base.metadata.sorted_tables if "tenant_id" in t.columns]


def _dump(app: Any, slug: str) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of the organisation (and its tenant row), all columns but password hashes, by id."""
    tid = tenant_id(app, slug)
    out = {"tenants": rows(app, "SELECT * FROM tenants WHERE id = :t", t=tid)}
    with app.app_context(), tenancy.tenant_scope(tid), db.engine.connect() as conn:
        for table in _tenant_tables():
            # argon2 salts every hash at random: the one column that may differ (it still verifies).
            columns = [c for c in table.columns if c.name != "password_hash"]
            stmt = sa.select(*columns).where(table.c.tenant_id == tid).order_by(table.c.id)
            out[table.name] = [tuple(row) for row in conn.execute(stmt)]
    return out


@pytest.fixture(scope="module")
def twin(fresh_database: Any, migrate: Any, tmp_path_factory: pytest.TempPathFactory) -> Any:
    """A second database, seeded as its owner (a superuser: COPY straight into the tables) where
    `pg_app` seeds as the app's role (COPY staged through temporary tables, row-level security)."""
    url = fresh_database("synthetic_twin")
    migrate(url)
    app = make_app(url, tmp_path_factory.mktemp("twin"))
    yield app
    with app.app_context():
        db.engine.dispose()


def test_the_same_seed_and_day_give_byte_identical_rows_in_a_fresh_database(pg_app, twin):
    seed(pg_app, "twin", SMALL)
    seed(twin, "twin", SMALL)
    first, second = _dump(pg_app, "twin"), _dump(twin, "twin")
    assert sum(len(v) for v in first.values()) > 5000
    for table, written in first.items():
        assert written == second[table], table


def test_another_seed_gives_other_data(twin):
    seed(twin, "other-seed", SMALL, seed="6")
    a = rows(twin, "SELECT u.name FROM users u JOIN tenants t ON t.id = u.tenant_id WHERE t.slug = 'twin'")
    b = rows(
        twin, "SELECT u.name FROM users u JOIN tenants t ON t.id = u.tenant_id WHERE t.slug = 'other-seed'"
    )
    assert sorted(a) != sorted(b)


def test_two_tenants_with_one_seed_share_one_database_and_look_alike(pg_app):
    seed(pg_app, "alike-one", SMALL)
    seed(pg_app, "alike-two", SMALL)
    one, two = tenant_id(pg_app, "alike-one"), tenant_id(pg_app, "alike-two")
    for table in _tenant_tables():
        counts = Counter(
            t
            for (t,) in rows(
                pg_app, f"SELECT tenant_id FROM {table.name} WHERE tenant_id IN (:a, :b)", a=one, b=two
            )
        )
        assert counts[one] == counts[two], table.name
    sql = "SELECT title, status, progress, start_date, due_date FROM goals WHERE tenant_id = :t"
    assert sorted(rows(pg_app, sql, t=one)) == sorted(rows(pg_app, sql, t=two))
    sql = "SELECT coalesce(value, -1), progress, at FROM goal_checkins WHERE tenant_id = :t"
    assert sorted(rows(pg_app, sql, t=one)) == sorted(rows(pg_app, sql, t=two))
