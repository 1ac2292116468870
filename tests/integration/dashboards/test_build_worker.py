"""Dashboard builds end to end: requested through the API, enqueued on the real Redis and run by
a real `tandem worker` process against the real PostgreSQL. Two refreshes at once build once; a
worker killed in the middle of a build loses nothing (the build is picked up again and finishes
under the same id); a build that fails is retried, then says why, and the dashboards it would
have replaced are still served exactly as they were."""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import psycopg
import pytest
from redis import Redis

pytestmark = [pytest.mark.committed, pytest.mark.redis]
TANDEM = str(Path(sys.executable).parent / "tandem")
BUILDS = "/api/v1/dashboards/builds"
TODAY = date.today()


@pytest.fixture
def redis_app_settings() -> dict[str, Any]:
    """A failed job is retried once, at once (JOB_RETRY_DELAYS=0)."""
    return {"job_retry_delays": (0,)}


@pytest.fixture
def pg(owner_database_url):
    """A plain autocommit connection to the test database as its owner, outside the app (and its
    row-level security), to look and to lock."""
    with psycopg.connect(plain(owner_database_url), autocommit=True) as conn:
        yield conn


def plain(database_url: str) -> str:
    return database_url.replace("postgresql+psycopg://", "postgresql://")


@pytest.fixture
def burst(run_worker: Any) -> Any:
    """`burst()`: `tandem worker reports --burst` has run what is queued, then stopped."""

    def run() -> subprocess.CompletedProcess[str]:
        worker = run_worker("reports")
        assert worker.returncode == 0, worker.stderr
        return worker

    return run


def wait_for(predicate: Any, what: str, timeout: float = 60.0) -> Any:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(0.05)
    raise AssertionError(f"timed out after {timeout} s waiting for {what}")


class Client:
    """The Redis-backed app's test client acting as one person."""

    def __init__(self, application: Any, person: Any) -> None:
        self.client, self.headers = application.test_client(), {"Authorization": f"Bearer {person.token}"}

    def get(self, url: str) -> Any:
        return self.client.get(url, headers=self.headers)

    def post(self, url: str, json: Any = None) -> Any:
        return self.client.post(url, headers=self.headers, json=json if json is not None else {})


def goal(title: str) -> dict[str, Any]:
    return {
        "title": title,
        "what": "The checkout API answers 95% of requests in under 200 ms",
        "measure_kind": "numeric",
        "metric_name": "p95 latency",
        "unit": "ms",
        "start_value": 400,
        "target_value": 200,
        "start_date": (TODAY - timedelta(days=10)).isoformat(),
        "due_date": (TODAY + timedelta(days=80)).isoformat(),
        "relevance_note": "Slow checkouts lose orders",
        "status": "active",
    }


def small_org(org: Any, redis_app: Any) -> dict[str, Any]:
    """Admin (HR, nobody reporting); Boss > Lead > Dev1, Dev2 and Boss > Ana; Dev1 and Ana each
    have an active goal. Snapshots: the organisation's, Boss's (4 people) and Lead's (2)."""
    boss = org.person("Boss")
    lead = org.person("Lead", manager=boss)
    dev1 = org.person("Dev One", manager=lead)
    dev2 = org.person("Dev Two", manager=lead)
    ana = org.person("Ana", manager=boss)
    for who, title in ((dev1, "Cut checkout latency"), (ana, "Cut search latency")):
        made = Client(redis_app, who).post("/api/v1/goals", goal(title))
        assert made.status_code == 201, made.json
    return {"boss": boss, "lead": lead, "dev1": dev1, "dev2": dev2, "ana": ana}


def build_of(client: Client, build_id: str) -> dict[str, Any]:
    response = client.get(f"{BUILDS}/{build_id}")
    assert response.status_code == 200, response.json
    return response.json


def snapshot_rows(pg: Any, tenant_id: uuid.UUID) -> list[tuple[Any, ...]]:
    return pg.execute(
        "SELECT scope, subject_id, build_id, built_at, source, payload FROM dashboard_snapshots"
        " WHERE tenant_id = %s ORDER BY scope, subject_id",
        (tenant_id,),
    ).fetchall()


def children(pid: int) -> list[int]:
    """The processes whose parent is `pid` (from /proc)."""
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue  # gone meanwhile
            if int(stat.rpartition(")")[2].split()[1]) == pid:
                found.append(int(entry.name))
    return found


def kill_worker(worker: subprocess.Popen[bytes]) -> None:
    """SIGKILL the worker and its work horse, as when its machine or container dies. (RQ puts the
    horse in a process group of its own, so killing the worker's group alone leaves it running.)"""
    for pid in children(worker.pid):
        with contextlib.suppress(ProcessLookupError):  # a horse killed already (or just finished)
            os.kill(pid, signal.SIGKILL)
    os.killpg(worker.pid, signal.SIGKILL)
    worker.wait(timeout=10)


def lease_held(pg: Any, run_id: str) -> bool:
    """Whether the advisory lock a running job's worker holds (core.jobs._lease) is taken."""
    key = int.from_bytes(uuid.UUID(run_id).bytes[:8], "big")  # the bigint key, as unsigned
    row = pg.execute(
        "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND granted"
        " AND database = (SELECT oid FROM pg_database WHERE datname = current_database())"
        " AND classid = %s AND objid = %s AND objsubid = 1",
        (key >> 32, key & 0xFFFFFFFF),
    ).fetchone()
    return bool(row[0])


def test_two_refreshes_build_once_on_a_real_worker(redis_app, org, other_org, pg, burst, redis_url):
    people = small_org(org, redis_app)
    boss, hr = Client(redis_app, people["boss"]), Client(redis_app, org.admin)
    assert boss.get("/api/v1/dashboards/me").status_code == 404  # nothing built yet

    first = boss.post(BUILDS)
    second = hr.post(BUILDS)
    assert first.status_code == 202 and second.status_code == 202, (first.json, second.json)
    build_id = first.json["id"]
    assert second.json["id"] == build_id  # one build serves both refreshes
    assert first.json["status"] == second.json["status"] == "queued"  # not inline: no worker yet
    assert first.json["attempts"] == 0
    # Someone with nobody reporting to them cannot ask for a build (and starts none).
    assert Client(redis_app, people["dev1"]).post(BUILDS).status_code == 403
    queue = Redis.from_url(redis_url).lrange("rq:queue:reports", 0, -1)
    assert queue == [f"tandem-{build_id}".encode()]  # handed to Redis exactly once

    worker = burst()

    build = build_of(hr, build_id)
    assert build["status"] == "done" and build["progress"] == 100 and build["attempts"] == 1, build
    assert build["error"] is None and build["finished_at"] is not None
    assert build["result"]["snapshots"] == 3, (build, worker.stderr)  # organisation, Boss, Lead
    rows = snapshot_rows(pg, org.tenant_id)
    assert len(rows) == 3 and {str(r[2]) for r in rows} == {build_id}

    mine = boss.get("/api/v1/dashboards/me")
    assert mine.status_code == 200, mine.json
    assert mine.json["build_id"] == build_id
    assert mine.json["people"]["headcount"] == 4  # Lead, Dev One, Dev Two, Ana (not Boss)
    assert mine.json["goals"]["by_status"]["active"] == 2
    assert mine.json["people"]["without_active_goal"] == 2
    lead = boss.get(f"/api/v1/dashboards/managers/{people['lead'].id}")
    assert lead.status_code == 200 and lead.json["people"]["headcount"] == 2
    assert hr.get(f"{BUILDS}/latest").json["id"] == build_id

    # Another organisation cannot even see that the build exists.
    outsider = Client(redis_app, other_org.admin)
    assert outsider.get(f"{BUILDS}/{build_id}").status_code == 404
    assert outsider.get(f"/api/v1/jobs/{build_id}").status_code == 404
    assert outsider.get(f"{BUILDS}/latest").status_code == 404


@contextmanager
def blocked_mid_build(
    worker_env: dict[str, str], hr: Client, build_id: str, pg: Any, tmp_path: Path
) -> Iterator[tuple[subprocess.Popen[bytes], psycopg.Connection[Any], int]]:
    """A real `tandem worker reports` (not burst) whose build has done all its reading and waits at
    its first write, because the snapshot table is locked. Yields (worker, the lock's connection,
    the work horse's pid); on the way out kills whatever still runs and releases the lock."""
    blocker = psycopg.connect(plain(worker_env["DATABASE_URL"]))
    blocker.execute("LOCK TABLE dashboard_snapshots IN ACCESS EXCLUSIVE MODE")
    out, err = (tmp_path / "worker.out").open("w"), (tmp_path / "worker.err").open("w")
    worker = subprocess.Popen(
        [TANDEM, "worker", "reports"],
        env=worker_env,
        stdout=out,
        stderr=err,
        start_new_session=True,
    )
    try:

        def reading_done() -> bool:
            if worker.poll() is not None:
                raise AssertionError(f"the worker stopped early: {(tmp_path / 'worker.err').read_text()}")
            build = build_of(hr, build_id)
            return build["status"] == "running" and build["progress"] >= 80

        wait_for(reading_done, "the build to finish reading (running, progress >= 80)")
        wait_for(
            lambda: pg.execute(
                "SELECT count(*) FROM pg_locks WHERE relation = 'dashboard_snapshots'::regclass"
                " AND NOT granted"
            ).fetchone()[0],
            "the build to wait for the locked snapshot table",
        )
        assert lease_held(pg, build_id)  # its worker is alive and holds the build's lease
        horses = [pid for pid in children(worker.pid) if os.getpgid(pid) != worker.pid]
        assert len(horses) == 1, horses  # the build runs in a forked work horse
        yield worker, blocker, horses[0]
    finally:
        if worker.poll() is None:
            kill_worker(worker)
        out.close()
        err.close()
        blocker.rollback()  # a killed build's waiting statement then runs into a closed socket
        blocker.close()


def snapshot_count(conn: Any, tenant_id: uuid.UUID) -> int:
    return conn.execute(
        "SELECT count(*) FROM dashboard_snapshots WHERE tenant_id = %s", (tenant_id,)
    ).fetchone()[0]


@pytest.mark.parametrize("picked_up_by", ["next worker start", "next refresh"])
def test_a_worker_killed_mid_build_loses_nothing(
    picked_up_by, redis_app, org, pg, burst, worker_env, tmp_path
):
    people = small_org(org, redis_app)
    boss, hr = Client(redis_app, people["boss"]), Client(redis_app, org.admin)
    build_id = boss.post(BUILDS).json["id"]

    with blocked_mid_build(worker_env, hr, build_id, pg, tmp_path) as (worker, blocker, _):
        kill_worker(worker)  # the worker and its work horse, as when the machine dies
        # The lease dies with the worker's connection: the build is now visibly orphaned.
        wait_for(lambda: not lease_held(pg, build_id), "the killed worker's lease to be released")
        orphan = build_of(hr, build_id)
        assert orphan["status"] == "running" and orphan["attempts"] == 1, orphan
        assert snapshot_count(blocker, org.tenant_id) == 0  # it wrote nothing

    if picked_up_by == "next refresh":
        # A refresh while the orphan still says "running" hands the same build out again.
        again = boss.post(BUILDS)
        assert again.status_code == 202, again.json
        assert again.json["id"] == build_id and again.json["status"] == "queued", again.json
        assert again.json["error"] == "Its worker stopped mid-run; picked up again"
    restarted = burst()
    if picked_up_by == "next worker start":
        assert "Queued again 1 job(s) whose worker had stopped mid-run" in restarted.stdout, restarted

    build = build_of(hr, build_id)
    assert build["status"] == "done" and build["progress"] == 100 and build["attempts"] == 2, (
        build,
        restarted.stderr,
    )
    assert build["error"] is None and build["result"]["snapshots"] == 3
    rows = snapshot_rows(pg, org.tenant_id)
    assert len(rows) == 3 and {str(r[2]) for r in rows} == {build_id}  # built once, under its id
    mine = boss.get("/api/v1/dashboards/me")
    assert mine.status_code == 200 and mine.json["build_id"] == build_id
    assert mine.json["people"]["headcount"] == 4


def test_a_work_horse_killed_alone_mid_build_loses_nothing(
    redis_app, app_with, org, pg, worker_env, redis_url, tmp_path
):
    """Only the forked work horse dies (RQ's job timeout kills it so, and so may the OOM killer):
    its lease must go with it, so that the next refresh picks the build up again at once."""
    no_retry = app_with(redis_url=redis_url, job_retry_delays=())
    people = small_org(org, redis_app)
    boss, hr = Client(no_retry, people["boss"]), Client(no_retry, org.admin)
    build_id = boss.post(BUILDS).json["id"]

    with blocked_mid_build(worker_env, hr, build_id, pg, tmp_path) as (worker, blocker, horse):
        os.kill(horse, signal.SIGKILL)
        rq_job = f"rq:job:tandem-{build_id}"
        wait_for(
            lambda: Redis.from_url(redis_url).hget(rq_job, "status") == b"failed",
            "the worker to see its work horse die",
        )
        assert worker.poll() is None  # the worker itself lives on
        wait_for(lambda: not lease_held(pg, build_id), "the dead horse's lease to be released", 10)
        assert build_of(hr, build_id)["status"] == "running"  # nobody could mark it
        again = boss.post(BUILDS)  # a refresh hands it out again
        assert again.json["id"] == build_id and again.json["status"] == "queued", again.json
        assert snapshot_count(blocker, org.tenant_id) == 0
        blocker.rollback()  # the same, still running worker now builds it
        wait_for(lambda: build_of(hr, build_id)["status"] == "done", "the build to be done again")

    build = build_of(hr, build_id)
    assert build["attempts"] == 2 and build["result"]["snapshots"] == 3, build
    assert {str(r[2]) for r in snapshot_rows(pg, org.tenant_id)} == {build_id}


def test_a_failed_build_is_retried_says_why_and_loses_nothing(redis_app, app, org, pg, burst):
    people = small_org(org, redis_app)
    boss, hr = Client(redis_app, people["boss"]), Client(redis_app, org.admin)
    # An earlier good build, run inline by the app without Redis (the worker is tested above).
    good_id = Client(app, org.admin).post(BUILDS).json["id"]
    assert build_of(hr, good_id)["status"] == "done"
    before_rows = snapshot_rows(pg, org.tenant_id)
    before = boss.get("/api/v1/dashboards/me").json
    assert before["build_id"] == good_id and len(before_rows) == 3

    pg.execute("SET lock_timeout = '5s'")
    pg.execute("ALTER TABLE learning_items RENAME TO learning_items_gone")
    try:
        failing = hr.post(BUILDS)
        assert failing.status_code == 202 and failing.json["id"] != good_id  # the last one is done
        failing_id = failing.json["id"]
        worker = burst()
    finally:
        pg.execute("ALTER TABLE IF EXISTS learning_items_gone RENAME TO learning_items")
    assert pg.execute("SELECT to_regclass('learning_items') IS NOT NULL").fetchone()[0]

    build = build_of(hr, failing_id)
    assert build["status"] == "failed" and build["attempts"] == 2, (build, worker.stderr)  # retried once
    assert build["finished_at"] is not None and build["result"] is None
    error = build["error"]
    assert error.startswith("Database error: "), error
    assert 'relation "learning_items" does not exist' in error, error
    assert "SELECT" not in error.upper() and "will retry" not in error, error
    assert hr.get(f"{BUILDS}/latest").json["error"] == error

    # The failed build replaced nothing: the earlier dashboards are served exactly as they were.
    assert snapshot_rows(pg, org.tenant_id) == before_rows
    after = boss.get("/api/v1/dashboards/me")
    assert after.status_code == 200
    assert {k: v for k, v in after.json.items() if k != "age_seconds"} == {
        k: v for k, v in before.items() if k != "age_seconds"
    }
