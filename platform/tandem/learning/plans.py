"""Learning plans and their items: the owner edits, the manager chain reads and suggests items,
HR admins read; completing an item records evidence for its skills. Also goal-skill links and
certificates about to expire."""

from __future__ import annotations

import uuid
from collections import defaultdict
from datetime import UTC, datetime, time
from typing import Any

import sqlalchemy as sa

from ..core.db import db, utcnow
from ..core.errors import Conflict, Forbidden, NotFound, field_error
from ..goals import services as goal_services
from ..goals.models import Goal
from ..people import orgchart
from ..people.models import User
from . import rules, services
from .models import (
    CERTIFICATE,
    CERTIFICATION,
    COMPLETED,
    LEARNING,
    PLANNED,
    CatalogueItem,
    CatalogueItemSkill,
    GoalSkill,
    LearningItem,
    LearningItemGoal,
    LearningItemSkill,
    LearningPlan,
    Skill,
    SkillEvidence,
)

PLAN_FIELDS = ("title", "description", "status", "start_date", "due_date")
ITEM_FIELDS = (
    "kind",
    "title",
    "provider",
    "url",
    "hours",
    "start_date",
    "due_date",
    "status",
    "completed_on",
    "expires_on",
    "evidence",
    "notes",
)
# What a manager may put in a suggestion: the item itself, not its progress.
SUGGESTION_FIELDS = ("kind", "title", "provider", "url", "hours", "start_date", "due_date", "notes")


# --- plans ----------------------------------------------------------------------------------------


def get_readable(actor: User, plan_id: uuid.UUID) -> LearningPlan:
    """The plan, or 404 when it is absent, in another organisation, or not the actor's to see."""
    plan = db.session.get(LearningPlan, plan_id)
    if plan is None or not services.can_read_person(actor, plan.owner_id):
        raise NotFound("No such learning plan")
    return plan


def get_editable(actor: User, plan_id: uuid.UUID) -> LearningPlan:
    plan = get_readable(actor, plan_id)
    if plan.owner_id != actor.id:
        raise Forbidden("Only the plan's owner can change it")
    return plan


def plans_query(actor: User, args: dict[str, Any]) -> sa.Select[tuple[LearningPlan]]:
    stmt = sa.select(LearningPlan).where(services.visible_owner_clause(actor, LearningPlan.owner_id))
    scope = args.get("scope") or "mine"
    if args.get("owner_id") is not None:
        stmt = stmt.where(LearningPlan.owner_id == args["owner_id"])
    elif scope == "mine":
        stmt = stmt.where(LearningPlan.owner_id == actor.id)
    elif scope == "reports":
        below = orgchart.subtree_ids(actor.id, include_inactive=True)
        stmt = stmt.where(LearningPlan.owner_id.in_(below) if below else sa.false())
    if args.get("status"):
        stmt = stmt.where(LearningPlan.status == args["status"])
    return stmt.order_by(LearningPlan.start_date.desc(), LearningPlan.title, LearningPlan.id)


def _plan_state(plan: LearningPlan | None, data: dict[str, Any]) -> dict[str, Any]:
    state = {name: getattr(plan, name) for name in PLAN_FIELDS} if plan else {}
    state.update({k: v for k, v in data.items() if k in PLAN_FIELDS})
    state["title"] = " ".join((state.get("title") or "").split())
    state["description"] = (state.get("description") or "").strip()
    state["start_date"] = state.get("start_date") or services.today()
    problems: dict[str, list[str]] = {}
    if not state["title"]:
        problems["title"] = ["is required"]
    if state.get("due_date") is not None and state["due_date"] < state["start_date"]:
        problems["due_date"] = ["must be on or after the start date"]
    services.refuse(problems)
    return state


def create_plan(actor: User, data: dict[str, Any]) -> LearningPlan:
    plan = LearningPlan(owner_id=actor.id, **_plan_state(None, data))
    db.session.add(plan)
    db.session.flush()
    return plan


def update_plan(actor: User, plan_id: uuid.UUID, data: dict[str, Any]) -> LearningPlan:
    plan = get_editable(actor, plan_id)
    for name, value in _plan_state(plan, data).items():
        if getattr(plan, name) != value:
            setattr(plan, name, value)
    db.session.flush()
    return plan


def plan_summaries(plan_ids: list[uuid.UUID]) -> dict[uuid.UUID, dict[str, int]]:
    """Item counts by status per plan, in one query."""
    counts: dict[uuid.UUID, dict[str, int]] = defaultdict(dict)
    if plan_ids:
        rows = db.session.execute(
            sa.select(LearningItem.plan_id, LearningItem.status, sa.func.count())
            .where(LearningItem.plan_id.in_(plan_ids))
            .group_by(LearningItem.plan_id, LearningItem.status)
        )
        for plan_id, status, count in rows:
            counts[plan_id][status] = count
    return counts


# --- items ----------------------------------------------------------------------------------------


def items_of(plan_ids: list[uuid.UUID]) -> list[LearningItem]:
    if not plan_ids:
        return []
    return list(
        db.session.scalars(
            sa.select(LearningItem)
            .where(LearningItem.plan_id.in_(plan_ids))
            .order_by(
                LearningItem.status == COMPLETED,
                LearningItem.due_date.is_(None),
                LearningItem.due_date,
                LearningItem.title,
                LearningItem.id,
            )
        )
    )


def links_of(
    item_ids: list[uuid.UUID],
) -> tuple[dict[uuid.UUID, list[uuid.UUID]], dict[uuid.UUID, list[uuid.UUID]]]:
    """Skill ids and goal ids per item (two queries for any number of items)."""
    skills: dict[uuid.UUID, list[uuid.UUID]] = defaultdict(list)
    goals: dict[uuid.UUID, list[uuid.UUID]] = defaultdict(list)
    if item_ids:
        for item_id, skill_id in db.session.execute(
            sa.select(LearningItemSkill.item_id, LearningItemSkill.skill_id).where(
                LearningItemSkill.item_id.in_(item_ids)
            )
        ):
            skills[item_id].append(skill_id)
        for item_id, goal_id in db.session.execute(
            sa.select(LearningItemGoal.item_id, LearningItemGoal.goal_id).where(
                LearningItemGoal.item_id.in_(item_ids)
            )
        ):
            goals[item_id].append(goal_id)
    return skills, goals


def _get_item(plan: LearningPlan, item_id: uuid.UUID) -> LearningItem:
    item = db.session.get(LearningItem, item_id)
    if item is None or item.plan_id != plan.id:
        raise NotFound("No such learning item")
    return item


def _check_goals(owner_id: uuid.UUID, goal_ids: list[uuid.UUID]) -> list[uuid.UUID]:
    wanted = list(dict.fromkeys(goal_ids))
    if wanted:
        found = set(
            db.session.scalars(sa.select(Goal.id).where(Goal.id.in_(wanted), Goal.owner_id == owner_id))
        )
        missing = [str(g) for g in wanted if g not in found]
        if missing:
            raise field_error("goal_ids", f"no such goal of the plan's owner: {', '.join(missing)}")
    return wanted


def _item_state(
    item: LearningItem | None, data: dict[str, Any], catalogue: CatalogueItem | None
) -> dict[str, Any]:
    state = {name: getattr(item, name) for name in ITEM_FIELDS} if item else {}
    if catalogue is not None:
        for name in ("kind", "title", "provider", "url", "hours"):
            if data.get(name) is None:
                state[name] = getattr(catalogue, name)
    state.update({k: v for k, v in data.items() if k in ITEM_FIELDS})
    state["title"] = " ".join((state.get("title") or "").split())
    for name in ("provider", "url", "evidence", "notes"):
        state[name] = (state.get(name) or "").strip()
    state["status"] = state.get("status") or PLANNED
    problems: dict[str, list[str]] = defaultdict(list)
    if not state["title"]:
        problems["title"].append("is required (or pick a catalogue item)")
    if not state.get("kind"):
        problems["kind"].append("is required (or pick a catalogue item)")
    start, due = state.get("start_date"), state.get("due_date")
    if start is not None and due is not None and due < start:
        problems["due_date"].append("must be on or after the start date")
    if state.get("expires_on") is not None and state.get("kind") != CERTIFICATION:
        problems["expires_on"].append("only certifications expire")
    if state["status"] == COMPLETED:
        state["completed_on"] = state.get("completed_on") or services.today()
        if state["completed_on"] > services.today():
            problems["completed_on"].append("cannot be in the future")
        if (
            state.get("expires_on") is None
            and state.get("kind") == CERTIFICATION
            and catalogue is not None
            and catalogue.validity_months
        ):
            state["expires_on"] = rules.add_months(state["completed_on"], catalogue.validity_months)
        if state.get("expires_on") is not None and state["expires_on"] < state["completed_on"]:
            problems["expires_on"].append("must be on or after the completion date")
    elif data.get("completed_on") is not None:
        problems["completed_on"].append("only a completed item has a completion date")
    else:
        state["completed_on"] = None
    services.refuse(dict(problems))
    return state


def _catalogue_item(data: dict[str, Any]) -> CatalogueItem | None:
    if data.get("catalogue_item_id") is None:
        return None
    item = db.session.get(CatalogueItem, data["catalogue_item_id"])
    if item is None or not item.is_active:
        raise field_error("catalogue_item_id", "no such active catalogue item in this organisation")
    return item


def _set_links(
    item: LearningItem, skill_ids: list[uuid.UUID] | None, goal_ids: list[uuid.UUID] | None
) -> None:
    if skill_ids is not None:
        db.session.execute(sa.delete(LearningItemSkill).where(LearningItemSkill.item_id == item.id))
        for skill_id in skill_ids:
            db.session.add(LearningItemSkill(item_id=item.id, skill_id=skill_id))
    if goal_ids is not None:
        db.session.execute(sa.delete(LearningItemGoal).where(LearningItemGoal.item_id == item.id))
        for goal_id in goal_ids:
            db.session.add(LearningItemGoal(item_id=item.id, goal_id=goal_id))
    db.session.flush()


def add_item(actor: User, plan_id: uuid.UUID, data: dict[str, Any]) -> LearningItem:
    """The owner adds an item; a manager above the owner adds it as a suggestion the owner accepts
    (only descriptive fields: it starts planned). HR admins outside the chain read only."""
    plan = get_readable(actor, plan_id)
    own = plan.owner_id == actor.id
    if not own and not services.is_above(actor, plan.owner_id):
        raise Forbidden("Only the plan's owner adds items; their managers may suggest some")
    if not own:
        progress = [n for n in ("status", "completed_on", "expires_on", "evidence") if data.get(n)]
        if progress:
            raise field_error(progress[0], "a suggestion starts as planned; its owner records progress")
    catalogue = _catalogue_item(data)
    state = _item_state(None, data, catalogue)
    if "skill_ids" in data:
        skill_ids = list(services.usable_skills(data["skill_ids"] or [], "skill_ids"))
    elif catalogue is not None:
        skill_ids = list(
            db.session.scalars(
                sa.select(CatalogueItemSkill.skill_id)
                .join(Skill, Skill.id == CatalogueItemSkill.skill_id)
                .where(CatalogueItemSkill.item_id == catalogue.id, Skill.status == "active")
            )
        )
    else:
        skill_ids = []
    goal_ids = _check_goals(plan.owner_id, data.get("goal_ids") or [])
    item = LearningItem(
        plan_id=plan.id,
        catalogue_item_id=catalogue.id if catalogue else None,
        suggested_by_id=None if own else actor.id,
        accepted_at=utcnow() if own else None,
        **state,
    )
    db.session.add(item)
    db.session.flush()
    _set_links(item, skill_ids, goal_ids)
    if item.status == COMPLETED:
        record_completion(item, plan.owner_id, actor.id)
    return item


def update_item(actor: User, plan_id: uuid.UUID, item_id: uuid.UUID, data: dict[str, Any]) -> LearningItem:
    plan = get_editable(actor, plan_id)
    item = _get_item(plan, item_id)
    old_status = item.status
    new_status = data.get("status") or old_status
    if not rules.can_move(old_status, new_status):
        raise Conflict(
            f"A {old_status} item cannot become {new_status}"
            + ("; its evidence is recorded: add a new item to repeat it" if old_status == COMPLETED else "")
        )
    catalogue = db.session.get(CatalogueItem, item.catalogue_item_id) if item.catalogue_item_id else None
    state = _item_state(item, data, catalogue)
    skill_ids = list(services.usable_skills(data["skill_ids"], "skill_ids")) if "skill_ids" in data else None
    goal_ids = _check_goals(plan.owner_id, data["goal_ids"]) if "goal_ids" in data else None
    for name, value in state.items():
        if getattr(item, name) != value:
            setattr(item, name, value)
    if item.accepted_at is None and new_status != PLANNED:
        item.accepted_at = utcnow()  # working on a suggestion accepts it
    db.session.flush()
    _set_links(item, skill_ids, goal_ids)
    if item.status == COMPLETED and old_status != COMPLETED:
        record_completion(item, plan.owner_id, actor.id)
    return item


def accept_item(actor: User, plan_id: uuid.UUID, item_id: uuid.UUID) -> LearningItem:
    plan = get_editable(actor, plan_id)
    item = _get_item(plan, item_id)
    if item.accepted_at is None:
        item.accepted_at = utcnow()
        db.session.flush()
    return item


def record_completion(item: LearningItem, owner_id: uuid.UUID, actor_id: uuid.UUID) -> int:
    """Evidence for each of a completed item's skills, dated on its completion day; once per item
    and skill. Levels are left as they are: people and managers weigh the evidence."""
    skill_ids = db.session.scalars(
        sa.select(LearningItemSkill.skill_id).where(LearningItemSkill.item_id == item.id)
    )
    done = set(
        db.session.scalars(sa.select(SkillEvidence.skill_id).where(SkillEvidence.learning_item_id == item.id))
    )
    assert item.completed_on is not None
    at = datetime.combine(item.completed_on, time(12, 0), tzinfo=UTC)
    source = CERTIFICATE if item.kind == CERTIFICATION else LEARNING
    note = f"Completed {item.kind.replace('_', ' ')}: {item.title}"
    if item.evidence:
        note += f" ({item.evidence})"
    written = 0
    for skill_id in list(skill_ids):
        if skill_id not in done:
            services.record_evidence(
                owner_id, skill_id, source, None, note, at, learning_item_id=item.id, recorded_by_id=actor_id
            )
            written += 1
    return written


# --- certificates about to expire ---------------------------------------------------------------


def expiring_query(owner_ids: list[uuid.UUID] | None, days: int, include_expired: bool) -> sa.Select[Any]:
    start, end = rules.expiry_window(services.today(), days)
    stmt = (
        sa.select(LearningItem, LearningPlan.owner_id, User.name)
        .join(LearningPlan, LearningPlan.id == LearningItem.plan_id)
        .join(User, User.id == LearningPlan.owner_id)
        .where(
            LearningItem.kind == CERTIFICATION,
            LearningItem.status == COMPLETED,
            LearningItem.expires_on.is_not(None),
            LearningItem.expires_on <= end,
        )
    )
    if not include_expired:
        stmt = stmt.where(LearningItem.expires_on >= start)
    if owner_ids is not None:
        stmt = stmt.where(LearningPlan.owner_id.in_(owner_ids) if owner_ids else sa.false())
    return stmt.order_by(LearningItem.expires_on, User.name, LearningItem.id)


def expiring_for(actor: User, args: dict[str, Any], person_id: uuid.UUID | None = None) -> sa.Select[Any]:
    """A person's certificates about to expire (for them, their managers, HR), or with no person:
    mine (scope=mine) or everyone's below me (scope=reports; HR admins: scope=all)."""
    days, include_expired = args.get("days", rules.DEFAULT_EXPIRY_DAYS), args.get("include_expired", False)
    if person_id is not None:
        person = services.readable_person(actor, person_id)
        return expiring_query([person.id], days, include_expired)
    scope = args.get("scope") or "mine"
    if scope == "all":
        services.require_hr(actor, "list every certificate")
        return expiring_query(None, days, include_expired)
    if scope == "reports":
        return expiring_query(list(orgchart.subtree_ids(actor.id)), days, include_expired)
    return expiring_query([actor.id], days, include_expired)


def expiring_out(row: Any) -> dict[str, Any]:
    item, owner_id, owner_name = row
    return {
        "item_id": item.id,
        "plan_id": item.plan_id,
        "owner_id": owner_id,
        "owner_name": owner_name,
        "title": item.title,
        "provider": item.provider,
        "completed_on": item.completed_on,
        "expires_on": item.expires_on,
        "days_left": (item.expires_on - services.today()).days,
    }


# --- goal-skill links ------------------------------------------------------------------------------


def goal_skills(actor: User, goal_id: uuid.UUID) -> list[dict[str, Any]]:
    goal = goal_services.get_readable(actor, goal_id)
    rows = db.session.execute(
        sa.select(GoalSkill.skill_id, GoalSkill.level, Skill.name, Skill.status)
        .join(Skill, Skill.id == GoalSkill.skill_id)
        .where(GoalSkill.goal_id == goal.id)
        .order_by(Skill.name)
    )
    return [
        {"skill_id": skill_id, "level": level, "name": name, "skill_status": status}
        for skill_id, level, name, status in rows
    ]


def set_goal_skills(actor: User, goal_id: uuid.UUID, entries: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The goal's owner states which skills (and levels) it depends on; they feed the gap analysis."""
    goal = goal_services.get_editable(actor, goal_id)
    wanted: dict[uuid.UUID, int] = {}
    for entry in entries:
        if entry["skill_id"] in wanted:
            raise field_error("skills", f"skill {entry['skill_id']} is listed twice")
        wanted[entry["skill_id"]] = entry.get("level", 3)
    services.usable_skills(wanted, "skills")
    db.session.execute(sa.delete(GoalSkill).where(GoalSkill.goal_id == goal.id))
    for skill_id, level in wanted.items():
        db.session.add(GoalSkill(goal_id=goal.id, skill_id=skill_id, level=level))
    db.session.flush()
    return goal_skills(actor, goal_id)
