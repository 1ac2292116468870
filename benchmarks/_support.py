"""Shared benchmark plumbing: a throwaway PostgreSQL database with Tandem's schema (or one already
seeded), the synthetic organisation, the app's own request timing, and figures."""

from __future__ import annotations

import logging
import os
import time
import uuid
from collections.abc import Iterator
from contextlib import AbstractContextManager, contextmanager, nullcontext
from pathlib import Path
from typing import Any

import psycopg
import sqlalchemy as sa

REPO = Path(__file__).resolve().parents[1]
ADMIN_URL = os.environ.get("TEST_DATABASE_URL", "postgresql://postgres@127.0.0.1:5432/postgres")
SEED = 7  # the synthetic organisation's seed; a reused database (e.g. tandem_synth20k) was seeded with it


def load_average() -> str:
    try:
        return "load average " + ", ".join(Path("/proc/loadavg").read_text().split()[:3])
    except OSError:
        return "load average unknown"


def pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


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


APP_ROLE = "tandem_app"  # the test suite's role too (tests/conftest.py)


def app_role_url(url: str) -> str:
    """The same database as the app's ordinary role, as production connects (docs/deploy.md):
    not a superuser, not the owner, so row-level security is in every figure. Makes the role if
    missing and grants it what `tandem grant-app-role` grants."""
    from sqlalchemy.engine import make_url

    from tandem.core.row_security import grants_for

    admin = ADMIN_URL.replace("postgresql+psycopg://", "postgresql://")
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(
            f"DO $$ BEGIN CREATE ROLE {APP_ROLE} LOGIN PASSWORD '{APP_ROLE}';"
            " EXCEPTION WHEN duplicate_object OR unique_violation THEN NULL; END $$"
        )
    with psycopg.connect(url.replace("postgresql+psycopg://", "postgresql://"), autocommit=True) as conn:
        for statement in grants_for(APP_ROLE):
            conn.execute(statement)
    return make_url(url).set(username=APP_ROLE, password=APP_ROLE).render_as_string(hide_password=False)


def analyze(url: str) -> None:
    """ANALYZE as the owner (the app's role may not), as autovacuum would soon after a bulk load:
    without statistics PostgreSQL plans as if every table had one row."""
    with psycopg.connect(url.replace("postgresql+psycopg://", "postgresql://"), autocommit=True) as conn:
        conn.execute("ANALYZE")


def bench_app(url: str, instance_dir: Path):  # type: ignore[no-untyped-def]
    """The app on the database at `url` (its owner's URL), connected as the app's ordinary role."""
    from tandem import create_app
    from tandem.settings import Settings

    settings = Settings(
        database_url=app_role_url(url), instance_dir=instance_dir, secret_key="b" * 40, environment="test"
    )
    return create_app(settings)


def psycopg_url(url: str) -> str:
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix) :]
    return url


def reused_or_scratch(url: str | None, label: str) -> AbstractContextManager[str]:
    """The database at `url` as it is (nothing seeded or dropped), or else a scratch one."""
    return nullcontext(psycopg_url(url)) if url else scratch_database(label)


def seed_synthetic(app: Any, slug: str, employees: int) -> float:
    """`tandem seed-synthetic` (seed SEED) in the app; the seconds it took."""
    from tandem.synthetic.command import seed_synthetic as command

    started = time.perf_counter()
    result = app.test_cli_runner().invoke(
        command, ["--tenant", slug, "--employees", str(employees), "--seed", str(SEED)]
    )
    if result.exit_code != 0:
        raise SystemExit(f"seed-synthetic failed ({result.exit_code}): {result.output}{result.exception!r}")
    return time.perf_counter() - started


class RequestLog(logging.Handler):
    """The app's own timing of each request (tandem.access: before_request to after_request)."""

    def __init__(self) -> None:
        super().__init__(logging.INFO)
        self.durations: list[float] = []

    def emit(self, record: logging.LogRecord) -> None:
        duration = getattr(record, "duration_ms", None)
        if duration is not None:
            self.durations.append(float(duration))


@contextmanager
def request_log() -> Iterator[RequestLog]:
    """Collects the server time of every request made meanwhile (kept out of the other handlers)."""
    log = RequestLog()
    access = logging.getLogger("tandem.access")
    level, propagate = access.level, access.propagate
    access.addHandler(log)
    access.setLevel(logging.INFO)
    access.propagate = False
    try:
        yield log
    finally:
        access.removeHandler(log)
        access.setLevel(level)
        access.propagate = propagate


def timed_get(client: Any, engine: sa.Engine, url: str, **kw: Any) -> tuple[Any, float, int]:
    """GET `url`: the response, the client-side milliseconds and the SQL statements it sent."""
    with counting_statements(engine) as statements:
        started = time.perf_counter()
        response = client.get(url, **kw)
        elapsed = (time.perf_counter() - started) * 1000
    return response, elapsed, len(statements)
