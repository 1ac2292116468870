"""The `tandem` command group (a Flask CLI group, so `tandem run --port P` serves too)."""

from __future__ import annotations

import sys
from pathlib import Path

import click
from flask import Flask, current_app
from flask.cli import FlaskGroup, with_appcontext

from .settings import Settings, SettingsError


def _create_app() -> Flask:
    from .app import create_app

    try:
        return create_app()
    except SettingsError as exc:
        raise click.UsageError(f"configuration: {exc}") from exc


@click.group(cls=FlaskGroup, create_app=_create_app, add_version_option=False)
def main() -> None:
    """Tandem: goals, 360 feedback, learning, mentoring and manager dashboards."""


def _tenant_or_fail(slug: str):  # type: ignore[no-untyped-def]
    from .people.accounts import tenant_by_slug

    tenant = tenant_by_slug(slug)
    if tenant is None:
        raise click.UsageError(f"no organisation with slug {slug!r} (create it with `tandem create-tenant`)")
    return tenant


def _commit() -> None:
    from .core import unit_of_work

    unit_of_work.commit()


def _fail_on_app_error(func):  # type: ignore[no-untyped-def]
    """Turn a service's user-facing error into a usage error naming the problem (exit 2)."""
    import functools

    from .core.errors import AppError

    @functools.wraps(func)
    def wrapped(*args, **kwargs):  # type: ignore[no-untyped-def]
        try:
            return func(*args, **kwargs)
        except AppError as exc:
            from .core.db import db

            db.session.rollback()
            details = "; ".join(
                f"{k}: {', '.join(v) if isinstance(v, list) else v}" for k, v in exc.fields.items()
            )
            raise click.UsageError(details or exc.message) from exc

    return wrapped


@click.command("create-tenant")
@click.argument("slug")
@click.option("--name", required=True, help="The organisation's display name.")
@click.option("--admin-email", required=True, help="Email of its first HR admin.")
@click.option("--admin-password", required=True, help="Password of its first HR admin (10+ characters).")
@click.option("--admin-name", default="HR Admin", show_default=True)
@with_appcontext
@_fail_on_app_error
def create_tenant(slug: str, name: str, admin_email: str, admin_password: str, admin_name: str) -> None:
    """Create an organisation SLUG with its first HR admin."""
    from .people.accounts import create_tenant as create

    tenant, admin = create(slug, name, admin_email, admin_password, admin_name)
    # Read before the commit expires them: the admin's row is only readable with its tenant bound.
    message = f"Created organisation {tenant.slug} ({tenant.name}) with HR admin {admin.email}"
    _commit()
    click.echo(message)


@click.command("grant-app-role")
@click.argument("role")
@with_appcontext
def grant_app_role(role: str) -> None:
    """Give ROLE, the app's ordinary PostgreSQL role, what it needs on every table (run as the
    tables' owner, after `tandem db upgrade`; docs/deploy.md)."""
    import sqlalchemy as sa

    from .core import row_security
    from .core.db import db

    if db.engine.dialect.name != "postgresql":
        raise click.UsageError("roles and row-level security exist on PostgreSQL only")
    try:
        statements = row_security.grants_for(role)
    except ValueError as exc:
        raise click.UsageError(str(exc)) from exc
    with db.engine.begin() as conn:
        escapes = conn.scalar(
            sa.text("SELECT rolsuper OR rolbypassrls FROM pg_roles WHERE rolname = :role"), {"role": role}
        )
        if escapes is None:
            raise click.UsageError(f"no role {role!r} on this server (CREATE ROLE {role} LOGIN PASSWORD ...)")
        for statement in statements:
            conn.execute(sa.text(statement))
    click.echo(f"Granted {role} read and write on every table, now and in later migrations.")
    if escapes:
        click.echo(f"Warning: {role} is a superuser or BYPASSRLS: row-level security skips it.", err=True)


@click.command("create-token")
@click.argument("email")
@click.option("--tenant", "slug", required=True, help="The organisation's slug.")
@click.option("--name", default="CLI token", show_default=True)
@click.option("--expires-in-days", type=click.IntRange(1, 3650), default=None)
@with_appcontext
@_fail_on_app_error
def create_token(email: str, slug: str, name: str, expires_in_days: int | None) -> None:
    """Create an API token for EMAIL and print the token alone (it is shown only this once)."""
    import sqlalchemy as sa

    from .core import tenancy
    from .core.db import db
    from .people.accounts import create_token as create
    from .people.models import User

    tenant = _tenant_or_fail(slug)
    with tenancy.tenant_scope(tenant.id):
        user = db.session.scalar(sa.select(User).where(User.email == email.strip().lower()))
        if user is None or not user.is_active:
            raise click.UsageError(f"no active person with email {email!r} in {slug}")
        _record, secret = create(user, name, expires_in_days=expires_in_days)
        _commit()
    click.echo(secret)


@click.command("import-people")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, allow_dash=True))
@click.option("--tenant", "slug", required=True, help="The organisation's slug.")
@click.option("--dry-run", is_flag=True, help="Check and report every problem; write nothing.")
@click.option("--deactivate-missing", is_flag=True, help="Deactivate active people not in the file.")
@click.option("--allow-multiple-roots", is_flag=True, help="Allow more than one person without a manager.")
@click.option("--json", "as_json", is_flag=True, help="Print the full report as JSON.")
@with_appcontext
def import_people(
    file: str, slug: str, dry_run: bool, deactivate_missing: bool, allow_multiple_roots: bool, as_json: bool
) -> None:
    """Import people from a CSV FILE (email,name,title,team,manager_email,role); all or nothing."""
    import json

    from .core import tenancy
    from .people.importer import ImportOptions, plural
    from .people.imports import import_people as run_import

    raw = sys.stdin.buffer.read() if file == "-" else Path(file).read_bytes()
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise click.UsageError(f"{file} is not UTF-8 text; save the CSV as UTF-8") from exc
    tenant = _tenant_or_fail(slug)
    options = ImportOptions(deactivate_missing=deactivate_missing, allow_multiple_roots=allow_multiple_roots)
    with tenancy.tenant_scope(tenant.id):
        report = run_import(None, text, options, dry_run=dry_run, filename=Path(file).name)
        _commit()
    if as_json:
        click.echo(json.dumps(report, indent=2, default=str))
    else:
        summary = report["summary"]
        for problem in report["problems"]:
            where = f"row {problem['row']}" if problem["row"] else "file"
            column = f", column {problem['column']}" if problem["column"] else ""
            click.echo(f"{where}{column}: {problem['message']}", err=True)
        for warning in report["warnings"]:
            click.echo(f"warning: {warning}", err=True)
        verb = "would" if dry_run or not report["valid"] else "did"
        rows = plural(summary["rows"], "row")
        click.echo(
            f"{rows}: {verb} create {summary['create']}, update {summary['update']}, "
            f"reactivate {summary['reactivate']}, deactivate {summary['deactivate']}, "
            f"leave {summary['unchanged']} unchanged, create {plural(summary['teams_created'], 'team')}"
        )
        if not report["valid"]:
            click.echo(f"{plural(summary['problems'], 'problem')}: nothing was written.", err=True)
        elif dry_run:
            click.echo("Dry run: nothing was written.")
    if not report["valid"]:
        sys.exit(1)


@click.command("seed-demo")
@with_appcontext
def seed_demo() -> None:
    """Create (or leave as it is) the demo organisation `demo` with realistic data."""
    from .demo import DEMO_PASSWORD, seed

    created = seed()
    _commit()
    click.echo("Seeded the demo organisation." if created else "The demo organisation exists already.")
    click.echo(f"Demo password for everyone: {DEMO_PASSWORD}")


@click.command("worker")
@click.argument("queues", nargs=-1)
@click.option("--burst", is_flag=True, help="Stop when the queues are empty.")
@click.option("--no-scheduler", is_flag=True, help="Do not run RQ's scheduler in this worker.")
@click.option(
    "--maintenance-interval",
    type=click.IntRange(min=1),
    default=600,
    show_default=True,
    help="Seconds between maintenance rounds (RQ's registries; jobs whose worker died).",
)
@with_appcontext
def worker(queues: tuple[str, ...], burst: bool, no_scheduler: bool, maintenance_interval: int) -> None:
    """Run an RQ worker on QUEUES (default: all of Tandem's queues)."""
    from rq import Queue, Worker
    from rq.job import Job

    from .core import jobs
    from .core.redis_conn import redis_connection

    conn = redis_connection()
    if conn is None:
        raise click.UsageError(
            "REDIS_URL is not set: jobs run inline in the web process; no worker is needed"
        )
    unknown = [q for q in queues if q not in jobs.QUEUES]
    if unknown:
        raise click.UsageError(f"unknown queue(s) {', '.join(unknown)}; known: {', '.join(jobs.QUEUES)}")
    jobs.set_worker_app(current_app._get_current_object())  # type: ignore[attr-defined]
    from .core.db import db

    db.engine.dispose()  # forked work horses must not share the parent's connections
    names = list(queues) or list(jobs.QUEUES)
    recovered = jobs.recover_orphans()
    if recovered:
        click.echo(f"Queued again {recovered} job(s) whose worker had stopped mid-run")

    class TandemWorker(Worker):
        def main_work_horse(self, job: Job, queue: Queue) -> None:
            # The forked horse opens its own connections: sharing the worker's (opened by
            # recover_orphans) would tie a job's lease to the worker, not to the horse running it.
            db.engine.dispose(close=False)
            super().main_work_horse(job, queue)

        def run_maintenance_tasks(self) -> None:
            super().run_maintenance_tasks()
            jobs.recover_orphans()  # a worker killed mid-job: its jobs are handed out again

    rq_worker = TandemWorker(
        [jobs.rq_queue(name) for name in names],
        connection=conn,
        serializer=jobs.JSONSerializer,
        maintenance_interval=maintenance_interval,
    )
    rq_worker.work(with_scheduler=not no_scheduler, burst=burst)


@click.group("feedback")
def feedback() -> None:
    """360 feedback maintenance."""


@feedback.command("send-reminders")
@click.option("--tenant", "slug", default=None, help="Only this organisation (default: every one).")
@with_appcontext
def send_reminders(slug: str | None) -> None:
    """Remind reviewers who still owe feedback (at most once per the organisation's interval).

    Runs as a job per organisation (on the `mail` queue, or inline without Redis); safe to run
    as often as you like: a reviewer reminded within the interval is not reminded again."""
    import sqlalchemy as sa

    from .core import mail, tenancy
    from .core.db import db
    from .feedback.jobs import submit_reminders
    from .people.models import Tenant

    settings = current_app.extensions["tandem.settings"]
    if not mail.is_configured(settings):
        click.echo("SMTP_HOST is not set: no reminders sent.")
        return
    tenants = (
        [_tenant_or_fail(slug)] if slug else list(db.session.scalars(sa.select(Tenant).order_by(Tenant.slug)))
    )
    asked = 0
    for tenant in tenants:
        with tenancy.tenant_scope(tenant.id):
            run = submit_reminders()
            _commit()
            if run is not None:
                asked += 1
                db.session.refresh(run)
                click.echo(f"{tenant.slug}: reminders job {run.id} {run.status} {run.result or ''}".rstrip())
    click.echo(f"Reminder runs for {asked} of {len(tenants)} organisations.")


@click.group("reports")
def reports() -> None:
    """Manager dashboards: build the stored snapshots."""


@reports.command("build")
@click.option("--tenant", "slug", required=True, help="The organisation's slug.")
@click.option("--wait", is_flag=True, help="Wait until the build is done (or failed) and say so.")
@click.option(
    "--timeout", default=900, show_default=True, type=click.IntRange(min=1), help="Seconds --wait waits."
)
@with_appcontext
def reports_build(slug: str, wait: bool, timeout: int) -> None:
    """Build every dashboard of one organisation through the queue (needs a running `tandem
    worker`; without REDIS_URL it runs here and now). A build already queued is reused."""
    tenant = _tenant_or_fail(slug)
    if not _build_dashboards(tenant, wait=wait, timeout=timeout):
        raise SystemExit(1)


@reports.command("build-all")
@click.option("--wait", is_flag=True, help="Wait for every build.")
@click.option("--timeout", default=3600, show_default=True, type=click.IntRange(min=1))
@with_appcontext
def reports_build_all(wait: bool, timeout: int) -> None:
    """Queue a build for every organisation (what the nightly schedule runs)."""
    import sqlalchemy as sa

    from .core.db import db
    from .people.models import Tenant

    ok = True
    for tenant in list(db.session.scalars(sa.select(Tenant).order_by(Tenant.slug))):
        ok = _build_dashboards(tenant, wait=wait, timeout=timeout) and ok
    if not ok:
        raise SystemExit(1)


def _build_dashboards(tenant, *, wait: bool, timeout: int) -> bool:  # type: ignore[no-untyped-def]
    import time

    from .core import tenancy
    from .core.db import db
    from .core.jobs import DONE, FAILED
    from .dashboards.services import submit_build

    with tenancy.tenant_scope(tenant.id):
        run = submit_build()
        _commit()
        run_id = run.id
        deadline = time.monotonic() + timeout
        while True:
            db.session.expire_all()
            run = db.session.get(type(run), run_id)
            if run.status in (DONE, FAILED) or not wait or time.monotonic() > deadline:
                break
            time.sleep(0.5)
        detail = f": {run.error}" if run.status == FAILED else ""
        if run.status == DONE and run.result:
            detail = f": {run.result['snapshots']} dashboards"
        click.echo(f"{tenant.slug}: dashboards build {run.id} {run.status}{detail}")
        db.session.rollback()
        if wait and run.status not in (DONE, FAILED):
            click.echo(
                f"{tenant.slug}: still {run.status} after {timeout} s (is a `tandem worker` running?)",
                err=True,
            )
            return False
        return run.status != FAILED


@main.command("demo")
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=5000, show_default=True, type=int)
def demo(host: str, port: int) -> None:
    """Run the demo: SQLite in instance/, jobs inline, a seeded organisation `demo`."""
    import os

    from flask_migrate import upgrade

    from .app import create_app
    from .demo import DEMO_PASSWORD, demo_logins, seed

    env = dict(os.environ)
    env.pop("DATABASE_URL", None)
    env.pop("REDIS_URL", None)
    env["TANDEM_ENV"] = "demo"
    settings = Settings.from_env(env)
    settings = settings.with_overrides(
        database_url=f"sqlite:///{settings.instance_dir / 'demo.db'}",
        session_cookie_secure=False,
        base_url=f"http://{host}:{port}",
    )
    app = create_app(settings)
    with app.app_context():
        upgrade(directory=str(settings.migrations_dir))
        seed()
        _commit()
        logins = demo_logins()
    click.echo("")
    click.echo(f"  Tandem demo: http://{host}:{port}/login?org=demo")
    click.echo(f"  Organisation: demo    Password for everyone: {DEMO_PASSWORD}")
    for role, email in logins:
        click.echo(f"    {role:<22} {email}")
    click.echo("")
    from werkzeug.serving import run_simple

    # app.run() refuses to block inside a Flask CLI command; serve directly.
    run_simple(host, port, app, threaded=True, use_reloader=False, use_debugger=False)


def register(app: Flask) -> None:
    """Put the commands on app.cli too, so `flask --app tandem ...` has them."""
    from .synthetic.command import seed_synthetic

    for command in (
        create_tenant,
        create_token,
        grant_app_role,
        import_people,
        seed_demo,
        seed_synthetic,
        worker,
        feedback,
        reports,
    ):
        app.cli.add_command(command)
