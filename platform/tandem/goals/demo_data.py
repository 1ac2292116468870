"""The demo organisation's goals: company, leadership and team goals, each person's aligned goals
with milestones, action-plan tasks, obstacles and weeks of check-ins, and two goal templates.
Deterministic (a seeded generator), with dates relative to today; written with bulk inserts."""

from __future__ import annotations

import random
import uuid
from collections import defaultdict
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

import sqlalchemy as sa

from ..core import tenancy
from ..core.db import db, utcnow
from ..people.models import Team, User
from . import smart
from .models import Celebration, CheckIn, Goal, GoalObstacle, GoalTask, GoalTemplate
from .progress import Child, goal_progress, measure_progress

# owner, title, what, metric, unit, start, target, days ago started, days to go, parent key, team
LEADERSHIP: list[tuple[str, ...]] = [
    (
        "company",
        "maya.chen",
        "Reach 95% customer retention this year",
        "Customers renew and stay",
        "annual retention",
        "%",
        "88",
        "95",
        "120",
        "245",
        "",
        "",
    ),
    (
        "eng",
        "omar.haddad",
        "Cut checkout p95 latency to 200 ms",
        "Checkout answers fast at peak",
        "p95 latency",
        "ms",
        "420",
        "200",
        "90",
        "180",
        "company",
        "",
    ),
    (
        "product",
        "grace.okafor",
        "Lift onboarding completion to 80%",
        "New customers finish set-up alone",
        "onboarding completion",
        "%",
        "55",
        "80",
        "90",
        "180",
        "company",
        "",
    ),
    (
        "platform",
        "lena.fischer",
        "Reach 99.95% platform availability",
        "Fewer and shorter outages",
        "monthly availability",
        "%",
        "99.7",
        "99.95",
        "60",
        "120",
        "eng",
        "Platform",
    ),
    (
        "data",
        "raj.patel",
        "Ship the churn prediction model to production",
        "Account managers see churn risk",
        "accounts scored daily",
        "accounts",
        "0",
        "5000",
        "60",
        "120",
        "company",
        "Data",
    ),
    (
        "design",
        "kenji.watanabe",
        "Raise the onboarding usability score to 85",
        "A calmer first week in the app",
        "SUS score",
        "points",
        "68",
        "85",
        "45",
        "120",
        "product",
        "Design",
    ),
    (
        "pm",
        "sofia.rossi",
        "Cut time-to-first-value to 2 days",
        "New teams see value in their first days",
        "median days to first report",
        "days",
        "6",
        "2",
        "45",
        "120",
        "product",
        "Product",
    ),
    (
        "people",
        "harper.hughes",
        "Every manager holds monthly growth conversations",
        "Managers talk growth with each report monthly",
        "managers holding them",
        "%",
        "40",
        "100",
        "30",
        "150",
        "company",
        "People Ops",
    ),
]
# Where each team's people align their short-term goal.
TEAM_PARENT = {
    "Platform": "platform",
    "Data": "data",
    "Design": "design",
    "Product": "pm",
    "People Ops": "people",
}
SHORT_TERM = {
    "Platform": [
        ("Cut the p95 of the pricing service", "p95 latency", "ms", 180, 90),
        ("Automate failover drills", "drills automated", "drills", 0, 4),
    ],
    "Data": [
        ("Raise churn model recall", "recall at 10% precision", "%", 52, 70),
        ("Cut the nightly pipeline runtime", "pipeline runtime", "min", 95, 45),
    ],
    "Design": [
        ("Run usability sessions on onboarding", "sessions run", "sessions", 0, 12),
        ("Ship the new empty states", "screens shipped", "screens", 0, 9),
    ],
    "Product": [
        ("Interview churned customers", "interviews done", "interviews", 0, 15),
        ("Cut set-up steps in onboarding", "set-up steps", "steps", 11, 6),
    ],
    "People Ops": [
        ("Train managers on growth conversations", "managers trained", "managers", 0, 10),
        ("Cut time to hire for engineers", "median days to hire", "days", 48, 35),
    ],
}
GROWTH = [
    (
        "Become the go-to person for {topic}",
        ["Finish the {topic} course", "Pair with an expert on {topic}", "Give a team talk on {topic}"],
    ),
    (
        "Grow into leading {topic} work",
        ["Write a design doc on {topic}", "Lead a {topic} project kickoff", "Mentor someone on {topic}"],
    ),
]
TOPICS = [
    "observability",
    "payments",
    "data modelling",
    "accessibility",
    "experimentation",
    "security",
    "incident response",
    "user research",
    "SQL performance",
    "product analytics",
]
TASKS = [
    ("Block two focus hours a week", False, True),
    ("Book a review with my manager", True, True),
    ("Collect a baseline measurement", True, True),
    ("Read the team's past write-ups", False, True),
    ("Update the tracking dashboard", True, False),
    ("Clean up old tickets", False, False),
    ("Ask a peer for feedback", False, True),
    ("Draft the plan in a doc", True, True),
]
OBSTACLES = [
    ("On-call weeks leave little focus time", "Swap the focus block to the week after on-call"),
    ("Depends on another team's review", "Agree a review slot up front; escalate after 3 days"),
    ("The baseline data may be incomplete", "Start with last month's sample and note the gap"),
]


def _num(value: str) -> float:
    return float(value)


def _goal_row(tenant_id: uuid.UUID, now: datetime, **values: Any) -> dict[str, Any]:
    row: dict[str, Any] = {
        "id": uuid.uuid4(),
        "tenant_id": tenant_id,
        "parent_id": None,
        "team_id": None,
        "template_id": None,
        "kind": "goal",
        "what": "",
        "why": "",
        "how": "",
        "relevance_note": "",
        "measure_kind": "numeric",
        "metric_name": None,
        "unit": None,
        "start_value": None,
        "target_value": None,
        "current_value": None,
        "done": False,
        "due_date": None,
        "horizon": "short_term",
        "weight": 1.0,
        "visibility": "manager_chain",
        "tags": [],
        "status": "active",
        "progress": 0.0,
        "smart": {},
        "completed_at": None,
        "archived_at": None,
        "created_at": now,
        "updated_at": now,
    }
    row.update(values)
    return row


class _Seeder:
    def __init__(self, tenant_id: uuid.UUID, rng: random.Random) -> None:
        self.tenant_id, self.rng = tenant_id, rng
        self.now, self.today = utcnow(), utcnow().date()
        self.goals: list[dict[str, Any]] = []
        self.tasks: list[dict[str, Any]] = []
        self.obstacles: list[dict[str, Any]] = []
        self.checkins: list[dict[str, Any]] = []
        self.celebrations: list[dict[str, Any]] = []

    def goal(self, **values: Any) -> dict[str, Any]:
        row = _goal_row(self.tenant_id, self.now, **values)
        self.goals.append(row)
        return row

    def history(self, goal: dict[str, Any], pace: float) -> None:
        """Weekly check-ins from the start to today, moving `pace` of the way per elapsed share."""
        start, due = goal["start_date"], goal["due_date"]
        weeks = max(1, (self.today - start).days // 7)
        span = max(1, (due - start).days)
        value = goal["start_value"]
        for week in range(1, weeks + 1):
            day = start + timedelta(days=7 * week)
            if day > self.today:
                break
            share = min(1.0, pace * (day - start).days / span + self.rng.uniform(-0.03, 0.03))
            value = goal["start_value"] + (goal["target_value"] - goal["start_value"]) * max(0.0, share)
            value = round(value, 2)
            progress = measure_progress("numeric", goal["start_value"], goal["target_value"], value, False)
            self.checkins.append(
                {
                    "id": uuid.uuid4(),
                    "tenant_id": self.tenant_id,
                    "goal_id": goal["id"],
                    "author_id": goal["owner_id"],
                    "at": datetime.combine(day, time(16, 0), tzinfo=UTC),
                    "value": value,
                    "done": None,
                    "confidence": self.rng.choice([2, 3, 3, 4, 4, 5]),
                    "note": self.rng.choice(
                        [
                            "Steady week",
                            "Blocked on a review, caught up Friday",
                            "Good progress after pairing",
                            "Less time than planned",
                            "Measured again after the release",
                        ]
                    ),
                    "progress": progress,
                }
            )
        goal["current_value"] = value

    def plan(self, goal: dict[str, Any], count: int) -> None:
        for index, (title, urgent, important) in enumerate(self.rng.sample(TASKS, count)):
            done = index == 0
            self.tasks.append(
                {
                    "id": uuid.uuid4(),
                    "tenant_id": self.tenant_id,
                    "goal_id": goal["id"],
                    "title": title,
                    "due_date": self.today + timedelta(days=self.rng.randint(-3, 40)),
                    "estimate_hours": float(self.rng.choice([1, 2, 4, 8])),
                    "urgent": urgent,
                    "important": important,
                    "done": done,
                    "done_at": self.now if done else None,
                    "created_at": self.now,
                    "updated_at": self.now,
                }
            )
        description, contingency = self.rng.choice(OBSTACLES)
        self.obstacles.append(
            {
                "id": uuid.uuid4(),
                "tenant_id": self.tenant_id,
                "goal_id": goal["id"],
                "description": description,
                "contingency": contingency,
                "status": self.rng.choice(["open", "open", "mitigated"]),
                "created_at": self.now,
                "updated_at": self.now,
            }
        )


def seed_goals(seed: int = 2026) -> dict[str, int]:
    """Seed the bound (demo) tenant's goals; returns how many rows of each kind were written."""
    tenant_id = tenancy.current_tenant_id()
    rng = random.Random(seed)
    people = {
        email.split("@")[0]: (pid, manager, team)
        for pid, email, manager, team in db.session.execute(
            sa.select(User.id, User.email, User.manager_id, User.team_id).where(User.is_active.is_(True))
        )
    }
    teams = dict(db.session.execute(sa.select(Team.name, Team.id)).all())
    team_names = {tid: name for name, tid in teams.items()}
    seeder = _Seeder(tenant_id, rng)
    today = seeder.today
    keyed: dict[str, dict[str, Any]] = {}
    for key, owner, title, what, metric, unit, start, target, ago, ahead, parent, team in LEADERSHIP:
        goal = seeder.goal(
            owner_id=people[owner][0],
            title=title,
            what=what,
            metric_name=metric,
            unit=unit,
            start_value=_num(start),
            target_value=_num(target),
            current_value=_num(start),
            start_date=today - timedelta(days=int(ago)),
            due_date=today + timedelta(days=int(ahead)),
            horizon="long_term",
            visibility="tenant",
            parent_id=keyed[parent]["id"] if parent else None,
            team_id=teams.get(team),
            relevance_note="" if parent else "The company's top priority this year",
            tags=["company"] if key == "company" else [],
        )
        keyed[key] = goal
        seeder.plan(goal, 2)
    leaders = {row[1] for row in LEADERSHIP}
    for index, (local, (person_id, _manager, team_id)) in enumerate(sorted(people.items())):
        if local in leaders:
            continue
        team = team_names.get(team_id, "Platform")
        _person_goals(seeder, person_id, team, keyed[TEAM_PARENT.get(team, "company")], index)
    _roll_up(seeder)
    _store_smart(seeder.goals, seeder.checkins, today)
    templates = _templates(tenant_id, seeder.now)
    tenancy.bulk_insert(db.session, GoalTemplate, templates)
    tenancy.bulk_insert(db.session, Goal, _parents_first(seeder.goals))
    for model, rows in (
        (GoalTask, seeder.tasks),
        (GoalObstacle, seeder.obstacles),
        (CheckIn, seeder.checkins),
        (Celebration, seeder.celebrations),
    ):
        tenancy.bulk_insert(db.session, model, rows)
    db.session.flush()
    return {
        "goals": len(seeder.goals),
        "tasks": len(seeder.tasks),
        "checkins": len(seeder.checkins),
        "celebrations": len(seeder.celebrations),
        "templates": len(templates),
    }


def _person_goals(
    seeder: _Seeder, person_id: uuid.UUID, team: str, parent: dict[str, Any], index: int
) -> None:
    rng, today = seeder.rng, seeder.today
    title, metric, unit, start, target = SHORT_TERM.get(team, SHORT_TERM["Platform"])[index % 2]
    short = seeder.goal(
        owner_id=person_id,
        title=title,
        what=f"{metric.capitalize()} from {start:g} to {target:g} {unit}",
        how="Small weekly steps, measured every Friday",
        metric_name=metric,
        unit=unit,
        start_value=float(start),
        target_value=float(target),
        current_value=float(start),
        start_date=today - timedelta(days=rng.randint(35, 70)),
        due_date=today + timedelta(days=rng.randint(20, 60)),
        parent_id=parent["id"],
        weight=float(rng.choice([1, 1, 2])),
        tags=[team.lower()],
    )
    seeder.history(short, pace=rng.choice([0.6, 0.9, 1.0, 1.1, 1.3]))
    seeder.plan(short, 3)
    pattern, milestones = GROWTH[index % len(GROWTH)]
    topic = TOPICS[index % len(TOPICS)]
    growth = seeder.goal(
        owner_id=person_id,
        title=pattern.format(topic=topic),
        what=f"People bring their {topic} questions to me",
        why="It is the skill my next role needs",
        measure_kind="binary",
        horizon="long_term",
        start_date=today - timedelta(days=60),
        due_date=today + timedelta(days=240),
        relevance_note="Agreed with my manager in our growth conversation",
        visibility=rng.choice(["manager_chain", "manager_chain", "private", "tenant"]),
        tags=["growth"],
    )
    seeder.plan(growth, 2)
    finished = rng.randint(0, 2)
    for step, milestone in enumerate(milestones):
        done = step < finished
        due = growth["start_date"] + timedelta(days=60 * (step + 1))
        row = seeder.goal(
            owner_id=person_id,
            parent_id=growth["id"],
            kind="milestone",
            title=milestone.format(topic=topic),
            measure_kind="binary",
            done=done,
            status="completed" if done else "active",
            start_date=growth["start_date"],
            due_date=due,
            horizon="long_term",
            visibility=growth["visibility"],
            completed_at=datetime.combine(min(due, today), time(12, 0), tzinfo=UTC) if done else None,
        )
        if done:
            seeder.celebrations.append(
                {
                    "id": uuid.uuid4(),
                    "tenant_id": seeder.tenant_id,
                    "goal_id": row["id"],
                    "owner_id": person_id,
                    "kind": "milestone_completed",
                    "title": row["title"],
                    "at": row["completed_at"],
                }
            )


def _roll_up(seeder: _Seeder) -> None:
    """Progress bottom-up, as the services would have computed it check-in by check-in."""
    kids: dict[uuid.UUID, list[dict[str, Any]]] = defaultdict(list)
    for row in seeder.goals:
        if row["parent_id"]:
            kids[row["parent_id"]].append(row)

    def visit(row: dict[str, Any]) -> float:
        children = [Child(c["status"], c["weight"], visit(c)) for c in kids[row["id"]]]
        own = measure_progress(
            row["measure_kind"], row["start_value"], row["target_value"], row["current_value"], row["done"]
        )
        row["progress"] = goal_progress(row["status"], own, children)
        return float(row["progress"])

    for row in seeder.goals:
        if row["parent_id"] is None:
            visit(row)


def _store_smart(goals: list[dict[str, Any]], checkins: list[dict[str, Any]], today: date) -> None:
    due = {g["id"]: g["due_date"] for g in goals}
    history: dict[uuid.UUID, list[tuple[date, float]]] = defaultdict(list)
    for c in checkins:
        history[c["goal_id"]].append((c["at"].date(), c["value"]))
    for g in goals:
        goal = smart.SmartInput(
            title=g["title"],
            what=g["what"],
            measure_kind=g["measure_kind"],
            metric_name=g["metric_name"],
            unit=g["unit"],
            start_value=g["start_value"],
            target_value=g["target_value"],
            current_value=g["current_value"],
            start_date=g["start_date"],
            due_date=g["due_date"],
            has_parent=g["parent_id"] is not None,
            parent_due_date=due.get(g["parent_id"]),
            relevance_note=g["relevance_note"],
            history=tuple(history[g["id"]]),
        )
        g["smart"] = smart.check(goal, today)


def _parents_first(goals: list[dict[str, Any]]) -> list[dict[str, Any]]:
    # Rows are appended parent before child already; keep that order explicit for the foreign key.
    placed: set[uuid.UUID] = set()
    ordered: list[dict[str, Any]] = []
    pending = list(goals)
    while pending:
        rest = []
        for row in pending:
            if row["parent_id"] is None or row["parent_id"] in placed:
                ordered.append(row)
                placed.add(row["id"])
            else:
                rest.append(row)
        pending = rest
    return ordered


def _templates(tenant_id: uuid.UUID, now: datetime) -> list[dict[str, Any]]:
    base = {
        "tenant_id": tenant_id,
        "why": "",
        "how": "",
        "unit": None,
        "metric_name": None,
        "start_value": None,
        "target_value": None,
        "visibility": "manager_chain",
        "is_active": True,
        "created_by_id": None,
        "created_at": now,
        "updated_at": now,
    }
    return [
        {
            **base,
            "id": uuid.uuid4(),
            "title": "Run a blameless post-mortem",
            "what": "Lead one post-mortem and publish its actions",
            "measure_kind": "binary",
            "relevance_note": "Reliability is a company goal this year",
            "default_duration_days": 60,
            "horizon": "short_term",
            "tags": ["reliability"],
            "milestones": [
                {"title": "Shadow a post-mortem", "offset_days": 20},
                {"title": "Publish the write-up", "offset_days": 55},
            ],
        },
        {
            **base,
            "id": uuid.uuid4(),
            "title": "Hold monthly growth conversations with every report",
            "what": "A growth conversation with each report every month",
            "measure_kind": "numeric",
            "metric_name": "reports with a conversation this month",
            "unit": "%",
            "start_value": 0.0,
            "target_value": 100.0,
            "relevance_note": "Supports the people team's growth goal",
            "default_duration_days": 90,
            "horizon": "short_term",
            "tags": ["management"],
            "milestones": [{"title": "First round done", "offset_days": 30}],
        },
    ]
