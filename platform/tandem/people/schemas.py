"""Marshmallow schemas for people, teams, tokens, imports, audit events and the tenant."""

from __future__ import annotations

from flask_smorest.fields import Upload
from marshmallow import Schema, fields, validate

from ..core.auth import ROLES
from ..core.pagination import PageArgs

_name = validate.Length(min=1, max=200)


class PersonBriefSchema(Schema):
    id = fields.UUID(required=True)
    name = fields.String(required=True)
    title = fields.String(required=True)
    email = fields.String(required=True)


class PersonSchema(Schema):
    id = fields.UUID(dump_only=True)
    email = fields.String(required=True, metadata={"example": "ada@example.com"})
    name = fields.String(required=True, metadata={"example": "Ada Lovelace"})
    title = fields.String(metadata={"example": "Staff Engineer"})
    team_id = fields.UUID(allow_none=True)
    manager_id = fields.UUID(allow_none=True)
    role = fields.String(metadata={"enum": list(ROLES)})
    is_active = fields.Boolean()
    is_manager = fields.Boolean()
    created_at = fields.DateTime()
    updated_at = fields.DateTime()


class PersonCreateSchema(Schema):
    email = fields.Email(
        required=True, validate=validate.Length(max=254), metadata={"example": "ada@example.com"}
    )
    name = fields.String(required=True, validate=_name, metadata={"example": "Ada Lovelace"})
    title = fields.String(validate=validate.Length(max=200))
    team_id = fields.UUID(allow_none=True)
    manager_id = fields.UUID(allow_none=True)
    role = fields.String(validate=validate.OneOf(ROLES))
    password = fields.String(
        load_only=True,
        validate=validate.Length(min=10, max=512),
        metadata={"description": "Optional: lets the person sign in to the web app"},
    )


class PersonUpdateSchema(PersonCreateSchema):
    email = fields.Email(validate=validate.Length(max=254))
    name = fields.String(validate=_name)


class PeopleArgs(PageArgs):
    q = fields.String(
        validate=validate.Length(max=100), metadata={"description": "Name, email or title contains"}
    )
    team_id = fields.UUID()
    manager_id = fields.UUID()
    role = fields.String(validate=validate.OneOf(ROLES))
    include_inactive = fields.Boolean(load_default=False)


class ReportSchema(PersonBriefSchema):
    depth = fields.Integer(required=True, metadata={"description": "1 = direct report"})
    manager_id = fields.UUID(allow_none=True)
    team_id = fields.UUID(allow_none=True)


class ReportsSchema(Schema):
    person_id = fields.UUID(required=True)
    total = fields.Integer(required=True)
    items = fields.List(fields.Nested(ReportSchema), required=True)


class ReportsArgs(Schema):
    subtree = fields.Boolean(
        load_default=False, metadata={"description": "Whole subtree, not just direct reports"}
    )


class TeamBriefSchema(Schema):
    id = fields.UUID(required=True)
    name = fields.String(required=True)


class TenantSchema(Schema):
    id = fields.UUID(required=True)
    slug = fields.String(required=True)
    name = fields.String(required=True)


class MeSchema(Schema):
    person = fields.Nested(PersonSchema, required=True)
    tenant = fields.Nested(TenantSchema, required=True)
    team = fields.Nested(TeamBriefSchema, allow_none=True)
    manager = fields.Nested(PersonBriefSchema, allow_none=True)
    direct_reports = fields.List(fields.Nested(PersonBriefSchema), required=True)
    subtree_size = fields.Integer(required=True)


class TeamSchema(Schema):
    id = fields.UUID(dump_only=True)
    name = fields.String(
        required=True, validate=validate.Length(min=1, max=120), metadata={"example": "Platform"}
    )
    description = fields.String(validate=validate.Length(max=2000))
    headcount = fields.Integer(dump_only=True)
    created_at = fields.DateTime(dump_only=True)


class TeamUpdateSchema(TeamSchema):
    name = fields.String(validate=validate.Length(min=1, max=120))


class TokenSchema(Schema):
    id = fields.UUID(dump_only=True)
    name = fields.String(required=True)
    prefix = fields.String(dump_only=True, metadata={"description": "The first characters, to recognise it"})
    user_id = fields.UUID(dump_only=True)
    created_at = fields.DateTime(dump_only=True)
    last_used_at = fields.DateTime(dump_only=True, allow_none=True)
    expires_at = fields.DateTime(dump_only=True, allow_none=True)
    revoked_at = fields.DateTime(dump_only=True, allow_none=True)


class TokenCreateSchema(Schema):
    name = fields.String(
        required=True, validate=validate.Length(min=1, max=100), metadata={"example": "HRIS sync"}
    )
    user_id = fields.UUID(metadata={"description": "HR admins only: make the token for someone else"})
    expires_in_days = fields.Integer(validate=validate.Range(min=1, max=3650))


class TokenCreatedSchema(TokenSchema):
    token = fields.String(required=True, metadata={"description": "Shown once; store it now"})


class ImportFormSchema(Schema):
    """One multipart/form-data body: the CSV file and the options."""

    file = Upload(required=True, metadata={"description": "CSV: email,name,title,team,manager_email,role"})
    dry_run = fields.Boolean(
        load_default=False, metadata={"description": "Only check and report; write nothing"}
    )
    deactivate_missing = fields.Boolean(
        load_default=False, metadata={"description": "Deactivate active people who are not in the file"}
    )
    allow_multiple_roots = fields.Boolean(
        load_default=False, metadata={"description": "Allow more than one person without a manager"}
    )
    background = fields.Boolean(
        load_default=False, metadata={"description": "Apply as a background job (202)"}
    )


class ProblemSchema(Schema):
    row = fields.Integer(
        required=True, metadata={"description": "Spreadsheet row (header = 1); 0 = whole file"}
    )
    column = fields.String(required=True)
    message = fields.String(required=True)


class ChangeSchema(Schema):
    row = fields.Integer(required=True)
    email = fields.String(required=True)
    action = fields.String(required=True)
    fields_ = fields.Dict(data_key="fields", attribute="fields")


class ImportReportSchema(Schema):
    dry_run = fields.Boolean(required=True)
    valid = fields.Boolean(required=True)
    applied = fields.Boolean(required=True)
    summary = fields.Dict(keys=fields.String(), values=fields.Integer(), required=True)
    problems = fields.List(fields.Nested(ProblemSchema), required=True)
    warnings = fields.List(fields.String(), required=True)
    changes = fields.List(fields.Nested(ChangeSchema), required=True)


class ImportRefusedSchema(Schema):
    """422: the error shape every endpoint uses. When the request could not be read (no file,
    not UTF-8, an option that is not a boolean) `errors.json` names the field. When the file was
    read and has problems, nothing was written and the body also carries the whole import report
    (`valid` and `applied` false, every problem with its row and column)."""

    code = fields.Integer(required=True, metadata={"description": "422"})
    status = fields.String(required=True)
    message = fields.String(required=True)
    errors = fields.Dict(metadata={"description": "{json: {field: [messages]}}"})
    dry_run = fields.Boolean(metadata={"description": "Report: always false (a dry run answers 200)"})
    valid = fields.Boolean(metadata={"description": "Report: false"})
    applied = fields.Boolean(metadata={"description": "Report: false; nothing was written"})
    summary = fields.Dict(keys=fields.String(), values=fields.Integer())
    problems = fields.List(fields.Nested(ProblemSchema))
    warnings = fields.List(fields.String())
    changes = fields.List(
        fields.Nested(ChangeSchema), metadata={"description": "What applying would have changed"}
    )


class AuditEventSchema(Schema):
    id = fields.UUID(required=True)
    at = fields.DateTime(required=True)
    actor_id = fields.UUID(allow_none=True)
    action = fields.String(required=True)
    entity_type = fields.String(required=True)
    entity_id = fields.UUID(allow_none=True)
    changes = fields.Dict()


class AuditArgs(PageArgs):
    entity_type = fields.String(validate=validate.Length(max=64))
    entity_id = fields.UUID()
    actor_id = fields.UUID()
    action = fields.String(validate=validate.Length(max=64))
