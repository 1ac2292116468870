"""Tenancy through the API: another organisation's ids answer 404 on every endpoint that takes
one, nothing of theirs changes, and each token sees only its own organisation."""

from __future__ import annotations

import io

import pytest


@pytest.fixture
def victim(org, api):
    """Organisation A with one of everything an id can name: a person (with a report and a
    deactivated colleague), a team, a token and a finished job."""
    admin = api(org.admin)
    team = admin.post("/api/v1/teams", json={"name": "Secret Team"}).json["id"]
    boss = org.person("Boss A", team_id=team)
    org.person("Report A", manager=boss)
    leaver = org.person("Leaver A")
    admin.post(f"/api/v1/people/{leaver.id}/deactivate")
    empty_team = admin.post("/api/v1/teams", json={"name": "Empty Team"}).json["id"]
    token = api(boss).post("/api/v1/tokens", json={"name": "A's token"}).json
    upload = {"file": (io.BytesIO(f"email,name,manager_email\nj@a.test,J,{boss.email}\n".encode()), "a.csv")}
    job = admin.post(
        "/api/v1/people/import",
        json=None,
        data={**upload, "background": "true"},
        content_type="multipart/form-data",
    ).json
    assert admin.get(f"/api/v1/jobs/{job['id']}").json["status"] == "done"
    return {
        "person": str(boss.id),
        "leaver": str(leaver.id),
        "team": team,
        "empty_team": empty_team,
        "token": token,
        "job": job["id"],
        "boss": boss,
    }


ENDPOINTS = [
    ("get", "/api/v1/people/{person}", None),
    ("patch", "/api/v1/people/{person}", {"name": "Hijacked"}),
    ("patch", "/api/v1/people/{person}", {"role": "employee"}),
    ("post", "/api/v1/people/{person}/deactivate", None),
    ("post", "/api/v1/people/{leaver}/reactivate", None),
    ("get", "/api/v1/people/{person}/reports", None),
    ("get", "/api/v1/people/{person}/reports?subtree=true", None),
    ("get", "/api/v1/teams/{team}", None),
    ("patch", "/api/v1/teams/{team}", {"name": "Hijacked"}),
    ("delete", "/api/v1/teams/{empty_team}", None),
    ("delete", "/api/v1/tokens/{token_id}", None),
    ("get", "/api/v1/jobs/{job}", None),
]


@pytest.mark.parametrize(("method", "template", "payload"), ENDPOINTS, ids=lambda v: str(v))
def test_another_organisations_id_is_404_and_changes_nothing(
    org, other_org, api, victim, snapshot, method, template, payload
):
    url = template.format(token_id=victim["token"]["id"], **victim)
    before = snapshot(org)
    client = api(other_org.admin)
    call = getattr(client, method)
    response = call(url, json=payload) if payload is not None else call(url)
    assert response.status_code == 404, (url, response.json)
    assert response.json["code"] == 404
    assert snapshot(org) == before
    # And the object is still there for its own organisation.
    assert api(org.admin).get("/api/v1/me").status_code == 200
    assert api(victim["token"]["token"]).get("/api/v1/me").status_code == 200


def test_the_same_request_from_the_right_organisation_succeeds(org, api, victim):
    """The 404s above are about the organisation, not about the ids being wrong."""
    admin = api(org.admin)
    assert admin.get(f"/api/v1/people/{victim['person']}").status_code == 200
    assert admin.get(f"/api/v1/people/{victim['person']}/reports").status_code == 200
    assert admin.get(f"/api/v1/teams/{victim['team']}").status_code == 200
    assert admin.get(f"/api/v1/jobs/{victim['job']}").status_code == 200
    assert admin.post(f"/api/v1/people/{victim['leaver']}/reactivate").status_code == 200
    assert admin.delete(f"/api/v1/teams/{victim['empty_team']}").status_code == 204
    assert admin.delete(f"/api/v1/tokens/{victim['token']['id']}").status_code == 200


def test_ids_in_filters_and_bodies_do_not_reach_across(org, other_org, api, victim, snapshot):
    before = snapshot(org)
    theirs = api(other_org.admin)
    people = theirs.get("/api/v1/people", query_string={"team_id": victim["team"]}).json
    assert people["items"] == [] and people["total"] == 0
    assert theirs.get("/api/v1/people", query_string={"manager_id": victim["person"]}).json["items"] == []
    assert theirs.get("/api/v1/audit", query_string={"entity_id": victim["person"]}).json["items"] == []
    # A token for org A's person, asked for by org B's admin.
    assert theirs.post("/api/v1/tokens", json={"name": "x", "user_id": victim["person"]}).status_code == 404
    # Org B's person pointed at org A's manager or team.
    mine = other_org.person("Their Person")
    for field in ("manager_id", "team_id"):
        value = victim["person"] if field == "manager_id" else victim["team"]
        response = theirs.patch(f"/api/v1/people/{mine.id}", json={field: value})
        assert response.status_code == 422
        assert field in response.json["errors"]["json"]
    assert snapshot(org) == before


def test_an_employee_of_another_organisation_learns_nothing_about_the_id(org, other_org, api, victim):
    outsider = api(other_org.person("Outsider"))
    made_up = "00000000-0000-0000-0000-000000000000"
    assert outsider.get(f"/api/v1/people/{victim['person']}/reports").status_code == 404
    assert outsider.delete(f"/api/v1/tokens/{victim['token']['id']}").status_code == 404
    assert outsider.get(f"/api/v1/jobs/{victim['job']}").status_code == 404
    # An employee may not PATCH anyone: the answer for A's id is the one for an id that does
    # not exist anywhere, so it tells them nothing.
    real = outsider.patch(f"/api/v1/people/{victim['person']}", json={"name": "X"})
    fake = outsider.patch(f"/api/v1/people/{made_up}", json={"name": "X"})
    assert real.status_code == fake.status_code == 403
    assert real.json == fake.json


def test_the_same_email_in_two_organisations_are_two_people(org, other_org, api):
    in_a = api(org.admin).post("/api/v1/people", json={"email": "sam@shared.test", "name": "Sam in A"})
    in_b = api(other_org.admin).post("/api/v1/people", json={"email": "sam@shared.test", "name": "Sam in B"})
    assert in_a.status_code == in_b.status_code == 201
    assert in_a.json["id"] != in_b.json["id"]
    sam_a = (
        api(org.admin).post("/api/v1/tokens", json={"name": "t", "user_id": in_a.json["id"]}).json["token"]
    )
    sam_b = (
        api(other_org.admin)
        .post("/api/v1/tokens", json={"name": "t", "user_id": in_b.json["id"]})
        .json["token"]
    )
    me_a, me_b = api(sam_a).get("/api/v1/me").json, api(sam_b).get("/api/v1/me").json
    assert (me_a["person"]["name"], me_a["tenant"]["slug"]) == ("Sam in A", org.slug)
    assert (me_b["person"]["name"], me_b["tenant"]["slug"]) == ("Sam in B", other_org.slug)
    # Renaming one leaves the other alone.
    api(org.admin).patch(f"/api/v1/people/{in_a.json['id']}", json={"name": "Sam Renamed"})
    assert api(sam_b).get("/api/v1/me").json["person"]["name"] == "Sam in B"


def test_each_token_lists_only_its_own_organisation(org, other_org, api, victim):
    other_org.person("Theirs")
    theirs = api(other_org.admin)
    emails = {
        p["email"]
        for p in theirs.get("/api/v1/people", query_string={"include_inactive": "true"}).json["items"]
    }
    assert emails and all(e.endswith(f"@{other_org.slug}.test") for e in emails)
    assert [t["name"] for t in theirs.get("/api/v1/teams").json] == []
    assert {t["user_id"] for t in theirs.get("/api/v1/tokens").json} <= {
        p["id"] for p in theirs.get("/api/v1/people").json["items"]
    }
    audit = theirs.get("/api/v1/audit", query_string={"per_page": 200}).json
    assert victim["person"] not in {e["entity_id"] for e in audit["items"]}
    assert victim["team"] not in {e["entity_id"] for e in audit["items"]}
    # And A's employee sees nothing of B.
    a_view = api(victim["boss"]).get("/api/v1/people", query_string={"q": other_org.slug}).json
    assert a_view["items"] == []
