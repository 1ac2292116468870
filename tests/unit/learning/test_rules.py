"""Pure learning rules: the current level, gap ranking (largest first, then goals depending on it),
item status changes, the certificate expiry window and month arithmetic."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tandem.learning import rules

levels = st.integers(min_value=1, max_value=5)
needs = st.lists(
    st.builds(
        rules.Need,
        skill_id=st.sampled_from("abcdefgh"),
        level=levels,
        kind=st.sampled_from(rules.NEED_KINDS),
        source_id=st.sampled_from(["g1", "g2", "g3", "role", "next"]),
    ),
    max_size=30,
)
held = st.dictionaries(st.sampled_from("abcdefgh"), st.integers(min_value=0, max_value=5))


def test_current_level_prefers_the_manager_then_self_then_zero():
    assert rules.current_level(2, 4) == 4
    assert rules.current_level(3, None) == 3
    assert rules.current_level(None, None) == 0


def test_gaps_rank_by_size_then_goal_count():
    needs_ = [
        rules.Need("python", 4, rules.ROLE, "role"),
        rules.Need("sql", 3, rules.GOAL, "g1"),
        rules.Need("sql", 3, rules.GOAL, "g2"),
        rules.Need("k8s", 3, rules.GOAL, "g1"),
        rules.Need("go", 5, rules.TARGET, "next"),
    ]
    ranked = rules.rank_gaps(needs_, {"python": 2, "sql": 1, "k8s": 1, "go": 5})
    assert [(g.skill_id, g.size, len(g.goal_ids)) for g in ranked] == [
        ("sql", 2, 2),
        ("k8s", 2, 1),
        ("python", 2, 0),
    ]


@given(needs, held, st.integers(min_value=1, max_value=5))
def test_gap_invariants(needs_, held_, min_gap):
    ranked = rules.rank_gaps(needs_, held_, min_gap=min_gap)
    skills = [g.skill_id for g in ranked]
    assert len(skills) == len(set(skills))
    for gap in ranked:
        wanted = [n.level for n in needs_ if n.skill_id == gap.skill_id]
        assert gap.required == max(wanted)
        assert gap.current == held_.get(gap.skill_id, 0)
        assert gap.size >= min_gap
    missing = {n.skill_id for n in needs_} - set(skills)
    for skill in missing:
        assert max(n.level for n in needs_ if n.skill_id == skill) - held_.get(skill, 0) < min_gap
    keys = [(-g.size, -len(g.goal_ids)) for g in ranked]
    assert keys == sorted(keys)


@pytest.mark.parametrize(
    ("old", "new", "ok"),
    [
        ("planned", "in_progress", True),
        ("planned", "completed", True),
        ("in_progress", "dropped", True),
        ("dropped", "planned", True),
        ("dropped", "completed", False),
        ("completed", "planned", False),
        ("completed", "completed", True),
    ],
)
def test_item_status_changes(old, new, ok):
    assert rules.can_move(old, new) is ok


@given(
    st.dates(min_value=date(2000, 1, 1), max_value=date(2100, 1, 1)),
    st.integers(min_value=-400, max_value=400),
)
def test_expiring_means_within_the_next_90_days(today, offset):
    expires = today + timedelta(days=offset)
    assert rules.is_expiring(expires, today) is (0 <= offset <= 90)
    assert rules.is_expiring(None, today) is False


@given(
    st.dates(min_value=date(2000, 1, 1), max_value=date(2100, 1, 1)), st.integers(min_value=0, max_value=120)
)
def test_add_months_lands_in_the_right_month_never_later(day, months):
    result = rules.add_months(day, months)
    assert (result.year * 12 + result.month) - (day.year * 12 + day.month) == months
    assert result.day <= day.day


def test_add_months_clamps_to_the_month_end():
    assert rules.add_months(date(2025, 1, 31), 1) == date(2025, 2, 28)
    assert rules.add_months(date(2024, 1, 31), 1) == date(2024, 2, 29)


def test_merging_profile_lines_keeps_the_higher_levels_and_either_flag():
    merged = rules.merge_profile_lines(
        {"self_level": 2, "manager_level": None, "interested": False, "willing_to_mentor": True},
        {"self_level": 4, "manager_level": 3, "interested": True, "willing_to_mentor": False},
    )
    assert merged == {"self_level": 4, "manager_level": 3, "interested": True, "willing_to_mentor": True}
