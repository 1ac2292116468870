"""Per-request plumbing: who is asking (session or Bearer token), the tenant binding, CSRF."""

from __future__ import annotations

from collections.abc import Callable

from flask import Flask, g, request
from flask_login import AnonymousUserMixin, current_user
from flask_wtf.csrf import CSRFProtect

from . import tenancy
from .auth import login_manager

csrf = CSRFProtect()
_SAFE_METHODS = {"GET", "HEAD", "OPTIONS", "TRACE"}
_PUBLIC_API = {"/api/v1/openapi.json", "/api/v1/docs"}


def bearer_token() -> str | None:
    header = request.headers.get("Authorization", "")
    scheme, _, token = header.partition(" ")
    return token.strip() if scheme.lower() == "bearer" and token.strip() else None


def install(app: Flask, load_token_user: Callable[[str], object | None]) -> None:
    app.config["WTF_CSRF_CHECK_DEFAULT"] = False  # checked below, where it applies
    csrf.init_app(app)

    @app.before_request
    def _start_request() -> None:
        # Whatever this thread had bound before (a test's set-up, say) comes back at teardown.
        g._tandem_tenant_token = tenancy.bind(None)  # type: ignore[arg-type]
        token = bearer_token()
        if request.path.startswith("/api/") and token is not None:
            # An API call names its principal by token, whatever cookie the client also sends;
            # a token request carries no ambient authority, so it needs no CSRF token.
            user = load_token_user(token)
            login_manager._update_request_context_with_user(user or AnonymousUserMixin())
            return
        if request.method not in _SAFE_METHODS:
            if request.path.startswith("/api/") and not current_user.is_authenticated:
                # No token and no signed-in session: there is no authority to forge, and the
                # client needs to hear 401 (send a token), not "CSRF token missing".
                return
            csrf.protect()

    @app.teardown_request
    def _end_request(exc: BaseException | None) -> None:
        token = g.pop("_tandem_tenant_token", None)
        if token is not None:
            tenancy.release(token)
