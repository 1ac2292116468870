"""Teams: create, read, rename, delete, unique names and active headcounts."""

from __future__ import annotations

import pytest

URL = "/api/v1/teams"


def test_create_list_and_get_a_team(org, api):
    created = api(org.admin).post(URL, json={"name": " Platform ", "description": "Runs the platform"})
    assert created.status_code == 201, created.json
    team = created.json
    assert team["name"] == "Platform"
    assert team["description"] == "Runs the platform"
    assert team["headcount"] == 0

    employee = org.person("Reader")
    listed = api(employee).get(URL)
    assert listed.status_code == 200
    assert [t["name"] for t in listed.json] == ["Platform"]
    one = api(employee).get(f"{URL}/{team['id']}")
    assert one.status_code == 200 and one.json["id"] == team["id"]


def test_teams_are_listed_by_name(org, api, make_team):
    for name in ("Zeta", "Alpha", "Mid"):
        make_team(org, name)
    assert [t["name"] for t in api(org.admin).get(URL).json] == ["Alpha", "Mid", "Zeta"]


@pytest.mark.parametrize("clash", ["Platform", "platform", "PLATFORM", "  Platform  "])
def test_team_names_are_unique_case_insensitively(org, api, make_team, snapshot, clash):
    make_team(org, "Platform")
    before = snapshot(org)
    response = api(org.admin).post(URL, json={"name": clash})
    assert response.status_code == 422, response.json
    assert "name" in response.json["errors"]["json"]
    assert snapshot(org) == before


def test_same_team_name_in_two_organisations_is_fine(org, other_org, make_team):
    assert make_team(org, "Platform") != make_team(other_org, "Platform")


@pytest.mark.parametrize(
    ("payload", "field"), [({}, "name"), ({"name": ""}, "name"), ({"name": "x" * 121}, "name")]
)
def test_bad_team_input_is_422(org, api, snapshot, payload, field):
    before = snapshot(org)
    response = api(org.admin).post(URL, json=payload)
    assert response.status_code == 422
    assert field in response.json["errors"]["json"]
    assert snapshot(org) == before


def test_whitespace_only_name_is_refused(org, api, snapshot):
    before = snapshot(org)
    response = api(org.admin).post(URL, json={"name": "   "})
    assert response.status_code == 422
    assert snapshot(org) == before


def test_rename_and_describe(org, api, make_team):
    team = make_team(org, "Old")
    response = api(org.admin).patch(f"{URL}/{team}", json={"name": "New", "description": "Renamed"})
    assert response.status_code == 200, response.json
    assert (response.json["name"], response.json["description"]) == ("New", "Renamed")
    assert api(org.admin).get(f"{URL}/{team}").json["name"] == "New"


def test_renaming_to_own_name_in_other_case_is_allowed(org, api, make_team):
    team = make_team(org, "Data")
    response = api(org.admin).patch(f"{URL}/{team}", json={"name": "DATA"})
    assert response.status_code == 200
    assert response.json["name"] == "DATA"


def test_renaming_onto_another_team_is_422(org, api, make_team, snapshot):
    make_team(org, "Data")
    web = make_team(org, "Web")
    before = snapshot(org)
    response = api(org.admin).patch(f"{URL}/{web}", json={"name": "data"})
    assert response.status_code == 422
    assert "name" in response.json["errors"]["json"]
    assert snapshot(org) == before


def test_headcount_counts_active_members_only(org, api, make_team):
    team = make_team(org, "Counted")
    members = [org.person(f"Member {n}", team_id=team) for n in range(3)]
    org.person("Elsewhere")
    assert api(org.admin).get(f"{URL}/{team}").json["headcount"] == 3
    api(org.admin).post(f"/api/v1/people/{members[0].id}/deactivate")
    assert api(org.admin).get(f"{URL}/{team}").json["headcount"] == 2
    listed = {t["id"]: t["headcount"] for t in api(org.admin).get(URL).json}
    assert listed[team] == 2


def test_delete_an_empty_team(org, api, make_team):
    team = make_team(org, "Temporary")
    response = api(org.admin).delete(f"{URL}/{team}")
    assert response.status_code == 204
    assert api(org.admin).get(f"{URL}/{team}").status_code == 404
    assert api(org.admin).get(URL).json == []


def test_delete_a_team_with_members_is_409_and_keeps_it(org, api, make_team, snapshot):
    team = make_team(org, "Busy")
    org.person("Member", team_id=team)
    before = snapshot(org)
    response = api(org.admin).delete(f"{URL}/{team}")
    assert response.status_code == 409
    assert "1" in response.json["message"]
    assert snapshot(org) == before


def test_a_deactivated_member_still_blocks_deletion(org, api, make_team, snapshot):
    # Deactivated people keep their team; deleting it would leave them pointing at nothing.
    team = make_team(org, "Former")
    member = org.person("Former Member", team_id=team)
    api(org.admin).post(f"/api/v1/people/{member.id}/deactivate")
    before = snapshot(org)
    assert api(org.admin).delete(f"{URL}/{team}").status_code == 409
    assert snapshot(org) == before


def test_unknown_team_is_404(org, api):
    missing = f"{URL}/00000000-0000-0000-0000-000000000000"
    assert api(org.admin).get(missing).status_code == 404
    assert api(org.admin).patch(missing, json={"name": "X"}).status_code == 404
    assert api(org.admin).delete(missing).status_code == 404
