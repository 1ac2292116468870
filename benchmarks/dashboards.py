"""Benchmark (issue 7): every manager dashboard plus the organisation's built for a synthetic
tenant of 20,000 employees on PostgreSQL by one worker, against a naive baseline that runs one
query set per manager; then serving stored dashboards through the API.

Targets: the build takes at most 10 s wall time with one worker and its peak memory stays under
1 GB; serving a stored dashboard takes under 20 ms server time.

What it does:
  1. a scratch database with a tenant of N employees (`tandem seed-synthetic`, seed 7), dropped
     afterwards, or --reuse URL of one already seeded; VACUUM ANALYZE (statistics and visibility
     maps as a database in service has them); prints the rows per table;
  2. the build as production runs it, --worker-runs times: `tandem reports build --tenant SLUG`
     queues it on a private Redis database, then a fresh `tandem worker reports --burst` under
     /usr/bin/time -v runs it: wall time from the job's started_at to finished_at (median), and
     the worker's peak RSS (the largest process of its tree: the forked work horse);
  3. the same job in-process (no Redis; the same code and reader connections), --repeat times,
     timed by phase: queries, figures, aggregation, payloads, write (COPY and commit); the
     queries that run on the build's reader connections meanwhile are shown apart;
  4. the naive baseline on a random sample of managers (recursive subtree CTE + aggregate queries
     per manager), extrapolated to every manager (a uniform sample: mean x managers);
  5. GET /api/v1/dashboards/managers/<id>, /tenant and /me through the Flask test client with
     bearer tokens: server time (the app's request log, before_request to after_request),
     client-side time and SQL statements per request.

The app, its worker and the API run as the app's ordinary role (row-level security applies, as
in production); seeding and VACUUM ANALYZE as the database's owner (--reuse takes the owner's URL).

It writes to the database it runs on: job runs, dashboard snapshots, API tokens (and their
audit events) in the tenant.

Run: .venv/bin/python benchmarks/dashboards.py [--employees 20000] [--reuse URL] [--tenant synth]
     e.g. --reuse postgresql://postgres@127.0.0.1:5432/tandem_synth20k (seeded with seed 7)
"""

from __future__ import annotations

import argparse
import functools
import os
import random
import re
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from collections import defaultdict
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

# Run as a script, this folder comes first on sys.path, where benchmarks/matching.py would shadow
# the matching engine that tandem imports: put the repository root ahead of it.
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from _support import (
    REPO,
    SEED,
    app_role_url,
    bench_app,
    load_average,
    pct,
    request_log,
    reused_or_scratch,
    seed_synthetic,
    timed_get,
)

MEANWHILE = "(meanwhile, not in the sum: reader threads' queries)"
TARGET_BUILD_S = 10.0
TARGET_RSS_MB = 1024.0
TARGET_SERVE_MS = 20.0
VENV_BIN = Path(sys.executable).parent


# --------------------------------------------------------------------------- data


def row_counts(tenant_id: uuid.UUID) -> dict[str, int]:
    import sqlalchemy as sa

    from tandem.core import tenancy
    from tandem.core.db import Base, db

    counts = {}
    with tenancy.tenant_scope(tenant_id):
        for table in Base.metadata.sorted_tables:
            if "tenant_id" in table.c:
                counts[table.name] = db.session.scalar(
                    sa.select(sa.func.count()).select_from(table).where(table.c.tenant_id == tenant_id)
                )
    return counts


# --------------------------------------------------------------------------- worker build


@contextmanager
def private_redis(url: str) -> Iterator[None]:
    """A Redis database only this run uses: refuse one with data in it, empty it afterwards."""
    import redis

    conn = redis.Redis.from_url(url)
    if conn.dbsize():
        raise SystemExit(
            f"{url} holds {conn.dbsize()} keys: give a private, empty Redis database with --redis "
            "(nothing was written)"
        )
    try:
        yield
    finally:
        conn.flushdb()


def worker_build(url: str, redis_url: str, slug: str, tmp: Path) -> dict[str, Any]:
    """Queue the build with the CLI, run one burst worker under /usr/bin/time -v, read the job's
    status row for its start and end."""
    env = {
        **os.environ,
        "DATABASE_URL": url,
        "REDIS_URL": redis_url,
        "SECRET_KEY": "w" * 40,
        "TANDEM_ENV": "development",
        "TANDEM_INSTANCE_DIR": str(tmp),
        "LOG_JSON": "false",
        "LOG_LEVEL": "WARNING",
        "JOB_RETRY_DELAYS": "",  # a failed build fails the benchmark at once
    }
    tandem = str(VENV_BIN / "tandem")
    queued = subprocess.run(
        [tandem, "reports", "build", "--tenant", slug], env=env, capture_output=True, text=True, cwd=REPO
    )
    if queued.returncode != 0:
        raise SystemExit(f"`tandem reports build` failed: {queued.stdout}{queued.stderr}")
    found = re.search(r"build ([0-9a-f-]{36}) (\w+)", queued.stdout)
    if not found:
        raise SystemExit(f"unexpected output of `tandem reports build`: {queued.stdout!r}")
    run_id = uuid.UUID(found.group(1))
    time_file = tmp / "worker-time.txt"
    started = time.perf_counter()
    worker = subprocess.run(
        [
            "/usr/bin/time",
            "-v",
            "-o",
            str(time_file),
            tandem,
            "worker",
            "reports",
            "--burst",
            "--no-scheduler",
        ],
        env=env,
        capture_output=True,
        text=True,
        cwd=REPO,
    )
    process_wall = time.perf_counter() - started
    if worker.returncode != 0:
        raise SystemExit(f"worker exited {worker.returncode}: {worker.stdout}{worker.stderr}")
    timing = time_file.read_text()
    peak_kb = int(re.search(r"Maximum resident set size \(kbytes\): (\d+)", timing).group(1))  # type: ignore[union-attr]
    return {"run_id": run_id, "process_wall": process_wall, "peak_mb": peak_kb / 1024, "log": worker.stderr}


def job_row(run_id: uuid.UUID) -> Any:
    from tandem.core.db import db
    from tandem.core.jobs import JobRun

    db.session.expire_all()
    return db.session.get(JobRun, run_id)


# --------------------------------------------------------------------------- in-process phases


class Phases:
    """Exclusive time per phase: a wrapped call inside another wrapped call counts for its own
    phase only (payload assembly minus the aggregation it calls, and so on)."""

    clock = staticmethod(time.perf_counter)

    def __init__(self) -> None:
        self.totals: dict[str, float] = defaultdict(float)
        self.detail: dict[str, float] = defaultdict(float)  # per "phase: function"
        self.overlapped: dict[str, float] = defaultdict(float)  # in other threads, meanwhile
        self.stack: list[list[Any]] = []
        self.patched: list[tuple[Any, str, Any]] = []

    def wrap(self, phase: str, func: Callable[..., Any]) -> Callable[..., Any]:
        key = f"{phase}: {func.__name__}"

        @functools.wraps(func)
        def timed(*args: Any, **kwargs: Any) -> Any:
            if threading.current_thread() is not threading.main_thread():
                # A query on one of the build's reader connections, meanwhile: its own account.
                started = self.clock()
                try:
                    return func(*args, **kwargs)
                finally:
                    self.overlapped[f"{key} (reader thread)"] += self.clock() - started
            now = self.clock()
            if self.stack:
                outer = self.stack[-1]
                self.totals[outer[0]] += now - outer[1]
                self.detail[outer[2]] += now - outer[1]
            self.stack.append([phase, now, key])
            try:
                return func(*args, **kwargs)
            finally:
                now = self.clock()
                self.totals[phase] += now - self.stack[-1][1]
                self.detail[key] += now - self.stack.pop()[1]
                if self.stack:
                    self.stack[-1][1] = now

        return timed

    def patch(self, owner: Any, name: str, phase: str) -> None:
        original = owner.__dict__[name] if isinstance(owner, type) else getattr(owner, name)
        self.patched.append((owner, name, original))
        if isinstance(original, classmethod):
            setattr(owner, name, classmethod(self.wrap(phase, original.__func__)))
        else:
            setattr(owner, name, self.wrap(phase, original))

    def restore(self) -> None:
        for owner, name, original in reversed(self.patched):
            setattr(owner, name, original)
        self.patched.clear()


def instrument() -> Phases:
    import reports.build as build_module
    import reports.jobs as jobs_module
    from reports import aggregation, figures, payloads, queries
    from tandem.core import tenancy

    phases = Phases()
    for name in (
        "people",
        "teams",
        "goals",
        "check_in_weeks",
        "feedback_requests",
        "open_cycles",
        "released_requests",
        "released_responses",
        "learning",
        "learning_completed_weeks",
        "skill_needs",
        "skill_names",
        "mentorships",
        "mentoring_open_requests",
        "mentor_profiles",
        "row_counts",
    ):
        phases.patch(queries, name, "queries")
    phases.patch(build_module, "result_questions", "queries")  # a feedback template's questions
    for name in (
        "people_columns",
        "goal_columns",
        "check_in_columns",
        "feedback_columns",
        "competency_scores",
        "learning_columns",
        "skill_gaps",
        "mentoring_columns",
    ):
        phases.patch(figures, name, "figures")
    phases.patch(aggregation.Tree, "build", "aggregation")
    phases.patch(aggregation.Tree, "children", "aggregation")
    phases.patch(aggregation.Frame, "from_columns", "aggregation")
    phases.patch(aggregation.Frame, "sums", "aggregation")
    phases.patch(build_module, "groups_of", "aggregation")
    phases.patch(build_module, "publishable_subtrees", "aggregation")
    # The rest of the assembly (per-group products of the feedback and skill-gap matrices, the
    # payload dictionaries) is the payloads phase.
    phases.patch(build_module, "_assemble", "payloads")
    for name in (
        "headline_rows",
        "sections",
        "trends_tables",
        "skill_gaps_table",
        "feedback_scores_table",
        "breakdown_table",
    ):
        phases.patch(payloads, name, "payloads")
    phases.patch(jobs_module, "build", "build (glue, waits for readers)")
    phases.patch(tenancy, "bulk_insert", "write (COPY)")
    return phases


def in_process_build(tenant_id: uuid.UUID) -> tuple[float, dict[str, float], dict[str, float], Any]:
    """The job, run inline after its transaction commits (as without Redis); phase times."""
    from tandem.core import tenancy, unit_of_work
    from tandem.core.db import db
    from tandem.dashboards.services import submit_build

    phases = instrument()
    try:
        with tenancy.tenant_scope(tenant_id):
            run = submit_build()
            run_id = run.id
            started = time.perf_counter()
            unit_of_work.commit()  # runs the job inline
            total = time.perf_counter() - started
            db.session.expire_all()
            run = job_row(run_id)
            result = (run.status, run.result, run.error)
            db.session.rollback()
    finally:
        phases.restore()
    if result[0] != "done":
        raise SystemExit(f"in-process build {result[0]}: {result[2]}")
    timed = dict(phases.totals)
    timed["write (delete, commit, job status)"] = total - sum(timed.values())
    if phases.overlapped:
        timed[MEANWHILE] = sum(phases.overlapped.values())
    return total, timed, {**phases.detail, **phases.overlapped}, result


# --------------------------------------------------------------------------- naive baseline

SUBTREE = """
WITH RECURSIVE sub(id, depth) AS (
    SELECT id, 1 FROM users WHERE tenant_id = :t AND manager_id = :m
    UNION ALL
    SELECT u.id, sub.depth + 1 FROM users u JOIN sub ON u.manager_id = sub.id
    WHERE u.tenant_id = :t AND sub.depth < 64
), people AS (
    SELECT u.id FROM users u JOIN sub ON sub.id = u.id WHERE u.tenant_id = :t AND u.is_active
)
"""

NAIVE = {
    "people": SUBTREE
    + """
SELECT count(*), count(*) FILTER (WHERE u.created_at >= :since30)
FROM users u JOIN people p ON p.id = u.id WHERE u.tenant_id = :t""",
    "goals": SUBTREE
    + """
SELECT g.status, count(*), avg(g.progress),
       count(*) FILTER (WHERE g.due_date < :today AND g.status = 'active'),
       count(*) FILTER (WHERE g.status = 'active' AND g.start_date <= :day30 AND coalesce(
           (SELECT max(c.at) FROM goal_checkins c WHERE c.tenant_id = :t AND c.goal_id = g.id),
           '-infinity') < :since30)
FROM goals g JOIN people p ON p.id = g.owner_id
WHERE g.tenant_id = :t AND g.visibility <> 'private' AND g.archived_at IS NULL
GROUP BY g.status""",
    "check_ins": SUBTREE
    + """
SELECT floor(extract(epoch FROM :now - c.at) / 604800) AS week, count(*), avg(c.progress)
FROM goal_checkins c JOIN goals g ON g.id = c.goal_id AND g.tenant_id = c.tenant_id
JOIN people p ON p.id = g.owner_id
WHERE c.tenant_id = :t AND g.visibility <> 'private' AND g.archived_at IS NULL
  AND c.at > :since84 AND c.at <= :now
GROUP BY week""",
    "feedback": SUBTREE
    + """
SELECT count(DISTINCT r.id),
       count(i.id) FILTER (WHERE i.status IN ('invited', 'submitted', 'declined')),
       count(i.id) FILTER (WHERE i.status = 'submitted')
FROM feedback_requests r JOIN people p ON p.id = r.subject_id
LEFT JOIN feedback_invitations i ON i.request_id = r.id AND i.tenant_id = r.tenant_id
WHERE r.tenant_id = :t AND r.created_at >= :since90""",
    "learning": SUBTREE
    + """
SELECT count(*) FILTER (WHERE i.status = 'planned'), count(*) FILTER (WHERE i.status = 'in_progress'),
       count(*) FILTER (WHERE i.status = 'completed'),
       count(*) FILTER (WHERE i.status IN ('planned', 'in_progress') AND i.due_date < :today),
       sum(i.hours) FILTER (WHERE i.status <> 'dropped'), sum(i.hours) FILTER (WHERE i.status = 'completed')
FROM learning_items i JOIN learning_plans l ON l.id = i.plan_id AND l.tenant_id = i.tenant_id
JOIN people p ON p.id = l.owner_id
WHERE i.tenant_id = :t AND l.status <> 'archived'""",
    "mentoring": SUBTREE
    + """
SELECT (SELECT count(DISTINCT m.mentee_id) FROM mentorships m JOIN people p ON p.id = m.mentee_id
        WHERE m.tenant_id = :t AND m.status = 'active'),
       (SELECT count(*) FROM mentoring_requests r JOIN people p ON p.id = r.mentee_id
        WHERE r.tenant_id = :t AND r.status = 'open'),
       (SELECT count(*) FROM mentor_profiles f JOIN people p ON p.id = f.user_id
        WHERE f.tenant_id = :t AND f.is_open),
       (SELECT sum(f.capacity) FROM mentor_profiles f JOIN people p ON p.id = f.user_id
        WHERE f.tenant_id = :t AND f.is_open)""",
    "by_report": """
WITH RECURSIVE sub(id, branch, depth) AS (
    SELECT id, id, 1 FROM users WHERE tenant_id = :t AND manager_id = :m
    UNION ALL
    SELECT u.id, sub.branch, sub.depth + 1 FROM users u JOIN sub ON u.manager_id = sub.id
    WHERE u.tenant_id = :t AND sub.depth < 64
)
SELECT sub.branch, count(DISTINCT u.id), count(g.id) FILTER (WHERE g.status = 'active'),
       avg(g.progress) FILTER (WHERE g.status = 'active')
FROM sub JOIN users u ON u.id = sub.id AND u.tenant_id = :t AND u.is_active
LEFT JOIN goals g ON g.owner_id = u.id AND g.tenant_id = :t
     AND g.visibility <> 'private' AND g.archived_at IS NULL
GROUP BY sub.branch""",
}


def managers(tenant_id: uuid.UUID) -> list[uuid.UUID]:
    """Active people with at least one active report, in a stable order."""
    import sqlalchemy as sa

    from tandem.core.db import db

    return list(
        db.session.scalars(
            sa.text(
                "SELECT DISTINCT m.id FROM users m JOIN users r ON r.manager_id = m.id "
                "AND r.tenant_id = m.tenant_id AND r.is_active "
                "WHERE m.tenant_id = :t AND m.is_active ORDER BY m.id"
            ),
            {"t": tenant_id},
        )
    )


def naive(tenant_id: uuid.UUID, sample: list[uuid.UUID]) -> tuple[list[float], int]:
    """One query set per manager: the SQL a dashboard built on its own would run."""
    import sqlalchemy as sa

    from tandem.core import tenancy
    from tandem.core.db import db, utcnow

    now = utcnow()
    from datetime import timedelta

    params = {
        "t": tenant_id,
        "now": now,
        "today": now.date(),
        "day30": now.date() - timedelta(days=30),
        "since30": now - timedelta(days=30),
        "since84": now - timedelta(weeks=12),
        "since90": now - timedelta(days=90),
    }
    statements = {name: sa.text(sql) for name, sql in NAIVE.items()}
    per_manager = []
    # Bound like any request: row-level security shows the app's role no rows otherwise.
    with tenancy.tenant_scope(tenant_id), db.engine.connect() as conn:
        conn.execute(sa.text("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY"))
        for manager_id in sample:
            started = time.perf_counter()
            for statement in statements.values():
                conn.execute(statement, {**params, "m": manager_id}).all()
            per_manager.append(time.perf_counter() - started)
        conn.rollback()
    return per_manager, len(statements)


# --------------------------------------------------------------------------- serving


def serve(app: Any, engine: Any, token: str, paths: list[str], warmup: int = 5) -> dict[str, Any]:
    client = app.test_client()
    headers = {"Authorization": f"Bearer {token}"}
    for path in paths[:warmup]:
        assert client.get(path, headers=headers).status_code == 200
    client_times, counts, sizes = [], [], []
    with request_log() as log:
        for path in paths:
            response, elapsed, statements = timed_get(client, engine, path, headers=headers)
            assert response.status_code == 200, (
                path,
                response.status_code,
                response.get_data(as_text=True)[:300],
            )
            client_times.append(elapsed)
            counts.append(statements)
            sizes.append(len(response.get_data()))
    return {"server": log.durations, "client": client_times, "statements": counts, "bytes": sizes}


def serving_line(label: str, found: dict[str, Any]) -> str:
    server = found["server"] or [float("nan")]
    return (
        f"  {label:<34}: server median {statistics.median(server):5.1f} ms, p95 {pct(server, 0.95):5.1f} ms, "
        f"max {max(server):5.1f} ms (client {statistics.median(found['client']):5.1f} ms); "
        f"{min(found['statements'])}-{max(found['statements'])} SQL statements; "
        f"{statistics.median(found['bytes']) / 1024:.0f} KiB  [n={len(server)}]  "
        f"target < {TARGET_SERVE_MS:.0f} ms"
    )


# --------------------------------------------------------------------------- main


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--employees", type=int, default=20_000, help="size of a new synthetic tenant")
    parser.add_argument(
        "--reuse", metavar="URL", help="a database already seeded (nothing is seeded or dropped)"
    )
    parser.add_argument("--tenant", default="synth", help="the synthetic organisation's slug")
    parser.add_argument("--redis", default="redis://127.0.0.1:6379/9", help="a private, empty Redis database")
    parser.add_argument("--repeat", type=int, default=3, help="in-process builds (median)")
    parser.add_argument("--sample", type=int, default=200, help="managers in the naive baseline's sample")
    parser.add_argument("--requests", type=int, default=50, help="API requests per serving case")
    parser.add_argument("--no-worker", action="store_true", help="skip the Redis worker runs")
    parser.add_argument("--worker-runs", type=int, default=3, help="builds by a fresh burst worker (median)")
    parser.add_argument("--detail", action="store_true", help="in-process time per function too")
    parser.add_argument("--build-only", action="store_true", help="skip the naive baseline and serving")
    args = parser.parse_args()

    from tandem.core.db import db
    from tandem.people import accounts

    print(f"dashboards benchmark on PostgreSQL  ({load_average()}, {os.cpu_count()} CPUs)")
    with reused_or_scratch(args.reuse, "dashboards") as url, tempfile.TemporaryDirectory() as tmp_name:
        tmp = Path(tmp_name)
        app = bench_app(url, tmp)
        with app.app_context():
            seeded = None if args.reuse else seed_synthetic(app, args.tenant, args.employees)
            tenant = accounts.tenant_by_slug(args.tenant)
            if tenant is None:
                raise SystemExit(f"no organisation {args.tenant!r} in {url}")
            tenant_id = tenant.id
            db.session.rollback()
            vacuum_analyze(url)
            counts = row_counts(tenant_id)
            db.session.rollback()
            where = (
                f"seeded {counts['users']:,} people (seed {SEED}) in {seeded:.1f} s"
                if seeded
                else (f"reused {url.rsplit('/', 1)[-1]}")
            )
            print(f"tenant {args.tenant}: {where}; VACUUM ANALYZE done (this server's autovacuum may be off)")
            print("  rows: " + ", ".join(f"{name} {n:,}" for name, n in counts.items() if n))
            print(
                f"  the issue's shape: employees {counts['users']:,} (20,000), goals {counts['goals']:,} "
                f"(~100,000), check-ins {counts['goal_checkins']:,} (~500,000), learning items "
                f"{counts['learning_items']:,} (~200,000)"
            )
            worker = None if args.no_worker else run_worker(app_role_url(url), args, tenant_id, tmp)
            builds = [in_process_build(tenant_id) for _ in range(args.repeat)]
            baseline = served = None
            if not args.build_only:
                baseline = naive_baseline(tenant_id, args.sample)
                served = serving(app, tenant_id, args.requests)

    ok = report_build(args, worker, builds)
    if baseline is not None:
        reference = (
            statistics.median(w["job_s"] for w in worker)
            if worker
            else statistics.median(b[0] for b in builds)
        )
        report_naive(baseline, reference)
    if served is not None:
        ok = report_serving(served) and ok
    print(f"\n({load_average()} at the end)")
    print("RESULT:", "meets the targets" if ok else "MISSES a target")


def vacuum_analyze(url: str) -> None:
    """Statistics and visibility maps as a database that has been running has them (bulk-loaded
    tables have neither until autovacuum passes, and some servers run without it)."""
    import psycopg

    with psycopg.connect(url.replace("postgresql+psycopg://", "postgresql://"), autocommit=True) as conn:
        conn.execute("VACUUM ANALYZE")


def run_worker(url: str, args: argparse.Namespace, tenant_id: uuid.UUID, tmp: Path) -> list[dict[str, Any]]:
    """`--worker-runs` builds, each queued by the CLI and run by a fresh burst worker."""
    from tandem.core import tenancy
    from tandem.core.db import db

    runs = []
    for _ in range(args.worker_runs):
        with private_redis(args.redis):
            worker = worker_build(url, args.redis, args.tenant, tmp)
        with tenancy.tenant_scope(tenant_id):
            run = job_row(worker["run_id"])
            if run.status != "done":
                raise SystemExit(f"worker build {run.status}: {run.error}\n{worker['log']}")
            worker["job_s"] = (run.finished_at - run.started_at).total_seconds()
            worker["snapshots"] = run.result["snapshots"]
            db.session.rollback()
        runs.append(worker)
    return runs


def naive_baseline(tenant_id: uuid.UUID, size: int) -> dict[str, Any]:
    from tandem.core import tenancy
    from tandem.core.db import db

    with tenancy.tenant_scope(tenant_id):
        everyone = managers(tenant_id)
        db.session.rollback()
    sample = random.Random(SEED).sample(everyone, min(size, len(everyone)))
    started = time.perf_counter()
    per_manager, statements = naive(tenant_id, sample)
    return {
        "managers": len(everyone),
        "sample": len(sample),
        "sample_s": time.perf_counter() - started,
        "per_manager": per_manager,
        "statements": statements,
    }


def serving(app: Any, tenant_id: uuid.UUID, requests: int) -> dict[str, dict[str, Any]]:
    """Tokens for the HR admin, the top manager and ten managers; the same random managers'
    dashboards for each case."""
    import sqlalchemy as sa

    from tandem.core import tenancy, unit_of_work
    from tandem.core.auth import HR_ADMIN
    from tandem.core.db import db
    from tandem.people import accounts
    from tandem.people.models import User

    with tenancy.tenant_scope(tenant_id):
        everyone = managers(tenant_id)
        hr = db.session.scalar(
            sa.select(User).where(User.role == HR_ADMIN, User.is_active.is_(True)).order_by(User.created_at)
        )
        root = db.session.scalar(
            sa.select(User)
            .where(User.manager_id.is_(None), User.is_active.is_(True), User.id.in_(everyone))
            .order_by(User.created_at)
        )
        rng = random.Random(SEED + 1)
        picked = rng.sample(everyone, min(requests, len(everyone)))
        hr_token = accounts.create_token(hr, "dashboards benchmark")[1]
        root_token = accounts.create_token(root, "dashboards benchmark")[1]
        own = [accounts.create_token(db.session.get(User, m), "dashboards benchmark")[1] for m in picked[:10]]
        root_id = root.id
        unit_of_work.commit()
    engine = db.engine
    served = {
        "HR admin: /managers/<id>": serve(
            app, engine, hr_token, [f"/api/v1/dashboards/managers/{m}" for m in picked]
        ),
        "HR admin: /tenant": serve(app, engine, hr_token, ["/api/v1/dashboards/tenant"] * requests),
        "top manager: /managers/<id> below": serve(
            app, engine, root_token, [f"/api/v1/dashboards/managers/{m}" for m in picked if m != root_id]
        ),
    }
    me: dict[str, list[float]] = {"server": [], "client": [], "statements": [], "bytes": []}
    for token in own:
        found = serve(app, engine, token, ["/api/v1/dashboards/me"] * 5, warmup=1)
        for key in me:
            me[key] += found[key]
    served["manager: /me (10 managers x 5)"] = me
    return served


def report_build(args: argparse.Namespace, worker: dict[str, Any] | None, builds: list[Any]) -> bool:
    snapshots = builds[-1][3][1]["snapshots"]
    print(
        f"\nbuild: every dashboard of {args.tenant} ({snapshots:,} snapshots: the organisation, "
        "each manager, each team)"
    )
    ok = True
    if worker:
        jobs = [w["job_s"] for w in worker]
        job_s = statistics.median(jobs)
        peak_mb = max(w["peak_mb"] for w in worker)
        fits_time, fits_memory = job_s <= TARGET_BUILD_S, peak_mb < TARGET_RSS_MB
        ok = fits_time and fits_memory
        print(
            f"  one RQ worker (`tandem worker reports --burst`), {len(worker)} runs: job started_at -> "
            f"finished_at median {job_s:6.2f} s   target <= {TARGET_BUILD_S:.0f} s   "
            f"{'ok' if fits_time else 'MISSED'}   (runs: {', '.join(f'{j:.2f}' for j in jobs)} s)"
        )
        print(
            "    worker process wall (start-up, imports, job, exit): median "
            f"{statistics.median(w['process_wall'] for w in worker):6.2f} s"
        )
        print(
            f"    peak RSS of the worker (largest process of its tree: the work horse), max of the runs "
            f"{peak_mb:6.0f} MB   target < {TARGET_RSS_MB:.0f} MB   {'ok' if fits_memory else 'MISSED'}"
        )
    totals = [b[0] for b in builds]
    print(
        f"  in-process job (same code, no Redis), {len(builds)} runs: "
        f"median {statistics.median(totals):6.2f} s "
        f"(runs: {', '.join(f'{t:.2f}' for t in totals)} s)"
    )
    phases = [b[1] for b in builds]
    for name in sorted(
        {k for t in phases for k in t},
        key=lambda k: (k == MEANWHILE, -statistics.median(t.get(k, 0.0) for t in phases)),
    ):
        print(f"    {name:<40} {statistics.median(t.get(name, 0.0) for t in phases):6.2f} s")
    if args.detail:
        details = [b[2] for b in builds]
        print("    by function (median):")
        for key in sorted(
            {k for d in details for k in d}, key=lambda k: -statistics.median(d.get(k, 0.0) for d in details)
        ):
            print(f"      {key:<46} {statistics.median(d.get(key, 0.0) for d in details):6.3f} s")
    return ok


def report_naive(baseline: dict[str, Any], reference: float) -> None:
    per_manager = baseline["per_manager"]
    mean = statistics.mean(per_manager)
    extrapolated = mean * baseline["managers"]
    print(
        f"\nnaive baseline: {baseline['statements']} queries per manager "
        "(recursive subtree CTE + aggregates), "
        f"{baseline['sample']} random managers of {baseline['managers']:,}"
    )
    print(f"  sample measured   : {baseline['sample_s']:8.2f} s")
    print(
        f"  per manager       : mean {mean * 1000:6.1f} ms, "
        f"median {statistics.median(per_manager) * 1000:6.1f} ms, "
        f"max {max(per_manager) * 1000:6.1f} ms"
    )
    print(
        f"  extrapolated total: {extrapolated:8.1f} s for {baseline['managers']:,} managers "
        "(mean x managers; SQL only: no payloads, no team or organisation dashboards)"
    )
    print(f"  ratio naive / set-based build ({reference:.2f} s): {extrapolated / reference:5.1f}x")


def report_serving(served: dict[str, dict[str, Any]]) -> bool:
    print("\nserving stored dashboards (Flask test client, bearer token; server = the app's request log)")
    ok = True
    for label, found in served.items():
        print(serving_line(label, found))
        ok = ok and pct(found["server"], 0.95) < TARGET_SERVE_MS
    return ok


if __name__ == "__main__":
    main()
