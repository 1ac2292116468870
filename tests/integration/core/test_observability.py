"""Logs, request ids, metrics and the proxy set-up an operator relies on."""

from __future__ import annotations

import io
import json
import logging
import re

import pytest

from tandem import create_app
from tandem.core.db import db
from tandem.core.logging import JsonFormatter


def test_request_ids_are_echoed_or_made(app):
    client = app.test_client()
    assert client.get("/healthz", headers={"X-Request-ID": "abc-123"}).headers["X-Request-ID"] == "abc-123"
    made = client.get("/healthz", headers={"X-Request-ID": "bad id; with spaces"}).headers["X-Request-ID"]
    assert re.fullmatch(r"[0-9a-f]{32}", made)


def test_log_lines_are_json_with_request_tenant_and_user(app, org, api):
    lines: list[str] = []
    handler = logging.Handler()
    handler.emit = lambda record: lines.append(JsonFormatter().format(record))  # type: ignore[method-assign]
    access = logging.getLogger("tandem.access")
    access.addHandler(handler)
    access.setLevel(logging.INFO)
    try:
        api(org.admin).get("/api/v1/me", headers={"X-Request-ID": "trace-42"})
    finally:
        access.removeHandler(handler)
    line = json.loads(lines[-1])
    assert line["request_id"] == "trace-42"
    assert line["tenant_id"] == str(org.tenant_id) and line["user_id"] == str(org.admin.id)
    assert line["route"] == "/api/v1/me" and line["status"] == 200
    assert org.admin.email not in lines[-1]  # ids only, no personal data


def test_metrics_show_requests_and_jobs(app, org, api):
    # Metrics are per process and other tests may have imported before: count this request only.
    series = re.compile(
        r'tandem_http_request_duration_seconds_count\{endpoint="people.Import",'
        r'method="POST",status="202"\} (\d+)'
    )

    def imports_counted() -> int:
        found = series.search(app.test_client().get("/metrics").get_data(as_text=True))
        return int(found.group(1)) if found else 0

    before = imports_counted()
    csv = b"email,name,manager_email\nx@metrics.test,X,%s\n" % org.admin.email.encode()
    accepted = api(org.admin).post(
        "/api/v1/people/import", json=None, data={"file": (io.BytesIO(csv), "p.csv"), "background": "true"}
    )
    assert accepted.status_code == 202
    assert imports_counted() == before + 1
    text = app.test_client().get("/metrics").get_data(as_text=True)
    assert re.search(r'tandem_jobs\{kind="people.import",queue="imports",status="done"\} [1-9]', text)


@pytest.mark.committed
def test_every_app_in_a_process_counts_its_own_requests(settings_for, tmp_path):
    """The exporter registers request metrics once per registry: two apps sharing one (as the
    process-wide default) left the second counting nothing. Each app has its own now."""
    first, second = (create_app(settings_for(tmp_path / name)) for name in ("first", "second"))
    for application, visits in ((first, 3), (second, 2)):
        client = application.test_client()
        for _ in range(visits):
            assert client.get("/healthz").status_code == 200
    for application, visits in ((first, 3), (second, 2)):
        text = application.test_client().get("/metrics").get_data(as_text=True)
        counted = re.search(
            r'tandem_http_request_duration_seconds_count\{endpoint="health.healthz",'
            r'method="GET",status="200"\} (\d+)',
            text,
        )
        assert counted and int(counted.group(1)) == visits
        with application.app_context():
            db.engine.dispose()


@pytest.mark.committed
def test_metrics_can_require_a_token(settings_for, tmp_path):
    guarded = create_app(settings_for(tmp_path, metrics_token="scrape-secret"))
    client = guarded.test_client()
    assert client.get("/metrics").status_code == 401
    assert client.get("/metrics", headers={"Authorization": "Bearer scrape-secret"}).status_code == 200
    with guarded.app_context():
        db.engine.dispose()


@pytest.mark.committed
def test_behind_a_proxy_rate_limits_follow_the_forwarded_address(settings_for, tmp_path):
    proxied = create_app(settings_for(tmp_path, proxy_hops=1))
    client = proxied.test_client()

    emails = iter(range(1000))

    def attempt(address: str) -> int:
        # A new account each time: only the per-address limit is under test.
        html = client.get("/login").get_data(as_text=True)
        token = re.search(r'name="csrf_token" value="([^"]+)"', html).group(1)
        return client.post(
            "/login",
            headers={"X-Forwarded-For": address},
            data={
                "organisation": "nope",
                "email": f"a{next(emails)}@b.test",
                "password": "x" * 12,
                "csrf_token": token,
            },
        ).status_code

    assert [attempt("203.0.113.9") for _ in range(20)] == [401] * 20
    assert attempt("203.0.113.9") == 429
    assert attempt("198.51.100.7") == 401  # another client behind the same proxy is not blocked
    with proxied.app_context():
        db.engine.dispose()
