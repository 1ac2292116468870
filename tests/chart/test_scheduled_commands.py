"""Every command the chart schedules is a real `tandem` command (a renamed one would fail nightly,
silently, in someone's cluster)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

REPO = Path(__file__).resolve().parents[2]
CHART = REPO / "helm" / "tandem"

TANDEM = str(Path(sys.executable).parent / "tandem")
SCHEDULED = yaml.safe_load((CHART / "values.yaml").read_text())["cronJobs"]


@pytest.mark.parametrize("name", sorted(SCHEDULED))
def test_scheduled_command_exists(name, tmp_path):
    command = SCHEDULED[name]["command"]
    assert command[0] == "tandem"
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "REDIS_URL"}}
    env["TANDEM_INSTANCE_DIR"] = str(tmp_path)
    result = subprocess.run(
        [TANDEM, *command[1:], "--help"], env=env, capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stderr
    assert "Usage:" in result.stdout
