"""Benchmark: loading one person's goal tree (200 goals, 1,000 tasks, 5,000 check-ins) on
PostgreSQL, and a check-in deep in a tree of depth 6. Prints SQL statement counts and wall times
against the issue's targets: the tree loads in a constant number of queries and under 50 ms; a
check-in recomputes only the goal and its ancestors.

Run: .venv/bin/python benchmarks/goals_tree.py [--goals 200 --tasks 1000 --checkins 5000]
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import tempfile
import time
import uuid
from collections import defaultdict
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

# Run as a script, this folder comes first on sys.path, where benchmarks/matching.py would shadow
# the matching engine that tandem imports: put the repository root ahead of it.
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from _support import analyze, bench_app, counting_statements, scratch_database

DEPTH = 6


@contextmanager
def part_timers(*parts: tuple[Any, str]) -> Iterator[dict[str, list[float]]]:
    """Time the module functions `parts` each time the code under test calls them (it looks them
    up on their module), so a run is split into parts without being written out twice."""
    spent: dict[str, list[float]] = defaultdict(list)
    originals = [(module, name, getattr(module, name)) for module, name in parts]

    def timed(name: str, func: Any) -> Any:
        def run(*args: Any, **kwargs: Any) -> Any:
            started = time.perf_counter()
            try:
                return func(*args, **kwargs)
            finally:
                spent[name].append(time.perf_counter() - started)

        return run

    for module, name, func in originals:
        setattr(module, name, timed(name, func))
    try:
        yield spent
    finally:
        for module, name, func in originals:
            setattr(module, name, func)


def ms(values: list[float]) -> str:
    return f"{statistics.median(values) * 1000:6.1f} ms"


def goal_rows(tenant_id, owner_id, count, rng, today):  # type: ignore[no-untyped-def]
    """`count` goals: one chain of depth 6 (the deep leaf is returned), the rest spread as
    children under random earlier goals, so the forest is several levels deep."""
    rows = []

    def row(parent_id, title):  # type: ignore[no-untyped-def]
        now = datetime.now(UTC)
        return {
            "id": uuid.uuid4(),
            "tenant_id": tenant_id,
            "owner_id": owner_id,
            "parent_id": parent_id,
            "team_id": None,
            "template_id": None,
            "kind": "goal",
            "title": title,
            "what": "A measurable outcome",
            "why": "",
            "how": "",
            "relevance_note": "bench",
            "measure_kind": "numeric",
            "metric_name": "points",
            "unit": "pt",
            "start_value": 0.0,
            "target_value": 100.0,
            "current_value": float(rng.randint(0, 60)),
            "done": False,
            "start_date": today - timedelta(days=30),
            "due_date": today + timedelta(days=60),
            "horizon": "long_term",
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

    parent = None
    for level in range(DEPTH):
        rows.append(row(parent, f"Chain level {level + 1}"))
        parent = rows[-1]["id"]
    leaf = rows[-1]["id"]
    while len(rows) < count:
        anchor = rng.choice(rows[: max(DEPTH, len(rows) // 2)])["id"] if rng.random() < 0.8 else None
        rows.append(row(anchor, f"Goal {len(rows)}"))
    return rows, leaf


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--goals", type=int, default=200)
    parser.add_argument("--tasks", type=int, default=1000)
    parser.add_argument("--checkins", type=int, default=5000)
    parser.add_argument("--repeat", type=int, default=15)
    args = parser.parse_args()

    import sqlalchemy as sa

    from tandem.core import tenancy, unit_of_work
    from tandem.core.db import db
    from tandem.goals import checkins, forest, plans, services, views
    from tandem.goals.models import CheckIn, Goal, GoalTask
    from tandem.people import accounts
    from tandem.people.models import User

    rng = random.Random(11)
    with scratch_database("goals") as url, tempfile.TemporaryDirectory() as tmp:
        app = bench_app(url, Path(tmp))
        with app.app_context():
            tenant, admin = accounts.create_tenant("bench", "Bench", "hr@bench.test", "bench-password-1")
            unit_of_work.commit()
            tenant_id = tenant.id
            engine = db.engine
            with tenancy.tenant_scope(tenant_id):
                owner = User(email="owner@bench.test", name="Owner", manager_id=admin.id)
                db.session.add(owner)
                db.session.flush()
                today = datetime.now(UTC).date()
                goals, leaf = goal_rows(tenant_id, owner.id, args.goals, rng, today)
                tenancy.bulk_insert(db.session, Goal, goals)
                ids = [g["id"] for g in goals]
                now = datetime.now(UTC)
                tasks = [
                    {
                        "id": uuid.uuid4(),
                        "tenant_id": tenant_id,
                        "goal_id": rng.choice(ids),
                        "title": f"Task {i}",
                        "due_date": today + timedelta(days=rng.randint(-5, 60)),
                        "estimate_hours": 2.0,
                        "urgent": rng.random() < 0.4,
                        "important": rng.random() < 0.6,
                        "done": rng.random() < 0.3,
                        "done_at": None,
                        "created_at": now,
                        "updated_at": now,
                    }
                    for i in range(args.tasks)
                ]
                tenancy.bulk_insert(db.session, GoalTask, tasks)
                history = [
                    {
                        "id": uuid.uuid4(),
                        "tenant_id": tenant_id,
                        "goal_id": rng.choice(ids),
                        "author_id": owner.id,
                        "at": now - timedelta(hours=i),
                        "value": float(rng.randint(0, 100)),
                        "done": None,
                        "confidence": rng.randint(1, 5),
                        "note": "weekly check-in",
                        "progress": 0.5,
                    }
                    for i in range(args.checkins)
                ]
                tenancy.bulk_insert(db.session, CheckIn, history)
                unit_of_work.commit()
                analyze(url)  # as the owner: the app's role may not
                owner_id = owner.id

                loads = {"before": os.getloadavg()}
                timings, cpu_times, counts = [], [], []
                parts = ((plans, "tasks_by_goal"), (plans, "obstacles_by_goal"), (checkins, "progress_lines"))
                with part_timers(*parts) as spent:
                    for _ in range(args.repeat):
                        db.session.expunge_all()
                        with counting_statements(engine) as statements:
                            started, cpu_started = time.perf_counter(), time.process_time()
                            # The actor (a request's auth loads it) and the one service call that
                            # GET /api/v1/goals/tree makes.
                            me = db.session.get(User, owner_id)
                            nodes = forest.person_tree(me, owner_id, include_archived=False)
                            timings.append(time.perf_counter() - started)
                            cpu_times.append(time.process_time() - cpu_started)
                        counts.append(len(statements))
                goals_part = [
                    total - sum(spent[name][i] for _module, name in parts) for i, total in enumerate(timings)
                ]
                loaded = (len(nodes), sum(len(n.tasks) for n in nodes), sum(len(n.checkins) for n in nodes))

                # The same read through HTTP (serialising 5,000 check-ins), for information.
                _record, secret = accounts.create_token(db.session.get(User, owner_id), "bench")
                unit_of_work.commit()
            client = app.test_client()
            http_times = []
            # The view, the service call in it and the JSON it sends; the rest is authentication,
            # Flask and flask-smorest around it (and the test client).
            http_parts = ((views.PersonTree, "get"), (forest, "person_tree"), (views, "json_out"))
            bearer = {"Authorization": f"Bearer {secret}"}
            with part_timers(*http_parts) as http_spent:
                for _ in range(args.repeat):
                    with counting_statements(engine) as http_statements:
                        started = time.perf_counter()
                        response = client.get("/api/v1/goals/tree", headers=bearer)
                        http_times.append(time.perf_counter() - started)
            assert response.status_code == 200, response.json
            around = [total - http_spent["get"][i] for i, total in enumerate(http_times)]
            shaping = [
                view - http_spent["person_tree"][i] - http_spent["json_out"][i]
                for i, view in enumerate(http_spent["get"])
            ]

            with tenancy.tenant_scope(tenant_id):
                db.session.expunge_all()
                me = db.session.get(User, owner_id)
                with counting_statements(engine) as checkin_statements:
                    started = time.perf_counter()
                    _checkin, recomputed = checkins.add_checkin(me, leaf, {"value": 80.0, "confidence": 4})
                    unit_of_work.commit()
                    checkin_elapsed = time.perf_counter() - started
                depth = len(services.ancestors(leaf)) + 1
                total_goals = db.session.scalar(sa.select(sa.func.count()).select_from(Goal))
                loads["after"] = os.getloadavg()

    median = statistics.median(timings) * 1000
    load = ", ".join(f"{when} {a:.2f} {b:.2f} {c:.2f}" for when, (a, b, c) in loads.items())
    print(f"goal tree on PostgreSQL ({args.goals} goals, {args.tasks} tasks, {args.checkins} check-ins)")
    print(f"  load average {load} on {os.cpu_count()} CPUs: timings are noisy")
    print(
        f"  tree load (service) : {median:6.1f} ms median of {args.repeat} "
        f"(min {min(timings) * 1000:.1f} ms)  "
        f"{counts[-1]} SQL statements (all runs: {sorted(set(counts))})  target: constant, < 50 ms"
    )
    print(
        f"    parts (medians)   : actor + goals {ms(goals_part)}, tasks {ms(spent['tasks_by_goal'])}, "
        f"obstacles {ms(spent['obstacles_by_goal'])}, progress lines {ms(spent['progress_lines'])}"
    )
    print(
        f"    CPU of this process: {ms(cpu_times)} median (the database's own work not included): "
        "the wall time above is this plus waiting for PostgreSQL and for a CPU"
    )
    print(f"    loaded {loaded[0]} goals, {loaded[1]} tasks, {loaded[2]} check-ins")
    print(
        f"  tree via HTTP       : {statistics.median(http_times) * 1000:6.1f} ms median of {args.repeat}  "
        f"{len(http_statements)} SQL statements (incl. auth); {len(response.data) / 1e6:.2f} MB of JSON "
        "(every goal, task and check-in)"
    )
    print(
        f"    parts (medians)   : auth + Flask around the view {ms(around)}, "
        f"tree load {ms(http_spent['person_tree'])}, arguments + items {ms(shaping)}, "
        f"dump + JSON {ms(http_spent['json_out'])}"
    )
    print(
        f"  check-in at depth {depth} : recomputed {recomputed} of {total_goals} goals "
        f"(the goal and its {recomputed - 1} ancestors), {len(checkin_statements)} SQL statements, "
        f"{checkin_elapsed * 1000:.1f} ms"
    )
    ok = median < 50 and len(set(counts)) == 1 and recomputed == depth
    print("RESULT:", "meets the targets" if ok else "MISSES a target")


if __name__ == "__main__":
    main()
