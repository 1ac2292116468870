"""The demo organisation's learning data: seeded with bulk inserts on PostgreSQL (COPY), readable
through the API, with plans in every state, evidence, expiring certificates and mentors."""

from __future__ import annotations

import sqlalchemy as sa

from tandem.core.db import db
from tandem.goals.demo_data import seed_goals
from tandem.learning import models
from tandem.learning.demo_data import seed_learning
from tandem.people.demo_data import demo_csv
from tandem.people.importer import ImportOptions
from tandem.people.imports import import_people
from tandem.people.models import User


def test_demo_learning_on_postgresql(org, api):
    with org.scope():
        report = import_people(
            None, demo_csv(), ImportOptions(allow_multiple_roots=True), dry_run=False, filename="demo.csv"
        )
        assert report["applied"], report["problems"]
        seed_goals()
        counts = seed_learning()
        assert counts["role_profiles"] >= 10 and counts["catalogue_items"] >= 12 and counts["plans"] >= 25
        statuses = set(db.session.scalars(sa.select(models.LearningItem.status)))
        assert statuses == {"planned", "in_progress", "completed", "dropped"}
        evidence = db.session.scalar(sa.select(sa.func.count()).select_from(models.SkillEvidence))
        assert evidence == counts["evidence"] > 0
        sam = db.session.scalar(sa.select(User.id).where(User.email == "sam.rivera@example.com"))
    admin = api(org.admin)
    expiring = admin.get("/api/v1/learning/expiring-certifications", query_string={"scope": "all"}).json
    assert expiring["total"] >= 1
    assert admin.get("/api/v1/role-profiles").json["total"] == counts["role_profiles"]
    gaps = admin.get(f"/api/v1/people/{sam}/skill-gaps")
    assert gaps.status_code == 200 and gaps.json["role_profile"]["name"] == "Software Engineer"
    assert gaps.json["total"] >= 1
    plans = admin.get("/api/v1/learning/plans", query_string={"scope": "visible"}).json
    assert plans["total"] == counts["plans"]
