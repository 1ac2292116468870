"""HTTP API for goals: lists, the SMART check, trees, status changes and check-ins."""

from __future__ import annotations

import uuid
from typing import Any

from flask import Response, current_app
from flask.views import MethodView

from ..core.api import api_blueprint, document_errors, update_schema
from ..core.auth import actor
from ..core.pagination import PageArgs, page_of, page_schema
from . import checkins, forest, services
from .fastdump import FastDumpSchema, Unwritable
from .models import Goal
from .progress import health
from .schemas import (
    CheckInCreatedSchema,
    CheckInCreateSchema,
    CheckInSchema,
    GoalArgs,
    GoalCreateSchema,
    GoalSchema,
    GoalTreeSchema,
    GoalUpdateSchema,
    PersonTreeArgs,
    PersonTreeSchema,
    SmartCheckRequestSchema,
    SmartCheckSchema,
)

goals_api = api_blueprint(
    "goals",
    "/goals",
    "SMART goals and milestones: alignment trees, progress roll-up, health, check-ins, action plans",
)

# What a goal is read for GoalSchema: its columns (health and can_edit are derived).
_GOAL_FIELDS = tuple(name for name in GoalSchema().fields if name not in ("health", "can_edit"))
_CHECKIN_FIELDS = ("id", "goal_id", "author_id", "at", "value", "done", "confidence", "note", "progress")


def goal_out(goal: Goal | Any, me_id: Any, **extra: Any) -> dict[str, Any]:
    """A goal (or a row of its columns) as GoalSchema dumps it, with the derived health and whether
    the reader may edit."""
    return _derived({name: getattr(goal, name) for name in _GOAL_FIELDS}, me_id, extra)


def _derived(goal: dict[str, Any], me_id: Any, extra: dict[str, Any]) -> dict[str, Any]:
    """A dict of a goal's columns (other keys are left to the schema) with what GoalSchema adds."""
    today = services.today()
    goal["health"] = health(goal["status"], goal["progress"], goal["start_date"], goal["due_date"], today)
    goal["smart"] = goal["smart"] or None
    goal["can_edit"] = goal["owner_id"] == me_id
    goal.update(extra)
    return goal


def checkin_out(row: Any) -> dict[str, Any]:
    return {name: getattr(row, name) for name in _CHECKIN_FIELDS}


def json_out(schema: FastDumpSchema, data: Any) -> Response:
    """`data` dumped by `schema` as the response's JSON, as flask-smorest would send it but in a
    fraction of its time (see FastDumpSchema.dump_json); pass the same schema to `response`."""
    try:
        body = schema.dump_json(data)
    except Unwritable:
        return current_app.json.response(schema.dump(data))
    return current_app.response_class(body, mimetype=current_app.json.mimetype)


_PERSON_TREE = PersonTreeSchema()


@goals_api.route("")
class Goals(MethodView):
    @goals_api.arguments(GoalArgs, location="query")
    @goals_api.response(200, page_schema(GoalSchema))
    @document_errors(goals_api, 401, 422)
    def get(self, args: dict[str, Any]) -> dict[str, Any]:
        """Goals I may read: mine by default; my reports', my team's or all visible ones; filtered by
        owner, status, horizon, kind, parent, team, template, tag, title or due window."""
        me = actor()
        page = page_of(services.goals_query(me, args), args)
        page["items"] = [goal_out(g, me.id) for g in page["items"]]
        return page

    @goals_api.arguments(
        GoalCreateSchema,
        example={
            "title": "Cut p95 checkout latency to 200 ms",
            "what": "The checkout API answers 95% of requests in under 200 ms",
            "why": "Slow checkouts lose about 3% of orders",
            "how": "Cache price lookups, batch the stock queries",
            "measure_kind": "numeric",
            "metric_name": "p95 latency",
            "unit": "ms",
            "start_value": 420,
            "target_value": 200,
            "start_date": "2026-01-05",
            "due_date": "2026-03-31",
            "horizon": "short_term",
            "visibility": "manager_chain",
            "relevance_note": "Supports the team's conversion goal",
            "tags": ["performance"],
            "status": "active",
        },
    )
    @goals_api.response(201, GoalSchema)
    @document_errors(goals_api, 401, 403, 404, 409, 422)
    def post(self, data: dict[str, Any]) -> dict[str, Any]:
        """Create one of my goals (a draft unless status=active). Dates reversed, a numeric target
        equal to its start, a parent I cannot see or a cycle answer 422 with field messages."""
        me = actor()
        return goal_out(services.create_goal(me, data), me.id)


@goals_api.route("/smart-check")
class SmartCheck(MethodView):
    @goals_api.arguments(
        SmartCheckRequestSchema,
        required=False,
        example={
            "title": "Improve documentation",
            "measure_kind": "numeric",
            "start_value": 0,
            "target_value": 0,
        },
    )
    @goals_api.response(200, SmartCheckSchema)
    @document_errors(goals_api, 401, 404, 422)
    def post(self, data: dict[str, Any]) -> dict[str, Any]:
        """Check a draft (or an existing goal with changes) against the SMART rules without saving:
        each criterion with a hint when it fails, and what would stop it from being saved."""
        return services.smart_check(actor(), data)


@goals_api.route("/tree")
class PersonTree(MethodView):
    @goals_api.arguments(PersonTreeArgs, location="query")
    @goals_api.response(200, _PERSON_TREE)
    @document_errors(goals_api, 401, 404, 422)
    def get(self, args: dict[str, Any]) -> Response:
        """A person's goals (default: mine) as a forest in depth-first order, each with its tasks,
        obstacles and check-in history; only the goals I may read. A constant number of queries."""
        me = actor()
        owner_id = args.get("owner_id") or me.id
        nodes = forest.person_tree(me, owner_id, include_archived=args["include_archived"])
        items = [
            _derived(
                dict(goal),
                me.id,
                {"depth": depth, "tasks": tasks, "obstacles": obstacles, "checkins": line},
            )
            for goal, depth, tasks, obstacles, line in nodes
        ]
        return json_out(_PERSON_TREE, {"owner_id": owner_id, "total": len(items), "items": items})


@goals_api.route("/<uuid:goal_id>")
class GoalItem(MethodView):
    @goals_api.response(200, GoalSchema)
    @document_errors(goals_api, 401, 404)
    def get(self, goal_id: uuid.UUID) -> dict[str, Any]:
        """One goal, with its progress, health and stored SMART check."""
        me = actor()
        return goal_out(services.get_readable(me, goal_id), me.id)

    @goals_api.arguments(
        update_schema(GoalUpdateSchema),
        required=False,
        example={"due_date": "2026-04-30", "status": "active"},
    )
    @goals_api.response(200, GoalSchema)
    @document_errors(goals_api, 401, 403, 404, 409, 422)
    def patch(self, data: dict[str, Any], goal_id: uuid.UUID) -> dict[str, Any]:
        """Change my goal: any field, its parent (no cycles), or its status (draft -> active or
        abandoned; active -> completed or abandoned). Progress is recomputed up the tree."""
        me = actor()
        return goal_out(services.update_goal(me, goal_id, data), me.id)


@goals_api.route("/<uuid:goal_id>/tree")
class GoalTree(MethodView):
    @goals_api.response(200, GoalTreeSchema)
    @document_errors(goals_api, 401, 404)
    def get(self, goal_id: uuid.UUID) -> dict[str, Any]:
        """A goal and everything below it (milestones and supporting goals, any owner) that I may
        read, with depths; a goal hidden from me hides its branch."""
        me = actor()
        rows = services.subtree_of(me, goal_id)
        return {"root_id": goal_id, "items": [goal_out(g, me.id, depth=depth) for g, depth in rows]}


@goals_api.route("/<uuid:goal_id>/archive")
class Archive(MethodView):
    @goals_api.response(200, GoalSchema)
    @document_errors(goals_api, 401, 403, 404, 409)
    def post(self, goal_id: uuid.UUID) -> dict[str, Any]:
        """Archive my completed or abandoned goal: lists leave it out unless include_archived."""
        me = actor()
        return goal_out(services.archive_goal(me, goal_id), me.id)


@goals_api.route("/<uuid:goal_id>/reopen")
class Reopen(MethodView):
    @goals_api.response(200, GoalSchema)
    @document_errors(goals_api, 401, 403, 404, 409)
    def post(self, goal_id: uuid.UUID) -> dict[str, Any]:
        """Make my completed or abandoned goal active again (and unarchive it)."""
        me = actor()
        return goal_out(services.reopen_goal(me, goal_id), me.id)


@goals_api.route("/<uuid:goal_id>/checkins")
class CheckIns(MethodView):
    @goals_api.arguments(PageArgs, location="query")
    @goals_api.response(200, page_schema(CheckInSchema))
    @document_errors(goals_api, 401, 404, 422)
    def get(self, args: dict[str, Any], goal_id: uuid.UUID) -> dict[str, Any]:
        """The goal's check-in history, oldest first: the points of its progress line."""
        return page_of(checkins.checkins_query(actor(), goal_id), args)

    @goals_api.arguments(
        CheckInCreateSchema, example={"value": 310, "confidence": 4, "note": "Caching helped"}
    )
    @goals_api.response(201, CheckInCreatedSchema)
    @document_errors(goals_api, 401, 403, 404, 409, 422)
    def post(self, data: dict[str, Any], goal_id: uuid.UUID) -> dict[str, Any]:
        """Check in on my active goal: a new value (or done), a confidence 1-5 and a note. Progress
        is recomputed for the goal and its ancestors only; a milestone reaching its target completes
        and is celebrated."""
        me = actor()
        record, recomputed = checkins.add_checkin(me, goal_id, data)
        goal = services.get_readable(me, goal_id)
        return {**checkin_out(record), "goal": goal_out(goal, me.id), "recomputed": recomputed}
