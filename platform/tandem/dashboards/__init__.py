"""Manager dashboards, web side: build requests, stored snapshots, access rules, JSON and CSV."""
