"""The reporting chain: subtrees and management chains in one recursive query each."""

from __future__ import annotations

import uuid
from collections.abc import Sequence

import sqlalchemy as sa

from ..core import trees
from ..core.db import db
from .models import User


def _subtree_cte(root_id: uuid.UUID, name: str = "subtree") -> sa.CTE:
    # Composite foreign keys keep every edge inside one tenant.
    return trees.descendants(User.id, User.manager_id, root_id, name)


def subtree(root_id: uuid.UUID, *, include_inactive: bool = False) -> list[tuple[User, int]]:
    """Everyone below `root_id` with their depth (1 = direct report), in one query."""
    tree = _subtree_cte(root_id)
    stmt = (
        sa.select(User, tree.c.depth)
        .join(tree, tree.c.id == User.id)
        .order_by(tree.c.depth, User.name, User.id)
    )
    if not include_inactive:
        stmt = stmt.where(User.is_active.is_(True))
    return [(user, depth) for user, depth in db.session.execute(stmt).all()]


def subtree_select(
    root_id: uuid.UUID, *, include_inactive: bool = False, name: str = "subtree"
) -> sa.Select[tuple[uuid.UUID]]:
    """A SELECT of the ids below `root_id`, to use inside another query (`x.in_(...)`): the
    subtree never travels to Python, whatever its size. Two in one statement need two names."""
    tree = _subtree_cte(root_id, name)
    stmt = sa.select(tree.c.id)
    if not include_inactive:
        stmt = stmt.join(User, User.id == tree.c.id).where(User.is_active.is_(True))
    return stmt


def subtree_ids(root_id: uuid.UUID, *, include_inactive: bool = False) -> set[uuid.UUID]:
    """The ids `subtree` would list: deactivated people are left out unless asked for, so a
    count made from this agrees with the subtree people read."""
    return set(db.session.scalars(subtree_select(root_id, include_inactive=include_inactive)))


def subtree_size(root_id: uuid.UUID) -> int:
    """How many active people are below `root_id` (counted in SQL: a CEO's is the company)."""
    below = subtree_select(root_id).subquery()
    return db.session.scalar(sa.select(sa.func.count()).select_from(below)) or 0


def is_below(person_id: uuid.UUID, manager_id: uuid.UUID) -> bool:
    """True when `person_id` is somewhere in `manager_id`'s subtree. Walks up the person's chain
    (a handful of rows) rather than down the manager's subtree (all of the company for a CEO)."""
    up = trees.ancestors(User.id, User.manager_id, person_id, "chain_up")
    return db.session.scalar(sa.select(sa.exists().where(up.c.id == manager_id))) or False


def chain(person_id: uuid.UUID) -> list[User]:
    """The management chain above a person, nearest manager first, in one query."""
    up = trees.ancestors(User.id, User.manager_id, person_id, "chain")
    return list(db.session.scalars(sa.select(User).join(up, up.c.id == User.id).order_by(up.c.level)))


def direct_reports(manager_id: uuid.UUID, *, include_inactive: bool = False) -> Sequence[User]:
    stmt = sa.select(User).where(User.manager_id == manager_id).order_by(User.name, User.id)
    if not include_inactive:
        stmt = stmt.where(User.is_active.is_(True))
    return db.session.scalars(stmt).all()


def managers_among(ids: set[uuid.UUID]) -> set[uuid.UUID]:
    """Which of `ids` have at least one active report."""
    if not ids:
        return set()
    stmt = sa.select(User.manager_id).where(User.manager_id.in_(ids), User.is_active.is_(True)).distinct()
    return set(db.session.scalars(stmt))
