"""PostgreSQL row-level security: the database's own tenant wall behind the ORM scoping.

Migration 0007 gives every tenant-owned table a policy that shows and accepts only rows whose
`tenant_id` equals the transaction's `app.tenant_id` setting (or every row while
`app.unscoped` is 'on'), with FORCE so it binds the tables' owner too. This module keeps those
settings equal to the tenancy ContextVars: before a statement runs, if the bound tenant (or the
`unscoped()` bypass) differs from what the connection's current transaction was told, it sends
one `set_config(..., true)` first. The settings are transaction-local, so they vanish at commit
or rollback and can never leak into another request through a pooled connection.

It is a second wall, against a query that forgot its tenant (a raw SQL statement, a Core
statement the ORM hook never sees), not against an attacker who can run SQL: the app role may
set these settings itself. Superusers and BYPASSRLS roles skip policies, so the app must connect
as an ordinary role (docs/deploy.md).
"""

from __future__ import annotations

import re
from typing import Any

import sqlalchemy as sa
from sqlalchemy import event

from . import tenancy

TENANT_SETTING = "app.tenant_id"
UNSCOPED_SETTING = "app.unscoped"

# What a transaction starts with: no tenant, no bypass (policies then show no tenant's rows).
_NOTHING = ("", "off")
# connection.info key: what the connection's open transaction has been told (absent: unknown).
_TOLD = "tandem.row_security"
# Statements that touch no rows and must not be preceded: savepoint handling (which may run in an
# aborted transaction) and SET TRANSACTION (which must be its transaction's first statement).
_NOT_DATA = ("SAVEPOINT", "RELEASE", "ROLLBACK", "COMMIT", "BEGIN", "SET TRANSACTION")
_SET = f"SELECT set_config('{TENANT_SETTING}', %s, true), set_config('{UNSCOPED_SETTING}', %s, true)"


ROLE_NAME = re.compile(r"[a-z_][a-z0-9_]{0,62}")


def grants_for(role: str) -> list[str]:
    """What the app's role needs, granted by the tables' owner: read and write every row its
    policies allow, now and in tables later migrations add. Nothing else: no DDL, no TRUNCATE."""
    if not ROLE_NAME.fullmatch(role):
        raise ValueError(f"{role!r} is not a plain role name (lowercase letters, digits, _)")
    return [
        f"GRANT USAGE ON SCHEMA public TO {role}",
        f"GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO {role}",
        f"GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO {role}",
        f"ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO {role}",
        f"ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT USAGE, SELECT ON SEQUENCES TO {role}",
    ]


def wanted() -> tuple[str, str]:
    """The settings this context needs: its bound tenant, or the named bypass."""
    if tenancy.is_unscoped():
        return ("", "on")
    tenant = tenancy.bound_tenant_id()
    return (str(tenant) if tenant is not None else "", "off")


def tell(connection: sa.Connection) -> None:
    """Bring the connection's transaction in line with this context, before work that goes round
    SQLAlchemy's statement events (COPY on the driver's own connection)."""
    _tell(connection.info, connection.connection.driver_connection)


def _tell(info: dict[str, Any], driver_connection: Any) -> None:
    settings = wanted()
    if info.get(_TOLD) == settings:
        return
    driver_connection.execute(_SET, settings)
    info[_TOLD] = settings


def _before_cursor_execute(
    conn: sa.Connection, cursor: Any, statement: str, parameters: Any, context: Any, executemany: bool
) -> None:
    if conn.dialect.name != "postgresql":
        return
    if statement.lstrip()[:15].upper().startswith(_NOT_DATA):
        return
    _tell(conn.info, cursor.connection)


def _transaction_ended(conn: sa.Connection, *args: Any) -> None:
    conn.info[_TOLD] = _NOTHING  # transaction-local settings are gone with the transaction


def _savepoint_rolled_back(conn: sa.Connection, *args: Any) -> None:
    conn.info.pop(_TOLD, None)  # back to whatever held at the savepoint: tell again to be sure


def _pooled(dbapi_connection: Any, record: Any, *args: Any) -> None:
    if record is not None:  # a pooled connection was rolled back on its way in or out
        record.info[_TOLD] = _NOTHING


def install() -> None:
    """Attach the hooks to every engine (idempotent; SQLite engines ignore them)."""
    if event.contains(sa.engine.Engine, "before_cursor_execute", _before_cursor_execute):
        return
    event.listen(sa.engine.Engine, "before_cursor_execute", _before_cursor_execute)
    for name in ("begin", "commit", "rollback"):
        event.listen(sa.engine.Engine, name, _transaction_ended)
    event.listen(sa.engine.Engine, "rollback_savepoint", _savepoint_rolled_back)
    event.listen(sa.pool.Pool, "checkout", _pooled)
    event.listen(sa.pool.Pool, "checkin", _pooled)
