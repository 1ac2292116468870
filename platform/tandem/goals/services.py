"""Goals: who may see and change them, creating and editing them, status changes, and keeping
progress and the stored SMART check current up the goal tree."""

from __future__ import annotations

import json
import uuid
from collections import defaultdict
from collections.abc import Iterable, Sequence
from datetime import date
from typing import Any

import sqlalchemy as sa

from ..core import trees
from ..core.db import db, utcnow
from ..core.errors import Conflict, Forbidden, NotFound, ValidationFailed
from ..people import orgchart
from ..people.models import Team, User
from . import celebrations, smart
from .models import (
    ABANDONED,
    ACTIVE,
    BINARY,
    COMPLETED,
    DRAFT,
    GOAL,
    MILESTONE,
    NUMERIC,
    PRIVATE,
    TENANT,
    CheckIn,
    Goal,
)
from .progress import Child, goal_progress, measure_progress

EDITABLE_FIELDS = (
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
    "current_value",
    "done",
    "start_date",
    "due_date",
    "horizon",
    "weight",
    "visibility",
    "tags",
    "parent_id",
    "team_id",
    "kind",
)
# Allowed status changes through PATCH (reopening is its own endpoint, which also unarchives).
TRANSITIONS = {
    DRAFT: {ACTIVE, ABANDONED},
    ACTIVE: {COMPLETED, ABANDONED},
    COMPLETED: set(),
    ABANDONED: set(),
}


def today() -> date:
    return utcnow().date()


# --- who may see what -----------------------------------------------------------------------------


def can_read(actor: User, goal: Goal) -> bool:
    """The owner; HR admins; anyone for tenant-wide goals; for goals that are not private, the
    owner's manager chain and, for a team goal, the team's members."""
    if actor.id == goal.owner_id or actor.is_hr_admin or goal.visibility == TENANT:
        return True
    if goal.visibility == PRIVATE:
        return False
    if goal.team_id is not None and goal.team_id == actor.team_id:
        return True
    return orgchart.is_below(goal.owner_id, actor.id)


def visible_clause(actor: User) -> sa.ColumnElement[bool]:
    """`can_read` as one SQL condition (one query to read the actor's subtree, none per goal)."""
    if actor.is_hr_admin:
        return sa.true()
    shared = [Goal.owner_id.in_(orgchart.subtree_select(actor.id, include_inactive=True))]
    if actor.team_id is not None:
        shared.append(Goal.team_id == actor.team_id)
    return sa.or_(
        Goal.owner_id == actor.id,
        Goal.visibility == TENANT,
        sa.and_(Goal.visibility != PRIVATE, sa.or_(*shared)),
    )


def can_align_to(actor: User, parent: Goal) -> bool:
    """A goal may support any goal its owner can read, and also the non-private goals of the
    owner's own managers (goals cascade down the chain even though the chain reads upwards)."""
    if can_read(actor, parent):
        return True
    return parent.visibility != PRIVATE and parent.owner_id in {m.id for m in orgchart.chain(actor.id)}


def get_readable(actor: User, goal_id: uuid.UUID) -> Goal:
    """The goal, or 404 when it is absent, in another organisation, or hidden from the actor."""
    goal = db.session.get(Goal, goal_id)
    if goal is None or not can_read(actor, goal):
        raise NotFound("No such goal")
    return goal


def get_editable(actor: User, goal_id: uuid.UUID) -> Goal:
    """Only the owner changes a goal and what hangs off it; readers who are not the owner get 403."""
    goal = get_readable(actor, goal_id)
    if goal.owner_id != actor.id:
        raise Forbidden("Only the goal's owner can change it")
    return goal


# --- the tree ------------------------------------------------------------------------------------


def _descendants_cte(root_id: uuid.UUID) -> sa.CTE:
    return trees.descendants(Goal.id, Goal.parent_id, root_id, "goal_subtree")


def is_descendant(goal_id: uuid.UUID, root_id: uuid.UUID) -> bool:
    tree = _descendants_cte(root_id)
    return db.session.scalar(sa.select(sa.exists().where(tree.c.id == goal_id))) or False


def ancestors(goal_id: uuid.UUID) -> list[Goal]:
    """The goals above `goal_id`, nearest first, in one query."""
    up = trees.ancestors(Goal.id, Goal.parent_id, goal_id, "goal_chain")
    return list(db.session.scalars(sa.select(Goal).join(up, up.c.id == Goal.id).order_by(up.c.level)))


def own_measure(goal: Goal) -> float:
    return measure_progress(
        goal.measure_kind, goal.start_value, goal.target_value, goal.current_value, goal.done
    )


def recompute_upwards(goal: Goal) -> int:
    """Recompute `goal`'s progress, then each ancestor's from its children, in two queries plus
    one UPDATE per goal whose value changed; returns how many goals were recomputed."""
    chain = [goal, *ancestors(goal.id)]
    ids = [g.id for g in chain]
    rows = db.session.execute(
        sa.select(Goal.id, Goal.parent_id, Goal.status, Goal.weight, Goal.progress).where(
            Goal.parent_id.in_(ids)
        )
    ).all()
    children: dict[uuid.UUID, list[tuple[uuid.UUID, str, float, float]]] = defaultdict(list)
    for child_id, parent_id, status, weight, progress in rows:
        children[parent_id].append((child_id, status, weight, progress))
    fresh: dict[uuid.UUID, float] = {}
    for node in chain:
        kids = [
            Child(status, weight, fresh.get(cid, progress))
            for cid, status, weight, progress in children[node.id]
        ]
        value = goal_progress(node.status, own_measure(node), kids)
        if node.progress != value:
            node.progress = value
        fresh[node.id] = value
    db.session.flush()
    return len(chain)


# --- the stored SMART check -----------------------------------------------------------------------


def smart_input(
    goal: Goal | dict[str, Any], parent_due: date | None, history: Sequence[tuple[date, float]]
) -> smart.SmartInput:
    get = goal.get if isinstance(goal, dict) else lambda name, default=None: getattr(goal, name, default)
    return smart.SmartInput(
        title=get("title") or "",
        what=get("what") or "",
        measure_kind=get("measure_kind") or NUMERIC,
        metric_name=get("metric_name"),
        unit=get("unit"),
        start_value=get("start_value"),
        target_value=get("target_value"),
        current_value=get("current_value"),
        start_date=get("start_date"),
        due_date=get("due_date"),
        has_parent=get("parent_id") is not None,
        parent_due_date=parent_due,
        relevance_note=get("relevance_note") or "",
        history=tuple(history),
    )


def histories(goal_ids: Iterable[uuid.UUID]) -> dict[uuid.UUID, list[tuple[date, float]]]:
    """Numeric check-in values per goal, oldest first, in one query."""
    ids = list(goal_ids)
    found: dict[uuid.UUID, list[tuple[date, float]]] = defaultdict(list)
    if not ids:
        return found
    rows = db.session.execute(
        sa.select(CheckIn.goal_id, CheckIn.at, CheckIn.value)
        .where(CheckIn.goal_id.in_(ids), CheckIn.value.is_not(None))
        .order_by(CheckIn.goal_id, CheckIn.at, CheckIn.id)
    )
    for goal_id, at, value in rows:
        found[goal_id].append((at.date(), value))
    return found


def refresh_smart(goals: Sequence[Goal]) -> None:
    """Store a fresh SMART check on each goal: two queries for any number of goals."""
    if not goals:
        return
    parent_ids = {g.parent_id for g in goals if g.parent_id is not None}
    parent_due = (
        dict(db.session.execute(sa.select(Goal.id, Goal.due_date).where(Goal.id.in_(parent_ids))).all())
        if parent_ids
        else {}
    )
    history = histories(g.id for g in goals)
    day = today()
    for goal in goals:
        due = parent_due.get(goal.parent_id) if goal.parent_id else None
        goal.smart = smart.check(smart_input(goal, due, history.get(goal.id, [])), day)


# --- validation -----------------------------------------------------------------------------------


def _normalise_tags(tags: Iterable[str] | None) -> list[str]:
    seen: list[str] = []
    for tag in tags or []:
        clean = " ".join(tag.split()).lower()
        if clean and clean not in seen:
            seen.append(clean)
    return seen


def _state(goal: Goal | None, data: dict[str, Any]) -> dict[str, Any]:
    """The goal's fields after applying `data`, with the measure made consistent."""
    state = {name: getattr(goal, name) for name in EDITABLE_FIELDS} if goal else {}
    state.update({k: v for k, v in data.items() if k in EDITABLE_FIELDS})
    for name in ("title", "what", "why", "how", "relevance_note"):
        state[name] = (state.get(name) or "").strip()
    for name in ("metric_name", "unit"):
        value = (state.get(name) or "").strip()
        state[name] = value or None
    state["measure_kind"] = state.get("measure_kind") or NUMERIC
    state["kind"] = state.get("kind") or GOAL
    state["start_date"] = state.get("start_date") or (goal.start_date if goal else today())
    state["tags"] = _normalise_tags(state.get("tags"))
    state["weight"] = state.get("weight") or 1.0
    state["done"] = bool(state.get("done"))
    if state["measure_kind"] == BINARY:
        state["start_value"] = state["target_value"] = state["current_value"] = None
    else:
        if state.get("start_value") is None:
            state["start_value"] = 0.0
        if state.get("current_value") is None:
            state["current_value"] = state["start_value"]
        state["done"] = False
    return state


def problems_of(
    actor: User, state: dict[str, Any], goal: Goal | None
) -> tuple[dict[str, list[str]], Goal | None]:
    """Every hard rule a goal must meet to be saved (field -> messages), and the parent goal."""
    problems: dict[str, list[str]] = defaultdict(list)
    if not state["title"]:
        problems["title"].append("is required")
    if state.get("due_date") and state["due_date"] < state["start_date"]:
        # Name the start date: it is today when none was given, which a sender may not expect.
        problems["due_date"].append(f"must be on or after the start date ({state['start_date'].isoformat()})")
    if state["measure_kind"] == NUMERIC:
        if state.get("target_value") is None:
            problems["target_value"].append("is required for a numeric goal")
        elif state["target_value"] == state["start_value"]:
            problems["target_value"].append("must differ from the start value")
    parent = None
    if state.get("parent_id") is not None:
        parent = db.session.get(Goal, state["parent_id"])
        if parent is None or not can_align_to(actor, parent):
            problems["parent_id"].append("no such goal in this organisation")
            parent = None
        elif goal is not None and (parent.id == goal.id or is_descendant(parent.id, goal.id)):
            problems["parent_id"].append("this goal supports it already: it would make a cycle")
        elif parent.status == ABANDONED:
            problems["parent_id"].append("that goal is abandoned")
    if state.get("team_id") is not None:
        if db.session.get(Team, state["team_id"]) is None:
            problems["team_id"].append("no such team in this organisation")
        elif not actor.is_hr_admin and actor.team_id != state["team_id"]:
            problems["team_id"].append("you can only set your own team")
    return dict(problems), parent


def _refuse(problems: dict[str, list[str]]) -> None:
    if problems:
        message = "; ".join(f"{field}: {messages[0]}" for field, messages in problems.items())
        raise ValidationFailed(message, problems)


def smart_check(actor: User, data: dict[str, Any]) -> dict[str, Any]:
    """The SMART check of a draft, or of an existing goal with `data` applied (using its check-in
    history), plus the hard problems that would stop it from being saved. Writes nothing."""
    goal_id = data.pop("goal_id", None)
    goal = get_readable(actor, goal_id) if goal_id else None
    state = _state(goal, data)
    problems, parent = problems_of(actor, state, goal)
    history = histories([goal.id]).get(goal.id, []) if goal else []
    result = smart.check(smart_input(state, parent.due_date if parent else None, history), today())
    return {**result, "problems": problems}


# --- writes ---------------------------------------------------------------------------------------


def create_goal(actor: User, data: dict[str, Any]) -> Goal:
    status = data.get("status") or DRAFT
    if status not in (DRAFT, ACTIVE):
        raise ValidationFailed(
            "status: a new goal is a draft or active", {"status": ["must be draft or active"]}
        )
    state = _state(None, data)
    problems, _parent = problems_of(actor, state, None)
    _refuse(problems)
    goal = Goal(owner_id=actor.id, status=status, **state)
    db.session.add(goal)
    db.session.flush()
    recompute_upwards(goal)
    refresh_smart([goal])
    db.session.flush()
    return goal


def update_goal(actor: User, goal_id: uuid.UUID, data: dict[str, Any]) -> Goal:
    goal = get_editable(actor, goal_id)
    if goal.archived_at is not None:
        raise Conflict("This goal is archived: reopen it to change it")
    state = _state(goal, data)
    problems, _parent = problems_of(actor, state, goal)
    new_status = data.get("status")
    if new_status is not None and new_status != goal.status and new_status not in TRANSITIONS[goal.status]:
        problems.setdefault("status", []).append(
            f"a {goal.status} goal cannot become {new_status}"
            + (" (use reopen)" if goal.status in (COMPLETED, ABANDONED) else "")
        )
    _refuse(problems)
    old_parent_id, old_due = goal.parent_id, goal.due_date
    for name, value in state.items():
        if getattr(goal, name) != value:
            setattr(goal, name, value)
    if new_status is not None and new_status != goal.status:
        _set_status(goal, new_status)
    db.session.flush()
    recompute_upwards(goal)
    if old_parent_id is not None and old_parent_id != goal.parent_id:
        old_parent = db.session.get(Goal, old_parent_id)
        if old_parent is not None:
            recompute_upwards(old_parent)
    touched = [goal]
    if goal.due_date != old_due:
        # The children's Time-bound rule compares against this due date.
        touched += list(db.session.scalars(sa.select(Goal).where(Goal.parent_id == goal.id)))
    refresh_smart(touched)
    db.session.flush()
    return goal


def _set_status(goal: Goal, status: str) -> None:
    goal.status = status
    if status == COMPLETED:
        goal.completed_at = utcnow()
        if goal.kind == MILESTONE:
            celebrations.record(goal)
    elif status == ACTIVE:
        goal.completed_at = None


def complete_if_reached(goal: Goal) -> bool:
    """A milestone whose own measure reaches its target completes (and is celebrated)."""
    if goal.kind == MILESTONE and goal.status == ACTIVE and own_measure(goal) >= 1.0:
        _set_status(goal, COMPLETED)
        return True
    return False


def archive_goal(actor: User, goal_id: uuid.UUID) -> Goal:
    goal = get_editable(actor, goal_id)
    if goal.status not in (COMPLETED, ABANDONED):
        raise Conflict("Only a completed or abandoned goal can be archived")
    if goal.archived_at is None:
        goal.archived_at = utcnow()
        db.session.flush()
    return goal


def reopen_goal(actor: User, goal_id: uuid.UUID) -> Goal:
    """A completed or abandoned (possibly archived) goal becomes active again."""
    goal = get_editable(actor, goal_id)
    if goal.status not in (COMPLETED, ABANDONED):
        raise Conflict(f"Only a completed or abandoned goal can be reopened; this one is {goal.status}")
    if goal.parent_id is not None:
        parent = db.session.get(Goal, goal.parent_id)
        if parent is not None and parent.status == ABANDONED:
            raise Conflict("The goal it supports is abandoned: link it to another goal first")
    goal.archived_at = None
    _set_status(goal, ACTIVE)
    db.session.flush()
    recompute_upwards(goal)
    refresh_smart([goal])
    db.session.flush()
    return goal


# --- reads ----------------------------------------------------------------------------------------


def goals_query(actor: User, args: dict[str, Any]) -> sa.Select[tuple[Goal]]:
    """Goals the actor may read, narrowed by the list filters."""
    stmt = sa.select(Goal).where(visible_clause(actor))
    scope = args.get("scope") or "mine"
    if scope == "mine":
        stmt = stmt.where(Goal.owner_id == actor.id)
    elif scope == "reports":
        reports = orgchart.subtree_select(actor.id, include_inactive=True, name="reports_subtree")
        stmt = stmt.where(Goal.owner_id.in_(reports))
    elif scope == "team":
        stmt = stmt.where(Goal.team_id == actor.team_id if actor.team_id else sa.false())
    for name in (
        "owner_id",
        "status",
        "horizon",
        "kind",
        "parent_id",
        "team_id",
        "template_id",
        "visibility",
    ):
        if args.get(name) is not None:
            stmt = stmt.where(getattr(Goal, name) == args[name])
    if args.get("root_only"):
        stmt = stmt.where(Goal.parent_id.is_(None))
    if args.get("due_after") is not None:
        stmt = stmt.where(Goal.due_date >= args["due_after"])
    if args.get("due_before") is not None:
        stmt = stmt.where(Goal.due_date <= args["due_before"])
    if args.get("tag"):
        needle = _normalise_tags([args["tag"]])
        if needle:
            # Tags are stored as a JSON list; matching the quoted JSON string finds whole tags
            # on every backend.
            stmt = stmt.where(sa.cast(Goal.tags, sa.Text).contains(json.dumps(needle[0]), autoescape=True))
    if args.get("q"):
        stmt = stmt.where(sa.func.lower(Goal.title).contains(args["q"].strip().lower(), autoescape=True))
    if not args.get("include_archived"):
        stmt = stmt.where(Goal.archived_at.is_(None))
    return stmt.order_by(Goal.due_date.is_(None), Goal.due_date, Goal.title, Goal.id)


def subtree_of(actor: User, goal_id: uuid.UUID) -> list[tuple[Goal, int]]:
    """The goal and every descendant the actor may read (a hidden goal hides its branch), with
    depths (0 = the goal), in two queries."""
    root = get_readable(actor, goal_id)
    tree = _descendants_cte(root.id)
    rows = db.session.execute(
        sa.select(Goal, tree.c.depth)
        .join(tree, tree.c.id == Goal.id)
        .where(visible_clause(actor))
        .order_by(tree.c.depth, Goal.title, Goal.id)
    ).all()
    kept = {root.id}
    result = [(root, 0)]
    for goal, depth in rows:
        if goal.parent_id in kept and goal.id not in kept:
            kept.add(goal.id)
            result.append((goal, depth))
    return result


def owner_goals_select(
    actor: User, owner_id: uuid.UUID, *columns: Any, include_archived: bool
) -> sa.Select[Any]:
    """SELECT `columns` of a person's goals that the actor may read, in forest sibling order;
    404 for an unknown person."""
    stmt = sa.select(*columns).where(Goal.owner_id == owner_id)
    if owner_id != actor.id:
        # The owner reads all of their goals (and exists): no subtree query, no person lookup.
        if db.session.get(User, owner_id) is None:
            raise NotFound("No such person")
        stmt = stmt.where(visible_clause(actor))
    if not include_archived:
        stmt = stmt.where(Goal.archived_at.is_(None))
    return stmt.order_by(Goal.due_date.is_(None), Goal.due_date, Goal.title, Goal.id)


def as_forest(goals: Sequence[Any]) -> list[tuple[Any, int]]:
    """Goals (ORM objects or rows) as (goal, depth) in depth-first order, a goal whose parent is
    not among them being a root; siblings keep their order."""
    ids = {g.id for g in goals}
    kids: dict[uuid.UUID | None, list[Any]] = defaultdict(list)
    for goal in goals:
        kids[goal.parent_id if goal.parent_id in ids else None].append(goal)
    ordered: list[tuple[Any, int]] = []
    stack = [(g, 0) for g in reversed(kids[None])]
    while stack:
        goal, depth = stack.pop()
        ordered.append((goal, depth))
        stack.extend((child, depth + 1) for child in reversed(kids[goal.id]))
    return ordered


def owner_goals(actor: User, owner_id: uuid.UUID, *, include_archived: bool) -> list[tuple[Goal, int]]:
    """A person's goals that the actor may read, as a forest: (goal, depth) in depth-first order,
    a goal whose parent is not in the set being a root. One query for the goals."""
    stmt = owner_goals_select(actor, owner_id, Goal, include_archived=include_archived)
    return as_forest(list(db.session.scalars(stmt)))
