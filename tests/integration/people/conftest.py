"""Helpers for the people-domain tests: uploading CSVs, and reading the database directly to
check what a request did (or, more often, did not) write."""

from __future__ import annotations

import io
import uuid
from typing import Any

import pytest
import sqlalchemy as sa

from tandem.core.audit import AuditEvent
from tandem.core.db import db
from tandem.people.models import ApiToken, Team, User

IMPORT_URL = "/api/v1/people/import"


def upload(client: Any, text: str | bytes, **options: Any) -> Any:
    """POST a CSV to the import endpoint; `options` are the form flags (dry_run=True, ...)."""
    raw = text.encode() if isinstance(text, str) else text
    data: dict[str, Any] = {key: "true" if value else "false" for key, value in options.items()}
    data["file"] = (io.BytesIO(raw), "people.csv")
    return client.post(IMPORT_URL, json=None, data=data, content_type="multipart/form-data")


@pytest.fixture
def import_csv() -> Any:
    """`import_csv(api_client, text, dry_run=True, ...)` -> the response."""
    return upload


class Snapshot:
    """Everything of one organisation that the people API can write, read in one go, so a test
    can assert that a refused request changed nothing at all."""

    def __init__(self, org: Any) -> None:
        with org.scope():
            self.people = sorted(
                (
                    u.id,
                    u.email,
                    u.name,
                    u.title,
                    u.team_id,
                    u.manager_id,
                    u.role,
                    u.is_active,
                    u.password_hash,
                    u.session_nonce,
                )
                for u in db.session.scalars(sa.select(User))
            )
            self.teams = sorted((t.id, t.name, t.description) for t in db.session.scalars(sa.select(Team)))
            self.tokens = sorted(
                (t.id, t.user_id, t.revoked_at) for t in db.session.scalars(sa.select(ApiToken))
            )
            self.audit = db.session.scalar(sa.select(sa.func.count()).select_from(AuditEvent))

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Snapshot) and vars(self) == vars(other)

    def __repr__(self) -> str:
        return f"Snapshot({len(self.people)} people, {len(self.teams)} teams, audit={self.audit})"


@pytest.fixture
def snapshot() -> Any:
    """`snapshot(org)` -> a comparable picture of the organisation's people, teams, tokens and
    audit log size."""
    return Snapshot


@pytest.fixture
def read_user() -> Any:
    """`read_user(org, person_id)` -> a dict of the stored row (None if absent in that org)."""

    def read(org: Any, person_id: uuid.UUID) -> dict[str, Any] | None:
        with org.scope():
            user = db.session.get(User, person_id)
            if user is None:
                return None
            return {c.key: getattr(user, c.key) for c in sa.inspect(User).column_attrs}

    return read


@pytest.fixture
def audit_events() -> Any:
    """`audit_events(org, entity_id=None, action=None)` -> the stored events, oldest first."""

    def read(org: Any, entity_id: uuid.UUID | None = None, action: str | None = None) -> list[dict[str, Any]]:
        stmt = sa.select(AuditEvent).order_by(AuditEvent.at, AuditEvent.id)
        if entity_id is not None:
            stmt = stmt.where(AuditEvent.entity_id == entity_id)
        if action is not None:
            stmt = stmt.where(AuditEvent.action == action)
        with org.scope():
            return [
                {
                    "actor_id": e.actor_id,
                    "action": e.action,
                    "entity_type": e.entity_type,
                    "entity_id": e.entity_id,
                    "changes": e.changes,
                }
                for e in db.session.scalars(stmt)
            ]

    return read


@pytest.fixture
def make_team(api: Any) -> Any:
    """`make_team(org, name)` -> the new team's id (as a string), made through the API."""

    def make(org: Any, name: str) -> str:
        response = api(org.admin).post("/api/v1/teams", json={"name": name})
        assert response.status_code == 201, response.json
        return response.json["id"]

    return make
