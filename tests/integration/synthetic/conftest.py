"""Synthetic-tenant fixtures: apps on their own databases, seeded once per module through the CLI."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from flask import Flask

from tandem import create_app
from tandem.core import tenancy
from tandem.core.db import db
from tandem.settings import Settings
from tandem.synthetic.command import seed_synthetic

TODAY = "2026-03-02"
SEED = "5"
EMPLOYEES = 300


def make_app(url: str, instance_dir: Path) -> Flask:
    settings = Settings(database_url=url, instance_dir=instance_dir, secret_key="s" * 40, environment="test")
    return create_app(settings)


def invoke(app: Flask, *args: str) -> Any:
    return app.test_cli_runner().invoke(seed_synthetic, args=list(args))


def seed(app: Flask, slug: str, employees: int = EMPLOYEES, seed: str = SEED) -> Any:
    result = invoke(app, "--tenant", slug, "--employees", str(employees), "--seed", seed, "--today", TODAY)
    assert result.exit_code == 0, result.output + repr(result.exception)
    return result


def rows(app: Flask, sql: str, **params: Any) -> list[Any]:
    """Raw SQL across organisations: the named bypass, as the app's role sees nothing otherwise."""
    with app.app_context(), tenancy.unscoped(), db.engine.connect() as conn:
        return list(conn.execute(sa.text(sql), params))


def tenant_id(app: Flask, slug: str) -> Any:
    return rows(app, "SELECT id FROM tenants WHERE slug = :slug", slug=slug)[0][0]


@pytest.fixture(scope="module")
def pg_app(
    fresh_database: Any, migrate: Any, as_app_role: Any, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Flask]:
    """The command seeds as the app's ordinary role, as in production (row-level security applies)."""
    url = fresh_database("synthetic")
    migrate(url)
    app = make_app(as_app_role(url), tmp_path_factory.mktemp("synthetic"))
    yield app
    with app.app_context():
        db.engine.dispose()


@pytest.fixture(scope="module")
def acme(pg_app: Flask) -> dict[str, Any]:
    """A 300-person organisation `acme` seeded through the command on PostgreSQL."""
    result = seed(pg_app, "acme")
    return {"app": pg_app, "output": result.output, "tenant_id": tenant_id(pg_app, "acme")}
