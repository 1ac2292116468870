"""People and teams: reading the directory and org chart, and HR admins' writes to them."""

from __future__ import annotations

import re
import uuid
from typing import Any

import sqlalchemy as sa

from ..core import audit
from ..core.auth import EMPLOYEE, ROLES
from ..core.db import db, utcnow
from ..core.errors import Conflict, Forbidden, NotFound, ValidationFailed, field_error
from ..core.security import hash_password
from . import orgchart
from .accounts import check_password_strength
from .models import Team, User

_EMAIL = re.compile(r"^[^@\s,;<>\"]+@[^@\s,;<>\"]+\.[^@\s,;<>\".]+$")
_AUDITED_FIELDS = ("email", "name", "title", "team_id", "manager_id", "role", "is_active")


def normalise_email(value: str, field: str = "email") -> str:
    email = (value or "").strip().lower()
    if not email or len(email) > 254 or not _EMAIL.match(email):
        raise field_error(field, "not a valid email address")
    return email


def _require_hr(actor: User) -> None:
    if not actor.is_hr_admin:
        raise Forbidden("Only an HR admin can do this")


def get_person(person_id: uuid.UUID) -> User:
    person = db.session.get(User, person_id)
    if person is None:
        raise NotFound("No such person")
    return person


def people_query(
    *,
    q: str | None = None,
    team_id: uuid.UUID | None = None,
    manager_id: uuid.UUID | None = None,
    role: str | None = None,
    include_inactive: bool = False,
) -> sa.Select[tuple[User]]:
    """The directory everyone in an organisation may read (people need it to nominate reviewers
    and find mentors); filters narrow it."""
    stmt = sa.select(User).order_by(User.name, User.id)
    if not include_inactive:
        stmt = stmt.where(User.is_active.is_(True))
    if q:
        # autoescape: "%" and "_" typed in a search box are characters to find, not wildcards.
        term = q.strip().lower()
        stmt = stmt.where(
            sa.or_(
                sa.func.lower(User.name).contains(term, autoescape=True),
                User.email.contains(term, autoescape=True),
                sa.func.lower(User.title).contains(term, autoescape=True),
            )
        )
    if team_id:
        stmt = stmt.where(User.team_id == team_id)
    if manager_id:
        stmt = stmt.where(User.manager_id == manager_id)
    if role:
        stmt = stmt.where(User.role == role)
    return stmt


def can_see_reports_of(actor: User, person_id: uuid.UUID) -> bool:
    """A person's reports and subtree are for them, anyone above them, and HR admins."""
    return actor.is_hr_admin or actor.id == person_id or orgchart.is_below(person_id, actor.id)


def reports_of(actor: User, person_id: uuid.UUID, *, whole_subtree: bool) -> list[tuple[User, int]]:
    get_person(person_id)
    if not can_see_reports_of(actor, person_id):
        raise Forbidden("Only this person, their managers and HR admins can see their reports")
    if whole_subtree:
        return orgchart.subtree(person_id)
    return [(person, 1) for person in orgchart.direct_reports(person_id)]


def _check_manager(person_id: uuid.UUID | None, manager_id: uuid.UUID) -> None:
    manager = db.session.get(User, manager_id)
    if manager is None:
        raise field_error("manager_id", "no such person in this organisation")
    if not manager.is_active:
        raise field_error("manager_id", "this person is deactivated")
    if person_id is not None:
        if manager_id == person_id:
            raise field_error("manager_id", "a person cannot be their own manager")
        if orgchart.is_below(manager_id, person_id):
            raise field_error("manager_id", "this person reports to them: it would make a cycle")


def _check_team(team_id: uuid.UUID) -> None:
    if db.session.get(Team, team_id) is None:
        raise field_error("team_id", "no such team in this organisation")


def _required_name(value: str) -> str:
    # The schema counts characters before trimming: "   " would otherwise store a blank name.
    name = value.strip()
    if not name:
        raise field_error("name", "is required")
    return name


def _check_unique_email(email: str, person_id: uuid.UUID | None) -> None:
    clash = db.session.scalar(sa.select(User.id).where(User.email == email))
    if clash is not None and clash != person_id:
        raise ValidationFailed(
            "email: already used", {"email": ["already used by someone in this organisation"]}
        )


def _snapshot(person: User) -> dict[str, Any]:
    return {name: getattr(person, name) for name in _AUDITED_FIELDS}


def create_person(actor: User, data: dict[str, Any]) -> User:
    _require_hr(actor)
    name = _required_name(data["name"])
    email = normalise_email(data["email"])
    _check_unique_email(email, None)
    if data.get("manager_id"):
        _check_manager(None, data["manager_id"])
    if data.get("team_id"):
        _check_team(data["team_id"])
    person = User(
        email=email,
        name=name,
        title=(data.get("title") or "").strip(),
        team_id=data.get("team_id"),
        manager_id=data.get("manager_id"),
        role=data.get("role") or EMPLOYEE,
    )
    if data.get("password"):
        check_password_strength(data["password"])
        person.password_hash = hash_password(data["password"])
    db.session.add(person)
    db.session.flush()
    audit.record("person.create", "person", person.id, actor.id, audit.diff({}, _snapshot(person)))
    return person


def update_person(actor: User, person_id: uuid.UUID, data: dict[str, Any]) -> User:
    _require_hr(actor)
    person = get_person(person_id)
    before = _snapshot(person)
    if "name" in data:
        data["name"] = _required_name(data["name"])
    if "email" in data:
        data["email"] = normalise_email(data["email"])
        _check_unique_email(data["email"], person.id)
    if data.get("manager_id") is not None:
        _check_manager(person.id, data["manager_id"])
    if data.get("team_id") is not None:
        _check_team(data["team_id"])
    if "role" in data:
        if data["role"] not in ROLES:
            raise field_error("role", f"must be one of {', '.join(ROLES)}")
        if person.id == actor.id and data["role"] != actor.role:
            raise field_error("role", "you cannot change your own role")
    for name in ("email", "name", "title", "team_id", "manager_id", "role"):
        if name in data:
            value = data[name]
            setattr(person, name, value.strip() if isinstance(value, str) else value)
    if data.get("password"):
        check_password_strength(data["password"])
        person.password_hash = hash_password(data["password"])
        person.session_nonce = uuid.uuid4().hex[:16]  # sign them out everywhere
    db.session.flush()
    changes = audit.diff(before, _snapshot(person))
    if data.get("password"):
        changes["password"] = ["(hidden)", "(changed)"]
    if changes:
        audit.record("person.update", "person", person.id, actor.id, changes)
    return person


def set_active(actor: User, person_id: uuid.UUID, active: bool) -> User:
    _require_hr(actor)
    person = get_person(person_id)
    if person.id == actor.id and not active:
        raise Conflict("You cannot deactivate your own account")
    if person.is_active == active:
        return person
    person.is_active = active
    person.deactivated_at = None if active else utcnow()
    person.session_nonce = uuid.uuid4().hex[:16]
    db.session.flush()
    audit.record(
        "person.reactivate" if active else "person.deactivate",
        "person",
        person.id,
        actor.id,
        {"is_active": [not active, active]},
    )
    return person


# --- teams ---------------------------------------------------------------------------------------


def teams_query() -> sa.Select[tuple[Team]]:
    return sa.select(Team).order_by(Team.name, Team.id)


def team_headcounts() -> dict[uuid.UUID, int]:
    rows = db.session.execute(
        sa.select(User.team_id, sa.func.count())
        .where(User.is_active.is_(True), User.team_id.is_not(None))
        .group_by(User.team_id)
    )
    return dict(rows.all())


def get_team(team_id: uuid.UUID) -> Team:
    team = db.session.get(Team, team_id)
    if team is None:
        raise NotFound("No such team")
    return team


def _check_team_name(name: str, team_id: uuid.UUID | None) -> str:
    name = name.strip()
    if not name:
        raise field_error("name", "is required")
    clash = db.session.scalar(sa.select(Team.id).where(sa.func.lower(Team.name) == name.lower()))
    if clash is not None and clash != team_id:
        raise field_error("name", "a team with this name exists")
    return name


def create_team(actor: User, data: dict[str, Any]) -> Team:
    _require_hr(actor)
    team = Team(name=_check_team_name(data["name"], None), description=data.get("description") or "")
    db.session.add(team)
    db.session.flush()
    audit.record("team.create", "team", team.id, actor.id, {"name": [None, team.name]})
    return team


def update_team(actor: User, team_id: uuid.UUID, data: dict[str, Any]) -> Team:
    _require_hr(actor)
    team = get_team(team_id)
    before = {"name": team.name, "description": team.description}
    if "name" in data:
        team.name = _check_team_name(data["name"], team.id)
    if "description" in data:
        team.description = data["description"] or ""
    db.session.flush()
    changes = audit.diff(before, {"name": team.name, "description": team.description})
    if changes:
        audit.record("team.update", "team", team.id, actor.id, changes)
    return team


def delete_team(actor: User, team_id: uuid.UUID) -> None:
    _require_hr(actor)
    team = get_team(team_id)
    members = db.session.scalar(sa.select(sa.func.count()).where(User.team_id == team.id))
    if members:
        raise Conflict(f"The team still has {members} people; move them first")
    audit.record("team.delete", "team", team.id, actor.id, {"name": [team.name, None]})
    db.session.delete(team)
    db.session.flush()
