"""JSON reading and writing for the command line: strict input, deterministic and streamed output."""

from __future__ import annotations

import json
import sys
from typing import Any, TextIO

from .errors import InputError
from .result import Result, ScoredPairs

_CHUNK = 10_000  # candidate lines per write


def _reject_constant(name: str) -> Any:
    raise InputError(f"malformed JSON: {name} is not a valid JSON number")


def loads(text: str) -> Any:
    try:
        return json.loads(text, parse_constant=_reject_constant)
    except json.JSONDecodeError as exc:
        raise InputError(f"malformed JSON: {exc.msg} at line {exc.lineno} column {exc.colno}") from None
    except RecursionError:
        raise InputError("malformed JSON: nested too deeply") from None
    except InputError:  # from _reject_constant (InputError is a ValueError)
        raise
    except ValueError:  # int() refuses numbers of more than sys.get_int_max_str_digits() digits
        raise InputError(
            f"malformed JSON: a number has more than {sys.get_int_max_str_digits()} digits"
        ) from None


def _dump(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, allow_nan=False)


def write_result(result: Result, out: TextIO) -> None:
    """The result as JSON, one assignment or unmatched mentee per line.

    Key order is fixed by construction and no timings are included, so equal input gives equal
    bytes. Lines are written compactly because json's indent mode uses its slow pure-Python encoder.
    """
    data = result.to_dict()
    out.write("{\n")
    for key in ("assignments", "unmatched"):
        items = data[key]
        body = ",\n".join("    " + _dump(item) for item in items)
        out.write(f'  "{key}": [\n{body}\n  ],\n' if items else f'  "{key}": [],\n')
    out.write(f'  "objective": {_dump(data["objective"])},\n')
    out.write(f'  "stats": {_dump(data["stats"])}\n')
    out.write("}\n")


def write_candidates(scored: ScoredPairs, out: TextIO) -> None:
    """``{"candidates": [[mentee, mentor, score], ...]}``, one pair per line, written in chunks
    (there can be tens of millions: never a Python list of them all)."""
    mentees = [json.dumps(x, ensure_ascii=False) for x in scored.mentee_ids]
    mentors = [json.dumps(x, ensure_ascii=False) for x in scored.mentor_ids]
    out.write('{"candidates": [')
    for start in range(0, len(scored), _CHUNK):
        part = slice(start, start + _CHUNK)
        rows, cols, scores = (
            scored.rows[part].tolist(),
            scored.cols[part].tolist(),
            scored.scores[part].tolist(),
        )
        lines = [
            f"\n  [{mentees[i]}, {mentors[j]}, {s!r}]" for i, j, s in zip(rows, cols, scores, strict=True)
        ]
        out.write(("," if start else "") + ",".join(lines))
    out.write("\n]}\n" if len(scored) else "]}\n")
