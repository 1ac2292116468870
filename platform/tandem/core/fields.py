"""Strict marshmallow fields for JSON bodies: a boolean is true or false, a number is a number.

marshmallow would also take 0, 1 and "yes" for a boolean and numeric strings for numbers; a JSON
API should refuse what its schema does not describe (schemathesis checks that it does)."""

from __future__ import annotations

from marshmallow import fields


class JsonBoolean(fields.Boolean):
    """true or false only."""

    def _deserialize(self, value, attr, data, **kwargs):  # type: ignore[no-untyped-def]
        if not isinstance(value, bool):
            raise self.make_error("invalid")
        return value


class JsonFloat(fields.Float):
    """A number only (no strings, no booleans)."""

    def _deserialize(self, value, attr, data, **kwargs):  # type: ignore[no-untyped-def]
        if isinstance(value, str | bool):
            raise self.make_error("invalid")
        return super()._deserialize(value, attr, data, **kwargs)


class JsonInteger(fields.Integer):
    """An integer only (no strings, no floats, no booleans)."""

    def __init__(self, **kwargs):  # type: ignore[no-untyped-def]
        super().__init__(strict=True, **kwargs)

    def _deserialize(self, value, attr, data, **kwargs):  # type: ignore[no-untyped-def]
        if isinstance(value, str | bool):
            raise self.make_error("invalid")
        return super()._deserialize(value, attr, data, **kwargs)
