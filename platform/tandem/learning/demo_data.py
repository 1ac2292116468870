"""The demo organisation's learning: the default taxonomy, role profiles on career ladders, skill
profiles for everyone (with managers' assessments and mentors), a curated catalogue, learning plans
with items in every state, evidence from completed items, certificates about to expire and goals
linked to skills. Deterministic (a seeded generator), dates relative to today, bulk inserts."""

from __future__ import annotations

import random
import uuid
from datetime import UTC, datetime, time, timedelta
from typing import Any

import sqlalchemy as sa

from ..core import tenancy
from ..core.db import db, utcnow
from ..goals.models import Goal
from ..people.models import User
from . import services
from .models import (
    COMPLETED,
    DROPPED,
    IN_PROGRESS,
    PLANNED,
    CareerPath,
    CatalogueItem,
    CatalogueItemSkill,
    GoalSkill,
    LearningItem,
    LearningItemGoal,
    LearningItemSkill,
    LearningPlan,
    PersonSkill,
    RoleProfile,
    RoleRequirement,
    Skill,
    SkillEvidence,
)

# key, name, job title, track, next key, {skill key: level}
PROFILES: list[tuple[str, str, str, str, str, dict[str, int]]] = [
    (
        "se",
        "Software Engineer",
        "Software Engineer",
        "Engineering",
        "se2",
        {"python": 3, "sql": 2, "testing": 3, "code-review": 2, "api-design": 2},
    ),
    (
        "se2",
        "Software Engineer II",
        "Software Engineer II",
        "Engineering",
        "sse",
        {"python": 3, "sql": 3, "testing": 3, "code-review": 3, "api-design": 3, "system-design": 2},
    ),
    (
        "sse",
        "Senior Software Engineer",
        "Senior Software Engineer",
        "Engineering",
        "staff",
        {
            "python": 4,
            "system-design": 3,
            "testing": 4,
            "code-review": 4,
            "mentoring-others": 3,
            "observability": 3,
        },
    ),
    (
        "staff",
        "Staff Engineer",
        "Staff Engineer",
        "Engineering",
        "",
        {
            "system-design": 5,
            "distributed-systems": 4,
            "technical-writing": 4,
            "mentoring-others": 4,
            "influencing": 4,
        },
    ),
    (
        "sre",
        "Site Reliability Engineer",
        "Site Reliability Engineer",
        "Engineering",
        "sse",
        {"kubernetes": 4, "observability": 4, "incident-management": 4, "terraform": 3, "linux": 3},
    ),
    (
        "de",
        "Data Engineer",
        "Data Engineer",
        "Data",
        "",
        {"sql": 4, "data-engineering": 4, "python": 3, "data-modelling": 3, "spark": 2},
    ),
    (
        "ds",
        "Data Scientist",
        "Data Scientist",
        "Data",
        "sds",
        {"statistics": 4, "machine-learning": 3, "python": 3, "experimentation": 3, "storytelling": 2},
    ),
    (
        "sds",
        "Senior Data Scientist",
        "Senior Data Scientist",
        "Data",
        "",
        {
            "statistics": 4,
            "machine-learning": 4,
            "mlops": 3,
            "stakeholder-management": 3,
            "mentoring-others": 3,
        },
    ),
    (
        "pm",
        "Product Manager",
        "Product Manager",
        "Product",
        "spm",
        {
            "product-discovery": 3,
            "prioritisation": 3,
            "customer-interviews": 3,
            "product-analytics": 2,
            "written-communication": 3,
        },
    ),
    (
        "spm",
        "Senior Product Manager",
        "Senior Product Manager",
        "Product",
        "",
        {"product-strategy": 4, "roadmapping": 4, "stakeholder-management": 4, "product-analytics": 3},
    ),
    (
        "pd",
        "Product Designer",
        "Product Designer",
        "Design",
        "spd",
        {"interaction-design": 3, "prototyping": 3, "usability-testing": 3, "figma": 3, "accessibility": 2},
    ),
    (
        "spd",
        "Senior Product Designer",
        "Senior Product Designer",
        "Design",
        "",
        {
            "interaction-design": 4,
            "design-systems": 4,
            "ux-research": 3,
            "facilitation": 3,
            "accessibility": 3,
        },
    ),
    (
        "em",
        "Engineering Manager",
        "Engineering Manager",
        "Leadership",
        "",
        {"one-on-ones": 4, "giving-feedback": 4, "hiring": 3, "delegation": 4, "coaching": 3},
    ),
]
# title, kind, provider, url, hours, validity months, {skill key: level}
CATALOGUE: list[tuple[str, str, str, str, float | None, int | None, dict[str, int]]] = [
    (
        "Designing Data-Intensive Applications",
        "book",
        "O'Reilly",
        "https://dataintensive.net",
        30,
        None,
        {"distributed-systems": 4, "databases": 4, "system-design": 4},
    ),
    (
        "Certified Kubernetes Administrator",
        "certification",
        "CNCF",
        "https://www.cncf.io/training/certification/cka/",
        40,
        24,
        {"kubernetes": 4},
    ),
    (
        "AWS Solutions Architect Associate",
        "certification",
        "AWS",
        "https://aws.amazon.com/certification/",
        60,
        36,
        {"cloud-aws": 3, "system-design": 3},
    ),
    (
        "Python testing with pytest",
        "course",
        "Acme Academy",
        "https://example.com/pytest",
        8,
        None,
        {"testing": 3, "python": 3},
    ),
    ("Advanced Python", "course", "Acme Academy", "https://example.com/python", 16, None, {"python": 4}),
    (
        "SLOs in practice",
        "workshop",
        "Internal SRE guild",
        "",
        4,
        None,
        {"site-reliability": 3, "observability": 3},
    ),
    (
        "Practical statistics for data scientists",
        "book",
        "O'Reilly",
        "",
        20,
        None,
        {"statistics": 3, "experimentation": 3},
    ),
    ("MLOps fundamentals", "course", "Coursera", "https://www.coursera.org", 25, None, {"mlops": 3}),
    (
        "Continuous discovery habits",
        "book",
        "Product Talk",
        "",
        10,
        None,
        {"product-discovery": 4, "customer-interviews": 3},
    ),
    (
        "Mind the Product",
        "conference",
        "Mind the Product",
        "https://www.mindtheproduct.com",
        16,
        None,
        {"product-strategy": 3, "roadmapping": 3},
    ),
    (
        "Inclusive design webinar",
        "webinar",
        "W3C WAI",
        "https://www.w3.org/WAI/",
        2,
        None,
        {"accessibility": 3},
    ),
    ("Design systems workshop", "workshop", "Internal design guild", "", 6, None, {"design-systems": 3}),
    (
        "Manager foundations",
        "workshop",
        "People Ops",
        "",
        12,
        None,
        {"one-on-ones": 3, "giving-feedback": 3, "delegation": 3},
    ),
    ("Coaching circle with a senior leader", "mentoring", "Internal", "", 10, None, {"coaching": 3}),
    (
        "Lead a cross-team incident review",
        "stretch_assignment",
        "Internal",
        "",
        12,
        None,
        {"incident-management": 4, "facilitation": 3},
    ),
    (
        "Speaking at meetups",
        "course",
        "Toastmasters",
        "https://www.toastmasters.org",
        12,
        None,
        {"public-speaking": 3, "storytelling": 3},
    ),
]


def seed_learning(seed: int = 2026) -> dict[str, int]:
    """Seed the bound (demo) tenant's learning data; returns how many rows of each kind."""
    services.ensure_default_catalogue()
    tenant_id, now = tenancy.current_tenant_id(), utcnow()
    today = now.date()
    rng = random.Random(seed)
    skills = dict(db.session.execute(sa.select(Skill.key, Skill.id)).all())
    people = list(
        db.session.execute(
            sa.select(User.id, User.email, User.title, User.manager_id)
            .where(User.is_active.is_(True))
            .order_by(User.email)
        )
    )
    hr = db.session.scalar(sa.select(User.id).where(User.role == "hr_admin").order_by(User.email).limit(1))
    profile_ids = {key: uuid.uuid4() for key, *_ in PROFILES}
    base = {"tenant_id": tenant_id}
    profiles, requirements = [], []
    for key, name, title, track, _nxt, needs in PROFILES:
        profiles.append(
            {
                **base,
                "id": profile_ids[key],
                "name": name,
                "job_title": title,
                "track": track,
                "description": f"What we expect of a {name.lower()}.",
                "next_profile_id": None,
                "is_active": True,
                "created_at": now,
                "updated_at": now,
            }
        )
        requirements += [
            {
                **base,
                "id": uuid.uuid4(),
                "role_profile_id": profile_ids[key],
                "skill_id": skills[s],
                "level": level,
                "note": "",
            }
            for s, level in needs.items()
        ]
    tenancy.bulk_insert(db.session, RoleProfile, profiles)
    for key, *_rest, nxt, _needs in PROFILES:
        if nxt:
            db.session.execute(
                sa.update(RoleProfile.__table__)
                .where(
                    RoleProfile.__table__.c.tenant_id == tenant_id,
                    RoleProfile.__table__.c.id == profile_ids[key],
                )
                .values(next_profile_id=profile_ids[nxt])
            )
    tenancy.bulk_insert(db.session, RoleRequirement, requirements)

    catalogue_ids, catalogue_rows, catalogue_tags = [], [], []
    for title, kind, provider, url, hours, validity, tags in CATALOGUE:
        item_id = uuid.uuid4()
        catalogue_ids.append((item_id, title, kind, provider, url, hours, validity, tags))
        catalogue_rows.append(
            {
                **base,
                "id": item_id,
                "title": title,
                "kind": kind,
                "provider": provider,
                "url": url,
                "hours": hours,
                "description": "",
                "validity_months": validity,
                "is_active": True,
                "created_by_id": hr,
                "created_at": now,
                "updated_at": now,
            }
        )
        catalogue_tags += [
            {**base, "id": uuid.uuid4(), "item_id": item_id, "skill_id": skills[s], "level": level}
            for s, level in tags.items()
        ]
    tenancy.bulk_insert(db.session, CatalogueItem, catalogue_rows)
    tenancy.bulk_insert(db.session, CatalogueItemSkill, catalogue_tags)

    by_title = {p[2].lower(): p[0] for p in PROFILES}
    lines: dict[tuple[uuid.UUID, uuid.UUID], dict[str, Any]] = {}
    paths = []
    for index, (person_id, _email, title, manager_id) in enumerate(people):
        profile_key = by_title.get((title or "").lower())
        needs = dict(next(p[5] for p in PROFILES if p[0] == profile_key)) if profile_key else {}
        extra = rng.sample(sorted(skills), 4)
        for key in [*needs, *extra]:
            wanted = needs.get(key, 3)
            own = max(1, min(5, wanted + rng.choice([-2, -1, -1, 0, 0, 1])))
            manager_level = (
                max(1, min(5, own + rng.choice([-1, 0, 0, 1]))) if manager_id and rng.random() < 0.4 else None
            )
            lines[(person_id, skills[key])] = {
                **base,
                "id": uuid.uuid4(),
                "person_id": person_id,
                "skill_id": skills[key],
                "self_level": own,
                "self_assessed_at": now - timedelta(days=rng.randint(5, 60)),
                "manager_level": manager_level,
                "manager_note": "Seen in the last project" if manager_level else "",
                "manager_assessor_id": manager_id if manager_level else None,
                "manager_assessed_at": now - timedelta(days=rng.randint(1, 30)) if manager_level else None,
                "interested": rng.random() < 0.35,
                "willing_to_mentor": own >= 4 and rng.random() < 0.7,
                "created_at": now,
                "updated_at": now,
            }
        if profile_key and index % 3 == 0:
            nxt = next(p[4] for p in PROFILES if p[0] == profile_key)
            if nxt:
                paths.append(
                    {
                        **base,
                        "id": uuid.uuid4(),
                        "person_id": person_id,
                        "role_profile_id": None,
                        "target_profile_id": profile_ids[nxt],
                        "created_at": now,
                        "updated_at": now,
                    }
                )
    tenancy.bulk_insert(db.session, CareerPath, paths)

    goals = list(db.session.execute(sa.select(Goal.id, Goal.owner_id).where(Goal.status == "active")))
    goal_skill_rows, goals_by_owner = [], {}
    for goal_id, owner_id in goals:
        goals_by_owner.setdefault(owner_id, []).append(goal_id)
    for goal_id, _owner in goals[::3]:
        for key in rng.sample(sorted(skills), 2):
            goal_skill_rows.append(
                {
                    **base,
                    "id": uuid.uuid4(),
                    "goal_id": goal_id,
                    "skill_id": skills[key],
                    "level": rng.choice([3, 4]),
                }
            )
    tenancy.bulk_insert(db.session, GoalSkill, goal_skill_rows)

    plans, items, item_skills, item_goals, evidence = [], [], [], [], []
    states = [COMPLETED, IN_PROGRESS, PLANNED, DROPPED, PLANNED]
    for index, (person_id, _email, _title, manager_id) in enumerate(people):
        if index % 5 == 4:
            continue  # not everybody has a plan yet
        plan_id = uuid.uuid4()
        start = today - timedelta(days=rng.randint(30, 200))
        plans.append(
            {
                **base,
                "id": plan_id,
                "owner_id": person_id,
                "title": "Growth plan " + str(today.year),
                "description": "What I am learning this year",
                "status": "active",
                "start_date": start,
                "due_date": start + timedelta(days=365),
                "created_at": now,
                "updated_at": now,
            }
        )
        for slot, (item_id, title, kind, provider, url, hours, _validity, tags) in enumerate(
            rng.sample(catalogue_ids, 3)
        ):
            status = states[(index + slot) % len(states)]
            completed_on = today - timedelta(days=rng.randint(3, 90)) if status == "completed" else None
            expires_on = None
            if kind == "certification" and completed_on is not None:
                # Some certificates are close to expiry, so the 90-day list has something to show.
                expires_on = today + timedelta(days=rng.choice([20, 45, 80, 400]))
            suggested = manager_id if slot == 2 and manager_id else None
            row_id = uuid.uuid4()
            items.append(
                {
                    **base,
                    "id": row_id,
                    "plan_id": plan_id,
                    "catalogue_item_id": item_id,
                    "kind": kind,
                    "title": title,
                    "provider": provider,
                    "url": url,
                    "hours": hours,
                    "start_date": start,
                    "due_date": start + timedelta(days=rng.randint(60, 300)),
                    "status": status,
                    "completed_on": completed_on,
                    "expires_on": expires_on,
                    "evidence": "Certificate on file" if expires_on else "",
                    "notes": "",
                    "suggested_by_id": suggested,
                    "accepted_at": None if suggested and status == "planned" else now,
                    "created_at": now,
                    "updated_at": now,
                }
            )
            item_skills += [
                {**base, "id": uuid.uuid4(), "item_id": row_id, "skill_id": skills[s]} for s in tags
            ]
            if goals_by_owner.get(person_id) and slot == 0:
                item_goals.append(
                    {**base, "id": uuid.uuid4(), "item_id": row_id, "goal_id": goals_by_owner[person_id][0]}
                )
            if completed_on is not None:
                for s in tags:
                    evidence.append(
                        {
                            **base,
                            "id": uuid.uuid4(),
                            "person_id": person_id,
                            "skill_id": skills[s],
                            "source": "certification" if kind == "certification" else "learning",
                            "value": None,
                            "note": f"Completed {kind.replace('_', ' ')}: {title}",
                            "at": datetime.combine(completed_on, time(12, 0), tzinfo=UTC),
                            "learning_item_id": row_id,
                            "recorded_by_id": person_id,
                        }
                    )
                    lines.setdefault(
                        (person_id, skills[s]),
                        {
                            **base,
                            "id": uuid.uuid4(),
                            "person_id": person_id,
                            "skill_id": skills[s],
                            "self_level": None,
                            "self_assessed_at": None,
                            "manager_level": None,
                            "manager_note": "",
                            "manager_assessor_id": None,
                            "manager_assessed_at": None,
                            "interested": True,
                            "willing_to_mentor": False,
                            "created_at": now,
                            "updated_at": now,
                        },
                    )
    tenancy.bulk_insert(db.session, PersonSkill, list(lines.values()))
    tenancy.bulk_insert(db.session, LearningPlan, plans)
    tenancy.bulk_insert(db.session, LearningItem, items)
    tenancy.bulk_insert(db.session, LearningItemSkill, item_skills)
    tenancy.bulk_insert(db.session, LearningItemGoal, item_goals)
    tenancy.bulk_insert(db.session, SkillEvidence, evidence)
    db.session.flush()
    return {
        "role_profiles": len(profiles),
        "catalogue_items": len(catalogue_rows),
        "skill_lines": len(lines),
        "plans": len(plans),
        "items": len(items),
        "evidence": len(evidence),
        "goal_skills": len(goal_skill_rows),
    }
