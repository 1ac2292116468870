"""Dashboards through the API on PostgreSQL (builds run inline here; the real worker has its own
tests): the figures of each subtree, drill-down, who may open what, CSV export, and another
organisation's ids being 404."""

from __future__ import annotations

import csv
import io
from datetime import date, timedelta
from typing import Any

import pytest

URL = "/api/v1/dashboards"
TODAY = date.today()


def goal(**overrides: Any) -> dict[str, Any]:
    body = {
        "title": "Cut p95 checkout latency to 200 ms",
        "what": "The checkout API answers 95% of requests in under 200 ms",
        "measure_kind": "numeric",
        "metric_name": "p95 latency",
        "unit": "ms",
        "start_value": 400,
        "target_value": 200,
        "start_date": (TODAY - timedelta(days=10)).isoformat(),
        "due_date": (TODAY + timedelta(days=80)).isoformat(),
        "relevance_note": "Slow checkouts lose orders",
        "status": "active",
    }
    return body | overrides


@pytest.fixture
def company(org, other_org, api):
    """cara -> dan -> (fay, gus), cara -> eve -> hal; teams Core (dan, fay) and Edge (eve, gus,
    hal). Fay has two active goals, Gus a draft, Hal a private one; the other organisation has
    goals of its own that must never be counted here."""
    admin = api(org.admin)
    core = admin.post("/api/v1/teams", json={"name": "Core"}).json
    edge = admin.post("/api/v1/teams", json={"name": "Edge"}).json
    cara = org.person("Cara Chief")
    dan = org.person("Dan Lead", manager=cara, team_id=core["id"])
    eve = org.person("Eve Lead", manager=cara, team_id=edge["id"])
    fay = org.person("Fay Dev", manager=dan, team_id=core["id"])
    gus = org.person("Gus Dev", manager=dan, team_id=edge["id"])
    hal = org.person("=Hal Formula", manager=eve, team_id=edge["id"])
    for body in (goal(), goal(title="Ship the new onboarding flow", start_value=0, target_value=10)):
        assert api(fay).post("/api/v1/goals", json=body).status_code == 201
    assert api(gus).post("/api/v1/goals", json=goal(status="draft")).status_code == 201
    assert api(hal).post("/api/v1/goals", json=goal(visibility="private")).status_code == 201
    stranger = other_org.person("Olga Other", manager=other_org.person("Otto Boss"))
    for _ in range(3):
        assert api(stranger).post("/api/v1/goals", json=goal()).status_code == 201
    built = api(cara).post(f"{URL}/builds")
    assert built.status_code == 202 and built.json["status"] == "queued"
    # Without Redis the build runs in-process once the request has committed.
    built = api(cara).get(f"{URL}/builds/{built.json['id']}")
    assert built.json["status"] == "done", built.json
    return {
        "cara": cara, "dan": dan, "eve": eve, "fay": fay, "gus": gus, "hal": hal,
        "core": core, "edge": edge, "build": built.json,
    }  # fmt: skip


def test_a_manager_sees_their_whole_subtree_by_report_and_by_team(company, api):
    board = api(company["cara"]).get(f"{URL}/me")
    assert board.status_code == 200, board.json
    body = board.json
    assert body["scope"] == {"kind": "manager", "id": str(company["cara"].id), "name": "Cara Chief"}
    assert body["people"]["headcount"] == 5  # direct and indirect reports, not Cara herself
    assert body["people"]["without_active_goal"] == 4  # only Fay has an active goal
    assert body["goals"]["by_status"] == {"draft": 1, "active": 2, "completed": 0, "abandoned": 0}
    assert body["goals"]["by_health"]["on_track"] + body["goals"]["by_health"]["at_risk"] == 2
    assert body["build_id"] == company["build"]["id"] and body["age_seconds"] >= 0
    assert body["source"]["rows"]["people"] == 7  # admin + six: this organisation only
    by_report = {r["name"]: r for r in body["tables"]["by_report"]["rows"]}
    assert set(by_report) == {"Dan Lead", "Eve Lead"}
    assert by_report["Dan Lead"]["headcount"] == 3 and by_report["Dan Lead"]["goals_active"] == 2
    assert by_report["Eve Lead"]["headcount"] == 2 and by_report["Eve Lead"]["goals_active"] == 0
    by_team = {r["name"]: r["headcount"] for r in body["tables"]["by_team"]["rows"]}
    assert by_team == {"Core": 2, "Edge": 3}
    assert len(body["tables"]["trends"]["rows"]) == 12
    assert body["tables"]["trends"]["rows"][-1]["headcount"] == 5

    dan = api(company["dan"]).get(f"{URL}/me").json
    assert dan["people"]["headcount"] == 2 and dan["goals"]["by_status"]["active"] == 2
    drill = api(company["cara"]).get(f"{URL}/managers/{company['dan'].id}")
    assert drill.status_code == 200 and drill.json == {**dan, "age_seconds": drill.json["age_seconds"]}


def test_hr_sees_the_organisation_and_every_team(company, org, api):
    admin = api(org.admin)
    whole = admin.get(f"{URL}/tenant")
    assert whole.status_code == 200 and whole.json["people"]["headcount"] == 7
    assert whole.json["goals"]["by_status"]["active"] == 2  # the other organisation's 3: not here
    edge = admin.get(f"{URL}/teams/{company['edge']['id']}")
    assert edge.status_code == 200 and edge.json["people"]["headcount"] == 3
    assert admin.get(f"{URL}/managers/{company['eve'].id}").status_code == 200
    listed = admin.get(URL).json
    kinds = [item["scope"] for item in listed["items"]]
    assert kinds[0] == "tenant" and kinds.count("team") == 2 and kinds.count("manager") == 3
    assert api(company["dan"]).get(URL).json["total"] == 1  # Dan: his own only


@pytest.mark.parametrize(
    ("who", "path", "status"),
    [
        ("gus", "/me", 403),  # nobody reports to Gus
        ("gus", "/managers/{dan}", 403),
        ("dan", "/managers/{eve}", 403),  # a peer's subtree
        ("dan", "/managers/{cara}", 403),  # his own manager's
        ("dan", "/tenant", 403),
        ("dan", "/teams/{core}", 403),
        ("dan", "/managers/{cara}/tables/by_report.csv", 403),
        ("gus", "/builds/{build}", 403),
        ("cara", "/managers/{dan}", 200),
        ("cara", "/managers/{fay}", 404),  # a person with no reports has no dashboard
    ],
)
def test_who_may_open_what(company, api, who, path, status):
    ids = {k: (v.id if hasattr(v, "id") else v["id"]) for k, v in company.items()}
    response = api(company[who]).get(URL + path.format(**ids))
    assert response.status_code == status, response.json


def test_an_employee_cannot_request_a_build(company, api):
    response = api(company["gus"]).post(f"{URL}/builds")
    assert response.status_code == 403


@pytest.mark.parametrize(
    "path",
    [
        "/managers/{dan}",
        "/managers/{dan}/tables/trends.csv",
        "/teams/{core}",
        "/teams/{core}/tables/summary.csv",
        "/builds/{build}",
    ],
)
def test_another_organisations_ids_are_404(company, other_org, api, path):
    ids = {k: (v.id if hasattr(v, "id") else v["id"]) for k, v in company.items()}
    response = api(other_org.admin).get(URL + path.format(**ids))
    assert response.status_code == 404


def test_csv_export_of_every_table(company, api):
    client = api(company["cara"])
    response = client.get(f"{URL}/managers/{company['cara'].id}/tables/by_report.csv")
    assert response.status_code == 200 and response.mimetype == "text/csv"
    assert "attachment" in response.headers["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(response.get_data(as_text=True))))
    assert rows[0][:3] == ["name", "headcount", "goals_active"]
    assert sorted(r[0] for r in rows[1:]) == ["Dan Lead", "Eve Lead"]
    summary_csv = client.get(f"{URL}/managers/{company['cara'].id}/tables/summary.csv").get_data(as_text=True)
    summary = list(csv.reader(io.StringIO(summary_csv)))
    assert ["people", "headcount", "5"] in summary
    for table in ("by_team", "trends", "skill_gaps", "feedback_scores"):
        assert client.get(f"{URL}/managers/{company['cara'].id}/tables/{table}.csv").status_code == 200
    assert client.get(f"{URL}/managers/{company['cara'].id}/tables/nope.csv").status_code == 404


def test_a_name_like_a_formula_is_exported_as_text(company, org, api):
    admin = api(org.admin)
    eve = admin.get(f"{URL}/managers/{company['eve'].id}/tables/by_report.csv").get_data(as_text=True)
    assert "'=Hal Formula" in eve and "\n=Hal" not in eve


def test_not_built_yet_says_how_to_build(org, api):
    boss = org.person("Boss")
    org.person("Report", manager=boss)
    response = api(boss).get(f"{URL}/me")
    assert response.status_code == 404 and "POST /api/v1/dashboards/builds" in response.json["message"]
    assert api(boss).get(f"{URL}/builds/latest").status_code == 404


def test_build_status_and_latest(company, api):
    client = api(company["dan"])
    status = client.get(f"{URL}/builds/{company['build']['id']}").json
    assert status["status"] == "done" and status["progress"] == 100 and status["result"]["snapshots"] == 6
    assert client.get(f"{URL}/builds/latest").json["id"] == company["build"]["id"]
