"""The command's edges: bad arguments are usage errors that name the problem and write nothing;
SQLite (the demo default) works at small sizes, and the people it makes can sign in."""

from __future__ import annotations

from typing import Any

import pytest

from tandem.core import unit_of_work
from tandem.core.db import db
from tandem.demo import DEMO_PASSWORD
from tandem.people import accounts

from .conftest import TODAY, invoke, make_app, rows, seed

pytestmark = pytest.mark.committed


def _tenants(app: Any) -> int:
    return rows(app, "SELECT count(*) FROM tenants")[0][0]


@pytest.mark.parametrize(
    ("args", "named"),
    [
        (["--tenant", "tiny", "--employees", "5"], "--employees"),
        (["--tenant", "huge", "--employees", "5000000"], "--employees"),
        (["--tenant", "Not A Slug!", "--employees", "50"], "--tenant"),
        (["--tenant", "weak", "--employees", "50", "--password", "short"], "--password"),
        (["--tenant", "day", "--employees", "50", "--today", "yesterday"], "--today"),
        (["--employees", "50"], "--tenant"),
    ],
)
def test_bad_arguments_are_usage_errors_naming_the_problem_and_write_nothing(pg_app, args, named):
    before = _tenants(pg_app)
    result = invoke(pg_app, *args)
    assert result.exit_code == 2, result.output
    assert named in result.output
    assert _tenants(pg_app) == before


def test_an_organisation_that_has_people_is_refused_and_left_alone(pg_app):
    with pg_app.app_context():
        accounts.create_tenant("taken", "Taken", "admin@taken.test", "correct-horse-battery")
        unit_of_work.commit()
    result = invoke(pg_app, "--tenant", "taken", "--employees", "50", "--today", TODAY)
    assert result.exit_code == 2
    assert "--tenant" in result.output and "already has 1 people" in result.output
    counts = rows(
        pg_app,
        "SELECT (SELECT count(*) FROM users u WHERE u.tenant_id = t.id), "
        "(SELECT count(*) FROM skills s WHERE s.tenant_id = t.id) FROM tenants t WHERE slug = 'taken'",
    )
    assert counts == [(1, 0)]


def test_sqlite_works_at_small_sizes_and_the_printed_people_sign_in(tmp_path, migrate):
    url = f"sqlite:///{tmp_path / 'synthetic.db'}"
    migrate(url)
    app = make_app(url, tmp_path)
    try:
        output = seed(app, "small", 40).output
        assert "users 40" in output
        emails = [
            line.split(":", 1)[1].strip()
            for line in output.splitlines()
            if "HR admin:" in line or "Root" in line
        ]
        assert len(emails) == 2
        with app.app_context():
            for email in emails:
                assert accounts.authenticate("small", email, DEMO_PASSWORD) is not None
            db.session.rollback()
        assert rows(app, "SELECT count(*) FROM goal_checkins")[0][0] > 40
    finally:
        with app.app_context():
            db.engine.dispose()
