"""A mentee's milestones are celebrated for their current mentors too, and no longer once the
mentorship has ended."""

from __future__ import annotations


def test_mentors_see_their_mentees_celebrations(world, open_request, api):
    mentee, ana, bo = api(world["mentee"]), api(world["ana"]), api(world["bo"])
    invite = mentee.post(
        f"/api/v1/mentoring/requests/{open_request['id']}/invitations",
        json={"mentor_id": str(world["ana"].id)},
    ).json
    mentorship = ana.post(f"/api/v1/mentoring/invitations/{invite['id']}/accept").json
    milestone = mentee.post(
        "/api/v1/goals",
        json={"title": "Design doc", "measure_kind": "binary", "kind": "milestone", "status": "active"},
    )
    assert milestone.status_code == 201, milestone.json
    done = mentee.patch(f"/api/v1/goals/{milestone.json['id']}", json={"status": "completed"})
    assert done.status_code == 200, done.json
    assert ana.get("/api/v1/celebrations").json["total"] == 1
    assert bo.get("/api/v1/celebrations").json["total"] == 0
    assert api(world["lead"]).get("/api/v1/celebrations").json["total"] == 1  # the chain, as before
    ana.post(f"/api/v1/mentoring/mentorships/{mentorship['id']}/end", json={})
    assert ana.get("/api/v1/celebrations").json["total"] == 0
