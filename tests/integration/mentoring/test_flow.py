"""The mentoring journey: opt in, ask, instant suggestions with reasons (never up or down the
management line), invite, accept (other pending invitations withdrawn), sessions private to the
pair, pause, end and rate; a declined or expired invitation answers with alternatives."""

from __future__ import annotations

from datetime import timedelta

import sqlalchemy as sa

from tandem.core.db import db, utcnow
from tandem.mentoring.models import Invitation


def test_suggestions_rank_with_reasons_and_skip_the_management_line(world, open_request, api):
    mentee = api(world["mentee"])
    response = mentee.get(f"/api/v1/mentoring/requests/{open_request['id']}/suggestions")
    assert response.status_code == 200
    ranked = [s["mentor_id"] for s in response.json]
    # The boss is in the mentee's chain and the report in their subtree: never suggested.
    assert ranked == [str(world["ana"].id), str(world["bo"].id)]
    best = response.json[0]
    assert best["score"] > response.json[1]["score"]
    assert any("python" in reason.lower() for reason in best["reasons"]), best
    assert any("career" in reason for reason in best["reasons"])


def test_request_takes_skills_from_linked_goals(world, api):
    mentee = api(world["mentee"])
    goal = mentee.post("/api/v1/goals", json={"title": "Ship the API", "measure_kind": "binary"}).json
    linked = mentee.put(
        f"/api/v1/goals/{goal['id']}/skills", json={"skills": [{"skill_id": world["sql"], "level": 3}]}
    )
    assert linked.status_code == 200, linked.json
    created = mentee.post("/api/v1/mentoring/requests", json={"goal_ids": [goal["id"]]})
    assert created.status_code == 201, created.json
    assert created.json["needs"] == [{"skill_id": world["sql"], "level": 3}]
    top = mentee.get(f"/api/v1/mentoring/requests/{created.json['id']}/suggestions").json
    assert top[0]["mentor_id"] == str(world["bo"].id)


def test_invite_accept_sessions_end_and_rate(world, open_request, api, org):
    mentee, ana, bo, admin = (api(world[k]) for k in ("mentee", "ana", "bo", "admin"))
    request_id = open_request["id"]
    first = mentee.post(
        f"/api/v1/mentoring/requests/{request_id}/invitations", json={"mentor_id": str(world["ana"].id)}
    )
    second = mentee.post(
        f"/api/v1/mentoring/requests/{request_id}/invitations", json={"mentor_id": str(world["bo"].id)}
    )
    assert first.status_code == 201 and second.status_code == 201
    again = mentee.post(
        f"/api/v1/mentoring/requests/{request_id}/invitations", json={"mentor_id": str(world["ana"].id)}
    )
    assert again.status_code == 409

    inbox = ana.get("/api/v1/mentoring/invitations", query_string={"role": "mentor"}).json
    assert [i["id"] for i in inbox["items"]] == [first.json["id"]]
    accepted = ana.post(f"/api/v1/mentoring/invitations/{first.json['id']}/accept")
    assert accepted.status_code == 201, accepted.json
    mentorship = accepted.json
    assert mentorship["status"] == "active" and mentorship["mentee_id"] == str(world["mentee"].id)
    # The mentee's other pending invitation is withdrawn; bo can no longer accept it.
    assert bo.post(f"/api/v1/mentoring/invitations/{second.json['id']}/accept").status_code == 409
    assert mentee.get(f"/api/v1/mentoring/requests/{request_id}").json["status"] == "matched"
    assert ana.get("/api/v1/mentoring/profile").json["load"] == 1

    url = f"/api/v1/mentoring/mentorships/{mentorship['id']}"
    session = ana.post(
        f"{url}/sessions",
        json={"held_on": "2027-01-12", "notes": "Talked about ownership", "actions": ["Read DDIA"]},
    )
    assert session.status_code == 201, session.json
    assert mentee.get(f"{url}/sessions").json[0]["actions"] == ["Read DDIA"]
    # Notes are for the pair: HR admins see the mentorship exists, never its sessions.
    assert admin.get(url).status_code == 200
    assert admin.get(f"{url}/sessions").status_code == 403
    assert api(world["boss"]).get(url).status_code == 403

    assert mentee.patch(url, json={"status": "paused"}).json["status"] == "paused"
    assert ana.patch(url, json={"status": "active"}).json["status"] == "active"
    assert ana.post(f"{url}/end", json={"rating": 5}).status_code == 403  # only the mentee rates
    ended = ana.post(f"{url}/end", json={})
    assert ended.status_code == 200 and ended.json["status"] == "completed"
    assert ended.json["ended_by_id"] == str(world["ana"].id)
    assert mentee.put(f"{url}/rating", json={"rating": 4}).json["rating"] == 4
    assert mentee.put(f"{url}/rating", json={"rating": 6}).status_code == 422
    assert ana.post(f"{url}/sessions", json={"held_on": "2027-02-01"}).status_code == 409
    assert ana.get("/api/v1/mentoring/profile").json["load"] == 0


def test_a_full_mentor_cannot_accept(world, open_request, api, org):
    other = org.person("Other mentee")
    other_request = (
        api(other)
        .post("/api/v1/mentoring/requests", json={"needs": [{"skill_id": world["python"], "level": 3}]})
        .json
    )
    ana = api(world["ana"])
    one = (
        api(world["mentee"])
        .post(
            f"/api/v1/mentoring/requests/{open_request['id']}/invitations",
            json={"mentor_id": str(world["ana"].id)},
        )
        .json
    )
    two = (
        api(other)
        .post(
            f"/api/v1/mentoring/requests/{other_request['id']}/invitations",
            json={"mentor_id": str(world["ana"].id)},
        )
        .json
    )
    assert ana.post(f"/api/v1/mentoring/invitations/{one['id']}/accept").status_code == 201
    full = ana.post(f"/api/v1/mentoring/invitations/{two['id']}/accept")
    assert full.status_code == 409 and "place" in full.json["message"]
    # A full mentor is not suggested any more.
    top = api(other).get(f"/api/v1/mentoring/requests/{other_request['id']}/suggestions").json
    assert str(world["ana"].id) not in [s["mentor_id"] for s in top]


def test_decline_and_expiry_answer_with_alternatives(world, open_request, api, org):
    mentee, ana, bo = api(world["mentee"]), api(world["ana"]), api(world["bo"])
    request_id = open_request["id"]
    invite = mentee.post(
        f"/api/v1/mentoring/requests/{request_id}/invitations", json={"mentor_id": str(world["ana"].id)}
    ).json
    declined = ana.post(f"/api/v1/mentoring/invitations/{invite['id']}/decline")
    assert declined.status_code == 200
    assert declined.json["invitation"]["status"] == "declined"
    assert [s["mentor_id"] for s in declined.json["alternatives"]] == [str(world["bo"].id)]
    assert ana.post(f"/api/v1/mentoring/invitations/{invite['id']}/accept").status_code == 409

    late = mentee.post(
        f"/api/v1/mentoring/requests/{request_id}/invitations", json={"mentor_id": str(world["bo"].id)}
    ).json
    with org.scope():
        db.session.execute(
            sa.update(Invitation)
            .where(Invitation.id == late["id"])
            .values(expires_at=utcnow() - timedelta(hours=1))
        )
    assert bo.post(f"/api/v1/mentoring/invitations/{late['id']}/accept").status_code == 409
    seen = mentee.get(f"/api/v1/mentoring/invitations/{late['id']}").json
    assert seen["invitation"]["status"] == "expired"
    # Ana declined and bo let it expire: ana stays excluded, bo may be asked again.
    assert [s["mentor_id"] for s in seen["alternatives"]] == [str(world["bo"].id)]


def test_withdrawing_a_request_withdraws_its_invitations(world, open_request, api):
    mentee = api(world["mentee"])
    invite = mentee.post(
        f"/api/v1/mentoring/requests/{open_request['id']}/invitations",
        json={"mentor_id": str(world["ana"].id)},
    ).json
    assert (
        mentee.post(f"/api/v1/mentoring/requests/{open_request['id']}/withdraw").json["status"] == "withdrawn"
    )
    assert (
        mentee.get(f"/api/v1/mentoring/invitations/{invite['id']}").json["invitation"]["status"]
        == "withdrawn"
    )
    again = mentee.post("/api/v1/mentoring/requests", json={"topics": ["career"]})
    assert again.status_code == 201


def test_inline_batch_match_proposes_approves_and_sends(world, open_request, api, org):
    admin = api(world["admin"])
    programme = admin.post(
        "/api/v1/mentoring/programmes",
        json={"name": "Spring", "starts_on": "2027-03-01", "ends_on": "2027-06-30"},
    )
    assert programme.status_code == 201
    other = org.person("Second")
    api(other).post("/api/v1/mentoring/requests", json={"needs": [{"skill_id": world["sql"], "level": 3}]})
    started = admin.post("/api/v1/mentoring/match-runs", json={})
    assert started.status_code == 202, started.json
    run = admin.get(f"/api/v1/mentoring/match-runs/{started.json['id']}").json
    assert run["job"]["status"] == "done", run["job"]  # no REDIS_URL here: jobs run inline
    pairs = {(p["request_id"], p["mentor_id"]) for p in run["proposals"]}
    assert (open_request["id"], str(world["ana"].id)) in pairs and len(pairs) == 2
    assert run["summary"]["proposed"] == 2 and all(p["reasons"] for p in run["proposals"])

    chosen = next(p for p in run["proposals"] if p["request_id"] == open_request["id"])
    sent = admin.post(
        f"/api/v1/mentoring/match-runs/{run['id']}/approve", json={"proposal_ids": [chosen["id"]]}
    )
    assert sent.status_code == 200 and len(sent.json) == 1
    assert sent.json[0]["mentor_id"] == str(world["ana"].id) and sent.json[0]["status"] == "pending"
    other_one = next(p for p in run["proposals"] if p["request_id"] != open_request["id"])
    rejected = admin.post(
        f"/api/v1/mentoring/match-runs/{run['id']}/reject", json={"proposal_ids": [other_one["id"]]}
    )
    assert rejected.status_code == 200 and rejected.json[0]["status"] == "rejected"
    rest = admin.post(f"/api/v1/mentoring/match-runs/{run['id']}/approve")
    assert rest.status_code == 200 and rest.json == []  # nothing left awaiting a decision
    statuses = sorted(
        p["status"] for p in admin.get(f"/api/v1/mentoring/match-runs/{run['id']}").json["proposals"]
    )
    assert statuses == ["approved", "rejected"]
    assert (
        api(world["ana"]).post(f"/api/v1/mentoring/invitations/{sent.json[0]['id']}/accept").status_code
        == 201
    )


def test_mentors_filter_by_skill_and_topic(world, api):
    client = api(world["mentee"])
    by_skill = client.get("/api/v1/mentoring/mentors", query_string={"skill_id": world["sql"]}).json
    assert [m["user_id"] for m in by_skill["items"]] == [str(world["bo"].id)]
    by_topic = client.get("/api/v1/mentoring/mentors", query_string={"topic": "Career"}).json
    assert by_topic["total"] == 3 and str(world["bo"].id) not in {m["user_id"] for m in by_topic["items"]}
    assert client.get("/api/v1/mentoring/mentors", query_string={"topic": "%"}).json["total"] == 0
    mine = api(world["ana"]).get("/api/v1/mentoring/profile").json
    assert mine["capacity"] == 1 and mine["skills"] == [{"skill_id": world["python"], "level": 5}]
    assert client.get("/api/v1/mentoring/profile").status_code == 404


def test_suggestions_take_the_same_number_of_queries_whatever_the_head_count(
    world, open_request, api, org, count_queries
):
    mentee = api(world["mentee"])
    url = f"/api/v1/mentoring/requests/{open_request['id']}/suggestions"
    # The first call builds the organisation's mentor pool, the next one reuses it.
    with count_queries() as few:
        assert mentee.get(url).status_code == 200
    with count_queries() as few_kept:
        assert mentee.get(url).status_code == 200
    manager = world["boss"]
    for i in range(6):
        person = org.person(f"Extra {i}", manager=manager)
        api(person).put(
            "/api/v1/mentoring/profile",
            json={"capacity": 2, "skills": [{"skill_id": world["python"], "level": 3}]},
        )
        manager = person
    with count_queries() as many:
        assert len(mentee.get(url).json) == 5
    with count_queries() as many_kept:
        assert len(mentee.get(url).json) == 5
    assert len(many) == len(few)
    assert len(many_kept) == len(few_kept) < len(few)
