"""Logs as JSON lines with the request id, tenant and user on every line (ids only: never
names, emails or feedback text)."""

from __future__ import annotations

import json
import logging
import re
import sys
import time
import uuid
from contextvars import ContextVar
from datetime import UTC, datetime

from flask import Flask, Response, g, request

from . import tenancy

request_id_var: ContextVar[str | None] = ContextVar("tandem_request_id", default=None)
_VALID_REQUEST_ID = re.compile(r"^[A-Za-z0-9._-]{1,64}$")
_HANDLER_NAME = "tandem-stdout"
access_log = logging.getLogger("tandem.access")


def _current_user_id() -> str | None:
    # Read what Flask-Login already loaded; formatting a log line must never load a user.
    from flask import has_request_context

    if not has_request_context():
        return None
    user = g.get("_login_user")
    return str(user.id) if user is not None and getattr(user, "is_authenticated", False) else None


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        tenant = tenancy.bound_tenant_id()
        line = {
            "ts": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname.lower(),
            "logger": record.name,
            "message": record.getMessage(),
            "request_id": request_id_var.get(),
            "tenant_id": str(tenant) if tenant else None,
            "user_id": _current_user_id(),
        }
        for key in ("method", "route", "status", "duration_ms", "job_id", "queue"):
            if hasattr(record, key):
                line[key] = getattr(record, key)
        if record.exc_info:
            line["exception"] = self.formatException(record.exc_info)
        return json.dumps(line, default=str)


def configure(level: str, as_json: bool) -> None:
    """One stdout handler on the root logger (replaced, not stacked, when called again)."""
    root = logging.getLogger()
    root.handlers = [h for h in root.handlers if h.get_name() != _HANDLER_NAME]
    handler = logging.StreamHandler(sys.stdout)
    handler.set_name(_HANDLER_NAME)
    handler.setFormatter(
        JsonFormatter() if as_json else logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s")
    )
    root.addHandler(handler)
    root.setLevel(level)
    logging.getLogger("alembic").setLevel(max(logging.WARNING, root.level))  # its start-up chatter


def install(app: Flask) -> None:
    @app.before_request
    def _start() -> None:
        incoming = request.headers.get("X-Request-ID", "")
        g._request_id = incoming if _VALID_REQUEST_ID.match(incoming) else uuid.uuid4().hex
        g._request_id_token = request_id_var.set(g._request_id)
        g._started = time.perf_counter()

    @app.after_request
    def _finish(response: Response) -> Response:
        response.headers["X-Request-ID"] = g.get("_request_id", "")
        if request.path not in ("/healthz", "/readyz", "/metrics"):
            access_log.info(
                "%s %s %s",
                request.method,
                request.url_rule or request.path,
                response.status_code,
                extra={
                    "method": request.method,
                    "route": str(request.url_rule or "unmatched"),
                    "status": response.status_code,
                    "duration_ms": round(
                        (time.perf_counter() - g.get("_started", time.perf_counter())) * 1000, 1
                    ),
                },
            )
        return response

    @app.teardown_request
    def _forget(exc: BaseException | None) -> None:
        token = g.pop("_request_id_token", None)
        if token is not None:
            request_id_var.reset(token)
