"""What an invitation to mentor carries for the people it concerns (the mentor deciding, the
mentee, HR admins): the mentee's request (skills wanted, topics, note), the goals they linked to
it, and why this mentor fits. Reads only; the web page for a mentor's decision is built on it."""

from __future__ import annotations

import uuid
from typing import Any

import sqlalchemy as sa

from ..core.db import db
from ..goals.models import PRIVATE, Goal
from ..learning.models import Skill
from ..people.models import User
from .models import Invitation, MentoringRequest
from .services import mentor_skills, profile_of
from .workflow import readable_invitation


def invitation_brief(actor: User, invitation_id: uuid.UUID) -> dict[str, Any]:
    """The invitation with its request, as the mentor sees it before answering. Another
    organisation's id is 404, someone outside the pair (not HR) 403. Goals the mentee linked are
    shown unless private (a private goal stays its owner's alone, even when linked)."""
    found: Invitation = readable_invitation(actor, invitation_id)
    request = db.session.get(MentoringRequest, found.request_id)
    assert request is not None  # composite foreign key
    offered = {}
    profile = profile_of(found.mentor_id)
    if profile is not None:
        offered = {s["skill_id"]: s["level"] for s in mentor_skills([profile.id]).get(profile.id, [])}
    wanted = {uuid.UUID(k): v for k, v in request.needs.items()}
    names = (
        dict(
            db.session.execute(sa.select(Skill.id, Skill.name).where(Skill.id.in_([*wanted, *offered]))).all()
        )
        if (wanted or offered)
        else {}
    )
    needs = sorted(
        (
            {"skill_id": sid, "skill_name": names.get(sid, "?"), "level": level, "offered": offered.get(sid)}
            for sid, level in wanted.items()
        ),
        key=lambda n: n["skill_name"],
    )
    goal_ids = [uuid.UUID(str(g)) for g in request.goal_ids]
    goals = (
        list(
            db.session.scalars(
                sa.select(Goal)
                .where(Goal.id.in_(goal_ids), Goal.owner_id == request.mentee_id, Goal.visibility != PRIVATE)
                .order_by(Goal.due_date.is_(None), Goal.due_date, Goal.title)
            )
        )
        if goal_ids
        else []
    )
    reasons = list(found.reasons)
    if not reasons:
        # Asked directly (not from a match run): say where the mentor meets the request.
        reasons = [
            f"Offers {n['skill_name']} at level {n['offered']} (level {n['level']} wanted)"
            for n in needs
            if n["offered"]
        ]
        shared = sorted(set(request.topics) & set(profile.topics if profile else []))
        if shared:
            reasons.append("Shares the topics: " + ", ".join(shared))
    people = {
        p.id: p
        for p in db.session.scalars(sa.select(User).where(User.id.in_([found.mentee_id, found.mentor_id])))
    }
    return {
        "invitation": found,
        "request": request,
        "mentee": people.get(found.mentee_id),
        "mentor": people.get(found.mentor_id),
        "needs": needs,
        "topics": list(request.topics),
        "note": request.note,
        "goals": goals,
        "reasons": reasons,
    }
