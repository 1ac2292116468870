"""Helpers for the mentoring tests: an organisation with a reporting line and mentors, skills by
key, and a snapshot of every mentoring table so a refused request can be shown to change nothing."""

from __future__ import annotations

from typing import Any

import pytest

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


@pytest.fixture
def snapshot(snapshot_of) -> Any:
    return snapshot_of(TABLES)


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
