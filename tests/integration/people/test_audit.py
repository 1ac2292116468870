"""The audit log: every write of the people API leaves an event (who, what, which, how), secrets
never appear in it, only HR admins read it, and nothing can change it afterwards."""

from __future__ import annotations

import json
import uuid

import pytest
import sqlalchemy as sa

from tandem.core import tenancy
from tandem.core.audit import AuditEvent
from tandem.core.db import db

PEOPLE = "/api/v1/people"


def _only(events):
    assert len(events) == 1, events
    return events[0]


def test_person_create_is_audited_with_its_fields(org, api, audit_events, make_team):
    boss = org.person("Boss")
    team = make_team(org, "Audited")
    body = (
        api(org.admin)
        .post(
            PEOPLE,
            json={"email": "new@example.com", "name": "New", "manager_id": str(boss.id), "team_id": team},
        )
        .json
    )
    event = _only(audit_events(org, uuid.UUID(body["id"]), "person.create"))
    assert event["actor_id"] == org.admin.id
    assert event["entity_type"] == "person"
    assert event["changes"]["email"] == [None, "new@example.com"]
    assert event["changes"]["name"] == [None, "New"]
    assert event["changes"]["manager_id"] == [None, str(boss.id)]
    assert event["changes"]["team_id"] == [None, team]
    assert event["changes"]["role"] == [None, "employee"]


@pytest.mark.parametrize(
    ("field", "value"),
    [("name", "Renamed"), ("title", "Director"), ("email", "moved@example.com"), ("role", "hr_admin")],
)
def test_each_person_update_records_old_and_new_value(org, api, audit_events, field, value):
    person = org.person("Subject")
    with org.scope():
        old = getattr(org.user(person.id), field)
    assert api(org.admin).patch(f"{PEOPLE}/{person.id}", json={field: value}).status_code == 200
    event = _only(audit_events(org, person.id, "person.update"))
    assert event["actor_id"] == org.admin.id
    assert event["changes"] == {field: [old, value]}


def test_manager_and_team_changes_are_audited_as_ids(org, api, audit_events, make_team):
    person, boss = org.person("Subject"), org.person("Boss")
    team = make_team(org, "T")
    api(org.admin).patch(f"{PEOPLE}/{person.id}", json={"manager_id": str(boss.id), "team_id": team})
    event = _only(audit_events(org, person.id, "person.update"))
    assert event["changes"] == {"manager_id": [None, str(boss.id)], "team_id": [None, team]}


def test_a_patch_that_changes_nothing_leaves_no_event(org, api, audit_events):
    person = org.person("Same")
    api(org.admin).patch(f"{PEOPLE}/{person.id}", json={"name": "Same", "title": "Engineer"})
    assert audit_events(org, person.id, "person.update") == []


def test_refused_writes_leave_no_event(org, api, audit_events):
    before = len(audit_events(org))
    api(org.admin).post(PEOPLE, json={"email": "bad", "name": "X"})
    api(org.admin).post(f"{PEOPLE}/{org.admin.id}/deactivate")
    api(org.person("E")).post("/api/v1/teams", json={"name": "Nope"})
    after = audit_events(org)
    # Only the fixture's own writes (person E, their token) were added.
    assert [e["action"] for e in after[before:]] == ["person.create", "token.create"]


def test_passwords_never_reach_the_audit_log(org, api, audit_events, password):
    created = api(org.admin).post(
        PEOPLE, json={"email": "pw@example.com", "name": "Pw", "password": password}
    )
    person_id = created.json["id"]
    new_password = "another-long-secret-42"
    api(org.admin).patch(f"{PEOPLE}/{person_id}", json={"password": new_password})
    with org.scope():
        stored_hash = org.user(uuid.UUID(person_id)).password_hash
    everything = json.dumps(audit_events(org), default=str)
    for secret in (password, new_password, stored_hash):
        assert secret not in everything
    update = _only(audit_events(org, uuid.UUID(person_id), "person.update"))
    assert update["changes"] == {"password": ["(hidden)", "(changed)"]}


def test_token_secrets_never_reach_the_audit_log(org, api, audit_events):
    secret = api(org.admin).post("/api/v1/tokens", json={"name": "ci"}).json["token"]
    assert secret not in json.dumps(audit_events(org), default=str)


def test_deactivate_and_reactivate_are_audited(org, api, audit_events):
    person = org.person("Leaver")
    api(org.admin).post(f"{PEOPLE}/{person.id}/deactivate")
    api(org.admin).post(f"{PEOPLE}/{person.id}/reactivate")
    off = _only(audit_events(org, person.id, "person.deactivate"))
    on = _only(audit_events(org, person.id, "person.reactivate"))
    assert off["changes"] == {"is_active": [True, False]}
    assert on["changes"] == {"is_active": [False, True]}
    assert off["actor_id"] == on["actor_id"] == org.admin.id


def test_team_writes_are_audited(org, api, audit_events):
    team = api(org.admin).post("/api/v1/teams", json={"name": "First"}).json["id"]
    api(org.admin).patch(f"/api/v1/teams/{team}", json={"name": "Second", "description": "d"})
    api(org.admin).delete(f"/api/v1/teams/{team}")
    events = audit_events(org, uuid.UUID(team))
    assert [e["action"] for e in events] == ["team.create", "team.update", "team.delete"]
    assert all(e["entity_type"] == "team" and e["actor_id"] == org.admin.id for e in events)
    assert events[0]["changes"] == {"name": [None, "First"]}
    assert events[1]["changes"] == {"name": ["First", "Second"], "description": ["", "d"]}
    assert events[2]["changes"] == {"name": ["Second", None]}


def test_token_writes_are_audited(org, api, audit_events):
    person = org.person("Owner")
    created = api(org.admin).post("/api/v1/tokens", json={"name": "sync", "user_id": str(person.id)}).json
    api(person).delete(f"/api/v1/tokens/{created['id']}")
    made = _only(audit_events(org, uuid.UUID(created["id"]), "token.create"))
    assert made["actor_id"] == org.admin.id
    assert made["changes"] == {"user_id": str(person.id), "name": "sync"}
    revoked = _only(audit_events(org, uuid.UUID(created["id"]), "token.revoke"))
    assert revoked["actor_id"] == person.id


# --- reading the log ----------------------------------------------------------------------------------


def test_hr_admin_reads_the_log_newest_first_and_can_filter(org, api):
    person = org.person("Subject")
    api(org.admin).patch(f"{PEOPLE}/{person.id}", json={"title": "Boss"})
    page = api(org.admin).get("/api/v1/audit")
    assert page.status_code == 200
    assert page.json["items"][0]["action"] == "person.update"
    stamps = [item["at"] for item in page.json["items"]]
    assert stamps == sorted(stamps, reverse=True)

    filtered = api(org.admin).get("/api/v1/audit", query_string={"entity_id": str(person.id)}).json
    assert {item["action"] for item in filtered["items"]} == {"person.create", "person.update"}
    assert filtered["total"] == 2
    by_action = api(org.admin).get("/api/v1/audit", query_string={"action": "person.update"}).json
    assert [item["entity_id"] for item in by_action["items"]] == [str(person.id)]
    by_actor = api(org.admin).get("/api/v1/audit", query_string={"actor_id": str(person.id)}).json
    # The fixture gave the person a token of their own: that is the one thing they did.
    assert [item["action"] for item in by_actor["items"]] == ["token.create"]


def test_employees_cannot_read_the_log(org, api):
    boss = org.person("Boss")
    org.person("Report", manager=boss)
    for who in (boss, org.person("Anyone")):
        response = api(who).get("/api/v1/audit")
        assert response.status_code == 403
        assert "items" not in response.json


# --- append-only --------------------------------------------------------------------------------------


def test_the_orm_refuses_to_change_or_delete_an_audit_event(org):
    with org.app.app_context():
        from tandem.core import tenancy

        with tenancy.tenant_scope(org.tenant_id):
            event = db.session.scalars(sa.select(AuditEvent)).first()
            event.action = "forged"
            with pytest.raises(PermissionError, match="append-only"):
                db.session.flush()
            db.session.rollback()
            event = db.session.scalars(sa.select(AuditEvent)).first()
            db.session.delete(event)
            with pytest.raises(PermissionError, match="append-only"):
                db.session.flush()
            db.session.rollback()
            assert db.session.scalar(sa.select(sa.func.count()).where(AuditEvent.action == "forged")) == 0


@pytest.mark.parametrize(
    "statement",
    [
        "UPDATE audit_events SET action = 'forged' WHERE tenant_id = :tenant",
        "DELETE FROM audit_events WHERE tenant_id = :tenant",
    ],
)
def test_the_database_refuses_raw_updates_and_deletes(org, audit_events, statement):
    before = audit_events(org)
    assert before
    with org.app.app_context(), tenancy.tenant_scope(org.tenant_id):  # its own rows: policies allow
        with pytest.raises(sa.exc.DBAPIError, match="append-only"), db.session.begin_nested():
            db.session.execute(sa.text(statement), {"tenant": org.tenant_id})
        db.session.rollback()
    assert audit_events(org) == before
