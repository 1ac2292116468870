"""`python -m matching solve|score`: output shape, and one-line errors with a non-zero exit code."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[3]
SMALL = {
    "skills": {"py": {"related": {"data": 0.5}}, "data": {}},
    "mentees": [
        {"id": "ann", "needs": {"py": 3}, "goals": ["career"], "team": "web", "managers": ["cat"]},
        {"id": "bob", "needs": {"data": 2}, "goals": [], "team": "web", "managers": ["cat"]},
    ],
    "mentors": [
        {
            "id": "cat",
            "skills": {"py": 5},
            "topics": ["career"],
            "capacity": 2,
            "team": "web",
            "managers": [],
        },
        {
            "id": "dan",
            "skills": {"py": 4, "data": 1},
            "topics": [],
            "capacity": 1,
            "team": "data",
            "managers": [],
        },
    ],
    "exclude": [],
    "options": {"objective": "participation", "min_score": 0.0},
}


def test_solve_prints_assignments_unmatched_objective_and_stats(cli) -> None:
    run = cli("solve", SMALL)
    assert run.code == 0 and run.err == ""
    out = run.json()
    assert set(out) == {"assignments", "unmatched", "objective", "stats"}
    assert [(a["mentee"], a["mentor"]) for a in out["assignments"]] == [("ann", "dan")]
    assert set(out["assignments"][0]) >= {"mentee", "mentor", "score", "reasons"}
    assert out["unmatched"] == [
        {
            "mentee": "bob",
            "reason": "the only eligible mentor is at capacity: dan (1/1)",
            "constraint": "capacity",
        }
    ]
    assert out["objective"] == {"matched": 1, "total_score": out["assignments"][0]["score"]}
    assert out["stats"]["optimal"] is True


def test_score_prints_every_eligible_pair(cli) -> None:
    run = cli("score", SMALL)
    assert run.code == 0
    # cat manages both mentees, so only dan is eligible. ann: py covered (0.7), no shared theme,
    # other team (0.05). bob: data at level 1 of 2 = 0.5 (py via data also 0.5), no goals so
    # the weights renormalise over needs and team: (0.7 * 0.5 + 0.05) / 0.75.
    assert run.json() == {"candidates": [["ann", "dan", 0.75], ["bob", "dan", 0.533333]]}


def test_score_of_an_empty_instance(cli) -> None:
    run = cli("score", {"mentees": [], "mentors": []})
    assert (run.code, run.json()) == (0, {"candidates": []})


def test_reads_a_file_path(cli, tmp_path: Path) -> None:
    path = tmp_path / "in.json"
    path.write_text(json.dumps(SMALL))
    assert cli("solve", path=str(path)).json() == cli("solve", SMALL).json()


# A capacity above the documented bound (docs/matching.md, section 1).
TOO_MANY_PLACES = (
    "error: mentors[0] (m).capacity: expected at most 1000000 places, got the number 100000000000000000000"
)


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (
            "{not json",
            "error: malformed JSON: Expecting property name enclosed in double quotes at line 1 column 2",
        ),
        ('{"mentees": [], "mentors": [], "x": NaN}', "error: malformed JSON: NaN is not a valid JSON number"),
        ("[]", "error: instance: expected an object, got an array"),
        ({"mentors": []}, "error: instance: missing required field 'mentees'"),
        (
            {"mentees": [], "mentors": [{"id": "m", "capacity": -1}]},
            "error: mentors[0] (m).capacity: expected a non-negative integer, got the number -1",
        ),
        (
            {"mentees": [{"id": "a"}], "mentors": [{"id": "m", "capacity": 10**20}]},
            TOO_MANY_PLACES,
        ),
        (
            '{"mentees": [], "mentors": [{"id": "m", "capacity": 1' + "0" * 5000 + "}]}",
            f"error: malformed JSON: a number has more than {sys.get_int_max_str_digits()} digits",
        ),
        (
            {"mentees": [], "mentors": [{"id": "m", "capacity": "2"}]},
            "error: mentors[0] (m).capacity: expected a non-negative integer, got the string '2'",
        ),
        (
            {"mentees": [{"id": "a"}], "mentors": [], "exclude": [["a", "ghost"]]},
            "error: exclude[0]: unknown mentor id 'ghost'",
        ),
        (
            {
                "mentees": [{"id": "a"}],
                "mentors": [{"id": "m", "capacity": 1}],
                "candidates": [["nobody", "m", 1]],
            },
            "error: candidates[0]: unknown mentee id 'nobody'",
        ),
        (
            {
                "mentees": [{"id": "a"}],
                "mentors": [{"id": "m", "capacity": 1}],
                "candidates": [["a", "m", 1.5]],
            },
            "error: candidates[0] score: must be in [0, 1], got 1.5",
        ),
        (
            {"mentees": [{"id": 7}], "mentors": []},
            "error: mentees[0].id: expected a non-empty string id, got the number 7",
        ),
        (
            {"mentees": [{"id": "a", "needs": {"py": 9}}], "mentors": []},
            "error: mentees[0] (a).needs.py: expected an integer level 1..5, got the number 9",
        ),
        (
            {"mentees": [], "mentors": [], "options": {"objective": "fastest"}},
            "error: options.objective: expected 'participation' or 'score', got the string 'fastest'",
        ),
    ],
)
def test_bad_input_is_one_line_on_stderr_and_exit_2(cli, data, message: str) -> None:
    run = cli("solve", data)
    assert run.code == 2
    assert run.out == ""
    assert run.err == message + "\n"


def test_missing_file(cli, tmp_path: Path) -> None:
    run = cli("solve", path=str(tmp_path / "absent.json"))
    assert run.code == 2
    assert run.err.startswith("error: cannot read ") and run.err.endswith("No such file or directory\n")
    assert run.err.count("\n") == 1


def test_unknown_command_is_a_one_line_usage_error(cli) -> None:
    run = cli("frobnicate", SMALL)
    assert run.code == 2
    assert run.err.count("\n") == 1 and run.err.startswith("error: ")


def solve_in_a_process(stdin: str) -> subprocess.CompletedProcess[str]:
    """`python -m matching solve -` as a real process, `stdin` as its input."""
    return subprocess.run(
        [sys.executable, "-m", "matching", "solve", "-"],
        input=stdin,
        capture_output=True,
        text=True,
        cwd=ROOT,
        check=False,
    )


def test_the_real_process_entry_point() -> None:
    proc = solve_in_a_process(json.dumps(SMALL))
    assert proc.returncode == 0, proc.stderr
    assert json.loads(proc.stdout)["objective"]["matched"] == 1
    bad = solve_in_a_process("{")
    assert bad.returncode == 2
    assert bad.stderr.count("\n") == 1 and "Traceback" not in bad.stderr


def test_a_capacity_beyond_the_bound_is_a_usage_error_from_the_real_process() -> None:
    # It used to reach NumPy and crash with an OverflowError traceback (exit 1).
    data = {"mentees": [{"id": "a"}], "mentors": [{"id": "m", "capacity": 10**20}]}
    proc = solve_in_a_process(json.dumps(data))
    assert proc.returncode == 2
    assert proc.stdout == ""
    assert proc.stderr == TOO_MANY_PLACES + "\n"


def test_the_largest_documented_capacity_is_accepted(cli) -> None:
    data = {"mentees": [{"id": "a"}], "mentors": [{"id": "m", "capacity": 1_000_000}]}
    run = cli("solve", {**data, "options": {"max_load_share": 0.5}})
    assert run.code == 0, run.err
    assert [(a["mentee"], a["mentor"]) for a in run.json()["assignments"]] == [("a", "m")]
