"""The organisation: a management tree (~6 levels, spans 3-12), titles, teams and the users' rows."""

from __future__ import annotations

import math
import uuid
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from ..core.auth import EMPLOYEE, HR_ADMIN
from ..people.models import Team, User
from .randomness import Clock, Stream, write
from .vocabulary import CODENAMES, DEPARTMENTS, FIRST_NAMES, LAST_NAMES, PEOPLE_DEPARTMENT, Department

MIN_SPAN, MAX_SPAN = 3, 12
TARGET_DEPTH = 6
# Managers at each level: not everyone in the middle manages (senior individual contributors).
MANAGER_SHARE = (0.85, 0.95)
HISTORY_DAYS = 3 * 365
DEACTIVATED_SHARE = 0.04
# Share of individual contributors who joined in the last 30 days (a uniform spread gives ~2.7%).
NEW_JOINER_SHARE = 0.04


@dataclass(slots=True)
class Person:
    index: int
    id: uuid.UUID
    level: int
    manager: int | None
    dept: Department
    name: str
    email: str
    joined: datetime
    reports: list[int] = field(default_factory=list)
    title: str = ""
    seniority: int = 0
    team: int | None = None
    area: str = ""
    role: str = EMPLOYEE
    active: bool = True
    deactivated_at: datetime | None = None

    @property
    def is_manager(self) -> bool:
        return bool(self.reports)


@dataclass(slots=True)
class TeamInfo:
    index: int
    id: uuid.UUID
    name: str
    dept: Department
    area: str
    lead: int | None


@dataclass
class Org:
    people: list[Person]
    teams: list[TeamInfo]
    root: int
    hr_admin: int
    depth: int
    domain: str

    @property
    def active(self) -> list[Person]:
        return [p for p in self.people if p.active]


def _ratio(n: int, depth: int) -> float:
    """r with 1 + r + ... + r^(depth-1) = n: the average span of a full tree of that depth."""
    low, high = 1.0, float(n)
    for _ in range(80):
        mid = (low + high) / 2
        if sum(mid**k for k in range(depth)) < n:
            low = mid
        else:
            high = mid
    return low


def level_sizes(n: int) -> list[int]:
    """How many people at each level: six levels when spans of 3+ allow it (about N >= 400),
    fewer for small organisations, more when six would need spans past 9."""
    depth = TARGET_DEPTH
    while depth > 2 and _ratio(n, depth) < MIN_SPAN:
        depth -= 1
    while _ratio(n, depth) > 9:
        depth += 1
    r = _ratio(n, depth)
    sizes = [1] + [max(MIN_SPAN, round(r**k)) for k in range(1, depth - 1)]
    sizes.append(n - sum(sizes))
    return sizes


def _spread(total: int, managers: int, stream: Stream) -> list[int]:
    """`total` reports over `managers`, each 3-12, unevenly (some small teams, some big ones)."""
    rng = stream.rng
    if managers == 1:
        return [total]
    if total < MIN_SPAN * managers:
        return [total // managers + (1 if i < total % managers else 0) for i in range(managers)]
    spans = [MIN_SPAN] * managers
    left = total - MIN_SPAN * managers
    weights = [rng.uniform(0.25, 1.0) ** 2 for _ in range(managers)]
    cum = [sum(weights[: i + 1]) for i in range(managers)] if managers < 64 else _cumulative(weights)
    misses = 0
    while left > 0:
        i = rng.choices(range(managers), cum_weights=cum)[0]
        if spans[i] < MAX_SPAN:
            spans[i] += 1
            left -= 1
            misses = 0
            continue
        misses += 1
        if misses > 30:  # the heavy ones are full: fill the lightest
            i = min(range(managers), key=spans.__getitem__)
            spans[i] += 1
            left -= 1
    return spans


def _cumulative(weights: list[float]) -> list[float]:
    out, total = [], 0.0
    for w in weights:
        total += w
        out.append(total)
    return out


class _Namer:
    def __init__(self, stream: Stream, domain: str) -> None:
        self.stream, self.domain = stream, domain
        self.used: dict[str, int] = {}

    def __call__(self) -> tuple[str, str]:
        rng = self.stream.rng
        first, last = rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)
        local = f"{first}.{last}".lower()
        seen = self.used.get(local, 0)
        self.used[local] = seen + 1
        if seen:
            local = f"{local}{seen + 1}"
        return f"{first} {last}", f"{local}@{self.domain}"


def build_org(n: int, domain: str, clock: Clock, stream: Stream) -> Org:
    sizes = level_sizes(n)
    namer = _Namer(stream, domain)
    people: list[Person] = []

    def add(level: int, manager: int | None, dept: Department) -> Person:
        name, email = namer()
        person = Person(len(people), stream.uuid(), level, manager, dept, name, email, clock.morning)
        people.append(person)
        if manager is not None:
            people[manager].reports.append(person.index)
        return person

    root = add(0, None, DEPARTMENTS[0])
    previous = [root.index]
    for level, count in enumerate(sizes[1:], start=1):
        if level == 1:
            managers, spans = [root.index], [count]
        else:
            managers = _managers(previous, count, level, stream)
            spans = _spread(count, len(managers), stream)
            if level == 2:
                # The first departments (engineering, sales) are the big ones, as in most companies.
                spans.sort(reverse=True)
        current = []
        for manager, span in zip(managers, spans, strict=True):
            for _ in range(span):
                dept = DEPARTMENTS[len(current) % len(DEPARTMENTS)] if level == 1 else people[manager].dept
                current.append(add(level, manager, dept).index)
        previous = current
    depth = max(p.level for p in people) + 1
    hr_admin = next(p.index for p in people if p.level == 1 and p.dept.name == PEOPLE_DEPARTMENT)
    people[hr_admin].role = HR_ADMIN
    _titles(people, depth, stream)
    _history(people, root.index, hr_admin, clock, stream)
    teams = _teams(people, clock, stream)
    return Org(people, teams, root.index, hr_admin, depth, domain)


def _managers(parents: list[int], children: int, level: int, stream: Stream) -> list[int]:
    low = math.ceil(children / MAX_SPAN)
    high = min(len(parents), children // MIN_SPAN)
    if high == 0:
        return parents[:1]  # a last, partial level: someone manages one or two people
    wanted = round(len(parents) * stream.rng.uniform(*MANAGER_SHARE))
    count = min(len(parents), max(low, min(high, wanted)))
    if level == 2:
        return parents[:count]
    return sorted(stream.rng.sample(parents, count))


def _titles(people: list[Person], depth: int, stream: Stream) -> None:
    rng = stream.rng
    for p in people:
        ladder = p.dept.ladder
        if p.level == 0:
            p.title, p.seniority = "Chief Executive Officer", 6
        elif p.level == 1:
            p.title, p.seniority = p.dept.head_title, 6
        elif p.reports:
            manages_managers = any(people[r].reports for r in p.reports)
            if manages_managers:
                p.title = f"Director, {p.dept.name}" if p.level == 2 else f"Senior {p.dept.manager_title}"
                p.seniority = 5
            else:
                p.title, p.seniority = p.dept.manager_title, 4
        elif p.level < depth - 2:
            # An individual contributor high in the tree is one of the most senior ones.
            p.seniority = len(ladder) - 1 - rng.randrange(min(2, len(ladder)))
            p.title = ladder[p.seniority][0]
        else:
            titles = [t for t, _w in ladder]
            p.title = rng.choices(titles, weights=[w for _t, w in ladder])[0]
            p.seniority = titles.index(p.title)


def _history(people: list[Person], root: int, hr_admin: int, clock: Clock, stream: Stream) -> None:
    """Join dates over ~3 years (a few percent in the last 30 days), a few people deactivated."""
    rng = stream.rng
    for p in people:
        if p.index == root:
            days = HISTORY_DAYS + rng.randint(30, 200)
        elif p.level <= 2:
            days = rng.randint(500, HISTORY_DAYS)
        elif p.reports:
            days = rng.randint(90, HISTORY_DAYS)
        elif rng.random() < NEW_JOINER_SHARE:
            days = rng.randint(0, 29)
        else:
            days = rng.randint(30, HISTORY_DAYS)
        p.joined = clock.ago(days) + timedelta(minutes=rng.randint(0, 480))
        tenure = (clock.morning - p.joined).days
        if not p.reports and p.index != hr_admin and tenure > 60 and rng.random() < DEACTIVATED_SHARE:
            p.active = False
            p.deactivated_at = p.joined + timedelta(
                days=rng.randint(30, tenure - 1), minutes=rng.randint(0, 300)
            )


def _teams(people: list[Person], clock: Clock, stream: Stream) -> list[TeamInfo]:
    """A team for every manager with individual contributors reporting; directors share their
    department's leadership team; the CEO and department heads are the executive team."""
    rng = stream.rng
    teams: list[TeamInfo] = []
    names: set[str] = set()

    def team(name: str, dept: Department, area: str, lead: int | None) -> TeamInfo:
        base, number = name, 1
        while name in names:
            number += 1
            name = f"{base} {number}"
        names.add(name)
        info = TeamInfo(len(teams), stream.uuid(), name, dept, area, lead)
        teams.append(info)
        return info

    executive = team("Executive Team", DEPARTMENTS[0], "Leadership", 0)
    leadership: dict[str, TeamInfo] = {}
    led: dict[int, TeamInfo] = {}
    for p in people:
        if any(not people[r].reports for r in p.reports):
            area = rng.choice(p.dept.areas)
            led[p.index] = team(f"{area} {rng.choice(CODENAMES)}", p.dept, area, p.index)
    for p in people:
        if p.level <= 1:
            info: TeamInfo | None = executive
        elif p.reports and p.index in led:
            info = led[p.index]
        elif p.reports:
            name = p.dept.name
            if name not in leadership:
                leadership[name] = team(f"{name} Leadership", p.dept, "Leadership", None)
            info = leadership[name]
        else:
            info = led.get(p.manager) if p.manager is not None else None
            # Some of the people who joined this month are not placed in a team yet.
            if (clock.morning - p.joined).days < 30 and rng.random() < 0.4:
                info = None
        p.team = info.index if info else None
        p.area = info.area if info and info.area != "Leadership" else rng.choice(p.dept.areas)
    return teams


def write_people(
    org: Org, tenant_id: uuid.UUID, password_hash: str, clock: Clock, stream: Stream
) -> dict[str, int]:
    rng = stream.rng
    now = clock.morning
    team_rows = [
        {
            "id": t.id,
            "tenant_id": tenant_id,
            "name": t.name,
            "description": f"{t.dept.name}: {t.area}"
            if t.area != "Leadership"
            else f"{t.dept.name} leadership",
            "created_at": now - timedelta(days=HISTORY_DAYS),
            "updated_at": now - timedelta(days=HISTORY_DAYS),
        }
        for t in org.teams
    ]
    teams = write(Team, team_rows)

    def rows() -> Any:
        for p in org.people:
            last_login = None
            if p.active and rng.random() < 0.9:
                last_login = max(p.joined, now - timedelta(minutes=rng.randint(0, 60 * 24 * 45)))
            elif p.deactivated_at is not None:
                last_login = p.deactivated_at - timedelta(days=rng.randint(1, 20))
                last_login = max(last_login, p.joined)
            yield {
                "id": p.id,
                "tenant_id": tenant_id,
                "email": p.email,
                "name": p.name,
                "title": p.title,
                "team_id": org.teams[p.team].id if p.team is not None else None,
                "manager_id": org.people[p.manager].id if p.manager is not None else None,
                "role": p.role,
                "is_active": p.active,
                "password_hash": password_hash,
                "session_nonce": stream.nonce(),
                "last_login_at": last_login,
                "deactivated_at": p.deactivated_at,
                "created_at": p.joined,
                "updated_at": p.deactivated_at or p.joined,
            }

    # Managers come before their reports (the list is built level by level): the self-reference
    # holds row by row on SQLite too.
    users = write(User, rows())
    return {"users": users, "teams": teams}
