"""Command line: ``python -m matching solve|score FILE|-``; bad input is one line on stderr, exit 2."""

from __future__ import annotations

import argparse
import sys
from typing import NoReturn, TextIO

from .api import score_pairs, solve
from .errors import InputError
from .jsonio import loads, write_candidates, write_result
from .parse import parse_instance

EXIT_BAD_INPUT = 2


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:
        # argparse prints usage plus the error over several lines; the contract is one line.
        self.exit(EXIT_BAD_INPUT, f"error: {message} (usage: python -m matching solve|score FILE|-)\n")


def _parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="python -m matching", description="Exact mentor matching on a JSON instance.")
    commands = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)
    solve_cmd = commands.add_parser("solve", help="print the optimal matching as JSON")
    solve_cmd.add_argument("file", help="instance JSON file, or - for standard input")
    score_cmd = commands.add_parser("score", help='print every eligible pair as {"candidates": [...]}')
    score_cmd.add_argument("file", help="instance JSON file, or - for standard input")
    return parser


def _read(path: str, stdin: TextIO) -> str:
    if path == "-":
        return stdin.read()
    try:
        with open(path, encoding="utf-8") as fh:
            return fh.read()
    except OSError as exc:
        raise InputError(f"cannot read {path}: {exc.strerror or exc}") from None


def main(argv: list[str] | None = None, stdin: TextIO | None = None, stdout: TextIO | None = None) -> int:
    args = _parser().parse_args(argv)
    stdin = stdin if stdin is not None else sys.stdin
    stdout = stdout if stdout is not None else sys.stdout
    try:
        instance = parse_instance(loads(_read(args.file, stdin)))
        if args.command == "solve":
            write_result(solve(instance), stdout)
        else:
            write_candidates(score_pairs(instance), stdout)
    except InputError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_BAD_INPUT
    except UnicodeDecodeError:
        print("error: input is not valid UTF-8", file=sys.stderr)
        return EXIT_BAD_INPUT
    return 0
