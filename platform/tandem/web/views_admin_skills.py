"""HR admin pages: the skills catalogue, searched and paged; adding a skill; editing, retiring or
bringing one back; merging one into another."""

from __future__ import annotations

import uuid

from flask import flash, redirect, request, url_for

from ..learning import services as learning
from ..learning import skills
from ..learning.models import MERGED
from ..learning.schemas import MergeSchema, SkillSchema, SkillUpdateSchema
from .blueprint import web
from .forms import Form, attempt
from .pages import me, page
from .views_admin_shared import admin_only, edited, paged
from .views_skills import skill_choices

ADD_FIELDS = ("name", "category", "description")
EDIT_FIELDS = (*ADD_FIELDS, "status")
STATUSES = (("active", "Active"), ("retired", "Retired"), ("merged", "Merged"), ("all", "All"))


def _filters() -> dict[str, str]:
    status = request.args.get("status", "active")
    return {
        "q": (request.args.get("q") or "").strip()[:100],
        "category": (request.args.get("category") or "").strip()[:60],
        "status": status if status in dict(STATUSES) else "active",
    }


def list_page(form: Form | None = None):  # type: ignore[no-untyped-def]
    learning.ensure_default_catalogue()
    filters = _filters()
    found = paged(skills.skills_query(filters))
    return page(
        "admin/skills.html",
        form,
        form=form or Form({"category": filters["category"]}),
        found=found,
        filters=filters,
        statuses=STATUSES,
        categories=skills.categories(),
        kept={k: v for k, v in filters.items() if v and not (k == "status" and v == "active")},
    )


@web.get("/admin/skills", endpoint="admin_skills")
@admin_only
def admin_skills():  # type: ignore[no-untyped-def]
    return list_page()


@web.post("/admin/skills")
@admin_only
def admin_skills_add():  # type: ignore[no-untyped-def]
    form = Form.from_request()
    data = form.load(SkillSchema(), ADD_FIELDS)
    if data is not None:
        actor = me()
        skill = attempt(form, lambda: skills.create_skill(actor, data))
        if skill is not None:
            flash(f"Skill “{skill.name}” added to {skill.category}.", "success")
            return redirect(url_for("web.admin_skill", skill_id=skill.id))
    return list_page(form)


def skill_page(skill_id: uuid.UUID, form: Form | None = None, merge: Form | None = None):  # type: ignore[no-untyped-def]
    skill = learning.get_skill(skill_id)
    into = learning.get_skill(skill.merged_into_id) if skill.merged_into_id else None
    values = {name: getattr(skill, name) for name in ("name", "category", "description", "status")}
    values.update({f"level.{n}": text for n, text in enumerate(skill.level_descriptions or [])})
    choices = [
        (group, [(value, label) for value, label in items if value != str(skill.id)])
        for group, items in skill_choices()
    ]
    return page(
        "admin/skill.html",
        form,
        merge,
        skill=skill,
        into=into,
        related=skills.related_of([skill.id]).get(skill.id, []),
        form=form or Form(values),
        merge=merge or Form(),
        choices=choices,
        is_merged=skill.status == MERGED,
    )


@web.get("/admin/skills/<uuid:skill_id>", endpoint="admin_skill")
@admin_only
def admin_skill(skill_id: uuid.UUID):  # type: ignore[no-untyped-def]
    return skill_page(skill_id)


@web.post("/admin/skills/<uuid:skill_id>")
@admin_only
def admin_skill_save(skill_id: uuid.UUID):  # type: ignore[no-untyped-def]
    learning.get_skill(skill_id)  # another organisation's skill: 404 before reading the form
    form = Form.from_request()
    data = form.validate(SkillUpdateSchema(), edited(form, SkillUpdateSchema(), EDIT_FIELDS))
    levels = [form.text(f"level.{n}") for n in range(5)]
    if data is not None:
        if any(levels):
            data["level_descriptions"] = levels
        actor = me()
        skill = attempt(form, lambda: skills.update_skill(actor, skill_id, data))
        if skill is not None:
            flash(f"Skill “{skill.name}” saved ({skill.status}).", "success")
            return redirect(url_for("web.admin_skill", skill_id=skill.id))
    return skill_page(skill_id, form=form)


@web.post("/admin/skills/<uuid:skill_id>/merge")
@admin_only
def admin_skill_merge(skill_id: uuid.UUID):  # type: ignore[no-untyped-def]
    learning.get_skill(skill_id)
    merge = Form.from_request()
    data = merge.load(MergeSchema(), ("into_skill_id",))
    if data is not None:
        actor = me()
        target = attempt(merge, lambda: skills.merge_skill(actor, skill_id, data["into_skill_id"]))
        if target is not None:
            flash(f"Merged into “{target.name}”: profiles, requirements and tags moved there.", "success")
            return redirect(url_for("web.admin_skill", skill_id=target.id))
    return skill_page(skill_id, merge=merge)
