"""Dashboard pages: the list one may open, a manager's (own or below, drill-down), the
organisation's and a team's (HR admins), each with its charts, tables, CSV links, age and a
refresh that shows the build's progress. Same rules as the dashboards API (services.py)."""

from __future__ import annotations

import re
import uuid
from collections.abc import Callable
from typing import Any
from urllib.parse import urlsplit

import sqlalchemy as sa
from flask import flash, g, redirect, render_template, request, url_for
from flask_login import current_user

from ..core.auth import login_required
from ..core.db import db, utcnow
from ..core.errors import NotFound
from ..dashboards import services as dashboards
from ..dashboards.models import MANAGER, TEAM, TENANT, DashboardSnapshot
from ..people.models import Team, User
from .blueprint import web
from .pages import me

PER_PAGE = 100
SHOWN_ROWS = 50  # breakdown rows on the page; the CSV has every row
CHART_BARS = 20
RATES = frozenset(
    {
        "average_progress",
        "feedback_completion_rate",
        "with_active_mentor_share",
        "completion_rate",
        "mentor_load",
    }
)
HEALTH_LABELS = (
    ("on_track", "On track"),
    ("at_risk", "At risk"),
    ("off_track", "Off track"),
    ("overdue", "Overdue"),
)
LEARNING_LABELS = (
    ("planned", "Planned"),
    ("in_progress", "In progress"),
    ("completed", "Completed"),
    ("overdue", "Overdue (planned or in progress, past due)"),
)
CSV_ENDPOINTS = {
    MANAGER: "dashboards.ManagerDashboardCsv",
    TENANT: "dashboards.TenantDashboardCsv",
    TEAM: "dashboards.TeamDashboardCsv",
}


@web.app_context_processor
def _dashboard_nav() -> dict[str, Any]:
    def can_open_dashboards() -> bool:
        """For the main navigation: HR admins and people with someone reporting to them (asked
        once per request, and only by pages that show the navigation)."""
        if "can_open_dashboards" not in g:
            user = current_user
            g.can_open_dashboards = bool(
                user.is_authenticated and (user.is_hr_admin or dashboards.is_manager(user.id))
            )
        return bool(g.can_open_dashboards)

    return {"can_open_dashboards": can_open_dashboards}


# --------------------------------------------------------------------------- figures as charts


def pct(value: float | None) -> float | None:
    return None if value is None else round(value * 100, 1)


def charts(data: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """The page's charts, each from the snapshot's own numbers (the chart macro draws the data
    table beside each from the same payload)."""
    goals, learning, feedback = data["goals"], data["learning"], data["feedback"]
    tables = data["tables"]
    weeks = tables["trends"]["rows"]
    labels = [row["week_ending"] for row in weeks]
    breakdown = tables.get("by_report", {}).get("rows") or []
    title = "Share of feedback invitations submitted, last 90 days"
    if len(breakdown) > CHART_BARS:
        breakdown = sorted(breakdown, key=lambda r: -r["headcount"])[:CHART_BARS]
        title += f" (the {CHART_BARS} largest groups)"
    if breakdown:
        feedback_chart = {
            "title": title,
            "type": "bar",
            "x_label": "Direct report (and their people)",
            "labels": [row["name"] for row in breakdown],
            "datasets": [
                {
                    "label": "Completion (%)",
                    "data": [pct(row["feedback_completion_rate"]) for row in breakdown],
                }
            ],
            "y_min": 0,
            "y_max": 100,
        }
    else:
        feedback_chart = {
            "title": "Feedback invitations, last 90 days",
            "type": "bar",
            "x_label": "Invitations (last 90 days)",
            "labels": ["Sent", "Submitted"],
            "datasets": [
                {
                    "label": "Invitations",
                    "data": [feedback["invitations_sent"], feedback["invitations_submitted"]],
                }
            ],
            "y_min": 0,
        }
    return {
        "health": {
            "type": "bar",
            "x_label": "Health",
            "labels": [label for _k, label in HEALTH_LABELS],
            "datasets": [
                {"label": "Active goals", "data": [goals["by_health"][k] for k, _l in HEALTH_LABELS]}
            ],
            "y_min": 0,
        },
        "progress": {
            "type": "line",
            "x_label": "Week ending",
            "labels": labels,
            "datasets": [
                {"label": "Average progress (%)", "data": [pct(row["average_progress"]) for row in weeks]}
            ],
            "y_min": 0,
            "y_max": 100,
        },
        "activity": {
            "type": "bar",
            "x_label": "Week ending",
            "labels": labels,
            "datasets": [
                {"label": "Check-ins", "data": [row["check_ins"] for row in weeks]},
                {"label": "Milestones completed", "data": [row["milestones_completed"] for row in weeks]},
                {"label": "Learning items completed", "data": [row["learning_completed"] for row in weeks]},
            ],
            "y_min": 0,
        },
        "feedback": feedback_chart,
        "learning": {
            "type": "bar",
            "x_label": "Status",
            "labels": [label for _k, label in LEARNING_LABELS],
            "datasets": [{"label": "Learning items", "data": [learning[k] for k, _l in LEARNING_LABELS]}],
            "y_min": 0,
        },
        "mentoring": {
            "type": "line",
            "x_label": "Week ending",
            "labels": labels,
            "datasets": [
                {
                    "label": "People with an active mentor (%)",
                    "data": [pct(row["with_active_mentor_share"]) for row in weeks],
                }
            ],
            "y_min": 0,
            "y_max": 100,
        },
    }


def cell(key: str, value: Any) -> str:
    if value is None:
        return "—"
    if key in RATES:
        return f"{value * 100:.1f}%"
    return str(value)


def as_of(source: dict[str, Any]) -> str:
    raw = str(source.get("as_of") or "")
    return raw[:16].replace("T", " ") + " UTC" if raw else ""


def ago(seconds: int) -> str:
    if seconds < 60:
        return "less than a minute ago"
    for size, unit in ((86400, "day"), (3600, "hour"), (60, "minute")):
        if seconds >= size:
            n = seconds // size
            return f"{n} {unit}{'s' if n != 1 else ''} ago"
    return ""  # unreachable


# --------------------------------------------------------------------------- pages


def build_status(actor: User) -> Any:
    """The build named by ?build= (after a refresh), for the progress line; None without one."""
    raw = request.args.get("build")
    if not raw:
        return None
    try:
        return dashboards.get_build(actor, uuid.UUID(raw))
    except (ValueError, NotFound):
        return None


def rows_of(
    table: dict[str, Any] | None, link: Callable[[dict[str, Any]], str | None] | None = None, limit: int = 0
) -> dict[str, Any]:
    """A snapshot table as the page shows it: every cell as text (and its raw value), each row's
    link. With `limit`, only that many rows, the largest groups first (the CSV has them all)."""
    table = table or {"columns": [], "rows": []}
    keys = [c["key"] for c in table["columns"]]
    rows = table["rows"]
    if limit and len(rows) > limit:
        rows = sorted(rows, key=lambda r: -(r.get("headcount") or 0))[:limit]
    return {
        "columns": table["columns"],
        "total": len(table["rows"]),
        "rows": [
            {
                "id": row.get("id"),
                "link": link(row) if link else None,
                "cells": [(k, cell(k, row.get(k)), "" if row.get(k) is None else row.get(k)) for k in keys],
            }
            for row in rows
        ],
    }


def _linker(
    endpoint: str, arg: str, allowed: set[str] | None = None
) -> Callable[[dict[str, Any]], str | None]:
    # url_for once, then each row's id swapped in: a breakdown can have hundreds of rows.
    blank = str(uuid.UUID(int=0))
    pattern = url_for(endpoint, **{arg: blank})
    return lambda row: pattern.replace(blank, row["id"]) if allowed is None or row["id"] in allowed else None


def dashboard_page(scope: str, subject_id: uuid.UUID | None) -> tuple[str, int]:
    actor = me()
    try:
        found = dashboards.snapshot(actor, scope, subject_id)
    except NotFound:
        # The access check passed (else 403 or 404 was raised for the subject): nothing is built
        # yet for this subject. The subject, if any, is already in the session: no new query.
        subject = None
        if scope == MANAGER:
            subject = db.session.get(User, subject_id)
        elif scope == TEAM:
            subject = db.session.get(Team, subject_id)
        if scope != TENANT and subject is None:
            raise
        return render_template(
            "dashboards/not_built.html",
            scope=scope,
            subject=subject,
            is_self=scope == MANAGER and subject_id == actor.id,
            build=build_status(actor),
        ), 404
    g.can_open_dashboards = True  # the access check just said so: the navigation need not ask
    data = dashboards.snapshot_out(found)
    tables = data["tables"]
    report_ids = [row["id"] for row in tables.get("by_report", {}).get("rows", [])]
    with_dashboard = (
        {
            str(i)
            for i in db.session.scalars(
                sa.select(DashboardSnapshot.subject_id).where(
                    DashboardSnapshot.scope == MANAGER,
                    DashboardSnapshot.subject_id.in_([uuid.UUID(i) for i in report_ids]),
                )
            )
        }
        if report_ids
        else set()
    )
    up = None
    if scope == MANAGER:
        subject = db.session.get(User, subject_id)  # loaded by the access check
        if subject is not None and subject.manager_id and (subject.id != actor.id or actor.is_hr_admin):
            up = db.session.get(User, subject.manager_id)
    csv_args = (
        {"person_id": subject_id} if scope == MANAGER else {"team_id": subject_id} if scope == TEAM else {}
    )
    shown = {
        "by_report": rows_of(
            tables.get("by_report"),
            _linker("web.dashboards_manager", "person_id", with_dashboard),
            SHOWN_ROWS,
        ),
        "by_team": rows_of(
            tables.get("by_team"),
            _linker("web.dashboards_team", "team_id") if actor.is_hr_admin else None,
            SHOWN_ROWS,
        ),
        "skill_gaps": rows_of(tables.get("skill_gaps")),
        "feedback_scores": rows_of(tables.get("feedback_scores")),
        "trends": rows_of(tables.get("trends")),
    }
    return render_template(
        "dashboards/dashboard.html",
        d=data,
        scope=scope,
        is_self=scope == MANAGER and subject_id == actor.id,
        charts=charts(data),
        tables=shown,
        has_by_report="by_report" in tables,
        has_by_team="by_team" in tables,
        team_links=actor.is_hr_admin,
        as_of=as_of(data.get("source") or {}),
        up=up,
        csv={table: url_for(CSV_ENDPOINTS[scope], table=table, **csv_args) for table in dashboards.TABLES},
        ago=ago(data["age_seconds"]),
        build=build_status(actor),
    ), 200


@web.get("/dashboards", endpoint="dashboards")
@login_required
def dashboards_index():  # type: ignore[no-untyped-def]
    actor = me()
    stmt = dashboards.available(actor)
    g.can_open_dashboards = True  # the access check let them through
    try:
        number = min(100_000, max(1, int(request.args.get("page", 1))))
    except ValueError:
        number = 1
    # One row more than a page says whether there is a next one (no count over a whole subtree).
    rows = db.session.execute(stmt.offset((number - 1) * PER_PAGE).limit(PER_PAGE + 1)).all()
    now = utcnow()
    return render_template(
        "dashboards/index.html",
        me=actor,
        rows=rows[:PER_PAGE],
        page=number,
        more=len(rows) > PER_PAGE,
        has_own=not actor.is_hr_admin or dashboards.is_manager(actor.id),
        ago=lambda at: ago(max(0, int((now - at).total_seconds()))),
        build=build_status(actor),
    )


@web.get("/dashboards/me")
@login_required
def dashboards_me():  # type: ignore[no-untyped-def]
    actor = me()
    # (Anyone else is told 403 by their own dashboard's access check when nobody reports to them.)
    if actor.is_hr_admin and not dashboards.is_manager(actor.id):
        return redirect(url_for("web.dashboards_tenant", **request.args))
    return dashboard_page(MANAGER, actor.id)


@web.get("/dashboards/managers/<uuid:person_id>")
@login_required
def dashboards_manager(person_id: uuid.UUID):  # type: ignore[no-untyped-def]
    return dashboard_page(MANAGER, person_id)


@web.get("/dashboards/tenant")
@login_required
def dashboards_tenant():  # type: ignore[no-untyped-def]
    return dashboard_page(TENANT, None)


@web.get("/dashboards/teams/<uuid:team_id>")
@login_required
def dashboards_team(team_id: uuid.UUID):  # type: ignore[no-untyped-def]
    return dashboard_page(TEAM, team_id)


def _back_to(target: str | None) -> str:
    # Only a dashboards page of this site: never bounce to another host or path.
    path = urlsplit(target or "").path
    if not urlsplit(target or "").netloc and re.fullmatch(r"/dashboards(/[0-9A-Za-z-]+){0,2}", path):
        return path
    return url_for("web.dashboards")


@web.post("/dashboards/builds")
@login_required
def dashboards_build():  # type: ignore[no-untyped-def]
    run = dashboards.request_build(me())
    # One build serves everyone: a build already queued or running is the one returned.
    flash("Build queued: every dashboard of the organisation is being rebuilt.", "success")
    return redirect(f"{_back_to(request.form.get('next'))}?build={run.id}")
