"""The append-only audit log of HR data writes: who, what, when, in which tenant."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy import event
from sqlalchemy.orm import Mapped, Session, mapped_column

from .db import Base, IdMixin, db, utcnow
from .tenancy import TenantScoped, bulk_insert, current_tenant_id, tenant_fk


class AuditEvent(IdMixin, TenantScoped, Base):
    __tablename__ = "audit_events"
    __extra_table_args__ = (
        tenant_fk("actor_id", "users"),
        sa.Index("ix_audit_events_tenant_at", "tenant_id", "at"),
    )

    at: Mapped[datetime] = mapped_column(default=utcnow)
    actor_id: Mapped[uuid.UUID | None] = mapped_column(default=None)
    action: Mapped[str] = mapped_column(sa.String(64))
    entity_type: Mapped[str] = mapped_column(sa.String(64))
    entity_id: Mapped[uuid.UUID | None] = mapped_column(default=None)
    changes: Mapped[dict[str, Any]] = mapped_column(default=dict)


def record(
    action: str,
    entity_type: str,
    entity_id: uuid.UUID | None,
    actor_id: uuid.UUID | None,
    changes: dict[str, Any] | None = None,
) -> None:
    """Add one audit event to the current transaction (it lands or not with the write)."""
    db.session.add(
        AuditEvent(
            action=action,
            entity_type=entity_type,
            entity_id=entity_id,
            actor_id=actor_id,
            changes=changes or {},
        )
    )


def record_many(events: list[dict[str, Any]]) -> None:
    """Bulk form of `record` for imports: one INSERT for thousands of events."""
    if not events:
        return
    tenant_id, now = current_tenant_id(), utcnow()
    rows = [
        {"id": uuid.uuid4(), "tenant_id": tenant_id, "at": now, "changes": {}, **event_row}
        for event_row in events
    ]
    bulk_insert(db.session, AuditEvent, rows)


def _refuse_changes(session: Session, flush_context: Any, instances: Any) -> None:
    for obj in list(session.dirty) + list(session.deleted):
        if isinstance(obj, AuditEvent) and (obj in session.deleted or session.is_modified(obj)):
            raise PermissionError("the audit log is append-only")


def install() -> None:
    if not event.contains(Session, "before_flush", _refuse_changes):
        event.listen(Session, "before_flush", _refuse_changes)


def diff(before: dict[str, Any], after: dict[str, Any]) -> dict[str, Any]:
    """`{field: [old, new]}` for the fields that changed, with values made JSON-safe."""

    def safe(value: Any) -> Any:
        return str(value) if isinstance(value, uuid.UUID | datetime) else value

    return {
        key: [safe(before.get(key)), safe(value)] for key, value in after.items() if before.get(key) != value
    }


FILTERS = ("entity_type", "entity_id", "actor_id", "action")


def events_query(filters: dict[str, Any]) -> sa.Select[tuple[AuditEvent]]:
    """Events newest first, narrowed by any of FILTERS that is given (the API and pages share it)."""
    stmt = sa.select(AuditEvent).order_by(AuditEvent.at.desc(), AuditEvent.id)
    for name in FILTERS:
        if filters.get(name) is not None:
            stmt = stmt.where(getattr(AuditEvent, name) == filters[name])
    return stmt


def recorded(column: str) -> list[Any]:
    """The distinct values of `action`, `entity_type` or `actor_id` in the log (for filter menus)."""
    if column not in ("action", "entity_type", "actor_id"):
        raise ValueError(column)
    field = getattr(AuditEvent, column)
    return list(db.session.scalars(sa.select(field).where(field.is_not(None)).distinct().order_by(field)))
