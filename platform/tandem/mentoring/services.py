"""Mentoring services: who may do what, mentor profiles, programmes, mentee requests, and the
matching instance (built with a few set-based queries) behind batch runs."""

from __future__ import annotations

import re
import uuid
from collections import defaultdict
from collections.abc import Collection, Iterable
from datetime import date
from typing import Any

import sqlalchemy as sa

from matching import InputError, Instance, parse_instance

from ..core.db import db, utcnow
from ..core.errors import Conflict, Forbidden, NotFound, ValidationFailed
from ..goals.models import Goal
from ..learning import services as learning
from ..learning.models import GoalSkill, Skill
from ..people.models import Team, User
from .models import (
    DECLINED,
    HOLDS_A_PLACE,
    OPEN,
    PENDING,
    Invitation,
    MentoringRequest,
    MentorProfile,
    Mentorship,
    MentorSkill,
    Programme,
)

_UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")


def refuse(problems: dict[str, list[str]]) -> None:
    """One 422 naming every field with a problem (nothing has been written yet)."""
    if problems:
        message = "; ".join(f"{name}: {messages[0]}" for name, messages in problems.items())
        raise ValidationFailed(message, problems)


def require_hr(actor: User, what: str) -> None:
    if not actor.is_hr_admin:
        raise Forbidden(f"Only an HR admin can {what}")


def active_person(person_id: uuid.UUID, field: str) -> User:
    person = db.session.get(User, person_id)
    if person is None or not person.is_active:
        refuse({field: ["no such active person in this organisation"]})
    assert person is not None
    return person


# --- mentor profiles ------------------------------------------------------------------------------


def profile_of(user_id: uuid.UUID) -> MentorProfile | None:
    return db.session.scalar(sa.select(MentorProfile).where(MentorProfile.user_id == user_id))


def get_profile(user_id: uuid.UUID) -> MentorProfile:
    profile = profile_of(user_id)
    if profile is None:
        raise NotFound("This person has no mentor profile")
    return profile


def mentor_skills(profile_ids: Collection[uuid.UUID]) -> dict[uuid.UUID, list[dict[str, Any]]]:
    """{profile id: [{skill_id, level}]} in one query."""
    out: dict[uuid.UUID, list[dict[str, Any]]] = defaultdict(list)
    if profile_ids:
        rows = db.session.execute(
            sa.select(MentorSkill.profile_id, MentorSkill.skill_id, MentorSkill.level)
            .where(MentorSkill.profile_id.in_(list(profile_ids)))
            .order_by(MentorSkill.skill_id)
        )
        for profile_id, skill_id, level in rows:
            out[profile_id].append({"skill_id": skill_id, "level": level})
    return out


def places_taken() -> sa.Select[Any]:
    """(mentor_id, places): each mentor's mentorships holding a place, to run or to join."""
    return (
        sa.select(Mentorship.mentor_id, sa.func.count().label("places"))
        .where(Mentorship.status.in_(HOLDS_A_PLACE))
        .group_by(Mentorship.mentor_id)
    )


def loads(mentor_ids: Collection[uuid.UUID] | None = None) -> dict[uuid.UUID, int]:
    """{mentor: mentorships holding a place} in one grouped query (all mentors when None)."""
    stmt = places_taken()
    if mentor_ids is not None:
        if not mentor_ids:
            return {}
        stmt = stmt.where(Mentorship.mentor_id.in_(list(mentor_ids)))
    return dict(db.session.execute(stmt).all())  # type: ignore[arg-type]


def save_profile(actor: User, data: dict[str, Any]) -> MentorProfile:
    """Opt in (or update): capacity, topics, availability and the skills offered, all at once."""
    skills = data.get("skills")
    if skills is not None:
        ids = [line["skill_id"] for line in skills]
        if len(set(ids)) != len(ids):
            refuse({"skills": ["a skill is listed twice"]})
        learning.usable_skills(ids, "skills")
    profile = profile_of(actor.id)
    if profile is None:
        profile = MentorProfile(user_id=actor.id)
        db.session.add(profile)
    for name in ("is_open", "capacity", "availability"):
        if name in data:
            setattr(profile, name, data[name])
    if "topics" in data:
        profile.topics = normalise_topics(data["topics"])
    db.session.flush()
    if skills is not None:
        db.session.execute(sa.delete(MentorSkill).where(MentorSkill.profile_id == profile.id))
        db.session.add_all(
            MentorSkill(profile_id=profile.id, skill_id=line["skill_id"], level=line["level"])
            for line in skills
        )
        db.session.flush()
    return profile


def normalise_topics(topics: list[str]) -> list[str]:
    return sorted({t.strip().lower() for t in topics if t.strip()})


def mentors_query(*, skill_id: uuid.UUID | None = None, topic: str | None = None) -> sa.Select[Any]:
    """Open mentor profiles of active people, by name."""
    stmt = (
        sa.select(MentorProfile)
        .join(User, User.id == MentorProfile.user_id)
        .where(MentorProfile.is_open.is_(True), User.is_active.is_(True))
        .order_by(User.name, User.id)
    )
    if skill_id is not None:
        stmt = stmt.where(
            sa.exists().where(MentorSkill.profile_id == MentorProfile.id, MentorSkill.skill_id == skill_id)
        )
    if topic:
        # JSON lists differ per backend; topics are short and few, so compare the text form.
        stmt = stmt.where(
            sa.cast(MentorProfile.topics, sa.Text).contains(f'"{topic.strip().lower()}"', autoescape=True)
        )
    return stmt


# --- programmes -----------------------------------------------------------------------------------


def get_programme(programme_id: uuid.UUID) -> Programme:
    programme = db.session.get(Programme, programme_id)
    if programme is None:
        raise NotFound("No such programme")
    return programme


def create_programme(actor: User, data: dict[str, Any]) -> Programme:
    require_hr(actor, "run mentoring programmes")
    name = data["name"].strip()
    problems: dict[str, list[str]] = {}
    if not name:
        problems["name"] = ["is required"]
    if data["ends_on"] < data["starts_on"]:
        problems["ends_on"] = ["must not be before starts_on"]
    refuse(problems)
    if db.session.scalar(sa.select(Programme.id).where(Programme.name == name)) is not None:
        raise Conflict("A programme with this name exists")
    programme = Programme(
        name=name,
        description=data.get("description", ""),
        starts_on=data["starts_on"],
        ends_on=data["ends_on"],
        created_by_id=actor.id,
    )
    db.session.add(programme)
    db.session.flush()
    return programme


# --- mentee requests ------------------------------------------------------------------------------


def get_request(request_id: uuid.UUID) -> MentoringRequest:
    found = db.session.get(MentoringRequest, request_id)
    if found is None:
        raise NotFound("No such mentoring request")
    return found


def readable_request(actor: User, request_id: uuid.UUID) -> MentoringRequest:
    """A request is for its mentee and HR admins; mentors see what their invitations carry."""
    found = get_request(request_id)
    if found.mentee_id != actor.id and not actor.is_hr_admin:
        raise Forbidden("Only the mentee and HR admins can see this request")
    return found


def own_request(actor: User, request_id: uuid.UUID) -> MentoringRequest:
    found = get_request(request_id)
    if found.mentee_id != actor.id:
        raise Forbidden("Only the mentee can do this")
    return found


def create_request(actor: User, data: dict[str, Any]) -> MentoringRequest:
    """A mentee asks for a mentor. Skills their linked goals depend on join the needs."""
    problems: dict[str, list[str]] = {}
    needs = {line["skill_id"]: line["level"] for line in data.get("needs", [])}
    if len(needs) != len(data.get("needs", [])):
        problems["needs"] = ["a skill is listed twice"]
    goal_ids = list(dict.fromkeys(data.get("goal_ids", [])))
    if goal_ids:
        owned = set(
            db.session.scalars(sa.select(Goal.id).where(Goal.id.in_(goal_ids), Goal.owner_id == actor.id))
        )
        if owned != set(goal_ids):
            problems["goal_ids"] = ["every goal must be one of your own goals"]
    preferred = list(dict.fromkeys(data.get("preferred_mentor_ids", [])))
    if actor.id in preferred:
        problems["preferred_mentor_ids"] = ["you cannot be your own mentor"]
    elif preferred:
        found = set(
            db.session.scalars(sa.select(MentorProfile.user_id).where(MentorProfile.user_id.in_(preferred)))
        )
        if found != set(preferred):
            problems["preferred_mentor_ids"] = ["every preferred mentor must have a mentor profile"]
    if data.get("programme_id") is not None and db.session.get(Programme, data["programme_id"]) is None:
        problems["programme_id"] = ["no such programme"]
    refuse(problems)
    learning.usable_skills(needs, "needs")
    if goal_ids:
        rows = db.session.execute(
            sa.select(GoalSkill.skill_id, GoalSkill.level).where(GoalSkill.goal_id.in_(goal_ids))
        )
        for skill_id, level in rows:
            needs[skill_id] = max(level, needs.get(skill_id, 0))
    if not needs and not data.get("topics"):
        refuse({"needs": ["name at least one skill, goal with skills, or topic"]})
    open_one = db.session.scalar(
        sa.select(MentoringRequest.id).where(
            MentoringRequest.mentee_id == actor.id, MentoringRequest.status == OPEN
        )
    )
    if open_one is not None:
        raise Conflict("You already have an open mentoring request; withdraw it first")
    found = MentoringRequest(
        mentee_id=actor.id,
        programme_id=data.get("programme_id"),
        needs={str(k): v for k, v in needs.items()},
        goal_ids=[str(g) for g in goal_ids],
        topics=normalise_topics(data.get("topics", [])),
        preferred_mentor_ids=[str(p) for p in preferred],
        note=data.get("note", ""),
    )
    db.session.add(found)
    db.session.flush()
    return found


def requests_query(actor: User, *, status: str | None = None, programme_id: uuid.UUID | None = None) -> Any:
    stmt = sa.select(MentoringRequest).order_by(MentoringRequest.created_at.desc(), MentoringRequest.id)
    if not actor.is_hr_admin:
        stmt = stmt.where(MentoringRequest.mentee_id == actor.id)
    if status:
        stmt = stmt.where(MentoringRequest.status == status)
    if programme_id:
        stmt = stmt.where(MentoringRequest.programme_id == programme_id)
    return stmt


# --- the matching instance ------------------------------------------------------------------------


def management_chains(people: Collection[uuid.UUID]) -> dict[uuid.UUID, list[str]]:
    """Everyone's chain above them, nearest first, from one recursive query for all of them."""
    if not people:
        return {}
    users = User.__table__
    first = sa.select(
        users.c.id.label("person"), users.c.manager_id.label("manager"), sa.literal(1).label("level")
    ).where(users.c.id.in_(list(people)), users.c.manager_id.is_not(None))
    chain = first.cte("chains", recursive=True)
    step = (
        sa.select(chain.c.person, users.c.manager_id, (chain.c.level + 1).label("level"))
        .join(users, users.c.id == chain.c.manager)
        .where(users.c.manager_id.is_not(None), chain.c.level < 64)
    )
    chain = chain.union_all(step)
    rows = db.session.execute(
        sa.select(chain.c.person, chain.c.manager).order_by(chain.c.person, chain.c.level)
    )
    out: dict[uuid.UUID, list[str]] = defaultdict(list)
    for person, manager in rows:
        if str(manager) not in out[person]:
            out[person].append(str(manager))
    return out


def pending_invitations(mentor_ids: Collection[uuid.UUID] | None = None) -> dict[uuid.UUID, int]:
    stmt = sa.select(Invitation.mentor_id, sa.func.count()).where(
        Invitation.status == PENDING, Invitation.expires_at > utcnow()
    )
    if mentor_ids is not None:
        stmt = stmt.where(Invitation.mentor_id.in_(list(mentor_ids)))
    return dict(db.session.execute(stmt.group_by(Invitation.mentor_id)).all())  # type: ignore[arg-type]


def build_instance(requests: list[MentoringRequest], *, reserve_pending: bool) -> Instance:
    """The engine's input for these requests against every open mentor, in a fixed number of
    queries whatever the head count. Capacity is what is left after current mentorships (and, for
    batch runs, after invitations still waiting for an answer)."""
    taxonomy = learning.skills_for_matching()["skills"]
    profiles = list(
        db.session.scalars(
            sa.select(MentorProfile)
            .join(User, User.id == MentorProfile.user_id)
            .where(MentorProfile.is_open.is_(True), User.is_active.is_(True))
            .order_by(MentorProfile.user_id)
        )
    )
    mentor_ids = [p.user_id for p in profiles]
    mentee_ids = [r.mentee_id for r in requests]
    people = set(mentor_ids) | set(mentee_ids)
    teams = (
        dict(db.session.execute(sa.select(User.id, User.team_id).where(User.id.in_(list(people)))).all())
        if people
        else {}
    )
    chains = management_chains(people)
    offered = mentor_skills([p.id for p in profiles])
    used = loads(mentor_ids)
    waiting = pending_invitations(mentor_ids) if reserve_pending else {}

    def team(person: uuid.UUID) -> str | None:
        return str(teams[person]) if teams.get(person) else None

    mentors = [
        {
            "id": str(p.user_id),
            "capacity": max(0, p.capacity - used.get(p.user_id, 0) - waiting.get(p.user_id, 0)),
            "skills": {
                str(s["skill_id"]): s["level"] for s in offered[p.id] if str(s["skill_id"]) in taxonomy
            },
            "topics": list(p.topics),
            "team": team(p.user_id),
            "managers": chains.get(p.user_id, []),
        }
        for p in profiles
    ]
    mentees = [
        {
            "id": str(r.mentee_id),
            "needs": {k: v for k, v in r.needs.items() if k in taxonomy},
            "goals": list(r.topics),
            "team": team(r.mentee_id),
            "managers": chains.get(r.mentee_id, []),
        }
        for r in requests
    ]
    data = {
        "skills": taxonomy,
        "mentees": mentees,
        "mentors": mentors,
        "exclude": excluded_pairs(mentee_ids, {m["id"] for m in mentors}),
    }
    try:
        return parse_instance(data)
    except InputError as exc:  # our own rows are inconsistent: a bug, not the user's input
        raise RuntimeError(f"mentoring instance is invalid: {exc}") from exc


def excluded_pairs(mentee_ids: list[uuid.UUID], mentor_ids: Collection[str]) -> list[list[str]]:
    """Pairs never to propose again: the mentor declined, they are together already, or a
    request is already waiting for that mentor's answer."""
    if not mentee_ids:
        return []
    declined = sa.select(Invitation.mentee_id, Invitation.mentor_id).where(
        Invitation.mentee_id.in_(mentee_ids), Invitation.status.in_((DECLINED, PENDING))
    )
    together = sa.select(Mentorship.mentee_id, Mentorship.mentor_id).where(
        Mentorship.mentee_id.in_(mentee_ids), Mentorship.status.in_(HOLDS_A_PLACE)
    )
    pairs = {(a, b) for a, b in db.session.execute(declined.union(together)).all() if str(b) in mentor_ids}
    return sorted([str(a), str(b)] for a, b in pairs)


def skill_names() -> dict[str, str]:
    """{skill or team id: name}: the engine's reasons name skills and teams by id; people read
    names."""
    names = {str(i): name for i, name in db.session.execute(sa.select(Skill.id, Skill.name))}
    names.update((str(i), name) for i, name in db.session.execute(sa.select(Team.id, Team.name)))
    return names


def readable(reasons: Iterable[str], names: dict[str, str]) -> list[str]:
    out = []
    for reason in reasons:
        for skill_id in _UUID.findall(reason):
            reason = reason.replace(skill_id, names.get(skill_id, skill_id))
        out.append(reason)
    return out


def today() -> date:
    return utcnow().date()


def programmes_query() -> sa.Select[Any]:
    return sa.select(Programme).order_by(Programme.starts_on.desc(), Programme.id)


def match_runs_query(programme_id: uuid.UUID | None = None) -> sa.Select[Any]:
    """Batch match runs, newest first; of one programme when given (the HR admin pages list them)."""
    from .models import MatchRun  # local: this read is one self-contained addition at the end

    stmt = sa.select(MatchRun).order_by(MatchRun.created_at.desc(), MatchRun.id)
    return stmt if programme_id is None else stmt.where(MatchRun.programme_id == programme_id)
