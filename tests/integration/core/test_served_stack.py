"""The stack as the chart runs it: gunicorn with the repository's config serving
tandem.wsgi:app on loopback, and `tandem worker` (the chart's worker command) running a job."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
import requests
from redis import Redis

pytestmark = [pytest.mark.committed, pytest.mark.redis]
BIN = Path(sys.executable).parent
REPO = Path(__file__).resolve().parents[3]


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def stack_env(database_url, redis_url, tmp_path, app):
    Redis.from_url(redis_url).flushdb()
    env = {k: v for k, v in os.environ.items() if not k.startswith("GUNICORN_")}
    env.update(
        DATABASE_URL=database_url,
        REDIS_URL=redis_url,
        TANDEM_ENV="production",
        SECRET_KEY="s" * 48,
        TANDEM_INSTANCE_DIR=str(tmp_path / "instance"),
        PROMETHEUS_MULTIPROC_DIR=str(tmp_path / "prom"),
        GUNICORN_WORKERS="2",
    )
    (tmp_path / "prom").mkdir()
    yield env
    Redis.from_url(redis_url).flushdb()


@pytest.fixture
def served(stack_env, tmp_path):
    port = _free_port()
    env = {**stack_env, "GUNICORN_BIND": f"127.0.0.1:{port}"}
    # Logs go to files: an unread pipe fills up and blocks the server.
    out, err = (tmp_path / "gunicorn.out").open("w"), (tmp_path / "gunicorn.err").open("w")
    server = subprocess.Popen(
        [str(BIN / "gunicorn"), "-c", str(REPO / "gunicorn.conf.py"), "tandem.wsgi:app"],
        env=env,
        stdout=out,
        stderr=err,
        text=True,
    )
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while True:
        try:
            if requests.get(f"{base}/readyz", timeout=10).status_code == 200:
                break
        except requests.RequestException:
            pass  # listening before its workers have booted
        if server.poll() is not None or time.monotonic() > deadline:
            server.kill()
            server.wait()
            raise AssertionError(
                f"gunicorn did not become ready:\n{(tmp_path / 'gunicorn.err').read_text()[-3000:]}"
            )
        time.sleep(0.2)
    yield base
    server.terminate()
    server.wait(timeout=30)
    out.close()
    err.close()


def test_gunicorn_and_a_worker_run_an_import_end_to_end(served, stack_env, make_org):
    org = make_org("stack")
    ready = requests.get(f"{served}/readyz", timeout=5).json()
    assert ready == {"status": "ready", "checks": {"database": "ok", "redis": "ok"}}

    auth = {"Authorization": f"Bearer {org.admin.token}"}
    csv = f"email,name,manager_email\nnew.hire@stack.test,New Hire,{org.admin.email}\n"
    accepted = requests.post(
        f"{served}/api/v1/people/import",
        headers=auth,
        timeout=10,
        files={"file": ("people.csv", csv)},
        data={"background": "true"},
    )
    assert accepted.status_code == 202, accepted.text
    assert accepted.headers["X-Request-ID"]

    worker = subprocess.run(
        [str(BIN / "tandem"), "worker", "imports", "--burst"],
        env=stack_env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert worker.returncode == 0, worker.stderr
    job = requests.get(f"{served}/api/v1/jobs/{accepted.json()['id']}", headers=auth, timeout=5).json()
    assert job["status"] == "done" and job["result"]["summary"]["create"] == 1

    metrics = requests.get(f"{served}/metrics", timeout=5).text
    assert 'endpoint="people.Import"' in metrics  # gathered across gunicorn's worker processes
    assert 'tandem_jobs{kind="people.import",queue="imports",status="done"} 1.0' in metrics
    assert "tandem_queue_depth" in metrics
