"""Gunicorn settings for serving tandem.wsgi:app, read from GUNICORN_* environment variables."""

from __future__ import annotations

import contextlib
import json
import logging
import os
import time
from pathlib import Path

from gunicorn import glogging

# Requests that only probes and Prometheus make: logging them would drown the real ones.
_QUIET_PATHS = frozenset(
    path.strip()
    for path in os.environ.get("GUNICORN_ACCESS_LOG_SKIP", "/healthz,/readyz,/metrics").split(",")
    if path.strip()
)


def _env_int(name: str, default: int) -> int:
    raw = os.environ.get(name, "").strip()
    if not raw:
        return default
    try:
        return int(raw)
    except ValueError:
        raise ValueError(f"{name} must be an integer, got {raw!r}") from None


def _available_cpus() -> float:
    """CPUs this container may use: the cgroup quota if any, else the CPUs it may run on."""
    try:
        quota, period = Path("/sys/fs/cgroup/cpu.max").read_text().split()[:2]
        if quota != "max":
            return max(int(quota) / int(period), 1.0)
    except (OSError, ValueError):
        pass
    try:
        return float(len(os.sched_getaffinity(0)))
    except AttributeError:
        return float(os.cpu_count() or 1)


def _default_workers() -> int:
    # The classic 2 x CPU + 1, capped: more processes mostly add memory and DB connections.
    return min(int(2 * _available_cpus()) + 1, 8)


def _default_worker_tmp_dir() -> str | None:
    # The heartbeat file is fchmod'ed on every loop: keep it on tmpfs, not on a disk-backed /tmp.
    shm = "/dev/shm"
    return shm if os.path.isdir(shm) and os.access(shm, os.W_OK) else None


class JsonFormatter(logging.Formatter):
    """One JSON object per line, with the fields a record carries in ``extra={"fields": {...}}``."""

    def format(self, record: logging.LogRecord) -> str:
        entry = {
            "ts": time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(record.created))
            + f".{int(record.msecs):03d}Z",
            "level": record.levelname.lower(),
            "logger": record.name,
            "message": record.getMessage(),
            "pid": record.process,
        }
        entry.update(getattr(record, "fields", {}))
        if record.exc_info:
            entry["exc_info"] = self.formatException(record.exc_info)
        return json.dumps(entry, default=str)


class JsonLogger(glogging.Logger):
    """Gunicorn's logger with JSON output for both the error log and the access log."""

    def setup(self, cfg):
        super().setup(cfg)
        formatter = JsonFormatter()
        for log in (self.error_log, self.access_log):
            for handler in log.handlers:
                handler.setFormatter(formatter)

    def access(self, resp, req, environ, request_time):
        if not self.access_log_enabled or environ.get("PATH_INFO") in _QUIET_PATHS:
            return
        status = resp.status
        if isinstance(status, str):
            status = status.split(None, 1)[0]
        with contextlib.suppress(TypeError, ValueError):
            status = int(status)
        fields = {
            "event": "access",
            "method": environ.get("REQUEST_METHOD"),
            "path": environ.get("PATH_INFO"),
            "query": environ.get("QUERY_STRING") or None,
            "status": status,
            "bytes": getattr(resp, "sent", None),
            "duration_ms": round(request_time.total_seconds() * 1000, 3),
            "remote_addr": environ.get("REMOTE_ADDR"),
            "forwarded_for": environ.get("HTTP_X_FORWARDED_FOR"),
            "user_agent": environ.get("HTTP_USER_AGENT"),
            "referer": environ.get("HTTP_REFERER"),
            "request_id": environ.get("HTTP_X_REQUEST_ID"),
            "protocol": environ.get("SERVER_PROTOCOL"),
        }
        self.access_log.info(
            "%s %s %s", fields["method"], fields["path"], status, extra={"fields": fields}
        )


# --- server socket and processes -------------------------------------------------------------
bind = [os.environ.get("GUNICORN_BIND", "0.0.0.0:8000")]
workers = _env_int("GUNICORN_WORKERS", _default_workers())
threads = _env_int("GUNICORN_THREADS", 4)
worker_class = os.environ.get("GUNICORN_WORKER_CLASS", "gthread" if threads > 1 else "sync")
worker_tmp_dir = os.environ.get("GUNICORN_WORKER_TMP_DIR") or _default_worker_tmp_dir()
# Recycling bounds slow memory growth; the jitter keeps workers from restarting together.
max_requests = _env_int("GUNICORN_MAX_REQUESTS", 1000)
max_requests_jitter = _env_int("GUNICORN_MAX_REQUESTS_JITTER", max(max_requests // 10, 0))

# --- timeouts ----------------------------------------------------------------------------------
timeout = _env_int("GUNICORN_TIMEOUT", 30)
graceful_timeout = _env_int("GUNICORN_GRACEFUL_TIMEOUT", 25)
# Above the load balancer's idle timeout (60 s for ingress-nginx and AWS ALB), so that the
# balancer, not gunicorn, closes idle connections: otherwise it may reuse one gunicorn just closed (502).
keepalive = _env_int("GUNICORN_KEEPALIVE", 75)

# --- proxy -------------------------------------------------------------------------------------
# Peers trusted for X-Forwarded-Proto and friends; the default trusts only the local host.
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1,::1")

# --- logging -----------------------------------------------------------------------------------
accesslog = "-"
errorlog = "-"
loglevel = os.environ.get("LOG_LEVEL", "info").lower()
logger_class = JsonLogger

# The control socket would go under $HOME, which is read-only in the container.
control_socket_disable = not os.environ.get("GUNICORN_CONTROL_SOCKET")
if os.environ.get("GUNICORN_CONTROL_SOCKET"):
    control_socket = os.environ["GUNICORN_CONTROL_SOCKET"]


# --- Prometheus multiprocess mode --------------------------------------------------------------
def _multiproc_dir() -> str | None:
    return os.environ.get("PROMETHEUS_MULTIPROC_DIR")


def on_starting(server):
    """Start from an empty metrics directory: files left by a previous run would be counted again."""
    directory = _multiproc_dir()
    if not directory:
        return
    path = Path(directory)
    path.mkdir(parents=True, exist_ok=True)
    for stale in path.glob("*.db"):
        stale.unlink()


def child_exit(server, worker):
    """Merge a dead worker's gauges out of the live ones (prometheus_client multiprocess mode)."""
    if not _multiproc_dir():
        return
    from prometheus_client import multiprocess

    multiprocess.mark_process_dead(worker.pid)
