"""Who is asking: Flask-Login set-up, the role model, and guards for views."""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any, Protocol, TypeVar, cast

from flask import redirect, request, url_for
from flask_login import LoginManager, current_user

from .errors import Forbidden, Unauthorized

EMPLOYEE = "employee"
HR_ADMIN = "hr_admin"
ROLES = (EMPLOYEE, HR_ADMIN)

login_manager = LoginManager()
login_manager.session_protection = "strong"

F = TypeVar("F", bound=Callable[..., Any])


class Principal(Protocol):
    """What the auth layer needs of a signed-in person (people.models.User provides it)."""

    id: Any
    tenant_id: Any
    role: str
    is_authenticated: bool

    @property
    def is_hr_admin(self) -> bool: ...


@login_manager.unauthorized_handler
def _unauthorized() -> Any:
    if request.path.startswith("/api/"):
        raise Unauthorized("Sign in or send an API token: Authorization: Bearer <token>")
    return redirect(url_for("web.login", next=request.full_path.rstrip("?")))


def actor() -> Principal:
    """The signed-in person; raises 401 when there is none."""
    if not current_user.is_authenticated:
        raise Unauthorized("Authentication required")
    return cast(Principal, current_user._get_current_object())


def login_required(view: F) -> F:
    @functools.wraps(view)
    def wrapped(*args: Any, **kwargs: Any) -> Any:
        if not current_user.is_authenticated:
            return login_manager.unauthorized()
        return view(*args, **kwargs)

    return cast(F, wrapped)


def hr_admin_required(view: F) -> F:
    @functools.wraps(view)
    def wrapped(*args: Any, **kwargs: Any) -> Any:
        if not current_user.is_authenticated:
            return login_manager.unauthorized()
        if not current_user.is_hr_admin:
            raise Forbidden("Only an HR admin can do this")
        return view(*args, **kwargs)

    return cast(F, wrapped)
