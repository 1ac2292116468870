"""Demo mentoring: mentor profiles, open requests, a pending, a declined invitation and one active
mentorship with sessions, made through the same services the API uses."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import sqlalchemy as sa

from ..core.db import db, utcnow
from ..learning.models import Skill
from ..people.models import User
from . import services, workflow

# email local part: (capacity, topics, availability, {skill key: level})
MENTORS: dict[str, tuple[int, list[str], str, dict[str, int]]] = {
    "diego.santos": (
        2,
        ["career", "technical-leadership"],
        "Tuesday afternoons",
        {"python": 5, "system-design": 5},
    ),
    "raj.patel": (2, ["career", "leadership"], "Fridays", {"data-analysis": 5, "statistics": 4, "python": 4}),
    "ben.carter": (1, ["career"], "Mondays, 30 minutes", {"machine-learning": 5, "statistics": 5}),
    "emma.wilson": (1, ["product-craft"], "Every other Thursday", {"product-strategy": 5, "roadmapping": 4}),
    "kenji.watanabe": (1, ["public-speaking", "career"], "Wednesdays", {"product-discovery": 4}),
}
# mentee: ({skill key: wanted level}, topics, mentor asked, what happens)
REQUESTS: dict[str, tuple[dict[str, int], list[str], str | None, str]] = {
    "sam.rivera": ({"python": 4, "system-design": 3}, ["career"], "diego.santos", "accepted"),
    "yuki.tanaka": ({"statistics": 4}, ["career"], "ben.carter", "pending"),
    "arjun.mehta": ({"product-strategy": 4}, ["product-craft"], "emma.wilson", "declined"),
    "jonas.berg": ({"data-analysis": 3}, ["career"], None, "open"),
}
SESSIONS = [
    (21, "Mapped the checkout service's failure modes together.", ["Write the design doc outline"]),
    (7, "Reviewed the design doc; agreed on the idempotency key approach.", ["Share the doc with the team"]),
]


def seed_mentoring() -> dict[str, Any]:
    """Seed the bound (demo) tenant's mentoring data; returns how many of each were made."""
    people = {email.split("@")[0]: person for email, person in _people()}
    skills = dict(db.session.execute(sa.select(Skill.key, Skill.id)).all())
    for local, (capacity, topics, availability, offered) in MENTORS.items():
        services.save_profile(
            people[local],
            {
                "capacity": capacity,
                "topics": topics,
                "availability": availability,
                "skills": [{"skill_id": skills[key], "level": level} for key, level in offered.items()],
            },
        )
    mentorships = 0
    for local, (needs, topics, mentor, outcome) in REQUESTS.items():
        request = services.create_request(
            people[local],
            {"needs": [{"skill_id": skills[k], "level": v} for k, v in needs.items()], "topics": topics},
        )
        if mentor is None:
            continue
        invitation = workflow.invite(people[local], request.id, people[mentor].id)
        if outcome == "declined":
            workflow.decline(people[mentor], invitation.id)
        elif outcome == "accepted":
            mentorship = workflow.accept(people[mentor], invitation.id)
            mentorship.started_at = utcnow() - timedelta(days=35)
            mentorships += 1
            for days_ago, notes, actions in SESSIONS:
                workflow.add_session(
                    people[mentor],
                    mentorship.id,
                    {
                        "held_on": (utcnow() - timedelta(days=days_ago)).date(),
                        "notes": notes,
                        "actions": actions,
                    },
                )
    db.session.flush()
    return {"mentors": len(MENTORS), "requests": len(REQUESTS), "mentorships": mentorships}


def _people() -> list[tuple[str, User]]:
    return [(p.email, p) for p in db.session.scalars(sa.select(User).where(User.is_active.is_(True)))]
