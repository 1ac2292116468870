"""HTTP API for action plans (tasks, obstacles, my tasks by Eisenhower quadrant), celebrations
and goal templates."""

from __future__ import annotations

import uuid
from typing import Any

from flask.views import MethodView

from ..core.api import api_blueprint, document_errors, update_schema
from ..core.auth import actor
from ..core.db import db
from ..core.pagination import page_of, page_schema
from . import celebrations, plans, templates
from .schemas import (
    AssignResultSchema,
    AssignSchema,
    CelebrationArgs,
    CelebrationSchema,
    MyTasksArgs,
    MyTasksSchema,
    ObstacleSchema,
    ObstacleUpdateSchema,
    TaskSchema,
    TaskUpdateSchema,
    TemplateArgs,
    TemplateSchema,
    TemplateUpdateSchema,
)
from .views import goals_api

my_tasks_api = api_blueprint("my_tasks", "/me", "My action-plan tasks across my goals")
celebrations_api = api_blueprint(
    "celebrations", "/celebrations", "Completed milestones, for their owner and the owner's managers"
)
templates_api = api_blueprint("goal_templates", "/goal-templates", "Goal templates HR admins assign in bulk")


@goals_api.route("/<uuid:goal_id>/tasks")
class Tasks(MethodView):
    @goals_api.response(200, TaskSchema(many=True))
    @document_errors(goals_api, 401, 404)
    def get(self, goal_id: uuid.UUID) -> list[dict[str, Any]]:
        """The goal's action plan: open tasks first, soonest due first."""
        return [plans.task_out(t) for t in plans.tasks_of(actor(), goal_id)]

    @goals_api.arguments(
        TaskSchema,
        example={
            "title": "Profile the checkout endpoint",
            "due_date": "2026-01-20",
            "estimate_hours": 4,
            "urgent": True,
            "important": True,
        },
    )
    @goals_api.response(201, TaskSchema)
    @document_errors(goals_api, 401, 403, 404, 422)
    def post(self, data: dict[str, Any], goal_id: uuid.UUID) -> dict[str, Any]:
        """Add a task to my goal's action plan."""
        return plans.task_out(plans.create_task(actor(), goal_id, data))


@goals_api.route("/<uuid:goal_id>/tasks/<uuid:task_id>")
class TaskItem(MethodView):
    @goals_api.arguments(update_schema(TaskUpdateSchema), required=False, example={"done": True})
    @goals_api.response(200, TaskSchema)
    @document_errors(goals_api, 401, 403, 404, 422)
    def patch(self, data: dict[str, Any], goal_id: uuid.UUID, task_id: uuid.UUID) -> dict[str, Any]:
        """Change a task of my goal (tick it off with done=true)."""
        return plans.task_out(plans.update_task(actor(), goal_id, task_id, data))

    @goals_api.response(204)
    @document_errors(goals_api, 401, 403, 404)
    def delete(self, goal_id: uuid.UUID, task_id: uuid.UUID) -> None:
        """Remove a task from my goal's action plan."""
        plans.delete_task(actor(), goal_id, task_id)


@goals_api.route("/<uuid:goal_id>/obstacles")
class Obstacles(MethodView):
    @goals_api.response(200, ObstacleSchema(many=True))
    @document_errors(goals_api, 401, 404)
    def get(self, goal_id: uuid.UUID) -> list[Any]:
        """What could block the goal, and the contingency plans."""
        return plans.obstacles_of(actor(), goal_id)

    @goals_api.arguments(
        ObstacleSchema,
        example={
            "description": "Payments may not review the cache change in time",
            "contingency": "Ship behind a flag; ask Diego to review",
            "status": "open",
        },
    )
    @goals_api.response(201, ObstacleSchema)
    @document_errors(goals_api, 401, 403, 404, 422)
    def post(self, data: dict[str, Any], goal_id: uuid.UUID) -> Any:
        """Add an obstacle with its contingency plan to my goal."""
        return plans.create_obstacle(actor(), goal_id, data)


@goals_api.route("/<uuid:goal_id>/obstacles/<uuid:obstacle_id>")
class ObstacleItem(MethodView):
    @goals_api.arguments(update_schema(ObstacleUpdateSchema), required=False, example={"status": "mitigated"})
    @goals_api.response(200, ObstacleSchema)
    @document_errors(goals_api, 401, 403, 404, 422)
    def patch(self, data: dict[str, Any], goal_id: uuid.UUID, obstacle_id: uuid.UUID) -> Any:
        """Change an obstacle of my goal (open, mitigated, occurred, resolved)."""
        return plans.update_obstacle(actor(), goal_id, obstacle_id, data)

    @goals_api.response(204)
    @document_errors(goals_api, 401, 403, 404)
    def delete(self, goal_id: uuid.UUID, obstacle_id: uuid.UUID) -> None:
        """Remove an obstacle from my goal."""
        plans.delete_obstacle(actor(), goal_id, obstacle_id)


@my_tasks_api.route("/tasks")
class MyTasks(MethodView):
    @my_tasks_api.arguments(MyTasksArgs, location="query")
    @my_tasks_api.response(200, MyTasksSchema)
    @document_errors(my_tasks_api, 401, 422)
    def get(self, args: dict[str, Any]) -> dict[str, Any]:
        """My tasks on my draft and active goals, soonest due first; view=eisenhower groups them
        into do (urgent, important), schedule (important), delegate (urgent) and eliminate."""
        rows = plans.my_tasks(actor(), include_done=args["include_done"])
        items = [plans.task_out(task, goal_title=goal.title) for task, goal in rows]
        if args["view"] == "list":
            return {"view": "list", "total": len(items), "items": items}
        quadrants: dict[str, list[dict[str, Any]]] = {name: [] for name in plans.QUADRANTS}
        for item in items:
            quadrants[item["quadrant"]].append(item)
        return {"view": "eisenhower", "total": len(items), "items": items, "quadrants": quadrants}


@celebrations_api.route("")
class Celebrations(MethodView):
    @celebrations_api.arguments(CelebrationArgs, location="query")
    @celebrations_api.response(200, page_schema(CelebrationSchema))
    @document_errors(celebrations_api, 401, 422)
    def get(self, args: dict[str, Any]) -> dict[str, Any]:
        """Completed milestones I may see: mine and those of everyone below me (not of private goals),
        newest first."""
        stmt = celebrations.celebrations_query(
            actor(), owner_id=args.get("owner_id"), goal_id=args.get("goal_id")
        )
        return page_of(stmt, args)


@templates_api.route("")
class Templates(MethodView):
    @templates_api.arguments(TemplateArgs, location="query")
    @templates_api.response(200, TemplateSchema(many=True))
    @document_errors(templates_api, 401, 422)
    def get(self, args: dict[str, Any]) -> Any:
        """The organisation's goal templates (retired ones with include_inactive)."""
        actor()
        return db.session.scalars(templates.templates_query(args["include_inactive"])).all()

    @templates_api.arguments(
        TemplateSchema,
        example={
            "title": "Run a blameless post-mortem",
            "what": "Lead one post-mortem and publish its actions",
            "measure_kind": "binary",
            "default_duration_days": 60,
            "horizon": "short_term",
            "relevance_note": "Reliability is a company goal this year",
            "milestones": [{"title": "Shadow a post-mortem", "offset_days": 20}],
        },
    )
    @templates_api.response(201, TemplateSchema)
    @document_errors(templates_api, 401, 403, 422)
    def post(self, data: dict[str, Any]) -> Any:
        """Define a goal template (HR admins)."""
        return templates.create_template(actor(), data)


@templates_api.route("/<uuid:template_id>")
class TemplateItem(MethodView):
    @templates_api.response(200, TemplateSchema)
    @document_errors(templates_api, 401, 404)
    def get(self, template_id: uuid.UUID) -> Any:
        """One goal template."""
        actor()
        return templates.get_template(template_id)

    @templates_api.arguments(
        update_schema(TemplateUpdateSchema), required=False, example={"is_active": False}
    )
    @templates_api.response(200, TemplateSchema)
    @document_errors(templates_api, 401, 403, 404, 422)
    def patch(self, data: dict[str, Any], template_id: uuid.UUID) -> Any:
        """Change or retire (is_active=false) a goal template (HR admins)."""
        return templates.update_template(actor(), template_id, data)


@templates_api.route("/<uuid:template_id>/assign")
class Assign(MethodView):
    @templates_api.arguments(AssignSchema, example={"team_id": "3fa85f64-5717-4562-b3fc-2c963f66afa6"})
    @templates_api.response(201, AssignResultSchema)
    @document_errors(templates_api, 401, 403, 404, 422)
    def post(self, data: dict[str, Any], template_id: uuid.UUID) -> dict[str, Any]:
        """Give each person of a team, a manager's subtree or a list their own goal from the
        template, with its milestones (HR admins). People who have one already are skipped."""
        return templates.assign_template(actor(), template_id, data)


BLUEPRINTS = (goals_api, my_tasks_api, celebrations_api, templates_api)
