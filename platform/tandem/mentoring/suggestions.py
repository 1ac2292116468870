"""Instant suggestions for one request: each tenant's open mentors compiled once into a pool (kept
in memory while a fingerprint of its rows is unchanged), then per call the one mentee with their
constraints and every mentor's current room, read fresh."""

from __future__ import annotations

import functools
import threading
import uuid
from collections import OrderedDict, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa

from matching import Instance, Mentor, Suggestion, suggest, with_mentees

from ..core import tenancy
from ..core.db import db
from ..learning import services as learning
from ..learning.models import Skill, SkillRelation
from ..people import orgchart
from ..people.models import User
from .models import OPEN, MentoringRequest, MentorProfile, Mentorship, MentorSkill
from .services import (
    excluded_pairs,
    management_chains,
    places_taken,
    readable,
    readable_request,
    skill_names,
)

SUGGESTIONS = 5
# Tenants whose compiled pool stays in memory, least recently used dropped first: a pool of
# 4,000 mentors is a few megabytes.
POOLS_KEPT = 16


def suggestions(actor: User, request_id: uuid.UUID, k: int = SUGGESTIONS) -> list[dict[str, Any]]:
    """The best mentors for one request right now, with the engine's reasons."""
    found = readable_request(actor, request_id)
    return suggestions_for(found, k)


def suggestions_for(found: MentoringRequest, k: int = SUGGESTIONS) -> list[dict[str, Any]]:
    if found.status != OPEN:
        return []
    pool = mentor_pool()
    # suggest leaves out mentors with no room left (capacity 0 here), and every hard constraint.
    return described(found, suggest(request_instance(found, pool), str(found.mentee_id), k=k), pool.names)


def described(found: MentoringRequest, top: list[Suggestion], names: dict[str, str]) -> list[dict[str, Any]]:
    """The engine's suggestions as the API shows them: skills by name, preferred mentors flagged."""
    preferred = set(found.preferred_mentor_ids)
    return [
        {
            "mentor_id": uuid.UUID(s.mentor),
            "score": s.score,
            "reasons": readable(s.reasons, names),
            "preferred": s.mentor in preferred,
        }
        for s in top
    ]


# --- the pool: what does not depend on the mentee or on current mentorships -----------------------


@dataclass(frozen=True, eq=False)
class Pool:
    """One tenant's open mentors, compiled, with what the reasons need to name skills."""

    instance: Instance  # every open mentor of an active person, with the capacity of their profile
    capacity: dict[str, int]  # the same capacities by mentor id (also: who is in the pool)
    names: dict[str, str]  # skill id -> name, for the reasons


_pools: OrderedDict[uuid.UUID, tuple[tuple[Any, ...], Pool]] = OrderedDict()
_pools_lock = threading.Lock()


def mentor_pool() -> Pool:
    """The current tenant's pool: from memory when the fingerprint of its rows is the one it was
    built from, else built again. The fingerprint hashes the rows themselves, so a pool is only
    ever reused for exactly the data it was built from, whoever changed what and however."""
    tenant = tenancy.current_tenant_id()
    version = fingerprint()
    if version is not None:
        with _pools_lock:
            kept = _pools.get(tenant)
            if kept is not None and kept[0] == version:
                _pools.move_to_end(tenant)
                return kept[1]
    pool = build_pool()
    # The pool's rows come from several statements; keep it only if nothing changed meanwhile.
    if version is not None and fingerprint() == version:
        with _pools_lock:
            _pools[tenant] = (version, pool)
            _pools.move_to_end(tenant)
            while len(_pools) > POOLS_KEPT:
                _pools.popitem(last=False)
    return pool


def forget_pools() -> None:
    """Drop every kept pool (tests and benchmarks measure the cold path with it)."""
    with _pools_lock:
        _pools.clear()


def text_id(column: Any) -> Any:
    """A UUID column read as its canonical text: PostgreSQL formats it, which saves building and
    printing a Python UUID per row (tens of thousands of rows here); other databases store UUIDs
    as hex, which SQLAlchemy's string-typed Uuid formats the same way."""
    if db.session.get_bind().dialect.name == "postgresql":
        return sa.cast(column, sa.Text)
    return sa.type_coerce(column, sa.Uuid(as_uuid=False))


def _open_mentors(*columns: Any) -> sa.Select[Any]:
    """``columns`` for every open profile of an active person."""
    return (
        sa.select(*columns)
        .select_from(MentorProfile)
        .join(User, User.id == MentorProfile.user_id)
        .where(MentorProfile.is_open.is_(True), User.is_active.is_(True))
    )


def build_pool() -> Pool:
    """Every open mentor as the engine sees them, read with two set-based queries (plus the
    taxonomy's and the skill names'). Built from the dataclasses rather than through
    parse_instance: the database already holds these rows to what validation checks (unique
    people, levels 1-5, capacity 0-20, skills from the catalogue, normalised topics), and
    checking 4,000 mentors again costs a tenth of a second."""
    taxonomy = learning.skills_for_matching()["skills"]
    offered: dict[str, dict[str, int]] = defaultdict(dict)
    for mentor, skill, level in db.session.execute(
        _open_mentors(text_id(MentorProfile.user_id), text_id(MentorSkill.skill_id), MentorSkill.level).join(
            MentorSkill, MentorSkill.profile_id == MentorProfile.id
        )
    ):
        if skill in taxonomy:
            offered[mentor][skill] = level
    rows = db.session.execute(
        _open_mentors(
            text_id(MentorProfile.user_id),
            MentorProfile.capacity,
            MentorProfile.topics,
            text_id(User.team_id),
        )
    ).all()
    mentors = tuple(
        Mentor(
            id=mentor,
            capacity=capacity,
            skills=dict(sorted(offered[mentor].items())),
            topics=tuple(sorted(set(topics))),
            team=team,
        )
        for mentor, capacity, topics, team in rows
    )
    instance = Instance(
        mentees=(), mentors=mentors, skills={skill: entry["related"] for skill, entry in taxonomy.items()}
    )
    return Pool(instance, {m.id: m.capacity for m in mentors}, skill_names())


def fingerprint() -> tuple[Any, ...] | None:
    """A hash of every row a pool is built from, computed by PostgreSQL in one statement (a few
    milliseconds for thousands of mentors: nothing travels); None elsewhere, where pools are not
    kept. Open profiles with their people's team and status, all mentor skills, and the whole
    skills catalogue and its relations: a superset of what build_pool reads, so any change to
    that data changes the fingerprint (barring a 64-bit hash collision)."""
    if db.session.get_bind().dialect.name != "postgresql":
        return None
    return tuple(db.session.execute(_fingerprint_statement()).one())


@functools.cache
def _fingerprint_statement() -> sa.Select[Any]:
    # Built once (a few milliseconds saved per call): it is the same for every tenant, whose
    # criteria the ORM hook adds to each execution, inside every subquery.
    sources = (
        _open_mentors(
            MentorProfile.id,
            MentorProfile.user_id,
            MentorProfile.capacity,
            MentorProfile.topics,
            User.team_id,
        ),
        sa.select(MentorSkill.profile_id, MentorSkill.skill_id, MentorSkill.level),
        sa.select(*_every_column(Skill)),
        sa.select(*_every_column(SkillRelation)),
    )
    return sa.select(
        *(
            source.with_only_columns(
                sa.func.coalesce(sa.func.sum(_row_hash(source.selected_columns)), 0)
            ).scalar_subquery()
            for source in sources
        )
    )


def _every_column(model: Any) -> list[Any]:
    # Whole rows of the catalogue (small): the taxonomy is read by the learning domain, and a
    # column it starts to use tomorrow is covered today.
    return [getattr(model, attr.key) for attr in sa.inspect(model).column_attrs]


def _row_hash(columns: Iterable[Any]) -> Any:
    """SQL for a 64-bit hash of a row, chained column by column; UUIDs and integers hash natively
    (no text), anything else as text, where a NULL hashes differently from every value."""
    h: Any = sa.literal(0, sa.BigInteger)
    for column in columns:
        if isinstance(column.type, sa.Uuid) and not column.nullable:
            h = sa.func.uuid_hash_extended(column, h)
        elif isinstance(column.type, sa.Integer) and not column.nullable:
            h = sa.func.hashint8extended(column, h)
        else:
            text = sa.func.coalesce(sa.literal("v") + sa.cast(column, sa.Text), sa.literal("n"))
            h = sa.func.hashtextextended(text, h)
    return h


# --- per call: the mentee, their constraints, and the room each mentor has now -------------------------


def request_instance(found: MentoringRequest, pool: Pool) -> Instance:
    """The engine's input for this request alone: the same mentee, mentors, capacities and hard
    constraints as ``services.build_instance([found], reserve_pending=False)`` (a test holds the
    two to identical suggestions), in a fixed number of queries whatever the head count.

    Places taken are counted now, so capacity is never stale. The pool carries no management
    chains: the mentee's chain is read (one recursive query), and the mentors in the mentee's
    subtree (one more, inside a query that returns only them) become excluded pairs."""
    mentee = found.mentee_id
    held = dict(
        db.session.execute(
            places_taken().with_only_columns(text_id(Mentorship.mentor_id), sa.func.count())
        ).all()
    )
    capacity = {m: max(0, pool.capacity[m] - n) for m, n in held.items() if m in pool.capacity}
    below = db.session.scalars(
        sa.select(text_id(MentorProfile.user_id)).where(
            MentorProfile.user_id.in_(orgchart.subtree_select(mentee, include_inactive=True))
        )
    )
    exclude = excluded_pairs([mentee], pool.capacity)
    exclude += [[str(mentee), mentor] for mentor in below if mentor in pool.capacity]
    person = db.session.get(User, mentee)
    taxonomy = pool.instance.skills
    me = {
        "id": str(mentee),
        "needs": {skill: level for skill, level in found.needs.items() if skill in taxonomy},
        "goals": list(found.topics),
        "team": str(person.team_id) if person is not None and person.team_id else None,
        "managers": management_chains([mentee]).get(mentee, []),
    }
    return with_mentees(pool.instance, [me], exclude=exclude, capacity=capacity)
