"""Learning services shared by every topic: who may see a person's learning, skill look-ups and
checks, seeding the default taxonomy, recording evidence, and the skills graph for matching."""

from __future__ import annotations

import uuid
from collections import defaultdict
from collections.abc import Iterable
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

import sqlalchemy as sa

from ..core import tenancy
from ..core.db import db, utcnow
from ..core.errors import Forbidden, NotFound, ValidationFailed
from ..people import orgchart
from ..people.models import User
from . import taxonomy
from .models import (
    ACTIVE,
    EVIDENCE_SOURCES,
    MERGED,
    PersonSkill,
    Skill,
    SkillEvidence,
    SkillRelation,
)

if TYPE_CHECKING:
    import networkx as nx


def today() -> date:
    return utcnow().date()


def refuse(problems: dict[str, list[str]]) -> None:
    """Raise one 422 naming every field with a problem (nothing has been written yet)."""
    if problems:
        message = "; ".join(f"{name}: {messages[0]}" for name, messages in problems.items())
        raise ValidationFailed(message, problems)


def require_hr(actor: User, what: str) -> None:
    if not actor.is_hr_admin:
        raise Forbidden(f"Only an HR admin can {what}")


# --- who sees a person's learning ------------------------------------------------------------------


def is_above(actor: User, person_id: uuid.UUID) -> bool:
    """True when the actor is somewhere in the person's management chain."""
    return actor.id != person_id and orgchart.is_below(person_id, actor.id)


def can_read_person(actor: User, person_id: uuid.UUID) -> bool:
    """A person's skill profile, gaps and plans are for them, their manager chain and HR admins."""
    return actor.is_hr_admin or actor.id == person_id or orgchart.is_below(person_id, actor.id)


def readable_person(actor: User, person_id: uuid.UUID) -> User:
    """The person (404 if absent or in another organisation); 403 when the actor may not look."""
    person = db.session.get(User, person_id)
    if person is None:
        raise NotFound("No such person")
    if not can_read_person(actor, person.id):
        raise Forbidden("Only this person, their managers and HR admins can see this")
    return person


def visible_owner_clause(actor: User, column: Any) -> sa.ColumnElement[bool]:
    """`can_read_person` on an owner column as one SQL condition (one query for the subtree)."""
    if actor.is_hr_admin:
        return sa.true()
    below = orgchart.subtree_ids(actor.id, include_inactive=True)
    return sa.or_(column == actor.id, column.in_(below)) if below else column == actor.id


# --- skills ---------------------------------------------------------------------------------------


def get_skill(skill_id: uuid.UUID) -> Skill:
    skill = db.session.get(Skill, skill_id)
    if skill is None:
        raise NotFound("No such skill")
    return skill


def usable_skills(ids: Iterable[uuid.UUID], field: str) -> dict[uuid.UUID, Skill]:
    """The named skills, which must exist in this organisation and be active (one query)."""
    wanted = list(dict.fromkeys(ids))
    if not wanted:
        return {}
    found = {s.id: s for s in db.session.scalars(sa.select(Skill).where(Skill.id.in_(wanted)))}
    problems = []
    for skill_id in wanted:
        skill = found.get(skill_id)
        if skill is None:
            problems.append(f"unknown skill {skill_id}")
        elif skill.status != ACTIVE:
            problems.append(f"skill {skill.name!r} is {skill.status}; pick an active skill")
    if problems:
        raise ValidationFailed(f"{field}: {problems[0]}", {field: problems})
    return found


def merged_sources(skill_ids: Iterable[uuid.UUID]) -> dict[uuid.UUID, uuid.UUID]:
    """{skill merged into one of `skill_ids`: the one it was merged into}, itself included."""
    ids = list(skill_ids)
    mapping = {skill_id: skill_id for skill_id in ids}
    if ids:
        rows = db.session.execute(
            sa.select(Skill.id, Skill.merged_into_id).where(Skill.merged_into_id.in_(ids))
        )
        mapping.update(dict(rows.all()))
    return mapping


def has_skills() -> bool:
    return db.session.scalar(sa.select(sa.exists().where(Skill.tenant_id == tenancy.current_tenant_id())))


def ensure_default_catalogue() -> int:
    """Seed the default taxonomy into the bound tenant if it has no skills at all (idempotent);
    returns how many skills were written. Called by the catalogue and gap endpoints and the demo."""
    if has_skills():
        return 0
    tenant_id, now = tenancy.current_tenant_id(), utcnow()
    ids: dict[str, uuid.UUID] = {}
    rows = []
    for key, name, category, description in taxonomy.all_skills():
        ids[key] = uuid.uuid4()
        rows.append(
            {
                "id": ids[key],
                "tenant_id": tenant_id,
                "key": key,
                "name": name,
                "category": category,
                "description": description,
                "level_descriptions": list(taxonomy.DEFAULT_LEVEL_DESCRIPTIONS),
                "status": ACTIVE,
                "merged_into_id": None,
                "retired_at": None,
                "created_at": now,
                "updated_at": now,
            }
        )
    relations = []
    for a, b, weight in taxonomy.RELATIONS:
        low, high = sorted((ids[a], ids[b]))
        relations.append(
            {
                "id": uuid.uuid4(),
                "tenant_id": tenant_id,
                "skill_id": low,
                "related_id": high,
                "weight": weight,
            }
        )
    tenancy.bulk_insert(db.session, Skill, rows)
    tenancy.bulk_insert(db.session, SkillRelation, relations)
    db.session.flush()
    return len(rows)


def skills_for_matching() -> dict[str, Any]:
    """The tenant's taxonomy in the matching engine's input format:
    `{"skills": {id: {"related": {id: weight}}}}`, ids as UUID strings, relations declared both
    ways. Merged skills are left out (their data lives on the skill they were merged into);
    retired ones stay, since people may still hold them."""
    skill_ids = db.session.scalars(sa.select(Skill.id).where(Skill.status != MERGED).order_by(Skill.id))
    skills: dict[str, dict[str, dict[str, float]]] = {str(s): {"related": {}} for s in skill_ids}
    rows = db.session.execute(
        sa.select(SkillRelation.skill_id, SkillRelation.related_id, SkillRelation.weight)
    )
    for a, b, weight in rows:
        if str(a) in skills and str(b) in skills:
            skills[str(a)]["related"][str(b)] = weight
            skills[str(b)]["related"][str(a)] = weight
    return {"skills": skills}


def skills_graph() -> nx.Graph:
    """The same taxonomy as a NetworkX graph (edge attributes weight and cost), via matching."""
    from matching import build_skills_graph

    return build_skills_graph(skills_for_matching()["skills"])


# --- evidence -------------------------------------------------------------------------------------


def record_evidence(
    person_id: uuid.UUID,
    skill_id: uuid.UUID,
    source: str,
    value: float | None,
    note: str,
    at: datetime,
    *,
    learning_item_id: uuid.UUID | None = None,
    recorded_by_id: uuid.UUID | None = None,
) -> SkillEvidence:
    """Add a dated piece of evidence to a person's skill (360 feedback calls this with
    source="feedback" and a 1-5 rating). The skill's line in their profile is created if missing,
    but its levels are never changed: evidence sits next to them for people to weigh."""
    problems: dict[str, list[str]] = defaultdict(list)
    if source not in EVIDENCE_SOURCES:
        problems["source"].append(f"must be one of {', '.join(EVIDENCE_SOURCES)}")
    if value is not None and not 1 <= value <= 5:
        problems["value"].append("must be between 1 and 5")
    if at.tzinfo is None:
        problems["at"].append("must be a timezone-aware timestamp")
    if db.session.get(User, person_id) is None:
        problems["person_id"].append("no such person in this organisation")
    skill = db.session.get(Skill, skill_id)
    if skill is None:
        problems["skill_id"].append("unknown skill")
    refuse(dict(problems))
    assert skill is not None
    if skill.status == MERGED and skill.merged_into_id is not None:
        skill = get_skill(skill.merged_into_id)
    evidence = SkillEvidence(
        person_id=person_id,
        skill_id=skill.id,
        source=source,
        value=value,
        note=(note or "").strip(),
        at=at,
        learning_item_id=learning_item_id,
        recorded_by_id=recorded_by_id,
    )
    db.session.add(evidence)
    line = db.session.scalar(
        sa.select(PersonSkill).where(PersonSkill.person_id == person_id, PersonSkill.skill_id == skill.id)
    )
    if line is None:
        db.session.add(PersonSkill(person_id=person_id, skill_id=skill.id))
    db.session.flush()
    return evidence
