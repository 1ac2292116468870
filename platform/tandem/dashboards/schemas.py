"""Marshmallow schemas of the dashboards API: a snapshot's sections and tables, builds, the index."""

from __future__ import annotations

from marshmallow import Schema, fields

from ..core.jobs_views import JobSchema
from ..core.pagination import PageArgs
from .models import SCOPES

_rate = {"description": "0 to 1; null when there is nothing to divide by"}


class ScopeSchema(Schema):
    kind = fields.String(required=True, metadata={"enum": list(SCOPES)})
    id = fields.String(required=True, metadata={"description": "The manager's, team's or organisation's id"})
    name = fields.String(required=True)


class PeopleSectionSchema(Schema):
    headcount = fields.Integer(required=True, metadata={"description": "Active people in the group"})
    new_joiners_30d = fields.Integer(required=True)
    without_active_goal = fields.Integer(required=True)


class GoalsSectionSchema(Schema):
    by_status = fields.Dict(keys=fields.String(), values=fields.Integer(), required=True)
    by_health = fields.Dict(keys=fields.String(), values=fields.Integer(), required=True)
    average_progress = fields.Float(allow_none=True, metadata=_rate)
    milestones_completed_30d = fields.Integer(required=True)
    without_check_in_30d = fields.Integer(required=True)
    average_smart_score = fields.Float(allow_none=True, metadata={"description": "0 to 5"})


class AnonymitySchema(Schema):
    min_people = fields.Integer(required=True)
    min_answers = fields.Integer(required=True)
    held_back = fields.Integer(
        required=True, metadata={"description": "Competencies not shown for this group"}
    )


class FeedbackSectionSchema(Schema):
    requests_90d = fields.Integer(required=True)
    invitations_sent = fields.Integer(required=True)
    invitations_submitted = fields.Integer(required=True)
    completion_rate = fields.Float(allow_none=True, metadata=_rate)
    open_cycles = fields.Integer(required=True)
    anonymity = fields.Nested(AnonymitySchema, required=True)


class LearningSectionSchema(Schema):
    planned = fields.Integer(required=True)
    in_progress = fields.Integer(required=True)
    completed = fields.Integer(required=True)
    overdue = fields.Integer(required=True)
    hours_planned = fields.Float(required=True)
    hours_completed = fields.Float(required=True)
    certifications_expiring_90d = fields.Integer(required=True)


class MentoringSectionSchema(Schema):
    with_active_mentor = fields.Integer(required=True)
    with_active_mentor_share = fields.Float(allow_none=True, metadata=_rate)
    open_requests = fields.Integer(required=True)
    mentors = fields.Integer(required=True)
    mentor_capacity = fields.Integer(required=True)
    mentor_active = fields.Integer(required=True)
    mentor_load = fields.Float(allow_none=True, metadata=_rate)


class TableColumnSchema(Schema):
    key = fields.String(required=True)
    label = fields.String(required=True)


class TableSchema(Schema):
    columns = fields.List(fields.Nested(TableColumnSchema), required=True)
    rows = fields.List(
        fields.Dict(),
        required=True,
        metadata={
            "description": "One object per row, keyed by the columns' keys "
            "(plus `id` where a row is a person or team)"
        },
    )


class TablesSchema(Schema):
    by_report = fields.Nested(
        TableSchema, metadata={"description": "Per direct report: them and their people"}
    )
    by_team = fields.Nested(TableSchema, metadata={"description": "The group's people per team"})
    trends = fields.Nested(
        TableSchema, required=True, metadata={"description": "Weekly values, last 12 weeks"}
    )
    skill_gaps = fields.Nested(TableSchema, required=True)
    feedback_scores = fields.Nested(
        TableSchema,
        required=True,
        metadata={"description": "Only competencies the anonymity rule lets through"},
    )


class DashboardSchema(Schema):
    scope = fields.Nested(ScopeSchema, required=True)
    built_at = fields.DateTime(required=True)
    age_seconds = fields.Integer(required=True)
    build_id = fields.UUID(required=True)
    source = fields.Dict(required=True, metadata={"description": "What the build read: as_of and row counts"})
    people = fields.Nested(PeopleSectionSchema, required=True)
    goals = fields.Nested(GoalsSectionSchema, required=True)
    feedback = fields.Nested(FeedbackSectionSchema, required=True)
    learning = fields.Nested(LearningSectionSchema, required=True)
    mentoring = fields.Nested(MentoringSectionSchema, required=True)
    tables = fields.Nested(TablesSchema, required=True)


class DashboardEntrySchema(Schema):
    scope = fields.String(required=True, metadata={"enum": list(SCOPES)})
    subject_id = fields.UUID(required=True)
    name = fields.String(required=True)
    built_at = fields.DateTime(required=True)


class DashboardIndexArgs(PageArgs):
    pass


class DashboardBuildSchema(JobSchema):
    pass
