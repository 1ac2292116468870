"""POST /people: what an HR admin can create, and every way a bad request is refused."""

from __future__ import annotations

import uuid

import pytest

from tandem.people import accounts

URL = "/api/v1/people"


def test_create_person_returns_201_with_the_stored_record(org, api, make_team, read_user):
    boss = org.person("Boss")
    team = make_team(org, "Platform")
    response = api(org.admin).post(
        URL,
        json={
            "email": "Ada.Lovelace@Example.COM",
            "name": " Ada Lovelace ",
            "title": "Staff Engineer",
            "manager_id": str(boss.id),
            "team_id": team,
            "role": "employee",
        },
    )
    assert response.status_code == 201, response.json
    body = response.json
    assert body["email"] == "ada.lovelace@example.com"
    assert body["name"] == "Ada Lovelace"
    assert body["title"] == "Staff Engineer"
    assert body["manager_id"] == str(boss.id)
    assert body["team_id"] == team
    assert body["role"] == "employee"
    assert body["is_active"] is True
    assert body["is_manager"] is False
    assert "password" not in body and "password_hash" not in body
    stored = read_user(org, uuid.UUID(body["id"]))
    assert stored["email"] == "ada.lovelace@example.com"
    assert stored["manager_id"] == boss.id
    assert stored["tenant_id"] == org.tenant_id


def test_minimal_person_defaults_to_an_active_employee_without_a_password(org, api, read_user):
    response = api(org.admin).post(URL, json={"email": "min@example.com", "name": "Min"})
    assert response.status_code == 201, response.json
    assert response.json["role"] == "employee"
    assert response.json["manager_id"] is None
    assert read_user(org, uuid.UUID(response.json["id"]))["password_hash"] is None


def test_password_is_stored_hashed(org, api, read_user, password):
    response = api(org.admin).post(URL, json={"email": "pw@example.com", "name": "Pw", "password": password})
    assert response.status_code == 201
    stored = read_user(org, uuid.UUID(response.json["id"]))
    assert stored["password_hash"] and password not in stored["password_hash"]
    assert stored["password_hash"].startswith("$argon2id$")
    with org.scope():
        assert accounts.authenticate(org.slug, "pw@example.com", password) is not None
        assert accounts.authenticate(org.slug, "pw@example.com", password + "x") is None


def test_a_created_manager_is_flagged_once_they_have_a_report(org, api):
    boss = org.person("Boss")
    org.person("Report", manager=boss)
    assert api(org.admin).get(f"{URL}/{boss.id}").json["is_manager"] is True


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({"email": "not-an-email", "name": "X"}, "email"),
        ({"email": "two@@example.com", "name": "X"}, "email"),
        ({"name": "No Email"}, "email"),
        ({"email": "noname@example.com"}, "name"),
        ({"email": "emptyname@example.com", "name": ""}, "name"),
        ({"email": "blankname@example.com", "name": "   "}, "name"),
        ({"email": "role@example.com", "name": "X", "role": "superuser"}, "role"),
        ({"email": "short@example.com", "name": "X", "password": "short"}, "password"),
        ({"email": "mgr@example.com", "name": "X", "manager_id": "not-a-uuid"}, "manager_id"),
        ({"email": "long@example.com", "name": "x" * 201}, "name"),
    ],
)
def test_bad_input_is_a_422_naming_the_field_and_writes_nothing(org, api, snapshot, payload, field):
    before = snapshot(org)
    response = api(org.admin).post(URL, json=payload)
    assert response.status_code == 422, response.json
    assert field in response.json["errors"]["json"], response.json
    assert response.json["errors"]["json"][field]  # a message a person can read
    assert snapshot(org) == before


def test_unknown_fields_are_refused_not_silently_dropped(org, api, snapshot):
    before = snapshot(org)
    response = api(org.admin).post(
        URL, json={"email": "x@example.com", "name": "X", "tenant_id": str(uuid.uuid4())}
    )
    assert response.status_code == 422
    assert "tenant_id" in response.json["errors"]["json"]
    assert snapshot(org) == before


def test_nonexistent_manager_or_team_is_a_field_error(org, api, snapshot):
    before = snapshot(org)
    for field in ("manager_id", "team_id"):
        response = api(org.admin).post(
            URL, json={"email": "x@example.com", "name": "X", field: str(uuid.uuid4())}
        )
        assert response.status_code == 422, response.json
        assert field in response.json["errors"]["json"]
    assert snapshot(org) == before


def test_manager_in_another_organisation_is_refused_and_nothing_is_written(org, other_org, api, snapshot):
    theirs = other_org.person("Their Boss")
    before, theirs_before = snapshot(org), snapshot(other_org)
    response = api(org.admin).post(
        URL, json={"email": "x@example.com", "name": "X", "manager_id": str(theirs.id)}
    )
    assert response.status_code == 422, response.json
    assert response.json["errors"]["json"]["manager_id"] == ["no such person in this organisation"]
    assert snapshot(org) == before
    assert snapshot(other_org) == theirs_before


def test_team_in_another_organisation_is_refused_and_nothing_is_written(
    org, other_org, api, make_team, snapshot
):
    their_team = make_team(other_org, "Their Team")
    before, theirs_before = snapshot(org), snapshot(other_org)
    response = api(org.admin).post(URL, json={"email": "x@example.com", "name": "X", "team_id": their_team})
    assert response.status_code == 422, response.json
    assert response.json["errors"]["json"]["team_id"] == ["no such team in this organisation"]
    assert snapshot(org) == before
    assert snapshot(other_org) == theirs_before


def test_deactivated_manager_is_refused(org, api, snapshot):
    gone = org.person("Gone")
    assert api(org.admin).post(f"{URL}/{gone.id}/deactivate").status_code == 200
    before = snapshot(org)
    response = api(org.admin).post(
        URL, json={"email": "x@example.com", "name": "X", "manager_id": str(gone.id)}
    )
    assert response.status_code == 422
    assert "manager_id" in response.json["errors"]["json"]
    assert snapshot(org) == before


@pytest.mark.parametrize("email", ["dup@example.com", "DUP@Example.com"])
def test_duplicate_email_in_the_same_organisation_is_422(org, api, snapshot, email):
    assert api(org.admin).post(URL, json={"email": "dup@example.com", "name": "First"}).status_code == 201
    before = snapshot(org)
    response = api(org.admin).post(URL, json={"email": email, "name": "Second"})
    assert response.status_code == 422, response.json
    assert response.json["errors"]["json"]["email"] == ["already used by someone in this organisation"]
    assert snapshot(org) == before


def test_error_body_has_the_documented_shape(org, api):
    response = api(org.admin).post(URL, json={"email": "bad", "name": "X"})
    body = response.json
    assert set(body) == {"code", "status", "message", "errors"}
    assert body["code"] == 422
    assert body["status"] == "Unprocessable Entity"
    assert isinstance(body["errors"]["json"]["email"], list)


def test_malformed_json_is_a_client_error_not_a_500(org, api, snapshot):
    before = snapshot(org)
    response = api(org.admin).post(URL, json=None, data="{not json", content_type="application/json")
    assert response.status_code in (400, 422)
    assert response.json["code"] == response.status_code
    assert snapshot(org) == before


def test_without_a_token_it_is_401(org, api, snapshot):
    before = snapshot(org)
    response = api(None).post(URL, json={"email": "x@example.com", "name": "X"})
    assert response.status_code == 401
    assert response.json["code"] == 401
    assert snapshot(org) == before
