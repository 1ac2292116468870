"""Beasley's OR-Library assignment instances through the CLI: the published optima, exactly."""

from __future__ import annotations

import io
import json
from pathlib import Path

import numpy as np
import pytest

from matching.cli import main

ORLIB = Path(__file__).resolve().parents[3].parent / "shared" / "benchmarks" / "orlib"
SMALLER = [
    "assign100",
    "assign200",
    "assign300",
    "assign400",
    "assign500",
    "assign600",
    "assign700",
    "assign800",
]


def read(name: str) -> tuple[int, dict[tuple[int, int], int]]:
    tokens = (ORLIB / f"{name}.txt").read_text().split()
    n, values = int(tokens[0]), np.array(tokens[1:], dtype=np.int64)
    if name.startswith("assignp"):
        return n, {(int(i) - 1, int(j) - 1): int(c) for i, j, c in values.reshape(-1, 3).tolist()}
    matrix = values.reshape(n, n).tolist()
    return n, {(i, j): matrix[i][j] for i in range(n) for j in range(n)}


@pytest.mark.parametrize("name", [*SMALLER, "assignp800"])
def test_reproduces_the_published_optimum(name: str, tmp_path: Path) -> None:
    if not ORLIB.is_dir():
        pytest.skip(f"OR-Library instances not found at {ORLIB} (CI provides ../shared/benchmarks/orlib)")
    optimum = json.loads((ORLIB / "optima.json").read_text())[name]
    n, costs = read(name)
    c = max(costs.values()) + 1
    data = {
        "mentees": [{"id": f"r{i}"} for i in range(n)],
        "mentors": [{"id": f"c{j}", "capacity": 1} for j in range(n)],
        "candidates": [[f"r{i}", f"c{j}", (c - cost) / c] for (i, j), cost in costs.items()],
    }
    path = tmp_path / f"{name}.json"
    path.write_text(json.dumps(data))
    out = io.StringIO()
    assert main(["solve", str(path)], stdout=out) == 0
    result = json.loads(out.getvalue())
    assert result["objective"]["matched"] == n
    # The integer cost of the returned assignment, independent of any float arithmetic...
    cost = sum(costs[(int(a["mentee"][1:]), int(a["mentor"][1:]))] for a in result["assignments"])
    assert cost == optimum
    # ...and the README's formula on the reported total agrees.
    assert round(c * (n - result["objective"]["total_score"])) == optimum
