"""Recursive CTEs over a parent-pointer column: everything below a node, or the chain above it.
Used by the org chart (users.manager_id) and goal trees (goals.parent_id)."""

from __future__ import annotations

import uuid
from typing import Any

import sqlalchemy as sa

# Writes refuse cycles; the cap only stops a corrupted tree from recursing forever.
MAX_DEPTH = 64


def descendants(id_col: Any, parent_col: Any, root_id: uuid.UUID, name: str) -> sa.CTE:
    """Rows (id, depth) for every node below `root_id`; depth 1 = its children."""
    first = sa.select(id_col.label("id"), sa.literal(1).label("depth")).where(parent_col == root_id)
    tree = first.cte(name, recursive=True)
    step = sa.select(id_col.label("id"), (tree.c.depth + 1).label("depth")).where(
        parent_col == tree.c.id, tree.c.depth < MAX_DEPTH
    )
    return tree.union_all(step)


def ancestors(id_col: Any, parent_col: Any, start_id: uuid.UUID, name: str) -> sa.CTE:
    """Rows (id, level) for every node above `start_id`; level 1 = its parent."""
    first = sa.select(parent_col.label("id"), sa.literal(1).label("level")).where(id_col == start_id)
    chain = first.cte(name, recursive=True)
    step = sa.select(parent_col.label("id"), (chain.c.level + 1).label("level")).where(
        id_col == chain.c.id, parent_col.is_not(None), chain.c.level < MAX_DEPTH
    )
    return chain.union_all(step)
