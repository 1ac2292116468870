"""Signing in and out, a person's page, and the API docs page."""

from __future__ import annotations

import uuid
from urllib.parse import urlsplit

from flask import current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_user, logout_user

from ..core.auth import login_required
from ..core.limiter import limiter
from ..people import accounts, orgchart, services
from .blueprint import web


def _login_failed(response) -> bool:  # type: ignore[no-untyped-def]
    return response.status_code == 401


def _account_key() -> str:
    org = (request.form.get("organisation") or "").strip().lower()
    email = (request.form.get("email") or "").strip().lower()
    return f"login:{org}:{email}"


def _safe_next(target: str | None) -> str:
    # Only same-site paths: never bounce a fresh session to another host.
    if target and target.startswith("/") and not target.startswith("//") and not urlsplit(target).netloc:
        return target
    return url_for("web.home")


def _settings():  # type: ignore[no-untyped-def]
    return current_app.extensions["tandem.settings"]


@web.route("/login", methods=["GET", "POST"])
@limiter.limit(lambda: _settings().login_attempts_per_address, methods=["POST"], deduct_when=_login_failed)
@limiter.limit(
    lambda: _settings().login_attempts_per_account,
    methods=["POST"],
    key_func=_account_key,
    deduct_when=_login_failed,
)
def login():  # type: ignore[no-untyped-def]
    organisation = (request.values.get("organisation") or request.values.get("org") or "").strip().lower()
    email = (request.form.get("email") or "").strip()
    if request.method == "POST":
        user = accounts.authenticate(organisation, email, request.form.get("password") or "")
        if user is not None:
            login_user(user, remember=bool(request.form.get("remember")))
            return redirect(_safe_next(request.args.get("next")))
        return render_template(
            "login.html",
            organisation=organisation,
            email=email,
            error="That organisation, email and password do not match.",
        ), 401
    return render_template("login.html", organisation=organisation, email=email, error=None)


@web.post("/logout")
def logout():  # type: ignore[no-untyped-def]
    logout_user()
    flash("You are signed out.")
    return redirect(url_for("web.login"))


@web.get("/people/<uuid:person_id>")
@login_required
def person(person_id: uuid.UUID):  # type: ignore[no-untyped-def]
    someone = services.get_person(person_id)
    can_see_reports = services.can_see_reports_of(current_user, someone.id)
    return render_template(
        "person.html",
        person=someone,
        team=services.get_team(someone.team_id) if someone.team_id else None,
        chain=orgchart.chain(someone.id),
        reports=orgchart.direct_reports(someone.id) if can_see_reports else [],
    )


@web.get("/api/v1/docs")
def api_docs():  # type: ignore[no-untyped-def]
    return render_template("api_docs.html")
