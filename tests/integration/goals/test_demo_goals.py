"""The demo organisation's goals: seeded with bulk inserts on PostgreSQL (COPY) and SQLite, with
stored progress that agrees with the roll-up rule, and readable through the API."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from tandem import create_app
from tandem.core import tenancy, unit_of_work
from tandem.core.db import db
from tandem.goals import services
from tandem.goals.demo_data import seed_goals
from tandem.goals.models import Celebration, CheckIn, Goal, GoalTask, GoalTemplate
from tandem.people.demo_data import demo_csv
from tandem.people.importer import ImportOptions
from tandem.people.imports import import_people
from tandem.settings import Settings


def _check_seeded(counts):
    assert counts["goals"] >= 100 and counts["tasks"] >= 150 and counts["checkins"] >= 150
    assert counts["celebrations"] >= 5 and counts["templates"] == 2
    goals = db.session.scalars(sa.select(Goal)).all()
    assert len(goals) == counts["goals"]
    assert db.session.scalar(sa.select(sa.func.count()).select_from(CheckIn)) == counts["checkins"]
    assert db.session.scalar(sa.select(sa.func.count()).select_from(GoalTask)) == counts["tasks"]
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Celebration)) == counts["celebrations"]
    assert db.session.scalar(sa.select(sa.func.count()).select_from(GoalTemplate)) == 2
    # Recomputing any goal's chain with the services changes nothing: the seed followed the rule.
    stored = {g.id: g.progress for g in goals}
    for goal in goals:
        services.recompute_upwards(goal)
    assert {g.id: g.progress for g in goals} == pytest.approx(stored)
    assert all(g.smart.get("criteria") for g in goals)
    assert {g.status for g in goals} >= {"active", "completed"}
    assert 0 < sum(g.progress for g in goals) / len(goals) < 1


def test_demo_goals_on_postgresql(org, api):
    with org.scope():
        report = import_people(
            None, demo_csv(), ImportOptions(allow_multiple_roots=True), dry_run=False, filename="demo.csv"
        )
        assert report["applied"], report["problems"]
        counts = seed_goals()
        _check_seeded(counts)
    lena = org.person("Lena Viewer")  # someone new: sees tenant-wide goals only
    listed = api(lena).get("/api/v1/goals", query_string={"scope": "visible", "per_page": 200}).json
    assert listed["total"] >= 8 and all(g["visibility"] == "tenant" for g in listed["items"])
    admin = api(org.admin)
    everything = admin.get("/api/v1/goals", query_string={"scope": "visible", "per_page": 1}).json["total"]
    assert everything == counts["goals"]


@pytest.mark.committed
def test_demo_goals_on_sqlite(tmp_path, migrate):
    url = f"sqlite:///{tmp_path / 'demo.db'}"
    migrate(url)
    settings = Settings.from_env({"TANDEM_INSTANCE_DIR": str(tmp_path), "TANDEM_ENV": "demo"})
    app = create_app(settings.with_overrides(database_url=url, session_cookie_secure=False))
    try:
        with app.app_context():
            from tandem.demo import seed
            from tandem.people.accounts import create_token, tenant_by_slug
            from tandem.people.models import User

            assert seed() is True
            unit_of_work.commit()
            with tenancy.tenant_scope(tenant_by_slug("demo").id):
                goals = db.session.scalars(sa.select(Goal)).all()
                assert len(goals) >= 100
                sam = db.session.scalar(sa.select(User).where(User.email == "sam.rivera@example.com"))
                tree = services.owner_goals(sam, sam.id, include_archived=False)
                assert len(tree) >= 4 and tree[0][1] == 0
                forest = [(str(goal.id), depth) for goal, depth in tree]
                _record, secret = create_token(sam, "tree")
                unit_of_work.commit()
        # The API tree on SQLite: the same goals in the same order, with their progress lines.
        response = app.test_client().get("/api/v1/goals/tree", headers={"Authorization": f"Bearer {secret}"})
        assert response.status_code == 200, response.json
        items = response.json["items"]
        assert [(i["id"], i["depth"]) for i in items] == forest
        assert sum(len(i["checkins"]) for i in items) > 0
    finally:
        with app.app_context():
            db.engine.dispose()
