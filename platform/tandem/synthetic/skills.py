"""The skills catalogue (~300 with relations), role profiles with requirements, career paths and
everyone's skill levels (below their profile's now and then, so gaps exist)."""

from __future__ import annotations

import re
import uuid
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

from ..learning import taxonomy
from ..learning.models import (
    CareerPath,
    PersonSkill,
    RoleProfile,
    RoleRequirement,
    Skill,
    SkillRelation,
)
from .people import Org, Person
from .randomness import Clock, Stream, write
from .skill_list import EXTRA_SKILLS
from .vocabulary import DEPARTMENTS, Department

LEADERSHIP = "People leadership"
EVERYONE = ("Communication", "Personal effectiveness")


@dataclass
class SkillBook:
    """What later domains need: skill ids, who is good at what, and each title's profile."""

    ids: dict[str, uuid.UUID] = field(default_factory=dict)
    names: dict[str, str] = field(default_factory=dict)
    by_category: dict[str, list[str]] = field(default_factory=dict)
    # title -> (profile id, {skill key: level})
    profiles: dict[str, tuple[uuid.UUID, dict[str, int]]] = field(default_factory=dict)
    # person index -> [(skill key, own level)], strongest first
    strengths: dict[int, list[tuple[str, int]]] = field(default_factory=dict)
    # person index -> skill keys below what their profile asks (what they would learn)
    gaps: dict[int, list[str]] = field(default_factory=dict)

    def pool(self, dept: Department) -> list[str]:
        return [key for category in dept.categories for key in self.by_category.get(category, [])]


def _key(name: str) -> str:
    name = name.replace("#", "sharp").replace("++", "pp")
    return re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")


def write_skills(tenant_id: uuid.UUID, clock: Clock, stream: Stream) -> tuple[SkillBook, dict[str, int]]:
    rng = stream.rng
    book = SkillBook()
    created = clock.ago(3 * 365)
    rows = []
    catalogue = list(taxonomy.all_skills())
    known = {key for key, *_ in catalogue}
    for category, names in EXTRA_SKILLS.items():
        for name in names:
            key = _key(name)
            if key not in known:
                known.add(key)
                catalogue.append((key, name, category, f"{name} at work"))
    for key, name, category, description in catalogue:
        book.ids[key] = stream.uuid()
        book.names[key] = name
        book.by_category.setdefault(category, []).append(key)
        rows.append(
            {
                "id": book.ids[key],
                "tenant_id": tenant_id,
                "key": key,
                "name": name,
                "category": category,
                "description": description,
                "level_descriptions": list(taxonomy.DEFAULT_LEVEL_DESCRIPTIONS),
                "status": "active",
                "merged_into_id": None,
                "retired_at": None,
                "created_at": created,
                "updated_at": created,
            }
        )
    # A living catalogue has history: a few retired skills and one merged into another.
    extras = [row for row in rows if row["key"] not in {k for k, *_ in taxonomy.all_skills()}]
    for row in rng.sample(extras, 4):
        row["status"], row["retired_at"] = "retired", clock.ago(rng.randint(30, 400))
        row["updated_at"] = row["retired_at"]
    merged = next(row for row in extras if row["status"] == "active")
    target = next(row for row in rows if row["category"] == merged["category"] and row is not merged)
    merged["status"], merged["merged_into_id"] = "merged", target["id"]
    retired_or_merged = {row["key"] for row in rows if row["status"] != "active"}
    for keys in book.by_category.values():
        keys[:] = [k for k in keys if k not in retired_or_merged]
    # Merged skills point at their target: targets first for the self-reference.
    rows.sort(key=lambda row: row["merged_into_id"] is not None)
    skills = write(Skill, rows)

    pairs: dict[tuple[uuid.UUID, uuid.UUID], float] = {}
    for a, b, weight in taxonomy.RELATIONS:
        pairs[tuple(sorted((book.ids[a], book.ids[b])))] = weight  # type: ignore[index]
    for keys in book.by_category.values():
        for _ in range(len(keys) // 2):
            a, b = rng.sample(keys, 2)
            pairs.setdefault(tuple(sorted((book.ids[a], book.ids[b]))), rng.choice([0.3, 0.4, 0.5, 0.6]))  # type: ignore[arg-type]
    relations = write(
        SkillRelation,
        (
            {
                "id": stream.uuid(),
                "tenant_id": tenant_id,
                "skill_id": low,
                "related_id": high,
                "weight": weight,
            }
            for (low, high), weight in pairs.items()
        ),
    )
    return book, {"skills": skills, "skill_relations": relations}


def _profile_titles(dept: Department) -> list[tuple[str, int, bool]]:
    """(title, seniority 0-6, leads people), in career order: each one's next step follows it."""
    ladder = [
        (title, min(3, i * 4 // max(1, len(dept.ladder) - 1)), False)
        for i, (title, _w) in enumerate(dept.ladder)
    ]
    leaders = [
        (dept.manager_title, 4, True),
        (f"Senior {dept.manager_title}", 5, True),
        (f"Director, {dept.name}", 5, True),
        (dept.head_title, 6, True),
    ]
    return ladder + leaders


def write_profiles(
    org: Org, book: SkillBook, tenant_id: uuid.UUID, clock: Clock, stream: Stream
) -> dict[str, int]:
    rng = stream.rng
    created = clock.ago(2 * 365)
    profiles: list[dict[str, Any]] = []
    requirements: list[dict[str, Any]] = []
    chains: list[list[str]] = []
    tracks: dict[str, str] = {}
    for dept in DEPARTMENTS:
        pool = book.pool(dept)
        lead_pool = book.by_category[LEADERSHIP]
        chain: list[str] = []
        for title, seniority, leads in _profile_titles(dept):
            if title in book.profiles:
                continue
            picks = rng.sample(pool, min(len(pool), 3 if leads else 5))
            if leads:
                picks += rng.sample(lead_pool, 3)
            level = {0: 2, 1: 2, 2: 3, 3: 4, 4: 3, 5: 4, 6: 4}[seniority]
            needs = {key: max(1, min(5, level + rng.choice([-1, 0, 0, 1]))) for key in picks}
            book.profiles[title] = (stream.uuid(), needs)
            tracks[title] = "Leadership" if leads else dept.name
            chain.append(title)
        chains.append(chain)
    ceo_needs = dict.fromkeys(rng.sample(book.by_category[LEADERSHIP], 4), 5)
    book.profiles["Chief Executive Officer"] = (stream.uuid(), ceo_needs)
    tracks["Chief Executive Officer"] = "Leadership"
    chains.append(["Chief Executive Officer"])
    for chain in chains:
        # Individual contributors step up their ladder; the top one and the managers are in
        # their own ladder (manager -> senior manager -> director -> head).
        for position, title in enumerate(chain):
            leads = tracks[title] == "Leadership"
            following = chain[position + 1] if position + 1 < len(chain) else None
            if following is not None and (tracks[following] == "Leadership") != leads:
                following = None
            profile_id, needs = book.profiles[title]
            profiles.append(
                {
                    "id": profile_id,
                    "tenant_id": tenant_id,
                    "name": title,
                    "job_title": title,
                    "track": tracks[title],
                    "description": f"What we expect of a {title.lower()}.",
                    "next_profile_id": book.profiles[following][0] if following else None,
                    "is_active": True,
                    "created_at": created,
                    "updated_at": created,
                }
            )
            requirements += [
                {
                    "id": stream.uuid(),
                    "tenant_id": tenant_id,
                    "role_profile_id": profile_id,
                    "skill_id": book.ids[key],
                    "level": level,
                    "note": "",
                }
                for key, level in needs.items()
            ]
    # Each profile points at the one after it: write them last-first so the target exists.
    counts = {"role_profiles": write(RoleProfile, reversed(profiles))}
    counts["role_requirements"] = write(RoleRequirement, requirements)
    counts["career_paths"] = write(CareerPath, _career_paths(org, book, profiles, tenant_id, clock, stream))
    counts["person_skills"] = write(PersonSkill, _person_skills(org, book, tenant_id, clock, stream))
    return counts


def _career_paths(
    org: Org,
    book: SkillBook,
    profiles: list[dict[str, Any]],
    tenant_id: uuid.UUID,
    clock: Clock,
    stream: Stream,
) -> Any:
    rng = stream.rng
    next_of = {row["id"]: row["next_profile_id"] for row in profiles}
    for p in org.people:
        if not p.active or p.title not in book.profiles or rng.random() > 0.3:
            continue
        own = book.profiles[p.title][0]
        if next_of.get(own) is None:
            continue
        at = max(p.joined, clock.ago(rng.randint(1, 300)))
        yield {
            "id": stream.uuid(),
            "tenant_id": tenant_id,
            "person_id": p.id,
            # Most are matched by job title; some have their profile assigned explicitly.
            "role_profile_id": own if rng.random() < 0.15 else None,
            "target_profile_id": next_of[own],
            "created_at": at,
            "updated_at": at,
        }


def _person_skills(org: Org, book: SkillBook, tenant_id: uuid.UUID, clock: Clock, stream: Stream) -> Any:
    rng = stream.rng
    general = [key for category in EVERYONE for key in book.by_category[category]]
    pools = {dept.name: book.pool(dept) for dept in DEPARTMENTS}
    for p in org.people:
        needs = book.profiles.get(p.title, (None, {}))[1]
        lines: dict[str, int] = {}
        gaps = []
        for key, wanted in needs.items():
            own = max(1, min(5, wanted + rng.choice([-2, -1, -1, 0, 0, 0, 1])))
            lines[key] = own
            if own < wanted:
                gaps.append(key)
        for key in rng.sample(pools[p.dept.name], 3) + [rng.choice(general)]:
            lines.setdefault(key, rng.choice([1, 2, 2, 3, 3, 3, 4, 4, 5]))
        book.gaps[p.index] = gaps
        book.strengths[p.index] = sorted(
            ((k, v) for k, v in lines.items() if v >= 4), key=lambda kv: (-kv[1], kv[0])
        )
        manager = org.people[p.manager] if p.manager is not None else None
        yield from _lines(p, manager, lines, book, tenant_id, clock, stream)


def _lines(
    p: Person,
    manager: Person | None,
    lines: dict[str, int],
    book: SkillBook,
    tenant_id: uuid.UUID,
    clock: Clock,
    stream: Stream,
) -> Any:
    rng = stream.rng
    end = p.deactivated_at or clock.morning
    for key, own in lines.items():
        assessed = max(p.joined, end - timedelta(days=rng.randint(1, 200)))
        by_manager = manager is not None and manager.active and p.active and rng.random() < 0.4
        manager_level = max(1, min(5, own + rng.choice([-1, 0, 0, 1]))) if by_manager else None
        manager_at = max(assessed, end - timedelta(days=rng.randint(0, 60))) if by_manager else None
        yield {
            "id": stream.uuid(),
            "tenant_id": tenant_id,
            "person_id": p.id,
            "skill_id": book.ids[key],
            "self_level": own,
            "self_assessed_at": assessed,
            "manager_level": manager_level,
            "manager_note": "Seen in the last project" if by_manager and rng.random() < 0.3 else "",
            "manager_assessor_id": manager.id if by_manager and manager else None,
            "manager_assessed_at": manager_at,
            "interested": rng.random() < 0.3,
            "willing_to_mentor": own >= 4 and rng.random() < 0.6,
            "created_at": assessed,
            "updated_at": manager_at or assessed,
        }
