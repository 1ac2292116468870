"""Goals: company and team objectives rolled up from people's aligned goals, personal goals with check-in
histories, growth goals with milestones (some completed and celebrated), drafts and abandoned ones."""

from __future__ import annotations

import uuid
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from ..goals.models import Celebration, CheckIn, Goal, GoalObstacle, GoalTask, GoalTemplate
from ..goals.progress import Child, goal_progress, measure_progress
from .checkins import Point, binary_history, numeric_history
from .goal_rows import goal_rows, task_rows, template_rows
from .people import Org, Person
from .randomness import Clock, Stream, write
from .skills import SkillBook
from .vocabulary import GENERIC_METRICS, GROWTH_PATTERNS, MILESTONES, Metric


@dataclass
class GoalBook:
    """Goals later domains link to: each person's growth goal and their live goals."""

    growth: dict[int, uuid.UUID] = field(default_factory=dict)
    live: dict[int, list[uuid.UUID]] = field(default_factory=lambda: defaultdict(list))
    topics: dict[int, str] = field(default_factory=dict)


class _Builder:
    def __init__(self, org: Org, book: SkillBook, tenant_id: uuid.UUID, clock: Clock, stream: Stream) -> None:
        self.org, self.skills, self.tenant_id, self.clock, self.stream = org, book, tenant_id, clock, stream
        self.rng = stream.rng
        self.goals: list[dict[str, Any]] = []
        self.series: dict[uuid.UUID, list[Point]] = {}
        self.children: dict[uuid.UUID, list[dict[str, Any]]] = defaultdict(list)
        self.objective: dict[int, dict[str, Any]] = {}
        self.company_goals: list[dict[str, Any]] = []
        self.tasks_for: list[dict[str, Any]] = []
        self.obstacles_for: list[dict[str, Any]] = []
        self.out = GoalBook()

    # --- one goal ------------------------------------------------------------------------------

    def goal(self, owner: Person, title: str, start: date, due: date, **values: Any) -> dict[str, Any]:
        row: dict[str, Any] = {
            "id": self.stream.uuid(),
            "tenant_id": self.tenant_id,
            "owner_id": owner.id,
            "parent_id": None,
            "team_id": None,
            "template_id": None,
            "kind": "goal",
            "title": title[:200],
            "what": "",
            "why": "",
            "how": "",
            "relevance_note": "",
            "measure_kind": "binary",
            "metric_name": None,
            "unit": None,
            "start_value": None,
            "target_value": None,
            "current_value": None,
            "done": False,
            "start_date": start,
            "due_date": max(due, start),
            "horizon": "short_term",
            "weight": 1.0,
            "visibility": "manager_chain",
            "tags": [],
            "status": "active",
            "progress": 0.0,
            "smart": {},
            "completed_at": None,
            "archived_at": None,
            "created_at": max(owner.joined, self.clock.at(start, -self.rng.randint(0, 3 * 24 * 60))),
            "updated_at": None,
        }
        parent = values.pop("parent", None)
        row.update(values)
        if parent is not None:
            row["parent_id"] = parent["id"]
            self.children[parent["id"]].append(row)
        self.goals.append(row)
        return row

    def numeric(
        self, owner: Person, metric: Metric, area: str, start: date, due: date, **values: Any
    ) -> dict[str, Any]:
        rng = self.rng
        scale = rng.uniform(0.8, 1.25)
        low = round(metric.start * (scale if metric.start > 10 else 1), 4)
        high = (
            metric.target
            if metric.step < 1
            else max(metric.step, round(metric.target * scale / metric.step) * metric.step)
        )
        if abs(high - low) < metric.step:
            low, high = metric.start, metric.target
        low, high = round(low / metric.step) * metric.step, round(high / metric.step) * metric.step
        low, high = round(low, 4), round(high, 4)
        if low == high:
            high = round(low + metric.step * 5, 4)
        title = metric.title.format(target=high, area=area)
        return self.goal(
            owner,
            title,
            start,
            due,
            what=f"{metric.metric.capitalize()} from {low:g} to {high:g} {metric.unit}",
            measure_kind="numeric",
            metric_name=metric.metric,
            unit=metric.unit,
            start_value=float(low),
            target_value=float(high),
            current_value=float(low),
            **values,
        )

    def track(self, row: dict[str, Any], points: list[Point], *, abandon_after: int | None = None) -> None:
        """Attach a history; the goal's value, progress and status follow its last point."""
        if abandon_after is not None:
            points = points[: max(1, abandon_after)]
        if not points:
            return
        self.series[row["id"]] = points
        last = points[-1]
        if row["measure_kind"] == "numeric":
            row["current_value"] = last.value
        else:
            row["done"] = bool(last.done)
        row["updated_at"] = last.at
        if abandon_after is not None:
            row["status"] = "abandoned"
        elif last.progress >= 1.0 and (row["kind"] == "milestone" or row["horizon"] == "short_term"):
            # Milestones complete when they reach their target; people close reached goals.
            row["status"], row["completed_at"] = "completed", last.at

    # --- per person -----------------------------------------------------------------------------

    def company(self, ceo: Person) -> None:
        start = self.clock.day(-self.rng.randint(90, 130))
        due = self.clock.day(self.rng.randint(230, 260))
        for title in ("Reach 95% customer retention this year", "Double revenue from new markets"):
            row = self.goal(
                ceo,
                title,
                start,
                due,
                horizon="long_term",
                visibility="tenant",
                tags=["company"],
                relevance_note="The company's priority this year",
                what="The board's top objective",
            )
            self.company_goals.append(row)
            self.objective.setdefault(ceo.index, row)
            self.out.live[ceo.index].append(row["id"])

    def team_objective(self, p: Person) -> None:
        rng, org = self.rng, self.org
        parent = self.objective.get(p.manager) if p.manager is not None else None
        if p.manager == org.root:
            parent = rng.choice(self.company_goals)
        start = max(p.joined.date(), self.clock.day(-rng.randint(60, 120)))
        due = start + timedelta(days=rng.randint(180, 270))
        if parent is not None and rng.random() < 0.9:
            due = min(due, parent["due_date"])  # most finish within the goal they support
        team = org.teams[p.team] if p.team is not None and org.teams[p.team].lead == p.index else None
        title = rng.choice(p.dept.objectives).format(area=p.area)
        row = self.goal(
            p,
            title,
            start,
            due,
            horizon="long_term",
            parent=parent,
            team_id=team.id if team else None,
            visibility=rng.choice(["tenant", "tenant", "manager_chain"]),
            what=f"What {p.dept.name.lower()} delivers this half",
            tags=[p.dept.name.lower()],
            relevance_note="" if parent else "Agreed in the leadership offsite",
        )
        self.objective[p.index] = row
        self.out.live[p.index].append(row["id"])

    def short_term(self, p: Person, aligned: bool) -> None:
        rng, clock = self.rng, self.clock
        metric = rng.choice(p.dept.metrics + (GENERIC_METRICS if rng.random() < 0.15 else ()))
        parent = self.objective.get(p.manager) if aligned and p.manager is not None else None
        roll = rng.random()
        joined = p.joined.date()
        start = max(joined + timedelta(days=3), clock.day(-rng.randint(30, 180)))
        if roll < 0.04:
            start = clock.day(rng.randint(3, 30))
        due = start + timedelta(days=rng.choice([90, 90, 120, 150, 180]))
        row = self.numeric(
            p,
            metric,
            p.area,
            start,
            due,
            parent=parent,
            weight=rng.choice([1.0, 1.0, 2.0]),
            how=rng.choice(["Small weekly steps, measured every Friday", "", "Pairing and a weekly review"]),
            relevance_note="" if parent or rng.random() < 0.3 else "It is what my team is measured on",
            tags=[p.dept.name.lower()],
            visibility=rng.choice(["manager_chain"] * 4 + ["tenant", "private"]),
        )
        if roll < 0.04:
            row["status"] = "draft"
            return
        pace = rng.choice([0.35, 0.6, 0.8, 0.9, 1.0, 1.0, 1.1, 1.2, 1.4])
        points = numeric_history(
            rng, clock, start, due, due + timedelta(days=14), _values(row, metric), pace, rng.randint(0, 540)
        )
        self.track(row, points, abandon_after=rng.randint(1, 6) if roll < 0.08 else None)
        if row["status"] == "active":
            self.out.live[p.index].append(row["id"])
            self.extras(row)

    def previous(self, p: Person) -> None:
        """Last half's goal: mostly reached and closed, some abandoned, a few left overdue."""
        rng, clock = self.rng, self.clock
        start = clock.day(-rng.randint(150, 185))
        if p.joined.date() > start:
            return
        metric = rng.choice(p.dept.metrics)
        due = start + timedelta(days=rng.randint(80, 120))
        row = self.numeric(
            p,
            metric,
            p.area,
            start,
            due,
            relevance_note="Last half's team priority",
            tags=[p.dept.name.lower()],
        )
        abandon = rng.random() < 0.2
        pace = rng.uniform(1.1, 1.4) if not abandon else rng.uniform(0.3, 0.7)
        points = numeric_history(
            rng, clock, start, due, due + timedelta(days=10), _values(row, metric), pace, rng.randint(0, 540)
        )
        self.track(row, points, abandon_after=rng.randint(2, 8) if abandon else None)
        if row["status"] in ("completed", "abandoned") and rng.random() < 0.3:
            row["archived_at"] = row["updated_at"] + timedelta(days=rng.randint(1, 20))

    def growth(self, p: Person) -> None:
        rng, clock = self.rng, self.clock
        gaps = self.skills.gaps.get(p.index) or [k for k, _ in self.skills.strengths.get(p.index, [])]
        topic_key = rng.choice(gaps) if gaps else rng.choice(self.skills.pool(p.dept))
        topic = self.skills.names[topic_key]
        start = max(p.joined.date() + timedelta(days=5), clock.day(-rng.randint(30, 170)))
        due = start + timedelta(days=rng.randint(270, 365))
        draft = rng.random() < 0.05
        row = self.goal(
            p,
            rng.choice(GROWTH_PATTERNS).format(topic=topic),
            start,
            due,
            horizon="long_term",
            what=f"People bring their {topic} questions to me",
            why="It is the skill my next role needs",
            relevance_note="Agreed with my manager in our growth conversation",
            tags=["growth"],
            visibility=rng.choice(["manager_chain", "manager_chain", "private", "tenant"]),
            status="draft" if draft else "active",
        )
        self.out.growth[p.index] = row["id"]
        self.out.topics[p.index] = topic_key
        count = rng.choice([2, 2, 3, 3, 3])
        span = (due - start).days // count
        for step, (title, numeric, target) in enumerate(rng.sample(MILESTONES, count)):
            m_start, m_due = start + timedelta(days=span * step), start + timedelta(days=span * (step + 1))
            values: dict[str, Any] = {
                "kind": "milestone",
                "parent": row,
                "horizon": "long_term",
                "visibility": row["visibility"],
                "status": "draft" if draft else "active",
            }
            name = title.format(topic=topic, target=target)
            if numeric:
                metric = Metric(name, "steps done", "steps", 0, target, 1)
                milestone = self.numeric(p, metric, p.area, m_start, m_due, **values)
                if not draft:
                    pts = numeric_history(
                        rng,
                        clock,
                        m_start,
                        m_due,
                        m_due + timedelta(days=21),
                        _values(milestone, metric),
                        rng.uniform(0.7, 1.5),
                        rng.randint(0, 540),
                    )
                    self.track(milestone, pts)
            else:
                milestone = self.goal(p, name, m_start, m_due, **values)
                if not draft and m_start < clock.today:
                    finish = m_start + timedelta(days=rng.randint(15, max(16, (m_due - m_start).days + 10)))
                    finished = finish if finish < clock.today and rng.random() < 0.75 else None
                    self.track(
                        milestone, binary_history(rng, clock, m_start, finished, m_due, rng.randint(0, 540))
                    )
            if milestone["status"] == "active":
                self.out.live[p.index].append(milestone["id"])
        if not draft:
            self.out.live[p.index].append(row["id"])

    def draft(self, p: Person) -> None:
        metric = self.rng.choice(p.dept.metrics)
        start = self.clock.day(self.rng.randint(5, 40))
        self.numeric(
            p, metric, p.area, start, start + timedelta(days=90), status="draft", tags=[p.dept.name.lower()]
        )

    def extras(self, row: dict[str, Any]) -> None:
        """Some live goals have an action plan, fewer a known obstacle."""
        if self.rng.random() < 0.3:
            self.tasks_for.append(row)
        if self.rng.random() < 0.15:
            self.obstacles_for.append(row)

    # --- roll-up --------------------------------------------------------------------------------

    def roll_up(self) -> None:
        """Progress bottom-up with the real rules; rows were made parents first, so children
        come later in the list and a reversed walk sees every child before its parent."""
        for row in reversed(self.goals):
            kids = [Child(c["status"], c["weight"], c["progress"]) for c in self.children.get(row["id"], ())]
            own = measure_progress(
                row["measure_kind"],
                row["start_value"],
                row["target_value"],
                row["current_value"],
                row["done"],
            )
            row["progress"] = goal_progress(row["status"], own, kids)
            if row["updated_at"] is None:
                row["updated_at"] = row["created_at"]


def _values(row: dict[str, Any], metric: Metric) -> tuple[float, float, float]:
    return (row["start_value"], row["target_value"], metric.step)


def write_goals(
    org: Org, book: SkillBook, tenant_id: uuid.UUID, clock: Clock, stream: Stream
) -> tuple[GoalBook, dict[str, int]]:
    builder = _Builder(org, book, tenant_id, clock, stream)
    rng = stream.rng
    builder.company(org.people[org.root])
    for p in org.people:
        if not p.active:
            continue
        if p.reports and p.index != org.root:
            builder.team_objective(p)
        if p.index != org.root:
            if not p.reports or rng.random() < 0.3:
                builder.short_term(p, aligned=True)
            if rng.random() < 0.5:
                builder.short_term(p, aligned=False)
            if rng.random() < 0.45:
                builder.previous(p)
        builder.growth(p)
        if rng.random() < 0.08:
            builder.draft(p)
    builder.roll_up()
    celebrations = [
        {
            "id": stream.uuid(),
            "tenant_id": tenant_id,
            "goal_id": row["id"],
            "owner_id": row["owner_id"],
            "kind": "milestone_completed",
            "title": row["title"],
            "at": row["completed_at"],
        }
        for row in builder.goals
        if row["kind"] == "milestone" and row["status"] == "completed"
    ]
    counts = {
        "goal_templates": write(GoalTemplate, template_rows(org, tenant_id, clock, stream)),
        "goals": write(Goal, goal_rows(builder.goals, builder.series, clock)),
    }
    counts["goal_checkins"] = write(CheckIn, _checkin_rows(builder, tenant_id))
    tasks, obstacles = task_rows(builder.tasks_for, builder.obstacles_for, tenant_id, clock, stream)
    counts["goal_tasks"] = write(GoalTask, tasks)
    counts["goal_obstacles"] = write(GoalObstacle, obstacles)
    counts["goal_celebrations"] = write(Celebration, celebrations)
    return builder.out, counts


def _checkin_rows(builder: _Builder, tenant_id: uuid.UUID) -> Any:
    stream = builder.stream
    for row in builder.goals:
        for point in builder.series.get(row["id"], ()):
            yield {
                "id": stream.uuid(),
                "tenant_id": tenant_id,
                "goal_id": row["id"],
                "author_id": row["owner_id"],
                "at": point.at,
                "value": point.value,
                "done": point.done,
                "confidence": point.confidence,
                "note": point.note,
                "progress": point.progress,
            }
