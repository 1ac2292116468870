"""Every response carries the security headers: pages, the API, errors; HSTS only over HTTPS."""

from __future__ import annotations

import pytest

from tandem.core.security_headers import CONTENT_SECURITY_POLICY


@pytest.mark.parametrize(
    "path", ["/login", "/api/v1/openapi.json", "/api/v1/goals", "/no-such-page", "/healthz"]
)
def test_every_response_forbids_inline_scripts_framing_and_sniffing(app, path):
    response = app.test_client().get(path)
    headers = response.headers
    assert headers["Content-Security-Policy"] == CONTENT_SECURITY_POLICY
    directives = dict(d.split(" ", 1) for d in CONTENT_SECURITY_POLICY.split("; "))
    assert directives["script-src"] == "'self'" and directives["frame-ancestors"] == "'none'"
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["X-Frame-Options"] == "DENY"
    assert headers["Referrer-Policy"] == "strict-origin-when-cross-origin"
    assert "Strict-Transport-Security" not in headers  # plain HTTP: a browser would ignore it


def test_https_responses_ask_browsers_to_stay_on_https(app):
    response = app.test_client().get("/login", base_url="https://tandem.example")
    assert response.headers["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains"


def test_no_page_template_carries_an_inline_script_or_style_block(app):
    """What the policy would block: keep scripts and styles in static files."""
    import re
    from pathlib import Path

    import tandem.web

    templates = Path(tandem.web.__file__).parent / "templates"
    offending = []
    for template in templates.rglob("*.html"):
        text = template.read_text(encoding="utf-8")
        inline_scripts = re.findall(r"<script(?![^>]*\b(?:src|type=\"application/json\"))[^>]*>", text)
        if inline_scripts or "<style" in text or re.search(r"\son[a-z]+=\"", text):
            offending.append(template.name)
    assert offending == []
