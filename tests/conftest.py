"""Fixtures every suite shares: where the real PostgreSQL and Redis are, and fresh databases."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path

import prometheus_client  # noqa: F401  (see below)
import pytest

# prometheus_client picks its value store once, when first imported: with
# PROMETHEUS_MULTIPROC_DIR set (as some chart tests set it while loading gunicorn.conf.py) the
# whole test process would switch to multiprocess files. Import it first, with the variable unset.

REPO = Path(__file__).resolve().parents[1]


def _plain(url: str) -> str:
    return url.replace("postgresql+psycopg://", "postgresql://")


def _with_database(url: str, name: str) -> str:
    base = _plain(url).rsplit("/", 1)[0]
    return f"postgresql+psycopg://{base.split('://', 1)[1]}/{name}"


@pytest.fixture(scope="session")
def pg_admin_url() -> str:
    """A server where we may create databases (scripts/ensure-services.sh finds one)."""
    return os.environ.get("TEST_DATABASE_URL", "postgresql://postgres@127.0.0.1:5432/postgres")


@pytest.fixture(scope="session")
def redis_url() -> str:
    return os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/15")


@pytest.fixture(scope="session")
def fresh_database(pg_admin_url: str) -> Iterator[object]:
    """`fresh_database(label)` -> the URL of a new empty database, dropped after the session."""
    import psycopg

    made: list[str] = []

    def make(label: str) -> str:
        name = f"tandem_{label}_{os.getpid()}_{uuid.uuid4().hex[:6]}"
        with psycopg.connect(_plain(pg_admin_url), autocommit=True) as conn:
            conn.execute(f'CREATE DATABASE "{name}"')
        made.append(name)
        return _with_database(pg_admin_url, name)

    yield make
    with psycopg.connect(_plain(pg_admin_url), autocommit=True) as conn:
        for name in made:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


# An ordinary role (not a superuser, not the tables' owner, no BYPASSRLS) for the app under test,
# so PostgreSQL's row-level security applies to it as it does in production.
APP_ROLE, APP_ROLE_PASSWORD = "tandem_app", "tandem_app"


@pytest.fixture(scope="session")
def as_app_role(pg_admin_url: str) -> object:
    """`as_app_role(url, grant=True)` -> the same migrated database reached as the app's ordinary
    role, after granting it what `tandem grant-app-role` grants (and TRUNCATE, for clean-ups)."""
    import psycopg
    from sqlalchemy.engine import make_url

    with psycopg.connect(_plain(pg_admin_url), autocommit=True) as conn:
        # Roles belong to the whole server, and parallel test runs may race to make it.
        conn.execute(
            "DO $$ BEGIN"
            f" CREATE ROLE {APP_ROLE} LOGIN NOSUPERUSER NOBYPASSRLS PASSWORD '{APP_ROLE_PASSWORD}';"
            " EXCEPTION WHEN duplicate_object OR unique_violation THEN NULL; END $$"
        )

    def convert(url: str, *, grant: bool = True) -> str:
        from tandem.core.row_security import grants_for

        if grant:
            with psycopg.connect(_plain(url), autocommit=True) as conn:
                for statement in grants_for(APP_ROLE):
                    conn.execute(statement)
                # Beyond production's grants: committed tests empty the tables between them.
                conn.execute(f"GRANT TRUNCATE ON ALL TABLES IN SCHEMA public TO {APP_ROLE}")
        app_url = make_url(url).set(username=APP_ROLE, password=APP_ROLE_PASSWORD)
        return app_url.render_as_string(hide_password=False)

    return convert


@pytest.fixture(scope="session")
def migrate() -> object:
    """`migrate(url, revision="head", down=False)`: run Alembic on a database."""
    return run_migrations


def run_migrations(database_url: str, revision: str = "head", *, down: bool = False) -> None:
    from alembic import command
    from alembic.config import Config

    config = Config(str(REPO / "migrations" / "alembic.ini"))
    config.attributes["database_url"] = database_url
    config.attributes["configure_logger"] = False
    if down:
        command.downgrade(config, revision)
    else:
        command.upgrade(config, revision)


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Browser tests run last: they are the slowest, so anything quicker fails first."""
    items.sort(key=lambda item: "tests/browser/" in str(item.path).replace("\\", "/"))
