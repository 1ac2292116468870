"""Roles: every write of the people API is for HR admins. An employee, even one who manages
people, gets 403 and nothing changes."""

from __future__ import annotations

import io

import pytest


@pytest.fixture
def world(org, api, make_team):
    team = make_team(org, "Team")
    empty_team = make_team(org, "Empty")
    manager = org.person("Manager", team_id=team)
    report = org.person("Report", manager=manager, team_id=team)
    peer = org.person("Peer", manager=manager, team_id=team)  # someone else: the target of writes
    leaver = org.person("Leaver")
    api(org.admin).post(f"/api/v1/people/{leaver.id}/deactivate")
    return {
        "team": team,
        "empty_team": empty_team,
        "manager": manager,
        "report": report,
        "leaver": str(leaver.id),
        "person": str(peer.id),
    }


def _csv_upload(extra=None):
    text = "email,name,title\nnew@x.test,New Person,Engineer\n"
    return {"file": (io.BytesIO(text.encode()), "people.csv"), **(extra or {})}


WRITES = [
    ("post", "/api/v1/people", {"email": "new@x.test", "name": "New"}),
    ("patch", "/api/v1/people/{person}", {"name": "Renamed"}),
    ("patch", "/api/v1/people/{person}", {"manager_id": None}),
    ("patch", "/api/v1/people/{self}", {"role": "hr_admin"}),
    ("patch", "/api/v1/people/{self}", {"title": "Self-promoted"}),
    ("post", "/api/v1/people/{person}/deactivate", None),
    ("post", "/api/v1/people/{leaver}/reactivate", None),
    ("post", "/api/v1/teams", {"name": "New Team"}),
    ("patch", "/api/v1/teams/{team}", {"name": "Renamed"}),
    ("delete", "/api/v1/teams/{empty_team}", None),
    ("post", "/api/v1/tokens", {"name": "for someone else", "user_id": "{person}"}),
    ("import", "dry_run", None),
    ("import", "apply", None),
    ("import", "background", None),
]


@pytest.mark.parametrize("actor", ["employee", "manager"])
@pytest.mark.parametrize(("method", "template", "payload"), WRITES, ids=lambda v: str(v))
def test_non_admins_get_403_on_every_write(org, api, world, snapshot, actor, method, template, payload):
    who = world["report"] if actor == "employee" else world["manager"]
    ids = {**world, "self": str(who.id)}
    client = api(who)
    before = snapshot(org)
    if method == "import":
        flags = {"dry_run": {"dry_run": "true"}, "apply": {}, "background": {"background": "true"}}[template]
        response = client.post(
            "/api/v1/people/import", json=None, data=_csv_upload(flags), content_type="multipart/form-data"
        )
    else:
        url = template.format(**ids)
        if payload is not None:
            payload = {k: v.format(**ids) if isinstance(v, str) else v for k, v in payload.items()}
            response = getattr(client, method)(url, json=payload)
        else:
            response = getattr(client, method)(url)
    assert response.status_code == 403, (method, template, response.json)
    assert response.json["code"] == 403
    assert snapshot(org) == before


def test_a_manager_cannot_edit_their_own_report(org, api, world, snapshot):
    before = snapshot(org)
    response = api(world["manager"]).patch(f"/api/v1/people/{world['report'].id}", json={"title": "Promoted"})
    assert response.status_code == 403
    assert snapshot(org) == before


@pytest.mark.parametrize("actor", ["employee", "manager"])
def test_non_admins_cannot_read_the_audit_log(org, api, world, actor):
    who = world["report"] if actor == "employee" else world["manager"]
    assert api(who).get("/api/v1/audit").status_code == 403


def test_what_employees_may_do(org, api, world):
    """The other side: reading the directory and teams, and managing their own tokens."""
    client = api(world["report"])
    assert client.get("/api/v1/people").status_code == 200
    assert client.get(f"/api/v1/people/{world['manager'].id}").status_code == 200
    assert client.get("/api/v1/teams").status_code == 200
    assert client.get(f"/api/v1/teams/{world['team']}").status_code == 200
    mine = client.post("/api/v1/tokens", json={"name": "mine"})
    assert mine.status_code == 201
    assert client.delete(f"/api/v1/tokens/{mine.json['id']}").status_code == 200
