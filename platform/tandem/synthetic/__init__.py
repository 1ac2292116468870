"""Synthetic tenants of any size for benchmarks and dashboards: `tandem seed-synthetic` (command.py)."""
