"""Marshmallow schemas for feedback settings, templates, requests, invitations, answers, cycles
and released results. No schema has a field that could carry a reviewer next to an answer."""

from __future__ import annotations

from marshmallow import Schema, fields, validate

from ..core.fields import JsonBoolean, JsonInteger
from ..core.pagination import PageArgs
from .models import (
    INVITATION_STATUSES,
    QUESTION_KINDS,
    RATING_MAX,
    RATING_MIN,
    RELATIONSHIPS,
    SCOPES,
    STATUSES,
)
from .results import THRESHOLD_BOUNDS
from .services import NUMBER_SETTINGS

_name = validate.Length(min=1, max=200)


def _bounded(name: str, low: int, high: int) -> JsonInteger:
    return JsonInteger(
        validate=validate.Range(min=low, max=high), metadata={"description": f"{low} to {high}"}
    )


# --- settings -------------------------------------------------------------------------------------


class FeedbackThresholdsSchema(Schema):
    peer = _bounded("peer", *THRESHOLD_BOUNDS["peer"])
    direct_report = _bounded("direct_report", *THRESHOLD_BOUNDS["direct_report"])
    other = _bounded("other", *THRESHOLD_BOUNDS["other"])
    all_but_self = _bounded("all_but_self", *THRESHOLD_BOUNDS["all_but_self"])


class FeedbackSettingsUpdateSchema(Schema):
    thresholds = fields.Nested(
        FeedbackThresholdsSchema,
        metadata={"description": "Minimum responses before a category (or all but self) is shown"},
    )
    reminder_interval_hours = _bounded(
        "reminder_interval_hours", *NUMBER_SETTINGS["reminder_interval_hours"][1:]
    )
    max_requests_per_reviewer = _bounded(
        "max_requests_per_reviewer", *NUMBER_SETTINGS["max_requests_per_reviewer"][1:]
    )
    peer_approval_default = JsonBoolean(
        metadata={"description": "Whether ad-hoc peer nominations wait for the manager by default"}
    )


class FeedbackSettingsSchema(Schema):
    thresholds = fields.Nested(FeedbackThresholdsSchema, required=True)
    reminder_interval_hours = fields.Integer(required=True)
    max_requests_per_reviewer = fields.Integer(required=True)
    peer_approval_default = fields.Boolean(required=True)
    bounds = fields.Dict(required=True, metadata={"description": "The safe bounds of every number"})


# --- templates ------------------------------------------------------------------------------------


class FeedbackQuestionInSchema(Schema):
    kind = fields.String(required=True, validate=validate.OneOf(QUESTION_KINDS))
    prompt = fields.String(required=True, validate=validate.Length(min=1, max=500))
    competency = fields.String(
        validate=validate.Length(max=120), metadata={"description": "Required for rating questions"}
    )
    skill_id = fields.UUID(allow_none=True, metadata={"description": "A skill of the learning catalogue"})
    anchors = fields.List(
        fields.String(validate=validate.Length(min=1, max=80)),
        validate=validate.Length(equal=5),
        metadata={"description": "Labels for 1 to 5 (rating questions; default: disagree to agree)"},
    )
    required = JsonBoolean(metadata={"description": "Default: rating questions yes, open questions no"})


class FeedbackQuestionSchema(Schema):
    id = fields.UUID(required=True)
    position = fields.Integer(required=True)
    kind = fields.String(required=True, metadata={"enum": list(QUESTION_KINDS)})
    prompt = fields.String(required=True)
    competency = fields.String(required=True)
    skill_id = fields.UUID(allow_none=True)
    anchors = fields.List(fields.String(), required=True)
    required = fields.Boolean(required=True)


class FeedbackTemplateSchema(Schema):
    id = fields.UUID(required=True)
    name = fields.String(required=True)
    description = fields.String(required=True)
    key = fields.String(allow_none=True, metadata={"description": "Set on the seeded default templates"})
    is_active = fields.Boolean(required=True)
    questions = fields.List(fields.Nested(FeedbackQuestionSchema), required=True)
    created_at = fields.DateTime(required=True)
    updated_at = fields.DateTime(required=True)


class FeedbackTemplateCreateSchema(Schema):
    name = fields.String(required=True, validate=_name, metadata={"example": "Engineering 360"})
    description = fields.String(validate=validate.Length(max=2000))
    questions = fields.List(
        fields.Nested(FeedbackQuestionInSchema), required=True, validate=validate.Length(min=1, max=60)
    )


class FeedbackTemplateUpdateSchema(Schema):
    name = fields.String(validate=_name)
    description = fields.String(validate=validate.Length(max=2000))
    is_active = JsonBoolean()
    questions = fields.List(
        fields.Nested(FeedbackQuestionInSchema),
        validate=validate.Length(min=1, max=60),
        metadata={"description": "Replaces the questions; only while no request or cycle uses the template"},
    )


class FeedbackTemplateCopySchema(Schema):
    name = fields.String(
        validate=_name, metadata={"description": "The copy's name; by default 'Copy of <its name>'"}
    )


class FeedbackTemplateArgs(PageArgs):
    include_inactive = fields.Boolean(load_default=False)


# --- requests and invitations ---------------------------------------------------------------------


class FeedbackPersonRefSchema(Schema):
    id = fields.UUID(required=True)
    name = fields.String(required=True)


class FeedbackNominationSchema(Schema):
    person_id = fields.UUID(required=True)
    relationship = fields.String(
        required=True,
        validate=validate.OneOf(RELATIONSHIPS),
        metadata={"description": "Checked against the org chart (a direct report must be one)"},
    )


class FeedbackRequestCreateSchema(Schema):
    subject_id = fields.UUID(
        metadata={"description": "Default: me. A manager may ask about someone below them."}
    )
    template_id = fields.UUID(metadata={"description": "Default: the General 360 template"})
    due_on = fields.Date(
        required=True, metadata={"description": "The last day answers are taken; results follow"}
    )
    message = fields.String(validate=validate.Length(max=2000))
    peer_approval = JsonBoolean(metadata={"description": "Peer nominations wait for the subject's manager"})
    reviewers = fields.List(
        fields.Nested(FeedbackNominationSchema), required=True, validate=validate.Length(min=1, max=50)
    )


class FeedbackReviewersSchema(Schema):
    reviewers = fields.List(
        fields.Nested(FeedbackNominationSchema), required=True, validate=validate.Length(min=1, max=50)
    )


class FeedbackInvitationSchema(Schema):
    id = fields.UUID(required=True)
    request_id = fields.UUID(required=True)
    reviewer = fields.Nested(FeedbackPersonRefSchema, required=True)
    relationship = fields.String(required=True, metadata={"enum": list(RELATIONSHIPS)})
    status = fields.String(required=True, metadata={"enum": list(INVITATION_STATUSES)})
    decline_reason = fields.String(required=True)
    nominated_by_id = fields.UUID(allow_none=True)
    created_at = fields.DateTime(required=True)


class FeedbackRequestSchema(Schema):
    id = fields.UUID(required=True)
    cycle_id = fields.UUID(allow_none=True)
    subject = fields.Nested(FeedbackPersonRefSchema, required=True)
    requested_by_id = fields.UUID(required=True)
    template_id = fields.UUID(required=True)
    message = fields.String(required=True)
    due_on = fields.Date(required=True)
    status = fields.String(required=True, metadata={"enum": list(STATUSES)})
    peer_approval = fields.Boolean(required=True)
    thresholds = fields.Nested(FeedbackThresholdsSchema, required=True)
    closed_at = fields.DateTime(allow_none=True)
    created_at = fields.DateTime(required=True)
    counts = fields.Dict(keys=fields.String(), values=fields.Integer(), required=True)
    invitations = fields.List(fields.Nested(FeedbackInvitationSchema), required=True)


class FeedbackRequestArgs(PageArgs):
    scope = fields.String(
        load_default="mine",
        validate=validate.OneOf(("mine", "reports", "all")),
        metadata={"description": "mine (about me or asked by me); reports (about people below me); all (HR)"},
    )
    cycle_id = fields.UUID()
    subject_id = fields.UUID()


class FeedbackTodoSchema(Schema):
    invitation_id = fields.UUID(required=True)
    request_id = fields.UUID(required=True)
    cycle_id = fields.UUID(allow_none=True)
    subject = fields.Nested(FeedbackPersonRefSchema, required=True)
    relationship = fields.String(required=True, metadata={"enum": list(RELATIONSHIPS)})
    due_on = fields.Date(required=True)
    has_draft = fields.Boolean(required=True)


class FeedbackApprovalSchema(Schema):
    invitation_id = fields.UUID(required=True)
    request_id = fields.UUID(required=True)
    subject = fields.Nested(FeedbackPersonRefSchema, required=True)
    reviewer = fields.Nested(FeedbackPersonRefSchema, required=True)
    due_on = fields.Date(required=True)


class FeedbackAnswerSchema(Schema):
    question_id = fields.UUID(required=True)
    rating = JsonInteger(
        allow_none=True,
        validate=validate.Range(min=RATING_MIN, max=RATING_MAX),
        metadata={"description": f"Rating questions: {RATING_MIN} to {RATING_MAX}"},
    )
    text = fields.String(
        allow_none=True, validate=validate.Length(max=5000), metadata={"description": "Open questions"}
    )


class FeedbackDraftSchema(Schema):
    answers = fields.List(
        fields.Nested(FeedbackAnswerSchema), required=True, validate=validate.Length(max=100)
    )


class FeedbackSubmitSchema(Schema):
    answers = fields.List(
        fields.Nested(FeedbackAnswerSchema),
        validate=validate.Length(max=100),
        metadata={"description": "Default: the saved draft"},
    )


class FeedbackDeclineSchema(Schema):
    reason = fields.String(required=True, validate=validate.Length(min=1, max=2000))


class FeedbackQuestionnaireSchema(Schema):
    invitation_id = fields.UUID(required=True)
    request_id = fields.UUID(required=True)
    subject = fields.Nested(FeedbackPersonRefSchema, required=True)
    relationship = fields.String(required=True, metadata={"enum": list(RELATIONSHIPS)})
    status = fields.String(required=True, metadata={"enum": list(INVITATION_STATUSES)})
    due_on = fields.Date(required=True)
    closed = fields.Boolean(required=True)
    message = fields.String(required=True)
    questions = fields.List(fields.Nested(FeedbackQuestionSchema), required=True)
    draft = fields.List(fields.Nested(FeedbackAnswerSchema), required=True)


class FeedbackInvitationStateSchema(Schema):
    id = fields.UUID(required=True)
    request_id = fields.UUID(required=True)
    relationship = fields.String(required=True, metadata={"enum": list(RELATIONSHIPS)})
    status = fields.String(required=True, metadata={"enum": list(INVITATION_STATUSES)})


# --- results --------------------------------------------------------------------------------------


class FeedbackResultQuestionSchema(Schema):
    question_id = fields.String(required=True)
    kind = fields.String(required=True, metadata={"enum": list(QUESTION_KINDS)})
    prompt = fields.String(required=True)
    competency = fields.String(required=True)
    skill_id = fields.String(allow_none=True)
    released = fields.Boolean(required=True)
    mean = fields.Float(allow_none=True)
    distribution = fields.Dict(keys=fields.String(), values=fields.Integer(), allow_none=True)
    answers = fields.Integer(allow_none=True)
    answers_text = fields.String(required=True, metadata={"example": "fewer than 3"})
    comments = fields.List(fields.String(), required=True, metadata={"description": "Sorted by text"})


class FeedbackCategorySchema(Schema):
    relationship = fields.String(required=True, metadata={"enum": list(RELATIONSHIPS)})
    label = fields.String(required=True)
    attributed = fields.Boolean(required=True, metadata={"description": "Self and manager: a known person"})
    threshold = fields.Integer(required=True)
    released = fields.Boolean(required=True)
    responses = fields.Integer(allow_none=True)
    responses_text = fields.String(required=True, metadata={"example": "fewer than 3"})
    questions = fields.List(fields.Nested(FeedbackResultQuestionSchema), required=True)


class FeedbackPooledSchema(Schema):
    label = fields.String(required=True)
    threshold = fields.Integer(required=True)
    released = fields.Boolean(required=True)
    responses = fields.Integer(allow_none=True)
    responses_text = fields.String(required=True)
    questions = fields.List(fields.Nested(FeedbackResultQuestionSchema), required=True)


class FeedbackCompetencySchema(Schema):
    competency = fields.String(required=True)
    skill_id = fields.String(allow_none=True)
    mean = fields.Float(required=True)
    answers = fields.Integer(required=True)


class FeedbackResultSchema(Schema):
    request_id = fields.UUID(required=True)
    subject_id = fields.UUID(required=True)
    thresholds = fields.Nested(FeedbackThresholdsSchema, required=True)
    categories = fields.List(fields.Nested(FeedbackCategorySchema), required=True)
    all_but_self = fields.Nested(FeedbackPooledSchema, required=True)
    competencies = fields.List(fields.Nested(FeedbackCompetencySchema), required=True)


class FeedbackSubjectResultSchema(FeedbackResultSchema):
    subject_name = fields.String(required=True)


# --- cycles ---------------------------------------------------------------------------------------


class FeedbackCycleCreateSchema(Schema):
    name = fields.String(required=True, validate=_name, metadata={"example": "Spring 360"})
    template_id = fields.UUID(metadata={"description": "Default: the General 360 template"})
    scope = fields.String(
        required=True,
        validate=validate.OneOf(SCOPES),
        metadata={"description": "team (team_id), subtree (everyone below manager_id) or tenant"},
    )
    team_id = fields.UUID()
    manager_id = fields.UUID()
    opens_on = fields.Date(required=True)
    closes_on = fields.Date(required=True)
    max_requests_per_reviewer = JsonInteger(
        validate=validate.Range(min=1, max=50),
        metadata={"description": "Peer nominations stop at this many requests per reviewer"},
    )


class FeedbackCycleSchema(Schema):
    id = fields.UUID(required=True)
    name = fields.String(required=True)
    template_id = fields.UUID(required=True)
    scope = fields.String(required=True, metadata={"enum": list(SCOPES)})
    team_id = fields.UUID(allow_none=True)
    manager_id = fields.UUID(allow_none=True)
    opens_on = fields.Date(required=True)
    closes_on = fields.Date(required=True)
    status = fields.String(required=True, metadata={"enum": list(STATUSES)})
    thresholds = fields.Nested(FeedbackThresholdsSchema, required=True)
    max_requests_per_reviewer = fields.Integer(required=True)
    closed_at = fields.DateTime(allow_none=True)
    created_at = fields.DateTime(required=True)
    progress = fields.Dict(keys=fields.String(), values=fields.Integer(), required=True)


class FeedbackCycleArgs(PageArgs):
    status = fields.String(validate=validate.OneOf(STATUSES))


class FeedbackCycleExportSchema(Schema):
    cycle_id = fields.UUID(required=True)
    name = fields.String(required=True)
    thresholds = fields.Nested(FeedbackThresholdsSchema, required=True)
    subjects = fields.List(fields.Nested(FeedbackSubjectResultSchema), required=True)
