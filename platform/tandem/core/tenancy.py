"""Tenant scoping: one ContextVar, ORM criteria on every statement, and a flush guard.

Every tenant-owned model inherits `TenantScoped`. While a tenant is bound, every ORM SELECT,
UPDATE and DELETE gets `tenant_id = <bound tenant>` added for all tenant-owned classes, and a
flush refuses to write a row of another tenant. With no tenant bound, touching a tenant-owned
class raises `TenantNotBound`; `unscoped()` is the one named bypass, for a few allow-listed
maintenance paths (sign-in lookup, token lookup, cross-tenant CLI commands).
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

import sqlalchemy as sa
from sqlalchemy import event
from sqlalchemy.orm import (
    Mapped,
    ORMExecuteState,
    Session,
    declared_attr,
    mapped_column,
    with_loader_criteria,
)

_current_tenant: ContextVar[uuid.UUID | None] = ContextVar("tandem_current_tenant", default=None)
_unscoped: ContextVar[bool] = ContextVar("tandem_unscoped", default=False)


class TenantNotBound(RuntimeError):
    """A tenant-owned table was queried with no tenant bound: a bug, never a user error."""


class CrossTenantWrite(RuntimeError):
    """A flush tried to write a row that belongs to another tenant than the bound one."""


class TenantScoped:
    """Mixin for tenant-owned models: a `tenant_id` column and a (tenant_id, id) unique key,
    so other tables can point at rows with a composite foreign key that cannot cross tenants.

    Subclasses put their own constraints in `__extra_table_args__`; use `tenant_fk` for
    references to other tenant-owned tables."""

    __extra_table_args__: tuple[Any, ...] = ()

    tenant_id: Mapped[uuid.UUID] = mapped_column(sa.ForeignKey("tenants.id", ondelete="CASCADE"), index=True)

    @declared_attr.directive
    def __table_args__(cls) -> tuple[Any, ...]:
        return (sa.UniqueConstraint("tenant_id", "id"), *cls.__extra_table_args__)


def tenant_fk(column: str, target_table: str, ondelete: str | None = None) -> sa.ForeignKeyConstraint:
    """A composite foreign key (tenant_id, column) -> target(tenant_id, id)."""
    return sa.ForeignKeyConstraint(
        ["tenant_id", column],
        [f"{target_table}.tenant_id", f"{target_table}.id"],
        ondelete=ondelete,
    )


def current_tenant_id() -> uuid.UUID:
    """The bound tenant; raises if none is bound (services always run inside one)."""
    tenant = _current_tenant.get()
    if tenant is None:
        raise TenantNotBound("no tenant is bound to this context")
    return tenant


def bound_tenant_id() -> uuid.UUID | None:
    return _current_tenant.get()


def is_unscoped() -> bool:
    """Whether this context runs inside the named bypass."""
    return _unscoped.get()


def bind(tenant_id: uuid.UUID) -> Any:
    """Bind a tenant for the rest of this context; returns the token `release` needs."""
    return _current_tenant.set(tenant_id)


def release(token: Any) -> None:
    _current_tenant.reset(token)


@contextmanager
def tenant_scope(tenant_id: uuid.UUID) -> Iterator[None]:
    token = bind(tenant_id)
    try:
        yield
    finally:
        release(token)


@contextmanager
def unscoped() -> Iterator[None]:
    """The named bypass. Grep for it: every use must be a maintenance path that needs it."""
    token = _unscoped.set(True)
    try:
        yield
    finally:
        _unscoped.reset(token)


def _touches_tenant_data(state: ORMExecuteState) -> bool:
    return any(issubclass(mapper.class_, TenantScoped) for mapper in state.all_mappers)


def _scope_statement(state: ORMExecuteState) -> None:
    if _unscoped.get() or state.is_column_load or state.is_relationship_load:
        return
    if not (state.is_select or state.is_update or state.is_delete or state.is_insert):
        return
    tenant = _current_tenant.get()
    if tenant is None:
        if _touches_tenant_data(state):
            raise TenantNotBound("tenant-owned data queried with no tenant bound; bind one or use unscoped()")
        return
    if state.is_insert:
        _check_insert_rows(state, tenant)
        return
    if state.is_update and isinstance(state.parameters, list):
        # Bulk UPDATE by primary key cannot carry WHERE criteria; write it as a Core statement
        # with an explicit tenant_id condition instead, so the scoping stays visible.
        if _touches_tenant_data(state):
            raise TenantNotBound("bulk ORM UPDATE by primary key on tenant data is not allowed")
        return
    state.statement = state.statement.options(
        with_loader_criteria(
            TenantScoped,
            lambda cls: cls.tenant_id == tenant,
            include_aliases=True,
        )
    )


def _check_insert_rows(state: ORMExecuteState, tenant: uuid.UUID) -> None:
    if not _touches_tenant_data(state):
        return
    rows = state.parameters if isinstance(state.parameters, list) else [state.parameters or {}]
    for row in rows:
        if row.get("tenant_id") != tenant:
            raise CrossTenantWrite("bulk insert of a row without the bound tenant_id")


def _guard_flush(session: Session, flush_context: Any, instances: Any) -> None:
    if _unscoped.get():
        return
    tenant = _current_tenant.get()
    for obj in session.new:
        if isinstance(obj, TenantScoped):
            if tenant is None:
                raise TenantNotBound(f"cannot add {type(obj).__name__} with no tenant bound")
            if obj.tenant_id is None:
                obj.tenant_id = tenant
            elif obj.tenant_id != tenant:
                raise CrossTenantWrite(f"{type(obj).__name__} belongs to another tenant")
    for obj in list(session.dirty) + list(session.deleted):
        if isinstance(obj, TenantScoped) and obj.tenant_id != tenant:
            raise CrossTenantWrite(f"{type(obj).__name__} belongs to another tenant")


def install() -> None:
    """Attach the hooks to every Session (idempotent; called by create_app)."""
    if not event.contains(Session, "do_orm_execute", _scope_statement):
        event.listen(Session, "do_orm_execute", _scope_statement)
        event.listen(Session, "before_flush", _guard_flush)


def bulk_insert(session: Session, model: type[TenantScoped], rows: list[dict[str, Any]]) -> None:
    """Insert many rows of a tenant-owned model fast; every row must carry the bound tenant.

    On PostgreSQL this is COPY (one stream, no per-row statements or parameter binding); on
    other databases a batched multi-row INSERT ("insertmanyvalues", via RETURNING). Rows skip
    ORM defaults and type processing, so callers give every column a ready value."""
    if not rows:
        return
    tenant = current_tenant_id()
    if any(row.get("tenant_id") != tenant for row in rows):
        raise CrossTenantWrite(f"bulk insert into {model.__name__} with a row of another tenant")
    if session.get_bind().dialect.name != "postgresql":
        session.execute(sa.insert(model).returning(model.id), rows).all()  # type: ignore[attr-defined]
        return
    from . import row_security

    table = model.__table__  # type: ignore[attr-defined]
    columns = list(rows[0])
    json_columns = {c.name for c in table.columns if isinstance(c.type, sa.JSON)}
    connection = session.connection()
    row_security.tell(connection)
    raw = connection.connection.driver_connection
    quoted = ", ".join(f'"{name}"' for name in columns)
    # PostgreSQL refuses COPY FROM into a table whose row-level security applies to the current
    # role (as it does to the app's role): stream into a temporary table then, and move the rows
    # with one INSERT ... SELECT, which the policy checks like any other insert.
    staged = bool(raw.execute("SELECT row_security_active(%s::regclass)", (table.name,)).fetchone()[0])
    target = "tandem_bulk_rows" if staged else f'"{table.name}"'
    if staged:
        empty_copy = f'SELECT {quoted} FROM "{table.name}" WITH NO DATA'
        raw.execute(f"CREATE TEMPORARY TABLE {target} ON COMMIT DROP AS {empty_copy}")
    with raw.cursor() as cursor, cursor.copy(f"COPY {target} ({quoted}) FROM STDIN") as copy:
        for row in rows:
            copy.write_row([json.dumps(row[c]) if c in json_columns else row[c] for c in columns])
    if staged:
        raw.execute(f'INSERT INTO "{table.name}" ({quoted}) SELECT {quoted} FROM {target}')
        raw.execute(f"DROP TABLE {target}")
