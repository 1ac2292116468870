"""Marshmallow schemas for goals, the SMART check, trees, tasks, obstacles, check-ins,
celebrations and goal templates."""

from __future__ import annotations

from marshmallow import Schema, fields, validate

from ..core.fields import JsonBoolean, JsonFloat, JsonInteger
from ..core.pagination import PageArgs
from .fastdump import FastDumpSchema
from .models import HORIZONS, KINDS, MEASURE_KINDS, OBSTACLE_STATUSES, STATUSES, VISIBILITIES
from .progress import HEALTHS

# Values stay far from float overflow so that (current - start) / (target - start) is finite.
VALUE_LIMIT = 1e12
_value = validate.Range(min=-VALUE_LIMIT, max=VALUE_LIMIT)
_title = validate.Length(min=1, max=200)
_text = validate.Length(max=5000)
_tag = fields.String(validate=validate.Length(min=1, max=40))


class GoalFieldsSchema(Schema):
    """What an owner writes; every field is optional in PATCH and in the SMART check."""

    title = fields.String(validate=_title, metadata={"example": "Cut p95 checkout latency to 200 ms"})
    what = fields.String(
        validate=_text,
        metadata={
            "description": "Description: what will be different",
            "example": "Checkout API p95 under 200 ms",
        },
    )
    why = fields.String(validate=_text, metadata={"description": "Description: why it matters"})
    how = fields.String(validate=_text, metadata={"description": "Description: how you will get there"})
    relevance_note = fields.String(
        validate=_text, metadata={"description": "Why this goal matters now (Relevant, when no parent)"}
    )
    measure_kind = fields.String(
        validate=validate.OneOf(MEASURE_KINDS),
        metadata={"description": "numeric (a metric from start to target) or binary (done / not done)"},
    )
    metric_name = fields.String(
        allow_none=True, validate=validate.Length(max=120), metadata={"example": "p95 latency"}
    )
    unit = fields.String(allow_none=True, validate=validate.Length(max=40), metadata={"example": "ms"})
    start_value = JsonFloat(allow_none=True, validate=_value, metadata={"example": 420})
    target_value = JsonFloat(allow_none=True, validate=_value, metadata={"example": 200})
    current_value = JsonFloat(allow_none=True, validate=_value, metadata={"example": 420})
    done = JsonBoolean(metadata={"description": "Binary goals: done or not"})
    start_date = fields.Date(metadata={"example": "2026-01-05"})
    due_date = fields.Date(allow_none=True, metadata={"example": "2026-03-31"})
    horizon = fields.String(validate=validate.OneOf(HORIZONS))
    kind = fields.String(validate=validate.OneOf(KINDS), metadata={"description": "goal or milestone"})
    parent_id = fields.UUID(
        allow_none=True,
        metadata={"description": "The goal this one supports (yours, your manager's, a team's)"},
    )
    team_id = fields.UUID(allow_none=True, metadata={"description": "Makes it a goal of your team"})
    weight = JsonFloat(
        validate=validate.Range(min=0.01, max=1000),
        metadata={"description": "Weight in the parent's roll-up"},
    )
    visibility = fields.String(validate=validate.OneOf(VISIBILITIES))
    tags = fields.List(_tag, validate=validate.Length(max=20), metadata={"example": ["performance"]})


class GoalCreateSchema(GoalFieldsSchema):
    title = fields.String(
        required=True, validate=_title, metadata={"example": "Cut p95 checkout latency to 200 ms"}
    )
    status = fields.String(
        validate=validate.OneOf(("draft", "active")), metadata={"description": "Defaults to draft"}
    )


class GoalUpdateSchema(GoalFieldsSchema):
    status = fields.String(
        validate=validate.OneOf(STATUSES),
        metadata={"description": "draft -> active | abandoned; active -> completed | abandoned"},
    )


class SmartCheckRequestSchema(GoalFieldsSchema):
    goal_id = fields.UUID(
        allow_none=True,
        metadata={"description": "Check an existing goal with these changes (uses its check-in history)"},
    )


class SmartCriterionSchema(Schema):
    key = fields.String(required=True, metadata={"example": "measurable"})
    label = fields.String(required=True, metadata={"example": "Measurable"})
    ok = fields.Boolean(required=True)
    hints = fields.List(fields.String(), required=True)


class SmartResultSchema(Schema):
    score = fields.Integer(required=True, metadata={"description": "Criteria met, 0 to 5"})
    is_smart = fields.Boolean(required=True)
    criteria = fields.List(fields.Nested(SmartCriterionSchema), required=True)
    checked_on = fields.String(required=True, metadata={"example": "2026-01-05"})


class SmartCheckSchema(SmartResultSchema):
    problems = fields.Dict(
        keys=fields.String(),
        values=fields.List(fields.String()),
        required=True,
        metadata={"description": "What would stop this goal from being saved, by field"},
    )


class GoalSchema(Schema):
    id = fields.UUID(required=True)
    owner_id = fields.UUID(required=True)
    parent_id = fields.UUID(allow_none=True)
    team_id = fields.UUID(allow_none=True)
    template_id = fields.UUID(allow_none=True)
    kind = fields.String(required=True, metadata={"enum": list(KINDS)})
    title = fields.String(required=True)
    what = fields.String(required=True)
    why = fields.String(required=True)
    how = fields.String(required=True)
    relevance_note = fields.String(required=True)
    measure_kind = fields.String(required=True, metadata={"enum": list(MEASURE_KINDS)})
    metric_name = fields.String(allow_none=True)
    unit = fields.String(allow_none=True)
    start_value = fields.Float(allow_none=True)
    target_value = fields.Float(allow_none=True)
    current_value = fields.Float(allow_none=True)
    done = fields.Boolean(required=True)
    start_date = fields.Date(required=True)
    due_date = fields.Date(allow_none=True)
    horizon = fields.String(required=True, metadata={"enum": list(HORIZONS)})
    weight = fields.Float(required=True)
    visibility = fields.String(required=True, metadata={"enum": list(VISIBILITIES)})
    tags = fields.List(fields.String(), required=True)
    status = fields.String(required=True, metadata={"enum": list(STATUSES)})
    progress = fields.Float(required=True, metadata={"description": "0 to 1", "example": 0.45})
    health = fields.String(
        allow_none=True,
        metadata={"enum": [*HEALTHS, None], "description": "Active goals with a due date only"},
    )
    smart = fields.Nested(SmartResultSchema, allow_none=True)
    can_edit = fields.Boolean(required=True)
    completed_at = fields.DateTime(allow_none=True)
    archived_at = fields.DateTime(allow_none=True)
    created_at = fields.DateTime(required=True)
    updated_at = fields.DateTime(required=True)


class GoalArgs(PageArgs):
    scope = fields.String(
        load_default="mine",
        validate=validate.OneOf(("mine", "reports", "team", "visible")),
        metadata={
            "description": "mine; reports (everyone below me); team (my team's goals);"
            " visible (all I may read)"
        },
    )
    owner_id = fields.UUID()
    status = fields.String(validate=validate.OneOf(STATUSES))
    horizon = fields.String(validate=validate.OneOf(HORIZONS))
    kind = fields.String(validate=validate.OneOf(KINDS))
    visibility = fields.String(validate=validate.OneOf(VISIBILITIES))
    parent_id = fields.UUID()
    team_id = fields.UUID()
    template_id = fields.UUID()
    root_only = fields.Boolean(load_default=False, metadata={"description": "Only goals without a parent"})
    due_after = fields.Date(metadata={"description": "Due on or after"})
    due_before = fields.Date(metadata={"description": "Due on or before"})
    tag = fields.String(validate=validate.Length(min=1, max=40))
    q = fields.String(validate=validate.Length(max=100), metadata={"description": "Title contains"})
    include_archived = fields.Boolean(load_default=False)


class TaskSchema(Schema):
    id = fields.UUID(dump_only=True)
    goal_id = fields.UUID(dump_only=True)
    title = fields.String(
        required=True, validate=_title, metadata={"example": "Profile the checkout endpoint"}
    )
    due_date = fields.Date(allow_none=True)
    estimate_hours = JsonFloat(
        allow_none=True, validate=validate.Range(min=0, max=10_000), metadata={"example": 4}
    )
    urgent = JsonBoolean(metadata={"example": True})
    important = JsonBoolean(metadata={"example": True})
    done = JsonBoolean()
    done_at = fields.DateTime(dump_only=True, allow_none=True)
    quadrant = fields.String(dump_only=True, metadata={"enum": ["do", "schedule", "delegate", "eliminate"]})
    created_at = fields.DateTime(dump_only=True)


class TaskUpdateSchema(TaskSchema):
    title = fields.String(validate=_title)


class MyTaskSchema(TaskSchema):
    goal_title = fields.String(dump_only=True)


class MyTasksArgs(Schema):
    view = fields.String(
        load_default="list",
        validate=validate.OneOf(("list", "eisenhower")),
        metadata={"description": "list, or eisenhower: grouped into the four quadrants"},
    )
    include_done = fields.Boolean(load_default=False)


class QuadrantsSchema(Schema):
    do = fields.List(
        fields.Nested(MyTaskSchema), required=True, metadata={"description": "Urgent and important"}
    )
    schedule = fields.List(fields.Nested(MyTaskSchema), required=True, metadata={"description": "Important"})
    delegate = fields.List(fields.Nested(MyTaskSchema), required=True, metadata={"description": "Urgent"})
    eliminate = fields.List(fields.Nested(MyTaskSchema), required=True, metadata={"description": "Neither"})


class MyTasksSchema(Schema):
    view = fields.String(required=True)
    total = fields.Integer(required=True)
    items = fields.List(fields.Nested(MyTaskSchema), required=True, metadata={"description": "All, in order"})
    quadrants = fields.Nested(QuadrantsSchema, metadata={"description": "view=eisenhower"})


class ObstacleSchema(Schema):
    id = fields.UUID(dump_only=True)
    goal_id = fields.UUID(dump_only=True)
    description = fields.String(
        required=True,
        validate=validate.Length(min=1, max=2000),
        metadata={"example": "The payments team may not review the cache change in time"},
    )
    contingency = fields.String(
        validate=validate.Length(max=2000), metadata={"example": "Ship behind a flag and ask Diego to review"}
    )
    status = fields.String(validate=validate.OneOf(OBSTACLE_STATUSES))
    created_at = fields.DateTime(dump_only=True)
    updated_at = fields.DateTime(dump_only=True)


class ObstacleUpdateSchema(ObstacleSchema):
    description = fields.String(validate=validate.Length(min=1, max=2000))


class CheckInCreateSchema(Schema):
    value = JsonFloat(
        allow_none=True, validate=_value, metadata={"description": "Numeric goals", "example": 310}
    )
    done = JsonBoolean(allow_none=True, metadata={"description": "Done/not-done goals"})
    confidence = JsonInteger(
        required=True,
        validate=validate.Range(min=1, max=5),
        metadata={"description": "1 (low) to 5", "example": 4},
    )
    note = fields.String(validate=_text, metadata={"example": "Caching the price lookups took 110 ms off"})


class CheckInSchema(Schema):
    id = fields.UUID(required=True)
    goal_id = fields.UUID(required=True)
    author_id = fields.UUID(required=True)
    at = fields.DateTime(required=True)
    value = fields.Float(allow_none=True)
    done = fields.Boolean(allow_none=True)
    confidence = fields.Integer(required=True)
    note = fields.String(required=True)
    progress = fields.Float(
        required=True, metadata={"description": "The goal's progress after this check-in"}
    )


class CheckInCreatedSchema(CheckInSchema):
    goal = fields.Nested(GoalSchema, required=True)
    recomputed = fields.Integer(
        required=True, metadata={"description": "Goals whose progress was recomputed"}
    )


class TreeNodeSchema(GoalSchema):
    depth = fields.Integer(required=True, metadata={"description": "0 = the root"})


class GoalTreeSchema(Schema):
    root_id = fields.UUID(required=True)
    items = fields.List(fields.Nested(TreeNodeSchema), required=True)


class ProgressPointSchema(Schema):
    at = fields.DateTime(required=True)
    value = fields.Float(allow_none=True)
    done = fields.Boolean(allow_none=True)
    confidence = fields.Integer(required=True)
    progress = fields.Float(required=True)


class PlannedGoalSchema(TreeNodeSchema):
    tasks = fields.List(fields.Nested(TaskSchema), required=True)
    obstacles = fields.List(fields.Nested(ObstacleSchema), required=True)
    checkins = fields.List(
        fields.Nested(ProgressPointSchema),
        required=True,
        metadata={"description": "The progress line: every check-in, oldest first (notes: /checkins)"},
    )


class PersonTreeArgs(Schema):
    owner_id = fields.UUID(metadata={"description": "Whose goals (default: mine)"})
    include_archived = fields.Boolean(load_default=False)


class PersonTreeSchema(FastDumpSchema):
    """Thousands of nested items (a tree with 5,000 check-ins): dumped by a compiled dumper."""

    owner_id = fields.UUID(required=True)
    total = fields.Integer(required=True)
    items = fields.List(fields.Nested(PlannedGoalSchema), required=True)


class CelebrationSchema(Schema):
    id = fields.UUID(required=True)
    goal_id = fields.UUID(required=True)
    owner_id = fields.UUID(required=True)
    kind = fields.String(required=True)
    title = fields.String(required=True)
    at = fields.DateTime(required=True)


class CelebrationArgs(PageArgs):
    owner_id = fields.UUID()
    goal_id = fields.UUID()


class MilestoneSpecSchema(Schema):
    title = fields.String(required=True, validate=_title, metadata={"example": "Baseline measured"})
    offset_days = JsonInteger(
        required=True,
        validate=validate.Range(min=0, max=3650),
        metadata={"description": "Due this many days after the goal starts", "example": 30},
    )


class TemplateSchema(Schema):
    id = fields.UUID(dump_only=True)
    title = fields.String(required=True, validate=_title, metadata={"example": "Run a blameless post-mortem"})
    what = fields.String(validate=_text)
    why = fields.String(validate=_text)
    how = fields.String(validate=_text)
    relevance_note = fields.String(validate=_text)
    measure_kind = fields.String(validate=validate.OneOf(MEASURE_KINDS))
    metric_name = fields.String(allow_none=True, validate=validate.Length(max=120))
    unit = fields.String(allow_none=True, validate=validate.Length(max=40))
    start_value = JsonFloat(allow_none=True, validate=_value)
    target_value = JsonFloat(allow_none=True, validate=_value)
    default_duration_days = JsonInteger(validate=validate.Range(min=1, max=3650), metadata={"example": 90})
    horizon = fields.String(validate=validate.OneOf(HORIZONS))
    visibility = fields.String(validate=validate.OneOf(VISIBILITIES))
    tags = fields.List(_tag, validate=validate.Length(max=20))
    milestones = fields.List(fields.Nested(MilestoneSpecSchema), validate=validate.Length(max=20))
    is_active = JsonBoolean()
    created_at = fields.DateTime(dump_only=True)
    updated_at = fields.DateTime(dump_only=True)


class TemplateUpdateSchema(TemplateSchema):
    title = fields.String(validate=_title)


class TemplateArgs(Schema):
    include_inactive = fields.Boolean(load_default=False)


class AssignSchema(Schema):
    person_ids = fields.List(fields.UUID(), validate=validate.Length(max=2000))
    team_id = fields.UUID()
    manager_id = fields.UUID(metadata={"description": "Everyone below this manager"})
    start_date = fields.Date(metadata={"description": "Default: today"})
    parent_id = fields.UUID(metadata={"description": "A goal the new goals support"})


class AssignResultSchema(Schema):
    template_id = fields.UUID(required=True)
    created = fields.Integer(required=True)
    milestones_created = fields.Integer(required=True)
    skipped = fields.Integer(required=True, metadata={"description": "People who had a live goal from it"})
    goal_ids = fields.List(fields.UUID(), required=True)
    skipped_person_ids = fields.List(fields.UUID(), required=True)
