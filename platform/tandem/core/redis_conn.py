"""The Redis connection (one per process), when REDIS_URL is set."""

from __future__ import annotations

from flask import current_app
from redis import Redis


def redis_connection() -> Redis | None:
    settings = current_app.extensions["tandem.settings"]
    if not settings.redis_url:
        return None
    conn = current_app.extensions.get("tandem.redis")
    if conn is None:
        conn = Redis.from_url(settings.redis_url, socket_connect_timeout=5, health_check_interval=30)
        current_app.extensions["tandem.redis"] = conn
    return conn
