"""The learning catalogue (certifications with validity), people's learning plans and items in every
state (some overdue, certificates about to expire), evidence from completed items, goal-skill links."""

from __future__ import annotations

import uuid
from collections import defaultdict
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from ..learning.models import (
    CatalogueItem,
    CatalogueItemSkill,
    GoalSkill,
    LearningItem,
    LearningItemGoal,
    LearningItemSkill,
    LearningPlan,
    SkillEvidence,
)
from .goals import GoalBook
from .people import Org, Person
from .randomness import Clock, Stream, write
from .skill_list import CERTIFICATIONS, CUSTOM_ITEMS, ITEM_SHAPES, PROVIDERS
from .skills import SkillBook


@dataclass(frozen=True, slots=True)
class Offer:
    id: uuid.UUID
    kind: str
    title: str
    provider: str
    url: str
    hours: float
    validity: int | None
    skills: tuple[str, ...]


def _noon(day: date) -> datetime:
    return datetime.combine(day, time(12, 0), tzinfo=UTC)


def _catalogue(org: Org, book: SkillBook, tenant_id: uuid.UUID, clock: Clock, stream: Stream) -> list[Offer]:
    rng = stream.rng
    offers = []
    for _category, keys in sorted(book.by_category.items()):
        for key in rng.sample(keys, min(len(keys), 8)):
            kind, pattern, (low, high) = rng.choice(ITEM_SHAPES)
            provider = rng.choice(PROVIDERS)
            title = pattern.format(skill=book.names[key])
            url = "" if provider == "Internal academy" else f"https://learning.example.com/{key}/{kind}"
            offers.append(
                Offer(stream.uuid(), kind, title, provider, url, float(rng.randint(low, high)), None, (key,))
            )
    for title, provider, hours, months, keys in CERTIFICATIONS:
        usable = tuple(k for k in keys if k in book.ids)
        offers.append(
            Offer(
                stream.uuid(),
                "certification",
                title,
                provider,
                "https://certs.example.com",
                float(hours),
                months,
                usable,
            )
        )
    return offers


def write_learning(
    org: Org, book: SkillBook, goals: GoalBook, tenant_id: uuid.UUID, clock: Clock, stream: Stream
) -> dict[str, int]:
    rng = stream.rng
    hr = org.people[org.hr_admin]
    offers = _catalogue(org, book, tenant_id, clock, stream)
    created = clock.ago(500)
    counts = {
        "catalogue_items": write(
            CatalogueItem,
            (
                {
                    "id": o.id,
                    "tenant_id": tenant_id,
                    "title": o.title,
                    "kind": o.kind,
                    "provider": o.provider,
                    "url": o.url,
                    "hours": o.hours,
                    "description": f"{o.title} ({o.provider})",
                    "validity_months": o.validity,
                    "is_active": rng.random() > 0.03,
                    "created_by_id": hr.id,
                    "created_at": created,
                    "updated_at": created,
                }
                for o in offers
            ),
        ),
        "catalogue_item_skills": write(
            CatalogueItemSkill,
            (
                {
                    "id": stream.uuid(),
                    "tenant_id": tenant_id,
                    "item_id": o.id,
                    "skill_id": book.ids[key],
                    "level": 2 if "fundamentals" in o.title else 4 if o.title.startswith("Advanced") else 3,
                }
                for o in offers
                for key in o.skills
            ),
        ),
    }
    by_skill: dict[str, list[Offer]] = defaultdict(list)
    for offer in offers:
        for key in offer.skills:
            by_skill[key].append(offer)
    certificates = [o for o in offers if o.kind == "certification" and o.skills]
    plans = _Plans(org, book, goals, by_skill, certificates, tenant_id, clock, stream)
    for p in org.people:
        if p.active:
            plans.person(p)
    counts["learning_plans"] = write(LearningPlan, plans.plans)
    counts["learning_items"] = write(LearningItem, plans.items)
    counts["learning_item_skills"] = write(
        LearningItemSkill,
        (
            {"id": stream.uuid(), "tenant_id": tenant_id, "item_id": item["id"], "skill_id": book.ids[key]}
            for item, keys in zip(plans.items, plans.item_skills, strict=True)
            for key in keys
        ),
    )
    counts["learning_item_goals"] = write(LearningItemGoal, plans.item_goals)
    counts["skill_evidence"] = write(SkillEvidence, plans.evidence())
    counts["goal_skills"] = write(GoalSkill, _goal_skills(org, book, goals, tenant_id, stream))
    return counts


class _Plans:
    def __init__(
        self,
        org: Org,
        book: SkillBook,
        goals: GoalBook,
        by_skill: dict[str, list[Offer]],
        certificates: list[Offer],
        tenant_id: uuid.UUID,
        clock: Clock,
        stream: Stream,
    ) -> None:
        self.org, self.book, self.goals, self.by_skill = org, book, goals, by_skill
        self.certificates, self.tenant_id, self.clock, self.stream = certificates, tenant_id, clock, stream
        self.rng = stream.rng
        self.plans: list[dict[str, Any]] = []
        self.items: list[dict[str, Any]] = []
        self.item_skills: list[tuple[str, ...]] = []
        self.owners: list[uuid.UUID] = []
        self.item_goals: list[dict[str, Any]] = []

    def person(self, p: Person) -> None:
        rng, clock = self.rng, self.clock
        joined = p.joined.date()
        wants = list(dict.fromkeys(self.book.gaps.get(p.index, []) + self.book.pool(p.dept)))
        if rng.random() < 0.88:
            start = max(joined, clock.day(-rng.randint(30, 250)))
            plan = self.plan(
                p, f"Growth plan {clock.today.year}", "active", start, start + timedelta(days=365)
            )
            for _ in range(rng.randint(8, 12)):
                self.item(p, plan, wants, start, link=True)
        second = rng.random()
        if second < 0.18 and self.certificates:
            cert = rng.choice(self.certificates)
            start = max(joined, clock.day(-rng.randint(30, 800)))
            plan = self.plan(p, f"Certification: {cert.title}", "active", start, start + timedelta(days=240))
            statuses = [self.item(p, plan, list(cert.skills), start) for _ in range(rng.randint(1, 3))]
            statuses.append(self.item(p, plan, list(cert.skills), start, offer=cert))
            if all(s == "completed" for s in statuses):
                plan["status"] = "completed"
        elif second < 0.40 and (clock.today - joined).days > 400:
            start = max(joined, clock.day(-rng.randint(400, 560)))
            plan = self.plan(
                p,
                f"Growth plan {clock.today.year - 1}",
                rng.choice(["completed", "archived"]),
                start,
                start + timedelta(days=365),
            )
            for _ in range(rng.randint(3, 5)):
                self.item(p, plan, wants, start, old=True)

    def plan(self, p: Person, title: str, status: str, start: date, due: date) -> dict[str, Any]:
        created = max(p.joined, _noon(start) - timedelta(days=self.rng.randint(0, 5)))
        row = {
            "id": self.stream.uuid(),
            "tenant_id": self.tenant_id,
            "owner_id": p.id,
            "title": title,
            "description": "What I am learning and why",
            "status": status,
            "start_date": start,
            "due_date": due,
            "created_at": created,
            "updated_at": created,
        }
        self.plans.append(row)
        return row

    def item(
        self,
        p: Person,
        plan: dict[str, Any],
        wants: list[str],
        plan_start: date,
        *,
        offer: Offer | None = None,
        link: bool = False,
        old: bool = False,
    ) -> str:
        rng, today = self.rng, self.clock.today
        key = rng.choice(wants[:6]) if wants and rng.random() < 0.6 else rng.choice(wants) if wants else None
        if offer is None and key is not None and self.by_skill.get(key) and rng.random() < 0.85:
            offer = rng.choice(self.by_skill[key])
        if offer is not None:
            kind, title, provider, url, hours, skills = (
                offer.kind,
                offer.title,
                offer.provider,
                offer.url,
                offer.hours,
                offer.skills[:2],
            )
        else:
            kind, pattern, hours = rng.choice(CUSTOM_ITEMS)
            name = self.book.names[key] if key else "my craft"
            title, provider, url, hours, skills = (
                pattern.format(skill=name),
                "",
                "",
                float(hours),
                ((key,) if key else ()),
            )
        horizon = (today - plan_start).days if old else max(0, (today - plan_start).days) + 30
        start = plan_start + timedelta(days=rng.randint(0, max(0, min(300, horizon))))
        due = start + timedelta(days=rng.randint(14, 120))
        if start > today:
            status = "planned"
        elif old:
            status = rng.choice(["completed", "completed", "completed", "dropped"])
        else:
            status = rng.choices(
                ["completed", "in_progress", "planned", "dropped"], weights=[40, 30, 20, 10]
            )[0]
        completed_on = expires_on = None
        if status == "completed":
            completed_on = min(today, start + timedelta(days=rng.randint(3, max(4, (due - start).days + 20))))
            if offer is not None and offer.validity:
                expires_on = _add_months(completed_on, offer.validity)
        suggested = p.manager is not None and rng.random() < 0.2
        created = max(p.joined, _noon(start) - timedelta(days=rng.randint(1, 20)))
        updated = _noon(completed_on) if completed_on else created
        row = {
            "id": self.stream.uuid(),
            "tenant_id": self.tenant_id,
            "plan_id": plan["id"],
            "catalogue_item_id": offer.id if offer else None,
            "kind": kind,
            "title": title,
            "provider": provider,
            "url": url,
            "hours": hours,
            "start_date": start,
            "due_date": due,
            "status": status,
            "completed_on": completed_on,
            "expires_on": expires_on,
            "evidence": "Certificate on file" if expires_on else "",
            "notes": "",
            "suggested_by_id": self.org.people[p.manager].id if suggested and p.manager is not None else None,
            # A manager's suggestion waits for the owner's yes; some still do.
            "accepted_at": None if suggested and status == "planned" and rng.random() < 0.5 else created,
            "created_at": created,
            "updated_at": updated,
        }
        self.items.append(row)
        self.item_skills.append(tuple(dict.fromkeys(skills)))
        self.owners.append(p.id)
        growth = self.goals.growth.get(p.index)
        if link and growth is not None and rng.random() < 0.15:
            self.item_goals.append(
                {
                    "id": self.stream.uuid(),
                    "tenant_id": self.tenant_id,
                    "item_id": row["id"],
                    "goal_id": growth,
                }
            )
        return status

    def evidence(self) -> Any:
        for item, keys, owner in zip(self.items, self.item_skills, self.owners, strict=True):
            if item["completed_on"] is None:
                continue
            for key in keys:
                yield {
                    "id": self.stream.uuid(),
                    "tenant_id": self.tenant_id,
                    "person_id": owner,
                    "skill_id": self.book.ids[key],
                    "source": "certification" if item["kind"] == "certification" else "learning",
                    "value": None,
                    "note": f"Completed {item['kind'].replace('_', ' ')}: {item['title']}",
                    "at": _noon(item["completed_on"]),
                    "learning_item_id": item["id"],
                    "recorded_by_id": owner,
                }


def _add_months(day: date, months: int) -> date:
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    return date(year, month, min(day.day, 28))


def _goal_skills(org: Org, book: SkillBook, goals: GoalBook, tenant_id: uuid.UUID, stream: Stream) -> Any:
    rng = stream.rng
    for index, goal_id in goals.growth.items():
        topic = goals.topics[index]
        yield {
            "id": stream.uuid(),
            "tenant_id": tenant_id,
            "goal_id": goal_id,
            "skill_id": book.ids[topic],
            "level": rng.choice([3, 4, 4, 5]),
        }
        pool = book.pool(org.people[index].dept)
        for other in goals.live.get(index, ()):
            if other != goal_id and rng.random() < 0.2:
                yield {
                    "id": stream.uuid(),
                    "tenant_id": tenant_id,
                    "goal_id": other,
                    "skill_id": book.ids[rng.choice(pool)],
                    "level": rng.choice([2, 3, 3, 4]),
                }
