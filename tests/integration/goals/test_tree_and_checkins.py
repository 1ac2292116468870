"""Goal trees through the API: weighted roll-up recomputed up the ancestors on every check-in,
abandoned and draft children left out, alignment across owners, milestones completing with a
celebration for the owner's manager chain, the check-in history, and constant query counts."""

from __future__ import annotations

import json
from datetime import date, timedelta

import pytest
import sqlalchemy as sa
from marshmallow import Schema

from tandem.core.db import db
from tandem.goals import checkins, plans, services
from tandem.goals.fastdump import FastDumpSchema, Unwritable
from tandem.goals.models import CheckIn
from tandem.goals.schemas import PersonTreeSchema
from tandem.goals.views import goal_out

URL = "/api/v1/goals"
TODAY = date.today()


def _checkin(client, goal, **body):
    response = client.post(f"{URL}/{goal['id']}/checkins", json={"confidence": 4, **body})
    assert response.status_code == 201, response.json
    return response.json


def _get(client, goal):
    return client.get(f"{URL}/{goal['id']}").json


@pytest.fixture
def tree(org, api, make_goal):
    """A long-term goal with two weighted children (0-100 and a decreasing 50->10) and a milestone."""
    person = org.person("Ada")
    client = api(person)
    top = make_goal(client, horizon="long_term", title="Become the payments expert of the team")
    a = make_goal(client, parent_id=top["id"], start_value=0, target_value=100, weight=3)
    b = make_goal(client, parent_id=top["id"], start_value=50, target_value=10, weight=1)
    m = make_goal(
        client, parent_id=top["id"], kind="milestone", measure_kind="binary", title="Pass the payments exam"
    )
    return {"person": person, "client": client, "top": top, "a": a, "b": b, "m": m}


def test_checkins_roll_up_as_a_weighted_mean(tree):
    client = tree["client"]
    result = _checkin(client, tree["a"], value=50, note="half way")
    assert result["progress"] == 0.5 and result["goal"]["progress"] == 0.5
    assert result["recomputed"] == 2  # the goal and its one ancestor
    _checkin(client, tree["b"], value=30)  # decreasing target: half way too
    top = _get(client, tree["top"])
    assert top["progress"] == pytest.approx((3 * 0.5 + 1 * 0.5 + 1 * 0) / 5)
    _checkin(client, tree["a"], value=500)  # clamped to 1
    assert _get(client, tree["a"])["progress"] == 1
    assert _get(client, tree["top"])["progress"] == pytest.approx((3 + 0.5) / 5)


def test_abandoned_and_draft_children_are_left_out(tree, make_goal):
    client = tree["client"]
    _checkin(client, tree["a"], value=100)
    client.patch(f"{URL}/{tree['b']['id']}", json={"status": "abandoned"})
    client.patch(f"{URL}/{tree['m']['id']}", json={"status": "abandoned"})
    assert _get(client, tree["top"])["progress"] == 1
    make_goal(client, parent_id=tree["top"]["id"], status="draft")
    assert _get(client, tree["top"])["progress"] == 1


def test_reparenting_recomputes_the_old_and_new_parents(tree, make_goal):
    client = tree["client"]
    _checkin(client, tree["a"], value=100)
    other = make_goal(client, horizon="long_term", title="Mentor two new joiners in payments")
    client.patch(f"{URL}/{tree['a']['id']}", json={"parent_id": other["id"]})
    assert _get(client, other)["progress"] == 1
    assert _get(client, tree["top"])["progress"] == 0


def test_completing_a_milestone_celebrates_for_the_manager_chain(org, api, make_goal):
    boss = org.person("Boss")
    lead = org.person("Lead", manager=boss)
    person = org.person("Ada", manager=lead)
    peer = org.person("Peer", manager=lead)
    client = api(person)
    goal = make_goal(client, horizon="long_term")
    milestone = make_goal(
        client,
        parent_id=goal["id"],
        kind="milestone",
        measure_kind="binary",
        title="Write the design document",
    )
    checked = _checkin(client, milestone, done=True, note="approved")
    assert checked["goal"]["status"] == "completed"
    for viewer in (person, lead, boss):
        items = api(viewer).get("/api/v1/celebrations").json["items"]
        assert [(c["goal_id"], c["owner_id"], c["kind"]) for c in items] == [
            (milestone["id"], str(person.id), "milestone_completed")
        ]
    assert api(peer).get("/api/v1/celebrations").json["total"] == 0
    assert api(org.admin).get("/api/v1/celebrations").json["total"] == 0


def test_private_milestones_are_celebrated_for_the_owner_only(org, api, make_goal):
    lead = org.person("Lead")
    person = org.person("Ada", manager=lead)
    client = api(person)
    milestone = make_goal(client, kind="milestone", measure_kind="binary", visibility="private")
    client.patch(f"{URL}/{milestone['id']}", json={"status": "completed"})
    assert api(person).get("/api/v1/celebrations").json["total"] == 1
    assert api(lead).get("/api/v1/celebrations").json["total"] == 0


def test_a_numeric_milestone_completes_when_it_reaches_its_target(org, api, make_goal):
    client = api(org.person("Ada"))
    milestone = make_goal(client, kind="milestone", start_value=0, target_value=3)
    assert _checkin(client, milestone, value=2)["goal"]["status"] == "active"
    assert _checkin(client, milestone, value=3)["goal"]["status"] == "completed"
    assert client.get("/api/v1/celebrations").json["total"] == 1


def test_checkin_rules(org, api, make_goal, goals_snapshot):
    client = api(org.person("Ada"))
    numeric = make_goal(client)
    binary = make_goal(client, measure_kind="binary", title="Publish the payments runbook for on-call")
    draft = make_goal(client, status="draft")
    before = goals_snapshot(org)
    cases = [
        (numeric, {"confidence": 3}, 422, "value"),
        (binary, {"confidence": 3}, 422, "done"),
        (numeric, {"value": 300, "confidence": 6}, 422, "confidence"),
        (numeric, {"value": 300, "confidence": 0}, 422, "confidence"),
        (numeric, {"value": 300}, 422, "confidence"),
        (draft, {"value": 300, "confidence": 3}, 409, None),
    ]
    for goal, body, status, field in cases:
        response = client.post(f"{URL}/{goal['id']}/checkins", json=body)
        assert response.status_code == status, (body, response.json)
        if field:
            assert field in response.json["errors"]["json"]
    assert goals_snapshot(org) == before


def test_checkin_history_is_kept_in_order(org, api, make_goal):
    client = api(org.person("Ada"))
    goal = make_goal(client)
    for value, confidence in ((380, 3), (350, 4), (300, 5)):
        _checkin(client, goal, value=value, confidence=confidence, note=f"now {value}")
    history = client.get(f"{URL}/{goal['id']}/checkins").json
    assert history["total"] == 3
    assert [(c["value"], c["confidence"], c["progress"]) for c in history["items"]] == [
        (380, 3, 0.1),
        (350, 4, 0.25),
        (300, 5, 0.5),
    ]
    assert _get(client, goal)["current_value"] == 300


def test_alignment_across_owners_rolls_up_into_the_managers_goal(org, api, make_goal):
    lead = org.person("Lead")
    person = org.person("Ada", manager=lead)
    team_goal = make_goal(api(lead), horizon="long_term", title="Halve checkout abandonment this year")
    mine = make_goal(api(person), parent_id=team_goal["id"])
    _checkin(api(person), mine, value=300)
    assert _get(api(lead), team_goal)["progress"] == 0.5
    tree = api(lead).get(f"{URL}/{team_goal['id']}/tree").json
    assert [(n["id"], n["depth"]) for n in tree["items"]] == [(team_goal["id"], 0), (mine["id"], 1)]


def test_goal_tree_hides_branches_the_reader_may_not_see(org, api, make_goal):
    lead = org.person("Lead")
    person = org.person("Ada", manager=lead)
    outsider = org.person("Outsider")
    shared = make_goal(
        api(lead), visibility="tenant", horizon="long_term", title="Company reliability target"
    )
    private = make_goal(api(person), parent_id=shared["id"], visibility="private")
    make_goal(api(person), parent_id=private["id"])
    items = api(outsider).get(f"{URL}/{shared['id']}/tree").json["items"]
    assert [n["id"] for n in items] == [shared["id"]]
    assert len(api(person).get(f"{URL}/{shared['id']}/tree").json["items"]) == 3


def test_person_tree_has_tasks_obstacles_and_checkins(org, api, make_goal):
    person = org.person("Ada")
    client = api(person)
    top = make_goal(client, horizon="long_term", title="Become the payments expert of the team")
    child = make_goal(client, parent_id=top["id"])
    client.post(f"{URL}/{child['id']}/tasks", json={"title": "Read the PSP docs"})
    client.post(
        f"{URL}/{child['id']}/obstacles", json={"description": "No time", "contingency": "Block Fridays"}
    )
    _checkin(client, child, value=300)
    tree = client.get(f"{URL}/tree").json
    assert tree["total"] == 2
    first, second = tree["items"]
    assert (first["id"], first["depth"], second["id"], second["depth"]) == (top["id"], 0, child["id"], 1)
    assert [t["title"] for t in second["tasks"]] == ["Read the PSP docs"]
    assert [o["contingency"] for o in second["obstacles"]] == ["Block Fridays"]
    assert [c["value"] for c in second["checkins"]] == [300]


def test_person_tree_draws_each_line_in_check_in_order_ties_by_id(org, api, make_goal):
    client = api(org.person("Ada"))
    goal = make_goal(client)
    for value in (390, 350, 300, 320):
        _checkin(client, goal, value=value)
    with org.scope():  # two check-ins at the same instant: the id decides, as in the history
        first = db.session.scalar(sa.select(sa.func.min(CheckIn.at)))
        db.session.execute(sa.update(CheckIn).where(CheckIn.value.in_((350, 320))).values(at=first))
        db.session.flush()
    history = client.get(f"{URL}/{goal['id']}/checkins").json["items"]
    line = client.get(f"{URL}/tree").json["items"][0]["checkins"]
    assert [(p["at"], p["value"]) for p in line] == [(c["at"], c["value"]) for c in history]
    assert sorted(p["value"] for p in line) == [300, 320, 350, 390]


def _values_of(text: bytes) -> str:
    """The JSON values of `text`, types and all (1.0 is not 1, true is not 1), however written."""
    return json.dumps(json.loads(text), sort_keys=True)


def _tree_of_every_kind(client, make_goal):
    top = make_goal(client, horizon="long_term", title="Become the payments expert of the team", tags=["pay"])
    child = make_goal(client, parent_id=top["id"], weight=2.5, title="Zürich: cut p95 to 200 ms – for real")
    binary = make_goal(client, parent_id=top["id"], measure_kind="binary", kind="milestone", title="Pass it")
    make_goal(client, status="draft", due_date=None, title="Someday: a goal without a due date")
    soon = {
        "title": "Read the PSP docs",
        "estimate_hours": 3,
        "due_date": (TODAY + timedelta(days=3)).isoformat(),
    }
    client.post(f"{URL}/{child['id']}/tasks", json=soon)
    done = {"title": "Ask", "due_date": TODAY.isoformat(), "done": True, "urgent": True}
    client.post(f"{URL}/{child['id']}/tasks", json=done)
    client.post(f"{URL}/{child['id']}/obstacles", json={"description": "No time", "contingency": "Fridays"})
    for value in (390, 300.5):
        _checkin(client, child, value=value)
    _checkin(client, binary, done=True)


def test_person_tree_holds_what_marshmallow_and_jsonify_would_send(org, api, make_goal, monkeypatch):
    client = api(org.person("Ada"))
    _tree_of_every_kind(client, make_goal)
    fast = client.get(f"{URL}/tree")

    def declined(self, obj, **kwargs):
        raise Unwritable("as orjson declines what it would write otherwise")

    # What the endpoint sends when orjson declines: marshmallow's own dump, written by jsonify.
    monkeypatch.setattr(FastDumpSchema, "dump_json", declined)
    monkeypatch.setattr(FastDumpSchema, "dump", Schema.dump)
    plain = client.get(f"{URL}/tree")
    assert fast.status_code == plain.status_code == 200
    assert fast.mimetype == plain.mimetype == "application/json"
    assert fast.json["total"] == 4 and _values_of(fast.data) == _values_of(plain.data)
    assert "Zürich".encode() in fast.data and b"Z\\u00fcrich" in plain.data  # orjson wrote one


def test_person_tree_is_each_goal_read_on_its_own_and_dumped_by_marshmallow(org, api, make_goal):
    person = org.person("Ada")
    client = api(person)
    _tree_of_every_kind(client, make_goal)
    tree = client.get(f"{URL}/tree")
    with org.scope():
        me = org.user(person.id)
        items = [
            goal_out(
                goal,
                me.id,
                depth=depth,
                tasks=[plans.task_out(task) for task in plans.tasks_of(me, goal.id)],
                obstacles=plans.obstacles_of(me, goal.id),
                checkins=db.session.scalars(checkins.checkins_query(me, goal.id)).all(),
            )
            for goal, depth in services.owner_goals(me, me.id, include_archived=False)
        ]
        expected = Schema.dump(PersonTreeSchema(), {"owner_id": me.id, "total": len(items), "items": items})
    assert tree.status_code == 200 and tree.json["total"] == 4
    assert _values_of(tree.data) == json.dumps(expected, sort_keys=True)


def test_person_tree_loads_in_a_constant_number_of_queries(org, api, make_goal, count_queries):
    lead = org.person("Lead")
    person = org.person("Ada", manager=lead)
    client = api(person)
    theirs = {"owner_id": str(person.id)}  # the lead reads it through the visibility rules

    def build(n):
        parent = make_goal(client, horizon="long_term", title="A long-term goal with children")
        for _ in range(n):
            child = make_goal(client, parent_id=parent["id"])
            client.post(f"{URL}/{child['id']}/tasks", json={"title": "A task"})
            _checkin(client, child, value=390)

    build(1)
    api(lead).get(f"{URL}/tree")  # a token's first use records it (a write), not part of the read
    with count_queries() as small:
        assert client.get(f"{URL}/tree").status_code == 200
    with count_queries() as small_for_lead:
        assert api(lead).get(f"{URL}/tree", query_string=theirs).status_code == 200
    build(6)
    with count_queries() as large:
        assert client.get(f"{URL}/tree").json["total"] == 9
    with count_queries() as large_for_lead:
        assert api(lead).get(f"{URL}/tree", query_string=theirs).json["total"] == 9
    assert len(large) == len(small)
    assert len(large_for_lead) == len(small_for_lead) == len(small) + 1  # the person is looked up


def test_recompute_touches_only_the_ancestors(org, api, make_goal):
    client = api(org.person("Ada"))
    parent = None
    chain = []
    for depth in range(6):
        goal = make_goal(client, parent_id=parent, title=f"Level {depth} of the goal tree here")
        if parent is not None:
            make_goal(client, parent_id=parent, title="A sibling branch that stays untouched")
        chain.append(goal)
        parent = goal["id"]
    result = _checkin(client, chain[-1], value=300)
    assert result["recomputed"] == 6
    # Every level is the mean of the chain child (moving) and an idle sibling (0).
    expected = 0.5
    for goal in reversed(chain[:-1]):
        expected = expected / 2
        assert _get(client, goal)["progress"] == pytest.approx(expected)


def test_due_date_after_parent_is_a_smart_hint_and_moves_with_the_parent(org, api, make_goal):
    client = api(org.person("Ada"))
    parent = make_goal(client, horizon="long_term", due_date=(TODAY + timedelta(days=100)).isoformat())
    child = make_goal(client, parent_id=parent["id"], due_date=(TODAY + timedelta(days=50)).isoformat())
    assert child["smart"]["is_smart"]
    client.patch(f"{URL}/{parent['id']}", json={"due_date": (TODAY + timedelta(days=40)).isoformat()})
    child = _get(client, child)
    time_bound = child["smart"]["criteria"][4]
    assert (
        time_bound["ok"] is False and "after the due date of the goal it supports" in time_bound["hints"][0]
    )
