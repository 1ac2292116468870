"""Marshmallow schemas for mentor profiles, programmes, requests, suggestions, match runs,
proposals, invitations, mentorships and sessions."""

from __future__ import annotations

from marshmallow import Schema, fields, validate

from ..core.jobs_views import JobSchema
from ..core.pagination import PageArgs
from ..goals.schemas import JsonBoolean, JsonInteger
from .models import INVITATION_STATUSES, MENTORSHIP_STATUSES, PROPOSAL_STATUSES, REQUEST_STATUSES

_level = validate.Range(min=1, max=5)
_text = validate.Length(max=5000)
_topic = fields.String(validate=validate.Length(min=1, max=60))


class MentorSkillLevelSchema(Schema):
    skill_id = fields.UUID(required=True)
    level = JsonInteger(required=True, validate=_level, metadata={"description": "1 to 5", "example": 3})


class MentorProfileSchema(Schema):
    id = fields.UUID(dump_only=True)
    user_id = fields.UUID(dump_only=True)
    is_open = JsonBoolean(metadata={"description": "Taking mentees now"})
    capacity = JsonInteger(
        required=True,
        validate=validate.Range(min=0, max=20),
        metadata={"description": "Mentees at once (0: not taking anyone now)", "example": 2},
    )
    topics = fields.List(_topic, validate=validate.Length(max=30), metadata={"example": ["career"]})
    availability = fields.String(validate=validate.Length(max=1000), metadata={"example": "Tuesdays"})
    skills = fields.List(fields.Nested(MentorSkillLevelSchema), validate=validate.Length(max=50))
    load = fields.Integer(dump_only=True, metadata={"description": "Mentorships holding a place"})
    created_at = fields.DateTime(dump_only=True)
    updated_at = fields.DateTime(dump_only=True)


class MentorArgs(PageArgs):
    skill_id = fields.UUID()
    topic = fields.String(validate=validate.Length(max=60))


class MentoringProgrammeSchema(Schema):
    id = fields.UUID(dump_only=True)
    name = fields.String(required=True, validate=validate.Length(min=1, max=200))
    description = fields.String(validate=_text)
    starts_on = fields.Date(required=True)
    ends_on = fields.Date(required=True)
    created_at = fields.DateTime(dump_only=True)


class MentoringRequestSchema(Schema):
    id = fields.UUID(dump_only=True)
    mentee_id = fields.UUID(dump_only=True)
    programme_id = fields.UUID(allow_none=True)
    status = fields.String(dump_only=True, metadata={"enum": list(REQUEST_STATUSES)})
    needs = fields.List(fields.Nested(MentorSkillLevelSchema), validate=validate.Length(max=30))
    goal_ids = fields.List(fields.UUID(), validate=validate.Length(max=20))
    topics = fields.List(_topic, validate=validate.Length(max=20))
    preferred_mentor_ids = fields.List(fields.UUID(), validate=validate.Length(max=10))
    note = fields.String(validate=validate.Length(max=2000))
    created_at = fields.DateTime(dump_only=True)


class MentoringRequestArgs(PageArgs):
    status = fields.String(validate=validate.OneOf(REQUEST_STATUSES))
    programme_id = fields.UUID()


class MentorSuggestionSchema(Schema):
    mentor_id = fields.UUID(required=True)
    score = fields.Float(required=True)
    reasons = fields.List(fields.String(), required=True)
    preferred = fields.Boolean(required=True)


class MentorInviteSchema(Schema):
    mentor_id = fields.UUID(required=True)


class MentoringInvitationSchema(Schema):
    id = fields.UUID(required=True)
    request_id = fields.UUID(required=True)
    mentee_id = fields.UUID(required=True)
    mentor_id = fields.UUID(required=True)
    proposal_id = fields.UUID(allow_none=True)
    status = fields.String(required=True, metadata={"enum": list(INVITATION_STATUSES)})
    score = fields.Float(allow_none=True)
    reasons = fields.List(fields.String(), required=True)
    expires_at = fields.DateTime(required=True)
    answered_at = fields.DateTime(allow_none=True)
    created_at = fields.DateTime(required=True)


class MentoringInvitationArgs(PageArgs):
    role = fields.String(validate=validate.OneOf(("mentor", "mentee")))
    status = fields.String(validate=validate.OneOf(INVITATION_STATUSES))


class MentoringInvitationDetailSchema(Schema):
    invitation = fields.Nested(MentoringInvitationSchema, required=True)
    alternatives = fields.List(fields.Nested(MentorSuggestionSchema), required=True)


class MatchRunCreateSchema(Schema):
    programme_id = fields.UUID(allow_none=True, metadata={"description": "Omit for every open request"})


class MatchProposalSchema(Schema):
    id = fields.UUID(required=True)
    request_id = fields.UUID(required=True)
    mentor_id = fields.UUID(required=True)
    score = fields.Float(required=True)
    reasons = fields.List(fields.String(), required=True)
    status = fields.String(required=True, metadata={"enum": list(PROPOSAL_STATUSES)})


class MatchRunSchema(Schema):
    id = fields.UUID(required=True)
    programme_id = fields.UUID(allow_none=True)
    created_at = fields.DateTime(required=True)
    summary = fields.Dict(allow_none=True)
    job = fields.Nested(JobSchema, allow_none=True)
    proposals = fields.List(fields.Nested(MatchProposalSchema), required=True)


class MatchApproveSchema(Schema):
    proposal_ids = fields.List(
        fields.UUID(),
        validate=validate.Length(min=1, max=5000),
        metadata={"description": "Omit to approve every proposal of the run"},
    )


class MatchRejectSchema(Schema):
    proposal_ids = fields.List(fields.UUID(), required=True, validate=validate.Length(min=1, max=5000))


class MentorshipSchema(Schema):
    id = fields.UUID(required=True)
    mentee_id = fields.UUID(required=True)
    mentor_id = fields.UUID(required=True)
    request_id = fields.UUID(allow_none=True)
    status = fields.String(required=True, metadata={"enum": list(MENTORSHIP_STATUSES)})
    goal_ids = fields.List(fields.UUID(), required=True)
    started_at = fields.DateTime(required=True)
    ended_at = fields.DateTime(allow_none=True)
    ended_by_id = fields.UUID(allow_none=True)
    rating = fields.Integer(allow_none=True)


class MentorshipArgs(PageArgs):
    status = fields.String(validate=validate.OneOf(MENTORSHIP_STATUSES))


class MentorshipUpdateSchema(Schema):
    status = fields.String(required=True, validate=validate.OneOf(("active", "paused")))


class MentorshipEndSchema(Schema):
    rating = JsonInteger(validate=_level, allow_none=True, metadata={"description": "The mentee's 1-5"})


class MentorshipRatingSchema(Schema):
    rating = JsonInteger(required=True, validate=_level)


class MentoringSessionSchema(Schema):
    id = fields.UUID(dump_only=True)
    mentorship_id = fields.UUID(dump_only=True)
    held_on = fields.Date(required=True)
    notes = fields.String(validate=validate.Length(max=20_000))
    actions = fields.List(
        fields.String(validate=validate.Length(min=1, max=500)), validate=validate.Length(max=50)
    )
    created_by_id = fields.UUID(dump_only=True)
    created_at = fields.DateTime(dump_only=True)
