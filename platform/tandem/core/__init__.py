"""Shared mechanisms every domain uses: database, tenancy, auth, jobs, errors, pagination."""
