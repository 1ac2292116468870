"""HR admin page: the audit log, newest first, a page at a time, filtered by action, by who did it
and by what kind of record it touched."""

from __future__ import annotations

import json
from typing import Any

from flask import request

from ..core import audit
from .blueprint import web
from .pages import as_uuid, page, people
from .views_admin_shared import admin_only, paged


def describe(changes: Any) -> str:
    """`{field: [old, new]}` as "field: old → new; ..." (anything else as compact JSON)."""
    if not isinstance(changes, dict):
        return json.dumps(changes, default=str)
    parts = []
    for name, value in changes.items():
        if isinstance(value, list) and len(value) == 2:
            old, new = (json.dumps(v, default=str) if isinstance(v, dict | list) else v for v in value)
            parts.append(f"{name}: {'—' if old in (None, '') else old} → {'—' if new in (None, '') else new}")
        else:
            parts.append(
                f"{name}: {json.dumps(value, default=str) if isinstance(value, dict | list) else value}"
            )
    return "; ".join(parts)


def row(event: Any, names: dict[Any, Any]) -> list[str]:
    who = names[event.actor_id].name if event.actor_id in names else "the system (command line or job)"
    record = f"{event.entity_type} {str(event.entity_id)[:8]}" if event.entity_id else event.entity_type
    return [event.at.strftime("%Y-%m-%d %H:%M:%S"), who, event.action, record, describe(event.changes)]


@web.get("/admin/audit", endpoint="admin_audit")
@admin_only
def admin_audit():  # type: ignore[no-untyped-def]
    actions, kinds = audit.recorded("action"), audit.recorded("entity_type")
    actors = audit.recorded("actor_id")
    action = request.args.get("action") if request.args.get("action") in actions else None
    kind = request.args.get("entity_type") if request.args.get("entity_type") in kinds else None
    actor_id = as_uuid(request.args.get("actor_id")) if request.args.get("actor_id") else None
    found = paged(audit.events_query({"action": action, "entity_type": kind, "actor_id": actor_id}))
    names = people(set(actors) | {e.actor_id for e in found["items"]})
    kept = {k: v for k, v in {"action": action, "entity_type": kind, "actor_id": actor_id}.items() if v}
    return page(
        "admin/audit.html",
        found=found,
        rows=[row(e, names) for e in found["items"]],
        actions=actions,
        kinds=kinds,
        actors=sorted(((str(i), names[i].name) for i in actors if i in names), key=lambda pair: pair[1]),
        chosen={"action": action or "", "entity_type": kind or "", "actor_id": str(actor_id or "")},
        kept=kept,
    )
