"""Background jobs: a status row per job; RQ on Redis when configured, inline otherwise.

A job is asked for inside a transaction (`submit`), and handed over only after that transaction
commits (`dispatch_pending`), so a worker never sees a job whose data is not there yet. Job
functions are enqueued by dotted name and take ids only: `(job_run_id, tenant_id)`. The
`job_entry` decorator gives them an app context, binds the tenant, keeps the status row and
commits once at the end.
"""

from __future__ import annotations

import functools
import importlib
import logging
import uuid
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager, nullcontext
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from flask import Flask, current_app, has_app_context
from redis.exceptions import RedisError
from rq import Queue, Retry, get_current_job
from rq.serializers import JSONSerializer
from sqlalchemy.orm import Mapped, mapped_column

from . import tenancy
from .db import Base, IdMixin, db, utcnow
from .redis_conn import redis_connection
from .tenancy import TenantScoped, tenant_fk

log = logging.getLogger(__name__)

QUEUED, RUNNING, DONE, FAILED = "queued", "running", "done", "failed"
ACTIVE_STATUSES = (QUEUED, RUNNING)
QUEUES = ("default", "imports", "reports", "mail")
_PENDING = "tandem.pending_jobs"


class JobRun(IdMixin, TenantScoped, Base):
    """What the API shows about a job. RQ's own records expire; this row stays."""

    __tablename__ = "job_runs"
    __extra_table_args__ = (
        tenant_fk("created_by_id", "users"),
        # At most one queued-or-running job per dedupe key: two refreshes at once build once.
        sa.Index(
            "uq_job_runs_active_dedupe_key",
            "tenant_id",
            "dedupe_key",
            unique=True,
            postgresql_where=sa.text("status IN ('queued', 'running')"),
            sqlite_where=sa.text("status IN ('queued', 'running')"),
        ),
    )

    kind: Mapped[str] = mapped_column(sa.String(64))
    target: Mapped[str] = mapped_column(sa.String(200))
    queue: Mapped[str] = mapped_column(sa.String(32), default="default")
    params: Mapped[dict[str, Any]] = mapped_column(default=dict)
    status: Mapped[str] = mapped_column(sa.String(16), default=QUEUED, index=True)
    progress: Mapped[int] = mapped_column(default=0)
    result: Mapped[dict[str, Any] | None] = mapped_column(default=None)
    error: Mapped[str | None] = mapped_column(sa.Text, default=None)
    attempts: Mapped[int] = mapped_column(default=0)
    dedupe_key: Mapped[str | None] = mapped_column(sa.String(200), default=None)
    created_by_id: Mapped[uuid.UUID | None] = mapped_column(default=None)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    started_at: Mapped[datetime | None] = mapped_column(default=None)
    finished_at: Mapped[datetime | None] = mapped_column(default=None)


def submit(
    kind: str,
    target: str,
    *,
    params: dict[str, Any] | None = None,
    queue: str = "default",
    dedupe_key: str | None = None,
    created_by_id: uuid.UUID | None = None,
) -> JobRun:
    """Record a job and hand it over when the current transaction commits.

    With a `dedupe_key`, an already queued or running job of that key is returned instead."""
    if queue not in QUEUES:
        raise ValueError(f"unknown queue {queue!r}")
    if dedupe_key is not None:
        existing = _active_with_key(dedupe_key)
        if existing is not None:
            if is_orphaned(existing):
                requeue_orphan(existing)
            return existing
    run = JobRun(
        kind=kind,
        target=target,
        queue=queue,
        params=params or {},
        dedupe_key=dedupe_key,
        created_by_id=created_by_id,
    )
    try:
        with db.session.begin_nested():
            db.session.add(run)
    except sa.exc.IntegrityError:
        existing = _active_with_key(dedupe_key) if dedupe_key else None
        if existing is None:
            raise
        return existing
    db.session.info.setdefault(_PENDING, []).append((run.id, run.tenant_id, target, queue))
    return run


def _active_with_key(dedupe_key: str) -> JobRun | None:
    return db.session.scalar(
        sa.select(JobRun).where(JobRun.dedupe_key == dedupe_key, JobRun.status.in_(ACTIVE_STATUSES))
    )


def discard_pending() -> None:
    db.session.info.pop(_PENDING, None)


def dispatch_pending() -> None:
    """Enqueue (or, without Redis, run) the jobs that the committed transaction asked for."""
    pending = db.session.info.pop(_PENDING, [])
    for run_id, tenant_id, target, queue in pending:
        if current_app.extensions["tandem.settings"].jobs_inline:
            _run_inline(target, run_id, tenant_id)
        else:
            _enqueue(target, run_id, tenant_id, queue)


def rq_queue(name: str) -> Queue:
    conn = redis_connection()
    if conn is None:
        raise RuntimeError("REDIS_URL is not set: there is no queue")
    return Queue(name, connection=conn, serializer=JSONSerializer)


def _retry() -> Retry | None:
    delays = current_app.extensions["tandem.settings"].job_retry_delays
    return Retry(max=len(delays), interval=list(delays)) if delays else None


def _enqueue(target: str, run_id: uuid.UUID, tenant_id: uuid.UUID, queue: str) -> None:
    try:
        rq_queue(queue).enqueue(
            target,
            str(run_id),
            str(tenant_id),
            job_id=f"tandem-{run_id}",
            retry=_retry(),
            job_timeout=1800,
            result_ttl=86400,
            failure_ttl=7 * 86400,
        )
    except RedisError as exc:
        # The job's data is committed but nobody will run it: say so on its status row.
        log.error("could not enqueue job %s: %s", run_id, exc)
        with tenancy.tenant_scope(tenant_id):
            _mark_failed(run_id, f"The job queue is unreachable: {exc}")
            db.session.commit()


def _run_inline(target: str, run_id: uuid.UUID, tenant_id: uuid.UUID) -> None:
    func = resolve(target)
    try:
        func(str(run_id), str(tenant_id))
    except Exception:
        # Inline jobs run after their request already succeeded; the status row has the error.
        log.exception("inline job %s failed", run_id)


def resolve(target: str) -> Callable[[str, str], Any]:
    module_name, _, attr = target.rpartition(".")
    func = getattr(importlib.import_module(module_name), attr)
    if not getattr(func, "__tandem_job__", False):
        raise ValueError(f"{target} is not a Tandem job entry point")
    return func  # type: ignore[no-any-return]


def _mark_failed(run_id: uuid.UUID, error: str) -> None:
    run = db.session.get(JobRun, run_id)
    if run is not None:
        run.status, run.error, run.finished_at = FAILED, error, utcnow()


_worker_app: Flask | None = None


def set_worker_app(app: Flask) -> None:
    """The worker command registers its app so job entries run in its context."""
    global _worker_app
    _worker_app = app


def _app_context() -> AbstractContextManager[Any]:
    if has_app_context():
        return nullcontext()
    if _worker_app is None:
        # core imports no domain, so it cannot build the app itself: `tandem worker` does.
        raise RuntimeError(
            "Tandem jobs run in `tandem worker`, which sets up the app; not in a bare `rq worker`"
        )
    return _worker_app.app_context()


def job_entry(func: Callable[[JobRun], dict[str, Any] | None]) -> Callable[[str, str], Any]:
    """Make `func(run) -> result` an RQ entry point taking `(job_run_id, tenant_id)`."""

    @functools.wraps(func)
    def entry(job_run_id: str, tenant_id: str) -> dict[str, Any] | None:
        with _app_context(), tenancy.tenant_scope(uuid.UUID(tenant_id)):
            return _execute(func, uuid.UUID(job_run_id))

    entry.__tandem_job__ = True  # type: ignore[attr-defined]
    return entry


def _execute(func: Callable[[JobRun], dict[str, Any] | None], run_id: uuid.UUID) -> Any:
    with _lease(run_id) as held:
        if not held:
            # Another worker runs this job right now (a redelivery raced it): leave it to them.
            log.warning("job %s is already running elsewhere; not running it twice", run_id)
            return None
        return _execute_leased(func, run_id)


def _execute_leased(func: Callable[[JobRun], dict[str, Any] | None], run_id: uuid.UUID) -> Any:
    from . import unit_of_work

    run = db.session.get(JobRun, run_id)
    if run is None:
        log.warning("job %s has no status row in this tenant; nothing to do", run_id)
        return None
    if run.status == DONE:
        return run.result  # a redelivered job that already finished: do nothing twice
    run.status, run.started_at, run.error = RUNNING, utcnow(), None
    run.attempts += 1
    unit_of_work.commit()
    try:
        result = func(run)
        run.status, run.progress, run.result, run.finished_at = DONE, 100, result, utcnow()
        unit_of_work.commit()
        return result
    except Exception as exc:
        unit_of_work.rollback()
        run = db.session.get(JobRun, run_id)
        if run is not None:
            rq_job = get_current_job()
            retrying = rq_job is not None and (rq_job.retries_left or 0) > 0
            run.status = QUEUED if retrying else FAILED
            run.error = describe_failure(exc) + (" (will retry)" if retrying else "")
            run.finished_at = None if retrying else utcnow()
            unit_of_work.commit()
        raise


def describe_failure(exc: BaseException) -> str:
    """A reason a user can read; job errors carry ids and counts, never personal data. A database
    error is reduced to the server's own first line (no SQL, no bound values)."""
    if isinstance(exc, sa.exc.StatementError) and exc.orig is not None:
        first_line = (str(exc.orig).strip().splitlines() or [type(exc.orig).__name__])[0]
        return f"Database error: {first_line}"[:2000]
    message = str(exc).strip() or type(exc).__name__
    return message[:2000]


# Leases: while a job runs on PostgreSQL, its worker holds an advisory lock keyed by the job's
# id on a connection of its own. The lock dies with the worker's connection, so a job marked
# running whose lock is free has lost its worker (killed, evicted, out of memory) and can be
# handed out again at once, with no guess about how long a job may take.


def _lease_key(run_id: uuid.UUID) -> int:
    return int.from_bytes(run_id.bytes[:8], "big", signed=True)


@contextmanager
def _lease(run_id: uuid.UUID) -> Iterator[bool]:
    if db.engine.dialect.name != "postgresql":
        yield True  # SQLite runs jobs inline in one process: there is no one to race
        return
    with db.engine.connect() as conn:
        held = bool(conn.execute(sa.select(sa.func.pg_try_advisory_lock(_lease_key(run_id)))).scalar())
        conn.commit()
        try:
            yield held
        finally:
            if held:
                conn.execute(sa.select(sa.func.pg_advisory_unlock(_lease_key(run_id))))
                conn.commit()


def is_orphaned(run: JobRun) -> bool:
    """A running job whose worker is gone (its lease is free)."""
    if run.status != RUNNING or db.engine.dialect.name != "postgresql":
        return False
    with db.engine.connect() as conn:
        free = bool(conn.execute(sa.select(sa.func.pg_try_advisory_lock(_lease_key(run.id)))).scalar())
        if free:
            conn.execute(sa.select(sa.func.pg_advisory_unlock(_lease_key(run.id))))
        conn.commit()
    return free


def requeue_orphan(run: JobRun) -> None:
    """Hand an orphaned job out again (after the current transaction commits)."""
    run.status, run.error = QUEUED, "Its worker stopped mid-run; picked up again"
    db.session.info.setdefault(_PENDING, []).append((run.id, run.tenant_id, run.target, run.queue))


def recover_orphans() -> int:
    """Requeue every running job of every organisation whose worker is gone; returns how many.
    Called when a worker starts and at each of its maintenance rounds."""
    from . import unit_of_work

    with tenancy.unscoped():
        running = list(db.session.scalars(sa.select(JobRun).where(JobRun.status == RUNNING)))
        orphans = [run for run in running if is_orphaned(run)]
        for run in orphans:
            log.warning("job %s (%s) lost its worker; queueing it again", run.id, run.kind)
            requeue_orphan(run)
        unit_of_work.commit()
    return len(orphans)


def report_progress(run: JobRun, percent: int) -> None:
    """Progress is written on its own short transaction so pollers see it mid-job."""
    with db.engine.begin() as conn:
        conn.execute(
            sa.update(JobRun.__table__)
            .where(JobRun.__table__.c.id == run.id, JobRun.__table__.c.tenant_id == run.tenant_id)
            .values(progress=max(0, min(99, percent)))
        )
