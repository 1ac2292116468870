"""Creating, reading, listing and changing goals through the API: the stored SMART check, the
derived health, status changes, archive and reopen, and bad input answered 422 with nothing written."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

URL = "/api/v1/goals"
TODAY = date.today()


def test_create_returns_the_goal_with_progress_health_and_smart(org, api, make_goal):
    person = org.person("Ada")
    goal = make_goal(api(person))
    assert goal["owner_id"] == str(person.id)
    assert goal["status"] == "active" and goal["kind"] == "goal"
    assert goal["current_value"] == 400 and goal["progress"] == 0
    assert goal["smart"]["is_smart"] is True and goal["smart"]["score"] == 5
    assert goal["health"] in ("on_track", "at_risk", "off_track")
    assert goal["can_edit"] is True
    again = api(person).get(f"{URL}/{goal['id']}").json
    assert again["smart"] == goal["smart"]


def test_a_new_goal_is_a_draft_by_default_and_drafts_have_no_health(org, api, goal_body):
    person = org.person("Ada")
    body = goal_body()
    del body["status"]
    draft = api(person).post(URL, json=body).json
    assert draft["status"] == "draft" and draft["health"] is None


def test_binary_goal_ignores_numeric_values(org, api, make_goal):
    person = org.person("Ada")
    goal = make_goal(api(person), measure_kind="binary", title="Publish the on-call runbook for payments")
    assert goal["start_value"] is None and goal["target_value"] is None and goal["done"] is False
    assert goal["smart"]["criteria"][1] == {
        "key": "measurable",
        "label": "Measurable",
        "ok": True,
        "hints": [],
    }


def test_the_stored_smart_check_shows_hints(org, api, make_goal):
    person = org.person("Ada")
    goal = make_goal(
        api(person), title="Improve docs", what="", metric_name=None, due_date=None, relevance_note=""
    )
    failing = {c["key"]: c["hints"] for c in goal["smart"]["criteria"] if not c["ok"]}
    assert set(failing) == {"specific", "measurable", "relevant", "time_bound"}
    assert "Set a due date." in failing["time_bound"]
    assert goal["smart"]["score"] == 1


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"start_date": TODAY.isoformat(), "due_date": (TODAY - timedelta(days=1)).isoformat()}, "due_date"),
        ({"start_value": 10, "target_value": 10}, "target_value"),
        ({"target_value": None}, "target_value"),
        ({"title": "   "}, "title"),
        ({"status": "completed"}, "status"),
        ({"confidence": 3}, "confidence"),
        ({"measure_kind": "percent"}, "measure_kind"),
        ({"weight": 0}, "weight"),
        ({"visibility": "everyone"}, "visibility"),
        ({"start_value": 1e300}, "start_value"),
        ({"parent_id": "00000000-0000-0000-0000-000000000001"}, "parent_id"),
        ({"team_id": "00000000-0000-0000-0000-000000000001"}, "team_id"),
    ],
)
def test_bad_input_is_422_with_a_field_message_and_writes_nothing(
    org, api, goals_snapshot, goal_body, overrides, field
):
    person = org.person("Ada")
    before = goals_snapshot(org)
    response = api(person).post(URL, json=goal_body(**overrides))
    assert response.status_code == 422, response.json
    assert field in response.json["errors"]["json"]
    assert goals_snapshot(org) == before


def test_a_parent_in_another_organisation_is_refused(
    org, other_org, api, make_goal, goals_snapshot, goal_body
):
    theirs = make_goal(api(other_org.person("Eve")), visibility="tenant")
    person = org.person("Ada")
    before = goals_snapshot(org)
    response = api(person).post(URL, json=goal_body(parent_id=theirs["id"]))
    assert response.status_code == 422
    assert response.json["errors"]["json"] == {"parent_id": ["no such goal in this organisation"]}
    assert goals_snapshot(org) == before


def test_a_cycle_is_refused_and_changes_nothing(org, api, make_goal, goals_snapshot):
    client = api(org.person("Ada"))
    top = make_goal(client, horizon="long_term")
    mid = make_goal(client, parent_id=top["id"])
    leaf = make_goal(client, parent_id=mid["id"])
    before = goals_snapshot(org)
    for goal, parent in ((top, leaf), (top, mid), (mid, mid)):
        response = client.patch(f"{URL}/{goal['id']}", json={"parent_id": parent["id"]})
        assert response.status_code == 422, response.json
        assert "parent_id" in response.json["errors"]["json"]
    assert goals_snapshot(org) == before


def test_patch_reports_every_problem_at_once_and_writes_nothing(org, api, make_goal, goals_snapshot):
    client = api(org.person("Ada"))
    goal = make_goal(client)
    before = goals_snapshot(org)
    response = client.patch(
        f"{URL}/{goal['id']}",
        json={"target_value": 400, "due_date": (TODAY - timedelta(days=30)).isoformat()},
    )
    assert response.status_code == 422
    assert set(response.json["errors"]["json"]) == {"target_value", "due_date"}
    # The message names the start date the due date was compared with.
    assert response.json["errors"]["json"]["due_date"] == [
        f"must be on or after the start date ({goal['start_date']})"
    ]
    assert goals_snapshot(org) == before


def test_patch_changes_fields_and_refreshes_smart(org, api, make_goal):
    client = api(org.person("Ada"))
    goal = make_goal(client, due_date=None)
    assert goal["smart"]["score"] == 4
    changed = client.patch(
        f"{URL}/{goal['id']}",
        json={"due_date": (TODAY + timedelta(days=30)).isoformat(), "tags": ["Perf", "perf"]},
    ).json
    assert changed["smart"]["score"] == 5 and changed["tags"] == ["perf"]


def test_status_transitions(org, api, make_goal):
    client = api(org.person("Ada"))
    goal = make_goal(client, status="draft")
    url = f"{URL}/{goal['id']}"
    assert client.patch(url, json={"status": "completed"}).status_code == 422
    assert client.patch(url, json={"status": "active"}).json["status"] == "active"
    done = client.patch(url, json={"status": "completed"}).json
    assert done["status"] == "completed" and done["progress"] == 1 and done["completed_at"]
    assert client.patch(url, json={"status": "active"}).status_code == 422
    assert client.post(f"{url}/reopen").json["status"] == "active"
    assert client.post(f"{url}/archive").status_code == 409  # only finished goals are archived


def test_archive_hides_from_lists_and_reopen_brings_back(org, api, make_goal):
    client = api(org.person("Ada"))
    goal = make_goal(client)
    url = f"{URL}/{goal['id']}"
    client.patch(url, json={"status": "abandoned"})
    archived = client.post(f"{url}/archive").json
    assert archived["archived_at"] is not None
    assert client.get(URL).json["total"] == 0
    assert client.get(URL, query_string={"include_archived": "true"}).json["total"] == 1
    assert client.patch(url, json={"title": "Renamed goal title here"}).status_code == 409
    reopened = client.post(f"{url}/reopen").json
    assert reopened["status"] == "active" and reopened["archived_at"] is None
    assert client.get(URL).json["total"] == 1
    assert client.post(f"{url}/reopen").status_code == 409


def test_list_filters(org, api, make_goal):
    client = api(org.person("Ada"))
    soon = make_goal(client, title="Ship the search box", due_date=(TODAY + timedelta(days=5)).isoformat())
    later = make_goal(
        client,
        title="Become the search expert",
        horizon="long_term",
        tags=["growth"],
        due_date=(TODAY + timedelta(days=300)).isoformat(),
    )
    draft = make_goal(client, title="Draft idea for later", status="draft", parent_id=later["id"])

    def ids(**query):
        response = client.get(URL, query_string=query)
        assert response.status_code == 200, response.json
        return [g["id"] for g in response.json["items"]]

    assert ids() == [soon["id"], draft["id"], later["id"]]  # soonest due first
    assert ids(horizon="long_term") == [later["id"]]
    assert ids(status="draft") == [draft["id"]]
    assert ids(tag="GROWTH") == [later["id"]]
    assert ids(tag="grow") == []
    assert ids(root_only="true", due_before=(TODAY + timedelta(days=30)).isoformat()) == [soon["id"]]
    assert ids(due_after=(TODAY + timedelta(days=30)).isoformat()) == [draft["id"], later["id"]]
    assert ids(parent_id=later["id"]) == [draft["id"]]
    assert ids(q="SEARCH") == [soon["id"], later["id"]]
    assert client.get(URL, query_string={"scope": "everything"}).status_code == 422
    assert client.get(URL, query_string={"bogus": "1"}).status_code == 422


def test_smart_check_of_a_draft_writes_nothing(org, api, goals_snapshot, make_goal):
    client = api(org.person("Ada"))
    parent = make_goal(client, due_date=(TODAY + timedelta(days=20)).isoformat())
    before = goals_snapshot(org)
    response = client.post(
        f"{URL}/smart-check",
        json={
            "title": "Improve things",
            "start_value": 5,
            "target_value": 5,
            "parent_id": parent["id"],
            "due_date": (TODAY + timedelta(days=60)).isoformat(),
        },
    )
    assert response.status_code == 200, response.json
    result = response.json
    by_key = {c["key"]: c for c in result["criteria"]}
    assert not by_key["specific"]["ok"] and not by_key["measurable"]["ok"]
    assert by_key["relevant"]["ok"]
    assert "after the due date of the goal it supports" in by_key["time_bound"]["hints"][0]
    assert result["problems"] == {"target_value": ["must differ from the start value"]}
    assert goals_snapshot(org) == before


def test_smart_check_of_an_existing_goal_uses_its_history(org, api, make_goal):
    client = api(org.person("Ada"))
    goal = make_goal(client)
    response = client.post(f"{URL}/smart-check", json={"goal_id": goal["id"], "title": "x"})
    assert response.status_code == 200
    assert response.json["problems"] == {}
    assert (
        client.post(
            f"{URL}/smart-check", json={"goal_id": "00000000-0000-0000-0000-000000000009"}
        ).status_code
        == 404
    )
