"""The skills catalogue: listing, and HR admins' writes (add, rename, retire, merge, relate), each
audited; history (evidence, audit) keeps pointing at the skill ids it was written for."""

from __future__ import annotations

import re
import uuid
from collections import defaultdict
from typing import Any

import sqlalchemy as sa

from ..core import audit
from ..core.db import db, utcnow
from ..core.errors import Conflict, field_error
from ..people.models import User
from . import rules, services, taxonomy
from .models import (
    ACTIVE,
    MERGED,
    RETIRED,
    CatalogueItemSkill,
    GoalSkill,
    LearningItemSkill,
    PersonSkill,
    RoleRequirement,
    Skill,
    SkillRelation,
)

_AUDITED = ("name", "category", "description", "level_descriptions", "status")
MAX_RELATED = 50


def skills_query(args: dict[str, Any]) -> sa.Select[tuple[Skill]]:
    stmt = sa.select(Skill)
    status = args.get("status") or ACTIVE
    if status != "all":
        stmt = stmt.where(Skill.status == status)
    if args.get("category"):
        stmt = stmt.where(sa.func.lower(Skill.category) == args["category"].strip().lower())
    if args.get("q"):
        stmt = stmt.where(sa.func.lower(Skill.name).contains(args["q"].strip().lower(), autoescape=True))
    return stmt.order_by(Skill.category, Skill.name, Skill.id)


def categories() -> list[dict[str, Any]]:
    rows = db.session.execute(
        sa.select(Skill.category, sa.func.count())
        .where(Skill.status == ACTIVE)
        .group_by(Skill.category)
        .order_by(Skill.category)
    )
    return [{"name": name, "skills": count} for name, count in rows]


def related_of(skill_ids: list[uuid.UUID]) -> dict[uuid.UUID, list[dict[str, Any]]]:
    """Each skill's related skills (id, name, weight), by name, in one query."""
    found: dict[uuid.UUID, list[dict[str, Any]]] = defaultdict(list)
    if not skill_ids:
        return found
    other = sa.orm.aliased(Skill)
    for column, partner in (
        (SkillRelation.skill_id, SkillRelation.related_id),
        (SkillRelation.related_id, SkillRelation.skill_id),
    ):
        rows = db.session.execute(
            sa.select(column, other.id, other.name, SkillRelation.weight)
            .join(other, other.id == partner)
            .where(column.in_(skill_ids))
        )
        for skill_id, rel_id, name, weight in rows:
            found[skill_id].append({"skill_id": rel_id, "name": name, "weight": weight})
    for items in found.values():
        items.sort(key=lambda r: (-r["weight"], r["name"]))
    return found


def _slug(name: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")[:70] or "skill"


def _clean(data: dict[str, Any], skill: Skill | None) -> dict[str, Any]:
    out: dict[str, Any] = {}
    if "name" in data:
        out["name"] = " ".join((data["name"] or "").split())
        if not out["name"]:
            raise field_error("name", "is required")
        clash = db.session.scalar(
            sa.select(Skill.id).where(
                sa.func.lower(Skill.name) == out["name"].lower(), Skill.status != MERGED
            )
        )
        if clash is not None and (skill is None or clash != skill.id):
            raise field_error("name", "a skill with this name exists (merge into it instead)")
    if "category" in data:
        out["category"] = " ".join((data["category"] or "").split())
        if not out["category"]:
            raise field_error("category", "is required")
    if "description" in data:
        out["description"] = (data["description"] or "").strip()
    if "level_descriptions" in data:
        levels = [" ".join((text or "").split()) for text in data["level_descriptions"] or []]
        if len(levels) != 5 or not all(levels):
            raise field_error("level_descriptions", "give five non-empty descriptions, for levels 1 to 5")
        out["level_descriptions"] = levels
    return out


def _snapshot(skill: Skill) -> dict[str, Any]:
    return {name: getattr(skill, name) for name in _AUDITED}


def create_skill(actor: User, data: dict[str, Any]) -> Skill:
    services.require_hr(actor, "add skills")
    services.ensure_default_catalogue()
    values = _clean({"category": "Other", **data}, None)
    base = _slug(values["name"])
    taken = set(db.session.scalars(sa.select(Skill.key).where(Skill.key.startswith(base))))
    key, n = base, 2
    while key in taken:
        key, n = f"{base}-{n}", n + 1
    skill = Skill(
        key=key,
        level_descriptions=values.pop("level_descriptions", list(taxonomy.DEFAULT_LEVEL_DESCRIPTIONS)),
        **values,
    )
    db.session.add(skill)
    db.session.flush()
    audit.record("skill.create", "skill", skill.id, actor.id, audit.diff({}, _snapshot(skill)))
    return skill


def update_skill(actor: User, skill_id: uuid.UUID, data: dict[str, Any]) -> Skill:
    """Rename, recategorise, describe, retire (status=retired) or bring back (status=active)."""
    services.require_hr(actor, "change skills")
    skill = services.get_skill(skill_id)
    if skill.status == MERGED:
        raise Conflict("This skill was merged into another one; change that one instead")
    before = _snapshot(skill)
    for name, value in _clean(data, skill).items():
        setattr(skill, name, value)
    status = data.get("status")
    if status is not None and status != skill.status:
        if status not in (ACTIVE, RETIRED):
            raise field_error("status", "use active or retired (merging has its own endpoint)")
        skill.status = status
        skill.retired_at = utcnow() if status == RETIRED else None
    db.session.flush()
    changes = audit.diff(before, _snapshot(skill))
    if changes:
        action = {RETIRED: "skill.retire", ACTIVE: "skill.reactivate"}.get(
            skill.status if "status" in changes else "", "skill.update"
        )
        audit.record(action, "skill", skill.id, actor.id, changes)
    return skill


def set_related(actor: User, skill_id: uuid.UUID, related: list[dict[str, Any]]) -> Skill:
    """Replace a skill's related-skill links (symmetric: the other side sees them too)."""
    services.require_hr(actor, "relate skills")
    skill = services.get_skill(skill_id)
    if skill.status == MERGED:
        raise Conflict("This skill was merged into another one; relate that one instead")
    wanted: dict[uuid.UUID, float] = {}
    for entry in related:
        if entry["skill_id"] == skill.id:
            raise field_error("related", "a skill cannot be related to itself")
        if entry["skill_id"] in wanted:
            raise field_error("related", f"skill {entry['skill_id']} is listed twice")
        wanted[entry["skill_id"]] = entry["weight"]
    services.usable_skills(wanted, "related")
    existing = list(
        db.session.scalars(
            sa.select(SkillRelation).where(
                sa.or_(SkillRelation.skill_id == skill.id, SkillRelation.related_id == skill.id)
            )
        )
    )
    before = {str(_other(r, skill.id)): r.weight for r in existing}
    for relation in existing:
        db.session.delete(relation)
    db.session.flush()
    for other_id, weight in wanted.items():
        low, high = sorted((skill.id, other_id))
        db.session.add(SkillRelation(skill_id=low, related_id=high, weight=weight))
    db.session.flush()
    after = {str(k): v for k, v in wanted.items()}
    if before != after:
        audit.record("skill.relate", "skill", skill.id, actor.id, {"related": [before, after]})
    return skill


def _other(relation: SkillRelation, skill_id: uuid.UUID) -> uuid.UUID:
    return relation.related_id if relation.skill_id == skill_id else relation.skill_id


def merge_skill(actor: User, skill_id: uuid.UUID, into_id: uuid.UUID) -> Skill:
    """Merge a skill into another: profiles, role requirements, catalogue tags, plan items, goal
    links and relations move to the target (a person holding both keeps the higher levels); the
    merged skill stays as history with its evidence, and reads of the target include it."""
    services.require_hr(actor, "merge skills")
    source = services.get_skill(skill_id)
    if source.status == MERGED:
        raise Conflict("This skill was merged already")
    if into_id == source.id:
        raise field_error("into_skill_id", "a skill cannot be merged into itself")
    target = services.usable_skills([into_id], "into_skill_id")[into_id]
    _move_profiles(source.id, target.id)
    for model, owner in (
        (RoleRequirement, "role_profile_id"),
        (CatalogueItemSkill, "item_id"),
        (LearningItemSkill, "item_id"),
        (GoalSkill, "goal_id"),
    ):
        _move_links(model, owner, source.id, target.id)
    _move_relations(source.id, target.id)
    # Skills merged into the source earlier now point at the final target, so reads stay one hop.
    for earlier in db.session.scalars(sa.select(Skill).where(Skill.merged_into_id == source.id)):
        earlier.merged_into_id = target.id
    source.status, source.merged_into_id = MERGED, target.id
    db.session.flush()
    audit.record(
        "skill.merge",
        "skill",
        source.id,
        actor.id,
        {"merged_into_id": [None, str(target.id)], "name": [source.name, target.name]},
    )
    return target


def _move_profiles(source_id: uuid.UUID, target_id: uuid.UUID) -> None:
    lines = list(
        db.session.scalars(sa.select(PersonSkill).where(PersonSkill.skill_id.in_([source_id, target_id])))
    )
    kept = {line.person_id: line for line in lines if line.skill_id == target_id}
    for line in lines:
        if line.skill_id != source_id:
            continue
        keep = kept.get(line.person_id)
        if keep is None:
            line.skill_id = target_id
            continue
        merged = rules.merge_profile_lines(vars(keep), vars(line))
        if merged["manager_level"] != keep.manager_level:
            keep.manager_note = line.manager_note or keep.manager_note
            keep.manager_assessor_id = line.manager_assessor_id
            keep.manager_assessed_at = line.manager_assessed_at
        if merged["self_level"] != keep.self_level:
            keep.self_assessed_at = line.self_assessed_at
        for name, value in merged.items():
            setattr(keep, name, value)
        db.session.delete(line)
    db.session.flush()


def _move_links(model: Any, owner: str, source_id: uuid.UUID, target_id: uuid.UUID) -> None:
    rows = list(db.session.scalars(sa.select(model).where(model.skill_id.in_([source_id, target_id]))))
    at_target = {getattr(r, owner): r for r in rows if r.skill_id == target_id}
    for row in rows:
        if row.skill_id != source_id:
            continue
        keep = at_target.get(getattr(row, owner))
        if keep is None:
            row.skill_id = target_id
        else:
            if hasattr(row, "level"):
                keep.level = max(keep.level, row.level)
            db.session.delete(row)
    db.session.flush()


def _move_relations(source_id: uuid.UUID, target_id: uuid.UUID) -> None:
    rows = list(
        db.session.scalars(
            sa.select(SkillRelation).where(
                sa.or_(
                    SkillRelation.skill_id.in_([source_id, target_id]),
                    SkillRelation.related_id.in_([source_id, target_id]),
                )
            )
        )
    )
    weights: dict[uuid.UUID, float] = {}
    for row in rows:
        for me in (source_id, target_id):
            if me in (row.skill_id, row.related_id):
                other = _other(row, me)
                if other not in (source_id, target_id):
                    weights[other] = max(weights.get(other, 0.0), row.weight)
        db.session.delete(row)
    db.session.flush()
    for other, weight in weights.items():
        low, high = sorted((target_id, other))
        db.session.add(SkillRelation(skill_id=low, related_id=high, weight=weight))
    db.session.flush()
