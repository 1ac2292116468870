"""Goal rows as written: the stored SMART check (the real one, with history), templates, tasks, obstacles."""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterator
from datetime import timedelta
from typing import Any

from ..goals import smart
from .checkins import Point
from .people import Org
from .randomness import Clock, Stream
from .vocabulary import OBSTACLES, TASKS


def goal_rows(
    goals: list[dict[str, Any]], series: dict[uuid.UUID, list[Point]], clock: Clock
) -> Iterator[dict[str, Any]]:
    """Each goal with its SMART check computed as the service stores it. Equal results share one
    dict: most goals pass every rule, and 100,000 copies of the same answer cost memory."""
    due = {row["id"]: row["due_date"] for row in goals}
    seen: dict[str, dict[str, Any]] = {}
    for row in goals:
        history = tuple((p.at.date(), p.value) for p in series.get(row["id"], ()) if p.value is not None)
        result = smart.check(
            smart.SmartInput(
                title=row["title"],
                what=row["what"],
                measure_kind=row["measure_kind"],
                metric_name=row["metric_name"],
                unit=row["unit"],
                start_value=row["start_value"],
                target_value=row["target_value"],
                current_value=row["current_value"],
                start_date=row["start_date"],
                due_date=row["due_date"],
                has_parent=row["parent_id"] is not None,
                parent_due_date=due.get(row["parent_id"]),
                relevance_note=row["relevance_note"],
                history=history,
            ),
            clock.today,
        )
        row["smart"] = seen.setdefault(json.dumps(result), result)
        yield row


def template_rows(org: Org, tenant_id: uuid.UUID, clock: Clock, stream: Stream) -> list[dict[str, Any]]:
    created = clock.ago(400)
    base = {
        "tenant_id": tenant_id,
        "why": "",
        "how": "",
        "visibility": "manager_chain",
        "is_active": True,
        "created_by_id": org.people[org.hr_admin].id,
        "created_at": created,
        "updated_at": created,
    }
    return [
        {
            **base,
            "id": stream.uuid(),
            "title": "Run a blameless post-mortem",
            "what": "Lead one post-mortem and publish its actions",
            "relevance_note": "Reliability is a company goal this year",
            "measure_kind": "binary",
            "metric_name": None,
            "unit": None,
            "start_value": None,
            "target_value": None,
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
            "id": stream.uuid(),
            "title": "Hold monthly growth conversations with every report",
            "what": "A growth conversation with each report every month",
            "relevance_note": "Supports the people team's growth goal",
            "measure_kind": "numeric",
            "metric_name": "reports with a conversation this month",
            "unit": "%",
            "start_value": 0.0,
            "target_value": 100.0,
            "default_duration_days": 90,
            "horizon": "short_term",
            "tags": ["management"],
            "milestones": [{"title": "First round done", "offset_days": 30}],
        },
    ]


def task_rows(
    tasks_for: list[dict[str, Any]],
    obstacles_for: list[dict[str, Any]],
    tenant_id: uuid.UUID,
    clock: Clock,
    stream: Stream,
) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    rng = stream.rng
    tasks = []
    for goal in tasks_for:
        for index, (title, urgent, important) in enumerate(rng.sample(TASKS, rng.choice([2, 3, 3, 4]))):
            done = index == 0 or rng.random() < 0.2
            created = goal["created_at"]
            tasks.append(
                {
                    "id": stream.uuid(),
                    "tenant_id": tenant_id,
                    "goal_id": goal["id"],
                    "title": title,
                    "due_date": clock.day(rng.randint(-10, 40)),
                    "estimate_hours": float(rng.choice([1, 2, 4, 8])),
                    "urgent": urgent,
                    "important": important,
                    "done": done,
                    "done_at": max(created, clock.ago(rng.randint(1, 40))) if done else None,
                    "created_at": created,
                    "updated_at": created,
                }
            )
    obstacles = []
    for goal in obstacles_for:
        description, contingency = rng.choice(OBSTACLES)
        created = goal["created_at"] + timedelta(days=rng.randint(0, 5))
        obstacles.append(
            {
                "id": stream.uuid(),
                "tenant_id": tenant_id,
                "goal_id": goal["id"],
                "description": description,
                "contingency": contingency,
                "status": rng.choice(["open", "open", "mitigated", "occurred", "resolved"]),
                "created_at": created,
                "updated_at": created,
            }
        )
    return tasks, obstacles
