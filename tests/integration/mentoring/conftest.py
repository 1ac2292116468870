"""Helpers for the mentoring tests: an organisation with a reporting line and mentors, skills by
key, and a snapshot of every mentoring table so a refused request can be shown to change nothing."""

from __future__ import annotations

from typing import Any

import pytest
import sqlalchemy as sa

from tandem.core.db import db
from tandem.core.jobs import JobRun
from tandem.mentoring import models

TABLES = (
    models.Programme,
    models.MentorProfile,
    models.MentorSkill,
    models.MentoringRequest,
    models.MatchRun,
    models.MatchProposal,
    models.Invitation,
    models.Mentorship,
    models.MentoringSession,
    JobRun,
)


class MentoringSnapshot:
    """Every mentoring row (all columns) of one organisation."""

    def __init__(self, org: Any) -> None:
        with org.scope():
            self.rows = {
                model.__name__: sorted(
                    tuple(str(getattr(row, c.key)) for c in sa.inspect(model).column_attrs)
                    for row in db.session.scalars(sa.select(model))
                )
                for model in TABLES
            }

    def __eq__(self, other: object) -> bool:
        return isinstance(other, MentoringSnapshot) and self.rows == other.rows

    def __repr__(self) -> str:
        return f"MentoringSnapshot({ {k: len(v) for k, v in self.rows.items()} })"


@pytest.fixture
def snapshot() -> Any:
    return MentoringSnapshot


@pytest.fixture
def skill_ids(org, api) -> dict[str, str]:
    """The default taxonomy's skill ids by key (seeded on first catalogue access)."""
    client = api(org.admin)
    found: dict[str, str] = {}
    page = 1
    while True:
        body = client.get("/api/v1/skills", query_string={"per_page": 200, "page": page}).json
        found.update({s["key"]: s["id"] for s in body["items"]})
        if page * 200 >= body["total"]:
            return found
        page += 1


@pytest.fixture
def world(org, api, skill_ids):
    """boss > lead > mentee > report; two mentors outside the mentee's line (ana strong in python,
    bo in sql), and the boss also a mentor (in the mentee's chain: never suggested)."""
    boss = org.person("Boss")
    lead = org.person("Lead", manager=boss)
    mentee = org.person("Mentee", manager=lead)
    report = org.person("Report", manager=mentee)
    ana = org.person("Ana")
    bo = org.person("Bo")
    python, sql = skill_ids["python"], skill_ids["sql"]
    for who, skills, topics in (
        (ana, [{"skill_id": python, "level": 5}], ["career"]),
        (bo, [{"skill_id": sql, "level": 4}, {"skill_id": python, "level": 2}], []),
        (boss, [{"skill_id": python, "level": 5}], ["career"]),
        (report, [{"skill_id": python, "level": 5}], ["career"]),
    ):
        response = api(who).put(
            "/api/v1/mentoring/profile", json={"capacity": 1, "skills": skills, "topics": topics}
        )
        assert response.status_code == 200, response.json
    return {
        "admin": org.admin,
        "boss": boss,
        "lead": lead,
        "mentee": mentee,
        "report": report,
        "ana": ana,
        "bo": bo,
        "python": python,
        "sql": sql,
    }


@pytest.fixture
def open_request(world, api):
    body = {"needs": [{"skill_id": world["python"], "level": 4}], "topics": ["Career"]}
    response = api(world["mentee"]).post("/api/v1/mentoring/requests", json=body)
    assert response.status_code == 201, response.json
    return response.json
