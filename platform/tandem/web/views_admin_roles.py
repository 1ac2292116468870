"""HR admin pages: role profiles (what a job title or career step requires: skills at levels, with
a note on what the level means in the role), listed, created and edited."""

from __future__ import annotations

import uuid
from typing import Any

from flask import flash, redirect, request, url_for

from ..core.db import db
from ..learning import catalogue
from ..learning.models import RoleRequirement
from ..learning.schemas import RoleProfileSchema, RoleProfileUpdateSchema
from .blueprint import web
from .forms import Form, attempt
from .pages import me, page
from .views_admin_shared import admin_only, edited, level_rows, paged, renumber
from .views_skills import LEVELS, skill_choices

FIELDS = ("name", "job_title", "track", "description", "next_profile_id")
BLANK_ROWS = 3


def profile_choices(exclude: uuid.UUID | None = None) -> list[tuple[str, str]]:
    rows = db.session.scalars(catalogue.profiles_query({"include_inactive": True}))
    return [(str(p.id), p.name) for p in rows if p.id != exclude]


def read(form: Form, schema: Any, names: tuple[str, ...], rows: int) -> dict[str, Any] | None:
    """The profile's fields and its filled requirement rows, checked by the API's schema."""
    raw = edited(form, schema, names)
    requirements, numbers = level_rows(form, "requirements", rows, with_note=True)
    raw["requirements"] = requirements
    data = form.validate(schema, raw)
    renumber(form, "requirements", numbers)
    return data


def list_page(form: Form | None = None):  # type: ignore[no-untyped-def]
    q = (request.args.get("q") or "").strip()[:100]
    found = paged(catalogue.profiles_query({"include_inactive": True, "q": q}))
    ids = [p.id for p in found["items"]]
    return page(
        "admin/roles.html",
        form,
        form=form or Form({f"requirements.{n}.level": "3" for n in range(BLANK_ROWS + 2)}),
        found=found,
        q=q,
        requirements=catalogue.skill_tags(ids, RoleRequirement, "role_profile_id"),
        names={
            p.id: p.name for p in db.session.scalars(catalogue.profiles_query({"include_inactive": True}))
        },
        rows=BLANK_ROWS + 2,
        choices=skill_choices(),
        levels=LEVELS,
        next_choices=profile_choices(),
    )


@web.get("/admin/roles", endpoint="admin_roles")
@admin_only
def admin_roles():  # type: ignore[no-untyped-def]
    return list_page()


@web.post("/admin/roles")
@admin_only
def admin_roles_add():  # type: ignore[no-untyped-def]
    form = Form.from_request()
    data = read(form, RoleProfileSchema(), FIELDS, BLANK_ROWS + 2)
    if data is not None:
        actor = me()
        profile = attempt(form, lambda: catalogue.create_profile(actor, data))
        if profile is not None:
            flash(f"Role profile “{profile.name}” created.", "success")
            return redirect(url_for("web.admin_role", profile_id=profile.id))
    return list_page(form)


def role_page(profile_id: uuid.UUID, form: Form | None = None):  # type: ignore[no-untyped-def]
    profile = catalogue.get_profile(profile_id)
    current = catalogue.skill_tags([profile.id], RoleRequirement, "role_profile_id").get(profile.id, [])
    if form is None:
        values: dict[str, Any] = {name: getattr(profile, name) or "" for name in FIELDS}
        values["is_active"] = "1" if profile.is_active else ""
        for n, r in enumerate(current):
            values.update(
                {
                    f"requirements.{n}.skill_id": str(r["skill_id"]),
                    f"requirements.{n}.level": str(r["level"]),
                    f"requirements.{n}.note": r.get("note", ""),
                }
            )
        for n in range(len(current), len(current) + BLANK_ROWS):
            values[f"requirements.{n}.level"] = "3"
        form = Form(values)
    rows = max(len(current) + BLANK_ROWS, int(form.value("rows") or 0))
    return page(
        "admin/role.html",
        form,
        profile=profile,
        form=form,
        rows=rows,
        choices=skill_choices(),
        levels=LEVELS,
        next_choices=profile_choices(exclude=profile.id),
    )


@web.get("/admin/roles/<uuid:profile_id>", endpoint="admin_role")
@admin_only
def admin_role(profile_id: uuid.UUID):  # type: ignore[no-untyped-def]
    return role_page(profile_id)


@web.post("/admin/roles/<uuid:profile_id>")
@admin_only
def admin_role_save(profile_id: uuid.UUID):  # type: ignore[no-untyped-def]
    catalogue.get_profile(profile_id)  # another organisation's profile: 404 before reading the form
    form = Form.from_request()
    rows = min(200, int(form.text("rows"))) if form.text("rows").isdigit() else BLANK_ROWS
    data = read(form, RoleProfileUpdateSchema(), (*FIELDS, "is_active"), rows)
    if data is not None:
        actor = me()
        profile = attempt(form, lambda: catalogue.update_profile(actor, profile_id, data))
        if profile is not None:
            flash(f"Role profile “{profile.name}” saved.", "success")
            return redirect(url_for("web.admin_role", profile_id=profile.id))
    return role_page(profile_id, form)
