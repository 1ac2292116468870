"""Web page fixtures: a test client signed in through the real login form, as a browser would."""

from __future__ import annotations

import re
from typing import Any

import pytest
from flask import Flask

CSRF_FIELD = re.compile(r'name="csrf_token" value="([^"]+)"')


def csrf_of(client: Any, path: str) -> str:
    """The CSRF token in the form of the page at `path`."""
    found = CSRF_FIELD.search(client.get(path).get_data(as_text=True))
    assert found, f"no CSRF token on {path}"
    return found.group(1)


@pytest.fixture
def signed_in(app: Flask, password: str) -> Any:
    """`signed_in(org, person)` -> a test client signed in as them through the login form (session
    cookie), with the CSRF token its pages' forms carry as `client.csrf`. `app=` signs in to
    another app (one made with other settings)."""

    def sign_in(org: Any, person: Any, app: Flask = app) -> Any:
        client = app.test_client()
        response = client.post(
            "/login",
            data={
                "organisation": org.slug,
                "email": person.email,
                "password": password,
                "csrf_token": csrf_of(client, "/login"),
            },
        )
        assert response.status_code == 302, response.get_data(as_text=True)
        client.csrf = csrf_of(client, "/")
        return client

    return sign_in
