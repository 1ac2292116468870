"""People's skill profiles: their own levels, interest and willingness to mentor, their managers'
assessments, and the dated evidence beside them."""

from __future__ import annotations

import uuid
from typing import Any

import sqlalchemy as sa

from ..core.db import db, utcnow
from ..core.errors import Forbidden, NotFound
from ..people.models import User
from . import rules, services
from .models import PersonSkill, Skill, SkillEvidence

OWNER_FIELDS = ("self_level", "interested", "willing_to_mentor")
MANAGER_FIELDS = ("manager_level", "manager_note")


def profile_of(actor: User, person_id: uuid.UUID, args: dict[str, Any]) -> list[dict[str, Any]]:
    """A person's skill profile with evidence counts, in three queries for any size."""
    person = services.readable_person(actor, person_id)
    stmt = (
        sa.select(PersonSkill, Skill)
        .join(Skill, Skill.id == PersonSkill.skill_id)
        .where(PersonSkill.person_id == person.id)
        .order_by(Skill.category, Skill.name, Skill.id)
    )
    if args.get("interested") is not None:
        stmt = stmt.where(PersonSkill.interested.is_(args["interested"]))
    if args.get("willing_to_mentor") is not None:
        stmt = stmt.where(PersonSkill.willing_to_mentor.is_(args["willing_to_mentor"]))
    if args.get("category"):
        stmt = stmt.where(sa.func.lower(Skill.category) == args["category"].strip().lower())
    rows = db.session.execute(stmt).all()
    sources = services.merged_sources([skill.id for _line, skill in rows])
    counts: dict[uuid.UUID, tuple[int, Any]] = {}
    if sources:
        evidence = db.session.execute(
            sa.select(SkillEvidence.skill_id, sa.func.count(), sa.func.max(SkillEvidence.at))
            .where(SkillEvidence.person_id == person.id, SkillEvidence.skill_id.in_(list(sources)))
            .group_by(SkillEvidence.skill_id)
        )
        for skill_id, count, last in evidence:
            target = sources[skill_id]
            old_count, old_last = counts.get(target, (0, None))
            counts[target] = (old_count + count, max(x for x in (old_last, last) if x is not None))
    return [line_out(line, skill, *counts.get(skill.id, (0, None))) for line, skill in rows]


def line_out(
    line: PersonSkill, skill: Skill, evidence_count: int = 0, last_evidence_at: Any = None
) -> dict[str, Any]:
    return {
        "person_id": line.person_id,
        "skill_id": skill.id,
        "skill_name": skill.name,
        "category": skill.category,
        "skill_status": skill.status,
        "self_level": line.self_level,
        "self_assessed_at": line.self_assessed_at,
        "manager_level": line.manager_level,
        "manager_note": line.manager_note,
        "manager_assessor_id": line.manager_assessor_id,
        "manager_assessed_at": line.manager_assessed_at,
        "current_level": rules.current_level(line.self_level, line.manager_level),
        "interested": line.interested,
        "willing_to_mentor": line.willing_to_mentor,
        "evidence_count": evidence_count,
        "last_evidence_at": last_evidence_at,
        "updated_at": line.updated_at,
    }


def _line(person_id: uuid.UUID, skill_id: uuid.UUID) -> PersonSkill | None:
    return db.session.scalar(
        sa.select(PersonSkill).where(PersonSkill.person_id == person_id, PersonSkill.skill_id == skill_id)
    )


def set_line(actor: User, person_id: uuid.UUID, skill_id: uuid.UUID, data: dict[str, Any]) -> dict[str, Any]:
    """The person sets their own level, interest and mentoring; a manager above them sets the
    manager's assessment. Nobody else writes, and evidence is never touched here."""
    person = services.readable_person(actor, person_id)
    skill = services.get_skill(skill_id)
    own, above = actor.id == person.id, services.is_above(actor, person.id)
    if any(name in data for name in OWNER_FIELDS) and not own:
        raise Forbidden("Only the person sets their own level, interest and willingness to mentor")
    if any(name in data for name in MANAGER_FIELDS) and not above:
        raise Forbidden("Only a manager above this person gives a manager's assessment")
    if not (own or above):
        raise Forbidden("Only the person and their managers change a skill profile")
    line = _line(person.id, skill.id)
    if line is None:
        services.usable_skills([skill.id], "skill_id")
        line = PersonSkill(person_id=person.id, skill_id=skill.id, interested=False, willing_to_mentor=False)
        db.session.add(line)
    now = utcnow()
    for name in OWNER_FIELDS + MANAGER_FIELDS:
        if name in data:
            value = data[name]
            setattr(line, name, (value or "").strip() if name == "manager_note" else value)
    if "self_level" in data:
        line.self_assessed_at = now if data["self_level"] is not None else None
    if "manager_level" in data:
        line.manager_level = data["manager_level"]
        line.manager_assessor_id = actor.id if data["manager_level"] is not None else None
        line.manager_assessed_at = now if data["manager_level"] is not None else None
    db.session.flush()
    return line_out(line, skill)


def remove_line(actor: User, person_id: uuid.UUID, skill_id: uuid.UUID) -> None:
    """The person removes a skill from their profile; its evidence stays as history."""
    person = services.readable_person(actor, person_id)
    if actor.id != person.id:
        raise Forbidden("Only the person removes skills from their profile")
    line = _line(person.id, skill_id)
    if line is None:
        raise NotFound("This skill is not in the profile")
    db.session.delete(line)
    db.session.flush()


def evidence_query(actor: User, person_id: uuid.UUID, args: dict[str, Any]) -> sa.Select[Any]:
    """A person's evidence, newest first; for a skill, also what was recorded for skills since
    merged into it."""
    person = services.readable_person(actor, person_id)
    stmt = (
        sa.select(SkillEvidence, Skill.name.label("skill_name"))
        .join(Skill, Skill.id == SkillEvidence.skill_id)
        .where(SkillEvidence.person_id == person.id)
    )
    if args.get("skill_id"):
        services.get_skill(args["skill_id"])
        stmt = stmt.where(SkillEvidence.skill_id.in_(list(services.merged_sources([args["skill_id"]]))))
    if args.get("source"):
        stmt = stmt.where(SkillEvidence.source == args["source"])
    return stmt.order_by(SkillEvidence.at.desc(), SkillEvidence.id)


def evidence_out(row: Any) -> dict[str, Any]:
    evidence, skill_name = row
    return {
        "id": evidence.id,
        "person_id": evidence.person_id,
        "skill_id": evidence.skill_id,
        "skill_name": skill_name,
        "source": evidence.source,
        "value": evidence.value,
        "note": evidence.note,
        "at": evidence.at,
        "learning_item_id": evidence.learning_item_id,
        "recorded_by_id": evidence.recorded_by_id,
    }
