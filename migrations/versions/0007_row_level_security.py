"""row-level security: every tenant-owned table shows and accepts only the transaction's tenant

Revision ID: 0007_row_level_security
Revises: 0006_dashboards
Create Date: 2026-11-21 19:40:00

DESIGN.md section 3's second wall. The app sets `app.tenant_id` (or `app.unscoped` for the named
maintenance bypass) per transaction; see platform/tandem/core/row_security.py. FORCE makes the
policy bind the tables' owner too, so only superusers and BYPASSRLS roles skip it. A table added
by a later migration needs the same three statements (tests/integration/core/test_row_security.py
fails until it has them).
"""
from alembic import op


revision = '0007_row_level_security'
down_revision = '0006_dashboards'
branch_labels = None
depends_on = None

TABLES = (
    "api_tokens", "audit_events", "career_paths", "catalogue_item_skills", "catalogue_items",
    "dashboard_snapshots", "feedback_cycles", "feedback_drafts", "feedback_invitations",
    "feedback_questions", "feedback_requests", "feedback_responses", "feedback_templates",
    "goal_celebrations", "goal_checkins", "goal_obstacles", "goal_skills", "goal_tasks",
    "goal_templates", "goals", "import_batches", "job_runs", "learning_item_goals",
    "learning_item_skills", "learning_items", "learning_plans", "mentor_profiles", "mentor_skills",
    "mentoring_invitations", "mentoring_match_runs", "mentoring_programmes", "mentoring_proposals",
    "mentoring_requests", "mentoring_sessions", "mentorships", "person_skills",
    "role_profile_skills", "role_profiles", "skill_evidence", "skill_relations", "skills", "teams",
    "users",
)

# NULLIF: a setting once used in a session reads '' (not NULL) after its transaction ends. Each
# setting is read in a sub-select, so PostgreSQL reads it once per statement, not once per row.
VISIBLE = (
    "tenant_id = (SELECT NULLIF(current_setting('app.tenant_id', true), '')::uuid) "
    "OR (SELECT current_setting('app.unscoped', true)) = 'on'"
)


# Only a table's owner may ANALYZE it, and the app's role is not the owner: the people import
# refreshes the statistics of `users` after a bulk load (people/imports.py says why) through
# this function, which runs as the schema's owner and can analyze that one table, nothing else.
ANALYZE_USERS = (
    "CREATE FUNCTION tandem_analyze_users() RETURNS void LANGUAGE plpgsql SECURITY DEFINER"
    " SET search_path = pg_catalog, public AS $$ BEGIN ANALYZE public.users; END $$"
)


def upgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    for table in TABLES:
        op.execute(f'ALTER TABLE "{table}" ENABLE ROW LEVEL SECURITY')
        op.execute(f'ALTER TABLE "{table}" FORCE ROW LEVEL SECURITY')
        op.execute(f'CREATE POLICY tenant_isolation ON "{table}" USING ({VISIBLE}) WITH CHECK ({VISIBLE})')
    op.execute(ANALYZE_USERS)


def downgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute("DROP FUNCTION IF EXISTS tandem_analyze_users()")
    for table in TABLES:
        op.execute(f'DROP POLICY IF EXISTS tenant_isolation ON "{table}"')
        op.execute(f'ALTER TABLE "{table}" NO FORCE ROW LEVEL SECURITY')
        op.execute(f'ALTER TABLE "{table}" DISABLE ROW LEVEL SECURITY')
