"""The batch match end to end: enqueued on the real Redis, run by a real `tandem worker` process,
proposals stored with reasons, approved and sent to the mentors."""

from __future__ import annotations

import pytest

pytestmark = [pytest.mark.committed, pytest.mark.redis]


def test_a_batch_match_runs_on_a_real_worker(redis_app, world, org, other_org, run_worker):
    client = redis_app.test_client()

    def auth(person):
        return {"Authorization": f"Bearer {person.token}"}

    second = org.person("Second")
    for person, skill in ((world["mentee"], world["python"]), (second, world["sql"])):
        made = client.post(
            "/api/v1/mentoring/requests",
            headers=auth(person),
            json={"needs": [{"skill_id": skill, "level": 3}]},
        )
        assert made.status_code == 201, made.json
    started = client.post("/api/v1/mentoring/match-runs", headers=auth(org.admin), json={})
    assert started.status_code == 202 and started.json["job"]["status"] == "queued"
    assert started.json["proposals"] == []  # not inline: nothing until a worker runs it
    again = client.post("/api/v1/mentoring/match-runs", headers=auth(org.admin), json={})
    assert again.json["id"] == started.json["id"]  # the same match queued twice runs once

    worker = run_worker("default")
    assert worker.returncode == 0, worker.stderr

    run = client.get(f"/api/v1/mentoring/match-runs/{started.json['id']}", headers=auth(org.admin)).json
    assert run["job"]["status"] == "done" and run["job"]["progress"] == 100 and run["job"]["attempts"] == 1
    assert run["job"]["result"]["proposed"] == 2
    pairs = {p["mentor_id"] for p in run["proposals"]}
    assert pairs == {str(world["ana"].id), str(world["bo"].id)}  # never the boss: he is in the chain
    assert all(p["reasons"] and p["status"] == "proposed" for p in run["proposals"])
    assert (
        client.get(f"/api/v1/mentoring/match-runs/{run['id']}", headers=auth(other_org.admin)).status_code
        == 404
    )
    assert client.get(f"/api/v1/jobs/{run['job']['id']}", headers=auth(other_org.admin)).status_code == 404

    sent = client.post(f"/api/v1/mentoring/match-runs/{run['id']}/approve", headers=auth(org.admin), json={})
    assert sent.status_code == 200 and len(sent.json) == 2
    inbox = client.get("/api/v1/mentoring/invitations?role=mentor", headers=auth(world["bo"])).json
    assert [i["mentee_id"] for i in inbox["items"]] == [str(second.id)]
