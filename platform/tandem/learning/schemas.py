"""Marshmallow schemas for skills, role profiles, skill profiles, evidence, gaps, the learning
catalogue, learning plans and items."""

from __future__ import annotations

from urllib.parse import urlsplit

from marshmallow import Schema, ValidationError, fields, validate

from ..core.pagination import PageArgs
from ..goals.schemas import JsonBoolean, JsonFloat, JsonInteger
from .models import EVIDENCE_SOURCES, ITEM_KINDS, ITEM_STATUSES, PLAN_STATUSES, SKILL_STATUSES
from .rules import NEED_KINDS

_level = validate.Range(min=1, max=5)
_title = validate.Length(min=1, max=200)
_text = validate.Length(max=5000)


def _web_address(value: str) -> None:
    """An item's link is shown to people and opened by them: only http(s) addresses (a
    `javascript:` or `data:` one would run in their browser if ever made a link)."""
    if not value.strip():
        return
    parts = urlsplit(value.strip())
    if parts.scheme.lower() not in ("http", "https") or not parts.netloc:
        raise ValidationError("use a web address starting with https:// or http://")


_url = validate.And(validate.Length(max=1000), _web_address)
_hours = validate.Range(min=0, max=10_000)


def Level(**kwargs: object) -> JsonInteger:
    return JsonInteger(
        validate=_level, metadata={"description": "1 (awareness) to 5 (expert)", "example": 3}, **kwargs
    )


# --- skills -----------------------------------------------------------------------------------------


class SkillSchema(Schema):
    id = fields.UUID(dump_only=True)
    key = fields.String(dump_only=True, metadata={"example": "python"})
    name = fields.String(
        required=True, validate=validate.Length(min=1, max=120), metadata={"example": "Python"}
    )
    category = fields.String(validate=validate.Length(min=1, max=60), metadata={"example": "Engineering"})
    description = fields.String(validate=_text)
    level_descriptions = fields.List(
        fields.String(validate=validate.Length(min=1, max=500)),
        validate=validate.Length(equal=5),
        metadata={"description": "What levels 1 to 5 look like for this skill"},
    )
    status = fields.String(dump_only=True, metadata={"enum": list(SKILL_STATUSES)})
    merged_into_id = fields.UUID(dump_only=True, allow_none=True)
    retired_at = fields.DateTime(dump_only=True, allow_none=True)
    created_at = fields.DateTime(dump_only=True)
    updated_at = fields.DateTime(dump_only=True)


class SkillUpdateSchema(SkillSchema):
    name = fields.String(validate=validate.Length(min=1, max=120))
    status = fields.String(
        validate=validate.OneOf(("active", "retired")),
        metadata={"description": "retired hides it from new use; active brings it back"},
    )


class RelatedSkillSchema(Schema):
    skill_id = fields.UUID(required=True)
    name = fields.String(dump_only=True)
    weight = JsonFloat(
        required=True,
        validate=validate.Range(min=0, max=1, min_inclusive=False),
        metadata={"description": "Partial credit in (0, 1]", "example": 0.6},
    )


class SkillDetailSchema(SkillSchema):
    related = fields.List(fields.Nested(RelatedSkillSchema), required=True)


class RelatedSetSchema(Schema):
    related = fields.List(fields.Nested(RelatedSkillSchema), required=True, validate=validate.Length(max=50))


class MergeSchema(Schema):
    into_skill_id = fields.UUID(required=True, metadata={"description": "The skill that stays"})


class SkillArgs(PageArgs):
    q = fields.String(validate=validate.Length(max=100), metadata={"description": "Name contains"})
    category = fields.String(validate=validate.Length(max=60))
    status = fields.String(load_default="active", validate=validate.OneOf((*SKILL_STATUSES, "all")))


class CategorySchema(Schema):
    name = fields.String(required=True)
    skills = fields.Integer(required=True)


class MatchingSkillSchema(Schema):
    related = fields.Dict(keys=fields.String(), values=fields.Float(), required=True)


class MatchingTaxonomySchema(Schema):
    skills = fields.Dict(
        keys=fields.String(),
        values=fields.Nested(MatchingSkillSchema),
        required=True,
        metadata={"description": "The matching engine's input: {skill id: {related: {skill id: weight}}}"},
    )


# --- role profiles and career paths -----------------------------------------------------------------


class RequirementSchema(Schema):
    skill_id = fields.UUID(required=True)
    level = Level(required=True)
    note = fields.String(validate=_text, metadata={"description": "What this level means in this role"})
    name = fields.String(dump_only=True)
    skill_status = fields.String(dump_only=True)
    level_description = fields.String(dump_only=True)


class RoleProfileSchema(Schema):
    id = fields.UUID(dump_only=True)
    name = fields.String(
        required=True,
        validate=validate.Length(min=1, max=120),
        metadata={"example": "Senior Software Engineer"},
    )
    job_title = fields.String(
        allow_none=True,
        validate=validate.Length(max=200),
        metadata={"description": "People with this title get this profile unless one is assigned"},
    )
    track = fields.String(validate=validate.Length(max=60), metadata={"example": "Engineering"})
    description = fields.String(validate=_text)
    next_profile_id = fields.UUID(allow_none=True, metadata={"description": "The usual next career step"})
    is_active = JsonBoolean()
    requirements = fields.List(fields.Nested(RequirementSchema), validate=validate.Length(max=100))
    created_at = fields.DateTime(dump_only=True)
    updated_at = fields.DateTime(dump_only=True)


class RoleProfileUpdateSchema(RoleProfileSchema):
    name = fields.String(validate=validate.Length(min=1, max=120))


class RoleProfileArgs(PageArgs):
    q = fields.String(validate=validate.Length(max=100))
    track = fields.String(validate=validate.Length(max=60))
    include_inactive = fields.Boolean(load_default=False)


class ProfileBriefSchema(Schema):
    id = fields.UUID(required=True)
    name = fields.String(required=True)
    track = fields.String(required=True)


class CareerPathSchema(Schema):
    person_id = fields.UUID(required=True)
    role_profile = fields.Nested(ProfileBriefSchema, allow_none=True)
    role_profile_source = fields.String(allow_none=True, metadata={"enum": ["assigned", "job_title", None]})
    target_profile = fields.Nested(ProfileBriefSchema, allow_none=True)
    suggested_next_profile = fields.Nested(ProfileBriefSchema, allow_none=True)


class CareerPathUpdateSchema(Schema):
    role_profile_id = fields.UUID(allow_none=True, metadata={"description": "HR admins and managers"})
    target_profile_id = fields.UUID(
        allow_none=True, metadata={"description": "The next step the person chose"}
    )


# --- skill profiles and evidence ---------------------------------------------------------------------


class ProfileLineSchema(Schema):
    person_id = fields.UUID(required=True)
    skill_id = fields.UUID(required=True)
    skill_name = fields.String(required=True)
    category = fields.String(required=True)
    skill_status = fields.String(required=True)
    self_level = fields.Integer(allow_none=True)
    self_assessed_at = fields.DateTime(allow_none=True)
    manager_level = fields.Integer(allow_none=True)
    manager_note = fields.String(required=True)
    manager_assessor_id = fields.UUID(allow_none=True)
    manager_assessed_at = fields.DateTime(allow_none=True)
    current_level = fields.Integer(
        required=True,
        metadata={"description": "The manager's level if assessed, else the person's own; 0 = none"},
    )
    interested = fields.Boolean(required=True)
    willing_to_mentor = fields.Boolean(required=True)
    evidence_count = fields.Integer(required=True)
    last_evidence_at = fields.DateTime(allow_none=True)
    updated_at = fields.DateTime(allow_none=True)


class ProfileLineUpdateSchema(Schema):
    self_level = Level(allow_none=True)
    interested = JsonBoolean(metadata={"description": "I want to grow this"})
    willing_to_mentor = JsonBoolean()
    manager_level = Level(allow_none=True)
    manager_note = fields.String(validate=_text)


class ProfileArgs(Schema):
    category = fields.String(validate=validate.Length(max=60))
    interested = fields.Boolean()
    willing_to_mentor = fields.Boolean()


class ProfileSchema(Schema):
    person_id = fields.UUID(required=True)
    total = fields.Integer(required=True)
    items = fields.List(fields.Nested(ProfileLineSchema), required=True)


class EvidenceSchema(Schema):
    id = fields.UUID(required=True)
    person_id = fields.UUID(required=True)
    skill_id = fields.UUID(required=True)
    skill_name = fields.String(required=True)
    source = fields.String(required=True, metadata={"enum": list(EVIDENCE_SOURCES)})
    value = fields.Float(allow_none=True, metadata={"description": "A 1-5 rating where the source gives one"})
    note = fields.String(required=True)
    at = fields.DateTime(required=True)
    learning_item_id = fields.UUID(allow_none=True)
    recorded_by_id = fields.UUID(allow_none=True)


class EvidenceArgs(PageArgs):
    skill_id = fields.UUID()
    source = fields.String(validate=validate.OneOf(EVIDENCE_SOURCES))


# --- gaps --------------------------------------------------------------------------------------------


class GapArgs(Schema):
    target_profile_id = fields.UUID(
        metadata={"description": "Compare with this next step instead of the chosen one"}
    )
    sources = fields.List(
        fields.String(validate=validate.OneOf(NEED_KINDS)),
        metadata={"description": "Which requirements count (default: all)"},
    )
    min_gap = fields.Integer(load_default=1, validate=validate.Range(min=1, max=5))
    recommendations = fields.Integer(
        load_default=3, validate=validate.Range(min=0, max=10), metadata={"description": "Per gap; 0 = none"}
    )


class GapReasonSchema(Schema):
    kind = fields.String(required=True, metadata={"enum": list(NEED_KINDS)})
    source_id = fields.UUID(required=True)
    source_name = fields.String(required=True)
    level = fields.Integer(required=True)


class RecommendedItemSchema(Schema):
    id = fields.UUID(required=True)
    title = fields.String(required=True)
    kind = fields.String(required=True)
    provider = fields.String(required=True)
    url = fields.String(required=True)
    hours = fields.Float(allow_none=True)
    level = fields.Integer(required=True, metadata={"description": "The level the item teaches to"})
    already_planned = fields.Boolean(required=True)


class RecommendedMentorSchema(Schema):
    person_id = fields.UUID(required=True)
    name = fields.String(required=True)
    title = fields.String(required=True)
    level = fields.Integer(required=True)


class GapSchema(Schema):
    skill_id = fields.UUID(required=True)
    skill_name = fields.String(required=True)
    category = fields.String(required=True)
    required_level = fields.Integer(required=True)
    current_level = fields.Integer(required=True)
    gap = fields.Integer(required=True)
    required_level_description = fields.String(required=True)
    goal_count = fields.Integer(required=True, metadata={"description": "How many open goals depend on it"})
    goal_ids = fields.List(fields.UUID(), required=True)
    reasons = fields.List(fields.Nested(GapReasonSchema), required=True)
    catalogue_items = fields.List(fields.Nested(RecommendedItemSchema), required=True)
    mentors = fields.List(fields.Nested(RecommendedMentorSchema), required=True)


class GapReportSchema(Schema):
    person_id = fields.UUID(required=True)
    role_profile = fields.Nested(ProfileBriefSchema, allow_none=True)
    role_profile_source = fields.String(allow_none=True)
    target_profile = fields.Nested(ProfileBriefSchema, allow_none=True)
    total = fields.Integer(required=True)
    items = fields.List(fields.Nested(GapSchema), required=True)


# --- the learning catalogue -----------------------------------------------------------------------


class SkillLevelSchema(Schema):
    skill_id = fields.UUID(required=True)
    level = Level(load_default=3)
    name = fields.String(dump_only=True)
    skill_status = fields.String(dump_only=True)


class CatalogueItemSchema(Schema):
    id = fields.UUID(dump_only=True)
    title = fields.String(
        required=True, validate=_title, metadata={"example": "Designing Data-Intensive Applications"}
    )
    kind = fields.String(required=True, validate=validate.OneOf(ITEM_KINDS))
    provider = fields.String(validate=validate.Length(max=200), metadata={"example": "O'Reilly"})
    url = fields.String(validate=_url, metadata={"example": "https://example.com/course"})
    hours = JsonFloat(allow_none=True, validate=_hours)
    description = fields.String(validate=_text)
    validity_months = JsonInteger(
        allow_none=True,
        validate=validate.Range(min=1, max=120),
        metadata={"description": "Certifications: months the certificate stays valid"},
    )
    is_active = JsonBoolean()
    skills = fields.List(fields.Nested(SkillLevelSchema), validate=validate.Length(max=30))
    created_at = fields.DateTime(dump_only=True)
    updated_at = fields.DateTime(dump_only=True)


class CatalogueItemUpdateSchema(CatalogueItemSchema):
    title = fields.String(validate=_title)
    kind = fields.String(validate=validate.OneOf(ITEM_KINDS))


class CatalogueArgs(PageArgs):
    q = fields.String(
        validate=validate.Length(max=100), metadata={"description": "Title or provider contains"}
    )
    kind = fields.String(validate=validate.OneOf(ITEM_KINDS))
    skill_id = fields.UUID()
    include_inactive = fields.Boolean(load_default=False)


# --- plans and items --------------------------------------------------------------------------------


class PlanSchema(Schema):
    id = fields.UUID(dump_only=True)
    owner_id = fields.UUID(dump_only=True)
    title = fields.String(required=True, validate=_title, metadata={"example": "Grow into a senior engineer"})
    description = fields.String(validate=_text)
    status = fields.String(validate=validate.OneOf(PLAN_STATUSES))
    start_date = fields.Date(metadata={"description": "Default: today"})
    due_date = fields.Date(allow_none=True)
    item_counts = fields.Dict(keys=fields.String(), values=fields.Integer(), dump_only=True)
    can_edit = fields.Boolean(dump_only=True)
    created_at = fields.DateTime(dump_only=True)
    updated_at = fields.DateTime(dump_only=True)


class PlanUpdateSchema(PlanSchema):
    title = fields.String(validate=_title)


class PlanArgs(PageArgs):
    scope = fields.String(
        load_default="mine",
        validate=validate.OneOf(("mine", "reports", "visible")),
        metadata={"description": "mine; reports (everyone below me); visible (all I may read)"},
    )
    owner_id = fields.UUID()
    status = fields.String(validate=validate.OneOf(PLAN_STATUSES))


class ItemSchema(Schema):
    id = fields.UUID(dump_only=True)
    plan_id = fields.UUID(dump_only=True)
    catalogue_item_id = fields.UUID(
        allow_none=True,
        metadata={"description": "Start from a catalogue item (kind, title, provider, skills)"},
    )
    kind = fields.String(validate=validate.OneOf(ITEM_KINDS))
    title = fields.String(validate=_title, metadata={"example": "AWS Solutions Architect Associate"})
    provider = fields.String(validate=validate.Length(max=200))
    url = fields.String(validate=_url)
    hours = JsonFloat(allow_none=True, validate=_hours)
    start_date = fields.Date(allow_none=True)
    due_date = fields.Date(allow_none=True)
    status = fields.String(validate=validate.OneOf(ITEM_STATUSES))
    completed_on = fields.Date(allow_none=True, metadata={"description": "Default: today when completed"})
    expires_on = fields.Date(allow_none=True, metadata={"description": "Certifications only"})
    evidence = fields.String(validate=_text, metadata={"description": "A certificate link, a note"})
    notes = fields.String(validate=_text)
    skill_ids = fields.List(fields.UUID(), validate=validate.Length(max=30))
    goal_ids = fields.List(fields.UUID(), validate=validate.Length(max=30))
    suggested_by_id = fields.UUID(dump_only=True, allow_none=True)
    accepted_at = fields.DateTime(dump_only=True, allow_none=True)
    pending_suggestion = fields.Boolean(dump_only=True)
    created_at = fields.DateTime(dump_only=True)
    updated_at = fields.DateTime(dump_only=True)


class ItemUpdateSchema(ItemSchema):
    catalogue_item_id = fields.UUID(dump_only=True, allow_none=True)


class PlanDetailSchema(PlanSchema):
    items = fields.List(fields.Nested(ItemSchema), required=True)


class ExpiringArgs(PageArgs):
    days = fields.Integer(load_default=90, validate=validate.Range(min=1, max=730))
    include_expired = fields.Boolean(load_default=False)


class ExpiringScopeArgs(ExpiringArgs):
    scope = fields.String(
        load_default="mine",
        validate=validate.OneOf(("mine", "reports", "all")),
        metadata={"description": "mine; reports (everyone below me); all (HR admins)"},
    )


class ExpiringSchema(Schema):
    item_id = fields.UUID(required=True)
    plan_id = fields.UUID(required=True)
    owner_id = fields.UUID(required=True)
    owner_name = fields.String(required=True)
    title = fields.String(required=True)
    provider = fields.String(required=True)
    completed_on = fields.Date(allow_none=True)
    expires_on = fields.Date(required=True)
    days_left = fields.Integer(required=True, metadata={"description": "Negative once expired"})


class GoalSkillSchema(Schema):
    skill_id = fields.UUID(required=True)
    level = Level(load_default=3)
    name = fields.String(dump_only=True)
    skill_status = fields.String(dump_only=True)


class GoalSkillsSetSchema(Schema):
    skills = fields.List(fields.Nested(GoalSkillSchema), required=True, validate=validate.Length(max=30))
