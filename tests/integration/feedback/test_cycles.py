"""Cycles: launched by HR for a team, a subtree or everyone; self, manager and direct-report
reviewers at launch; peers nominated by the subject, approved by the manager, capped per
reviewer; thresholds fixed at launch; results released on close, exported as aggregates only."""

from __future__ import annotations

from datetime import date, timedelta

URL = "/api/v1/feedback"
TODAY = date.today()


def _launch(api, admin, **body):
    payload = {
        "name": "Spring 360",
        "opens_on": TODAY.isoformat(),
        "closes_on": (TODAY + timedelta(days=14)).isoformat(),
    }
    response = api(admin).post(f"{URL}/cycles", json={**payload, **body})
    assert response.status_code == 201, response.json
    return response.json


def _cycle_request(api, person, cycle_id):
    items = api(person).get(f"{URL}/requests", query_string={"cycle_id": cycle_id}).json["items"]
    return next(r for r in items if r["subject"]["id"] == str(person.id))


def test_a_subtree_cycle_invites_self_manager_and_direct_reports(org, world, api):
    cycle = _launch(api, org.admin, scope="subtree", manager_id=str(world["manager"].id))
    # Everyone below the manager: the subject, four peers, the subject's four reports.
    assert cycle["progress"]["subjects"] == 9 and cycle["status"] == "open"
    request = _cycle_request(api, world["subject"], cycle["id"])
    kinds = sorted(i["relationship"] for i in request["invitations"])
    assert kinds == ["direct_report"] * 4 + ["manager", "self"]
    assert cycle["thresholds"] == {"peer": 3, "direct_report": 3, "other": 3, "all_but_self": 4}


def test_peers_are_nominated_approved_and_capped(org, world, api):
    cycle = _launch(
        api, org.admin, scope="subtree", manager_id=str(world["manager"].id), max_requests_per_reviewer=2
    )
    request = _cycle_request(api, world["subject"], cycle["id"])
    client = api(world["subject"])
    url = f"{URL}/requests/{request['id']}/reviewers"
    # Only peers in a cycle.
    other = {"reviewers": [{"person_id": str(world["other"].id), "relationship": "other"}]}
    assert client.post(url, json=other).status_code == 422
    peer = world["peers"][0]
    made = client.post(url, json={"reviewers": [{"person_id": str(peer.id), "relationship": "peer"}]})
    assert made.status_code == 201 and made.json[0]["status"] == "pending_approval"
    assert api(world["manager"]).post(f"{URL}/invitations/{made.json[0]['id']}/approve").status_code == 200
    # Peer 0 now has self + this one = 2 requests: the cap. Another subject cannot add them.
    other_subject = world["peers"][1]
    theirs = _cycle_request(api, other_subject, cycle["id"])
    refused = api(other_subject).post(
        f"{URL}/requests/{theirs['id']}/reviewers",
        json={"reviewers": [{"person_id": str(peer.id), "relationship": "peer"}]},
    )
    assert refused.status_code == 422 and "already asked for 2" in refused.json["message"]


def test_thresholds_are_fixed_at_launch_and_results_follow_the_close(org, world, api, answer):
    cycle = _launch(api, org.admin, scope="subtree", manager_id=str(world["manager"].id))
    api(org.admin).patch(f"{URL}/settings", json={"thresholds": {"direct_report": 5}})
    assert api(org.admin).get(f"{URL}/cycles/{cycle['id']}").json["thresholds"]["direct_report"] == 3
    request = _cycle_request(api, world["subject"], cycle["id"])
    for invitation in request["invitations"][:5]:
        person = next(
            p
            for p in [world["subject"], world["manager"], *world["reports"]]
            if str(p.id) == invitation["reviewer"]["id"]
        )
        answer(person, invitation["id"])
    assert api(org.admin).get(f"{URL}/cycles/{cycle['id']}/export").status_code == 409
    assert (
        api(world["subject"]).post(f"{URL}/requests/{request['id']}/close").status_code == 409
    )  # closes with the cycle
    closed = api(org.admin).post(f"{URL}/cycles/{cycle['id']}/close")
    assert closed.status_code == 200 and closed.json["status"] == "closed"
    assert api(org.admin).post(f"{URL}/cycles/{cycle['id']}/close").status_code == 409
    result = api(world["subject"]).get(f"{URL}/requests/{request['id']}/results").json
    reports = next(c for c in result["categories"] if c["relationship"] == "direct_report")
    # Four direct reports answered: released under the launch threshold (3), not today's (5).
    assert result["thresholds"]["direct_report"] == 3
    assert reports["released"] and reports["responses"] == 4
    export = api(org.admin).get(f"{URL}/cycles/{cycle['id']}/export").json
    assert len(export["subjects"]) == 9
    mine = next(s for s in export["subjects"] if s["subject_id"] == str(world["subject"].id))
    assert mine["categories"] == result["categories"]
    assert "reviewer_id" not in str(export) and "@" not in str(export)


def test_team_cycle_needs_a_team_and_an_empty_scope_is_422(org, api):
    client = api(org.admin)
    base = {"name": "Q", "opens_on": TODAY.isoformat(), "closes_on": TODAY.isoformat()}
    assert client.post(f"{URL}/cycles", json={**base, "scope": "team"}).status_code == 422
    team = client.post("/api/v1/teams", json={"name": "Empty"}).json["id"]
    assert client.post(f"{URL}/cycles", json={**base, "scope": "team", "team_id": team}).status_code == 422
    reversed_dates = {**base, "scope": "tenant", "closes_on": (TODAY - timedelta(days=1)).isoformat()}
    assert client.post(f"{URL}/cycles", json=reversed_dates).status_code == 422


def test_templates_questions_are_fixed_once_used(org, world, api, ask, fb):
    client = api(org.admin)
    made = client.post(
        f"{URL}/templates",
        json={
            "name": "Engineering",
            "questions": [
                {"kind": "rating", "prompt": "Code quality", "competency": "Craft", "skill_id": None},
                {"kind": "text", "prompt": "Anything else?"},
            ],
        },
    )
    assert made.status_code == 201 and made.json["questions"][0]["anchors"][0] == "Strongly disagree"
    assert (
        client.post(
            f"{URL}/templates",
            json={"name": "No competency", "questions": [{"kind": "rating", "prompt": "x"}]},
        ).status_code
        == 422
    )
    replaced = client.patch(
        f"{URL}/templates/{made.json['id']}", json={"questions": [{"kind": "text", "prompt": "Only this"}]}
    )
    assert replaced.status_code == 200 and len(replaced.json["questions"]) == 1
    ask(world["subject"], fb.nominations(world, 1, 0), template_id=made.json["id"])
    again = client.patch(
        f"{URL}/templates/{made.json['id']}", json={"questions": [{"kind": "text", "prompt": "Changed"}]}
    )
    assert again.status_code == 409
    names = {t["key"] for t in client.get(f"{URL}/templates").json["items"]}
    assert {"general_360", "manager_360", "quick"} <= names
