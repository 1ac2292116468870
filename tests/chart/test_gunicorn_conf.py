"""gunicorn.conf.py: settings from the environment, JSON logs, Prometheus multiprocess clean-up."""

from __future__ import annotations

import json
import os
import runpy
import socket
import subprocess
import sys
import time
import urllib.request
from types import SimpleNamespace

import pytest

GUNICORN_VARS = [
    "GUNICORN_BIND", "GUNICORN_WORKERS", "GUNICORN_THREADS", "GUNICORN_WORKER_CLASS", "GUNICORN_TIMEOUT",
    "GUNICORN_GRACEFUL_TIMEOUT", "GUNICORN_KEEPALIVE", "GUNICORN_MAX_REQUESTS",
    "GUNICORN_MAX_REQUESTS_JITTER", "GUNICORN_CONTROL_SOCKET", "GUNICORN_ACCESS_LOG_SKIP",
    "FORWARDED_ALLOW_IPS", "LOG_LEVEL", "PROMETHEUS_MULTIPROC_DIR",
]

APP = '''
def app(environ, start_response):
    start_response("200 OK", [("Content-Type", "text/plain")])
    return [b"ok"]
'''


@pytest.fixture
def load_conf(k8s, monkeypatch):
    """Execute gunicorn.conf.py as gunicorn does, with the given environment, and return its names."""
    def load(**env: str) -> SimpleNamespace:
        for name in GUNICORN_VARS:
            monkeypatch.delenv(name, raising=False)
        for name, value in env.items():
            monkeypatch.setenv(name, value)
        return SimpleNamespace(**runpy.run_path(str(k8s.REPO / "gunicorn.conf.py")))
    return load


def test_defaults(load_conf):
    conf = load_conf()
    assert conf.bind == ["0.0.0.0:8000"]
    assert 1 <= conf.workers <= 8
    assert (conf.threads, conf.worker_class) == (4, "gthread")
    assert (conf.timeout, conf.graceful_timeout, conf.keepalive) == (30, 25, 75)
    assert conf.forwarded_allow_ips == "127.0.0.1,::1"
    assert conf.accesslog == "-" and conf.errorlog == "-"
    assert conf.control_socket_disable is True
    assert conf.logger_class.__name__ == "JsonLogger"


def test_environment_overrides(load_conf):
    conf = load_conf(GUNICORN_BIND="127.0.0.1:9000", GUNICORN_WORKERS="5", GUNICORN_THREADS="1",
                     GUNICORN_TIMEOUT="60", FORWARDED_ALLOW_IPS="10.0.0.0/8", LOG_LEVEL="WARNING",
                     GUNICORN_CONTROL_SOCKET="/tmp/gunicorn.ctl")
    assert conf.bind == ["127.0.0.1:9000"]
    assert (conf.workers, conf.threads, conf.worker_class, conf.timeout) == (5, 1, "sync", 60)
    assert conf.forwarded_allow_ips == "10.0.0.0/8"
    assert conf.loglevel == "warning"
    assert conf.control_socket_disable is False and conf.control_socket == "/tmp/gunicorn.ctl"


def test_a_bad_number_names_the_variable(load_conf):
    with pytest.raises(ValueError, match="GUNICORN_WORKERS must be an integer"):
        load_conf(GUNICORN_WORKERS="many")


def test_loading_needs_no_app_configuration(k8s):
    """No SECRET_KEY, no DATABASE_URL: the config must load and must not import the app."""
    code = (
        "import runpy, sys; runpy.run_path(sys.argv[1]); "
        "sys.exit(any(m == 'tandem' or m.startswith('tandem.') for m in sys.modules))"
    )
    env = {"PATH": os.environ.get("PATH", ""), "HOME": "/nonexistent"}
    result = subprocess.run([sys.executable, "-c", code, str(k8s.REPO / "gunicorn.conf.py")],
                            env=env, capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr or "gunicorn.conf.py imported tandem"


def test_child_exit_marks_the_process_dead(load_conf, tmp_path):
    conf = load_conf(PROMETHEUS_MULTIPROC_DIR=str(tmp_path))
    for name in ("gauge_livesum_4242.db", "gauge_liveall_4242.db", "counter_4242.db", "gauge_livesum_7.db"):
        (tmp_path / name).write_bytes(b"")
    conf.child_exit(None, SimpleNamespace(pid=4242))
    # Live gauges of the dead worker go; its counters stay (they keep counting in the total).
    assert sorted(p.name for p in tmp_path.iterdir()) == ["counter_4242.db", "gauge_livesum_7.db"]


def test_child_exit_without_multiprocess_mode_is_a_no_op(load_conf):
    load_conf().child_exit(None, SimpleNamespace(pid=1))


def test_on_starting_clears_files_of_a_previous_run(load_conf, tmp_path):
    directory = tmp_path / "multiproc"
    directory.mkdir()
    (directory / "counter_99.db").write_bytes(b"")
    (directory / "keep.txt").write_text("not ours")
    load_conf(PROMETHEUS_MULTIPROC_DIR=str(directory)).on_starting(None)
    assert [p.name for p in directory.iterdir()] == ["keep.txt"]


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _get(url: str, user_agent: str) -> None:
    request = urllib.request.Request(url, headers={"User-Agent": user_agent})
    with urllib.request.urlopen(request, timeout=5) as response:
        assert response.status == 200


def test_gunicorn_serves_and_logs_json(k8s, tmp_path):
    """Run the real gunicorn with this config: every log line is JSON, probes stay out of the access log."""
    (tmp_path / "tinyapp.py").write_text(APP)
    port = _free_port()
    env = {k: v for k, v in os.environ.items() if k not in GUNICORN_VARS}
    env.update(GUNICORN_BIND=f"127.0.0.1:{port}", GUNICORN_WORKERS="1",
               PROMETHEUS_MULTIPROC_DIR=str(tmp_path / "prom"))
    gunicorn = os.path.join(os.path.dirname(sys.executable), "gunicorn")
    process = subprocess.Popen(
        [gunicorn, "-c", str(k8s.REPO / "gunicorn.conf.py"), "tinyapp:app"],
        cwd=tmp_path, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )
    try:
        deadline = time.monotonic() + 20
        while True:
            try:
                _get(f"http://127.0.0.1:{port}/healthz", "kube-probe/1.30")
                break
            except OSError:
                if time.monotonic() > deadline or process.poll() is not None:
                    raise
                time.sleep(0.1)
        _get(f"http://127.0.0.1:{port}/goals?page=2", 'Mozilla "quoted" agent')
    finally:
        process.terminate()
        stdout, stderr = process.communicate(timeout=30)
    access = [json.loads(line) for line in stdout.splitlines()]
    logged = [(a["method"], a["path"], a["query"], a["status"]) for a in access]
    assert logged == [("GET", "/goals", "page=2", 200)]
    assert access[0]["user_agent"] == 'Mozilla "quoted" agent'
    assert access[0]["duration_ms"] >= 0
    errors = [json.loads(line) for line in stderr.splitlines()]
    assert any("Listening at" in e["message"] for e in errors)
    assert {e["logger"] for e in errors} == {"gunicorn.error"}
    assert (tmp_path / "prom").is_dir(), "on_starting prepares the multiprocess directory"
