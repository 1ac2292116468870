"""Shared benchmark plumbing: a throwaway PostgreSQL database with Tandem's schema."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import psycopg
import sqlalchemy as sa

REPO = Path(__file__).resolve().parents[1]
ADMIN_URL = os.environ.get("TEST_DATABASE_URL", "postgresql://postgres@127.0.0.1:5432/postgres")


@contextmanager
def scratch_database(label: str) -> Iterator[str]:
    """A new migrated PostgreSQL database, dropped afterwards."""
    from alembic import command
    from alembic.config import Config

    plain = ADMIN_URL.replace("postgresql+psycopg://", "postgresql://")
    name = f"tandem_bench_{label}_{uuid.uuid4().hex[:6]}"
    with psycopg.connect(plain, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    url = "postgresql+psycopg://" + plain.split("://", 1)[1].rsplit("/", 1)[0] + f"/{name}"
    try:
        config = Config(str(REPO / "migrations" / "alembic.ini"))
        config.attributes.update(database_url=url, configure_logger=False)
        command.upgrade(config, "head")
        yield url
    finally:
        with psycopg.connect(plain, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@contextmanager
def counting_statements(engine: sa.Engine) -> Iterator[list[str]]:
    statements: list[str] = []

    def listener(conn, cursor, statement, *args):  # type: ignore[no-untyped-def]
        statements.append(statement)

    sa.event.listen(engine, "before_cursor_execute", listener)
    try:
        yield statements
    finally:
        sa.event.remove(engine, "before_cursor_execute", listener)


def bench_app(url: str, instance_dir: Path):  # type: ignore[no-untyped-def]
    from tandem import create_app
    from tandem.settings import Settings

    settings = Settings(database_url=url, instance_dir=instance_dir, secret_key="b" * 40, environment="test")
    return create_app(settings)
