"""RQ entry points of the dashboards: build every snapshot of one organisation in one job.

The platform enqueues `reports.jobs.build_dashboards` by name (tandem never imports reports).
A build reads in one consistent snapshot of the database, computes everything in memory and
replaces the organisation's snapshots in the job's single transaction: a build that fails or
whose worker is killed leaves the previous snapshots exactly as they were."""

from __future__ import annotations

import re
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from tandem.core import tenancy
from tandem.core.db import db, utcnow
from tandem.core.jobs import JobRun, job_entry, report_progress
from tandem.dashboards.models import DashboardSnapshot
from tandem.feedback.results import Thresholds
from tandem.feedback.services import feedback_settings

from .build import build

# The check-in trend sorts and groups every check-in: in memory rather than on disk.
WORK_MEM = "SET LOCAL work_mem = '64MB'"
READERS = 2  # extra connections of a build, each running some of its slowest queries
_SNAPSHOT_ID = re.compile(r"[0-9A-F]+-[0-9A-F]+-[0-9]+")


@job_entry
def build_dashboards(run: JobRun) -> dict[str, Any]:
    tenant_id = tenancy.current_tenant_id()
    readers = 0
    if db.engine.dialect.name == "postgresql" and not isinstance(db.session.bind, sa.engine.Connection):
        # The first statement of the build's transaction: every query sees the same data. (A
        # session bound to a connection runs inside a transaction opened by someone else, as in
        # the test suite, whose isolation level is theirs to choose.)
        db.session.execute(sa.text("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY"))
        db.session.execute(sa.text(WORK_MEM))
        readers = READERS
    run_id = _run_id(run)
    now = utcnow()
    thresholds = Thresholds.from_dict(feedback_settings()["thresholds"])
    with _snapshot_readers(readers) as sessions:
        snapshots, source = build(
            db.session, tenant_id, now, thresholds, lambda percent: report_progress(run, percent), sessions
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


@contextmanager
def _snapshot_readers(count: int) -> Iterator[list[Session]]:
    """`count` sessions on connections of their own that read the very snapshot this job's
    transaction reads (PostgreSQL's exported snapshots): the build runs its slowest queries on
    them while it reads and adds up the rest, so the database and Python work at the same time.
    Each is read-only, rolled back and given back to the pool afterwards."""
    sessions: list[Session] = []
    try:
        if count:
            snapshot = db.session.scalar(sa.text("SELECT pg_export_snapshot()"))
            if not _SNAPSHOT_ID.fullmatch(snapshot or ""):
                raise RuntimeError(f"unexpected snapshot id {snapshot!r}")
        for _ in range(count):
            sessions.append(Session(bind=db.engine.connect()))
            sessions[-1].execute(sa.text("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY"))
            sessions[-1].execute(sa.text(f"SET TRANSACTION SNAPSHOT '{snapshot}'"))  # no parameters here
            sessions[-1].execute(sa.text(WORK_MEM))
        yield sessions
    finally:
        for session in sessions:
            connection = session.get_bind()
            session.close()
            connection.close()  # type: ignore[union-attr]


def _run_id(run: JobRun) -> uuid.UUID:
    return uuid.UUID(str(sa.inspect(run).identity[0]))
