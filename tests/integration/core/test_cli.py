"""The `tandem` CLI contract (DESIGN.md section 7), run as a user would: real processes."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy.engine import make_url

TANDEM = str(Path(sys.executable).parent / "tandem")
ADMIN_PASSWORD = "correct-horse-battery"

# These tests build their own app on another database, so they must not share the
# rolled-back session of the main test database.
pytestmark = pytest.mark.committed


def environment(database_url: str, instance_dir: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in {"REDIS_URL", "DATABASE_URL"}}
    env.update(
        DATABASE_URL=database_url,
        TANDEM_ENV="test",
        SECRET_KEY="x" * 40,
        TANDEM_INSTANCE_DIR=str(instance_dir),
    )
    return env


@pytest.fixture(scope="module")
def cli_env(fresh_database, as_app_role, tmp_path_factory):
    """As production runs it: `db upgrade` as the tables' owner, every other command as the
    app's ordinary role (row-level security applies)."""
    url, instance_dir = fresh_database("cli"), tmp_path_factory.mktemp("cli-instance")
    owner = environment(url, instance_dir)
    upgraded = tandem(owner, "db", "upgrade")
    assert upgraded.returncode == 0, upgraded.stderr
    app_role = as_app_role(url, grant=False)  # makes the role; only the command below grants
    granted = tandem(owner, "grant-app-role", make_url(app_role).username)
    assert granted.returncode == 0 and "Granted tandem_app" in granted.stdout, granted.stderr
    return environment(app_role, instance_dir)


def tandem(env, *args, stdin=None):
    return subprocess.run([TANDEM, *args], env=env, capture_output=True, text=True, input=stdin, timeout=120)


@pytest.fixture(scope="module")
def acme(cli_env):
    made = tandem(
        cli_env,
        "create-tenant",
        "acme",
        "--name",
        "Acme Inc",
        "--admin-email",
        "hr@acme.test",
        "--admin-password",
        ADMIN_PASSWORD,
    )
    assert made.returncode == 0, made.stderr
    assert "acme" in made.stdout
    return cli_env


@pytest.mark.parametrize(
    ("slug", "name", "password", "message"),
    [
        ("acme", "X", ADMIN_PASSWORD, "already exists"),
        ("Not A Slug!", "X", ADMIN_PASSWORD, "slug"),
        ("weak", "X", "short", "admin_password"),
        ("long", "N" * 201, ADMIN_PASSWORD, "name: use at most 200 characters"),
    ],
)
def test_create_tenant_refuses_bad_input_with_a_usage_error(acme, slug, name, password, message):
    result = tandem(
        acme, "create-tenant", slug, "--name", name, "--admin-email", "x@x.test", "--admin-password", password
    )
    assert result.returncode == 2 and message in result.stderr, result.stderr
    assert "Traceback" not in result.stderr


def test_create_token_prints_the_token_alone_and_it_works(acme, tmp_path):
    made = tandem(acme, "create-token", "hr@acme.test", "--tenant", "acme")
    assert made.returncode == 0, made.stderr
    lines = made.stdout.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("tdm_")
    # The token authenticates against an app on the same database.
    from tandem import create_app
    from tandem.settings import Settings

    app = create_app(Settings.from_env({**acme, "TANDEM_INSTANCE_DIR": str(tmp_path)}))
    me = app.test_client().get("/api/v1/me", headers={"Authorization": f"Bearer {lines[0]}"})
    assert me.status_code == 200 and me.json["tenant"]["slug"] == "acme"
    from tandem.core.db import db

    with app.app_context():
        db.engine.dispose()


def test_create_token_for_unknown_people_or_tenants_is_a_usage_error(acme):
    unknown_tenant = tandem(acme, "create-token", "hr@acme.test", "--tenant", "nope")
    assert unknown_tenant.returncode == 2 and "no organisation with slug 'nope'" in unknown_tenant.stderr
    unknown_person = tandem(acme, "create-token", "ghost@acme.test", "--tenant", "acme")
    assert unknown_person.returncode == 2 and "ghost@acme.test" in unknown_person.stderr


def test_import_people_dry_run_then_apply_then_idempotent(acme, tmp_path):
    good = tmp_path / "people.csv"
    good.write_text(
        "email,name,title,team,manager_email,role\n"
        "ceo@acme.test,Chief,CEO,Exec,,employee\n"
        "hr@acme.test,HR Person,HR,People,ceo@acme.test,hr_admin\n"
        "dev@acme.test,Dev,Engineer,Eng,ceo@acme.test,employee\n"
    )
    dry = tandem(acme, "import-people", str(good), "--tenant", "acme", "--dry-run")
    assert dry.returncode == 0 and "would create 2" in dry.stdout and "nothing was written" in dry.stdout
    applied = tandem(acme, "import-people", str(good), "--tenant", "acme")
    assert applied.returncode == 0 and "did create 2, update 1" in applied.stdout
    again = tandem(acme, "import-people", str(good), "--tenant", "acme")
    assert again.returncode == 0 and "leave 3 unchanged" in again.stdout and "create 0," in again.stdout


def test_import_people_reports_every_problem_with_row_and_column_and_exits_1(acme, tmp_path):
    bad = tmp_path / "bad.csv"
    bad.write_text(
        "email,name,title,team,manager_email,role\n"
        "not-an-email,Someone,,,,employee\n"
        "a@acme.test,A,,,b@acme.test,employee\n"
        "b@acme.test,B,,,a@acme.test,wizard\n"
    )
    result = tandem(acme, "import-people", str(bad), "--tenant", "acme")
    assert result.returncode == 1
    assert "row 2, column email: not a valid email address" in result.stderr
    assert "row 3, column manager_email: manager cycle" in result.stderr
    assert "row 4, column role: unknown role 'wizard'" in result.stderr
    assert "nothing was written" in result.stderr


def test_import_people_names_a_missing_file(acme):
    result = tandem(acme, "import-people", "/no/such.csv", "--tenant", "acme")
    assert result.returncode == 2 and "/no/such.csv" in result.stderr


def test_seed_demo_is_idempotent(acme):
    first = tandem(acme, "seed-demo")
    assert first.returncode == 0 and "Seeded" in first.stdout and "tandem-demo-2026" in first.stdout
    second = tandem(acme, "seed-demo")
    assert second.returncode == 0 and "exists already" in second.stdout


def test_reports_build_runs_inline_without_redis_and_names_unknown_tenants(acme):
    assert tandem(acme, "seed-demo").returncode == 0  # idempotent: the demo's people and goals
    built = tandem(acme, "reports", "build", "--tenant", "demo", "--wait")
    assert built.returncode == 0, built.stderr
    assert (
        "demo: dashboards build" in built.stdout
        and " done: " in built.stdout
        and "dashboards" in built.stdout
    )
    every = tandem(acme, "reports", "build-all", "--wait")
    assert (
        every.returncode == 0
        and "acme: dashboards build" in every.stdout
        and "demo: dashboards build" in every.stdout
    )
    unknown = tandem(acme, "reports", "build", "--tenant", "nope")
    assert unknown.returncode == 2 and "no organisation with slug 'nope'" in unknown.stderr
    missing = tandem(acme, "reports", "build")
    assert missing.returncode == 2 and "--tenant" in missing.stderr


def test_worker_without_redis_says_jobs_run_inline(acme):
    result = tandem(acme, "worker")
    assert result.returncode == 2 and "REDIS_URL is not set" in result.stderr


def test_worker_rejects_unknown_queues(acme, redis_url):
    result = tandem({**acme, "REDIS_URL": redis_url}, "worker", "nonsense", "--burst")
    assert result.returncode == 2 and "unknown queue(s) nonsense" in result.stderr


def test_flask_app_tandem_has_the_same_commands(acme):
    result = subprocess.run(
        [str(Path(sys.executable).parent / "flask"), "--app", "tandem", "--help"],
        env=acme,
        capture_output=True,
        text=True,
        timeout=60,
    )
    for command in (
        "create-tenant",
        "create-token",
        "import-people",
        "seed-demo",
        "seed-synthetic",
        "worker",
        "reports",
        "db",
    ):
        assert command in result.stdout


def test_production_without_secret_key_is_a_clear_error(acme):
    env = {k: v for k, v in acme.items() if k != "SECRET_KEY"}
    result = tandem({**env, "TANDEM_ENV": "production"}, "db", "current")
    assert result.returncode == 2 and "SECRET_KEY is required" in result.stderr


@pytest.mark.parametrize(
    ("role", "message"),
    [("no_such_role", "no role 'no_such_role'"), ("Robert'); DROP TABLE users;--", "not a plain role name")],
)
def test_grant_app_role_names_a_missing_or_malformed_role(cli_env, role, message):
    result = tandem(cli_env, "grant-app-role", role)
    assert result.returncode == 2 and message in result.stderr
