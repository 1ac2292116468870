"""Helpers every page module shares: the signed-in person, rendering a page with the status its
forms call for, and names for ids."""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from typing import Any

from flask import render_template
from flask_login import current_user

from ..core.db import utcnow
from ..feedback.services import people_by_id
from ..people.models import User
from .forms import Form


def me() -> User:
    """The signed-in person (views are behind login_required)."""
    return current_user._get_current_object()  # type: ignore[no-any-return]


def today() -> Any:
    return utcnow().date()


def page(template: str, *forms: Form | None, **context: Any) -> tuple[str, int]:
    """Render a page; a form with problems sets the status (422 for bad input, 409 conflict)."""
    status = next((f.status for f in forms if f is not None and f.has_problems), 200)
    return render_template(template, **context), status


def people(ids: Iterable[uuid.UUID | str | None]) -> dict[uuid.UUID, User]:
    """People by id (one query); ids may be strings (JSON lists store them so)."""
    wanted = {uuid.UUID(str(i)) for i in ids if i}
    return people_by_id(wanted)


def as_uuid(value: Any) -> uuid.UUID | None:
    try:
        return uuid.UUID(str(value))
    except (TypeError, ValueError):
        return None
