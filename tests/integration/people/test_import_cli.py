"""`tandem create-tenant` then `tandem import-people`, in process (the real-process contract is in
core/test_cli.py): the first file after create-tenant imports, the last HR admin is kept, and
counts read as English."""

from __future__ import annotations

import uuid

import pytest
import sqlalchemy as sa

from tandem.core import tenancy
from tandem.core.db import db
from tandem.people.accounts import tenant_by_slug
from tandem.people.models import User

HEADER = "email,name,title,team,manager_email,role"


@pytest.fixture
def tandem(app):
    runner = app.test_cli_runner()
    return lambda *args: runner.invoke(args=list(args), catch_exceptions=False)


@pytest.fixture
def third(tandem):
    slug = f"third-{uuid.uuid4().hex[:8]}"
    made = tandem(
        "create-tenant", slug, "--name", "Third", "--admin-email", "admin@third.test",
        "--admin-password", "correct-horse-battery",
    )  # fmt: skip
    assert made.exit_code == 0, made.output
    return slug


def _write(tmp_path, *rows, header=HEADER):
    path = tmp_path / f"people-{uuid.uuid4().hex[:6]}.csv"
    path.write_text("\n".join([header, *rows]) + "\n")
    return str(path)


def _active(slug):
    with tenancy.tenant_scope(tenant_by_slug(slug).id):
        return {
            email: (role, active, manager)
            for email, role, active, manager in db.session.execute(
                sa.select(User.email, User.role, User.is_active, User.manager_id)
            )
        }


def test_the_first_import_after_create_tenant_may_bring_its_own_root(tandem, third, tmp_path, app):
    people = _write(
        tmp_path,
        "boss@third.test,Boss,CEO,Exec,,employee",
        "dev@third.test,Dev,Engineer,Eng,boss@third.test,employee",
    )
    first = tandem("import-people", people, "--tenant", third)
    assert first.exit_code == 0, first.output
    assert "2 rows: did create 2" in first.output and "create 2 teams" in first.output
    again = tandem("import-people", people, "--tenant", third)
    assert again.exit_code == 0, again.output
    assert "leave 2 unchanged" in again.output and "create 0 teams" in again.output
    with app.app_context():
        assert set(_active(third)) == {"admin@third.test", "boss@third.test", "dev@third.test"}


def test_deactivate_missing_may_not_deactivate_the_only_hr_admin(tandem, third, tmp_path, app):
    one = _write(tmp_path, "solo@third.test,Solo,,,,employee")
    result = tandem("import-people", one, "--tenant", third, "--deactivate-missing")
    assert result.exit_code == 1
    assert "file, column role: after this import the organisation would have no active HR admin" in (
        result.stderr
    )
    assert "admin@third.test would be deactivated" in result.stderr
    with app.app_context():
        assert _active(third) == {"admin@third.test": ("hr_admin", True, None)}
    # Handing the role over in the same file is fine.
    handover = _write(tmp_path, "solo@third.test,Solo,,,,hr_admin")
    done = tandem("import-people", handover, "--tenant", third, "--deactivate-missing")
    assert done.exit_code == 0, done.stderr
    with app.app_context():
        assert _active(third) == {
            "admin@third.test": ("hr_admin", False, None),
            "solo@third.test": ("hr_admin", True, None),
        }


def test_counts_are_pluralised(tandem, third, tmp_path):
    bad = _write(tmp_path, "not-an-email,Someone,,,,employee")
    result = tandem("import-people", bad, "--tenant", third)
    assert result.exit_code == 1
    assert "1 problem: nothing was written." in result.stderr
    assert result.stdout.startswith("1 row: would create 1,") and "create 0 teams" in result.stdout
    one_team = _write(tmp_path, "a@third.test,A,,Eng,,employee")
    dry = tandem("import-people", one_team, "--tenant", third, "--dry-run")
    assert "1 row: would create 1," in dry.stdout and "create 1 team\n" in dry.stdout


def test_a_file_that_is_not_utf8_is_a_usage_error_not_a_reported_problem(tandem, third, tmp_path):
    """As docs/people-import.md says: refused before any row is read, exit status 2."""
    latin1 = tmp_path / "latin1.csv"
    latin1.write_bytes(f"{HEADER}\njose@third.test,José,,,,\n".encode("latin-1"))
    result = tandem("import-people", str(latin1), "--tenant", third)
    assert result.exit_code == 2
    assert "is not UTF-8 text; save the CSV as UTF-8" in result.stderr
