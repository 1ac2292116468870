"""Manager dashboards: pure aggregation, set-based SQL, and the RQ jobs that build snapshots."""
