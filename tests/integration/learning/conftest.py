"""Helpers for the learning tests: a small organisation with a reporting line, skills by key, and
a snapshot of every learning table of an organisation so a refused request can be shown to have
changed nothing."""

from __future__ import annotations

from typing import Any

import pytest
import sqlalchemy as sa

from tandem.core.audit import AuditEvent
from tandem.core.db import db
from tandem.learning import models

TABLES = (
    models.Skill,
    models.SkillRelation,
    models.RoleProfile,
    models.RoleRequirement,
    models.CareerPath,
    models.PersonSkill,
    models.SkillEvidence,
    models.GoalSkill,
    models.CatalogueItem,
    models.CatalogueItemSkill,
    models.LearningPlan,
    models.LearningItem,
    models.LearningItemSkill,
    models.LearningItemGoal,
    AuditEvent,
)


class LearningSnapshot:
    """Every learning row (all columns but timestamps' microseconds) of one organisation."""

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
        return isinstance(other, LearningSnapshot) and self.rows == other.rows

    def __repr__(self) -> str:
        return f"LearningSnapshot({ {k: len(v) for k, v in self.rows.items()} })"


@pytest.fixture
def snapshot() -> Any:
    return LearningSnapshot


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
def world(org):
    """boss > lead > owner > report, and a peer under lead."""
    boss = org.person("Boss")
    lead = org.person("Lead", manager=boss)
    owner = org.person("Owner", manager=lead)
    peer = org.person("Peer", manager=lead)
    report = org.person("Report", manager=owner)
    return {"boss": boss, "lead": lead, "owner": owner, "peer": peer, "report": report, "admin": org.admin}
