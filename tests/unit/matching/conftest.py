"""Shared fixture for the matching tests: run the CLI in-process."""

from __future__ import annotations

import io
import json
from collections.abc import Callable
from typing import Any

import pytest

from matching.cli import main


class CliRun:
    def __init__(self, code: int, out: str, err: str) -> None:
        self.code, self.out, self.err = code, out, err

    def json(self) -> Any:
        return json.loads(self.out)


@pytest.fixture
def cli(capsys: pytest.CaptureFixture[str]) -> Callable[..., CliRun]:
    """Run ``python -m matching`` in-process: cli("solve", data) with data a dict or raw text."""

    def run(command: str, data: Any = None, *, path: str = "-") -> CliRun:
        text = data if isinstance(data, str) else json.dumps(data)
        out = io.StringIO()
        try:
            code = main([command, path], stdin=io.StringIO(text or ""), stdout=out)
        except SystemExit as exc:  # argparse usage errors
            code = int(exc.code or 0)
        captured = capsys.readouterr()
        return CliRun(code, out.getvalue() + captured.out, captured.err)

    return run
