"""Helpers for the goals tests: making goals through the API, and reading every goal table of an
organisation in one go so a test can assert that a refused request changed nothing."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest
import sqlalchemy as sa
from argon2 import PasswordHasher

from tandem.core import security
from tandem.core.db import db
from tandem.goals.models import Celebration, CheckIn, Goal, GoalObstacle, GoalTask, GoalTemplate

URL = "/api/v1/goals"
TODAY = date.today()


@pytest.fixture(autouse=True)
def _cheap_password_hashing(monkeypatch: pytest.MonkeyPatch) -> None:
    """argon2id at its lowest cost: every test makes organisations, and hashing at the production
    cost would dominate the run time. The hashes are still real argon2id hashes."""
    monkeypatch.setattr(security, "_hasher", PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1))


def goal_body(**overrides: Any) -> dict[str, Any]:
    """A goal that passes every SMART rule."""
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
    body.update(overrides)
    return body


@pytest.fixture(name="goal_body")
def _goal_body() -> Any:
    """`goal_body(**overrides)` -> a create body that passes every SMART rule."""
    return goal_body


@pytest.fixture
def make_goal() -> Any:
    """`make_goal(client, **fields)` -> the created goal's JSON (asserts 201)."""

    def make(client: Any, **overrides: Any) -> dict[str, Any]:
        response = client.post(URL, json=goal_body(**overrides))
        assert response.status_code == 201, response.json
        return response.json

    return make


class GoalsSnapshot:
    """Every goal-domain row of one organisation, comparable."""

    def __init__(self, org: Any) -> None:
        with org.scope():
            self.goals = sorted(
                tuple(str(getattr(g, c.key)) for c in sa.inspect(Goal).column_attrs if c.key != "smart")
                for g in db.session.scalars(sa.select(Goal))
            )
            self.counts = {
                model.__name__: db.session.scalar(sa.select(sa.func.count()).select_from(model))
                for model in (GoalTask, GoalObstacle, CheckIn, Celebration, GoalTemplate)
            }
            self.tasks = sorted(
                (str(t.id), t.title, t.done, t.urgent, t.important)
                for t in db.session.scalars(sa.select(GoalTask))
            )
            self.obstacles = sorted(
                (str(o.id), o.description, o.status) for o in db.session.scalars(sa.select(GoalObstacle))
            )
            self.templates = sorted(
                (str(t.id), t.title, t.is_active) for t in db.session.scalars(sa.select(GoalTemplate))
            )

    def __eq__(self, other: object) -> bool:
        return isinstance(other, GoalsSnapshot) and vars(self) == vars(other)

    def __repr__(self) -> str:
        return f"GoalsSnapshot({len(self.goals)} goals, {self.counts})"


@pytest.fixture
def goals_snapshot() -> Any:
    return GoalsSnapshot


@pytest.fixture
def stored_goal() -> Any:
    """`stored_goal(org, goal_id)` -> the Goal row's columns as a dict (None if absent)."""

    def read(org: Any, goal_id: Any) -> dict[str, Any] | None:
        with org.scope():
            goal = db.session.get(Goal, goal_id)
            if goal is None:
                return None
            return {c.key: getattr(goal, c.key) for c in sa.inspect(Goal).column_attrs}

    return read
