"""HTTP API for job status: what a client polls after a 202."""

from __future__ import annotations

import uuid

from flask.views import MethodView
from marshmallow import Schema, fields

from .api import api_blueprint, document_errors
from .auth import actor
from .db import db
from .errors import NotFound
from .jobs import JobRun

jobs_api = api_blueprint("jobs", "/jobs", "Background job status")


class JobSchema(Schema):
    id = fields.UUID(required=True)
    kind = fields.String(required=True)
    status = fields.String(required=True, metadata={"enum": ["queued", "running", "done", "failed"]})
    progress = fields.Integer(required=True)
    result = fields.Dict(allow_none=True)
    error = fields.String(allow_none=True)
    attempts = fields.Integer(required=True)
    created_at = fields.DateTime(required=True)
    started_at = fields.DateTime(allow_none=True)
    finished_at = fields.DateTime(allow_none=True)


@jobs_api.route("/<uuid:job_id>")
class Job(MethodView):
    @jobs_api.response(200, JobSchema)
    @document_errors(jobs_api, 401, 404)
    def get(self, job_id: uuid.UUID) -> JobRun:
        """A job's status (the person who started it, or an HR admin); other tenants' jobs: 404."""
        me = actor()
        run = db.session.get(JobRun, job_id)  # tenant-scoped: another tenant's id is None here
        if run is None or (run.created_by_id != me.id and not me.is_hr_admin):  # type: ignore[attr-defined]
            raise NotFound("No such job")
        return run
