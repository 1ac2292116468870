"""The fixtures themselves: an organisation, people with tokens, and rollback between tests."""

from __future__ import annotations


def test_org_admin_can_read_me(org, api):
    response = api(org.admin).get("/api/v1/me")
    assert response.status_code == 200
    assert response.json["person"]["email"] == org.admin.email
    assert response.json["person"]["role"] == "hr_admin"


def test_people_made_through_services_report_to_their_manager(org, api):
    boss = org.person("Boss")
    worker = org.person("Worker", manager=boss)
    me = api(worker).get("/api/v1/me").json
    assert me["manager"]["id"] == str(boss.id)
    assert api(boss).get("/api/v1/me").json["direct_reports"][0]["id"] == str(worker.id)
