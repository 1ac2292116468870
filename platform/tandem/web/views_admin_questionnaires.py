"""HR admin pages: the organisation's 360 feedback questionnaires (templates), listed with their
size and whether they are in use; creating one, editing one nobody uses yet, and duplicating one
whose questions are fixed so that the copy can be edited."""

from __future__ import annotations

import uuid
from typing import Any

from flask import flash, redirect, url_for

from ..feedback import templates
from ..feedback.models import RATING, TEXT
from ..feedback.schemas import FeedbackTemplateCreateSchema, FeedbackTemplateUpdateSchema
from .blueprint import web
from .forms import Form, attempt
from .pages import me, page
from .views_admin_shared import admin_only, edited, paged, renumber
from .views_skills import skill_choices

KINDS = [(RATING, "Rating, 1 to 5"), (TEXT, "Open text")]
BLANK_ROWS = 2  # empty question rows offered under the existing ones
MAX_ROWS = templates.MAX_QUESTIONS + BLANK_ROWS
LABELS = {"name": "Name", "questions": "Questions"}


def _labels(rows: int) -> dict[str, str]:
    """Readable names for the error summary (`questions.2.prompt` -> "Question 3, text")."""
    parts = {"prompt": "text", "competency": "competency", "skill_id": "skill", "anchors": "labels"}
    names = dict(LABELS)
    for n in range(rows):
        names[f"questions.{n}"] = f"Question {n + 1}"
        for key, said in parts.items():
            names[f"questions.{n}.{key}"] = f"Question {n + 1}, {said}"
        for k in range(5):
            names[f"questions.{n}.anchors.{k}"] = f"Question {n + 1}, label for {k + 1}"
    return names


def _blank_row(values: dict[str, Any], n: int) -> None:
    values.update({f"questions.{n}.kind": RATING, f"questions.{n}.required": "1"})
    values[f"questions.{n}.order"] = str(n + 1)
    for k, label in enumerate(templates.AGREEMENT):
        values[f"questions.{n}.anchors.{k}"] = label


def row_count(form: Form, default: int) -> int:
    raw = form.text("rows")
    return min(MAX_ROWS, int(raw)) if raw.isdigit() else default


def question_rows(form: Form, count: int) -> tuple[list[dict[str, Any]], list[int]]:
    """The questions typed into rows `questions.N.*`, in the order their "Order" numbers give, and
    which row each came from. A row ticked "Remove", or left without text, competency and skill,
    is left out."""
    found = []
    for n in range(count):
        p = f"questions.{n}"
        prompt, competency, skill = (
            form.text(f"{p}.prompt"),
            form.text(f"{p}.competency"),
            form.text(f"{p}.skill_id"),
        )
        if form.checked(f"{p}.remove") or not (prompt or competency or skill):
            continue
        kind = form.text(f"{p}.kind")
        row: dict[str, Any] = {
            "kind": kind,
            "prompt": prompt,
            "competency": competency,
            "skill_id": skill or None,
            "required": form.checked(f"{p}.required"),
        }
        if kind == RATING:
            row["anchors"] = [form.text(f"{p}.anchors.{k}") for k in range(5)]
        order = form.text(f"{p}.order")
        found.append((int(order) if order.isdigit() else n + 1, n, row))
    found.sort(key=lambda entry: (entry[0], entry[1]))
    return [row for _order, _n, row in found], [n for _order, n, _row in found]


def read(form: Form, schema: Any, names: tuple[str, ...]) -> dict[str, Any] | None:
    raw = edited(form, schema, names)
    numbers: list[int] = []
    if "rows" in form.values:  # the questions are on the form (not on a frozen template's page)
        raw["questions"], numbers = question_rows(form, row_count(form, 0))
    data = form.validate(schema, raw)
    renumber(form, "questions", numbers)
    return data


def _skill_names() -> dict[str, str]:
    return {value: name for _category, group in skill_choices() for value, name in group}


# --- the list ------------------------------------------------------------------------------------


@web.get("/admin/feedback/questionnaires", endpoint="admin_questionnaires")
@admin_only
def admin_questionnaires():  # type: ignore[no-untyped-def]
    found = paged(templates.templates_query(include_inactive=True))
    ids = [t.id for t in found["items"]]
    questions = templates.questions_of(ids)
    return page(
        "admin/questionnaires.html",
        found=found,
        counts={i: len(questions.get(i, [])) for i in ids},
        used=templates.used_among(ids),
    )


# --- a new questionnaire -------------------------------------------------------------------------


def new_page(form: Form | None = None):  # type: ignore[no-untyped-def]
    if form is None:
        values: dict[str, Any] = {}
        for n in range(BLANK_ROWS + 1):
            _blank_row(values, n)
        form = Form(values)
    rows = row_count(form, BLANK_ROWS + 1)
    return page(
        "admin/questionnaire_new.html",
        form,
        form=form,
        rows=rows,
        labels=_labels(rows),
        kinds=KINDS,
        choices=skill_choices(),
    )


@web.get("/admin/feedback/questionnaires/new", endpoint="admin_questionnaires_new")
@admin_only
def admin_questionnaires_new():  # type: ignore[no-untyped-def]
    return new_page()


@web.post("/admin/feedback/questionnaires", endpoint="admin_questionnaires_create")
@admin_only
def admin_questionnaires_create():  # type: ignore[no-untyped-def]
    form = Form.from_request()
    form.values.setdefault("rows", "0")
    data = read(form, FeedbackTemplateCreateSchema(), ("name", "description"))
    if data is not None:
        actor = me()
        template = attempt(form, lambda: templates.create_template(actor, data))
        if template is not None:
            flash(f"“{template.name}” is ready to use.", "success")
            return redirect(url_for("web.admin_questionnaires_item", template_id=template.id))
    return new_page(form)


# --- one questionnaire ---------------------------------------------------------------------------


def item_page(template_id: uuid.UUID, form: Form | None = None):  # type: ignore[no-untyped-def]
    template = templates.get_template(template_id)
    questions = templates.questions_of([template.id])[template.id]
    frozen = template.id in templates.used_among([template.id])
    if form is None:
        values: dict[str, Any] = {
            "name": template.name,
            "description": template.description,
            "is_active": "1" if template.is_active else "",
        }
        for n, q in enumerate(questions):
            p = f"questions.{n}"
            values.update(
                {
                    f"{p}.order": str(n + 1),
                    f"{p}.kind": q.kind,
                    f"{p}.prompt": q.prompt,
                    f"{p}.competency": q.competency,
                    f"{p}.skill_id": str(q.skill_id) if q.skill_id else "",
                    f"{p}.required": "1" if q.required else "",
                }
            )
            anchors = list(q.anchors or []) if q.kind == RATING else templates.AGREEMENT
            for k, label in enumerate(anchors[:5]):
                values[f"{p}.anchors.{k}"] = label
        for n in range(len(questions), len(questions) + BLANK_ROWS):
            _blank_row(values, n)
        form = Form(values)
    rows = row_count(form, len(questions) + BLANK_ROWS)
    return page(
        "admin/questionnaire.html",
        form,
        questionnaire=template,
        questions=questions,
        frozen=frozen,
        form=form,
        rows=rows,
        labels=_labels(rows),
        kinds=KINDS,
        choices=[] if frozen else skill_choices(),
        skill_names=_skill_names() if frozen else {},
    )


@web.get("/admin/feedback/questionnaires/<uuid:template_id>", endpoint="admin_questionnaires_item")
@admin_only
def admin_questionnaires_item(template_id: uuid.UUID):  # type: ignore[no-untyped-def]
    return item_page(template_id)


@web.post("/admin/feedback/questionnaires/<uuid:template_id>", endpoint="admin_questionnaires_save")
@admin_only
def admin_questionnaires_save(template_id: uuid.UUID):  # type: ignore[no-untyped-def]
    templates.get_template(template_id)  # another organisation's template: 404 before reading the form
    form = Form.from_request()
    # Questions are sent only from the editable form; the service refuses them (409) once in use.
    data = read(form, FeedbackTemplateUpdateSchema(), ("name", "description", "is_active"))
    if data is not None:
        actor = me()
        template = attempt(form, lambda: templates.update_template(actor, template_id, data))
        if template is not None:
            flash(f"“{template.name}” saved.", "success")
            return redirect(url_for("web.admin_questionnaires_item", template_id=template.id))
    return item_page(template_id, form)


@web.post(
    "/admin/feedback/questionnaires/<uuid:template_id>/duplicate", endpoint="admin_questionnaires_duplicate"
)
@admin_only
def admin_questionnaires_duplicate(template_id: uuid.UUID):  # type: ignore[no-untyped-def]
    copy = templates.copy_template(me(), template_id)
    flash(f"“{copy.name}” is a copy you can edit.", "success")
    return redirect(url_for("web.admin_questionnaires_item", template_id=copy.id))
