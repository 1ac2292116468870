"""Job entry points of the mentoring domain: the batch match (run by RQ workers, or inline)."""

from __future__ import annotations

import uuid
from typing import Any

import sqlalchemy as sa

from matching import solve

from ..core.db import db
from ..core.jobs import JobRun, job_entry, report_progress
from .models import OPEN, MatchProposal, MatchRun, MentoringRequest
from .services import build_instance, readable, skill_names


@job_entry
def run_match(run: JobRun) -> dict[str, Any]:
    """Solve the optimal matching for the run's open requests and store it as proposals. Runs
    again from scratch when redelivered: earlier proposals of the run are replaced."""
    match_run = db.session.get(MatchRun, uuid.UUID(run.params["match_run_id"]))
    if match_run is None:
        raise LookupError("the match run is gone")
    stmt = (
        sa.select(MentoringRequest)
        .where(MentoringRequest.status == OPEN)
        .order_by(MentoringRequest.mentee_id)
    )
    if match_run.programme_id is not None:
        stmt = stmt.where(MentoringRequest.programme_id == match_run.programme_id)
    requests = list(db.session.scalars(stmt))
    by_mentee = {str(r.mentee_id): r for r in requests}
    instance = build_instance(requests, reserve_pending=True)
    report_progress(run, 30)
    result = solve(instance)
    report_progress(run, 80)
    names = skill_names()
    db.session.execute(sa.delete(MatchProposal).where(MatchProposal.match_run_id == match_run.id))
    db.session.add_all(
        MatchProposal(
            match_run_id=match_run.id,
            request_id=by_mentee[a.mentee].id,
            mentor_id=uuid.UUID(a.mentor),
            score=a.score,
            reasons=readable(a.reasons, names),
        )
        for a in result.assignments
    )
    unmatched = [
        {
            "request_id": str(by_mentee[u.mentee].id),
            "reason": readable([u.reason], names)[0],
            "constraint": u.constraint,
        }
        for u in result.unmatched
    ]
    match_run.summary = {
        "requests": len(requests),
        "proposed": result.matched,
        "total_score": result.total_score,
        "unmatched": unmatched,
    }
    db.session.flush()
    # Job results hold counts only: reasons name skills and people's situations.
    return {"match_run_id": str(match_run.id), "requests": len(requests), "proposed": result.matched}
