"""The demo organisation's feedback: a finished 360 cycle for Lena Fischer's subtree whose results
show released categories (peers) next to suppressed ones (Diego Santos's two direct reports),
and an open ad-hoc request so reviewers have something to do. Written through the services, so
the demo data obeys the same rules; deterministic (a seeded generator)."""

from __future__ import annotations

import random
from datetime import timedelta
from typing import Any

import sqlalchemy as sa

from ..core.db import db
from ..core.errors import ValidationFailed
from ..people.models import User
from . import cycles, requests, responses, templates
from .models import CLOSED, PEER, RATING, FeedbackCycle, FeedbackInvitation, FeedbackRequest
from .services import today

COMMENTS = [
    "Always explains the why behind a decision.",
    "Could share work in progress earlier.",
    "Great at unblocking others in code review.",
    "Sometimes takes on too much alone.",
    "Calm and clear during incidents.",
    "I would like more written design notes.",
    "Makes newcomers feel welcome.",
]


def _people() -> dict[str, User]:
    return {p.email.split("@")[0]: p for p in db.session.scalars(sa.select(User))}


def _answers(questions: list[Any], rng: random.Random) -> list[dict[str, Any]]:
    answers: list[dict[str, Any]] = []
    for question in questions:
        if question.kind == RATING:
            answers.append({"question_id": question.id, "rating": rng.choice([2, 3, 3, 4, 4, 4, 5, 5])})
        elif rng.random() < 0.7:
            answers.append({"question_id": question.id, "text": rng.choice(COMMENTS)})
    return answers


def seed_feedback(seed: int = 2026) -> dict[str, int]:
    rng = random.Random(seed)
    people = _people()
    admin, lena = people["harper.hughes"], people["lena.fischer"]
    day = today()
    templates.ensure_defaults()
    cycle = cycles.launch_cycle(
        admin,
        {
            "name": "Autumn 360",
            "scope": "subtree",
            "manager_id": lena.id,
            "opens_on": day,
            "closes_on": day + timedelta(days=14),
        },
    )
    cycle_requests = list(
        db.session.scalars(
            sa.select(FeedbackRequest)
            .where(FeedbackRequest.cycle_id == cycle.id)
            .order_by(FeedbackRequest.id)
        )
    )
    by_id = {p.id: p for p in people.values()}
    for request in cycle_requests:
        subject = by_id[request.subject_id]
        siblings = sorted(
            (p for p in people.values() if p.manager_id == subject.manager_id and p.id != subject.id),
            key=lambda p: p.email,
        )
        chosen = (
            siblings if subject.email.startswith("diego.") else rng.sample(siblings, min(3, len(siblings)))
        )
        if not chosen:
            continue
        invited = []
        for peer in chosen[:4]:
            try:
                invited += requests.add_reviewers(
                    subject, request.id, [{"person_id": peer.id, "relationship": PEER}]
                )
            except ValidationFailed:
                continue  # they already have the cycle's cap of requests: as in real life, pick others
        for invitation in invited:
            requests.decide_nomination(by_id[subject.manager_id], invitation.id, True)  # type: ignore[index]
    questions = templates.questions_of([cycle.template_id])[cycle.template_id]
    invitations = db.session.scalars(
        sa.select(FeedbackInvitation)
        .join(FeedbackRequest, FeedbackRequest.id == FeedbackInvitation.request_id)
        .where(FeedbackRequest.cycle_id == cycle.id)
        .order_by(FeedbackInvitation.id)
    ).all()
    submitted = 0
    for invitation in invitations:
        if rng.random() < 0.9:
            responses.submit(by_id[invitation.reviewer_id], invitation.id, _answers(questions, rng))
            submitted += 1
        elif rng.random() < 0.5:
            responses.decline(by_id[invitation.reviewer_id], invitation.id, "On leave for most of the cycle.")
    cycles.close_cycle(admin, cycle.id)
    # The cycle ran last month: move its dates back now that the answers are in.
    opened, closed = day - timedelta(days=45), day - timedelta(days=15)
    db.session.execute(
        sa.update(FeedbackCycle).where(FeedbackCycle.id == cycle.id).values(opens_on=opened, closes_on=closed)
    )
    db.session.execute(
        sa.update(FeedbackRequest)
        .where(FeedbackRequest.cycle_id == cycle.id)
        .values(due_on=closed, status=CLOSED)
        .execution_options(synchronize_session="fetch")
    )
    sam = people["sam.rivera"]
    requests.create_request(
        sam,
        {
            "due_on": day + timedelta(days=10),
            "template_id": templates.usable_template(None).id,
            "message": "I led the cache migration this quarter; how did it go from where you sat?",
            "reviewers": [
                {"person_id": lena.id, "relationship": "manager"},
                {"person_id": people["aisha.bello"].id, "relationship": PEER},
                {"person_id": people["tom.becker"].id, "relationship": PEER},
                {"person_id": people["nina.kowalski"].id, "relationship": PEER},
            ],
        },
    )
    db.session.flush()
    return {"subjects": len(cycle_requests), "invitations": len(invitations), "submitted": submitted}
