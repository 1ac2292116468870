"""Migrations are the only way the schema changes: one head, a clean round trip, no drift."""

from __future__ import annotations

from pathlib import Path

import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory

from tandem.models_registry import metadata

REPO = Path(__file__).resolve().parents[3]


def _drift(url: str) -> list:
    engine = sa.create_engine(url, poolclass=sa.pool.NullPool)
    with engine.connect() as conn:
        context = MigrationContext.configure(conn, opts={"compare_type": True})
        return compare_metadata(context, metadata)


def test_there_is_exactly_one_head():
    script = ScriptDirectory.from_config(Config(str(REPO / "migrations" / "alembic.ini")))
    assert len(script.get_heads()) == 1


def test_upgrade_downgrade_upgrade_on_postgresql_without_drift(fresh_database, migrate):
    url = fresh_database("migrations")
    migrate(url)
    assert _drift(url) == []
    migrate(url, "base", down=True)
    engine = sa.create_engine(url, poolclass=sa.pool.NullPool)
    with engine.connect() as conn:
        assert set(sa.inspect(conn).get_table_names()) <= {"alembic_version"}
    migrate(url)
    assert _drift(url) == []


def test_sqlite_schema_matches_the_models_too(tmp_path, migrate):
    url = f"sqlite:///{tmp_path / 'drift.db'}"
    migrate(url)
    assert _drift(url) == []
