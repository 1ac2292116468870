"""Refuse input the database cannot store, before any view sees it.

PostgreSQL text cannot hold NUL characters; rather than fail deep inside a query, a request that
carries one anywhere (query string, form, JSON body) is answered 422 naming the field."""

from __future__ import annotations

from typing import Any

from flask import Flask, request

from .errors import ValidationFailed

_NUL = "\x00"


def _nul_paths(value: Any, path: str) -> list[str]:
    if isinstance(value, str):
        return [path] if _NUL in value else []
    if isinstance(value, dict):
        found = []
        for key, item in value.items():
            key_path = f"{path}.{key}" if path else str(key)
            found += [key_path] if _NUL in str(key) else _nul_paths(item, key_path)
        return found
    if isinstance(value, list):
        return [p for index, item in enumerate(value) for p in _nul_paths(item, f"{path}[{index}]")]
    return []


def check_request() -> None:
    problems: dict[str, list[str]] = {}
    for values in (request.args, request.form):
        for key in values:
            if any(_NUL in v for v in values.getlist(key)) or _NUL in key:
                problems[key] = ["must not contain NUL characters"]
    if request.is_json:
        body = request.get_json(silent=True)
        for path in _nul_paths(body, ""):
            problems[path or "body"] = ["must not contain NUL characters"]
    if problems:
        raise ValidationFailed("Text must not contain NUL characters", problems)


def install(app: Flask) -> None:
    app.before_request(check_request)
