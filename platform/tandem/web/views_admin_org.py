"""HR admin page: the org chart, the reporting line as a nested list with each person's title and
team and, for managers, how many report to them directly and in all. A large organisation is
shown a few levels deep at a time, each deeper part one link away."""

from __future__ import annotations

import uuid
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from flask import request

from ..core.db import db
from ..core.errors import NotFound
from ..people import orgchart, services
from .blueprint import web
from .pages import as_uuid, page
from .views_admin_shared import admin_only

WHOLE_TREE_UP_TO = 1500  # people: beyond this, three levels at a time
LEVELS_AT_A_TIME = 3


@dataclass
class Node:
    person: Any
    team: str
    reports: list[Node] = field(default_factory=list)
    total: int = 0  # everyone below, at any depth
    cut: bool = False  # reports exist but are not drawn here (follow the link)


def build(
    people: list[Any], teams: dict[uuid.UUID, str], root_id: uuid.UUID | None, depth: int | None
) -> list[Node]:
    """The forest (or the subtree of `root_id`) as Nodes, cut at `depth` levels."""
    by_id = {p.id: p for p in people}
    below: dict[uuid.UUID | None, list[Any]] = defaultdict(list)
    for p in people:
        # A manager who is deactivated (so not listed) leaves their reports at the top.
        below[p.manager_id if p.manager_id in by_id else None].append(p)

    def node(p: Any, level: int) -> Node:
        made = Node(p, teams.get(p.team_id, "") if p.team_id else "")
        children = below.get(p.id, [])
        if depth is not None and level >= depth and children:
            made.cut, made.total = True, _count(p.id)
            return made
        made.reports = [node(c, level + 1) for c in children]
        made.total = sum(1 + r.total for r in made.reports)
        return made

    def _count(person_id: uuid.UUID) -> int:
        stack, seen = [person_id], 0
        while stack:
            kids = below.get(stack.pop(), [])
            seen += len(kids)
            stack.extend(k.id for k in kids)
        return seen

    if root_id is not None:
        return [node(by_id[root_id], 1)]
    return [node(p, 1) for p in below.get(None, [])]


@web.get("/admin/org", endpoint="admin_org")
@admin_only
def admin_org():  # type: ignore[no-untyped-def]
    people = list(db.session.scalars(services.people_query()))
    teams = {t.id: t.name for t in db.session.scalars(services.teams_query())}
    root = None
    if request.args.get("root"):
        root_id = as_uuid(request.args["root"])
        root = services.get_person(root_id) if root_id else None
        if root is None or not root.is_active:
            raise NotFound("No such person")
    depth = None if len(people) <= WHOLE_TREE_UP_TO else LEVELS_AT_A_TIME
    forest = build(people, teams, root.id if root else None, depth)
    return page(
        "admin/org.html",
        forest=forest,
        root=root,
        chain=orgchart.chain(root.id) if root else [],
        headcount=len(people),
        managers=len({p.manager_id for p in people if p.manager_id}),
        depth=depth,
    )
