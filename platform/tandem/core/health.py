"""Probes: /healthz says the process is up, /readyz that its database (and Redis) answer."""

from __future__ import annotations

import sqlalchemy as sa
from flask import Blueprint, jsonify
from redis.exceptions import RedisError

from .db import db
from .redis_conn import redis_connection

health = Blueprint("health", __name__)


@health.get("/healthz")
def healthz():  # type: ignore[no-untyped-def]
    return jsonify(status="ok")


@health.get("/readyz")
def readyz():  # type: ignore[no-untyped-def]
    checks: dict[str, str] = {}
    try:
        db.session.execute(sa.text("SELECT 1"))
        checks["database"] = "ok"
    except sa.exc.SQLAlchemyError as exc:
        checks["database"] = f"unreachable: {type(exc).__name__}"
    conn = redis_connection()
    if conn is not None:
        try:
            conn.ping()
            checks["redis"] = "ok"
        except RedisError as exc:
            checks["redis"] = f"unreachable: {type(exc).__name__}"
    ready = all(value == "ok" for value in checks.values())
    return jsonify(status="ready" if ready else "not ready", checks=checks), 200 if ready else 503
