"""The web pages keep the API's rules: another organisation's ids are 404 on every page and form
that takes one, the wrong person gets 403 where the API says 403, forms without a CSRF token are
refused and change nothing, and bad input comes back on the page with what was typed kept."""

from __future__ import annotations

import re
from datetime import date, timedelta
from typing import Any

import pytest
import sqlalchemy as sa

from tandem.core.db import db
from tandem.goals.models import Goal, GoalTask

DUE = (date.today() + timedelta(days=30)).isoformat()


def build(org: Any, api: Any, skill_ids: dict[str, str] | None, password: str) -> dict[str, Any]:
    """lead > (ana, ben); mo mentors ana (an accepted invitation); ana owns a goal with a task and
    an obstacle, a learning plan with an item, and a feedback request with ben nominated as a peer."""
    lead = org.person("Lead", password=password)
    ana = org.person("Ana", manager=lead, password=password)
    ben = org.person("Ben", manager=lead, password=password)
    mo = org.person("Mo", password=password)
    a = api(ana)
    goal = a.post(
        "/api/v1/goals",
        json={"title": "Ship the search rewrite", "target_value": 10, "status": "active", "due_date": DUE},
    ).json
    task = a.post(f"/api/v1/goals/{goal['id']}/tasks", json={"title": "Profile it"}).json
    obstacle = a.post(f"/api/v1/goals/{goal['id']}/obstacles", json={"description": "Time"}).json
    plan = a.post("/api/v1/learning/plans", json={"title": "Grow"}).json
    item = a.post(f"/api/v1/learning/plans/{plan['id']}/items", json={"kind": "book", "title": "DDIA"}).json
    request = a.post(
        "/api/v1/feedback/requests",
        json={
            "due_on": DUE,
            "peer_approval": True,
            "reviewers": [
                {"person_id": str(lead.id), "relationship": "manager"},
                {"person_id": str(ben.id), "relationship": "peer"},
            ],
        },
    ).json
    by_reviewer = {i["reviewer"]["id"]: i["id"] for i in request["invitations"]}
    out = {
        "org": org,
        "lead": lead,
        "ana": ana,
        "ben": ben,
        "mo": mo,
        "goal": goal["id"],
        "task": task["id"],
        "obstacle": obstacle["id"],
        "plan": plan["id"],
        "item": item["id"],
        "request": request["id"],
        "lead_invitation": by_reviewer[str(lead.id)],
        "ben_nomination": by_reviewer[str(ben.id)],
    }
    if skill_ids is not None:
        python = skill_ids["python"]
        assert (
            api(mo)
            .put(
                "/api/v1/mentoring/profile",
                json={"capacity": 2, "skills": [{"skill_id": python, "level": 5}]},
            )
            .status_code
            == 200
        )
        ask = a.post("/api/v1/mentoring/requests", json={"needs": [{"skill_id": python, "level": 4}]}).json
        invitation = a.post(
            f"/api/v1/mentoring/requests/{ask['id']}/invitations", json={"mentor_id": str(mo.id)}
        ).json
        mentorship = api(mo).post(f"/api/v1/mentoring/invitations/{invitation['id']}/accept").json
        out.update(
            mentoring_request=ask["id"], mentoring_invitation=invitation["id"], mentorship=mentorship["id"]
        )
    return out


@pytest.fixture
def here(org, api, skill_ids, password):
    return build(org, api, skill_ids, password)


def pages(w: dict[str, Any]) -> list[tuple[str, str]]:
    """Every page and form that takes an id, as (method, url)."""
    g, p, r = w["goal"], w["plan"], w["request"]
    found = [
        ("GET", f"/goals/{g}"),
        ("POST", f"/goals/{g}/status"),
        ("POST", f"/goals/{g}/checkins"),
        ("POST", f"/goals/{g}/tasks"),
        ("POST", f"/goals/{g}/tasks/{w['task']}/done"),
        ("POST", f"/goals/{g}/obstacles"),
        ("POST", f"/goals/{g}/obstacles/{w['obstacle']}"),
        ("GET", f"/learning/plans/{p}"),
        ("POST", f"/learning/plans/{p}/items"),
        ("POST", f"/learning/plans/{p}/items/{w['item']}"),
        ("GET", f"/feedback/requests/{r}"),
        ("POST", f"/feedback/requests/{r}/reviewers"),
        ("POST", f"/feedback/requests/{r}/close"),
        ("GET", f"/feedback/requests/{r}/results"),
        ("GET", f"/feedback/invitations/{w['lead_invitation']}"),
        ("POST", f"/feedback/invitations/{w['lead_invitation']}"),
        ("POST", f"/feedback/invitations/{w['lead_invitation']}/decline"),
        ("POST", f"/feedback/nominations/{w['ben_nomination']}/approve"),
        ("POST", f"/feedback/nominations/{w['ben_nomination']}/reject"),
    ]
    if "mentorship" in w:
        m, i, q = w["mentorship"], w["mentoring_invitation"], w["mentoring_request"]
        found += [
            ("GET", f"/mentoring/requests/{q}"),
            ("POST", f"/mentoring/requests/{q}/invite"),
            ("POST", f"/mentoring/requests/{q}/withdraw"),
            ("GET", f"/mentoring/invitations/{i}"),
            ("POST", f"/mentoring/invitations/{i}/accept"),
            ("POST", f"/mentoring/invitations/{i}/decline"),
            ("GET", f"/mentoring/mentorships/{m}"),
            ("POST", f"/mentoring/mentorships/{m}/sessions"),
            ("POST", f"/mentoring/mentorships/{m}/end"),
            ("POST", f"/mentoring/mentorships/{m}/rating"),
            ("POST", f"/mentoring/mentorships/{m}/status"),
        ]
    return found


def call(client: Any, method: str, url: str, data: dict[str, str] | None = None) -> Any:
    if method == "GET":
        return client.get(url)
    return client.post(url, data={"csrf_token": client.csrf, **(data or {})})


def test_another_organisations_ids_are_404_on_every_page_and_form(org, other_org, api, password, signed_in):
    there = build(other_org, api, None, password)
    # The other organisation's mentoring ids, made there with its own skills catalogue.
    from tandem.core import tenancy
    from tandem.learning import services as learning

    with other_org.scope(), tenancy.tenant_scope(other_org.tenant_id):
        learning.ensure_default_catalogue()
    python = api(other_org.admin).get("/api/v1/skills", query_string={"q": "Python"}).json["items"][0]["id"]
    mo, ana = api(there["mo"]), api(there["ana"])
    assert (
        mo.put(
            "/api/v1/mentoring/profile", json={"capacity": 2, "skills": [{"skill_id": python, "level": 5}]}
        ).status_code
        == 200
    )
    ask = ana.post("/api/v1/mentoring/requests", json={"needs": [{"skill_id": python, "level": 4}]}).json
    invitation = ana.post(
        f"/api/v1/mentoring/requests/{ask['id']}/invitations", json={"mentor_id": str(there["mo"].id)}
    ).json
    mentorship = mo.post(f"/api/v1/mentoring/invitations/{invitation['id']}/accept").json
    there.update(
        mentoring_request=ask["id"], mentoring_invitation=invitation["id"], mentorship=mentorship["id"]
    )

    someone = org.person("Someone Here", password=password)
    for who in (signed_in(org, someone), signed_in(org, org.admin)):
        for method, url in pages(there):
            response = call(who, method, url)
            assert response.status_code == 404, (method, url, response.status_code)
            assert "Not found" in response.get_data(as_text=True)


def test_the_wrong_person_gets_403_where_the_api_does(here, signed_in):
    org = here["org"]
    lead = signed_in(org, here["lead"])
    ana = signed_in(org, here["ana"])
    ben = signed_in(org, here["ben"])
    hr = signed_in(org, org.admin)
    g, p = here["goal"], here["plan"]
    cases = [
        # Ana's manager reads her goal and plan but changes neither.
        (lead, "GET", f"/goals/{g}", 200),
        (lead, "POST", f"/goals/{g}/checkins", 403),
        (lead, "POST", f"/goals/{g}/tasks", 403),
        (lead, "POST", f"/goals/{g}/tasks/{here['task']}/done", 403),
        (lead, "POST", f"/goals/{g}/obstacles", 403),
        (lead, "POST", f"/goals/{g}/status?status=completed", 403),
        (lead, "GET", f"/learning/plans/{p}", 200),
        (lead, "POST", f"/learning/plans/{p}/items/{here['item']}?status=in_progress", 403),
        # Ana cannot approve her own peer nomination; her manager (not Ana) cannot close her request.
        (ana, "POST", f"/feedback/nominations/{here['ben_nomination']}/approve", 403),
        (lead, "POST", f"/feedback/requests/{here['request']}/close", 403),
        # A mentoring request is the mentee's; an invitation the pair's; sessions the pair's alone.
        (ben, "GET", f"/mentoring/requests/{here['mentoring_request']}", 403),
        (ben, "GET", f"/mentoring/invitations/{here['mentoring_invitation']}", 403),
        (ana, "POST", f"/mentoring/invitations/{here['mentoring_invitation']}/accept", 403),
        (ben, "GET", f"/mentoring/mentorships/{here['mentorship']}", 403),
        (hr, "POST", f"/mentoring/mentorships/{here['mentorship']}/sessions", 403),
        (lead, "POST", f"/mentoring/mentorships/{here['mentorship']}/end", 403),
    ]
    for client, method, url, status in cases:
        data = {"confidence": "3", "value": "5", "title": "x", "description": "y", "held_on": "2026-01-05"}
        url, _, query = url.partition("?")
        data.update(dict(part.split("=") for part in query.split("&") if part))
        response = call(client, method, url, data if method == "POST" else None)
        assert response.status_code == status, (method, url, response.status_code)
    # Readers who are not part of a request or invitation do not learn it exists.
    assert call(ben, "GET", f"/feedback/requests/{here['request']}").status_code == 404
    assert call(ben, "GET", f"/feedback/invitations/{here['lead_invitation']}").status_code == 404


def test_forms_without_a_csrf_token_are_refused_and_change_nothing(here, signed_in):
    org = here["org"]
    ana = signed_in(org, here["ana"])
    with org.scope():
        before = db.session.scalar(sa.select(sa.func.count()).select_from(Goal))
    refused = [
        ana.post("/goals/new", data={"title": "No token", "target_value": "3"}),
        ana.post(f"/goals/{here['goal']}/tasks", data={"title": "No token"}),
        ana.post(f"/goals/{here['goal']}/checkins", data={"value": "4", "confidence": "3"}),
        ana.post("/learning/plans", data={"title": "No token"}),
        ana.post("/feedback/requests/new", data={"due_on": DUE}),
        ana.post("/logout"),
    ]
    assert [r.status_code for r in refused] == [400] * len(refused)
    assert "CSRF" in refused[0].get_data(as_text=True)
    with org.scope():
        assert db.session.scalar(sa.select(sa.func.count()).select_from(Goal)) == before
        assert db.session.scalar(sa.select(sa.func.count()).select_from(GoalTask)) == 1
    # The smart-check API called with the session also needs the token (the page sends it).
    assert ana.post("/api/v1/goals/smart-check", json={"title": "x"}).status_code == 400
    ok = ana.post("/api/v1/goals/smart-check", json={"title": "x"}, headers={"X-CSRFToken": ana.csrf})
    assert ok.status_code == 200 and "criteria" in ok.json


def test_bad_input_comes_back_next_to_the_field_with_what_was_typed(here, signed_in):
    org = here["org"]
    ana = signed_in(org, here["ana"])
    response = ana.post(
        "/goals/new",
        data={
            "csrf_token": ana.csrf,
            "title": "Write the <onboarding> guide",
            "start_value": "5",
            "target_value": "5",
            "start_date": "2026-06-01",
            "due_date": "2026-05-01",
        },
    )
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert 'value="Write the &lt;onboarding&gt; guide"' in html
    assert re.search(r'id="f-due_date-error">[^<]*on or after the start date', html)
    assert re.search(
        r'id="f-due_date" name="due_date" type="date" value="2026-05-01"[^>]*aria-invalid="true"', html
    )
    assert 'id="f-target_value-error"' in html and "error-summary" in html

    # A check-in that is not a number, and one without a confidence, keep the note typed.
    response = ana.post(
        f"/goals/{here['goal']}/checkins", data={"csrf_token": ana.csrf, "value": "lots", "note": "Half way"}
    )
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert re.search(r'id="f-value-error">Not a valid number', html)
    assert 'id="f-confidence-error"' in html and ">Half way</textarea>" in html

    # A service's own rule (a title of blanks) lands on its field too.
    response = ana.post(
        "/learning/plans", data={"csrf_token": ana.csrf, "title": "   ", "due_date": "2020-01-01"}
    )
    assert response.status_code == 422
    assert 'id="f-title-error"' in response.get_data(as_text=True)

    # Feedback: a reviewer who is not what they are named as is explained on their row.
    lead = here["lead"]
    response = ana.post(
        "/feedback/requests/new",
        data={
            "csrf_token": ana.csrf,
            "due_on": DUE,
            "message": "Kept",
            "reviewers.0.person_id": str(here["mo"].id),
            "reviewers.0.relationship": "peer",
        },
    )
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert re.search(r'id="f-reviewers-0-person_id-error">[^<]*not a peer', html)
    assert ">Kept</textarea>" in html
    assert f'<option value="{lead.id}"' in html
