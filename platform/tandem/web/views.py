"""The web blueprint with every page module's routes registered (create_app imports `web`)."""

from __future__ import annotations

from . import (  # noqa: F401  (importing a module registers its routes on the blueprint)
    views_admin_audit,
    views_admin_catalogue,
    views_admin_cycles,
    views_admin_home,
    views_admin_import,
    views_admin_matching,
    views_admin_org,
    views_admin_questionnaires,
    views_admin_roles,
    views_admin_settings,
    views_admin_skills,
    views_auth,
    views_dashboards,
    views_feedback,
    views_feedback_answers,
    views_goal_edit,
    views_goal_plans,
    views_goals,
    views_home,
    views_learning,
    views_mentor_profile,
    views_mentoring,
    views_mentorships,
    views_skills,
)
from .blueprint import web

__all__ = ["web"]
