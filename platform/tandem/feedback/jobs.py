"""Job entry points of the feedback domain (run by RQ workers, or inline without Redis)."""

from __future__ import annotations

from typing import Any

from flask import current_app

from ..core import jobs
from ..core.jobs import JobRun, job_entry
from . import reminders

REMINDERS_TARGET = "tandem.feedback.jobs.send_reminders"


@job_entry
def send_reminders(run: JobRun) -> dict[str, Any]:
    """Send the tenant's due reminders; the result holds counts only (no names, no addresses)."""
    return reminders.send_due(current_app.extensions["tandem.settings"])


def submit_reminders() -> JobRun | None:
    """Ask for a reminder run in the bound tenant if anybody is due (one at a time per tenant)."""
    if reminders.count_due() == 0:
        return None
    return jobs.submit("feedback.reminders", REMINDERS_TARGET, queue="mail", dedupe_key="feedback.reminders")
