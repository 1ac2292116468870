"""Benchmark: importing a 10,000-person CSV (6 management levels) on PostgreSQL, and reading a
2,000-person subtree. Prints wall times and SQL statement counts against the issue's targets:
import <= 5 s end to end with bulk statements; subtree reads in a constant number of queries.

Run: .venv/bin/python benchmarks/import_people.py [--people 10000]
"""

from __future__ import annotations

import argparse
import random
import sys
import tempfile
import time
from pathlib import Path

# Run as a script, this folder comes first on sys.path, where benchmarks/matching.py would shadow
# the matching engine that tandem imports: put the repository root ahead of it.
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from _support import bench_app, counting_statements, scratch_database


def org_csv(people: int, levels: int = 6, seed: int = 7) -> tuple[str, list[str]]:
    """A tree with `levels` management levels: level sizes grow geometrically to `people`."""
    rng = random.Random(seed)
    growth = people ** (1 / levels)
    sizes = [max(1, round(growth**level)) for level in range(levels)]
    sizes.append(people - sum(sizes))
    rows = ["email,name,title,team,manager_email,role"]
    previous: list[str] = []
    emails_by_level = []
    counter = 0
    for level, size in enumerate(sizes):
        current = []
        for _ in range(size):
            email = f"p{counter}@bench.test"
            manager = rng.choice(previous) if previous else ""
            role = "hr_admin" if counter == 1 else "employee"
            rows.append(f"{email},Person {counter},Level {level} title,Team {counter % 40},{manager},{role}")
            current.append(email)
            counter += 1
        emails_by_level.append(current)
        previous = current
    return "\n".join(rows) + "\n", [e for level in emails_by_level for e in level]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--people", type=int, default=10_000)
    args = parser.parse_args()

    import sqlalchemy as sa

    from tandem.core import tenancy, unit_of_work
    from tandem.core.db import db
    from tandem.people import accounts, orgchart
    from tandem.people.importer import ImportOptions
    from tandem.people.imports import import_people
    from tandem.people.models import User

    text, _emails = org_csv(args.people)
    with scratch_database("import") as url, tempfile.TemporaryDirectory() as tmp:
        app = bench_app(url, Path(tmp))
        with app.app_context():
            tenant, _admin = accounts.create_tenant("bench", "Bench", "p1@bench.test", "bench-password-1")
            unit_of_work.commit()
            engine = db.engine
            with tenancy.tenant_scope(tenant.id):
                with counting_statements(engine) as statements:
                    started = time.perf_counter()
                    report = import_people(None, text, ImportOptions(), dry_run=False)
                    unit_of_work.commit()
                    elapsed = time.perf_counter() - started
                assert report["applied"], report["problems"][:5]
                with counting_statements(engine) as again_statements:
                    started = time.perf_counter()
                    again = import_people(None, text, ImportOptions(), dry_run=False)
                    unit_of_work.commit()
                    again_elapsed = time.perf_counter() - started

                # The manager whose subtree is closest to 2,000 people (sizes from one read).
                parent = dict(db.session.execute(sa.select(User.id, User.manager_id)).all())
                sizes: dict = {}
                for person in parent:
                    boss = parent[person]
                    while boss is not None:
                        sizes[boss] = sizes.get(boss, 0) + 1
                        boss = parent[boss]
                big = min(sizes, key=lambda m: abs(sizes[m] - 2000))
                small = min(sizes, key=lambda m: sizes[m])
                timings = {}
                counts = {}
                for label, manager in (("large", big), ("small", small)):
                    db.session.expunge_all()
                    with counting_statements(engine) as subtree_statements:
                        started = time.perf_counter()
                        people = orgchart.subtree(manager)
                        timings[label] = time.perf_counter() - started
                    counts[label] = (len(people), len(subtree_statements))

    summary = report["summary"]
    print(f"people CSV import on PostgreSQL ({args.people} people, 6 management levels)")
    print(
        f"  first import : {elapsed:6.2f} s  {len(statements):4d} SQL statements  "
        f"(created {summary['create']}, teams {summary['teams_created']})   target: <= 5 s, bulk statements"
    )
    print(
        f"  same file    : {again_elapsed:6.2f} s  {len(again_statements):4d} SQL statements  "
        f"(unchanged {again['summary']['unchanged']})"
    )
    for label in ("large", "small"):
        size, queries = counts[label]
        print(
            f"  subtree read : {size:5d} people below a manager  {queries} SQL statement(s)  "
            f"{timings[label] * 1000:6.1f} ms"
        )
    print("  target: the same constant number of statements for any subtree size")
    ok = elapsed <= 5 and counts["large"][1] == counts["small"][1]
    print("RESULT:", "meets the targets" if ok else "MISSES a target")


if __name__ == "__main__":
    main()
