"""Goal templates: HR admins define them and assign them in bulk; everyone gets their own goal."""

from __future__ import annotations

import uuid
from datetime import date, timedelta
from typing import Any

import sqlalchemy as sa

from ..core.db import db
from ..core.errors import Forbidden, NotFound, ValidationFailed, field_error
from ..people import orgchart
from ..people.models import Team, User
from . import services, smart
from .models import ABANDONED, ACTIVE, BINARY, MILESTONE, NUMERIC, Goal, GoalTemplate

TEMPLATE_FIELDS = (
    "title",
    "what",
    "why",
    "how",
    "relevance_note",
    "measure_kind",
    "metric_name",
    "unit",
    "start_value",
    "target_value",
    "default_duration_days",
    "horizon",
    "visibility",
    "tags",
    "milestones",
    "is_active",
)
MAX_ASSIGNEES = 2000


def _require_hr(actor: User) -> None:
    if not actor.is_hr_admin:
        raise Forbidden("Only an HR admin can manage goal templates")


def templates_query(include_inactive: bool) -> sa.Select[tuple[GoalTemplate]]:
    stmt = sa.select(GoalTemplate).order_by(GoalTemplate.title, GoalTemplate.id)
    return stmt if include_inactive else stmt.where(GoalTemplate.is_active.is_(True))


def get_template(template_id: uuid.UUID) -> GoalTemplate:
    template = db.session.get(GoalTemplate, template_id)
    if template is None:
        raise NotFound("No such goal template")
    return template


def _checked(state: dict[str, Any]) -> dict[str, Any]:
    problems: dict[str, list[str]] = {}
    state["title"] = (state.get("title") or "").strip()
    if not state["title"]:
        problems["title"] = ["is required"]
    state["measure_kind"] = state.get("measure_kind") or NUMERIC
    if state["measure_kind"] == BINARY:
        state["start_value"] = state["target_value"] = None
    else:
        if state.get("start_value") is None:
            state["start_value"] = 0.0
        if state.get("target_value") is None:
            problems["target_value"] = ["is required for a numeric goal"]
        elif state["target_value"] == state["start_value"]:
            problems["target_value"] = ["must differ from the start value"]
    duration = state.get("default_duration_days") or 90
    state["default_duration_days"] = duration
    milestones = []
    for index, item in enumerate(state.get("milestones") or []):
        title = (item.get("title") or "").strip()
        if not title:
            problems[f"milestones.{index}.title"] = ["is required"]
        if item["offset_days"] > duration:
            problems[f"milestones.{index}.offset_days"] = [f"must be within the duration ({duration} days)"]
        milestones.append({"title": title, "offset_days": item["offset_days"]})
    state["milestones"] = sorted(milestones, key=lambda m: m["offset_days"])
    state["tags"] = services._normalise_tags(state.get("tags"))
    for name in ("metric_name", "unit"):
        state[name] = (state.get(name) or "").strip() or None
    for name in ("what", "why", "how", "relevance_note"):
        state[name] = (state.get(name) or "").strip()
    if problems:
        raise ValidationFailed("; ".join(f"{k}: {v[0]}" for k, v in problems.items()), problems)
    return state


def create_template(actor: User, data: dict[str, Any]) -> GoalTemplate:
    _require_hr(actor)
    state = _checked({k: v for k, v in data.items() if k in TEMPLATE_FIELDS})
    template = GoalTemplate(created_by_id=actor.id, **state)
    db.session.add(template)
    db.session.flush()
    return template


def update_template(actor: User, template_id: uuid.UUID, data: dict[str, Any]) -> GoalTemplate:
    _require_hr(actor)
    template = get_template(template_id)
    state = {name: getattr(template, name) for name in TEMPLATE_FIELDS}
    state.update({k: v for k, v in data.items() if k in TEMPLATE_FIELDS})
    for name, value in _checked(state).items():
        if getattr(template, name) != value:
            setattr(template, name, value)
    db.session.flush()
    return template


def _assignees(data: dict[str, Any]) -> list[uuid.UUID]:
    targets = [name for name in ("person_ids", "team_id", "manager_id") if data.get(name)]
    if len(targets) != 1:
        raise ValidationFailed(
            "Give exactly one of person_ids, team_id and manager_id",
            {"_schema": ["give exactly one of person_ids, team_id and manager_id"]},
        )
    if data.get("team_id"):
        if db.session.get(Team, data["team_id"]) is None:
            raise field_error("team_id", "no such team in this organisation")
        stmt = sa.select(User.id).where(User.team_id == data["team_id"], User.is_active.is_(True))
        return list(db.session.scalars(stmt.order_by(User.name, User.id)))
    if data.get("manager_id"):
        manager = db.session.get(User, data["manager_id"])
        if manager is None:
            raise field_error("manager_id", "no such person in this organisation")
        return [person.id for person, _depth in orgchart.subtree(manager.id)]
    wanted = list(dict.fromkeys(data["person_ids"]))
    found = dict(db.session.execute(sa.select(User.id, User.is_active).where(User.id.in_(wanted))).all())
    missing = [str(pid) for pid in wanted if pid not in found]
    if missing:
        raise field_error("person_ids", f"not people in this organisation: {', '.join(missing[:10])}")
    inactive = [str(pid) for pid in wanted if not found[pid]]
    if inactive:
        raise field_error("person_ids", f"deactivated: {', '.join(inactive[:10])}")
    return wanted


def assign_template(actor: User, template_id: uuid.UUID, data: dict[str, Any]) -> dict[str, Any]:
    """Give each chosen person their own goal from the template (with its milestones as child
    goals). People who already have a live goal from it are skipped, so assigning twice is safe."""
    _require_hr(actor)
    template = get_template(template_id)
    if not template.is_active:
        raise field_error("template_id", "this template is retired")
    people = _assignees(data)
    if len(people) > MAX_ASSIGNEES:
        raise field_error("person_ids", f"at most {MAX_ASSIGNEES} people at once")
    start = data.get("start_date") or services.today()
    try:
        due = start + timedelta(days=template.default_duration_days)
    except OverflowError as exc:
        raise field_error("start_date", "too far in the future") from exc
    parent = None
    if data.get("parent_id") is not None:
        parent = db.session.get(Goal, data["parent_id"])
        if parent is None:
            raise field_error("parent_id", "no such goal in this organisation")
        if parent.status == ABANDONED:
            raise field_error("parent_id", "that goal is abandoned")
    already = set(
        db.session.scalars(
            sa.select(Goal.owner_id).where(
                Goal.template_id == template.id, Goal.kind != MILESTONE, Goal.status != ABANDONED
            )
        )
    )
    created: list[Goal] = []
    skipped = [pid for pid in people if pid in already]
    day = services.today()
    for owner_id in (pid for pid in people if pid not in already):
        goal = _goal_from(template, owner_id, start, due, parent)
        created.append(goal)
        for milestone in template.milestones:
            created.append(_milestone_from(template, goal, milestone, start, due, day))
    db.session.add_all(created)
    db.session.flush()
    if parent is not None and created:
        services.recompute_upwards(parent)
    goals = [g for g in created if g.kind != MILESTONE]
    return {
        "template_id": template.id,
        "created": len(goals),
        "milestones_created": len(created) - len(goals),
        "skipped": len(skipped),
        "goal_ids": [g.id for g in goals],
        "skipped_person_ids": skipped,
    }


def _goal_from(
    template: GoalTemplate, owner_id: uuid.UUID, start: date, due: date, parent: Goal | None
) -> Goal:
    goal = Goal(
        id=uuid.uuid4(),
        owner_id=owner_id,
        parent_id=parent.id if parent else None,
        template_id=template.id,
        title=template.title,
        what=template.what,
        why=template.why,
        how=template.how,
        relevance_note=template.relevance_note,
        measure_kind=template.measure_kind,
        metric_name=template.metric_name,
        unit=template.unit,
        start_value=template.start_value,
        target_value=template.target_value,
        current_value=template.start_value,
        start_date=start,
        due_date=due,
        horizon=template.horizon,
        visibility=template.visibility,
        tags=list(template.tags),
        status=ACTIVE,
        progress=0.0,
    )
    goal.smart = smart.check(
        services.smart_input(goal, parent.due_date if parent else None, ()), services.today()
    )
    return goal


def _milestone_from(
    template: GoalTemplate, goal: Goal, milestone: dict[str, Any], start: date, due: date, day: date
) -> Goal:
    child = Goal(
        id=uuid.uuid4(),
        owner_id=goal.owner_id,
        parent_id=goal.id,
        template_id=template.id,
        kind=MILESTONE,
        title=milestone["title"],
        measure_kind=BINARY,
        start_date=start,
        due_date=min(due, start + timedelta(days=milestone["offset_days"])),
        horizon=goal.horizon,
        visibility=goal.visibility,
        status=ACTIVE,
        progress=0.0,
    )
    child.smart = smart.check(services.smart_input(child, due, ()), day)
    return child
