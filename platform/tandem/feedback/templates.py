"""Questionnaire templates: the seeded defaults (a general 360, a manager 360, a quick one) and
HR admins' own. A template's questions are fixed once a request or cycle uses it."""

from __future__ import annotations

import uuid
from collections import defaultdict
from collections.abc import Iterable
from typing import Any

import sqlalchemy as sa

from ..core import audit
from ..core.db import db
from ..core.errors import Conflict, NotFound, field_error
from ..learning.models import Skill
from ..people.models import User
from .models import RATING, TEXT, FeedbackCycle, FeedbackQuestion, FeedbackRequest, FeedbackTemplate
from .services import require_hr

AGREEMENT = ["Strongly disagree", "Disagree", "Neither agree nor disagree", "Agree", "Strongly agree"]
FREQUENCY = ["Never", "Rarely", "Sometimes", "Often", "Always"]
MAX_QUESTIONS = 60


def _rating(prompt: str, competency: str, anchors: list[str] = AGREEMENT) -> dict[str, Any]:
    return {"kind": RATING, "prompt": prompt, "competency": competency, "anchors": anchors}


def _text(prompt: str, competency: str = "") -> dict[str, Any]:
    return {"kind": TEXT, "prompt": prompt, "competency": competency, "required": False}


DEFAULTS: dict[str, dict[str, Any]] = {
    "general_360": {
        "name": "General 360",
        "description": "A rounded view of how someone works with others.",
        "questions": [
            _rating("Communicates clearly and listens to others.", "Communication"),
            _rating("Works well with others to reach shared goals.", "Collaboration"),
            _rating("Delivers what they commit to, on time.", "Delivery"),
            _rating("Brings good judgement to decisions.", "Judgement"),
            _rating("Shares knowledge and helps others grow.", "Growing others", FREQUENCY),
            _rating("Adapts well when plans change.", "Adaptability"),
            _text("What should this person keep doing?"),
            _text("What could this person do differently?"),
        ],
    },
    "manager_360": {
        "name": "Manager 360",
        "description": "For people who lead a team: how their leadership feels from every side.",
        "questions": [
            _rating("Sets clear goals and expectations.", "Direction"),
            _rating("Gives useful, timely feedback.", "Coaching", FREQUENCY),
            _rating("Supports the growth of each person in the team.", "Growing others"),
            _rating("Makes decisions in a fair and open way.", "Fairness"),
            _rating("Creates a team where it is safe to speak up.", "Psychological safety"),
            _rating("Represents the team well to the rest of the organisation.", "Advocacy"),
            _text("What does this manager do that helps you most?"),
            _text("What one change would make them a better manager?"),
        ],
    },
    "quick": {
        "name": "Quick check-in",
        "description": "Three questions, two minutes.",
        "questions": [
            _rating("I would like to work with this person again.", "Collaboration"),
            _rating("This person's work has a positive impact.", "Impact"),
            _text("One thing to keep, one thing to change?"),
        ],
    },
}


def ensure_defaults() -> None:
    """Seed the default templates into this tenant once (later calls find them and do nothing)."""
    present = set(
        db.session.scalars(sa.select(FeedbackTemplate.key).where(FeedbackTemplate.key.in_(list(DEFAULTS))))
    )
    missing = [key for key in DEFAULTS if key not in present]
    if not missing:
        return
    try:
        with db.session.begin_nested():
            made = [
                FeedbackTemplate(
                    id=uuid.uuid4(),
                    key=key,
                    name=DEFAULTS[key]["name"],
                    description=DEFAULTS[key]["description"],
                )
                for key in missing
            ]
            db.session.add_all(made)
            db.session.flush()  # no ORM relationship orders the inserts: templates first
            for template in made:
                db.session.add_all(_question_rows(template.id, DEFAULTS[template.key]["questions"]))  # type: ignore[index]
    except sa.exc.IntegrityError:
        # A concurrent request seeded them first: theirs are as good as ours.
        return


def _question_rows(template_id: uuid.UUID, questions: Iterable[dict[str, Any]]) -> list[FeedbackQuestion]:
    return [
        FeedbackQuestion(
            template_id=template_id,
            position=position,
            kind=q["kind"],
            prompt=q["prompt"].strip(),
            competency=(q.get("competency") or "").strip(),
            skill_id=q.get("skill_id"),
            anchors=list(q.get("anchors") or AGREEMENT) if q["kind"] == RATING else [],
            required=q.get("required", q["kind"] == RATING),
        )
        for position, q in enumerate(questions)
    ]


def templates_query(include_inactive: bool) -> sa.Select[tuple[FeedbackTemplate]]:
    ensure_defaults()
    stmt = sa.select(FeedbackTemplate).order_by(FeedbackTemplate.name, FeedbackTemplate.id)
    return stmt if include_inactive else stmt.where(FeedbackTemplate.is_active.is_(True))


def get_template(template_id: uuid.UUID) -> FeedbackTemplate:
    template = db.session.get(FeedbackTemplate, template_id)
    if template is None:
        raise NotFound("No such feedback template")
    return template


def default_template() -> FeedbackTemplate:
    ensure_defaults()
    template = db.session.scalar(sa.select(FeedbackTemplate).where(FeedbackTemplate.key == "general_360"))
    if template is None:  # seeded just above
        raise NotFound("No default feedback template")
    return template


def usable_template(template_id: uuid.UUID | None, field: str = "template_id") -> FeedbackTemplate:
    """The template a new request or cycle will use: named (active, in this tenant) or the default."""
    if template_id is None:
        return default_template()
    template = db.session.get(FeedbackTemplate, template_id)
    if template is None:
        raise field_error(field, "no such feedback template in this organisation")
    if not template.is_active:
        raise field_error(field, "this template is retired")
    return template


def questions_of(template_ids: Iterable[uuid.UUID]) -> dict[uuid.UUID, list[FeedbackQuestion]]:
    """Questions per template, in order, in one query."""
    ids = list(set(template_ids))
    found: dict[uuid.UUID, list[FeedbackQuestion]] = defaultdict(list)
    if not ids:
        return found
    stmt = (
        sa.select(FeedbackQuestion)
        .where(FeedbackQuestion.template_id.in_(ids))
        .order_by(FeedbackQuestion.template_id, FeedbackQuestion.position)
    )
    for question in db.session.scalars(stmt):
        found[question.template_id].append(question)
    return found


def _checked_questions(questions: list[dict[str, Any]]) -> list[dict[str, Any]]:
    if not questions:
        raise field_error("questions", "a template needs at least one question")
    if len(questions) > MAX_QUESTIONS:
        raise field_error("questions", f"at most {MAX_QUESTIONS} questions")
    for index, question in enumerate(questions):
        if not question["prompt"].strip():
            raise field_error(f"questions.{index}.prompt", "is required")
        if question["kind"] == RATING:
            anchors = question.get("anchors") or AGREEMENT
            if len(anchors) != 5 or not all(a.strip() for a in anchors):
                raise field_error(f"questions.{index}.anchors", "give five labels, for 1 to 5")
            if not (question.get("competency") or "").strip():
                raise field_error(f"questions.{index}.competency", "a rating question names its competency")
    _check_skills(questions)
    return questions


def _check_skills(questions: list[dict[str, Any]]) -> None:
    """Every named skill is one of this organisation's (skill_id has no foreign key yet, so an
    unknown or another organisation's id would otherwise be stored as it came)."""
    wanted = {q["skill_id"] for q in questions if q.get("skill_id")}
    if not wanted:
        return
    known = set(db.session.scalars(sa.select(Skill.id).where(Skill.id.in_(list(wanted)))))
    for index, question in enumerate(questions):
        if question.get("skill_id") and question["skill_id"] not in known:
            raise field_error(f"questions.{index}.skill_id", "no such skill in this organisation")


def is_used(template_id: uuid.UUID) -> bool:
    used = sa.select(FeedbackRequest.id).where(FeedbackRequest.template_id == template_id).exists()
    in_cycle = sa.select(FeedbackCycle.id).where(FeedbackCycle.template_id == template_id).exists()
    return bool(db.session.scalar(sa.select(sa.or_(used, in_cycle))))


def used_among(template_ids: Iterable[uuid.UUID]) -> set[uuid.UUID]:
    """Which of these templates a request or cycle uses (their questions are fixed), in one query."""
    ids = list(set(template_ids))
    if not ids:
        return set()
    by_request = sa.select(FeedbackRequest.template_id).where(FeedbackRequest.template_id.in_(ids))
    by_cycle = sa.select(FeedbackCycle.template_id).where(FeedbackCycle.template_id.in_(ids))
    return set(db.session.scalars(sa.union(by_request, by_cycle)))


def create_template(actor: User, data: dict[str, Any]) -> FeedbackTemplate:
    require_hr(actor, "Only an HR admin can manage feedback templates")
    name = data["name"].strip()
    if not name:
        raise field_error("name", "is required")
    questions = _checked_questions(data["questions"])
    template = FeedbackTemplate(
        id=uuid.uuid4(),
        name=name,
        description=(data.get("description") or "").strip(),
        created_by_id=actor.id,
    )
    db.session.add(template)
    db.session.flush()
    db.session.add_all(_question_rows(template.id, questions))
    db.session.flush()
    audit.record(
        "feedback.template.create", "feedback_template", template.id, actor.id, {"name": [None, name]}
    )
    return template


def update_template(actor: User, template_id: uuid.UUID, data: dict[str, Any]) -> FeedbackTemplate:
    """Rename, describe or retire a template; its questions change only while nobody uses it."""
    require_hr(actor, "Only an HR admin can manage feedback templates")
    template = get_template(template_id)
    before = {"name": template.name, "description": template.description, "is_active": template.is_active}
    if "name" in data:
        if not data["name"].strip():
            raise field_error("name", "is required")
        template.name = data["name"].strip()
    if "description" in data:
        template.description = (data["description"] or "").strip()
    if "is_active" in data:
        template.is_active = data["is_active"]
    if "questions" in data:
        if is_used(template.id):
            raise Conflict("This template is in use; its questions are fixed. Make a new template instead.")
        questions = _checked_questions(data["questions"])
        db.session.execute(sa.delete(FeedbackQuestion).where(FeedbackQuestion.template_id == template.id))
        db.session.flush()
        db.session.add_all(_question_rows(template.id, questions))
    db.session.flush()
    after = {"name": template.name, "description": template.description, "is_active": template.is_active}
    changes = audit.diff(before, after)
    if "questions" in data:
        changes["questions"] = ["(replaced)", len(data["questions"])]
    if changes:
        audit.record("feedback.template.update", "feedback_template", template.id, actor.id, changes)
    return template


def copy_template(actor: User, template_id: uuid.UUID, name: str | None = None) -> FeedbackTemplate:
    """A new, unused and so editable template with the same description and questions (kind, text,
    competency, skill, anchors, required, order): how an HR admin changes a template in use."""
    require_hr(actor, "Only an HR admin can manage feedback templates")
    source = get_template(template_id)
    name = (name or "").strip() or f"Copy of {source.name}"[:200]
    questions = [
        {
            "kind": q.kind,
            "prompt": q.prompt,
            "competency": q.competency,
            "skill_id": q.skill_id,
            "anchors": list(q.anchors or []),
            "required": q.required,
        }
        for q in questions_of([source.id])[source.id]
    ]
    copy = FeedbackTemplate(
        id=uuid.uuid4(), name=name, description=source.description, created_by_id=actor.id
    )
    db.session.add(copy)
    db.session.flush()
    db.session.add_all(_question_rows(copy.id, questions))
    db.session.flush()
    audit.record(
        "feedback.template.copy",
        "feedback_template",
        copy.id,
        actor.id,
        {"name": [None, name], "copied_from": [None, str(source.id)]},
    )
    return copy
