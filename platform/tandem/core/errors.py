"""Errors services raise, and the handlers that turn every error into the one JSON shape."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from flask import Flask, Response, jsonify, render_template, request
from werkzeug.exceptions import HTTPException


class AppError(Exception):
    """An error a user can act on. Services raise these; views never build error responses."""

    status = 400
    code = "bad_request"

    def __init__(self, message: str, fields: dict[str, Any] | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.fields = fields or {}


class BadRequest(AppError):
    status, code = 400, "bad_request"


class Unauthorized(AppError):
    status, code = 401, "unauthorized"


class Forbidden(AppError):
    status, code = 403, "forbidden"


class NotFound(AppError):
    """Absent, or belongs to another tenant: the two are indistinguishable on purpose."""

    status, code = 404, "not_found"


class Conflict(AppError):
    status, code = 409, "conflict"


class ValidationFailed(AppError):
    """Field-level problems: `fields` maps a field name to a list of messages."""

    status, code = 422, "validation_failed"


def field_error(field: str, message: str) -> ValidationFailed:
    return ValidationFailed(f"{field}: {message}", {field: [message]})


def error_body(status: int, message: str, fields: dict[str, Any] | None = None) -> dict[str, Any]:
    """The stable error shape (the same one flask-smorest uses for argument errors)."""
    from http import HTTPStatus

    body: dict[str, Any] = {
        "code": status,
        "status": HTTPStatus(status).phrase,
        "message": message,
    }
    if fields:
        body["errors"] = {"json": fields}
    return body


def wants_json() -> bool:
    return request.path.startswith("/api/") or request.accept_mimetypes.best == "application/json"


def _respond(
    status: int, message: str, fields: dict[str, Any] | None = None, headers: dict[str, str] | None = None
) -> tuple[Response | str, int, dict[str, str]]:
    if wants_json():
        return jsonify(error_body(status, message, fields)), status, headers or {}
    page = render_template("error.html", status=status, message=message, fields=fields or {})
    return page, status, headers or {}


def register_error_handlers(app: Flask) -> None:
    from . import db as dbmod

    @app.errorhandler(AppError)
    def _app_error(error: AppError):  # type: ignore[no-untyped-def]
        dbmod.db.session.rollback()
        return _respond(error.status, error.message, error.fields)

    @app.errorhandler(HTTPException)
    def _http_error(error: HTTPException):  # type: ignore[no-untyped-def]
        dbmod.db.session.rollback()
        status = error.code or 500
        headers = dict(error.get_headers())
        headers.pop("Content-Type", None)
        fields = None
        data = getattr(error, "data", None)  # webargs puts field messages here
        if isinstance(data, dict) and "messages" in data:
            messages = data["messages"]
            fields = next(iter(messages.values())) if len(messages) == 1 else messages
        return _respond(status, error.description or "", fields, headers)

    @app.errorhandler(sa.exc.IntegrityError)
    def _integrity_error(error: sa.exc.IntegrityError):  # type: ignore[no-untyped-def]
        # Constraints are the last line against races (two requests creating the same thing);
        # the services check first, so reaching this means a concurrent write won.
        dbmod.db.session.rollback()
        return _respond(409, "This change conflicts with data that was just written; try again.")

    @app.errorhandler(sa.exc.DataError)
    def _data_error(error: sa.exc.DataError):  # type: ignore[no-untyped-def]
        # The last line: a value the database cannot store (out of range, malformed) is bad input.
        dbmod.db.session.rollback()
        return _respond(422, "A value is not valid for storage (out of range or malformed).")

    @app.errorhandler(Exception)
    def _unexpected(error: Exception):  # type: ignore[no-untyped-def]
        dbmod.db.session.rollback()
        app.logger.exception("unhandled error")
        return _respond(500, "An unexpected error happened; it has been logged.")
