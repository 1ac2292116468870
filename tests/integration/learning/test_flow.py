"""The whole journey through the API: a role profile, a self-assessment, a goal that needs a skill,
the ranked gaps with catalogue items and mentors, a plan whose completed item records evidence."""

from __future__ import annotations

from datetime import date, timedelta

TODAY = date.today()


def test_gap_to_plan_to_evidence(org, api, world, skill_ids):
    admin, owner, lead = api(world["admin"]), api(world["owner"]), api(world["lead"])
    python, sql, k8s = skill_ids["python"], skill_ids["sql"], skill_ids["kubernetes"]
    profile = admin.post(
        "/api/v1/role-profiles",
        json={
            "name": "Engineer",
            "job_title": "Engineer",
            "requirements": [
                {"skill_id": python, "level": 4, "note": "Owns services end to end"},
                {"skill_id": sql, "level": 3},
            ],
        },
    )
    assert profile.status_code == 201, profile.json
    assert profile.json["requirements"][0]["level_description"]
    course = admin.post(
        "/api/v1/learning/catalogue",
        json={
            "title": "Python deep dive",
            "kind": "course",
            "hours": 10,
            "skills": [{"skill_id": python, "level": 4}],
        },
    )
    assert course.status_code == 201, course.json
    assert (
        owner.put(f"/api/v1/people/{world['owner'].id}/skills/{python}", json={"self_level": 2}).status_code
        == 200
    )
    goal = owner.post(
        "/api/v1/goals", json={"title": "Run the cluster", "measure_kind": "binary", "status": "active"}
    ).json
    assert (
        owner.put(
            f"/api/v1/goals/{goal['id']}/skills", json={"skills": [{"skill_id": k8s, "level": 3}]}
        ).status_code
        == 200
    )
    # A willing mentor at level 4 outside the chain, and the lead (in the chain) who must not appear.
    peer = api(world["peer"])
    assert (
        peer.put(
            f"/api/v1/people/{world['peer'].id}/skills/{python}",
            json={"self_level": 5, "willing_to_mentor": True},
        ).status_code
        == 200
    )
    lead.put(
        f"/api/v1/people/{world['lead'].id}/skills/{python}",
        json={"self_level": 5, "willing_to_mentor": True},
    )

    gaps = owner.get(f"/api/v1/people/{world['owner'].id}/skill-gaps")
    assert gaps.status_code == 200, gaps.json
    body = gaps.json
    assert body["role_profile"]["name"] == "Engineer" and body["role_profile_source"] == "job_title"
    by_skill = {g["skill_id"]: g for g in body["items"]}
    assert [g["skill_id"] for g in body["items"]] == [k8s, sql, python]
    assert by_skill[k8s]["goal_count"] == 1 and by_skill[k8s]["gap"] == 3
    assert by_skill[python]["gap"] == 2
    assert [i["title"] for i in by_skill[python]["catalogue_items"]] == ["Python deep dive"]
    assert [m["person_id"] for m in by_skill[python]["mentors"]] == [str(world["peer"].id)]

    plan = owner.post("/api/v1/learning/plans", json={"title": "Get to senior"}).json
    item = owner.post(
        f"/api/v1/learning/plans/{plan['id']}/items",
        json={"catalogue_item_id": course.json["id"], "goal_ids": [goal["id"]]},
    )
    assert item.status_code == 201, item.json
    assert item.json["skill_ids"] == [python] and item.json["kind"] == "course"
    gaps = owner.get(f"/api/v1/people/{world['owner'].id}/skill-gaps").json
    python_gap = next(g for g in gaps["items"] if g["skill_id"] == python)
    assert python_gap["catalogue_items"][0]["already_planned"] is True
    done = owner.patch(
        f"/api/v1/learning/plans/{plan['id']}/items/{item.json['id']}", json={"status": "completed"}
    )
    assert done.status_code == 200, done.json
    assert done.json["completed_on"] == TODAY.isoformat()
    evidence = owner.get(f"/api/v1/people/{world['owner'].id}/skill-evidence").json
    assert evidence["total"] == 1 and evidence["items"][0]["source"] == "learning"
    # Evidence never changes the level.
    line = next(
        s
        for s in owner.get(f"/api/v1/people/{world['owner'].id}/skills").json["items"]
        if s["skill_id"] == python
    )
    assert line["self_level"] == 2 and line["current_level"] == 2 and line["evidence_count"] == 1
    # Completed is final.
    again = owner.patch(
        f"/api/v1/learning/plans/{plan['id']}/items/{item.json['id']}", json={"status": "planned"}
    )
    assert again.status_code == 409


def test_certifications_about_to_expire_are_listed_for_the_person_and_their_managers(org, api, world):
    owner = api(world["owner"])
    plan = owner.post("/api/v1/learning/plans", json={"title": "Certs"}).json
    url = f"/api/v1/learning/plans/{plan['id']}/items"
    soon = owner.post(
        url,
        json={
            "kind": "certification",
            "title": "CKA",
            "status": "completed",
            "completed_on": (TODAY - timedelta(days=700)).isoformat(),
            "expires_on": (TODAY + timedelta(days=30)).isoformat(),
        },
    )
    assert soon.status_code == 201, soon.json
    owner.post(
        url,
        json={
            "kind": "certification",
            "title": "Later",
            "status": "completed",
            "expires_on": (TODAY + timedelta(days=200)).isoformat(),
        },
    )
    mine = owner.get("/api/v1/learning/expiring-certifications").json
    assert [i["title"] for i in mine["items"]] == ["CKA"] and mine["items"][0]["days_left"] == 30
    theirs = (
        api(world["boss"])
        .get("/api/v1/learning/expiring-certifications", query_string={"scope": "reports"})
        .json
    )
    assert [i["title"] for i in theirs["items"]] == ["CKA"]
    person = api(world["lead"]).get(f"/api/v1/people/{world['owner'].id}/expiring-certifications").json
    assert person["total"] == 1
    assert (
        api(world["peer"]).get(f"/api/v1/people/{world['owner'].id}/expiring-certifications").status_code
        == 403
    )
