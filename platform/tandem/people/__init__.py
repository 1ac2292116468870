"""People: tenants, users, roles, teams, the org chart, CSV import and API tokens."""
