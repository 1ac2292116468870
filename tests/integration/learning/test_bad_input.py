"""Bad input answers a clear 4xx naming the field, and writes nothing: unknown or retired skills,
levels out of range, dates out of order, another organisation's goal or skill."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

TODAY = date.today()
UNKNOWN = "00000000-0000-4000-8000-000000000001"


@pytest.fixture
def setup(org, other_org, api, world, skill_ids):
    owner = api(world["owner"])
    plan = owner.post("/api/v1/learning/plans", json={"title": "Plan"}).json
    goal = owner.post("/api/v1/goals", json={"title": "Mine", "measure_kind": "binary"}).json
    stranger = other_org.person("Stranger")
    foreign_goal = (
        api(stranger).post("/api/v1/goals", json={"title": "Theirs", "measure_kind": "binary"}).json
    )
    foreign_skill = api(other_org.admin).get("/api/v1/skills").json["items"][0]["id"]
    retired = skill_ids["rust"]
    assert api(org.admin).patch(f"/api/v1/skills/{retired}", json={"status": "retired"}).status_code == 200
    return {
        "plan": plan["id"],
        "goal": goal["id"],
        "foreign_goal": foreign_goal["id"],
        "foreign_skill": foreign_skill,
        "retired": retired,
        "skill": skill_ids["python"],
    }


ITEM_CASES = [
    ({"kind": "book", "title": "X", "skill_ids": [UNKNOWN]}, "skill_ids"),
    ({"kind": "book", "title": "X", "skill_ids": ["{foreign_skill}"]}, "skill_ids"),
    ({"kind": "book", "title": "X", "skill_ids": ["{retired}"]}, "skill_ids"),
    ({"kind": "book", "title": "X", "goal_ids": ["{foreign_goal}"]}, "goal_ids"),
    ({"kind": "book", "title": "X", "goal_ids": [UNKNOWN]}, "goal_ids"),
    (
        {
            "kind": "course",
            "title": "X",
            "start_date": TODAY.isoformat(),
            "due_date": (TODAY - timedelta(days=1)).isoformat(),
        },
        "due_date",
    ),
    ({"kind": "book", "title": "X", "expires_on": TODAY.isoformat()}, "expires_on"),
    ({"kind": "book", "title": "X", "completed_on": TODAY.isoformat()}, "completed_on"),
    (
        {
            "kind": "book",
            "title": "X",
            "status": "completed",
            "completed_on": (TODAY + timedelta(days=3)).isoformat(),
        },
        "completed_on",
    ),
    ({"kind": "podcast", "title": "X"}, "kind"),
    ({"kind": "book", "title": "   "}, "title"),
    ({"title": "No kind"}, "kind"),
    ({"kind": "book", "title": "X", "hours": -1}, "hours"),
    ({"kind": "book", "title": "X", "catalogue_item_id": UNKNOWN}, "catalogue_item_id"),
    ({"kind": "book", "title": "X", "url": "javascript:alert(1)"}, "url"),
    ({"kind": "book", "title": "X", "url": "example.com/no-scheme"}, "url"),
]


def _fill(value, ids):
    if isinstance(value, str):
        return value.format(**ids)
    if isinstance(value, list):
        return [_fill(v, ids) for v in value]
    return value


@pytest.mark.parametrize(("body", "field"), ITEM_CASES, ids=str)
def test_bad_items_are_422_and_write_nothing(org, api, world, setup, snapshot, body, field):
    before = snapshot(org)
    payload = {k: _fill(v, setup) for k, v in body.items()}
    response = api(world["owner"]).post(f"/api/v1/learning/plans/{setup['plan']}/items", json=payload)
    assert response.status_code == 422, response.json
    assert field in response.json["errors"]["json"], response.json
    assert snapshot(org) == before


@pytest.mark.parametrize(
    ("url", "body", "field"),
    [
        (
            "/api/v1/learning/plans",
            {"title": "P", "start_date": TODAY.isoformat(), "due_date": "2000-01-01"},
            "due_date",
        ),
        ("/api/v1/learning/plans", {"title": ""}, "title"),
        (
            "/api/v1/role-profiles",
            {"name": "R", "requirements": [{"skill_id": "{skill}", "level": 6}]},
            "requirements",
        ),
        (
            "/api/v1/role-profiles",
            {"name": "R", "requirements": [{"skill_id": "{skill}", "level": 0}]},
            "requirements",
        ),
        (
            "/api/v1/role-profiles",
            {"name": "R", "requirements": [{"skill_id": UNKNOWN, "level": 3}]},
            "requirements",
        ),
        (
            "/api/v1/role-profiles",
            {"name": "R", "requirements": [{"skill_id": "{foreign_skill}", "level": 3}]},
            "requirements",
        ),
        ("/api/v1/role-profiles", {"name": "R", "next_profile_id": UNKNOWN}, "next_profile_id"),
        (
            "/api/v1/learning/catalogue",
            {"title": "C", "kind": "course", "skills": [{"skill_id": "{retired}"}]},
            "skills",
        ),
        (
            "/api/v1/learning/catalogue",
            {"title": "C", "kind": "course", "validity_months": 12},
            "validity_months",
        ),
        ("/api/v1/learning/catalogue", {"title": "C", "kind": "course", "url": "data:text/html,x"}, "url"),
        ("/api/v1/skills", {"name": "Python"}, "name"),
        ("/api/v1/skills", {"name": "X", "level_descriptions": ["a", "b"]}, "level_descriptions"),
    ],
    ids=str,
)
def test_bad_hr_and_plan_input_is_422_and_writes_nothing(org, api, world, setup, snapshot, url, body, field):
    who = world["owner"] if "plans" in url else world["admin"]
    before = snapshot(org)
    response = api(who).post(url, json={k: _fill(v, setup) for k, v in body.items()})
    assert response.status_code == 422, response.json
    assert field in response.json["errors"]["json"], response.json
    assert snapshot(org) == before


def test_an_edit_checks_each_nested_item_it_sends_whole(org, api, world, setup, snapshot):
    """PATCH may leave fields out, but a requirement or catalogue skill it sends must be whole."""
    admin = api(world["admin"])
    profile = admin.post("/api/v1/role-profiles", json={"name": "Analyst"})
    item = admin.post("/api/v1/learning/catalogue", json={"title": "SQL course", "kind": "course"})
    assert profile.status_code == 201 and item.status_code == 201, (profile.json, item.json)
    before = snapshot(org)
    for url, body, field in (
        (f"/api/v1/role-profiles/{profile.json['id']}", {"requirements": [{"level": 3}]}, "requirements"),
        (
            f"/api/v1/role-profiles/{profile.json['id']}",
            {"requirements": [{"skill_id": setup["skill"]}]},
            "requirements",
        ),
        (f"/api/v1/learning/catalogue/{item.json['id']}", {"skills": [{}]}, "skills"),
    ):
        response = admin.patch(url, json=body)
        assert response.status_code == 422, (url, body, response.json)
        assert field in response.json["errors"]["json"], response.json
    assert snapshot(org) == before


def test_levels_out_of_range_and_unknown_skills_on_a_profile(org, api, world, setup, snapshot):
    owner, person = api(world["owner"]), world["owner"].id
    before = snapshot(org)
    for level in (0, 6, 2.5, "3"):
        response = owner.put(f"/api/v1/people/{person}/skills/{setup['skill']}", json={"self_level": level})
        assert response.status_code == 422 and "self_level" in response.json["errors"]["json"]
    assert owner.put(f"/api/v1/people/{person}/skills/{UNKNOWN}", json={"self_level": 3}).status_code == 404
    assert (
        owner.put(
            f"/api/v1/people/{person}/skills/{setup['foreign_skill']}", json={"self_level": 3}
        ).status_code
        == 404
    )
    retired = owner.put(f"/api/v1/people/{person}/skills/{setup['retired']}", json={"self_level": 3})
    assert retired.status_code == 422 and "skill_id" in retired.json["errors"]["json"]
    assert snapshot(org) == before


def test_goal_skills_refuse_unknown_and_foreign_skills(org, api, world, setup, snapshot):
    before = snapshot(org)
    url = f"/api/v1/goals/{setup['goal']}/skills"
    for skill in (UNKNOWN, setup["foreign_skill"], setup["retired"]):
        response = api(world["owner"]).put(url, json={"skills": [{"skill_id": skill, "level": 3}]})
        assert response.status_code == 422 and "skills" in response.json["errors"]["json"]
    bad_level = api(world["owner"]).put(url, json={"skills": [{"skill_id": setup["skill"], "level": 9}]})
    assert bad_level.status_code == 422
    assert snapshot(org) == before


def test_a_gap_report_for_an_unknown_target_profile_is_422(api, world, setup):
    response = api(world["owner"]).get(
        f"/api/v1/people/{world['owner'].id}/skill-gaps", query_string={"target_profile_id": UNKNOWN}
    )
    assert response.status_code == 422 and "target_profile_id" in response.json["errors"]["json"]
