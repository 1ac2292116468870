"""Helpers for the learning tests: a small organisation with a reporting line, skills by key, and
a snapshot of every learning table of an organisation so a refused request can be shown to have
changed nothing."""

from __future__ import annotations

from typing import Any

import pytest

from tandem.core.audit import AuditEvent
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


@pytest.fixture
def snapshot(snapshot_of) -> Any:
    return snapshot_of(TABLES)


@pytest.fixture
def world(org):
    """boss > lead > owner > report, and a peer under lead."""
    boss = org.person("Boss")
    lead = org.person("Lead", manager=boss)
    owner = org.person("Owner", manager=lead)
    peer = org.person("Peer", manager=lead)
    report = org.person("Report", manager=owner)
    return {"boss": boss, "lead": lead, "owner": owner, "peer": peer, "report": report, "admin": org.admin}
