"""API tokens: shown once, stored hashed, usable until revoked or expired, and only the owner
(or an HR admin) sees or revokes them."""

from __future__ import annotations

import uuid
from datetime import timedelta

import sqlalchemy as sa

from tandem.core.db import db, utcnow
from tandem.people.models import ApiToken

URL = "/api/v1/tokens"


def _create(client, **payload):
    return client.post(URL, json={"name": "my script", **payload})


def test_create_returns_the_secret_once_and_it_works(org, api):
    person = org.person("Owner")
    created = _create(api(person))
    assert created.status_code == 201, created.json
    secret = created.json["token"]
    assert secret.startswith("tdm_") and secret.startswith(created.json["prefix"])
    assert created.json["user_id"] == str(person.id)

    me = api(secret).get("/api/v1/me")
    assert me.status_code == 200 and me.json["person"]["id"] == str(person.id)

    listed = api(person).get(URL).json
    assert created.json["id"] in [t["id"] for t in listed]
    assert all("token" not in t for t in listed)
    assert secret not in str(listed)


def test_only_a_digest_is_stored(org, api):
    secret = _create(api(org.admin)).json["token"]
    with org.scope():
        stored = [(t.token_digest, t.prefix) for t in db.session.scalars(sa.select(ApiToken))]
    assert all(secret not in digest for digest, _prefix in stored)
    assert all(len(prefix) < len(secret) for _digest, prefix in stored)


def test_revoked_token_is_401_afterwards(org, api):
    person = org.person("Owner")
    created = _create(api(person)).json
    assert api(created["token"]).get("/api/v1/me").status_code == 200
    revoked = api(person).delete(f"{URL}/{created['id']}")
    assert revoked.status_code == 200
    assert revoked.json["revoked_at"] is not None
    assert api(created["token"]).get("/api/v1/me").status_code == 401
    # The other tokens of the same person still work.
    assert api(person).get("/api/v1/me").status_code == 200


def test_a_token_can_revoke_itself(org, api):
    created = _create(api(org.admin)).json
    assert api(created["token"]).delete(f"{URL}/{created['id']}").status_code == 200
    assert api(created["token"]).get("/api/v1/me").status_code == 401


def test_last_used_at_is_set_after_use(org, api):
    person = org.person("Owner")
    created = _create(api(person)).json
    assert created["last_used_at"] is None
    api(created["token"]).get("/api/v1/people")
    listed = {t["id"]: t for t in api(person).get(URL).json}
    assert listed[created["id"]]["last_used_at"] is not None


def test_expiring_token_reports_its_expiry_and_is_rejected_once_expired(org, api):
    created = _create(api(org.admin), expires_in_days=1).json
    assert created["expires_at"] is not None
    assert api(created["token"]).get("/api/v1/me").status_code == 200
    with org.scope():
        record = db.session.get(ApiToken, uuid.UUID(created["id"]))
        record.expires_at = utcnow() - timedelta(seconds=1)
    assert api(created["token"]).get("/api/v1/me").status_code == 401


def test_garbage_and_unknown_tokens_are_401(org, api):
    for token in ("nonsense", "tdm_" + "x" * 43, "tdm_" + "x" * 300):
        response = api(token).get("/api/v1/me")
        assert response.status_code == 401, token
        assert response.json["code"] == 401


def test_employee_cannot_create_a_token_for_someone_else(org, api, snapshot):
    person, other = org.person("Person"), org.person("Other")
    before = snapshot(org)
    response = _create(api(person), user_id=str(other.id))
    assert response.status_code == 403
    assert "token" not in response.json
    assert snapshot(org) == before


def test_employee_may_name_themselves_explicitly(org, api):
    person = org.person("Person")
    assert _create(api(person), user_id=str(person.id)).status_code == 201


def test_hr_admin_can_create_a_token_for_someone_else(org, api):
    person = org.person("Integration User")
    created = _create(api(org.admin), user_id=str(person.id))
    assert created.status_code == 201
    assert created.json["user_id"] == str(person.id)
    me = api(created.json["token"]).get("/api/v1/me").json
    assert me["person"]["id"] == str(person.id)
    assert me["person"]["role"] == "employee"  # the token carries the owner's rights, not the admin's


def test_no_token_for_a_deactivated_or_unknown_person(org, api, snapshot):
    person = org.person("Leaver")
    api(org.admin).post(f"/api/v1/people/{person.id}/deactivate")
    before = snapshot(org)
    deactivated = _create(api(org.admin), user_id=str(person.id))
    assert deactivated.status_code == 422
    assert "user_id" in deactivated.json["errors"]["json"]
    unknown = _create(api(org.admin), user_id="00000000-0000-0000-0000-000000000000")
    assert unknown.status_code == 404
    assert snapshot(org) == before


def test_employee_sees_only_their_own_tokens_hr_sees_all(org, api):
    person, other = org.person("Person"), org.person("Other")
    mine = _create(api(person)).json["id"]
    theirs = _create(api(other)).json["id"]
    visible = {t["id"] for t in api(person).get(URL).json}
    assert mine in visible and theirs not in visible
    assert {t["user_id"] for t in api(person).get(URL).json} == {str(person.id)}
    everyone = {t["id"] for t in api(org.admin).get(URL).json}
    assert {mine, theirs} <= everyone


def test_employee_cannot_revoke_someone_elses_token(org, api, snapshot):
    person, other = org.person("Person"), org.person("Other")
    theirs = _create(api(other)).json
    before = snapshot(org)
    response = api(person).delete(f"{URL}/{theirs['id']}")
    assert response.status_code == 404
    assert snapshot(org) == before
    assert api(theirs["token"]).get("/api/v1/me").status_code == 200


def test_hr_admin_can_revoke_anyones_token(org, api):
    person = org.person("Person")
    theirs = _create(api(person)).json
    assert api(org.admin).delete(f"{URL}/{theirs['id']}").status_code == 200
    assert api(theirs["token"]).get("/api/v1/me").status_code == 401


def test_revoking_twice_is_harmless(org, api, audit_events):
    created = _create(api(org.admin)).json
    assert api(org.admin).delete(f"{URL}/{created['id']}").status_code == 200
    second = api(org.admin).delete(f"{URL}/{created['id']}")
    assert second.status_code == 200
    assert len(audit_events(org, None, "token.revoke")) == 1


def test_bad_token_requests_are_422(org, api, snapshot):
    before = snapshot(org)
    for payload in ({}, {"name": ""}, {"name": "x", "expires_in_days": 0}, {"name": "x", "user_id": "nope"}):
        response = api(org.admin).post(URL, json=payload)
        assert response.status_code == 422, payload
    assert snapshot(org) == before


def test_unknown_token_id_is_404(org, api):
    assert api(org.admin).delete(f"{URL}/00000000-0000-0000-0000-000000000000").status_code == 404
