"""Dashboard pages keep the dashboards API's rules: a manager sees their subtree and drills down
to managers below them (a report without reports is a plain row), HR admins see everything,
employees and peers get 403, another organisation's ids are 404, the refresh form needs its
CSRF token, and a dashboard not built yet offers the build instead of an error."""

from __future__ import annotations

import json
import re
from typing import Any

import pytest
import sqlalchemy as sa

from tandem.core.db import db
from tandem.core.jobs import JobRun


def chart_data(html: str, chart_id: str) -> dict[str, Any]:
    found = re.search(rf'<script type="application/json" id="{chart_id}-data">(.*?)</script>', html, re.S)
    assert found, chart_id
    return json.loads(found.group(1))


def build_now(api: Any, who: Any) -> dict[str, Any]:
    built = api(who).post("/api/v1/dashboards/builds")
    assert built.status_code == 202
    # Without Redis the build runs in-process once the request has committed.
    return api(who).get(f"/api/v1/dashboards/builds/{built.json['id']}").json


def people(org: Any, api: Any, password: str) -> dict[str, Any]:
    """cara -> dan -> (fay, gus), cara -> eve -> hal; teams Core (dan, fay) and Edge (eve, gus,
    hal). Fay has an active goal."""
    admin = api(org.admin)
    core = admin.post("/api/v1/teams", json={"name": "Core"}).json
    edge = admin.post("/api/v1/teams", json={"name": "Edge"}).json
    cara = org.person("Cara Chief", password=password)
    dan = org.person("Dan Lead", manager=cara, team_id=core["id"], password=password)
    eve = org.person("Eve Lead", manager=cara, team_id=edge["id"], password=password)
    fay = org.person("Fay Dev", manager=dan, team_id=core["id"], password=password)
    gus = org.person("Gus Dev", manager=dan, team_id=edge["id"], password=password)
    hal = org.person("Hal Dev", manager=eve, team_id=edge["id"], password=password)
    goal = {"title": "Ship the onboarding flow", "target_value": 10, "status": "active"}
    assert api(fay).post("/api/v1/goals", json=goal).status_code == 201
    return {
        "cara": cara,
        "dan": dan,
        "eve": eve,
        "fay": fay,
        "gus": gus,
        "hal": hal,
        "core": core,
        "edge": edge,
    }


@pytest.fixture
def company(org, api, password):
    found = people(org, api, password)
    found["build"] = build_now(api, found["cara"])
    assert found["build"]["status"] == "done", found["build"]
    return found


def test_a_manager_sees_their_dashboard_and_drills_down(org, company, api, signed_in):
    cara = signed_in(org, company["cara"])
    page = cara.get("/dashboards/me")
    html = page.get_data(as_text=True)
    assert page.status_code == 200, html
    assert "<h1>Your dashboard</h1>" in html and "Built " in html
    assert 'data-figure="people.headcount">5<' in html
    # Charts and their tables come from the same numbers as the API's JSON.
    board = api(company["cara"]).get("/api/v1/dashboards/me").json
    health = chart_data(html, "chart-health")
    assert health["datasets"][0]["data"] == [
        board["goals"]["by_health"][k] for k in ("on_track", "at_risk", "off_track", "overdue")
    ]
    trend = chart_data(html, "chart-progress")
    assert trend["labels"] == [r["week_ending"] for r in board["tables"]["trends"]["rows"]]
    assert len(trend["labels"]) == 12
    # Drill-down: both direct reports manage someone, so both rows link to their dashboards.
    for who in ("dan", "eve"):
        assert f'href="/dashboards/managers/{company[who].id}"' in html
    assert f"/api/v1/dashboards/managers/{company['cara'].id}/tables/by_report.csv" in html
    # Cara's team links are not hers to follow (team dashboards are for HR admins).
    assert f"/dashboards/teams/{company['core']['id']}" not in html
    # The navigation offers the dashboard to managers.
    assert ">Dashboard</a>" in html

    page = cara.get(f"/dashboards/managers/{company['dan'].id}")
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    assert "Dan Lead’s dashboard" in html and 'data-figure="people.headcount">2<' in html
    assert f'href="/dashboards/managers/{company["cara"].id}"' in html  # up one level
    # Fay and Gus have nobody reporting to them: plain rows, no link.
    assert re.search(r'<th scope="row">Fay Dev</th>', html)
    assert f"/dashboards/managers/{company['fay'].id}" not in html

    # The CSV link works with the session cookie.
    csv = cara.get(f"/api/v1/dashboards/managers/{company['dan'].id}/tables/by_report.csv")
    assert csv.status_code == 200 and csv.mimetype == "text/csv"
    assert "Fay Dev" in csv.get_data(as_text=True)

    listed = cara.get("/dashboards").get_data(as_text=True)
    for who in ("dan", "eve"):
        assert f"/dashboards/managers/{company[who].id}" in listed


def test_hr_sees_the_organisation_teams_and_any_manager(org, company, signed_in):
    hr = signed_in(org, org.admin)
    # An HR admin without reports has the organisation as their own dashboard.
    me = hr.get("/dashboards/me")
    assert me.status_code == 302 and me.headers["Location"].endswith("/dashboards/tenant")
    whole = hr.get("/dashboards/tenant").get_data(as_text=True)
    assert "<h1>Whole organisation</h1>" in whole and 'data-figure="people.headcount">7<' in whole
    for team in ("core", "edge"):
        assert f'href="/dashboards/teams/{company[team]["id"]}"' in whole
    team = hr.get(f"/dashboards/teams/{company['edge']['id']}")
    assert team.status_code == 200 and 'data-figure="people.headcount">3<' in team.get_data(as_text=True)
    assert hr.get(f"/dashboards/managers/{company['eve'].id}").status_code == 200
    listed = hr.get("/dashboards").get_data(as_text=True)
    assert listed.count("<td>Team</td>") == 2 and listed.count("<td>Manager</td>") == 3


def test_employees_and_peers_get_403(org, company, signed_in):
    gus = signed_in(org, company["gus"])
    dan = signed_in(org, company["dan"])
    cases = [
        (gus, "/dashboards"),
        (gus, "/dashboards/me"),
        (gus, f"/dashboards/managers/{company['dan'].id}"),
        (dan, f"/dashboards/managers/{company['eve'].id}"),  # a peer's subtree
        (dan, f"/dashboards/managers/{company['cara'].id}"),  # his own manager's
        (dan, "/dashboards/tenant"),
        (dan, f"/dashboards/teams/{company['core']['id']}"),
    ]
    for client, url in cases:
        response = client.get(url)
        assert response.status_code == 403, (url, response.status_code)
        assert "Not allowed" in response.get_data(as_text=True)
    refused = gus.post("/dashboards/builds", data={"csrf_token": gus.csrf})
    assert refused.status_code == 403
    # No dashboard link for someone nobody reports to.
    assert ">Dashboard</a>" not in gus.get("/").get_data(as_text=True)


def test_another_organisations_ids_are_404(org, other_org, company, api, password, signed_in):
    there = people(other_org, api, password)
    build = build_now(api, there["cara"])
    urls = [
        f"/dashboards/managers/{there['cara'].id}",
        f"/dashboards/managers/{there['dan'].id}",
        f"/api/v1/dashboards/managers/{there['dan'].id}/tables/by_report.csv",
    ]
    # (Team dashboards are 403 for every manager whatever the id, as in the API: HR's case here.)
    hr_only = [f"/dashboards/teams/{there['core']['id']}"]
    for client, extra in (
        (signed_in(org, company["cara"]), []),
        (signed_in(org, org.admin), hr_only),
    ):
        for url in urls + extra:
            response = client.get(url)
            assert response.status_code == 404, (url, response.status_code)
        # Another organisation's build id is not shown as progress either.
        html = client.get(f"/dashboards?build={build['id']}").get_data(as_text=True)
        assert 'id="build-status"' not in html


def test_the_refresh_form_needs_its_csrf_token(org, company, signed_in):
    cara = signed_in(org, company["cara"])
    with org.scope():
        before = db.session.scalar(sa.select(sa.func.count()).select_from(JobRun))
    refused = cara.post("/dashboards/builds", data={"next": "/dashboards/me"})
    assert refused.status_code == 400 and "CSRF" in refused.get_data(as_text=True)
    with org.scope():
        assert db.session.scalar(sa.select(sa.func.count()).select_from(JobRun)) == before

    done = cara.post("/dashboards/builds", data={"csrf_token": cara.csrf, "next": "/dashboards/me"})
    assert done.status_code == 302
    location = done.headers["Location"]
    assert re.fullmatch(r"/dashboards/me\?build=[0-9a-f-]{36}", location), location
    page = cara.get(location).get_data(as_text=True)
    assert "Build queued" in page and 'data-status="done"' in page
    # `next` never leads off the dashboards.
    away = cara.post("/dashboards/builds", data={"csrf_token": cara.csrf, "next": "https://evil.example/x"})
    assert away.headers["Location"].startswith("/dashboards?build=")


def test_a_dashboard_not_built_yet_offers_the_build(org, api, password, signed_in):
    found = people(org, api, password)
    cara = signed_in(org, found["cara"])
    page = cara.get("/dashboards/me")
    html = page.get_data(as_text=True)
    assert page.status_code == 404
    assert "Not built yet" in html and ">Build now</button>" in html
    assert 'name="csrf_token"' in html
    assert "No dashboard has been built yet" in cara.get("/dashboards").get_data(as_text=True)
    hr = signed_in(org, org.admin)
    assert "Not built yet" in hr.get("/dashboards/tenant").get_data(as_text=True)

    built = cara.post("/dashboards/builds", data={"csrf_token": cara.csrf, "next": "/dashboards/me"})
    page = cara.get(built.headers["Location"])
    assert page.status_code == 200 and 'data-figure="people.headcount">5<' in page.get_data(as_text=True)
    # A person with nobody reporting to them has no dashboard, even after a build.
    fay = cara.get(f"/dashboards/managers/{found['fay'].id}")
    assert fay.status_code == 404 and "Not built yet" in fay.get_data(as_text=True)
