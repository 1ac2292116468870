"""Prometheus metrics at /metrics: requests by route (prometheus-flask-exporter, gunicorn
multiprocess mode when PROMETHEUS_MULTIPROC_DIR is set), and jobs by queue, kind and status read
from the job status table at scrape time, so they cover every worker process."""

from __future__ import annotations

import os
from collections.abc import Iterator

import sqlalchemy as sa
from flask import Flask, Response, has_app_context, request
from prometheus_client import (
    CONTENT_TYPE_LATEST,
    CollectorRegistry,
    GCCollector,
    PlatformCollector,
    ProcessCollector,
    generate_latest,
)
from prometheus_client.core import GaugeMetricFamily, Metric
from prometheus_client.multiprocess import MultiProcessCollector
from prometheus_flask_exporter import PrometheusMetrics
from redis.exceptions import RedisError

from . import tenancy
from .db import db
from .errors import Unauthorized
from .jobs import QUEUES, JobRun, rq_queue
from .redis_conn import redis_connection


class JobCollector:
    """Job counts and run times from `job_runs` (all tenants, aggregates only), queue depths
    from Redis."""

    def describe(self) -> list[Metric]:
        return []  # nothing to check at registration; collect() needs an app context

    def collect(self) -> Iterator[Metric]:
        if not has_app_context():
            return
        jobs = GaugeMetricFamily(
            "tandem_jobs", "Jobs by queue, kind and status (status table)", labels=["queue", "kind", "status"]
        )
        seconds = GaugeMetricFamily(
            "tandem_job_seconds_total",
            "Total run time of finished jobs by queue, kind and status",
            labels=["queue", "kind", "status"],
        )
        elapsed = sa.func.sum(_seconds_between(JobRun.started_at, JobRun.finished_at))
        try:
            with tenancy.unscoped():  # aggregates across tenants; no row leaves this function
                rows = db.session.execute(
                    sa.select(JobRun.queue, JobRun.kind, JobRun.status, sa.func.count(), elapsed).group_by(
                        JobRun.queue, JobRun.kind, JobRun.status
                    )
                ).all()
        except sa.exc.SQLAlchemyError:
            rows = []  # a scrape must not fail because the database is down; /readyz says so
        db.session.rollback()
        for queue, kind, status, count, total in rows:
            jobs.add_metric([queue, kind, status], count)
            seconds.add_metric([queue, kind, status], float(total or 0))
        yield jobs
        yield seconds
        if redis_connection() is not None:
            depth = GaugeMetricFamily("tandem_queue_depth", "Jobs waiting in each RQ queue", labels=["queue"])
            try:
                for name in QUEUES:
                    depth.add_metric([name], rq_queue(name).count)
            except RedisError:
                return
            yield depth


def _seconds_between(start: sa.ColumnElement, end: sa.ColumnElement) -> sa.ColumnElement:
    if db.engine.dialect.name == "postgresql":
        return sa.func.extract("epoch", end - start)
    return (sa.func.julianday(end) - sa.func.julianday(start)) * 86400.0


def install(app: Flask, metrics_token: str | None) -> None:
    """Record request metrics and serve /metrics (optionally behind METRICS_TOKEN)."""
    multiprocess = bool(os.environ.get("PROMETHEUS_MULTIPROC_DIR"))
    if multiprocess:
        from prometheus_flask_exporter.multiprocess import GunicornPrometheusMetrics

        # Records into the multiprocess directory; /metrics below serves it (no extra server).
        GunicornPrometheusMetrics(app, group_by="endpoint", defaults_prefix="tandem")
        registry = None
    else:
        # A registry per app: prometheus-flask-exporter registers its request metrics once per
        # registry and quietly skips every later app on the same one, so with the process-wide
        # registry only the first app a process made would count its requests (a test process
        # makes many). Production makes one app per process, so it sees no difference.
        registry = CollectorRegistry()
        for collector in (ProcessCollector, PlatformCollector, GCCollector):
            collector(registry=registry)
        registry.register(JobCollector())
        PrometheusMetrics(app, path=None, registry=registry, group_by="endpoint", defaults_prefix="tandem")

    @app.get("/metrics")
    def prometheus_metrics() -> Response:
        if metrics_token and request.headers.get("Authorization") != f"Bearer {metrics_token}":
            raise Unauthorized("/metrics needs METRICS_TOKEN as a Bearer token")
        scraped = registry
        if scraped is None:
            # Every gunicorn worker writes its own files; a scrape sums them, plus the jobs.
            scraped = CollectorRegistry()
            MultiProcessCollector(scraped)
            scraped.register(JobCollector())
        return Response(generate_latest(scraped), mimetype=CONTENT_TYPE_LATEST)
