"""Who sees what: the owner edits their plans and profile; the manager chain reads, suggests items
and gives a manager's assessment; HR admins read everything and curate; everyone else is refused.
Another organisation's ids are 404 on every endpoint, and a refused request changes nothing."""

from __future__ import annotations

import pytest


@pytest.fixture
def things(org, api, world, skill_ids):
    admin, owner = api(world["admin"]), api(world["owner"])
    python = skill_ids["python"]
    profile = admin.post("/api/v1/role-profiles", json={"name": "Engineer II"}).json
    item = admin.post("/api/v1/learning/catalogue", json={"title": "SQL basics", "kind": "course"}).json
    plan = owner.post("/api/v1/learning/plans", json={"title": "My plan"}).json
    entry = owner.post(
        f"/api/v1/learning/plans/{plan['id']}/items", json={"kind": "book", "title": "DDIA"}
    ).json
    goal = owner.post("/api/v1/goals", json={"title": "Ship it", "measure_kind": "binary"}).json
    owner.put(f"/api/v1/people/{world['owner'].id}/skills/{python}", json={"self_level": 2})
    return {
        "person": world["owner"].id,
        "skill": python,
        "other_skill": skill_ids["sql"],
        "profile": profile["id"],
        "catalogue": item["id"],
        "plan": plan["id"],
        "item": entry["id"],
        "goal": goal["id"],
    }


def _call(client, method, url, body, ids):
    url = url.format(**ids)
    body = (
        {k: (v.format(**ids) if isinstance(v, str) else v) for k, v in (body or {}).items()} if body else None
    )
    call = getattr(client, method)
    return call(url, json=body) if body is not None else call(url)


# Reads of one person's learning: the person, their chain and HR admins; peers get 403.
PERSON_READS = [
    ("get", "/api/v1/people/{person}/skills", None),
    ("get", "/api/v1/people/{person}/skill-evidence", None),
    ("get", "/api/v1/people/{person}/skill-gaps", None),
    ("get", "/api/v1/people/{person}/career-path", None),
    ("get", "/api/v1/people/{person}/expiring-certifications", None),
]
PLAN_READS = [("get", "/api/v1/learning/plans/{plan}", None)]
OWNER_WRITES = [
    ("patch", "/api/v1/learning/plans/{plan}", {"title": "Hijacked"}),
    ("patch", "/api/v1/learning/plans/{plan}/items/{item}", {"status": "dropped"}),
    ("post", "/api/v1/learning/plans/{plan}/items/{item}/accept", None),
    ("put", "/api/v1/people/{person}/skills/{skill}", {"self_level": 5}),
    ("delete", "/api/v1/people/{person}/skills/{skill}", None),
]
HR_WRITES = [
    ("post", "/api/v1/skills", {"name": "Sneaky skill"}),
    ("patch", "/api/v1/skills/{skill}", {"name": "Renamed"}),
    ("put", "/api/v1/skills/{skill}/related", {"related": []}),
    ("post", "/api/v1/skills/{skill}/merge", {"into_skill_id": "{other_skill}"}),
    ("post", "/api/v1/role-profiles", {"name": "Sneaky"}),
    ("patch", "/api/v1/role-profiles/{profile}", {"name": "Renamed"}),
    ("post", "/api/v1/learning/catalogue", {"title": "Sneaky", "kind": "book"}),
    ("patch", "/api/v1/learning/catalogue/{catalogue}", {"title": "Renamed"}),
]
SHARED_READS = [
    ("get", "/api/v1/skills/{skill}", None),
    ("get", "/api/v1/role-profiles/{profile}", None),
    ("get", "/api/v1/learning/catalogue/{catalogue}", None),
    ("get", "/api/v1/goals/{goal}/skills", None),
]
OTHER_WRITES = [
    ("put", "/api/v1/people/{person}/career-path", {"target_profile_id": "{profile}"}),
    ("put", "/api/v1/goals/{goal}/skills", {"skills": []}),
    ("post", "/api/v1/learning/plans/{plan}/items", {"kind": "book", "title": "Suggested"}),
]


@pytest.mark.parametrize(("method", "url", "body"), PERSON_READS + PLAN_READS, ids=str)
@pytest.mark.parametrize("who", ["owner", "lead", "boss", "admin"])
def test_the_person_their_chain_and_hr_read(api, world, things, who, method, url, body):
    assert _call(api(world[who]), method, url, body, things).status_code == 200


@pytest.mark.parametrize(("method", "url", "body"), PERSON_READS, ids=str)
@pytest.mark.parametrize("who", ["peer", "report"])
def test_peers_and_reports_get_403_on_a_persons_learning(api, world, things, who, method, url, body):
    assert _call(api(world[who]), method, url, body, things).status_code == 403


@pytest.mark.parametrize("who", ["peer", "report"])
def test_a_plan_hidden_from_you_is_404(api, world, things, who):
    assert api(world[who]).get(f"/api/v1/learning/plans/{things['plan']}").status_code == 404


@pytest.mark.parametrize(("method", "url", "body"), OWNER_WRITES, ids=str)
@pytest.mark.parametrize("who", ["lead", "admin"])
def test_only_the_owner_writes_and_nothing_changes_otherwise(
    org, api, world, things, snapshot, who, method, url, body
):
    before = snapshot(org)
    response = _call(api(world[who]), method, url, body, things)
    assert response.status_code == 403, response.json
    assert snapshot(org) == before


@pytest.mark.parametrize(("method", "url", "body"), HR_WRITES, ids=str)
@pytest.mark.parametrize("who", ["owner", "lead"])
def test_catalogue_and_profile_writes_are_for_hr_admins(
    org, api, world, things, snapshot, who, method, url, body
):
    before = snapshot(org)
    response = _call(api(world[who]), method, url, body, things)
    assert response.status_code == 403, response.json
    assert snapshot(org) == before


def test_a_manager_suggests_an_item_which_the_owner_accepts(api, world, things):
    plan = things["plan"]
    suggested = api(world["boss"]).post(
        f"/api/v1/learning/plans/{plan}/items", json={"kind": "workshop", "title": "Facilitation 101"}
    )
    assert suggested.status_code == 201, suggested.json
    assert suggested.json["pending_suggestion"] is True and suggested.json["suggested_by_id"] == str(
        world["boss"].id
    )
    refused = api(world["lead"]).post(
        f"/api/v1/learning/plans/{plan}/items", json={"kind": "book", "title": "X", "status": "completed"}
    )
    assert refused.status_code == 422 and "status" in refused.json["errors"]["json"]
    for who in ("admin", "peer"):
        status = api(world[who]).post(
            f"/api/v1/learning/plans/{plan}/items", json={"kind": "book", "title": "X"}
        )
        assert status.status_code == (403 if who == "admin" else 404)
    accepted = api(world["owner"]).post(f"/api/v1/learning/plans/{plan}/items/{suggested.json['id']}/accept")
    assert accepted.status_code == 200 and accepted.json["pending_suggestion"] is False


def test_managers_assess_and_owners_self_assess(api, world, things):
    url = f"/api/v1/people/{world['owner'].id}/skills/{things['skill']}"
    assessed = api(world["boss"]).put(url, json={"manager_level": 4, "manager_note": "Leads the migration"})
    assert assessed.status_code == 200, assessed.json
    assert assessed.json["current_level"] == 4 and assessed.json["self_level"] == 2
    assert api(world["owner"]).put(url, json={"manager_level": 5}).status_code == 403
    assert api(world["boss"]).put(url, json={"self_level": 5}).status_code == 403
    assert api(world["admin"]).put(url, json={"manager_level": 1}).status_code == 403


def test_career_path_roles(api, world, things):
    url = f"/api/v1/people/{world['owner'].id}/career-path"
    assert api(world["owner"]).put(url, json={"target_profile_id": things["profile"]}).status_code == 200
    assert api(world["owner"]).put(url, json={"role_profile_id": things["profile"]}).status_code == 403
    assert api(world["lead"]).put(url, json={"role_profile_id": things["profile"]}).status_code == 200
    assert api(world["peer"]).put(url, json={"target_profile_id": None}).status_code == 403
    path = api(world["owner"]).get(url).json
    assert path["role_profile_source"] == "assigned" and path["target_profile"]["id"] == things["profile"]


@pytest.mark.parametrize(
    ("method", "url", "body"),
    PERSON_READS
    + PLAN_READS
    + OWNER_WRITES
    + HR_WRITES[1:4]
    + HR_WRITES[5:6]
    + HR_WRITES[7:]
    + SHARED_READS
    + OTHER_WRITES,
    ids=str,
)
def test_another_organisations_ids_are_404_and_change_nothing(
    org, other_org, api, things, snapshot, method, url, body
):
    before = snapshot(org)
    response = _call(api(other_org.admin), method, url, body, things)
    assert response.status_code == 404, response.json
    assert snapshot(org) == before


def test_lists_never_show_another_organisations_rows(org, other_org, api, things):
    client = api(other_org.admin)
    assert client.get("/api/v1/learning/plans", query_string={"scope": "visible"}).json["total"] == 0
    assert client.get("/api/v1/learning/catalogue").json["total"] == 0
    assert client.get("/api/v1/role-profiles").json["total"] == 0
    assert (
        client.get("/api/v1/learning/expiring-certifications", query_string={"scope": "all"}).json["total"]
        == 0
    )
    theirs = {s["id"] for s in client.get("/api/v1/skills", query_string={"per_page": 200}).json["items"]}
    assert things["skill"] not in theirs and len(theirs) > 0  # they got their own default taxonomy
