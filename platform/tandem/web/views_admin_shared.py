"""What every HR admin page shares: the HR-admin guard, one page of a query with its page links,
and rows of (skill, level) pairs typed into repeated form fields."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any, TypeVar

from flask import request
from marshmallow import fields

from ..core.auth import hr_admin_required
from ..core.pagination import page_of
from .forms import Form

F = TypeVar("F", bound=Callable[..., Any])
PER_PAGE = 50

# Everyone but HR admins gets the 403 page; another organisation's ids are 404 in the services.
admin_only: Callable[[F], F] = hr_admin_required


def page_number() -> int:
    raw = request.args.get("page", "1")
    return max(1, min(100_000, int(raw))) if raw.isdigit() else 1


def paged(stmt: Any, per_page: int = PER_PAGE) -> dict[str, Any]:
    """One page of `stmt` with the numbers the pager macro needs."""
    found = page_of(stmt, {"page": page_number(), "per_page": per_page})
    found["pages"] = max(1, -(-found["total"] // per_page))
    return found


def level_rows(
    form: Form, group: str, count: int, *, with_note: bool = False
) -> tuple[list[dict[str, Any]], list[int]]:
    """The filled rows of a repeated `group.N.skill_id` / `group.N.level` set, and which N each came
    from (so problems the schema reports for row i land on the row the person typed in)."""
    rows, numbers = [], []
    for n in range(count):
        skill = form.text(f"{group}.{n}.skill_id")
        if not skill:
            continue
        level = form.text(f"{group}.{n}.level")
        row: dict[str, Any] = {"skill_id": skill, "level": int(level) if level.isdigit() else level}
        if with_note:
            row["note"] = form.text(f"{group}.{n}.note")
        rows.append(row)
        numbers.append(n)
    return rows, numbers


def renumber(form: Form, group: str, numbers: list[int]) -> None:
    """Move `group.i.field` problems (i counts filled rows) onto the row numbers of the page."""
    moved: dict[str, list[str]] = {}
    for name, messages in form.errors.items():
        parts = name.split(".")
        if len(parts) >= 2 and parts[0] == group and parts[1].isdigit() and int(parts[1]) < len(numbers):
            parts[1] = str(numbers[int(parts[1])])
        moved.setdefault(".".join(parts), []).extend(messages)
    form.errors = moved


def edited(form: Form, schema: Any, names: Iterable[str]) -> dict[str, Any]:
    """Form.raw for an edit form: a text field emptied on purpose is sent as "" (the schema and
    service then clear it, or say it is required), where a new record would leave it out."""
    raw = form.raw(schema, names)
    for name in names:
        if name not in raw and name in form.values and isinstance(schema.fields[name], fields.String):
            raw[name] = ""
    return raw
