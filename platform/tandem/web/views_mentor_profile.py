"""My mentor profile: opt in (or out) as a mentor, how many mentees at once, the skills offered at
a level from the skills catalogue, topics and availability, saved with the service the API's
PUT /api/v1/mentoring/profile calls."""

from __future__ import annotations

import re
from typing import Any

import sqlalchemy as sa
from flask import flash, redirect, request, url_for

from ..core.auth import login_required
from ..core.db import db
from ..learning import profiles
from ..learning.models import Skill
from ..mentoring import services as mentoring
from ..mentoring.schemas import MentorProfileSchema
from .blueprint import web
from .forms import Form, attempt
from .pages import as_uuid, me, page
from .views_skills import LEVELS, skill_choices

BLANK_ROWS = 3
MAX_ROWS = 50  # the API takes up to 50 skills
_ROW = re.compile(r"skills\.(\d+)\.skill_id$")


def saved_values(actor: Any) -> tuple[dict[str, Any], bool]:
    """The form as stored (and whether there is a profile); without one, the skills marked
    "I could mentor it" in the skill profile are offered at the person's own level."""
    profile = mentoring.profile_of(actor.id)
    if profile is not None:
        offered = mentoring.mentor_skills([profile.id]).get(profile.id, [])
        values: dict[str, Any] = {
            "is_open": "1" if profile.is_open else "",
            "capacity": str(profile.capacity),
            "topics": ", ".join(profile.topics or []),
            "availability": profile.availability or "",
        }
    else:
        offered = [
            {"skill_id": line["skill_id"], "level": line["self_level"] or 3}
            for line in profiles.profile_of(actor, actor.id, {"willing_to_mentor": True})
        ]
        values = {"is_open": "1", "capacity": "1", "topics": "", "availability": ""}
    for n, line in enumerate(offered):
        values[f"skills.{n}.skill_id"] = str(line["skill_id"])
        values[f"skills.{n}.level"] = str(line["level"])
    return values, profile is not None


def row_count(form: Form) -> int:
    """Rows to draw: every row typed (or stored) and a few blank ones to add more."""
    used = [int(m.group(1)) for key in form.values if (m := _ROW.match(key))]
    return min(MAX_ROWS, max(used, default=-1) + 1 + BLANK_ROWS)


def skill_rows(form: Form) -> tuple[list[dict[str, Any]], list[int]]:
    """The rows with a skill chosen, as the schema takes them, and the row number of each."""
    rows, numbers = [], []
    for n in range(MAX_ROWS):
        skill = form.text(f"skills.{n}.skill_id")
        if skill:
            level = form.text(f"skills.{n}.level")
            rows.append({"skill_id": skill, "level": int(level) if level.isdigit() else level})
            numbers.append(n)
    return rows, numbers


def place_messages(form: Form, numbers: list[int]) -> None:
    """Messages about "the n-th skill sent" go to the row the person filled; a topic's message goes
    to the topics field."""
    moved: dict[str, list[str]] = {}
    for name, messages in form.errors.items():
        parts = name.split(".")
        if parts[0] == "skills" and len(parts) >= 2 and parts[1].isdigit() and int(parts[1]) < len(numbers):
            parts[1] = str(numbers[int(parts[1])])
        elif parts[0] == "topics" and len(parts) == 2 and parts[1].isdigit():
            messages = [f"topic {int(parts[1]) + 1}: {m}" for m in messages]
            parts = ["topics"]
        moved.setdefault(".".join(parts), []).extend(messages)
    form.errors = moved


def choices_with(form: Form, rows: int) -> list[tuple[str, list[tuple[str, str]]]]:
    """Active skills by category, plus any no longer active that a row holds (so it is seen)."""
    choices = skill_choices()
    offered = {value for _group, items in choices for value, _label in items}
    held = {form.text(f"skills.{n}.skill_id") for n in range(rows)} - offered
    ids = [i for i in (as_uuid(v) for v in held if v) if i is not None]
    if ids:
        found = db.session.execute(sa.select(Skill.id, Skill.name, Skill.status).where(Skill.id.in_(ids)))
        extra = [(str(i), f"{name} ({status})") for i, name, status in found]
        if extra:
            choices = [*choices, ("No longer offered", extra)]
    return choices


def profile_page(form: Form, has_profile: bool) -> tuple[str, int]:
    actor = me()
    rows = row_count(form)
    labels = {"is_open": "Taking mentees now", "capacity": "Mentees at once", "skills": "Skills you offer"}
    for n in range(rows):
        labels[f"skills.{n}.skill_id"] = labels[f"skills.{n}"] = f"Skill {n + 1}"
        labels[f"skills.{n}.level"] = f"Level for skill {n + 1}"
    return page(
        "mentoring/profile.html",
        form,
        form=form,
        has_profile=has_profile,
        rows=range(rows),
        choices=choices_with(form, rows),
        levels=LEVELS,
        labels=labels,
        load=mentoring.loads([actor.id]).get(actor.id, 0),
    )


@web.route("/mentoring/profile", methods=["GET", "POST"])
@login_required
def mentoring_profile():  # type: ignore[no-untyped-def]
    actor = me()
    if request.method == "GET":
        values, has_profile = saved_values(actor)
        for n in range(row_count(Form(values))):
            values.setdefault(f"skills.{n}.level", "3")
        return profile_page(Form(values), has_profile)
    form = Form.from_request()
    skills, numbers = skill_rows(form)
    raw: dict[str, Any] = {
        "is_open": form.checked("is_open"),
        "topics": [t.strip() for t in form.text("topics").split(",") if t.strip()],
        "availability": form.text("availability"),
        "skills": skills,
    }
    capacity = form.text("capacity")
    if capacity:
        raw["capacity"] = int(capacity) if re.fullmatch(r"-?\d+", capacity) else capacity
    data = form.validate(MentorProfileSchema(), raw)
    if data is not None and attempt(form, lambda: mentoring.save_profile(actor, data)) is not None:
        if data["is_open"] and data["capacity"] > 0:
            places = f"{data['capacity']} {'mentee' if data['capacity'] == 1 else 'mentees'}"
            flash(f"Your mentor profile is saved: you are open to {places} at once.", "success")
        else:
            flash("Your mentor profile is saved: you are not taking mentees now.", "success")
        return redirect(url_for("web.mentoring_profile"))
    place_messages(form, numbers)
    return profile_page(form, mentoring.profile_of(actor.id) is not None)
