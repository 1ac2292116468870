"""Who may do what: another organisation's ids are 404 on every endpoint, the wrong role is 403,
and bad input is 4xx; a refused request changes nothing."""

from __future__ import annotations

import pytest


@pytest.fixture
def things(world, open_request, api):
    admin, mentee, ana = api(world["admin"]), api(world["mentee"]), api(world["ana"])
    programme = admin.post(
        "/api/v1/mentoring/programmes",
        json={"name": "Autumn", "starts_on": "2027-09-01", "ends_on": "2027-12-01"},
    ).json
    run = admin.post("/api/v1/mentoring/match-runs", json={"programme_id": programme["id"]}).json
    invite = mentee.post(
        f"/api/v1/mentoring/requests/{open_request['id']}/invitations",
        json={"mentor_id": str(world["ana"].id)},
    ).json
    second = mentee.post(
        f"/api/v1/mentoring/requests/{open_request['id']}/invitations",
        json={"mentor_id": str(world["bo"].id)},
    ).json
    mentorship = ana.post(f"/api/v1/mentoring/invitations/{invite['id']}/accept").json
    return {
        "programme": programme["id"],
        "run": run["id"],
        "request": open_request["id"],
        "invitation": invite["id"],
        "second": second["id"],
        "mentorship": mentorship["id"],
        "mentor": str(world["ana"].id),
    }


def _fill(value, ids):
    if isinstance(value, str):
        return value.format(**ids)
    if isinstance(value, list):
        return [_fill(v, ids) for v in value]
    return value


def _call(client, method, url, body, ids):
    url = url.format(**ids)
    if body is not None:
        body = {k: _fill(v, ids) for k, v in body.items()}
        return getattr(client, method)(url, json=body)
    return getattr(client, method)(url)


ENDPOINTS = [
    ("get", "/api/v1/mentoring/mentors/{mentor}", None),
    ("get", "/api/v1/mentoring/requests/{request}", None),
    ("post", "/api/v1/mentoring/requests/{request}/withdraw", None),
    ("get", "/api/v1/mentoring/requests/{request}/suggestions", None),
    ("post", "/api/v1/mentoring/requests/{request}/invitations", {"mentor_id": "{mentor}"}),
    ("get", "/api/v1/mentoring/invitations/{invitation}", None),
    ("post", "/api/v1/mentoring/invitations/{second}/accept", None),
    ("post", "/api/v1/mentoring/invitations/{second}/decline", None),
    ("get", "/api/v1/mentoring/match-runs/{run}", None),
    ("post", "/api/v1/mentoring/match-runs/{run}/approve", {}),
    ("post", "/api/v1/mentoring/match-runs/{run}/reject", {"proposal_ids": ["{request}"]}),
    ("post", "/api/v1/mentoring/match-runs", {"programme_id": "{programme}"}),
    ("get", "/api/v1/mentoring/mentorships/{mentorship}", None),
    ("patch", "/api/v1/mentoring/mentorships/{mentorship}", {"status": "paused"}),
    ("post", "/api/v1/mentoring/mentorships/{mentorship}/end", {}),
    ("put", "/api/v1/mentoring/mentorships/{mentorship}/rating", {"rating": 3}),
    ("get", "/api/v1/mentoring/mentorships/{mentorship}/sessions", None),
    ("post", "/api/v1/mentoring/mentorships/{mentorship}/sessions", {"held_on": "2027-01-01"}),
]


@pytest.mark.parametrize(("method", "url", "body"), ENDPOINTS)
def test_another_organisation_gets_404_and_changes_nothing(
    things, other_org, org, api, snapshot, method, url, body
):
    outsider = other_org.person("Outsider")
    before = snapshot(org)
    for who in (other_org.admin, outsider):
        response = _call(api(who), method, url, body, things)
        assert response.status_code == 404, (who, response.json)
    assert snapshot(org) == before


ROLE_REFUSALS = [
    # (who, method, url, body)
    (
        "mentee",
        "post",
        "/api/v1/mentoring/programmes",
        {"name": "X", "starts_on": "2027-01-01", "ends_on": "2027-02-01"},
    ),
    ("mentee", "post", "/api/v1/mentoring/match-runs", {}),
    ("mentee", "get", "/api/v1/mentoring/match-runs/{run}", None),
    ("ana", "post", "/api/v1/mentoring/match-runs/{run}/approve", {}),
    ("ana", "post", "/api/v1/mentoring/match-runs/{run}/reject", {"proposal_ids": ["{request}"]}),
    ("bo", "get", "/api/v1/mentoring/requests/{request}", None),
    ("bo", "get", "/api/v1/mentoring/requests/{request}/suggestions", None),
    ("admin", "post", "/api/v1/mentoring/requests/{request}/withdraw", None),
    ("bo", "post", "/api/v1/mentoring/requests/{request}/invitations", {"mentor_id": "{mentor}"}),
    ("boss", "get", "/api/v1/mentoring/invitations/{invitation}", None),
    ("mentee", "post", "/api/v1/mentoring/invitations/{second}/accept", None),
    ("ana", "post", "/api/v1/mentoring/invitations/{second}/decline", None),
    ("boss", "get", "/api/v1/mentoring/mentorships/{mentorship}", None),
    ("admin", "patch", "/api/v1/mentoring/mentorships/{mentorship}", {"status": "paused"}),
    ("admin", "post", "/api/v1/mentoring/mentorships/{mentorship}/end", {}),
    ("ana", "put", "/api/v1/mentoring/mentorships/{mentorship}/rating", {"rating": 3}),
    ("admin", "get", "/api/v1/mentoring/mentorships/{mentorship}/sessions", None),
    ("admin", "post", "/api/v1/mentoring/mentorships/{mentorship}/sessions", {"held_on": "2027-01-01"}),
]


@pytest.mark.parametrize(("who", "method", "url", "body"), ROLE_REFUSALS)
def test_the_wrong_role_gets_403_and_changes_nothing(
    things, world, org, api, snapshot, who, method, url, body
):
    before = snapshot(org)
    response = _call(api(world[who]), method, url, body, things)
    assert response.status_code == 403, response.json
    assert snapshot(org) == before


BAD_INPUT = [
    ("ana", "put", "/api/v1/mentoring/profile", {"capacity": -1}),
    ("ana", "put", "/api/v1/mentoring/profile", {"capacity": "2"}),
    ("ana", "put", "/api/v1/mentoring/profile", {"skills": [{"skill_id": "{request}", "level": 3}]}),
    ("ana", "put", "/api/v1/mentoring/profile", {"skills": [{"skill_id": "{python}", "level": 9}]}),
    ("ana", "put", "/api/v1/mentoring/profile", {"unknown": 1}),
    (
        "admin",
        "post",
        "/api/v1/mentoring/programmes",
        {"name": "Y", "starts_on": "2027-05-01", "ends_on": "2027-01-01"},
    ),
    (
        "admin",
        "post",
        "/api/v1/mentoring/programmes",
        {"name": "   ", "starts_on": "2027-01-01", "ends_on": "2027-02-01"},
    ),
    ("boss", "post", "/api/v1/mentoring/requests", {}),
    ("boss", "post", "/api/v1/mentoring/requests", {"goal_ids": ["{request}"]}),
    ("boss", "post", "/api/v1/mentoring/requests", {"topics": ["x"], "preferred_mentor_ids": ["{request}"]}),
    ("boss", "post", "/api/v1/mentoring/requests", {"topics": ["x"], "programme_id": "{request}"}),
    ("boss", "post", "/api/v1/mentoring/requests", {"needs": [{"skill_id": "{python}", "level": 0}]}),
    ("mentee", "post", "/api/v1/mentoring/requests/{request}/invitations", {"mentor_id": "{boss}"}),
    ("mentee", "post", "/api/v1/mentoring/requests/{request}/invitations", {"mentor_id": "{mentee}"}),
    ("mentee", "post", "/api/v1/mentoring/requests/{request}/invitations", {"mentor_id": "nope"}),
    ("admin", "post", "/api/v1/mentoring/match-runs/{run}/approve", {"proposal_ids": ["{request}"]}),
    ("admin", "post", "/api/v1/mentoring/match-runs/{run}/approve", {"proposal_ids": []}),
    ("admin", "post", "/api/v1/mentoring/match-runs/{run}/reject", {"proposal_ids": ["{request}"]}),
    ("admin", "post", "/api/v1/mentoring/match-runs/{run}/reject", {}),
    ("admin", "post", "/api/v1/mentoring/match-runs", {"programme_id": "{request}"}),
    ("ana", "patch", "/api/v1/mentoring/mentorships/{mentorship}", {"status": "completed"}),
    ("mentee", "post", "/api/v1/mentoring/mentorships/{mentorship}/end", {"rating": 0}),
    ("ana", "post", "/api/v1/mentoring/mentorships/{mentorship}/sessions", {"held_on": "not a date"}),
    (
        "ana",
        "post",
        "/api/v1/mentoring/mentorships/{mentorship}/sessions",
        {"held_on": "2027-01-01", "actions": [""]},
    ),
    ("mentee", "get", "/api/v1/mentoring/mentors?per_page=0", None),
    ("mentee", "get", "/api/v1/mentoring/invitations?role=boss", None),
]


@pytest.mark.parametrize(("who", "method", "url", "body"), BAD_INPUT)
def test_bad_input_is_refused_and_changes_nothing(things, world, org, api, snapshot, who, method, url, body):
    ids = {
        **things,
        "python": world["python"],
        "boss": str(world["boss"].id),
        "mentee": str(world["mentee"].id),
    }
    before = snapshot(org)
    response = _call(api(world[who]), method, url, body, ids)
    assert response.status_code in (400, 404, 422), response.json
    assert snapshot(org) == before


@pytest.mark.parametrize(("method", "url", "body"), ENDPOINTS)
def test_unauthenticated_is_401(things, api, org, snapshot, method, url, body):
    before = snapshot(org)
    assert _call(api(None), method, url, body, things).status_code == 401
    assert snapshot(org) == before
