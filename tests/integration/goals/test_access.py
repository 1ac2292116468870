"""Who sees what: the owner edits; the manager chain reads goals that are not private; team
members read team goals; HR admins read everything; anyone else gets 404. Readers who are not the
owner get 403 on every write; another organisation gets 404 on every id-taking endpoint; nothing
changes when a request is refused."""

from __future__ import annotations

import uuid

import pytest

URL = "/api/v1/goals"


@pytest.fixture
def world(org, api, make_goal):
    boss = org.person("Boss")
    lead = org.person("Lead", manager=boss)
    owner = org.person("Owner", manager=lead)
    peer = org.person("Peer", manager=lead)
    report = org.person("Report", manager=owner)
    client = api(owner)
    goals = {
        "chain": make_goal(client, visibility="manager_chain"),
        "private": make_goal(client, visibility="private"),
        "tenant": make_goal(client, visibility="tenant"),
    }
    goal = goals["chain"]
    task = client.post(f"{URL}/{goal['id']}/tasks", json={"title": "Profile the endpoint"}).json
    obstacle = client.post(f"{URL}/{goal['id']}/obstacles", json={"description": "No budget"}).json
    client.post(f"{URL}/{goal['id']}/checkins", json={"value": 300, "confidence": 3})
    template = (
        api(org.admin)
        .post("/api/v1/goal-templates", json={"title": "Write a tech talk", "measure_kind": "binary"})
        .json
    )
    return {
        "boss": boss,
        "lead": lead,
        "owner": owner,
        "peer": peer,
        "report": report,
        "admin": org.admin,
        "goals": goals,
        "goal": goal["id"],
        "task": task["id"],
        "obstacle": obstacle["id"],
        "template": template["id"],
    }


READERS = {
    # who: (chain, private, tenant)
    "owner": (True, True, True),
    "lead": (True, False, True),
    "boss": (True, False, True),
    "admin": (True, True, True),
    "peer": (False, False, True),
    "report": (False, False, True),
}


@pytest.mark.parametrize("who", list(READERS))
def test_a_persons_tree_holds_the_goals_the_reader_may_read(api, world, who):
    response = api(world[who]).get(f"{URL}/tree", query_string={"owner_id": str(world["owner"].id)})
    shown = {item["id"] for item in response.json["items"]}
    kinds = zip(("chain", "private", "tenant"), READERS[who], strict=True)
    expected = {world["goals"][kind]["id"] for kind, allowed in kinds if allowed}
    assert response.status_code == 200 and shown == expected, who


def test_the_tree_of_an_unknown_person_is_404(api, world):
    response = api(world["lead"]).get(f"{URL}/tree", query_string={"owner_id": str(uuid.uuid4())})
    assert response.status_code == 404


@pytest.mark.parametrize("who", list(READERS))
def test_who_reads_which_goal(api, world, who):
    client = api(world[who])
    for kind, allowed in zip(("chain", "private", "tenant"), READERS[who], strict=True):
        goal_id = world["goals"][kind]["id"]
        response = client.get(f"{URL}/{goal_id}")
        assert response.status_code == (200 if allowed else 404), (who, kind)
        for suffix in ("/tree", "/tasks", "/obstacles", "/checkins"):
            assert client.get(f"{URL}/{goal_id}{suffix}").status_code == (200 if allowed else 404), (
                who,
                suffix,
            )
        listed = {
            g["id"] for g in client.get(URL, query_string={"scope": "visible", "per_page": 200}).json["items"]
        }
        assert (goal_id in listed) is allowed, (who, kind)
    if who != "owner":
        assert client.get(f"{URL}/{world['goal']}").json.get("can_edit") in (False, None)


def test_reports_scope_lists_the_subtree_goals_that_are_not_private(api, world):
    listed = api(world["boss"]).get(URL, query_string={"scope": "reports"}).json["items"]
    assert {g["id"] for g in listed} == {world["goals"]["chain"]["id"], world["goals"]["tenant"]["id"]}
    assert api(world["peer"]).get(URL, query_string={"scope": "reports"}).json["total"] == 0


def test_team_goals_are_read_by_the_team(org, api, make_goal):
    team = api(org.admin).post("/api/v1/teams", json={"name": "Payments"}).json["id"]
    owner = org.person("Owner", team_id=team)
    member = org.person("Member", team_id=team)
    stranger = org.person("Stranger")
    goal = make_goal(api(owner), team_id=team)
    assert api(member).get(f"{URL}/{goal['id']}").status_code == 200
    assert api(member).get(URL, query_string={"scope": "team"}).json["total"] == 1
    assert api(stranger).get(f"{URL}/{goal['id']}").status_code == 404
    # Only a member (or an HR admin) makes a goal a team's goal.
    refused = api(stranger).post(URL, json={"title": "Not my team goal", "team_id": team, "target_value": 1})
    assert refused.status_code == 422 and "team_id" in refused.json["errors"]["json"]


def test_a_report_may_align_to_the_managers_goal_but_not_a_private_one(org, api, make_goal):
    lead = org.person("Lead")
    person = org.person("Ada", manager=lead)
    shared = make_goal(api(lead))
    private = make_goal(api(lead), visibility="private")
    assert api(person).post(URL, json={**_body(), "parent_id": shared["id"]}).status_code == 201
    refused = api(person).post(URL, json={**_body(), "parent_id": private["id"]})
    assert refused.status_code == 422 and "parent_id" in refused.json["errors"]["json"]


def _body():
    return {"title": "Ship the new checkout page", "target_value": 1, "metric_name": "pages shipped"}


WRITES = [
    ("patch", "/api/v1/goals/{goal}", {"title": "Hijacked goal title"}),
    ("patch", "/api/v1/goals/{goal}", {"status": "abandoned"}),
    ("post", "/api/v1/goals/{goal}/archive", None),
    ("post", "/api/v1/goals/{goal}/reopen", None),
    ("post", "/api/v1/goals/{goal}/checkins", {"value": 250, "confidence": 2}),
    ("post", "/api/v1/goals/{goal}/tasks", {"title": "Sneaky task"}),
    ("patch", "/api/v1/goals/{goal}/tasks/{task}", {"done": True}),
    ("delete", "/api/v1/goals/{goal}/tasks/{task}", None),
    ("post", "/api/v1/goals/{goal}/obstacles", {"description": "Sneaky"}),
    ("patch", "/api/v1/goals/{goal}/obstacles/{obstacle}", {"status": "resolved"}),
    ("delete", "/api/v1/goals/{goal}/obstacles/{obstacle}", None),
]

READS = [
    ("get", "/api/v1/goals/{goal}", None),
    ("get", "/api/v1/goals/{goal}/tree", None),
    ("get", "/api/v1/goals/{goal}/tasks", None),
    ("get", "/api/v1/goals/{goal}/obstacles", None),
    ("get", "/api/v1/goals/{goal}/checkins", None),
    ("post", "/api/v1/goals/smart-check", {"goal_id": "{goal}"}),
    ("get", "/api/v1/goals/tree?owner_id={owner_id}", None),
    ("get", "/api/v1/goal-templates/{template}", None),
]

HR_WRITES = [
    ("post", "/api/v1/goal-templates", {"title": "A template"}),
    ("patch", "/api/v1/goal-templates/{template}", {"title": "Renamed"}),
    ("post", "/api/v1/goal-templates/{template}/assign", {"person_ids": ["{owner_id}"]}),
]


def _call(client, method, template, payload, world):
    ids = {k: world[k] for k in ("goal", "task", "obstacle", "template")} | {"owner_id": world["owner"].id}
    url = template.format(**ids)
    if payload is not None:
        payload = {k: _fill(v, ids) for k, v in payload.items()}
    call = getattr(client, method)
    return call(url, json=payload) if payload is not None else call(url)


def _fill(value, ids):
    if isinstance(value, str):
        return value.format(**ids)
    if isinstance(value, list):
        return [_fill(v, ids) for v in value]
    return value


@pytest.mark.parametrize(("method", "template", "payload"), WRITES, ids=lambda v: str(v))
@pytest.mark.parametrize("who", ["lead", "boss", "admin"])
def test_readers_who_are_not_the_owner_get_403_and_nothing_changes(
    org, api, world, goals_snapshot, who, method, template, payload
):
    before = goals_snapshot(org)
    response = _call(api(world[who]), method, template, payload, world)
    assert response.status_code == 403, response.json
    assert goals_snapshot(org) == before


@pytest.mark.parametrize(("method", "template", "payload"), WRITES, ids=lambda v: str(v))
def test_people_who_cannot_read_the_goal_get_404_and_nothing_changes(
    org, api, world, goals_snapshot, method, template, payload
):
    before = goals_snapshot(org)
    response = _call(api(world["peer"]), method, template, payload, world)
    assert response.status_code == 404, response.json
    assert goals_snapshot(org) == before


@pytest.mark.parametrize(("method", "template", "payload"), HR_WRITES, ids=lambda v: str(v))
@pytest.mark.parametrize("who", ["owner", "lead"])
def test_template_writes_are_for_hr_admins(org, api, world, goals_snapshot, who, method, template, payload):
    before = goals_snapshot(org)
    response = _call(api(world[who]), method, template, payload, world)
    assert response.status_code == 403, response.json
    assert goals_snapshot(org) == before


@pytest.mark.parametrize(
    ("method", "template", "payload"), WRITES + READS + HR_WRITES[1:], ids=lambda v: str(v)
)
def test_another_organisations_id_is_404_and_changes_nothing(
    org, other_org, api, world, goals_snapshot, method, template, payload
):
    before = goals_snapshot(org)
    response = _call(api(other_org.admin), method, template, payload, world)
    assert response.status_code == 404, response.json
    assert goals_snapshot(org) == before


def test_another_organisations_people_cannot_be_assigned_a_template(
    org, other_org, api, world, goals_snapshot
):
    stranger = other_org.person("Stranger")
    before = goals_snapshot(org)
    response = api(org.admin).post(
        f"/api/v1/goal-templates/{world['template']}/assign", json={"person_ids": [str(stranger.id)]}
    )
    assert response.status_code == 422 and "person_ids" in response.json["errors"]["json"]
    assert goals_snapshot(org) == before


def test_lists_never_show_another_organisations_rows(org, other_org, api, world, make_goal):
    outsider = other_org.admin
    client = api(outsider)
    assert client.get(URL, query_string={"scope": "visible"}).json["total"] == 0
    assert client.get("/api/v1/goal-templates").json == []
    assert client.get("/api/v1/celebrations").json["total"] == 0
    assert client.get("/api/v1/me/tasks").json["total"] == 0
    assert (
        client.get(URL, query_string={"scope": "visible", "owner_id": str(world["owner"].id)}).json["total"]
        == 0
    )
