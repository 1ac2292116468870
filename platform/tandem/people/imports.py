"""Importing people from CSV: load what exists, plan (people.importer), apply in bulk.

Applying is all-or-nothing (one transaction, nothing written while any row has a problem),
idempotent (the same file twice changes nothing the second time) and never deletes: people
missing from the file are deactivated only with `deactivate_missing`.
"""

from __future__ import annotations

import uuid
from dataclasses import asdict
from typing import Any

import sqlalchemy as sa

from ..core import audit, tenancy
from ..core.auth import EMPLOYEE
from ..core.db import db, utcnow
from ..core.errors import Forbidden
from .importer import Existing, ImportOptions, ImportPlan, plan_import, read_csv
from .models import ImportBatch, Team, User

MAX_BYTES = 20 * 1024 * 1024


def _load_existing() -> tuple[dict[str, Existing], dict[str, uuid.UUID], dict[str, uuid.UUID]]:
    teams = {name: team_id for team_id, name in db.session.execute(sa.select(Team.id, Team.name))}
    team_names = {team_id: name for name, team_id in teams.items()}
    people = db.session.execute(
        sa.select(
            User.id,
            User.email,
            User.name,
            User.title,
            User.team_id,
            User.manager_id,
            User.role,
            User.is_active,
        )
    ).all()
    email_of = {row.id: row.email for row in people}
    existing = {
        row.email: Existing(
            email=row.email,
            name=row.name,
            title=row.title,
            team=team_names.get(row.team_id),
            manager_email=email_of.get(row.manager_id),
            role=row.role,
            is_active=row.is_active,
        )
        for row in people
    }
    ids = {row.email: row.id for row in people}
    return existing, ids, teams


def plan(
    actor: User | None, text: str, options: ImportOptions
) -> tuple[ImportPlan, dict[str, uuid.UUID], dict[str, uuid.UUID]]:
    rows, read_problems, warnings = read_csv(text)
    existing, ids, teams = _load_existing()
    result = plan_import(rows, existing, teams, options, actor_email=actor.email if actor else None)
    result.problems = read_problems + result.problems
    result.warnings = warnings + result.warnings
    return result, ids, teams


def import_people(
    actor: User | None, text: str, options: ImportOptions, *, dry_run: bool, filename: str = "people.csv"
) -> dict[str, Any]:
    """Check (and unless `dry_run`, apply) a people CSV; returns the report. `actor` None is the
    operator on the command line (trusted, recorded in the audit log as no person)."""
    if actor is not None and not actor.is_hr_admin:
        raise Forbidden("Only an HR admin can import people")
    result, ids, teams = plan(actor, text, options)
    applied = False
    if result.valid and not dry_run:
        _apply(actor, result, ids, teams)
        audit.record(
            "people.import",
            "import",
            None,
            actor.id if actor else None,
            {"filename": filename, "source": "api" if actor else "cli", **result.summary()},
        )
        applied = True
    return report(result, dry_run=dry_run, applied=applied)


def report(result: ImportPlan, *, dry_run: bool, applied: bool) -> dict[str, Any]:
    return {
        "dry_run": dry_run,
        "valid": result.valid,
        "applied": applied,
        "summary": result.summary(),
        "problems": [asdict(p) for p in result.problems],
        "warnings": result.warnings,
        "changes": [asdict(c) for c in result.changes if c.action != "unchanged"],
    }


def _apply(
    actor: User | None, result: ImportPlan, ids: dict[str, uuid.UUID], teams: dict[str, uuid.UUID]
) -> None:
    tenant_id, now = tenancy.current_tenant_id(), utcnow()
    team_ids = dict(teams)
    new_teams = []
    for name in result.teams_to_create:
        team_ids[name] = uuid.uuid4()
        new_teams.append(
            {
                "id": team_ids[name],
                "tenant_id": tenant_id,
                "name": name,
                "description": "",
                "created_at": now,
                "updated_at": now,
            }
        )
    if new_teams:
        tenancy.bulk_insert(db.session, Team, new_teams)

    by_email = {person.email: person for person in result.rows}
    creates = [c for c in result.changes if c.action == "create"]
    for change in creates:
        ids[change.email] = uuid.uuid4()

    def target(change_fields: dict[str, list[Any]], key: str, current: Any) -> Any:
        return change_fields[key][1] if key in change_fields else current

    new_rows, new_managers = [], []
    for change in creates:
        person = by_email[change.email]
        manager = change.fields["manager_email"][1]
        team = change.fields["team"][1]
        new_rows.append(
            {
                "id": ids[change.email],
                "tenant_id": tenant_id,
                "email": change.email,
                "name": person.name,
                "title": person.title or "",
                "team_id": team_ids[team] if team else None,
                "manager_id": None,
                "role": person.role or EMPLOYEE,
                "is_active": True,
                "session_nonce": uuid.uuid4().hex[:16],
                "created_at": now,
                "updated_at": now,
            }
        )
        if manager:
            new_managers.append({"_id": ids[change.email], "manager_id": ids[manager]})
    # People first, reporting lines second: then no insert waits on a manager inserted later,
    # and the foreign-key checks run against a table whose statistics know its size.
    tenancy.bulk_insert(db.session, User, new_rows)
    if len(new_rows) > 500:
        _refresh_statistics()
    _set_managers(tenant_id, new_managers)

    users = User.__table__
    updates = [c for c in result.changes if c.action in ("update", "reactivate")]
    if updates:
        current = {
            row.email: row
            for row in db.session.execute(
                sa.select(User.email, User.name, User.title, User.team_id, User.manager_id, User.role).where(
                    User.email.in_([c.email for c in updates])
                )
            )
        }
        params = []
        for change in updates:
            row, fields = current[change.email], change.fields
            team = target(fields, "team", None)
            manager = target(fields, "manager_email", None)
            params.append(
                {
                    "_id": ids[change.email],
                    "name": target(fields, "name", row.name),
                    "title": target(fields, "title", row.title) or "",
                    "team_id": (team_ids[team] if team else None) if "team" in fields else row.team_id,
                    "manager_id": (ids[manager] if manager else None)
                    if "manager_email" in fields
                    else row.manager_id,
                    "role": target(fields, "role", row.role),
                }
            )
        # Core executemany with an explicit tenant condition (bulk ORM updates cannot carry one).
        db.session.execute(
            sa.update(users)
            .where(users.c.tenant_id == tenant_id, users.c.id == sa.bindparam("_id"))
            .values(
                name=sa.bindparam("name"),
                title=sa.bindparam("title"),
                team_id=sa.bindparam("team_id"),
                manager_id=sa.bindparam("manager_id"),
                role=sa.bindparam("role"),
                is_active=True,
                deactivated_at=None,
                updated_at=now,
            ),
            params,
        )
    leaving = [ids[c.email] for c in result.changes if c.action == "deactivate"]
    if leaving:
        db.session.execute(
            sa.update(users)
            .where(users.c.tenant_id == tenant_id, users.c.id.in_(leaving))
            .values(is_active=False, deactivated_at=now, updated_at=now, session_nonce=uuid.uuid4().hex[:16])
        )
    audit.record_many(
        [
            {
                "actor_id": actor.id if actor else None,
                "action": f"person.{change.action}",
                "entity_type": "person",
                "entity_id": ids[change.email],
                "changes": {**change.fields, "source": "import"},
            }
            for change in result.changes
            if change.action != "unchanged"
        ]
    )
    db.session.expire_all()


def _refresh_statistics() -> None:
    """After a large insert, let PostgreSQL re-plan: its cached foreign-key check plans were made
    when the table was small, and a sequential scan per checked row turns a bulk load quadratic.
    ANALYZE refreshes the statistics and invalidates those plans. Only the table's owner may run
    it, and the app's role is not the owner: migration 0007's function runs it as the owner."""
    if db.session.get_bind().dialect.name == "postgresql":
        db.session.execute(sa.text("SELECT tandem_analyze_users()"))


def _set_managers(tenant_id: uuid.UUID, pairs: list[dict[str, Any]]) -> None:
    if not pairs:
        return
    users = User.__table__
    if db.session.get_bind().dialect.name == "postgresql":
        # One UPDATE ... FROM (VALUES ...) per few thousand people instead of one per person.
        for start in range(0, len(pairs), 5000):
            chunk = pairs[start : start + 5000]
            values = sa.values(
                sa.column("person_id", sa.Uuid), sa.column("boss_id", sa.Uuid), name="reporting"
            ).data([(p["_id"], p["manager_id"]) for p in chunk])
            db.session.execute(
                sa.update(users)
                .where(users.c.tenant_id == tenant_id, users.c.id == values.c.person_id)
                .values(manager_id=values.c.boss_id)
            )
        return
    db.session.execute(
        sa.update(users)
        .where(users.c.tenant_id == tenant_id, users.c.id == sa.bindparam("_id"))
        .values(manager_id=sa.bindparam("manager_id")),
        pairs,
    )


# --- background imports ---------------------------------------------------------------------------


def store_batch(actor: User, filename: str, text: str, options: ImportOptions) -> ImportBatch:
    if not actor.is_hr_admin:
        raise Forbidden("Only an HR admin can import people")
    batch = ImportBatch(
        filename=filename[:255], content=text, options=asdict(options), created_by_id=actor.id
    )
    db.session.add(batch)
    db.session.flush()
    return batch
