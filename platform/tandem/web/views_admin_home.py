"""HR admin overview: where each admin job lives."""

from __future__ import annotations

from .blueprint import web
from .pages import page
from .views_admin_shared import admin_only


@web.get("/admin", endpoint="admin")
@admin_only
def admin_home():  # type: ignore[no-untyped-def]
    return page("admin/index.html")
