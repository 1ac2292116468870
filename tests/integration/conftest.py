"""Integration fixtures: the app on a migrated PostgreSQL database, a SAVEPOINT per test that
is rolled back (or, for tests that must commit, every organisation removed after them),
organisations with people and tokens, an API client, and real `tandem worker` processes."""

from __future__ import annotations

import os
import subprocess
import sys
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from flask import Flask
from flask.testing import FlaskClient
from flask_sqlalchemy.session import _app_ctx_id
from redis import Redis
from sqlalchemy import orm

from tandem import create_app
from tandem.core import tenancy, unit_of_work
from tandem.core.db import db
from tandem.core.limiter import limiter
from tandem.settings import Settings

PASSWORD = "correct-horse-battery"
TANDEM = str(Path(sys.executable).parent / "tandem")


@pytest.fixture(scope="session")
def owner_database_url(fresh_database: Any, migrate: Any) -> str:
    """The migrated test database as its owner (a superuser here: row-level security does not
    apply), for tests that look at every organisation's rows or change the schema."""
    url = fresh_database("test")
    migrate(url)
    return url


@pytest.fixture(scope="session")
def database_url(owner_database_url: str, as_app_role: Any) -> str:
    """The test database as the app's ordinary role: what the app and its workers connect with."""
    return as_app_role(owner_database_url)  # type: ignore[no-any-return]


def make_settings(database_url: str, instance_dir: Path, **overrides: Any) -> Settings:
    return Settings(
        database_url=database_url,
        instance_dir=instance_dir,
        secret_key="test-secret-key-that-is-long-enough-for-production",
        environment="test",
        session_cookie_secure=True,
    ).with_overrides(**overrides)


@pytest.fixture(scope="session")
def settings_for(database_url: str) -> Any:
    """`settings_for(instance_dir, **overrides)`: test settings on the test database."""
    return lambda instance_dir, **overrides: make_settings(database_url, instance_dir, **overrides)


@pytest.fixture(scope="session")
def app(database_url: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Flask]:
    application = create_app(make_settings(database_url, tmp_path_factory.mktemp("instance")))
    yield application
    with application.app_context():
        db.engine.dispose()


@pytest.fixture(autouse=True)
def _cheap_password_hashing(monkeypatch: pytest.MonkeyPatch) -> None:
    """argon2id at its lowest cost: every test makes organisations whose admins have passwords,
    and at the production cost hashing was most of the suite's time. The hashes are still real
    argon2id hashes that verify (sign-in is tested against them)."""
    from argon2 import PasswordHasher

    from tandem.core import security

    monkeypatch.setattr(security, "_hasher", PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1))


@pytest.fixture(autouse=True)
def _rollback_after_test(request: pytest.FixtureRequest, app: Flask) -> Iterator[None]:
    """Each test runs in a transaction that is rolled back: commits inside only release a
    SAVEPOINT. Tests marked `committed` (a real worker must see their data) opt out."""
    limiter.reset()
    if request.node.get_closest_marker("committed"):
        yield
        _remove_every_organisation(app)
        return
    with app.app_context():
        connection = db.engine.connect()
    outer = connection.begin()
    original = db.session
    db.session = orm.scoped_session(
        orm.sessionmaker(bind=connection, join_transaction_mode="create_savepoint"),
        scopefunc=_app_ctx_id,
    )
    try:
        yield
    finally:
        # Flask-SQLAlchemy removed each app context's session at its teardown already.
        db.session = original
        outer.rollback()
        connection.close()


def _remove_every_organisation(app: Flask) -> None:
    """What a committed test made stays in the shared test database until removed: every row
    hangs off its organisation. (TRUNCATE also passes the audit log's append-only trigger.)"""
    with app.app_context(), db.engine.begin() as conn:
        conn.execute(sa.text("TRUNCATE tenants CASCADE"))


@pytest.fixture
def app_with(settings_for: Any, tmp_path: Path) -> Iterator[Callable[..., Flask]]:
    """`app_with(**settings)` -> an app of its own on the test database (with Redis, SMTP, ...);
    its connections are closed after the test."""
    made: list[Flask] = []

    def make(**overrides: Any) -> Flask:
        made.append(create_app(settings_for(tmp_path, **overrides)))
        return made[-1]

    yield make
    for application in made:
        with application.app_context():
            db.engine.dispose()


@pytest.fixture
def redis_app_settings() -> dict[str, Any]:
    """Settings `redis_app` adds to the Redis URL; a module overrides this fixture to change them."""
    return {}


@pytest.fixture
def redis_app(app_with: Any, redis_url: str, redis_app_settings: dict[str, Any]) -> Iterator[Flask]:
    """The app with its jobs on the real Redis (not inline): a worker process must run them. The
    Redis test database is emptied before and after."""
    Redis.from_url(redis_url).flushdb()
    yield app_with(redis_url=redis_url, **redis_app_settings)
    Redis.from_url(redis_url).flushdb()


@pytest.fixture
def worker_env(database_url: str, redis_url: str) -> dict[str, str]:
    """The environment of a real `tandem worker` process: the test database as the app's role,
    the Redis test database."""
    return {
        **os.environ,
        "DATABASE_URL": database_url,
        "REDIS_URL": redis_url,
        "TANDEM_ENV": "test",
        "SECRET_KEY": "x" * 40,
    }


@pytest.fixture
def run_worker(worker_env: dict[str, str]) -> Callable[..., subprocess.CompletedProcess[str]]:
    """`run_worker(*queues, **env)` -> a finished `tandem worker QUEUES --burst` (it runs what is
    queued, then stops), with `env` added to its environment."""

    def run(*queues: str, **env: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [TANDEM, "worker", *queues, "--burst"],
            env={**worker_env, **env},
            capture_output=True,
            text=True,
            timeout=180,
        )

    return run


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if "integration" in str(item.path):
            item.add_marker(pytest.mark.postgres)


@dataclass
class Person:
    id: uuid.UUID
    email: str
    token: str | None = None


@dataclass
class Org:
    """An organisation made through the real services, with an HR admin who has a token."""

    app: Flask
    slug: str
    tenant_id: uuid.UUID = field(init=False)
    admin: Person = field(init=False)

    def __post_init__(self) -> None:
        from tandem.people import accounts

        with self.app.app_context():
            tenant, admin = accounts.create_tenant(
                self.slug, self.slug.title(), f"admin@{self.slug}.test", PASSWORD, admin_name="Admin"
            )
            self.tenant_id = tenant.id
            self.admin = Person(admin.id, admin.email)
            unit_of_work.commit()
        self.admin.token = self.token_for(self.admin.id)

    @contextmanager
    def scope(self) -> Iterator[None]:
        """App context with this organisation bound; commits when the block succeeds."""
        with self.app.app_context(), tenancy.tenant_scope(self.tenant_id):
            yield
            unit_of_work.commit()

    def user(self, person_id: uuid.UUID) -> Any:
        from tandem.people.models import User

        return db.session.get(User, person_id)

    def token_for(self, person_id: uuid.UUID) -> str:
        from tandem.people import accounts

        with self.scope():
            _record, secret = accounts.create_token(self.user(person_id), "test")
        return secret

    def person(
        self,
        name: str,
        *,
        manager: Person | None = None,
        role: str = "employee",
        password: str | None = None,
        team_id: uuid.UUID | None = None,
    ) -> Person:
        from tandem.people import services

        email = f"{name.lower().replace(' ', '.')}@{self.slug}.test"
        with self.scope():
            created = services.create_person(
                self.user(self.admin.id),
                {
                    "email": email,
                    "name": name,
                    "title": "Engineer",
                    "role": role,
                    "manager_id": manager.id if manager else None,
                    "password": password,
                    "team_id": team_id,
                },
            )
            person = Person(created.id, email)
        person.token = self.token_for(person.id)
        return person


class ApiClient:
    """The test client with a Bearer token and JSON by default."""

    def __init__(self, client: FlaskClient, token: str | None) -> None:
        self.client, self.token = client, token

    def _headers(self, headers: dict[str, str] | None) -> dict[str, str]:
        base = {"Authorization": f"Bearer {self.token}"} if self.token else {}
        return {**base, **(headers or {})}

    def get(self, url: str, **kw: Any) -> Any:
        return self.client.get(url, headers=self._headers(kw.pop("headers", None)), **kw)

    def delete(self, url: str, **kw: Any) -> Any:
        return self.client.delete(url, headers=self._headers(kw.pop("headers", None)), **kw)

    def post(self, url: str, json: Any = None, **kw: Any) -> Any:
        return self.client.post(url, json=json, headers=self._headers(kw.pop("headers", None)), **kw)

    def patch(self, url: str, json: Any = None, **kw: Any) -> Any:
        return self.client.patch(url, json=json, headers=self._headers(kw.pop("headers", None)), **kw)

    def put(self, url: str, json: Any = None, **kw: Any) -> Any:
        return self.client.put(url, json=json, headers=self._headers(kw.pop("headers", None)), **kw)


@pytest.fixture
def make_org(app: Flask) -> Any:
    def make(prefix: str = "org") -> Org:
        return Org(app, f"{prefix}-{uuid.uuid4().hex[:8]}")

    return make


@pytest.fixture
def org(make_org: Any) -> Org:
    return make_org("acme")


@pytest.fixture
def other_org(make_org: Any) -> Org:
    return make_org("globex")


@pytest.fixture
def api(app: Flask) -> Any:
    """`api(person_or_token)` -> an ApiClient acting as them."""

    def make(who: Person | str | None) -> ApiClient:
        token = who.token if isinstance(who, Person) else who
        return ApiClient(app.test_client(), token)

    return make


@pytest.fixture
def count_queries(app: Flask) -> Any:
    """`with count_queries() as statements:` collects every SQL statement sent."""
    return lambda: _count_queries(app)


@pytest.fixture
def password() -> str:
    return PASSWORD


@contextmanager
def _count_queries(app: Flask) -> Iterator[list[str]]:
    # An executemany counts once: that is one round trip.
    statements: list[str] = []

    def listener(conn: Any, cursor: Any, statement: str, *args: Any) -> None:
        statements.append(statement)

    with app.app_context():
        engine = db.engine
    sa.event.listen(engine, "before_cursor_execute", listener)
    try:
        yield statements
    finally:
        sa.event.remove(engine, "before_cursor_execute", listener)


class TableSnapshot:
    """Every row (all columns) of the given models in one organisation, so a test can show that a
    refused request changed nothing at all."""

    def __init__(self, org: Org, tables: tuple[Any, ...]) -> None:
        with org.scope():
            self.rows = {
                model.__name__: sorted(
                    tuple(str(getattr(row, c.key)) for c in sa.inspect(model).column_attrs)
                    for row in db.session.scalars(sa.select(model))
                )
                for model in tables
            }

    def __eq__(self, other: object) -> bool:
        return isinstance(other, TableSnapshot) and self.rows == other.rows

    def __repr__(self) -> str:
        return f"TableSnapshot({ {k: len(v) for k, v in self.rows.items()} })"


@pytest.fixture
def snapshot_of() -> Any:
    """`snapshot_of(tables)` -> `snapshot(org)`, a TableSnapshot of those models."""
    return lambda tables: lambda org: TableSnapshot(org, tables)


@pytest.fixture
def skill_ids(org: Org, api: Any) -> dict[str, str]:
    """The default taxonomy's skill ids by key (seeded on first catalogue access)."""
    client = api(org.admin)
    found: dict[str, str] = {}
    page = 1
    while True:
        body = client.get("/api/v1/skills", query_string={"per_page": 200, "page": page}).json
        found.update({s["key"]: s["id"] for s in body["items"]})
        if page * 200 >= body["total"]:
            return found
        page += 1
