"""Gap analysis: what a person's role, chosen next step and goals require, minus their current
levels, ranked; with catalogue items and willing colleagues who could help close each gap."""

from __future__ import annotations

import uuid
from collections import defaultdict
from typing import Any

import sqlalchemy as sa

from ..core.db import db
from ..core.errors import field_error
from ..goals.models import ABANDONED, COMPLETED, Goal
from ..people import orgchart
from ..people.models import User
from . import catalogue, rules, services
from .models import (
    ACTIVE,
    DROPPED,
    CatalogueItem,
    CatalogueItemSkill,
    GoalSkill,
    LearningItem,
    LearningPlan,
    PersonSkill,
    RoleProfile,
    RoleRequirement,
    Skill,
)

MENTOR_LEVEL = 4


def needs_of(
    person: User, target_profile_id: uuid.UUID | None, sources: set[str]
) -> tuple[list[rules.Need], dict[str, Any]]:
    """Every (skill, level) the person needs and why; plus the role and target profiles used."""
    path = catalogue.career_path_of(person.id)
    role, role_source = catalogue.role_profile_of(person, path)
    target_id = target_profile_id or (path.target_profile_id if path else None)
    target = None
    if target_id is not None:
        target = db.session.get(RoleProfile, target_id)
        if target is None:
            raise field_error("target_profile_id", "no such role profile in this organisation")
    needs: list[rules.Need] = []
    profiles = []
    if role is not None and rules.ROLE in sources:
        profiles.append((role, rules.ROLE))
    if target is not None and rules.TARGET in sources:
        profiles.append((target, rules.TARGET))
    if profiles:
        rows = db.session.execute(
            sa.select(RoleRequirement.role_profile_id, RoleRequirement.skill_id, RoleRequirement.level).where(
                RoleRequirement.role_profile_id.in_([p.id for p, _kind in profiles])
            )
        ).all()
        for profile, kind in profiles:
            needs += [
                rules.Need(skill_id, level, kind, profile.id, profile.name)
                for profile_id, skill_id, level in rows
                if profile_id == profile.id
            ]
    if rules.GOAL in sources:
        rows = db.session.execute(
            sa.select(GoalSkill.skill_id, GoalSkill.level, Goal.id, Goal.title)
            .join(Goal, Goal.id == GoalSkill.goal_id)
            .where(
                Goal.owner_id == person.id,
                Goal.status.not_in([COMPLETED, ABANDONED]),
                Goal.archived_at.is_(None),
            )
        ).all()
        needs += [
            rules.Need(skill_id, level, rules.GOAL, goal_id, title)
            for skill_id, level, goal_id, title in rows
        ]
    context = {"role_profile": role, "role_profile_source": role_source, "target_profile": target}
    return needs, context


def skill_gaps(actor: User, person_id: uuid.UUID, args: dict[str, Any]) -> dict[str, Any]:
    """Ranked gaps for a person, each with recommendations: a constant number of queries."""
    person = services.readable_person(actor, person_id)
    services.ensure_default_catalogue()
    sources = set(args.get("sources") or rules.NEED_KINDS)
    needs, context = needs_of(person, args.get("target_profile_id"), sources)
    skill_ids = {n.skill_id for n in needs}
    skills = (
        {s.id: s for s in db.session.scalars(sa.select(Skill).where(Skill.id.in_(skill_ids)))}
        if skill_ids
        else {}
    )
    # Retired skills no longer count toward gaps (merged ones moved to their target already).
    needs = [n for n in needs if n.skill_id in skills and skills[n.skill_id].status == ACTIVE]
    levels = {
        skill_id: rules.current_level(self_level, manager_level)
        for skill_id, self_level, manager_level in db.session.execute(
            sa.select(PersonSkill.skill_id, PersonSkill.self_level, PersonSkill.manager_level).where(
                PersonSkill.person_id == person.id
            )
        )
    }
    names = {s.id: s.name for s in skills.values()}
    ranked = rules.rank_gaps(needs, levels, names, min_gap=args.get("min_gap", 1))
    limit = args.get("recommendations", 3)
    gap_ids = [g.skill_id for g in ranked]
    items = recommend_items(person.id, {g.skill_id: g.required for g in ranked}, limit) if limit else {}
    mentors = recommend_mentors(person.id, gap_ids, limit) if limit else {}
    out = []
    for gap in ranked:
        skill = skills[gap.skill_id]
        out.append(
            {
                "skill_id": skill.id,
                "skill_name": skill.name,
                "category": skill.category,
                "required_level": gap.required,
                "current_level": gap.current,
                "gap": gap.size,
                "required_level_description": (skill.level_descriptions or [""] * 5)[gap.required - 1],
                "goal_count": len(gap.goal_ids),
                "goal_ids": gap.goal_ids,
                "reasons": [
                    {"kind": n.kind, "source_id": n.source_id, "source_name": n.source_name, "level": n.level}
                    for n in gap.needs
                ],
                "catalogue_items": items.get(gap.skill_id, []),
                "mentors": mentors.get(gap.skill_id, []),
            }
        )
    return {"person_id": person.id, **context, "total": len(out), "items": out}


def recommend_items(
    person_id: uuid.UUID, required: dict[uuid.UUID, int], limit: int
) -> dict[uuid.UUID, list[dict[str, Any]]]:
    """Active catalogue items tagged with each gap's skill: those reaching the required level
    first (the closest level first), then the rest; flagged when already in the person's plans."""
    if not required:
        return {}
    rows = db.session.execute(
        sa.select(CatalogueItemSkill.skill_id, CatalogueItemSkill.level, CatalogueItem)
        .join(CatalogueItem, CatalogueItem.id == CatalogueItemSkill.item_id)
        .where(CatalogueItemSkill.skill_id.in_(list(required)), CatalogueItem.is_active.is_(True))
    ).all()
    planned = set(
        db.session.scalars(
            sa.select(LearningItem.catalogue_item_id)
            .join(LearningPlan, LearningPlan.id == LearningItem.plan_id)
            .where(
                LearningPlan.owner_id == person_id,
                LearningItem.catalogue_item_id.is_not(None),
                LearningItem.status != DROPPED,
            )
        )
    )
    by_skill: dict[uuid.UUID, list[tuple[Any, ...]]] = defaultdict(list)
    for skill_id, level, item in rows:
        reaches = level >= required[skill_id]
        by_skill[skill_id].append(
            (not reaches, abs(level - required[skill_id]), item.title, str(item.id), level, item)
        )
    out: dict[uuid.UUID, list[dict[str, Any]]] = {}
    for skill_id, entries in by_skill.items():
        entries.sort(key=lambda e: e[:4])
        out[skill_id] = [
            {
                "id": item.id,
                "title": item.title,
                "kind": item.kind,
                "provider": item.provider,
                "url": item.url,
                "hours": item.hours,
                "level": level,
                "already_planned": item.id in planned,
            }
            for *_key, level, item in entries[:limit]
        ]
    return out


def recommend_mentors(
    person_id: uuid.UUID, skill_ids: list[uuid.UUID], limit: int
) -> dict[uuid.UUID, list[dict[str, Any]]]:
    """Colleagues who hold each skill at level 4 or 5 and are willing to mentor, leaving out the
    person and their management chain: one set-based query for every gap (after one for the chain),
    ranked per skill by level then name with a window function."""
    if not skill_ids:
        return {}
    excluded = {person_id} | {m.id for m in orgchart.chain(person_id)}
    level = sa.func.coalesce(PersonSkill.manager_level, PersonSkill.self_level)
    rank = (
        sa.func.row_number()
        .over(partition_by=PersonSkill.skill_id, order_by=(level.desc(), User.name, User.id))
        .label("rank")
    )
    inner = (
        sa.select(PersonSkill.skill_id, User.id, User.name, User.title, level.label("level"), rank)
        .join(User, User.id == PersonSkill.person_id)
        .where(
            PersonSkill.skill_id.in_(skill_ids),
            PersonSkill.willing_to_mentor.is_(True),
            level >= MENTOR_LEVEL,
            User.is_active.is_(True),
            User.id.not_in(excluded),
        )
        .subquery()
    )
    rows = db.session.execute(
        sa.select(inner.c.skill_id, inner.c.id, inner.c.name, inner.c.title, inner.c.level)
        .where(inner.c.rank <= limit)
        .order_by(inner.c.skill_id, inner.c.rank)
    )
    out: dict[uuid.UUID, list[dict[str, Any]]] = defaultdict(list)
    for skill_id, pid, name, title, held in rows:
        out[skill_id].append({"person_id": pid, "name": name, "title": title, "level": held})
    return out
