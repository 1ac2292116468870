"""HTTP API for people, the org chart, teams, tokens, CSV import, the audit log and /me."""

from __future__ import annotations

import uuid
from typing import Any

from flask import jsonify
from flask.views import MethodView

from ..core import audit as audit_log
from ..core import jobs
from ..core.api import api_blueprint, document_errors, update_schema
from ..core.auth import actor
from ..core.db import db
from ..core.errors import Forbidden, error_body, field_error
from ..core.jobs_views import JobSchema
from ..core.pagination import page_of, page_schema
from . import accounts, imports, orgchart, services
from .importer import ImportOptions, plural
from .models import Tenant, User
from .schemas import (
    AuditArgs,
    AuditEventSchema,
    ImportFormSchema,
    ImportRefusedSchema,
    ImportReportSchema,
    MeSchema,
    PeopleArgs,
    PersonCreateSchema,
    PersonSchema,
    PersonUpdateSchema,
    ReportsArgs,
    ReportsSchema,
    TeamSchema,
    TeamUpdateSchema,
    TokenCreatedSchema,
    TokenCreateSchema,
    TokenSchema,
)

me_api = api_blueprint("me", "/me", "The signed-in person")
people_api = api_blueprint("people", "/people", "People, the reporting line and CSV import")
teams_api = api_blueprint("teams", "/teams", "Teams")
tokens_api = api_blueprint("tokens", "/tokens", "API tokens")
audit_api = api_blueprint("audit", "/audit", "The append-only audit log (HR admins)")


_PERSON_FIELDS = (
    "id",
    "email",
    "name",
    "title",
    "team_id",
    "manager_id",
    "role",
    "is_active",
    "created_at",
    "updated_at",
)


def _with_manager_flags(people: list[User]) -> list[dict[str, Any]]:
    """People as the response schema dumps them, plus whether each one manages anybody."""
    managers = orgchart.managers_among({p.id for p in people})
    return [
        {**{name: getattr(p, name) for name in _PERSON_FIELDS}, "is_manager": p.id in managers}
        for p in people
    ]


def _team_out(team: Any, headcounts: dict[uuid.UUID, int]) -> dict[str, Any]:
    return {
        "id": team.id,
        "name": team.name,
        "description": team.description,
        "created_at": team.created_at,
        "headcount": headcounts.get(team.id, 0),
    }


@me_api.route("")
class Me(MethodView):
    @me_api.response(200, MeSchema)
    @document_errors(me_api, 401)
    def get(self) -> dict[str, Any]:
        """Who I am: my record, organisation, team, manager and direct reports."""
        me = actor()
        reports = orgchart.direct_reports(me.id)
        return {
            "person": _with_manager_flags([me])[0],
            "tenant": db.session.get(Tenant, me.tenant_id),
            "team": services.get_team(me.team_id) if me.team_id else None,
            "manager": db.session.get(User, me.manager_id) if me.manager_id else None,
            "direct_reports": reports,
            "subtree_size": len(orgchart.subtree_ids(me.id)) if reports else 0,
        }


@people_api.route("")
class People(MethodView):
    @people_api.arguments(PeopleArgs, location="query")
    @people_api.response(200, page_schema(PersonSchema))
    @document_errors(people_api, 401, 422)
    def get(self, args: dict[str, Any]) -> dict[str, Any]:
        """The organisation's directory (active people unless include_inactive)."""
        actor()
        filters = {k: args.get(k) for k in ("q", "team_id", "manager_id", "role", "include_inactive")}
        page = page_of(services.people_query(**filters), args)
        page["items"] = _with_manager_flags(page["items"])
        return page

    @people_api.arguments(PersonCreateSchema)
    @people_api.response(201, PersonSchema)
    @document_errors(people_api, 401, 403, 409, 422)
    def post(self, data: dict[str, Any]) -> dict[str, Any]:
        """Add a person (HR admins)."""
        return _with_manager_flags([services.create_person(actor(), data)])[0]


@people_api.route("/<uuid:person_id>")
class Person(MethodView):
    @people_api.response(200, PersonSchema)
    @document_errors(people_api, 401, 404)
    def get(self, person_id: uuid.UUID) -> dict[str, Any]:
        """One person."""
        actor()
        return _with_manager_flags([services.get_person(person_id)])[0]

    @people_api.arguments(update_schema(PersonUpdateSchema))
    @people_api.response(200, PersonSchema)
    @document_errors(people_api, 401, 403, 404, 409, 422)
    def patch(self, data: dict[str, Any], person_id: uuid.UUID) -> dict[str, Any]:
        """Change a person: name, title, email, team, manager (no cycles), role, password (HR admins)."""
        return _with_manager_flags([services.update_person(actor(), person_id, data)])[0]


@people_api.route("/<uuid:person_id>/deactivate")
class Deactivate(MethodView):
    @people_api.response(200, PersonSchema)
    @document_errors(people_api, 401, 403, 404, 409)
    def post(self, person_id: uuid.UUID) -> dict[str, Any]:
        """Deactivate a person: they can no longer sign in; nothing is deleted (HR admins)."""
        return _with_manager_flags([services.set_active(actor(), person_id, False)])[0]


@people_api.route("/<uuid:person_id>/reactivate")
class Reactivate(MethodView):
    @people_api.response(200, PersonSchema)
    @document_errors(people_api, 401, 403, 404, 409)
    def post(self, person_id: uuid.UUID) -> dict[str, Any]:
        """Reactivate a deactivated person (HR admins)."""
        return _with_manager_flags([services.set_active(actor(), person_id, True)])[0]


@people_api.route("/<uuid:person_id>/reports")
class Reports(MethodView):
    @people_api.arguments(ReportsArgs, location="query")
    @people_api.response(200, ReportsSchema)
    @document_errors(people_api, 401, 403, 404, 422)
    def get(self, args: dict[str, Any], person_id: uuid.UUID) -> dict[str, Any]:
        """Direct reports, or with subtree=true everyone below (the person, their managers, HR)."""
        rows = services.reports_of(actor(), person_id, whole_subtree=args["subtree"])
        items = [
            {
                "id": p.id,
                "name": p.name,
                "title": p.title,
                "email": p.email,
                "manager_id": p.manager_id,
                "team_id": p.team_id,
                "depth": depth,
            }
            for p, depth in rows
        ]
        return {"person_id": person_id, "total": len(items), "items": items}


@people_api.route("/import")
class Import(MethodView):
    @people_api.arguments(ImportFormSchema, location="files")
    @people_api.response(
        200, ImportReportSchema, description="Applied, or (dry_run) checked: see valid and problems"
    )
    @people_api.alt_response(202, schema=JobSchema, description="Accepted as a background job")
    @people_api.alt_response(
        422,
        schema=ImportRefusedSchema,
        description="Refused, nothing written: the file has problems (the report, with every "
        "problem's row and column, is in the body) or the request could not be read",
    )
    @document_errors(people_api, 401, 403, 413)
    def post(self, form: dict[str, Any]) -> Any:
        """Import people from CSV (email,name,title,team,manager_email,role). With dry_run, every
        problem is reported by row and column and nothing is written (200 either way); applying
        is all-or-nothing: a file with any problem is refused with 422 and the same report."""
        me = actor()
        if not me.is_hr_admin:
            raise Forbidden("Only an HR admin can import people")
        upload = form["file"]
        raw = upload.read(imports.MAX_BYTES + 1)
        if len(raw) > imports.MAX_BYTES:
            raise field_error("file", f"larger than {imports.MAX_BYTES // (1024 * 1024)} MB")
        try:
            text = raw.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            raise field_error("file", "not UTF-8 text; save the CSV as UTF-8") from exc
        if "\x00" in text:
            raise field_error("file", "contains NUL characters: not a text CSV")
        options = ImportOptions(
            deactivate_missing=form["deactivate_missing"], allow_multiple_roots=form["allow_multiple_roots"]
        )
        filename = upload.filename or "people.csv"
        if form["background"] and not form["dry_run"]:
            batch = imports.store_batch(me, filename, text, options)
            run = jobs.submit(
                "people.import",
                "tandem.people.jobs.run_import",
                queue="imports",
                params={"batch_id": str(batch.id)},
                created_by_id=me.id,
            )
            accepted = jsonify(JobSchema().dump(run))
            accepted.status_code = 202  # a Response is passed through as it is by flask-smorest
            return accepted
        report = imports.import_people(me, text, options, dry_run=form["dry_run"], filename=filename)
        if form["dry_run"] or report["applied"]:
            return report
        count = plural(report["summary"]["problems"], "problem")
        message = f"The file has {count}; nothing was written"
        refused = jsonify({**error_body(422, message, {"file": [message]}), **report})
        refused.status_code = 422  # a Response is passed through as it is by flask-smorest
        return refused


@teams_api.route("")
class Teams(MethodView):
    @teams_api.response(200, TeamSchema(many=True))
    @document_errors(teams_api, 401)
    def get(self) -> list[dict[str, Any]]:
        """All teams with their active headcount."""
        actor()
        counts = services.team_headcounts()
        return [_team_out(t, counts) for t in db.session.scalars(services.teams_query())]

    @teams_api.arguments(TeamSchema)
    @teams_api.response(201, TeamSchema)
    @document_errors(teams_api, 401, 403, 422)
    def post(self, data: dict[str, Any]) -> dict[str, Any]:
        """Create a team (HR admins)."""
        return _team_out(services.create_team(actor(), data), {})


@teams_api.route("/<uuid:team_id>")
class TeamItem(MethodView):
    @teams_api.response(200, TeamSchema)
    @document_errors(teams_api, 401, 404)
    def get(self, team_id: uuid.UUID) -> dict[str, Any]:
        """One team."""
        actor()
        return _team_out(services.get_team(team_id), services.team_headcounts())

    @teams_api.arguments(update_schema(TeamUpdateSchema))
    @teams_api.response(200, TeamSchema)
    @document_errors(teams_api, 401, 403, 404, 422)
    def patch(self, data: dict[str, Any], team_id: uuid.UUID) -> dict[str, Any]:
        """Rename or describe a team (HR admins)."""
        return _team_out(services.update_team(actor(), team_id, data), services.team_headcounts())

    @teams_api.response(204)
    @document_errors(teams_api, 401, 403, 404, 409)
    def delete(self, team_id: uuid.UUID) -> None:
        """Delete an empty team (HR admins); 409 while it has members."""
        services.delete_team(actor(), team_id)


@tokens_api.route("")
class Tokens(MethodView):
    @tokens_api.response(200, TokenSchema(many=True))
    @document_errors(tokens_api, 401)
    def get(self) -> Any:
        """My tokens (HR admins: everyone's)."""
        return db.session.scalars(accounts.tokens_visible_to(actor())).all()

    @tokens_api.arguments(TokenCreateSchema)
    @tokens_api.response(201, TokenCreatedSchema)
    @document_errors(tokens_api, 401, 403, 404, 422)
    def post(self, data: dict[str, Any]) -> dict[str, Any]:
        """Create a token; the secret is in the response once and never again."""
        record, secret = accounts.create_token(
            actor(),
            data["name"],
            for_user_id=data.get("user_id"),
            expires_in_days=data.get("expires_in_days"),
        )
        return {**{name: getattr(record, name) for name in TokenSchema().fields}, "token": secret}


@tokens_api.route("/<uuid:token_id>")
class TokenItem(MethodView):
    @tokens_api.response(200, TokenSchema)
    @document_errors(tokens_api, 401, 404)
    def delete(self, token_id: uuid.UUID) -> Any:
        """Revoke a token (your own; HR admins: anyone's)."""
        return accounts.revoke_token(actor(), token_id)


@audit_api.route("")
class Audit(MethodView):
    @audit_api.arguments(AuditArgs, location="query")
    @audit_api.response(200, page_schema(AuditEventSchema))
    @document_errors(audit_api, 401, 403, 422)
    def get(self, args: dict[str, Any]) -> dict[str, Any]:
        """Audit events, newest first (HR admins)."""
        if not actor().is_hr_admin:
            raise Forbidden("Only an HR admin can read the audit log")
        return page_of(audit_log.events_query(args), args)


BLUEPRINTS = (me_api, people_api, teams_api, tokens_api, audit_api)
