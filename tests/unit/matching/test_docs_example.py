"""The example in docs/matching.md is real: its input produces its output."""

from __future__ import annotations

import json
import re
from pathlib import Path

from matching import parse_instance, score_pairs, solve

DOC = Path(__file__).resolve().parents[3] / "docs" / "matching.md"


def test_documented_example_input_gives_the_documented_output() -> None:
    blocks = re.findall(r"```json\n(.*?)```", DOC.read_text(), flags=re.S)
    example_in, example_out = json.loads(blocks[0]), json.loads(blocks[1])
    instance = parse_instance(example_in)
    assert solve(instance).to_dict() == example_out
    listed = re.search(r"For the example:\n`(.*?)`\. ", DOC.read_text(), flags=re.S)
    assert listed is not None
    documented = json.loads(listed.group(1).replace("\n", " "))
    assert [list(t) for t in score_pairs(instance).triples()] == documented
