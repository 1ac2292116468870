"""The tenant's learning catalogue (items HR admins curate, tagged with skills) and role profiles
(what a job title or career step requires), with people's career paths. HR writes are audited."""

from __future__ import annotations

import uuid
from collections import defaultdict
from typing import Any

import sqlalchemy as sa

from ..core import audit
from ..core.db import db
from ..core.errors import Forbidden, NotFound, field_error
from ..people.models import User
from . import services
from .models import (
    CERTIFICATION,
    CareerPath,
    CatalogueItem,
    CatalogueItemSkill,
    RoleProfile,
    RoleRequirement,
    Skill,
)

ITEM_FIELDS = ("title", "kind", "provider", "url", "hours", "description", "validity_months", "is_active")
PROFILE_FIELDS = ("name", "job_title", "track", "description", "next_profile_id", "is_active")


def _text(data: dict[str, Any], name: str, *, required: bool = False) -> None:
    if name in data:
        data[name] = (
            " ".join((data[name] or "").split())
            if name in ("title", "name")
            else ((data[name] or "").strip())
        )
        if required and not data[name]:
            raise field_error(name, "is required")


def _skill_levels(entries: list[dict[str, Any]], field: str) -> dict[uuid.UUID, dict[str, Any]]:
    wanted: dict[uuid.UUID, dict[str, Any]] = {}
    for entry in entries:
        if entry["skill_id"] in wanted:
            raise field_error(field, f"skill {entry['skill_id']} is listed twice")
        wanted[entry["skill_id"]] = entry
    services.usable_skills(wanted, field)
    return wanted


def skill_tags(ids: list[uuid.UUID], model: Any, owner: str) -> dict[uuid.UUID, list[dict[str, Any]]]:
    """Skills (id, name, level and note where the model has them) per owner row, in one query."""
    found: dict[uuid.UUID, list[dict[str, Any]]] = defaultdict(list)
    if not ids:
        return found
    owner_col = getattr(model, owner)
    rows = db.session.execute(
        sa.select(model, Skill.name, Skill.status, Skill.level_descriptions)
        .join(Skill, Skill.id == model.skill_id)
        .where(owner_col.in_(ids))
        .order_by(Skill.name)
    )
    for row, name, status, descriptions in rows:
        entry = {"skill_id": row.skill_id, "name": name, "skill_status": status}
        level = getattr(row, "level", None)
        if level is not None:
            entry["level"] = level
            entry["level_description"] = (descriptions or [""] * 5)[level - 1] if descriptions else ""
        if hasattr(row, "note"):
            entry["note"] = row.note
        found[getattr(row, owner)].append(entry)
    return found


# --- the learning catalogue -----------------------------------------------------------------------


def catalogue_query(args: dict[str, Any]) -> sa.Select[tuple[CatalogueItem]]:
    stmt = sa.select(CatalogueItem)
    if not args.get("include_inactive"):
        stmt = stmt.where(CatalogueItem.is_active.is_(True))
    if args.get("kind"):
        stmt = stmt.where(CatalogueItem.kind == args["kind"])
    if args.get("skill_id"):
        tagged = sa.select(CatalogueItemSkill.item_id).where(
            CatalogueItemSkill.skill_id.in_(list(services.merged_sources([args["skill_id"]])))
        )
        stmt = stmt.where(CatalogueItem.id.in_(tagged))
    if args.get("q"):
        term = args["q"].strip().lower()
        stmt = stmt.where(
            sa.or_(
                sa.func.lower(CatalogueItem.title).contains(term, autoescape=True),
                sa.func.lower(CatalogueItem.provider).contains(term, autoescape=True),
            )
        )
    return stmt.order_by(CatalogueItem.title, CatalogueItem.id)


def get_catalogue_item(item_id: uuid.UUID) -> CatalogueItem:
    item = db.session.get(CatalogueItem, item_id)
    if item is None:
        raise NotFound("No such catalogue item")
    return item


def _item_state(item: CatalogueItem | None, data: dict[str, Any]) -> dict[str, Any]:
    _text(data, "title", required=True)
    for name in ("provider", "url", "description"):
        _text(data, name)
    state = {name: getattr(item, name) for name in ITEM_FIELDS} if item else {}
    state.update({k: v for k, v in data.items() if k in ITEM_FIELDS})
    if state.get("validity_months") is not None and state.get("kind") != CERTIFICATION:
        raise field_error("validity_months", "only certifications have a validity")
    return state


def _item_snapshot(item: CatalogueItem, skills: dict[str, int]) -> dict[str, Any]:
    return {**{name: getattr(item, name) for name in ITEM_FIELDS}, "skills": skills}


def _set_item_skills(item: CatalogueItem, wanted: dict[uuid.UUID, dict[str, Any]]) -> None:
    db.session.execute(sa.delete(CatalogueItemSkill).where(CatalogueItemSkill.item_id == item.id))
    for skill_id, entry in wanted.items():
        db.session.add(CatalogueItemSkill(item_id=item.id, skill_id=skill_id, level=entry.get("level", 3)))
    db.session.flush()


def _current_item_skills(item_id: uuid.UUID) -> dict[str, int]:
    rows = db.session.execute(
        sa.select(CatalogueItemSkill.skill_id, CatalogueItemSkill.level).where(
            CatalogueItemSkill.item_id == item_id
        )
    )
    return {str(skill_id): level for skill_id, level in rows}


def create_catalogue_item(actor: User, data: dict[str, Any]) -> CatalogueItem:
    services.require_hr(actor, "curate the learning catalogue")
    state = _item_state(None, data)
    wanted = _skill_levels(data.get("skills") or [], "skills")
    item = CatalogueItem(created_by_id=actor.id, **state)
    db.session.add(item)
    db.session.flush()
    _set_item_skills(item, wanted)
    after = _item_snapshot(item, {str(k): v.get("level", 3) for k, v in wanted.items()})
    audit.record("catalogue_item.create", "catalogue_item", item.id, actor.id, audit.diff({}, after))
    return item


def update_catalogue_item(actor: User, item_id: uuid.UUID, data: dict[str, Any]) -> CatalogueItem:
    services.require_hr(actor, "curate the learning catalogue")
    item = get_catalogue_item(item_id)
    before = _item_snapshot(item, _current_item_skills(item.id))
    state = _item_state(item, data)
    wanted = _skill_levels(data["skills"], "skills") if "skills" in data else None
    for name, value in state.items():
        if getattr(item, name) != value:
            setattr(item, name, value)
    if wanted is not None:
        _set_item_skills(item, wanted)
    db.session.flush()
    changes = audit.diff(before, _item_snapshot(item, _current_item_skills(item.id)))
    if changes:
        audit.record("catalogue_item.update", "catalogue_item", item.id, actor.id, changes)
    return item


# --- role profiles --------------------------------------------------------------------------------


def profiles_query(args: dict[str, Any]) -> sa.Select[tuple[RoleProfile]]:
    stmt = sa.select(RoleProfile)
    if not args.get("include_inactive"):
        stmt = stmt.where(RoleProfile.is_active.is_(True))
    if args.get("track"):
        stmt = stmt.where(sa.func.lower(RoleProfile.track) == args["track"].strip().lower())
    if args.get("q"):
        term = args["q"].strip().lower()
        stmt = stmt.where(
            sa.or_(
                sa.func.lower(RoleProfile.name).contains(term, autoescape=True),
                sa.func.lower(sa.func.coalesce(RoleProfile.job_title, "")).contains(term, autoescape=True),
            )
        )
    return stmt.order_by(RoleProfile.track, RoleProfile.name, RoleProfile.id)


def get_profile(profile_id: uuid.UUID) -> RoleProfile:
    profile = db.session.get(RoleProfile, profile_id)
    if profile is None:
        raise NotFound("No such role profile")
    return profile


def _profile_state(profile: RoleProfile | None, data: dict[str, Any]) -> dict[str, Any]:
    _text(data, "name", required=True)
    for name in ("track", "description"):
        _text(data, name)
    if "job_title" in data:
        data["job_title"] = " ".join((data["job_title"] or "").split()) or None
    if "name" in data:
        clash = db.session.scalar(
            sa.select(RoleProfile.id).where(sa.func.lower(RoleProfile.name) == data["name"].lower())
        )
        if clash is not None and (profile is None or clash != profile.id):
            raise field_error("name", "a role profile with this name exists")
    if data.get("next_profile_id") is not None:
        nxt = db.session.get(RoleProfile, data["next_profile_id"])
        if nxt is None:
            raise field_error("next_profile_id", "no such role profile in this organisation")
        if profile is not None and nxt.id == profile.id:
            raise field_error("next_profile_id", "a role cannot be its own next step")
    state = {name: getattr(profile, name) for name in PROFILE_FIELDS} if profile else {}
    state.update({k: v for k, v in data.items() if k in PROFILE_FIELDS})
    return state


def _set_requirements(profile: RoleProfile, wanted: dict[uuid.UUID, dict[str, Any]]) -> None:
    db.session.execute(sa.delete(RoleRequirement).where(RoleRequirement.role_profile_id == profile.id))
    for skill_id, entry in wanted.items():
        db.session.add(
            RoleRequirement(
                role_profile_id=profile.id,
                skill_id=skill_id,
                level=entry["level"],
                note=(entry.get("note") or "").strip(),
            )
        )
    db.session.flush()


def _requirements_snapshot(profile_id: uuid.UUID) -> dict[str, int]:
    rows = db.session.execute(
        sa.select(RoleRequirement.skill_id, RoleRequirement.level).where(
            RoleRequirement.role_profile_id == profile_id
        )
    )
    return {str(skill_id): level for skill_id, level in rows}


def _profile_snapshot(profile: RoleProfile) -> dict[str, Any]:
    return {
        **{name: getattr(profile, name) for name in PROFILE_FIELDS},
        "requirements": _requirements_snapshot(profile.id),
    }


def create_profile(actor: User, data: dict[str, Any]) -> RoleProfile:
    services.require_hr(actor, "define role profiles")
    state = _profile_state(None, data)
    wanted = _skill_levels(data.get("requirements") or [], "requirements")
    profile = RoleProfile(**state)
    db.session.add(profile)
    db.session.flush()
    _set_requirements(profile, wanted)
    audit.record(
        "role_profile.create",
        "role_profile",
        profile.id,
        actor.id,
        audit.diff({}, _profile_snapshot(profile)),
    )
    return profile


def update_profile(actor: User, profile_id: uuid.UUID, data: dict[str, Any]) -> RoleProfile:
    services.require_hr(actor, "change role profiles")
    profile = get_profile(profile_id)
    before = _profile_snapshot(profile)
    state = _profile_state(profile, data)
    wanted = _skill_levels(data["requirements"], "requirements") if "requirements" in data else None
    for name, value in state.items():
        if getattr(profile, name) != value:
            setattr(profile, name, value)
    if wanted is not None:
        _set_requirements(profile, wanted)
    db.session.flush()
    changes = audit.diff(before, _profile_snapshot(profile))
    if changes:
        audit.record("role_profile.update", "role_profile", profile.id, actor.id, changes)
    return profile


# --- career paths ---------------------------------------------------------------------------------


def role_profile_of(person: User, path: CareerPath | None) -> tuple[RoleProfile | None, str | None]:
    """The person's role profile and where it came from: assigned, or matched by job title."""
    if path is not None and path.role_profile_id is not None:
        return db.session.get(RoleProfile, path.role_profile_id), "assigned"
    title = " ".join((person.title or "").split()).lower()
    if not title:
        return None, None
    matched = db.session.scalar(
        sa.select(RoleProfile)
        .where(sa.func.lower(RoleProfile.job_title) == title, RoleProfile.is_active.is_(True))
        .order_by(RoleProfile.name, RoleProfile.id)
        .limit(1)
    )
    return (matched, "job_title") if matched is not None else (None, None)


def career_path_of(person_id: uuid.UUID) -> CareerPath | None:
    return db.session.scalar(sa.select(CareerPath).where(CareerPath.person_id == person_id))


def career_out(person: User) -> dict[str, Any]:
    path = career_path_of(person.id)
    profile, source = role_profile_of(person, path)
    target = db.session.get(RoleProfile, path.target_profile_id) if path and path.target_profile_id else None
    suggested = (
        db.session.get(RoleProfile, profile.next_profile_id) if profile and profile.next_profile_id else None
    )
    return {
        "person_id": person.id,
        "role_profile": profile,
        "role_profile_source": source,
        "target_profile": target,
        "suggested_next_profile": suggested,
    }


def set_career_path(actor: User, person_id: uuid.UUID, data: dict[str, Any]) -> User:
    """The person (or a manager above them) chooses the next step; HR admins and the manager chain
    assign the current role profile (otherwise it is matched by job title)."""
    person = services.readable_person(actor, person_id)
    above = services.is_above(actor, person.id)
    if "role_profile_id" in data and not (actor.is_hr_admin or above):
        raise Forbidden("Only HR admins and the person's managers assign a role profile")
    if "target_profile_id" in data and not (actor.id == person.id or above):
        raise Forbidden("Only the person and their managers choose the next career step")
    for name in ("role_profile_id", "target_profile_id"):
        if data.get(name) is not None:
            profile = db.session.get(RoleProfile, data[name])
            if profile is None or not profile.is_active:
                raise field_error(name, "no such active role profile in this organisation")
    path = career_path_of(person.id)
    if path is None:
        path = CareerPath(person_id=person.id)
        db.session.add(path)
    for name in ("role_profile_id", "target_profile_id"):
        if name in data:
            setattr(path, name, data[name])
    db.session.flush()
    return person
