"""Instant suggestions from the kept mentor pool: the same as the reference (the whole instance
built for the one request by services.build_instance, the path suggestions took before the pool)
on random organisations; rebuilt after every kind of change to mentor data, never stale on
capacity; and never shared between organisations."""

from __future__ import annotations

import random
import uuid
from datetime import timedelta
from typing import Any

import pytest
import sqlalchemy as sa
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from matching import suggest
from tandem.core import tenancy
from tandem.core.db import db, utcnow
from tandem.learning.models import Skill, SkillRelation
from tandem.mentoring import services, suggestions
from tandem.mentoring.models import (
    Invitation,
    MentoringRequest,
    MentorProfile,
    Mentorship,
    MentorSkill,
)
from tandem.people.models import Team, User

TOPICS = ["career", "data", "leadership", "writing"]


def reference(found: MentoringRequest, k: int) -> list[dict[str, Any]]:
    instance = services.build_instance([found], reserve_pending=False)
    return suggestions.described(found, suggest(instance, str(found.mentee_id), k=k), services.skill_names())


def random_org(rng: random.Random, skills: list[uuid.UUID]) -> list[MentoringRequest]:
    """People in a random forest over three teams (a few deactivated, some without a team), about
    half of them mentors (some closed, some full), mentorships holding places or over, pending,
    declined and expired invitations, and open requests; returns the requests."""
    tag = uuid.uuid4().hex[:8]
    teams = [Team(name=f"Team {k} {tag}") for k in range(3)]
    db.session.add_all(teams)
    db.session.flush()
    people: list[User] = []
    for k in range(rng.randint(8, 40)):
        boss = rng.choice(people) if people and rng.random() < 0.85 else None
        team = rng.choice([*teams, None])
        people.append(
            User(
                email=f"p{k}-{tag}@random.test",
                name=f"P{k}",
                manager_id=boss.id if boss else None,
                team_id=team.id if team else None,
                is_active=rng.random() > 0.08,
            )
        )
        db.session.add(people[-1])
        db.session.flush()
    mentors = rng.sample(people, len(people) // 2)
    for person in mentors:
        profile = MentorProfile(
            user_id=person.id,
            is_open=rng.random() > 0.1,
            capacity=rng.randint(0, 3),
            topics=sorted(rng.sample(TOPICS, rng.randint(0, 2))),
        )
        db.session.add(profile)
        db.session.flush()
        db.session.add_all(
            MentorSkill(profile_id=profile.id, skill_id=s, level=rng.randint(1, 5))
            for s in rng.sample(skills, rng.randint(0, 4))
        )
    requests = []
    for mentee in rng.sample(people, rng.randint(1, min(8, len(people)))):
        needs = {str(s): rng.randint(1, 5) for s in rng.sample(skills, rng.randint(0, 3))}
        requests.append(
            MentoringRequest(
                mentee_id=mentee.id,
                needs=needs,
                topics=sorted(rng.sample(TOPICS, rng.randint(0 if needs else 1, 2))),
                preferred_mentor_ids=[str(m.id) for m in rng.sample(mentors, min(1, len(mentors)))],
            )
        )
    db.session.add_all(requests)
    db.session.flush()
    for _ in range(len(mentors)):
        mentor, mentee = rng.choice(mentors), rng.choice(people)
        if mentor is not mentee:
            status = rng.choice(["active", "paused", "completed"])
            db.session.add(Mentorship(mentee_id=mentee.id, mentor_id=mentor.id, status=status))
    waiting = set()
    for request in requests:
        for mentor in rng.sample(mentors, min(2, len(mentors))):
            status = rng.choice(["pending", "declined", "expired"])
            if mentor.id == request.mentee_id or (status == "pending" and mentor.id in waiting):
                continue
            waiting.add(mentor.id)
            db.session.add(
                Invitation(
                    request_id=request.id,
                    mentee_id=request.mentee_id,
                    mentor_id=mentor.id,
                    status=status,
                    expires_at=utcnow() + timedelta(days=rng.choice([-1, 7])),
                )
            )
    db.session.flush()
    return requests


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(seed=st.integers(0, 2**32 - 1))
def test_suggestions_are_those_of_the_whole_instance(app, org, skill_ids, seed):
    rng = random.Random(seed)
    with app.app_context(), tenancy.tenant_scope(org.tenant_id):
        requests = random_org(rng, sorted(uuid.UUID(s) for s in skill_ids.values()))
        everyone = db.session.scalar(sa.select(sa.func.count()).select_from(MentorProfile))
        for found in requests:
            # Every eligible mentor in order, and the API's top 5: once building the pool, then
            # from the kept one.
            for k in (everyone, 5, 5):
                assert suggestions.suggestions_for(found, k) == reference(found, k)
        db.session.rollback()


@pytest.fixture
def builds(monkeypatch):
    """How many times a pool was built (rather than taken from memory)."""
    count = {"n": 0}
    build = suggestions.build_pool

    def counting():
        count["n"] += 1
        return build()

    monkeypatch.setattr(suggestions, "build_pool", counting)
    return count


def test_the_pool_is_kept_until_its_data_changes_and_capacity_is_always_fresh(
    app, org, world, open_request, builds
):
    with app.app_context(), tenancy.tenant_scope(org.tenant_id):
        found = db.session.get(MentoringRequest, uuid.UUID(open_request["id"]))
        ana, bo = (db.session.get(User, world[k].id) for k in ("ana", "bo"))

        def check(*, rebuilt: bool) -> list[str]:
            before = builds["n"]
            got = suggestions.suggestions_for(found)
            assert got == reference(found, suggestions.SUGGESTIONS)
            assert builds["n"] == before + rebuilt
            return [str(s["mentor_id"]) for s in got]

        assert check(rebuilt=True) == [str(ana.id), str(bo.id)]
        check(rebuilt=False)
        # Places taken and pairs to skip are read per call: no rebuild, and ana (capacity 1) is full.
        db.session.add(Mentorship(mentee_id=world["lead"].id, mentor_id=ana.id))
        db.session.flush()
        assert check(rebuilt=False) == [str(bo.id)]
        db.session.execute(sa.delete(Mentorship).where(Mentorship.mentor_id == ana.id))
        db.session.add(
            Invitation(
                request_id=found.id,
                mentee_id=found.mentee_id,
                mentor_id=bo.id,
                status="declined",
                expires_at=utcnow(),
            )
        )
        db.session.flush()
        assert check(rebuilt=False) == [str(ana.id)]
        db.session.execute(sa.delete(Invitation))

        ana_profile = services.get_profile(ana.id)
        changes = [
            # Only the skills: the profile row itself is not written.
            lambda: services.save_profile(
                ana, {"skills": [{"skill_id": uuid.UUID(world["sql"]), "level": 2}]}
            ),
            lambda: setattr(ana_profile, "topics", ["writing"]),
            lambda: setattr(ana_profile, "capacity", 3),
            lambda: setattr(bo, "team_id", _team("Elsewhere")),
            lambda: db.session.execute(
                sa.update(Skill).where(Skill.id == uuid.UUID(world["python"])).values(name="Py")
            ),
            lambda: db.session.execute(
                sa.update(SkillRelation)
                .where(
                    SkillRelation.skill_id == db.session.scalar(sa.select(SkillRelation.skill_id).limit(1))
                )
                .values(weight=0.99)
            ),
            lambda: db.session.execute(sa.delete(SkillRelation)),
            lambda: setattr(ana_profile, "is_open", False),
            lambda: setattr(bo, "is_active", False),
        ]
        for change in changes:
            change()
            db.session.flush()
            check(rebuilt=True)
            check(rebuilt=False)


def _team(name: str) -> uuid.UUID:
    team = Team(name=name)
    db.session.add(team)
    db.session.flush()
    return team.id


def test_a_renamed_skill_is_named_afresh_in_the_reasons(app, org, world, open_request):
    with app.app_context(), tenancy.tenant_scope(org.tenant_id):
        found = db.session.get(MentoringRequest, uuid.UUID(open_request["id"]))
        assert any("Python" in r for r in suggestions.suggestions_for(found)[0]["reasons"])
        db.session.execute(
            sa.update(Skill).where(Skill.id == uuid.UUID(world["python"])).values(name="Snake language")
        )
        assert any("Snake language" in r for r in suggestions.suggestions_for(found)[0]["reasons"])


def _mentors_and_request(client, mentee, mentors, skill):
    for person in mentors:
        body = {"capacity": 2, "skills": [{"skill_id": skill, "level": 4}], "topics": ["career"]}
        assert client(person).put("/api/v1/mentoring/profile", json=body).status_code == 200
    body = {"needs": [{"skill_id": skill, "level": 3}]}
    response = client(mentee).post("/api/v1/mentoring/requests", json=body)
    assert response.status_code == 201, response.json
    return response.json["id"]


def test_pools_are_kept_per_organisation_and_never_cross(
    app, org, other_org, api, skill_ids, builds, monkeypatch
):
    theirs = {
        s["key"]: s["id"] for s in api(other_org.admin).get("/api/v1/skills?per_page=200").json["items"]
    }
    ours_mentors = [org.person(f"Mentor {k}") for k in range(3)]
    their_mentors = [other_org.person(f"Mentor {k}") for k in range(3)]
    ours = _mentors_and_request(api, org.person("Mentee"), ours_mentors, skill_ids["python"])
    their_mentee = other_org.person("Mentee")
    theirs_request = _mentors_and_request(api, their_mentee, their_mentors, theirs["python"])

    def suggested(who, request_id):
        response = api(who).get(f"/api/v1/mentoring/requests/{request_id}/suggestions")
        assert response.status_code == 200, response.json
        return {s["mentor_id"] for s in response.json}

    assert suggested(org.admin, ours) == {str(p.id) for p in ours_mentors}
    assert suggested(their_mentee, theirs_request) == {str(p.id) for p in their_mentors}
    assert builds["n"] == 2
    kept = dict(suggestions._pools)
    assert set(kept[org.tenant_id][1].capacity) == {str(p.id) for p in ours_mentors}
    assert set(kept[other_org.tenant_id][1].capacity) == {str(p.id) for p in their_mentors}
    # Another organisation's request is 404, pool kept or not.
    assert api(org.admin).get(f"/api/v1/mentoring/requests/{theirs_request}/suggestions").status_code == 404

    # A change in one organisation leaves the other's pool (and fingerprint) alone.
    with org.scope():
        fingerprint = suggestions.fingerprint()
    api(their_mentors[0]).put("/api/v1/mentoring/profile", json={"capacity": 2, "topics": ["writing"]})
    with org.scope():
        assert suggestions.fingerprint() == fingerprint
    assert suggested(org.admin, ours) == {str(p.id) for p in ours_mentors}
    assert builds["n"] == 2
    assert suggested(their_mentee, theirs_request) == {str(p.id) for p in their_mentors}
    assert builds["n"] == 3

    # The number of organisations kept is bounded: the least recently used goes first.
    monkeypatch.setattr(suggestions, "POOLS_KEPT", 1)
    api(ours_mentors[0]).put("/api/v1/mentoring/profile", json={"capacity": 3})
    suggested(org.admin, ours)
    assert list(suggestions._pools) == [org.tenant_id]


@pytest.mark.committed
def test_on_sqlite_the_demo_gets_the_same_suggestions_built_every_time(tmp_path, migrate, builds):
    # The embedded default keeps no pool (no fingerprint there) and reads UUIDs through SQLAlchemy.
    from tandem import create_app
    from tandem.demo import seed
    from tandem.people.accounts import tenant_by_slug
    from tandem.settings import Settings

    url = f"sqlite:///{tmp_path / 'demo.db'}"
    migrate(url)
    settings = Settings.from_env({"TANDEM_INSTANCE_DIR": str(tmp_path), "TANDEM_ENV": "demo"})
    demo = create_app(settings.with_overrides(database_url=url, session_cookie_secure=False))
    try:
        with demo.app_context():
            assert seed() is True
            with tenancy.tenant_scope(tenant_by_slug("demo").id):
                assert suggestions.fingerprint() is None
                found = db.session.scalars(
                    sa.select(MentoringRequest).where(MentoringRequest.status == "open")
                )
                requests, before = found.all(), builds["n"]
                answers = [suggestions.suggestions_for(r, 50) for r in [*requests, *requests]]
                assert answers == [reference(r, 50) for r in [*requests, *requests]]
                assert any(answers) and builds["n"] - before == len(answers)
    finally:
        with demo.app_context():
            db.engine.dispose()
