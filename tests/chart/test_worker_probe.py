"""The worker probe in values.yaml tells a registered RQ worker from a missing one (against real Redis)."""

from __future__ import annotations

import os
import subprocess
import sys
import uuid
from urllib.parse import urlsplit, urlunsplit

import pytest
import yaml

# The suite's Redis (TEST_REDIS_URL), but a database of its own: the probe accepts any worker
# registered from this host, so workers other tests start must not answer for ours.
_SUITE_REDIS = urlsplit(os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/15"))
REDIS_URL = urlunsplit(_SUITE_REDIS._replace(path="/14"))

pytestmark = pytest.mark.redis


@pytest.fixture
def redis_conn():
    from redis import Redis
    from redis.exceptions import ConnectionError as RedisConnectionError

    conn = Redis.from_url(REDIS_URL, socket_connect_timeout=3)
    try:
        conn.ping()
    except RedisConnectionError as exc:
        pytest.fail(f"this test needs Redis at {REDIS_URL} (see STACK.md for how to start it): {exc}")
    yield conn
    conn.close()


def _probe_command(k8s, probe: str) -> list[str]:
    values = yaml.safe_load((k8s.CHART / "values.yaml").read_text())
    return values["workerDefaults"][probe]["exec"]["command"]


def _run(command: list[str]) -> subprocess.CompletedProcess[str]:
    assert command[0] == "python"
    env = dict(os.environ, REDIS_URL=REDIS_URL)
    return subprocess.run([sys.executable, *command[1:]], env=env, capture_output=True, text=True, timeout=60)


@pytest.mark.parametrize("probe", ["livenessProbe", "startupProbe"])
def test_probe_follows_worker_registration(k8s, redis_conn, probe):
    from rq import Worker

    command = _probe_command(k8s, probe)
    # Workers a crashed earlier run left behind would make the first check pass.
    for stale in Worker.all(connection=redis_conn):
        if stale.name.startswith("chart-probe-test-"):
            stale.register_death()
    worker = Worker(["default"], name=f"chart-probe-test-{uuid.uuid4().hex[:8]}", connection=redis_conn)
    assert _run(command).returncode == 1, "no worker registered from this host: the probe must fail"
    worker.register_birth()
    try:
        result = _run(command)
        assert result.returncode == 0, result.stderr
    finally:
        worker.register_death()
    assert _run(command).returncode == 1
