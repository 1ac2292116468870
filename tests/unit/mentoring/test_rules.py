"""Pure mentoring helpers: reasons name skills by name (ids the catalogue knows are replaced,
others kept), and topics are stored trimmed, lower-case, sorted and without repeats."""

from __future__ import annotations

import uuid

from hypothesis import given
from hypothesis import strategies as st

from tandem.mentoring.services import normalise_topics, readable

skill_ids = st.uuids().map(str)


@given(
    known=st.dictionaries(
        skill_ids, st.text(min_size=1, max_size=20).filter(lambda s: "-" not in s), max_size=5
    )
)
def test_known_skill_ids_become_names_and_unknown_ones_stay(known):
    unknown = str(uuid.uuid4())
    reasons = [f"need {skill} (level 3): mentor has {skill} at level 4" for skill in [*known, unknown]]
    out = readable(reasons, known)
    for skill, name, line in zip([*known, unknown], [*known.values(), unknown], out, strict=True):
        assert line == f"need {name} (level 3): mentor has {name} at level 4"
        assert skill not in line or skill == unknown


@given(st.lists(st.text(max_size=12), max_size=10))
def test_topics_are_trimmed_lowered_sorted_and_unique(topics):
    out = normalise_topics(topics)
    assert out == sorted(set(out))
    assert all(out)
    assert set(out) == {t.strip().lower() for t in topics if t.strip()}
