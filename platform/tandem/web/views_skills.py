"""Skill pages: my skill profile (self-assessment, interest, willing to mentor) and my skill gaps
with what could close them."""

from __future__ import annotations

import uuid
from itertools import groupby
from typing import Any

from flask import flash, redirect, url_for

from ..core.auth import login_required
from ..core.db import db
from ..learning import gaps, profiles, skills
from ..learning import services as learning
from ..learning.schemas import ProfileLineUpdateSchema
from .blueprint import web
from .forms import Form, attempt
from .pages import as_uuid, me, page

LEVELS = [
    (1, "1 · Awareness"),
    (2, "2 · Working"),
    (3, "3 · Practitioner"),
    (4, "4 · Advanced"),
    (5, "5 · Expert"),
]
LINE_FIELDS = ("self_level", "interested", "willing_to_mentor")


def skill_choices() -> list[tuple[str, list[tuple[str, str]]]]:
    """Active skills grouped by category, for a <select> with option groups."""
    learning.ensure_default_catalogue()
    rows = db.session.scalars(skills.skills_query({})).all()
    return [
        (category, [(str(s.id), s.name) for s in group])
        for category, group in groupby(rows, key=lambda s: s.category)
    ]


def profile_page(add: Form | None = None, line: Form | None = None, line_id: str = "") -> tuple[str, int]:
    actor = me()
    lines = profiles.profile_of(actor, actor.id, {})
    return page(
        "learning/skills.html",
        add,
        line,
        lines=lines,
        add=add or Form({"self_level": "3"}),
        line=line,
        line_id=line_id,
        levels=LEVELS,
        choices=skill_choices(),
    )


@web.get("/skills", endpoint="skills")
@login_required
def skills_profile():  # type: ignore[no-untyped-def]
    return profile_page()


def _save_line(form: Form, skill_id: uuid.UUID | None) -> Any:
    if skill_id is None:
        form.add_errors({"skill_id": ["choose a skill"]})
        return None
    data = form.load(ProfileLineUpdateSchema(), LINE_FIELDS)
    if data is None:
        return None
    actor = me()
    return attempt(form, lambda: profiles.set_line(actor, actor.id, skill_id, data))


@web.post("/skills")
@login_required
def skills_add():  # type: ignore[no-untyped-def]
    form = Form.from_request()
    saved = _save_line(form, as_uuid(form.text("skill_id")))
    if saved is not None:
        flash(f"{saved['skill_name']} is in your profile at level {saved['self_level']}.", "success")
        return redirect(url_for("web.skills"))
    return profile_page(add=form)


@web.post("/skills/<uuid:skill_id>")
@login_required
def skills_line(skill_id: uuid.UUID):  # type: ignore[no-untyped-def]
    form = Form.from_request()
    saved = _save_line(form, skill_id)
    if saved is not None:
        flash(f"{saved['skill_name']} updated.", "success")
        return redirect(url_for("web.skills"))
    return profile_page(line=form, line_id=str(skill_id))


@web.get("/skills/gaps")
@login_required
def skills_gaps():  # type: ignore[no-untyped-def]
    actor = me()
    report = gaps.skill_gaps(actor, actor.id, {"recommendations": 3, "min_gap": 1})
    chart = {
        "type": "bar",
        "x_label": "Skill",
        "labels": [g["skill_name"] for g in report["items"]],
        "datasets": [
            {"label": "Current level", "data": [g["current_level"] for g in report["items"]]},
            {"label": "Required level", "data": [g["required_level"] for g in report["items"]]},
        ],
        "y_min": 0,
        "y_max": 5,
    }
    return page("learning/gaps.html", report=report, chart=chart)
