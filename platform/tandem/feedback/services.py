"""Shared feedback rules: the tenant's feedback settings (within safe bounds), who may see a
request, and looking up requests and invitations for the acting person (404 otherwise)."""

from __future__ import annotations

import uuid
from datetime import date
from typing import Any

import sqlalchemy as sa

from ..core import audit
from ..core.db import db, utcnow
from ..core.errors import Forbidden, NotFound, ValidationFailed
from ..core.tenancy import current_tenant_id
from ..people import orgchart
from ..people.models import Tenant, User
from .models import CLOSED, FeedbackInvitation, FeedbackRequest
from .results import DEFAULT_THRESHOLDS, THRESHOLD_BOUNDS, Thresholds

SETTINGS_KEY = "feedback"
# name: (default, low, high)
NUMBER_SETTINGS = {
    "reminder_interval_hours": (72, 12, 720),
    "max_requests_per_reviewer": (6, 1, 50),
}
DEFAULT_SETTINGS: dict[str, Any] = {
    "thresholds": dict(DEFAULT_THRESHOLDS),
    **{name: default for name, (default, _low, _high) in NUMBER_SETTINGS.items()},
    "peer_approval_default": False,
}


def today() -> date:
    return utcnow().date()


def require_hr(actor: User, message: str = "Only an HR admin can do this") -> None:
    if not actor.is_hr_admin:
        raise Forbidden(message)


def _tenant() -> Tenant:
    tenant = db.session.get(Tenant, current_tenant_id())
    if tenant is None:  # the bound tenant always exists while someone is signed in to it
        raise NotFound("No such organisation")
    return tenant


def feedback_settings() -> dict[str, Any]:
    """The tenant's feedback settings with defaults filled in and values kept within bounds."""
    stored = (_tenant().settings or {}).get(SETTINGS_KEY) or {}
    values: dict[str, Any] = {"thresholds": Thresholds.from_dict(stored.get("thresholds")).as_dict()}
    for name, (default, low, high) in NUMBER_SETTINGS.items():
        value = stored.get(name, default)
        values[name] = min(high, max(low, value)) if isinstance(value, int) else default
    values["peer_approval_default"] = bool(stored.get("peer_approval_default", False))
    return values


def settings_bounds() -> dict[str, Any]:
    return {
        "thresholds": {k: {"min": low, "max": high} for k, (low, high) in THRESHOLD_BOUNDS.items()},
        **{name: {"min": low, "max": high} for name, (_d, low, high) in NUMBER_SETTINGS.items()},
    }


def update_feedback_settings(actor: User, data: dict[str, Any]) -> dict[str, Any]:
    """HR admins change the settings; new cycles and requests use them (launched ones keep theirs)."""
    require_hr(actor, "Only an HR admin can change feedback settings")
    before = feedback_settings()
    after = {**before, "thresholds": dict(before["thresholds"])}
    problems: dict[str, list[str]] = {}
    for key, value in (data.get("thresholds") or {}).items():
        low, high = THRESHOLD_BOUNDS[key]
        if not low <= value <= high:
            problems[f"thresholds.{key}"] = [f"must be between {low} and {high}"]
        after["thresholds"][key] = value
    for name, (_default, low, high) in NUMBER_SETTINGS.items():
        if name in data:
            if not low <= data[name] <= high:
                problems[name] = [f"must be between {low} and {high}"]
            after[name] = data[name]
    if "peer_approval_default" in data:
        after["peer_approval_default"] = data["peer_approval_default"]
    if problems:
        raise ValidationFailed("; ".join(f"{k}: {v[0]}" for k, v in problems.items()), problems)
    tenant = _tenant()
    tenant.settings = {**(tenant.settings or {}), SETTINGS_KEY: after}
    db.session.flush()
    changes = audit.diff(before, after)
    if changes:
        audit.record("feedback.settings.update", "tenant", tenant.id, actor.id, changes)
    return after


# --- requests and invitations as the actor may see them -----------------------------------------


def is_closed(request: FeedbackRequest) -> bool:
    """Closed when closed on purpose, or once its last day has passed."""
    return request.status == CLOSED or request.due_on < today()


def can_view_request(actor: User, request: FeedbackRequest) -> bool:
    """The subject, whoever asked, the subject's managers (whole chain) and HR admins."""
    if actor.is_hr_admin or actor.id in (request.subject_id, request.requested_by_id):
        return True
    return orgchart.is_below(request.subject_id, actor.id)


def get_request(actor: User, request_id: uuid.UUID) -> FeedbackRequest:
    request = db.session.get(FeedbackRequest, request_id)
    if request is None or not can_view_request(actor, request):
        raise NotFound("No such feedback request")
    return request


def people_by_id(ids: set[uuid.UUID]) -> dict[uuid.UUID, User]:
    if not ids:
        return {}
    return {p.id: p for p in db.session.scalars(sa.select(User).where(User.id.in_(ids)))}


def get_own_invitation(actor: User, invitation_id: uuid.UUID) -> FeedbackInvitation:
    """An invitation is only ever its reviewer's business (others: 404)."""
    invitation = db.session.get(FeedbackInvitation, invitation_id)
    if invitation is None or invitation.reviewer_id != actor.id:
        raise NotFound("No such feedback invitation")
    return invitation
