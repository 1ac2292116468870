"""Job entry points of the feedback domain (run by RQ workers, or inline without Redis)."""

from __future__ import annotations

import uuid
from typing import Any

from flask import current_app

from ..core import jobs
from ..core.jobs import JobRun, job_entry
from . import reminders

REMINDERS_TARGET = "tandem.feedback.jobs.send_reminders"
REMINDERS_KIND = "feedback.reminders"


@job_entry
def send_reminders(run: JobRun) -> dict[str, Any]:
    """Send the tenant's due reminders, or only one cycle's when the run names a `cycle_id` (the
    tenant is the job's own, so another organisation's cycle finds nobody); the result holds
    counts only (no names, no addresses)."""
    cycle_id = run.params.get("cycle_id")
    return reminders.send_due(
        current_app.extensions["tandem.settings"], uuid.UUID(cycle_id) if cycle_id else None
    )


def submit_reminders(
    cycle_id: uuid.UUID | None = None, created_by_id: uuid.UUID | None = None
) -> JobRun | None:
    """Ask for a reminder run in the bound tenant if anybody is due: the organisation's (one at a
    time per tenant), or one cycle's (one at a time per cycle). The caller checks that the cycle
    is the tenant's; the job carries its id only."""
    if reminders.count_due(cycle_id) == 0:
        return None
    if cycle_id is None:
        return jobs.submit(REMINDERS_KIND, REMINDERS_TARGET, queue="mail", dedupe_key=REMINDERS_KIND)
    return jobs.submit(
        REMINDERS_KIND,
        REMINDERS_TARGET,
        params={"cycle_id": str(cycle_id)},
        queue="mail",
        dedupe_key=f"{REMINDERS_KIND}.cycle.{cycle_id}",
        created_by_id=created_by_id,
    )
