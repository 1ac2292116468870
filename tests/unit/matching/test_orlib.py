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


def read(name: str) -> tuple[int, np.ndarray, np.ndarray, np.ndarray]:
    """n, and the (row, column, cost) of every allowed pair, 0-based."""
    tokens = (ORLIB / f"{name}.txt").read_text().split()
    n, values = int(tokens[0]), np.array(tokens[1:], dtype=np.int64)
    if name.startswith("assignp"):
        triples = values.reshape(-1, 3)
        return n, triples[:, 0] - 1, triples[:, 1] - 1, triples[:, 2]
    rows, cols = np.divmod(np.arange(n * n), n)
    return n, rows, cols, values


@pytest.mark.parametrize("name", [*SMALLER, "assignp800"])
def test_reproduces_the_published_optimum(name: str, tmp_path: Path) -> None:
    if not ORLIB.is_dir():
        pytest.skip(f"OR-Library instances not found at {ORLIB} (CI provides ../shared/benchmarks/orlib)")
    optimum = json.loads((ORLIB / "optima.json").read_text())[name]
    n, rows, cols, costs = read(name)
    c = int(costs.max()) + 1
    mentees, mentors = [f"r{i}" for i in range(n)], [f"c{j}" for j in range(n)]
    scores = ((c - costs) / c).tolist()
    data = {
        "mentees": [{"id": i} for i in mentees],
        "mentors": [{"id": j, "capacity": 1} for j in mentors],
        "candidates": [
            [mentees[i], mentors[j], s] for i, j, s in zip(rows.tolist(), cols.tolist(), scores, strict=True)
        ],
    }
    path = tmp_path / f"{name}.json"
    path.write_text(json.dumps(data))
    out = io.StringIO()
    assert main(["solve", str(path)], stdout=out) == 0
    result = json.loads(out.getvalue())
    assert result["objective"]["matched"] == n
    # The integer cost of the returned assignment, independent of any float arithmetic...
    cost_of = dict(zip((rows * n + cols).tolist(), costs.tolist(), strict=True))
    cost = sum(cost_of[int(a["mentee"][1:]) * n + int(a["mentor"][1:])] for a in result["assignments"])
    assert cost == optimum
    # ...and the README's formula on the reported total agrees.
    assert round(c * (n - result["objective"]["total_score"])) == optimum
