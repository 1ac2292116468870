"""Editing a goal on its page goes through the service PATCH /api/v1/goals/<id> calls: only the
owner may (403 for a manager who reads it, 404 for another organisation's goal), a form without
a CSRF token is refused and changes nothing, bad input comes back 422 next to its field with what
was typed kept, and a saved edit reads back through the API (emptied fields emptied)."""

from __future__ import annotations

import re
from datetime import date, timedelta
from typing import Any

DUE = (date.today() + timedelta(days=30)).isoformat()
LATER = (date.today() + timedelta(days=60)).isoformat()


def world(org: Any, api: Any, password: str) -> dict[str, Any]:
    """lead > ana; lead shares a goal; ana's goal supports it and has a milestone below it."""
    lead = org.person("Lead", password=password)
    ana = org.person("Ana", manager=lead, password=password)
    team_goal = (
        api(lead)
        .post(
            "/api/v1/goals",
            json={"title": "Grow the platform", "target_value": 100, "status": "active", "due_date": LATER},
        )
        .json
    )
    goal = (
        api(ana)
        .post(
            "/api/v1/goals",
            json={
                "title": "Ship the search rewrite",
                "what": "Search answers in 200 ms",
                "why": "Slow search loses customers",
                "metric_name": "p95",
                "unit": "ms",
                "start_value": 800,
                "target_value": 200,
                "status": "active",
                "due_date": DUE,
                "parent_id": team_goal["id"],
                "tags": ["search"],
            },
        )
        .json
    )
    milestone = (
        api(ana)
        .post(
            "/api/v1/goals",
            json={
                "title": "Index built",
                "kind": "milestone",
                "parent_id": goal["id"],
                "measure_kind": "binary",
                "status": "active",
                "due_date": DUE,
            },
        )
        .json
    )
    return {"lead": lead, "ana": ana, "goal": goal, "team_goal": team_goal, "milestone": milestone}


def form_of(html: str) -> dict[str, str]:
    """The edit form's fields as the page fills them (inputs, selected options, textareas)."""
    values = dict(re.findall(r'<input id="f-[^"]*" name="([^"]+)" type="[a-z]+" value="([^"]*)"', html))
    for name, body in re.findall(r'<select id="f-[^"]*" name="([^"]+)"[^>]*>(.*?)</select>', html, re.S):
        chosen = re.search(r'<option value="([^"]*)" selected', body)
        values[name] = chosen.group(1) if chosen else ""
    values.update(re.findall(r'<textarea id="f-[^"]*" name="([^"]+)"[^>]*>([^<]*)</textarea>', html))
    return values


def test_the_owner_edits_every_field_and_the_api_reads_it_back(org, api, password, signed_in):
    w = world(org, api, password)
    ana = signed_in(org, w["ana"])
    goal_id = w["goal"]["id"]
    assert f'href="/goals/{goal_id}/edit"' in ana.get(f"/goals/{goal_id}").get_data(as_text=True)
    page = ana.get(f"/goals/{goal_id}/edit")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    values = form_of(html)
    assert values["title"] == "Ship the search rewrite" and values["start_value"] == "800"
    assert values["parent_id"] == w["team_goal"]["id"] and values["tags"] == "search"
    assert values["what"] == "Search answers in 200 ms"
    # Neither the goal itself nor its milestone can become its parent.
    assert f'<option value="{w["milestone"]["id"]}"' not in html
    assert f'<option value="{goal_id}"' not in html

    values.update(
        title="Ship the new search",
        what="",
        how="Profile, then rewrite the ranking",
        target_value="150",
        due_date="",
        weight="2.5",
        visibility="private",
        tags="search, performance",
        parent_id="",
        relevance_note="Search is our first complaint",
        horizon="long_term",
    )
    response = ana.post(f"/goals/{goal_id}/edit", data={"csrf_token": ana.csrf, **values})
    assert response.status_code == 302 and response.headers["Location"].endswith(f"/goals/{goal_id}")
    saved = api(w["ana"]).get(f"/api/v1/goals/{goal_id}").json
    assert saved["title"] == "Ship the new search"
    assert saved["what"] == "" and saved["why"] == "Slow search loses customers"
    assert saved["how"] == "Profile, then rewrite the ranking"
    assert saved["target_value"] == 150 and saved["start_value"] == 800
    assert saved["due_date"] is None and saved["weight"] == 2.5
    assert saved["visibility"] == "private" and saved["horizon"] == "long_term"
    assert sorted(saved["tags"]) == ["performance", "search"]
    assert saved["parent_id"] is None and saved["relevance_note"] == "Search is our first complaint"
    assert "Goal saved." in ana.get(f"/goals/{goal_id}").get_data(as_text=True)

    # Back under the team goal, measured as done / not done.
    response = ana.post(
        f"/goals/{goal_id}/edit",
        data={"csrf_token": ana.csrf, **values, "parent_id": w["team_goal"]["id"], "measure_kind": "binary"},
    )
    assert response.status_code == 302
    saved = api(w["ana"]).get(f"/api/v1/goals/{goal_id}").json
    assert saved["parent_id"] == w["team_goal"]["id"] and saved["measure_kind"] == "binary"


def test_only_the_owner_edits_and_other_organisations_goals_are_404(org, other_org, api, password, signed_in):
    w = world(org, api, password)
    there = world(other_org, api, password)
    goal_id = w["goal"]["id"]
    lead = signed_in(org, w["lead"])
    assert lead.get(f"/goals/{goal_id}").status_code == 200  # her manager reads it...
    assert 'href="/goals/' + goal_id + '/edit"' not in lead.get(f"/goals/{goal_id}").get_data(as_text=True)
    assert lead.get(f"/goals/{goal_id}/edit").status_code == 403  # ...but does not change it
    response = lead.post(
        f"/goals/{goal_id}/edit", data={"csrf_token": lead.csrf, "title": "Mine now", "weight": "x"}
    )
    assert response.status_code == 403
    assert api(w["ana"]).get(f"/api/v1/goals/{goal_id}").json["title"] == "Ship the search rewrite"

    for who in (signed_in(org, w["ana"]), signed_in(org, org.admin)):
        other = there["goal"]["id"]
        assert who.get(f"/goals/{other}/edit").status_code == 404
        response = who.post(f"/goals/{other}/edit", data={"csrf_token": who.csrf, "title": "x"})
        assert response.status_code == 404 and "Not found" in response.get_data(as_text=True)


def test_a_form_without_a_csrf_token_is_refused_and_changes_nothing(org, api, password, signed_in):
    w = world(org, api, password)
    ana = signed_in(org, w["ana"])
    goal_id = w["goal"]["id"]
    response = ana.post(f"/goals/{goal_id}/edit", data={"title": "No token", "target_value": "3"})
    assert response.status_code == 400 and "CSRF" in response.get_data(as_text=True)
    saved = api(w["ana"]).get(f"/api/v1/goals/{goal_id}").json
    assert saved["title"] == "Ship the search rewrite" and saved["target_value"] == 200


def test_bad_input_comes_back_next_to_its_field_with_what_was_typed(org, api, password, signed_in):
    w = world(org, api, password)
    ana = signed_in(org, w["ana"])
    goal_id = w["goal"]["id"]
    values = form_of(ana.get(f"/goals/{goal_id}/edit").get_data(as_text=True))

    def post(**changes: str) -> tuple[int, str]:
        response = ana.post(f"/goals/{goal_id}/edit", data={"csrf_token": ana.csrf, **values, **changes})
        return response.status_code, response.get_data(as_text=True)

    # The schema's messages: a weight out of range, a value that is not a number, a long tag.
    status, html = post(title="Faster <search>", weight="0", target_value="soon", tags="ok, " + "t" * 41)
    assert status == 422
    assert re.search(r'id="f-weight-error">[^<]*greater than or equal to 0.01', html)
    assert re.search(r'id="f-target_value-error">Not a valid number', html)
    assert re.search(r'id="f-tags-error">tag 2: ', html)
    assert re.search(r'id="f-title" name="title" type="text" value="Faster &lt;search&gt;"', html)
    assert re.search(
        r'id="f-target_value" name="target_value" type="text" value="soon"[^>]*aria-invalid="true"', html
    )
    assert "error-summary" in html and "Weight: " in html

    # An emptied title is refused on its field (not left as it was).
    status, html = post(title="")
    assert status == 422 and 'id="f-title-error"' in html

    # The service's rules: a due date before the start, a target equal to the start.
    status, html = post(start_date=DUE, due_date=date.today().isoformat(), target_value="800")
    assert status == 422
    assert re.search(r'id="f-due_date-error">[^<]*on or after the start date', html)
    assert re.search(r'id="f-target_value-error">[^<]*differ from the start value', html)
    assert re.search(r'id="f-due_date" name="due_date" type="date" value="' + date.today().isoformat(), html)

    # Its own milestone as its parent would make a cycle: refused on the parent field.
    status, html = post(parent_id=w["milestone"]["id"])
    assert status == 422 and 'id="f-parent_id-error"' in html

    saved = api(w["ana"]).get(f"/api/v1/goals/{goal_id}").json
    assert saved["title"] == "Ship the search rewrite" and saved["due_date"] == DUE
    assert saved["parent_id"] == w["team_goal"]["id"] and saved["weight"] == 1
