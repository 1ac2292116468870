"""Posted forms for the pages: what was typed (kept for the re-rendered page), the schema's and the
services' field messages (shown next to each field), and one call that runs a service and turns
an AppError into messages instead of an error page."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from typing import Any, TypeVar

from flask import request
from marshmallow import Schema, ValidationError, fields

from ..core.db import db
from ..core.errors import AppError, Forbidden, NotFound
from ..core.fields import JsonBoolean

T = TypeVar("T")


def flatten(messages: Any, prefix: str = "") -> dict[str, list[str]]:
    """marshmallow's nested messages ({"reviewers": {0: {"person_id": [..]}}}) as dotted names."""
    if isinstance(messages, Mapping):
        out: dict[str, list[str]] = {}
        for key, value in messages.items():
            name = f"{prefix}.{key}" if prefix else str(key)
            for field, found in flatten(value, name).items():
                out.setdefault(field, []).extend(found)
        return out
    if isinstance(messages, list | tuple):
        return {prefix or "form": [str(m) for m in messages]}
    return {prefix or "form": [str(messages)]}


class Form:
    """A form's values as typed (strings, or lists for multi-valued fields), its problems by field
    name, a form-level message and the HTTP status a page with problems answers with."""

    def __init__(self, values: Mapping[str, Any] | None = None, *, posted: bool = False) -> None:
        self.values: dict[str, Any] = dict(values or {})
        self.errors: dict[str, list[str]] = {}
        self.message: str | None = None
        self.status = 200
        self.posted = posted

    @classmethod
    def from_request(cls) -> Form:
        values: dict[str, Any] = {}
        for key in request.form:
            if key == "csrf_token":
                continue
            found = request.form.getlist(key)
            values[key] = found if len(found) > 1 else found[0]
        return cls(values, posted=True)

    # --- reading -----------------------------------------------------------------------------

    def value(self, name: str, default: Any = "") -> Any:
        value = self.values.get(name, default)
        return "" if value is None else value

    def text(self, name: str) -> str:
        value = self.values.get(name)
        if isinstance(value, list):
            value = value[0] if value else ""
        return (value or "").strip() if isinstance(value, str) else ("" if value is None else str(value))

    def getlist(self, name: str) -> list[str]:
        value = self.values.get(name)
        if value is None or value == "":
            return []
        return [v for v in (value if isinstance(value, list) else [value]) if str(v).strip()]

    def checked(self, name: str) -> bool:
        return self.values.get(name) not in (None, "", False, "0", "false")

    def error(self, *names: str) -> list[str]:
        return [message for name in names for message in self.errors.get(name, [])]

    @property
    def has_problems(self) -> bool:
        return bool(self.errors or self.message)

    # --- problems ----------------------------------------------------------------------------

    def add_errors(self, messages: Any, status: int = 422) -> None:
        for name, found in flatten(messages).items():
            self.errors.setdefault(name, []).extend(found)
        self.status = status

    def fail(self, message: str, status: int) -> None:
        self.message, self.status = message, status

    # --- loading with a schema ----------------------------------------------------------------

    def load(self, schema: Schema, names: Iterable[str], *, prefix: str = "") -> dict[str, Any] | None:
        """The named fields converted to what the schema's (strict, JSON-typed) fields take and
        loaded; a blank field is left out. None, with the messages recorded, when it fails."""
        return self.validate(schema, self.raw(schema, names, prefix=prefix), prefix=prefix)

    def validate(self, schema: Schema, raw: dict[str, Any], *, prefix: str = "") -> dict[str, Any] | None:
        """Load data a view assembled itself (rows of a repeated group, say); None on problems."""
        try:
            return schema.load(raw)  # type: ignore[no-any-return]
        except ValidationError as exc:
            self.add_errors({f"{prefix}{k}": v for k, v in flatten(exc.messages).items()})
            return None

    def raw(self, schema: Schema, names: Iterable[str], *, prefix: str = "") -> dict[str, Any]:
        raw: dict[str, Any] = {}
        for name in names:
            field = schema.fields[name]
            key = f"{prefix}{name}"
            if isinstance(field, JsonBoolean | fields.Boolean):
                raw[name] = self.checked(key)
            elif isinstance(field, fields.List):
                raw[name] = self.getlist(key)
            else:
                value = self.text(key)
                if value != "":
                    raw[name] = as_number(field, value)
                elif getattr(field, "allow_none", False) and key in self.values:
                    raw[name] = None
        return raw


def as_number(field: fields.Field, value: str) -> Any:
    """A typed number for numeric fields; text the schema will refuse with its own message."""
    try:
        if isinstance(field, fields.Integer):
            return int(value)
        if isinstance(field, fields.Float):
            return float(value)
    except ValueError:
        return value
    return value


def attempt(form: Form, action: Callable[[], T]) -> T | None:
    """Run a service call; an AppError the person can act on becomes messages on the form (and
    everything the call wrote is rolled back). Absent (404) and forbidden (403) stay error pages."""
    try:
        return action()
    except (NotFound, Forbidden):
        raise
    except AppError as exc:
        db.session.rollback()
        if exc.fields:
            form.add_errors(exc.fields, exc.status)
        else:
            form.fail(exc.message, exc.status)
        return None
