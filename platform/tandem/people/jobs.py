"""Job entry points of the people domain (run by RQ workers, or inline without Redis)."""

from __future__ import annotations

import uuid
from typing import Any

from ..core.db import db
from ..core.jobs import JobRun, job_entry
from .importer import ImportOptions
from .imports import import_people
from .models import ImportBatch, User


@job_entry
def run_import(run: JobRun) -> dict[str, Any]:
    """Apply a stored people CSV; the report (counts and problems, no file content) is the result."""
    batch = db.session.get(ImportBatch, uuid.UUID(run.params["batch_id"]))
    if batch is None:
        raise LookupError("the import file is gone")
    actor = db.session.get(User, batch.created_by_id)
    if actor is None:
        raise LookupError("the person who started the import is gone")
    report = import_people(
        actor, batch.content, ImportOptions(**batch.options), dry_run=False, filename=batch.filename
    )
    batch.report = report
    return {
        "batch_id": str(batch.id),
        "valid": report["valid"],
        "applied": report["applied"],
        "summary": report["summary"],
        "problems": report["problems"][:1000],
    }
