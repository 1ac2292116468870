"""The one blueprint every page module adds its routes to (static files and templates live here)."""

from __future__ import annotations

from flask import Blueprint

web = Blueprint(
    "web", __name__, template_folder="templates", static_folder="static", static_url_path="/static"
)
