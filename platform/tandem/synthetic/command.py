"""The `tandem seed-synthetic` click command: arguments, usage errors, the commit and the summary."""

from __future__ import annotations

import time
from datetime import date, datetime

import click
from flask.cli import with_appcontext

from ..core import unit_of_work
from ..core.db import db, utcnow
from ..core.errors import AppError
from ..demo import DEMO_PASSWORD
from ..people.accounts import SLUG, check_password_strength
from .seeder import AlreadySeeded, seed_tenant

MIN_EMPLOYEES = 10
MAX_EMPLOYEES = 200_000


@click.command("seed-synthetic")
@click.option(
    "--tenant", "slug", required=True, help="Organisation slug (created when missing; must have no people)."
)
@click.option(
    "--employees", type=int, required=True, help=f"How many people ({MIN_EMPLOYEES}-{MAX_EMPLOYEES:,})."
)
@click.option("--seed", type=int, default=1, show_default=True, help="Same seed and --today: the same data.")
@click.option(
    "--today",
    type=click.DateTime(formats=["%Y-%m-%d"]),
    default=None,
    help="The day the data is 'now' for (YYYY-MM-DD; default: today, UTC).",
)
@click.option("--password", default=DEMO_PASSWORD, show_default=True, help="Everyone's password.")
@click.option("--name", default=None, help="Display name of a new organisation (default: from the slug).")
@with_appcontext
def seed_synthetic(
    slug: str, employees: int, seed: int, today: datetime | None, password: str, name: str | None
) -> None:
    """Create a deterministic, realistic organisation of EMPLOYEES people in tenant SLUG: a management
    tree, teams, goals with check-ins, 360 feedback, learning plans and mentoring (bulk inserts)."""
    slug = slug.strip().lower()
    if not SLUG.match(slug):
        raise click.UsageError(f"--tenant {slug!r}: use 1-63 lowercase letters, digits and hyphens")
    if not MIN_EMPLOYEES <= employees <= MAX_EMPLOYEES:
        raise click.UsageError(
            f"--employees must be between {MIN_EMPLOYEES} and {MAX_EMPLOYEES:,} (a CEO, an HR admin and "
            f"teams need people); got {employees}"
        )
    try:
        check_password_strength(password, "password")
    except AppError as exc:
        raise click.UsageError(f"--password {'; '.join(_messages(exc))}") from exc
    day: date = today.date() if today else utcnow().date()
    started = time.perf_counter()
    try:
        seeded = seed_tenant(
            slug, name or f"{slug.replace('-', ' ').title()}", employees, seed, day, password
        )
        unit_of_work.commit()
    except AlreadySeeded as exc:
        db.session.rollback()
        raise click.UsageError(f"--tenant: {exc}") from exc
    except BaseException:
        unit_of_work.rollback()
        raise
    seconds = time.perf_counter() - started
    counts = seeded.counts
    click.echo(
        f"Seeded {'new' if seeded.created_tenant else 'existing'} organisation {slug} "
        f"with {employees:,} people "
        f"(seed {seed}, today {day.isoformat()}) in {seconds:.1f} s."
    )
    click.echo(f"  HR admin:     {seeded.hr_admin_email}")
    click.echo(f"  Root manager: {seeded.root_email}")
    click.echo(f"  Password for everyone: {password}")
    click.echo("Rows: " + ", ".join(f"{table} {count}" for table, count in counts.items()))


def _messages(exc: AppError) -> list[str]:
    found = []
    for value in exc.fields.values():
        found += value if isinstance(value, list) else [str(value)]
    return found or [exc.message]
