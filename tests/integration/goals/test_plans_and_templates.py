"""Action plans (tasks in Eisenhower quadrants, obstacles) and goal templates assigned in bulk to
a list of people, a team or a manager's subtree."""

from __future__ import annotations

from datetime import date, timedelta

URL = "/api/v1/goals"
TODAY = date.today()


def test_tasks_sort_into_the_four_quadrants(org, api, make_goal):
    client = api(org.person("Ada"))
    goal = make_goal(client)
    other = make_goal(client, title="Write the quarterly payments report")
    tasks = {
        "do": {
            "title": "Fix the failing deploy",
            "urgent": True,
            "important": True,
            "due_date": TODAY.isoformat(),
        },
        "schedule": {
            "title": "Plan the cache design",
            "urgent": False,
            "important": True,
            "estimate_hours": 6,
        },
        "delegate": {"title": "Book the review room", "urgent": True, "important": False},
        "eliminate": {"title": "Tidy old dashboards", "urgent": False, "important": False},
    }
    for quadrant, body in tasks.items():
        target = other if quadrant == "delegate" else goal
        created = client.post(f"{URL}/{target['id']}/tasks", json=body)
        assert created.status_code == 201 and created.json["quadrant"] == quadrant
    view = client.get("/api/v1/me/tasks", query_string={"view": "eisenhower"}).json
    assert view["view"] == "eisenhower" and view["total"] == 4
    assert {q: [t["title"] for t in items] for q, items in view["quadrants"].items()} == {
        q: [body["title"]] for q, body in tasks.items()
    }
    assert view["quadrants"]["delegate"][0]["goal_title"] == "Write the quarterly payments report"
    listed = client.get("/api/v1/me/tasks").json
    assert listed["view"] == "list" and listed["items"][0]["title"] == "Fix the failing deploy"
    assert client.get("/api/v1/me/tasks", query_string={"view": "kanban"}).status_code == 422


def test_done_tasks_leave_the_open_list(org, api, make_goal):
    client = api(org.person("Ada"))
    goal = make_goal(client)
    task = client.post(f"{URL}/{goal['id']}/tasks", json={"title": "Read the PSP docs"}).json
    done = client.patch(f"{URL}/{goal['id']}/tasks/{task['id']}", json={"done": True}).json
    assert done["done"] is True and done["done_at"] is not None
    assert client.get("/api/v1/me/tasks").json["total"] == 0
    assert client.get("/api/v1/me/tasks", query_string={"include_done": "true"}).json["total"] == 1
    assert client.patch(f"{URL}/{goal['id']}/tasks/{task['id']}", json={"title": " "}).status_code == 422
    assert client.delete(f"{URL}/{goal['id']}/tasks/{task['id']}").status_code == 204
    assert client.get(f"{URL}/{goal['id']}/tasks").json == []


def test_a_task_is_addressed_through_its_own_goal(org, api, make_goal):
    client = api(org.person("Ada"))
    goal, other = make_goal(client), make_goal(client)
    task = client.post(f"{URL}/{goal['id']}/tasks", json={"title": "Read the PSP docs"}).json
    assert client.patch(f"{URL}/{other['id']}/tasks/{task['id']}", json={"done": True}).status_code == 404


def test_obstacles_with_contingency_and_status(org, api, make_goal):
    client = api(org.person("Ada"))
    goal = make_goal(client)
    created = client.post(
        f"{URL}/{goal['id']}/obstacles",
        json={"description": "Payments may not review in time", "contingency": "Ship behind a flag"},
    )
    assert created.status_code == 201 and created.json["status"] == "open"
    obstacle = created.json["id"]
    changed = client.patch(f"{URL}/{goal['id']}/obstacles/{obstacle}", json={"status": "mitigated"})
    assert changed.json["status"] == "mitigated"
    assert (
        client.patch(f"{URL}/{goal['id']}/obstacles/{obstacle}", json={"status": "gone"}).status_code == 422
    )
    assert [o["description"] for o in client.get(f"{URL}/{goal['id']}/obstacles").json] == [
        "Payments may not review in time"
    ]
    assert client.delete(f"{URL}/{goal['id']}/obstacles/{obstacle}").status_code == 204


TEMPLATE = {
    "title": "Cut incident response time",
    "what": "Acknowledge pages faster",
    "measure_kind": "numeric",
    "metric_name": "median time to acknowledge",
    "unit": "min",
    "start_value": 30,
    "target_value": 10,
    "default_duration_days": 90,
    "relevance_note": "Reliability is a company goal",
    "tags": ["Reliability"],
    "milestones": [
        {"title": "Runbook written", "offset_days": 30},
        {"title": "Shadow on-call", "offset_days": 10},
    ],
}


def test_templates_are_assigned_to_a_list_idempotently(org, api):
    admin = api(org.admin)
    people = [org.person(f"Person {i}") for i in range(3)]
    template = admin.post("/api/v1/goal-templates", json=TEMPLATE).json
    assert [m["title"] for m in template["milestones"]] == ["Shadow on-call", "Runbook written"]
    start = TODAY.isoformat()
    result = admin.post(
        f"/api/v1/goal-templates/{template['id']}/assign",
        json={"person_ids": [str(p.id) for p in people], "start_date": start},
    )
    assert result.status_code == 201, result.json
    assert (result.json["created"], result.json["milestones_created"], result.json["skipped"]) == (3, 6, 0)
    again = admin.post(
        f"/api/v1/goal-templates/{template['id']}/assign", json={"person_ids": [str(people[0].id)]}
    )
    assert (again.json["created"], again.json["skipped"]) == (0, 1)

    tree = api(people[0]).get(f"{URL}/tree").json
    goal, first, second = tree["items"]
    assert goal["template_id"] == template["id"] and goal["owner_id"] == str(people[0].id)
    assert goal["due_date"] == (TODAY + timedelta(days=90)).isoformat() and goal["status"] == "active"
    assert goal["tags"] == ["reliability"] and goal["smart"]["is_smart"]
    assert [(m["title"], m["kind"], m["depth"]) for m in (first, second)] == [
        ("Shadow on-call", "milestone", 1),
        ("Runbook written", "milestone", 1),
    ]
    assert first["due_date"] == (TODAY + timedelta(days=10)).isoformat()


def test_templates_are_assigned_to_a_team_or_a_subtree(org, api):
    admin = api(org.admin)
    team = admin.post("/api/v1/teams", json={"name": "Ops"}).json["id"]
    lead = org.person("Lead", team_id=team)
    a = org.person("A", manager=lead, team_id=team)
    b = org.person("B", manager=a)
    template = admin.post("/api/v1/goal-templates", json=TEMPLATE).json
    by_team = admin.post(f"/api/v1/goal-templates/{template['id']}/assign", json={"team_id": team}).json
    assert by_team["created"] == 2
    by_subtree = admin.post(
        f"/api/v1/goal-templates/{template['id']}/assign", json={"manager_id": str(lead.id)}
    ).json
    assert (by_subtree["created"], by_subtree["skipped"]) == (1, 1)
    assert by_subtree["goal_ids"] and api(b).get(f"{URL}/{by_subtree['goal_ids'][0]}").status_code == 200


def test_assignment_rules(org, api, goals_snapshot):
    admin = api(org.admin)
    person = org.person("Ada")
    template = admin.post("/api/v1/goal-templates", json=TEMPLATE).json
    url = f"/api/v1/goal-templates/{template['id']}/assign"
    before = goals_snapshot(org)
    for body, field in (
        ({}, "_schema"),
        ({"person_ids": [str(person.id)], "team_id": str(person.id)}, "_schema"),
        ({"team_id": str(person.id)}, "team_id"),
        ({"manager_id": "00000000-0000-0000-0000-000000000001"}, "manager_id"),
        ({"person_ids": [str(person.id)], "start_date": "9999-12-01"}, "start_date"),
        ({"person_ids": [str(person.id)], "parent_id": "00000000-0000-0000-0000-000000000001"}, "parent_id"),
    ):
        response = admin.post(url, json=body)
        assert response.status_code == 422, (body, response.json)
        assert field in response.json["errors"]["json"], response.json
    assert goals_snapshot(org) == before


def test_template_validation(org, api, goals_snapshot):
    admin = api(org.admin)
    before = goals_snapshot(org)
    for body, field in (
        ({**TEMPLATE, "target_value": 30}, "target_value"),
        ({**TEMPLATE, "milestones": [{"title": "Late", "offset_days": 200}]}, "milestones.0.offset_days"),
        ({**TEMPLATE, "default_duration_days": 0}, "default_duration_days"),
        ({**TEMPLATE, "title": "  "}, "title"),
    ):
        response = admin.post("/api/v1/goal-templates", json=body)
        assert response.status_code == 422 and field in response.json["errors"]["json"], response.json
    assert goals_snapshot(org) == before


def test_a_template_edit_checks_each_milestone_it_sends_whole(org, api, goals_snapshot):
    """A PATCH may leave fields out, but not a milestone's own required fields (it was a 500)."""
    admin = api(org.admin)
    template = admin.post("/api/v1/goal-templates", json=TEMPLATE).json
    before = goals_snapshot(org)
    url = f"/api/v1/goal-templates/{template['id']}"
    for milestones, field in (([{"title": "Meet the team"}], "offset_days"), ([{"offset_days": 5}], "title")):
        response = admin.patch(url, json={"milestones": milestones})
        assert response.status_code == 422, response.json
        assert field in response.json["errors"]["json"]["milestones"]["0"], response.json
    assert goals_snapshot(org) == before
    edited = admin.patch(url, json={"milestones": [{"title": "Meet the team", "offset_days": 5}]})
    assert edited.status_code == 200 and edited.json["milestones"] == [
        {"title": "Meet the team", "offset_days": 5}
    ]
    assert edited.json["title"] == template["title"]  # what the PATCH left out is kept


def test_retired_templates_are_hidden_and_cannot_be_assigned(org, api):
    admin = api(org.admin)
    person = org.person("Ada")
    template = admin.post("/api/v1/goal-templates", json=TEMPLATE).json
    assert (
        admin.patch(f"/api/v1/goal-templates/{template['id']}", json={"is_active": False}).status_code == 200
    )
    assert admin.get("/api/v1/goal-templates").json == []
    assert len(admin.get("/api/v1/goal-templates", query_string={"include_inactive": "true"}).json) == 1
    response = admin.post(
        f"/api/v1/goal-templates/{template['id']}/assign", json={"person_ids": [str(person.id)]}
    )
    assert response.status_code == 422
    assert api(person).get(f"/api/v1/goal-templates/{template['id']}").status_code == 200
