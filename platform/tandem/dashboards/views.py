"""HTTP API for dashboards: the latest snapshot of each (JSON with its age), CSV export of any
of its tables, the list one may open, and build requests that can be polled."""

from __future__ import annotations

import uuid
from typing import Any

from flask import Response
from flask.views import MethodView

from ..core.api import api_blueprint, document_errors
from ..core.auth import actor
from ..core.jobs import JobRun
from ..core.pagination import page_of, page_schema
from . import services
from .models import MANAGER, TEAM, TENANT
from .schemas import DashboardBuildSchema, DashboardEntrySchema, DashboardIndexArgs, DashboardSchema

dashboards_api = api_blueprint(
    "dashboards",
    "/dashboards",
    "Manager dashboards: stored snapshots built by background jobs, CSV export, rebuild requests",
)
CSV_DOC = {
    "200": {"description": "The table as CSV", "content": {"text/csv": {"schema": {"type": "string"}}}}
}


def _json(body: str) -> Response:
    # The stored JSON goes out as it is (see services.snapshot_json); no automatic ETag either:
    # hashing a re-serialised megabyte would cost more than serving it.
    return Response(body, mimetype="application/json")


def _csv(found: Any, table: str) -> Response:
    body = services.export_csv(found, table)
    name = f"tandem-{found.scope}-{table}-{found.built_at:%Y%m%d-%H%M}.csv"
    return Response(
        body, mimetype="text/csv", headers={"Content-Disposition": f'attachment; filename="{name}"'}
    )


@dashboards_api.route("")
class DashboardIndex(MethodView):
    @dashboards_api.arguments(DashboardIndexArgs, location="query")
    @dashboards_api.response(200, page_schema(DashboardEntrySchema))
    @document_errors(dashboards_api, 401, 403, 422)
    def get(self, args: dict[str, Any]) -> dict[str, Any]:
        """The dashboards I may open: mine and every manager's below me (HR admins: all of them,
        the organisation's and each team's too)."""
        return page_of(services.available(actor()), args, scalars=False)  # type: ignore[arg-type]


@dashboards_api.route("/me")
class MyDashboard(MethodView):
    @dashboards_api.response(200, DashboardSchema)
    @document_errors(dashboards_api, 401, 403, 404)
    def get(self) -> Response:
        """My dashboard: my whole reporting subtree, by direct report and by team."""
        me = actor()
        services.require_dashboard_user(me)  # type: ignore[arg-type]
        return _json(services.snapshot_json(me, MANAGER, me.id))  # type: ignore[arg-type]


@dashboards_api.route("/tenant")
class TenantDashboard(MethodView):
    @dashboards_api.response(200, DashboardSchema)
    @document_errors(dashboards_api, 401, 403, 404)
    def get(self) -> Response:
        """The whole organisation (HR admins)."""
        return _json(services.snapshot_json(actor(), TENANT, None))  # type: ignore[arg-type]


@dashboards_api.route("/tenant/tables/<string:table>.csv")
class TenantDashboardCsv(MethodView):
    @dashboards_api.doc(responses=CSV_DOC)
    @document_errors(dashboards_api, 401, 403, 404)
    def get(self, table: str) -> Response:
        """One table of the organisation's dashboard as CSV (by_report, by_team, trends,
        skill_gaps, feedback_scores, summary)."""
        return _csv(services.snapshot(actor(), TENANT, None), table)  # type: ignore[arg-type]


@dashboards_api.route("/managers/<uuid:person_id>")
class ManagerDashboard(MethodView):
    @dashboards_api.response(200, DashboardSchema)
    @document_errors(dashboards_api, 401, 403, 404)
    def get(self, person_id: uuid.UUID) -> Response:
        """A manager's dashboard: my own, a manager's below me, or any (HR admins)."""
        return _json(services.snapshot_json(actor(), MANAGER, person_id))  # type: ignore[arg-type]


@dashboards_api.route("/managers/<uuid:person_id>/tables/<string:table>.csv")
class ManagerDashboardCsv(MethodView):
    @dashboards_api.doc(responses=CSV_DOC)
    @document_errors(dashboards_api, 401, 403, 404)
    def get(self, person_id: uuid.UUID, table: str) -> Response:
        """One table of a manager's dashboard as CSV."""
        return _csv(services.snapshot(actor(), MANAGER, person_id), table)  # type: ignore[arg-type]


@dashboards_api.route("/teams/<uuid:team_id>")
class TeamDashboard(MethodView):
    @dashboards_api.response(200, DashboardSchema)
    @document_errors(dashboards_api, 401, 403, 404)
    def get(self, team_id: uuid.UUID) -> Response:
        """A team's dashboard (HR admins)."""
        return _json(services.snapshot_json(actor(), TEAM, team_id))  # type: ignore[arg-type]


@dashboards_api.route("/teams/<uuid:team_id>/tables/<string:table>.csv")
class TeamDashboardCsv(MethodView):
    @dashboards_api.doc(responses=CSV_DOC)
    @document_errors(dashboards_api, 401, 403, 404)
    def get(self, team_id: uuid.UUID, table: str) -> Response:
        """One table of a team's dashboard as CSV (HR admins)."""
        return _csv(services.snapshot(actor(), TEAM, team_id), table)  # type: ignore[arg-type]


@dashboards_api.route("/builds")
class DashboardBuilds(MethodView):
    @dashboards_api.response(202, DashboardBuildSchema)
    @document_errors(dashboards_api, 401, 403)
    def post(self) -> JobRun:
        """Rebuild every dashboard of the organisation now. One build serves everyone: while one
        is queued or running, this returns it instead of starting another. Poll its status."""
        return services.request_build(actor())  # type: ignore[arg-type]


@dashboards_api.route("/builds/latest")
class LatestDashboardBuild(MethodView):
    @dashboards_api.response(200, DashboardBuildSchema)
    @document_errors(dashboards_api, 401, 403, 404)
    def get(self) -> JobRun:
        """The most recent build (queued, running, done or failed with its reason)."""
        services.require_dashboard_user(actor())  # type: ignore[arg-type]
        return services.latest_build_or_404()


@dashboards_api.route("/builds/<uuid:build_id>")
class DashboardBuild(MethodView):
    @dashboards_api.response(200, DashboardBuildSchema)
    @document_errors(dashboards_api, 401, 403, 404)
    def get(self, build_id: uuid.UUID) -> JobRun:
        """A build's status: queued, running (with progress), done, or failed with the reason."""
        return services.get_build(actor(), build_id)  # type: ignore[arg-type]


BLUEPRINTS = (dashboards_api,)
