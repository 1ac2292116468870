"""HR admin page: the organisation's feedback settings (anonymity thresholds, reminder interval, cap
of requests per reviewer, peer approval by default), each shown with its safe bounds."""

from __future__ import annotations

from typing import Any

from flask import flash, redirect, url_for

from ..feedback import services as feedback
from ..feedback.schemas import FeedbackSettingsUpdateSchema, FeedbackThresholdsSchema
from .blueprint import web
from .forms import Form, attempt
from .pages import me, page
from .views_admin_shared import admin_only

THRESHOLDS = (
    ("peer", "Peers"),
    ("direct_report", "Direct reports"),
    ("other", "Others"),
    ("all_but_self", "Everyone but the person (pooled)"),
)
NUMBERS = ("reminder_interval_hours", "max_requests_per_reviewer")


def current_values() -> dict[str, Any]:
    stored = feedback.feedback_settings()
    values: dict[str, Any] = {f"thresholds.{k}": str(v) for k, v in stored["thresholds"].items()}
    values.update({name: str(stored[name]) for name in NUMBERS})
    values["peer_approval_default"] = "1" if stored["peer_approval_default"] else ""
    return values


def settings_page(form: Form | None = None):  # type: ignore[no-untyped-def]
    return page(
        "admin/settings.html",
        form,
        form=form or Form(current_values()),
        bounds=feedback.settings_bounds(),
        thresholds=THRESHOLDS,
    )


@web.get("/admin/settings", endpoint="admin_settings")
@admin_only
def admin_settings():  # type: ignore[no-untyped-def]
    return settings_page()


@web.post("/admin/settings")
@admin_only
def admin_settings_save():  # type: ignore[no-untyped-def]
    form = Form.from_request()
    # Both parts are checked so that every problem is shown at once.
    limits = form.load(FeedbackThresholdsSchema(), [k for k, _label in THRESHOLDS], prefix="thresholds.")
    rest = form.load(FeedbackSettingsUpdateSchema(), [*NUMBERS, "peer_approval_default"])
    if limits is not None and rest is not None:
        actor = me()
        saved = attempt(
            form, lambda: feedback.update_feedback_settings(actor, {**rest, "thresholds": limits})
        )
        if saved is not None:
            flash("Feedback settings saved. New cycles and requests use them.", "success")
            return redirect(url_for("web.admin_settings"))
    return settings_page(form)
