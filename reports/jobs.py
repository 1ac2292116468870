"""RQ entry points of the dashboards: build every snapshot of one organisation in one job.

The platform enqueues `reports.jobs.build_dashboards` by name (tandem never imports reports).
A build reads in one consistent snapshot of the database, computes everything in memory and
replaces the organisation's snapshots in the job's single transaction: a build that fails or
whose worker is killed leaves the previous snapshots exactly as they were."""

from __future__ import annotations

import uuid
from typing import Any

import sqlalchemy as sa

from tandem.core import tenancy
from tandem.core.db import db, utcnow
from tandem.core.jobs import JobRun, job_entry, report_progress
from tandem.dashboards.models import DashboardSnapshot
from tandem.feedback.results import Thresholds
from tandem.feedback.services import feedback_settings

from .build import build


@job_entry
def build_dashboards(run: JobRun) -> dict[str, Any]:
    tenant_id = tenancy.current_tenant_id()
    if db.engine.dialect.name == "postgresql" and not isinstance(db.session.bind, sa.engine.Connection):
        # The first statement of the build's transaction: every query sees the same data. (A
        # session bound to a connection runs inside a transaction opened by someone else, as in
        # the test suite, whose isolation level is theirs to choose.)
        db.session.execute(sa.text("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY"))
        # The check-in trend sorts and groups every check-in: in memory rather than on disk.
        db.session.execute(sa.text("SET LOCAL work_mem = '64MB'"))
    run_id = _run_id(run)
    now = utcnow()
    thresholds = Thresholds.from_dict(feedback_settings()["thresholds"])
    snapshots, source = build(
        db.session, tenant_id, now, thresholds, lambda percent: report_progress(run, percent)
    )
    # Reads are done: switch to a read-write transaction of its own for the replacement.
    db.session.commit()
    db.session.execute(sa.delete(DashboardSnapshot).where(DashboardSnapshot.tenant_id == tenant_id))
    tenancy.bulk_insert(
        db.session,
        DashboardSnapshot,
        [
            {
                "id": uuid.uuid4(),
                "tenant_id": tenant_id,
                "scope": s.scope,
                "subject_id": s.subject_id,
                "build_id": run_id,
                "built_at": now,
                "source": source,
                "payload": s.payload,
            }
            for s in snapshots
        ],
    )
    db.session.flush()
    return {"snapshots": len(snapshots), "as_of": source["as_of"], "rows": source["rows"]}


def _run_id(run: JobRun) -> uuid.UUID:
    return uuid.UUID(str(sa.inspect(run).identity[0]))
