"""HR admin pages: the learning catalogue (courses, books, certifications... tagged with the skills
they teach), searched and paged, with adding, editing and retiring items."""

from __future__ import annotations

import uuid
from typing import Any

from flask import flash, redirect, request, url_for

from ..learning import catalogue
from ..learning.models import ITEM_KINDS, CatalogueItemSkill
from ..learning.schemas import CatalogueItemSchema, CatalogueItemUpdateSchema
from .blueprint import web
from .forms import Form, attempt
from .pages import me, page
from .views_admin_shared import admin_only, edited, level_rows, paged, renumber
from .views_skills import LEVELS, skill_choices

FIELDS = ("title", "kind", "provider", "url", "hours", "description", "validity_months")
SKILL_ROWS = 3
KINDS = [(k, k.replace("_", " ").capitalize()) for k in ITEM_KINDS]


def read(form: Form, schema: Any, names: tuple[str, ...], rows: int) -> dict[str, Any] | None:
    raw = edited(form, schema, names)
    for name in ("hours", "validity_months"):  # emptied numbers clear the value
        if name not in raw and name in form.values:
            raw[name] = None
    tags, numbers = level_rows(form, "skills", rows)
    raw["skills"] = tags
    data = form.validate(schema, raw)
    renumber(form, "skills", numbers)
    return data


def list_page(form: Form | None = None):  # type: ignore[no-untyped-def]
    kind = request.args.get("kind") if request.args.get("kind") in ITEM_KINDS else ""
    q = (request.args.get("q") or "").strip()[:100]
    inactive = request.args.get("include_inactive") == "1"
    found = paged(catalogue.catalogue_query({"q": q, "kind": kind, "include_inactive": inactive}))
    kept = {k: v for k, v in {"q": q, "kind": kind, "include_inactive": "1" if inactive else ""}.items() if v}
    return page(
        "admin/catalogue.html",
        form,
        form=form or Form({"kind": "course", **{f"skills.{n}.level": "3" for n in range(SKILL_ROWS)}}),
        found=found,
        tags=catalogue.skill_tags([i.id for i in found["items"]], CatalogueItemSkill, "item_id"),
        q=q,
        kind=kind,
        inactive=inactive,
        kept=kept,
        kinds=KINDS,
        rows=SKILL_ROWS,
        choices=skill_choices(),
        levels=LEVELS,
    )


@web.get("/admin/catalogue", endpoint="admin_catalogue")
@admin_only
def admin_catalogue():  # type: ignore[no-untyped-def]
    return list_page()


@web.post("/admin/catalogue")
@admin_only
def admin_catalogue_add():  # type: ignore[no-untyped-def]
    form = Form.from_request()
    data = read(form, CatalogueItemSchema(), FIELDS, SKILL_ROWS)
    if data is not None:
        actor = me()
        item = attempt(form, lambda: catalogue.create_catalogue_item(actor, data))
        if item is not None:
            flash(f"“{item.title}” is in the catalogue.", "success")
            return redirect(url_for("web.admin_catalogue"))
    return list_page(form)


def item_page(item_id: uuid.UUID, form: Form | None = None):  # type: ignore[no-untyped-def]
    item = catalogue.get_catalogue_item(item_id)
    current = catalogue.skill_tags([item.id], CatalogueItemSkill, "item_id").get(item.id, [])
    if form is None:
        values: dict[str, Any] = {
            name: "" if getattr(item, name) is None else getattr(item, name) for name in FIELDS
        }
        values["is_active"] = "1" if item.is_active else ""
        for n, tag in enumerate(current):
            values[f"skills.{n}.skill_id"], values[f"skills.{n}.level"] = (
                str(tag["skill_id"]),
                str(tag["level"]),
            )
        for n in range(len(current), len(current) + SKILL_ROWS):
            values[f"skills.{n}.level"] = "3"
        form = Form(values)
    rows = max(len(current) + SKILL_ROWS, int(form.value("rows") or 0))
    return page(
        "admin/catalogue_item.html",
        form,
        item=item,
        form=form,
        rows=rows,
        kinds=KINDS,
        choices=skill_choices(),
        levels=LEVELS,
    )


@web.get("/admin/catalogue/<uuid:item_id>", endpoint="admin_catalogue_item")
@admin_only
def admin_catalogue_item(item_id: uuid.UUID):  # type: ignore[no-untyped-def]
    return item_page(item_id)


@web.post("/admin/catalogue/<uuid:item_id>")
@admin_only
def admin_catalogue_item_save(item_id: uuid.UUID):  # type: ignore[no-untyped-def]
    catalogue.get_catalogue_item(item_id)  # another organisation's item: 404 before reading the form
    form = Form.from_request()
    rows = min(60, int(form.text("rows"))) if form.text("rows").isdigit() else SKILL_ROWS
    data = read(form, CatalogueItemUpdateSchema(), (*FIELDS, "is_active"), rows)
    if data is not None:
        actor = me()
        item = attempt(form, lambda: catalogue.update_catalogue_item(actor, item_id, data))
        if item is not None:
            flash(f"“{item.title}” saved.", "success")
            return redirect(url_for("web.admin_catalogue_item", item_id=item.id))
    return item_page(item_id, form)
