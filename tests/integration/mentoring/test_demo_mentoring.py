"""The demo organisation's mentoring data: mentors, requests, a pending and a declined invitation,
and one active mentorship with sessions, readable through the API by the pair."""

from __future__ import annotations

import sqlalchemy as sa

from tandem.core.db import db
from tandem.learning.demo_data import seed_learning
from tandem.mentoring.demo_data import seed_mentoring
from tandem.people.demo_data import demo_csv
from tandem.people.importer import ImportOptions
from tandem.people.imports import import_people
from tandem.people.models import User


def test_demo_mentoring_on_postgresql(org, api):
    with org.scope():
        report = import_people(
            None, demo_csv(), ImportOptions(allow_multiple_roots=True), dry_run=False, filename="demo.csv"
        )
        assert report["applied"], report["problems"]
        seed_learning()
        counts = seed_mentoring()
        sam = db.session.scalar(sa.select(User.id).where(User.email == "sam.rivera@example.com"))
    assert counts == {"mentors": 5, "requests": 4, "mentorships": 1}
    admin = api(org.admin)
    assert admin.get("/api/v1/mentoring/mentors").json["total"] == 5
    statuses = sorted(i["status"] for i in admin.get("/api/v1/mentoring/invitations").json["items"])
    assert statuses == ["accepted", "declined", "pending"]
    (mentorship,) = admin.get("/api/v1/mentoring/mentorships").json["items"]
    assert mentorship["mentee_id"] == str(sam) and mentorship["status"] == "active"
    assert admin.get(f"/api/v1/mentoring/mentorships/{mentorship['id']}/sessions").status_code == 403
    open_ones = admin.get("/api/v1/mentoring/requests", query_string={"status": "open"}).json["items"]
    assert len(open_ones) == 3
    started = admin.post("/api/v1/mentoring/match-runs", json={})
    run = admin.get(f"/api/v1/mentoring/match-runs/{started.json['id']}").json
    assert run["job"]["status"] == "done" and run["summary"]["requests"] == 3
