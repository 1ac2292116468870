"""Who sees what, and that nothing joins a reviewer to an answer: another organisation's ids are
404 everywhere, HR-only endpoints are 403 for employees, people outside a request get 404, and
a canary reviewer's email never appears next to their canary answer in any response."""

from __future__ import annotations

import json
from datetime import date

import pytest

URL = "/api/v1/feedback"
TODAY = date.today()
CANARY_ANSWER = "CANARY-ANSWER-7f3a"


@pytest.fixture
def closed_request(org, world, api, ask, answer, fb):
    canary = org.person("Canary Reviewer", manager=world["manager"])
    world["peers"] = [canary, *world["peers"]]
    request = ask(world["subject"], fb.nominations(world, 3, 3))
    for person in [world["subject"], world["manager"], *world["peers"][:3], *world["reports"][:3]]:
        text = CANARY_ANSWER if person is canary else f"Comment from someone {person.id.hex[:4]}"
        answer(person, fb.invitation_of(request, person), text=text)
    api(world["subject"]).post(f"{URL}/requests/{request['id']}/close")
    return {"request": request, "canary": canary}


def _template(api, admin):
    return api(admin).get(f"{URL}/templates").json["items"][0]["id"]


def test_results_are_the_same_for_subject_managers_and_hr_and_hidden_from_others(world, api, closed_request):
    rid = closed_request["request"]["id"]
    bodies = {
        who: api(world[who]).get(f"{URL}/requests/{rid}/results").get_data()
        for who in ("subject", "manager", "boss", "admin")
    }
    assert len(set(bodies.values())) == 1  # byte-identical whoever looks
    for who in ("other",):
        assert api(world[who]).get(f"{URL}/requests/{rid}/results").status_code == 404
    # A reviewer who is not the subject nor above them sees nothing of the results either.
    assert api(world["peers"][1]).get(f"{URL}/requests/{rid}/results").status_code == 404
    assert api(world["reports"][0]).get(f"{URL}/requests/{rid}").status_code == 404


def test_no_response_joins_the_canary_reviewer_to_their_answer(world, api, closed_request, org):
    rid, canary = closed_request["request"]["id"], closed_request["canary"]
    seen = []
    viewers = [world["subject"], world["manager"], world["boss"], org.admin, canary]
    for viewer in viewers:
        client = api(viewer)
        for url in (
            f"{URL}/requests/{rid}",
            f"{URL}/requests/{rid}/results",
            f"{URL}/requests?scope=mine",
            f"{URL}/requests?scope=reports",
            "/api/v1/me/feedback/todo",
            "/api/v1/me/feedback/approvals",
            f"{URL}/invitations/{closed_request['request']['invitations'][0]['id']}",
            "/api/v1/audit?per_page=200",
        ):
            response = client.get(url)
            seen.append((url, response.get_data(as_text=True)))
    canary_invitation = next(
        i["id"] for i in closed_request["request"]["invitations"] if i["reviewer"]["id"] == str(canary.id)
    )
    seen.append(("mine", api(canary).get(f"{URL}/invitations/{canary_invitation}").get_data(as_text=True)))
    released = [body for _url, body in seen if CANARY_ANSWER in body]
    assert released, "the canary answer should be released (three peers answered)"
    for url, body in seen:
        assert not (canary.email in body and CANARY_ANSWER in body), url
        if CANARY_ANSWER in body:
            assert str(canary.id) not in body and "Canary Reviewer" not in body, url
    # Nothing in the feedback API carries an email address at all.
    assert all(canary.email not in body for url, body in seen if "feedback" in url)


def test_comments_are_sorted_and_results_carry_no_time(world, api, closed_request):
    result = api(world["subject"]).get(f"{URL}/requests/{closed_request['request']['id']}/results").json
    peer = next(c for c in result["categories"] if c["relationship"] == "peer")
    comments = [c for q in peer["questions"] for c in q["comments"]]
    assert comments and all(q["comments"] == sorted(q["comments"]) for q in peer["questions"])
    assert "_at" not in json.dumps(result)


ID_ENDPOINTS = [
    ("get", "/templates/{template}", None),
    ("patch", "/templates/{template}", {"name": "Renamed"}),
    ("get", "/requests/{request}", None),
    ("get", "/requests/{request}/results", None),
    ("post", "/requests/{request}/close", None),
    (
        "post",
        "/requests/{request}/reviewers",
        {"reviewers": [{"person_id": "{person}", "relationship": "peer"}]},
    ),
    ("get", "/invitations/{invitation}", None),
    ("put", "/invitations/{invitation}/draft", {"answers": []}),
    ("post", "/invitations/{invitation}/submit", {"answers": []}),
    ("post", "/invitations/{invitation}/decline", {"reason": "no"}),
    ("post", "/invitations/{invitation}/approve", None),
    ("post", "/invitations/{invitation}/reject", None),
    ("get", "/cycles/{cycle}", None),
    ("post", "/cycles/{cycle}/close", None),
    ("get", "/cycles/{cycle}/export", None),
]


@pytest.fixture
def ids(world, api, ask, fb, org):
    request = ask(world["subject"], fb.nominations(world, 2, 0), peer_approval=True)
    cycle = api(org.admin).post(
        f"{URL}/cycles",
        json={"name": "Q1", "scope": "tenant", "opens_on": TODAY.isoformat(), "closes_on": TODAY.isoformat()},
    )
    assert cycle.status_code == 201, cycle.json
    pending = next(i["id"] for i in request["invitations"] if i["status"] == "pending_approval")
    return {
        "template": _template(api, org.admin),
        "request": request["id"],
        "invitation": pending,
        "cycle": cycle.json["id"],
        "person": str(world["peers"][3].id),
    }


def _fill(value, ids):
    if isinstance(value, str):
        return value.format(**ids)
    if isinstance(value, list):
        return [_fill(v, ids) for v in value]
    if isinstance(value, dict):
        return {k: _fill(v, ids) for k, v in value.items()}
    return value


@pytest.mark.parametrize(("method", "path", "body"), ID_ENDPOINTS, ids=lambda v: str(v))
def test_another_organisations_ids_are_404_and_change_nothing(
    org, other_org, api, ids, snapshot, method, path, body
):
    before = snapshot(org)
    call = getattr(api(other_org.admin), method)
    url = URL + path.format(**ids)
    response = call(url, json=_fill(body, ids)) if body is not None else call(url)
    assert response.status_code == 404, response.json
    assert snapshot(org) == before


HR_ONLY = [
    ("get", "/settings", None),
    ("patch", "/settings", {"thresholds": {"peer": 5}}),
    ("post", "/templates", {"name": "T", "questions": [{"kind": "text", "prompt": "Why?"}]}),
    ("patch", "/templates/{template}", {"name": "Renamed"}),
    ("get", "/cycles", None),
    ("post", "/cycles", {"name": "Q", "scope": "tenant", "opens_on": "{today}", "closes_on": "{today}"}),
    ("get", "/cycles/{cycle}", None),
    ("post", "/cycles/{cycle}/close", None),
    ("get", "/cycles/{cycle}/export", None),
    ("get", "/requests?scope=all", None),
]


@pytest.mark.parametrize(("method", "path", "body"), HR_ONLY, ids=lambda v: str(v))
@pytest.mark.parametrize("who", ["subject", "manager"])
def test_hr_endpoints_are_403_for_employees_and_change_nothing(
    org, world, api, ids, snapshot, who, method, path, body
):
    values = {**ids, "today": TODAY.isoformat()}
    before = snapshot(org)
    call = getattr(api(world[who]), method)
    url = URL + path.format(**values)
    response = call(url, json=_fill(body, values)) if body is not None else call(url)
    assert response.status_code == 403, response.json
    assert snapshot(org) == before


def test_only_the_reviewer_opens_an_invitation_and_only_involved_people_nominate(
    world, api, ids, snapshot, org
):
    before = snapshot(org)
    for who in ("subject", "manager", "other"):
        assert api(world[who]).get(f"{URL}/invitations/{ids['invitation']}").status_code == 404
    # A manager above the subject may read the request but not nominate for it.
    body = {"reviewers": [{"person_id": ids["person"], "relationship": "peer"}]}
    assert api(world["boss"]).post(f"{URL}/requests/{ids['request']}/reviewers", json=body).status_code == 403
    assert (
        api(world["other"]).post(f"{URL}/requests/{ids['request']}/reviewers", json=body).status_code == 404
    )
    assert snapshot(org) == before


def test_settings_stay_within_bounds(org, api):
    client = api(org.admin)
    current = client.get(f"{URL}/settings").json
    assert current["thresholds"] == {"peer": 3, "direct_report": 3, "other": 3, "all_but_self": 4}
    assert client.patch(f"{URL}/settings", json={"thresholds": {"peer": 2}}).status_code == 422
    assert client.patch(f"{URL}/settings", json={"thresholds": {"direct_report": 11}}).status_code == 422
    assert client.patch(f"{URL}/settings", json={"reminder_interval_hours": 1}).status_code == 422
    changed = client.patch(f"{URL}/settings", json={"thresholds": {"peer": 5}, "reminder_interval_hours": 24})
    assert changed.status_code == 200 and changed.json["thresholds"]["peer"] == 5
    assert client.get(f"{URL}/settings").json["reminder_interval_hours"] == 24
    events = client.get("/api/v1/audit", query_string={"action": "feedback.settings.update"}).json
    assert events["total"] == 1
