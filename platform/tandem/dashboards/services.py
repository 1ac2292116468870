"""Who may open which dashboard, the latest snapshot of each, build requests and CSV export.

Managers open their own dashboard and any manager's below them (drill-down); HR admins open
every one, the organisation's and each team's. Another organisation's ids are 404; an employee
with nobody reporting to them gets 403."""

from __future__ import annotations

import csv
import io
import json
import uuid
from datetime import datetime
from typing import Any

import sqlalchemy as sa

from ..core import jobs, tenancy
from ..core.db import db, utcnow
from ..core.errors import Forbidden, NotFound
from ..core.jobs import JobRun
from ..people import orgchart
from ..people.models import Team, User
from .models import BUILD_KIND, BUILD_TARGET, MANAGER, TEAM, TENANT, DashboardSnapshot

DEDUPE_KEY = "dashboards"
TABLES = ("by_report", "by_team", "trends", "skill_gaps", "feedback_scores", "summary")


def is_manager(person_id: uuid.UUID) -> bool:
    return (
        db.session.scalar(
            sa.select(sa.literal(True)).where(User.manager_id == person_id, User.is_active.is_(True)).limit(1)
        )
        is True
    )


def require_dashboard_user(actor: User) -> None:
    """Dashboards are for HR admins and for people with someone reporting to them."""
    if not actor.is_hr_admin and not is_manager(actor.id):
        raise Forbidden("Dashboards are for managers and HR admins: nobody reports to you")


def check_manager_access(actor: User, person_id: uuid.UUID) -> User:
    person = db.session.get(User, person_id)
    if person is None:
        raise NotFound("No such person")
    if actor.is_hr_admin:
        return person
    require_dashboard_user(actor)
    if person.id != actor.id and not orgchart.is_below(person.id, actor.id):
        raise Forbidden("That dashboard is outside your reporting line")
    return person


def _checked_subject(actor: User, scope: str, subject_id: uuid.UUID | None) -> uuid.UUID:
    """The access check for a scope; returns the id its snapshot is stored under."""
    if scope == TENANT:
        if not actor.is_hr_admin:
            raise Forbidden("The organisation's dashboard is for HR admins")
        return tenancy.current_tenant_id()
    if scope == TEAM:
        if not actor.is_hr_admin:
            raise Forbidden("Team dashboards are for HR admins; managers see their people by team")
        if subject_id is None or db.session.get(Team, subject_id) is None:
            raise NotFound("No such team")
        return subject_id
    assert subject_id is not None
    check_manager_access(actor, subject_id)
    return subject_id


NOT_BUILT = (
    "No dashboard has been built for this yet (a manager needs someone reporting to them, "
    "and a build must have run since): request a build with POST /api/v1/dashboards/builds"
)


def snapshot(actor: User, scope: str, subject_id: uuid.UUID | None) -> DashboardSnapshot:
    """The latest stored dashboard, after the access check for its scope."""
    subject = _checked_subject(actor, scope, subject_id)
    found = db.session.scalar(
        sa.select(DashboardSnapshot).where(
            DashboardSnapshot.scope == scope, DashboardSnapshot.subject_id == subject
        )
    )
    if found is None:
        raise NotFound(NOT_BUILT)
    return found


def snapshot_json(actor: User, scope: str, subject_id: uuid.UUID | None, now: datetime | None = None) -> str:
    """`snapshot_out` as JSON text, made without decoding the stored payload: the organisation's
    dashboard of a big company is most of a megabyte, and decoding and encoding it again cost
    several times the reading. The payload is stored as JSON text already."""
    subject = _checked_subject(actor, scope, subject_id)
    row = db.session.execute(
        sa.select(
            DashboardSnapshot.built_at,
            DashboardSnapshot.build_id,
            sa.cast(DashboardSnapshot.source, sa.Text),
            sa.cast(DashboardSnapshot.payload, sa.Text),
        ).where(DashboardSnapshot.scope == scope, DashboardSnapshot.subject_id == subject)
    ).one_or_none()
    if row is None:
        raise NotFound(NOT_BUILT)
    built_at, build_id, source, payload = row
    now = now or utcnow()
    head = {
        "built_at": built_at.isoformat(),
        "age_seconds": max(0, int((now - built_at).total_seconds())),
        "build_id": str(build_id),
    }
    body = payload.strip()
    if not body.startswith("{") or body == "{}":
        raise ValueError("a stored dashboard is not a JSON object")
    return json.dumps(head)[:-1] + f', "source": {source}, ' + body[1:]


def snapshot_out(found: DashboardSnapshot, now: datetime | None = None) -> dict[str, Any]:
    """The stored payload with when it was built, its age and what it was built from."""
    now = now or utcnow()
    return {
        **found.payload,
        "built_at": found.built_at,
        "age_seconds": max(0, int((now - found.built_at).total_seconds())),
        "build_id": found.build_id,
        "source": found.source,
    }


def request_build(actor: User) -> JobRun:
    """Queue a rebuild of every dashboard of the organisation (one build serves them all: a
    build already queued or running is returned instead of starting another)."""
    require_dashboard_user(actor)
    return submit_build(actor.id)


def submit_build(created_by_id: uuid.UUID | None = None) -> JobRun:
    """Queue the organisation's build (the nightly schedule and the CLI pass no person)."""
    return jobs.submit(
        BUILD_KIND, BUILD_TARGET, queue="reports", dedupe_key=DEDUPE_KEY, created_by_id=created_by_id
    )


def get_build(actor: User, build_id: uuid.UUID) -> JobRun:
    require_dashboard_user(actor)
    run = db.session.get(JobRun, build_id)
    if run is None or run.kind != BUILD_KIND:
        raise NotFound("No such dashboard build")
    return run


def latest_build_or_404() -> JobRun:
    found = db.session.scalar(
        sa.select(JobRun)
        .where(JobRun.kind == BUILD_KIND)
        .order_by(JobRun.created_at.desc(), JobRun.id)
        .limit(1)
    )
    if found is None:
        raise NotFound("No dashboard build has run in this organisation yet")
    return found


def available(actor: User) -> sa.Select[Any]:
    """The dashboards this person may open, with when each was built: the organisation's and the
    teams' (HR admins), then managers' by name. Names come from the person or team, not from the
    stored payload: reading them from the JSON would parse every dashboard (a few hundred ms for
    a CEO's 2,600 in a 20,000-person company)."""
    require_dashboard_user(actor)
    name = sa.func.coalesce(User.name, Team.name, "Whole organisation").label("name")
    stmt = (
        sa.select(DashboardSnapshot.scope, DashboardSnapshot.subject_id, DashboardSnapshot.built_at, name)
        .outerjoin(User, sa.and_(DashboardSnapshot.scope == MANAGER, User.id == DashboardSnapshot.subject_id))
        .outerjoin(Team, sa.and_(DashboardSnapshot.scope == TEAM, Team.id == DashboardSnapshot.subject_id))
    )
    if not actor.is_hr_admin:
        below = orgchart.subtree_select(actor.id).subquery()
        stmt = stmt.where(
            DashboardSnapshot.scope == MANAGER,
            sa.or_(
                DashboardSnapshot.subject_id == actor.id,
                DashboardSnapshot.subject_id.in_(sa.select(below.c.id)),
            ),
        )
    order = sa.case({TENANT: 0, TEAM: 1, MANAGER: 2}, value=DashboardSnapshot.scope)
    return stmt.order_by(order, name, DashboardSnapshot.subject_id)


def export_csv(found: DashboardSnapshot, table: str) -> str:
    """One table of a dashboard as CSV (the same numbers the page and the JSON show)."""
    if table not in TABLES:
        raise NotFound(f"No table {table!r}; tables: {', '.join(TABLES)}")
    if table == "summary":
        columns, rows = ["section", "figure", "value"], summary_rows(found.payload)
    else:
        data = found.payload.get("tables", {}).get(table)
        if data is None:
            raise NotFound(f"This dashboard has no {table} table")
        columns = [c["key"] for c in data["columns"]]
        rows = [[row.get(key) for key in columns] for row in data["rows"]]
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(columns)
    writer.writerows([[_cell(v) for v in row] for row in rows])
    return out.getvalue()


SECTIONS = ("people", "goals", "feedback", "learning", "mentoring")


def summary_rows(payload: dict[str, Any]) -> list[list[Any]]:
    rows: list[list[Any]] = []
    for section in SECTIONS:
        for name, value in payload.get(section, {}).items():
            if isinstance(value, dict):
                rows += [[section, f"{name}.{k}", v] for k, v in value.items()]
            else:
                rows.append([section, name, value])
    return rows


def _cell(value: Any) -> Any:
    # Spreadsheet formula injection: a text cell must never start like a formula.
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    return "" if value is None else value
