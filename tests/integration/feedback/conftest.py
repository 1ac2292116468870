"""Helpers for the feedback tests: an org chart around one subject, asking and answering through
the API, and a snapshot of every feedback table to assert that a refused request changed nothing."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest
import sqlalchemy as sa

from tandem.core.db import db
from tandem.feedback.models import (
    FeedbackCycle,
    FeedbackDraft,
    FeedbackInvitation,
    FeedbackRequest,
    FeedbackResponse,
    FeedbackTemplate,
)

URL = "/api/v1/feedback"
TODAY = date.today()


@pytest.fixture
def world(org):
    """boss > manager > subject; the subject's peers, direct reports, and one person elsewhere."""
    boss = org.person("Boss")
    manager = org.person("Manager", manager=boss)
    subject = org.person("Subject", manager=manager)
    peers = [org.person(f"Peer {i}", manager=manager) for i in range(4)]
    reports = [org.person(f"Report {i}", manager=subject) for i in range(4)]
    other = org.person("Other", manager=boss)
    return {
        "boss": boss,
        "manager": manager,
        "subject": subject,
        "peers": peers,
        "reports": reports,
        "other": other,
        "admin": org.admin,
    }


def nominations(world: dict[str, Any], peers: int = 3, reports: int = 2) -> list[dict[str, Any]]:
    out = [
        {"person_id": str(world["subject"].id), "relationship": "self"},
        {"person_id": str(world["manager"].id), "relationship": "manager"},
    ]
    out += [{"person_id": str(p.id), "relationship": "peer"} for p in world["peers"][:peers]]
    out += [{"person_id": str(p.id), "relationship": "direct_report"} for p in world["reports"][:reports]]
    return out


@pytest.fixture
def ask(api):
    """`ask(client_person, reviewers, **extra)` -> the created request's JSON (asserts 201)."""

    def make(who: Any, reviewers: list[dict[str, Any]], **extra: Any) -> dict[str, Any]:
        body = {"due_on": (TODAY + timedelta(days=7)).isoformat(), "reviewers": reviewers, **extra}
        response = api(who).post(f"{URL}/requests", json=body)
        assert response.status_code == 201, response.json
        return response.json

    return make


def invitation_of(request: dict[str, Any], person: Any) -> str:
    return next(i["id"] for i in request["invitations"] if i["reviewer"]["id"] == str(person.id))


def answers_for(
    questionnaire: dict[str, Any], rating: int = 4, text: str | None = "Keep it up"
) -> list[dict[str, Any]]:
    out = []
    for question in questionnaire["questions"]:
        if question["kind"] == "rating":
            out.append({"question_id": question["id"], "rating": rating})
        elif text is not None:
            out.append({"question_id": question["id"], "text": text})
    return out


@pytest.fixture
def answer(api):
    """`answer(reviewer, invitation_id, rating=4, text=...)`: submit a full questionnaire (asserts 200)."""

    def submit(reviewer: Any, invitation_id: str, rating: int = 4, text: str | None = "Keep it up") -> Any:
        client = api(reviewer)
        questionnaire = client.get(f"{URL}/invitations/{invitation_id}").json
        response = client.post(
            f"{URL}/invitations/{invitation_id}/submit",
            json={"answers": answers_for(questionnaire, rating, text)},
        )
        assert response.status_code == 200, response.json
        return response.json

    return submit


class FeedbackSnapshot:
    """Every feedback row of one organisation, comparable."""

    def __init__(self, org: Any) -> None:
        with org.scope():
            self.rows = {
                model.__name__: sorted(
                    tuple(str(getattr(row, c.key)) for c in sa.inspect(model).column_attrs)
                    for row in db.session.scalars(sa.select(model))
                )
                for model in (
                    FeedbackTemplate,
                    FeedbackCycle,
                    FeedbackRequest,
                    FeedbackInvitation,
                    FeedbackDraft,
                    FeedbackResponse,
                )
            }

    def __eq__(self, other: object) -> bool:
        return isinstance(other, FeedbackSnapshot) and self.rows == other.rows

    def __repr__(self) -> str:
        return f"FeedbackSnapshot({ {k: len(v) for k, v in self.rows.items()} })"


@pytest.fixture
def snapshot() -> Any:
    return FeedbackSnapshot


@pytest.fixture
def fb() -> Any:
    """The plain helpers above, for test modules (conftest is not importable under importlib)."""
    from types import SimpleNamespace

    return SimpleNamespace(
        URL=URL, TODAY=TODAY, nominations=nominations, invitation_of=invitation_of, answers_for=answers_for
    )
