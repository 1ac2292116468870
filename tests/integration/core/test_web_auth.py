"""Signing in through the web: organisation + email + password, cookies, CSRF, rate limits."""

from __future__ import annotations

import re

import pytest


def _csrf(client, path="/login"):
    html = client.get(path).get_data(as_text=True)
    return re.search(r'name="csrf_token" value="([^"]+)"', html).group(1)


def _login(client, org_slug, email, password, **extra):
    return client.post(
        "/login",
        data={
            "organisation": org_slug,
            "email": email,
            "password": password,
            "csrf_token": _csrf(client),
            **extra,
        },
    )


@pytest.fixture
def client(app):
    return app.test_client()


def test_sign_in_then_home_shows_manager_and_reports(client, org, password):
    boss = org.person("Boss", password=password)
    me = org.person("Mid Manager", manager=boss, password=password)
    org.person("Report One", manager=me)
    response = _login(client, org.slug, me.email, password)
    assert response.status_code == 302 and response.headers["Location"] == "/"
    home = client.get("/").get_data(as_text=True)
    assert "Boss" in home and "Report One" in home and "Hello, Mid" in home


def test_session_cookie_is_secure_httponly_lax(client, org, password):
    response = _login(client, org.slug, org.admin.email, password)
    cookie = next(c for c in response.headers.getlist("Set-Cookie") if c.startswith("session="))
    assert "Secure" in cookie and "HttpOnly" in cookie and "SameSite=Lax" in cookie


def test_wrong_password_is_refused_without_saying_which_part_was_wrong(client, org):
    response = _login(client, org.slug, org.admin.email, "not-the-password")
    assert response.status_code == 401
    assert "do not match" in response.get_data(as_text=True)
    assert client.get("/").status_code == 302


def test_same_email_in_two_organisations_signs_into_the_named_one(client, make_org, password):
    first, second = make_org("alpha"), make_org("beta")
    a = first.person("Dana", password=password)
    # Same address in another organisation, with another password.
    with second.scope():
        from tandem.people import services

        services.create_person(
            second.user(second.admin.id),
            {"email": a.email, "name": "Dana Two", "password": "other-password-1"},
        )
    assert _login(client, second.slug, a.email, password).status_code == 401
    assert _login(client, first.slug, a.email, password).status_code == 302
    assert "Dana" in client.get("/").get_data(as_text=True)


def test_forms_need_a_csrf_token(client, org, password):
    response = client.post(
        "/login", data={"organisation": org.slug, "email": org.admin.email, "password": password}
    )
    assert response.status_code == 400
    assert "CSRF" in response.get_data(as_text=True)


def test_sign_out_needs_a_post_with_csrf(client, org, password):
    _login(client, org.slug, org.admin.email, password)
    assert client.post("/logout").status_code == 400  # no token: still signed in
    assert client.get("/").status_code == 200
    client.post("/logout", data={"csrf_token": _csrf(client, "/")})
    assert client.get("/").status_code == 302


def test_repeated_failures_for_one_account_are_rate_limited(client, org, password):
    for _ in range(5):
        assert _login(client, org.slug, org.admin.email, "wrong-password").status_code == 401
    blocked = _login(client, org.slug, org.admin.email, password)
    assert blocked.status_code == 429
    # Another account from the same address is not blocked by that account's failures.
    other = org.person("Other", password=password)
    assert _login(client, org.slug, other.email, password).status_code == 302


def test_repeated_failures_from_one_address_are_rate_limited(client, org, password):
    for attempt in range(20):
        assert _login(client, org.slug, f"nobody{attempt}@x.test", "wrong-password").status_code == 401
    assert _login(client, org.slug, org.admin.email, password).status_code == 429


def test_successful_sign_ins_do_not_count_towards_the_limit(client, org, password):
    for _ in range(8):
        assert _login(client, org.slug, org.admin.email, password).status_code == 302


def test_next_only_redirects_within_the_site(client, org, password):
    response = client.post(
        "/login?next=//evil.example/x",
        data={
            "organisation": org.slug,
            "email": org.admin.email,
            "password": password,
            "csrf_token": _csrf(client),
        },
    )
    assert response.headers["Location"] == "/"


def test_deactivation_ends_existing_sessions(client, org, api, password):
    person = org.person("Leaver", password=password)
    _login(client, org.slug, person.email, password)
    assert client.get("/").status_code == 200
    assert api(org.admin).post(f"/api/v1/people/{person.id}/deactivate").status_code == 200
    assert client.get("/").status_code == 302


def test_another_organisations_person_page_is_404(client, org, other_org, password):
    _login(client, org.slug, org.admin.email, password)
    assert client.get(f"/people/{other_org.admin.id}").status_code == 404
    assert client.get(f"/people/{org.admin.id}").status_code == 200


def test_api_ignores_the_session_cookie_when_a_token_is_sent(client, org, other_org, password):
    _login(client, org.slug, org.admin.email, password)
    response = client.get("/api/v1/me", headers={"Authorization": f"Bearer {other_org.admin.token}"})
    assert response.json["tenant"]["slug"] == other_org.slug


def test_api_writes_with_only_a_session_cookie_need_csrf(client, org, password):
    _login(client, org.slug, org.admin.email, password)
    response = client.post("/api/v1/teams", json={"name": "Sneaky"})
    assert response.status_code == 400
    assert client.get("/api/v1/teams").json == []


def test_probes(client):
    assert client.get("/healthz").json == {"status": "ok"}
    ready = client.get("/readyz")
    assert ready.status_code == 200 and ready.json["checks"]["database"] == "ok"


def test_swagger_ui_is_served_from_this_server(client):
    html = client.get("/api/v1/docs").get_data(as_text=True)
    sources = re.findall(r'(?:src|href)="([^"]+)"', html)
    assert sources and all(s.startswith("/") for s in sources)
    for source in sources:
        asset = client.get(source)
        assert asset.status_code == 200 and asset.get_data()
        asset.close()
