"""A seeded synthetic organisation looks real: tree shape, people, and the proportions of each domain."""

from __future__ import annotations

from collections import Counter
from datetime import date, timedelta
from typing import Any

import pytest

from .conftest import EMPLOYEES, TODAY, rows

# These tests build their own app on their own database.
pytestmark = pytest.mark.committed


def _count(acme: dict[str, Any], table: str, where: str = "TRUE") -> int:
    return rows(
        acme["app"], f"SELECT count(*) FROM {table} WHERE tenant_id = :t AND {where}", t=acme["tenant_id"]
    )[0][0]


def test_the_summary_names_the_hr_admin_the_root_manager_and_the_counts(acme):
    output = acme["output"]
    assert "HR admin:" in output and "Root manager:" in output
    assert f"users {EMPLOYEES}" in output and "goal_checkins" in output


def test_one_root_a_tree_about_six_levels_deep_with_spans_of_3_to_12(acme):
    people = rows(acme["app"], "SELECT id, manager_id FROM users WHERE tenant_id = :t", t=acme["tenant_id"])
    assert len(people) == EMPLOYEES
    roots = [pid for pid, manager in people if manager is None]
    assert len(roots) == 1
    reports: dict[Any, list[Any]] = {}
    for pid, manager in people:
        reports.setdefault(manager, []).append(pid)
    level, frontier, depth = {roots[0]: 0}, [roots[0]], 1
    while frontier:
        frontier = [child for pid in frontier for child in reports.get(pid, [])]
        for child in frontier:
            level[child] = depth
        depth += bool(frontier)
    assert len(level) == EMPLOYEES  # everyone is under the root: no cycles, no orphans
    assert 5 <= depth <= 7
    deepest = max(level.values())
    spans = [len(kids) for pid, kids in reports.items() if pid is not None and level[kids[0]] < deepest]
    assert spans and all(3 <= span <= 12 for span in spans), Counter(spans)
    last = [len(kids) for pid, kids in reports.items() if pid is not None and level[kids[0]] == deepest]
    assert all(span <= 12 for span in last)


def test_people_have_titles_teams_join_dates_over_three_years_and_a_few_left(acme):
    today = date.fromisoformat(TODAY)
    people = rows(
        acme["app"],
        "SELECT title, team_id, role, is_active, deactivated_at, created_at FROM users WHERE tenant_id = :t",
        t=acme["tenant_id"],
    )
    assert all(title for title, *_ in people)
    assert len({title for title, *_ in people}) >= 15
    assert sum(team is not None for _t, team, *_ in people) >= 0.85 * len(people)
    assert [role for _t, _team, role, *_ in people].count("hr_admin") == 1
    inactive = [(active, gone) for _t, _team, _r, active, gone, _c in people if not active]
    assert all(gone is not None for _a, gone in inactive)
    assert 1 <= len(inactive) <= 0.1 * len(people)
    joined = [created.date() for *_rest, created in people]
    assert min(joined) <= today - timedelta(days=900)
    recent = sum(day >= today - timedelta(days=30) for day in joined)
    assert 1 <= recent <= 0.1 * len(people)
    assert _count(acme, "teams") >= 20


def test_goals_check_ins_and_learning_come_in_benchmark_proportions(acme):
    active = _count(acme, "users", "is_active")
    goals, checkins = _count(acme, "goals"), _count(acme, "goal_checkins")
    assert 4 <= goals / active <= 7
    assert 3 <= checkins / goals <= 8
    assert 7 <= _count(acme, "learning_items") / active <= 13
    assert _count(acme, "skills") >= 280 and _count(acme, "skill_relations") >= 150
    assert _count(acme, "role_profiles") > 50 and _count(acme, "person_skills") > 5 * active
    assert 0.2 <= _count(acme, "feedback_requests") / active <= 0.55
    assert _count(acme, "feedback_responses") > 2 * _count(acme, "feedback_requests") * 0.8
    assert 0.08 <= _count(acme, "mentor_profiles") / active <= 0.2
    assert _count(acme, "mentorships") > 0 and _count(acme, "mentoring_sessions") > 0
    assert _count(acme, "mentoring_requests", "status = 'open'") > 0


def test_goal_statuses_progress_and_smart_follow_the_real_rules(acme):
    app, t = acme["app"], acme["tenant_id"]
    statuses = Counter(s for (s,) in rows(app, "SELECT status FROM goals WHERE tenant_id = :t", t=t))
    assert set(statuses) == {"draft", "active", "completed", "abandoned"}
    assert statuses["active"] > statuses["completed"] > 0
    # A goal without children ends where its last check-in left it.
    last = rows(
        app,
        """
        SELECT g.progress, g.current_value, g.measure_kind, c.progress, c.value
        FROM goals g JOIN LATERAL (
            SELECT progress, value FROM goal_checkins c WHERE c.goal_id = g.id ORDER BY at DESC, id LIMIT 1
        ) c ON TRUE
        WHERE g.tenant_id = :t AND NOT EXISTS (SELECT 1 FROM goals k WHERE k.parent_id = g.id)
        """,
        t=t,
    )
    assert len(last) > 500
    for progress, current, kind, checkin_progress, value in last:
        assert progress == pytest.approx(checkin_progress)
        if kind == "numeric":
            assert current == value
    milestones = rows(
        app,
        "SELECT completed_at FROM goals WHERE tenant_id = :t AND kind = 'milestone' AND status = 'completed'",
        t=t,
    )
    assert milestones and all(done is not None for (done,) in milestones)
    assert _count(acme, "goal_celebrations") == len(milestones)
    smart = rows(app, "SELECT smart FROM goals WHERE tenant_id = :t", t=t)
    scores = Counter(s["score"] for (s,) in smart)
    assert set(scores) - {5} and scores[5] > len(smart) / 2  # mostly SMART, some not
    today = date.fromisoformat(TODAY)
    overdue = _count(acme, "goals", f"status = 'active' AND progress < 1 AND due_date < '{today}'")
    assert overdue > 0


def test_check_in_values_only_move_towards_the_target(acme):
    points = rows(
        acme["app"],
        "SELECT goal_id, progress FROM goal_checkins WHERE tenant_id = :t ORDER BY goal_id, at, id",
        t=acme["tenant_id"],
    )
    previous: dict[Any, float] = {}
    for goal_id, progress in points:
        assert progress >= previous.get(goal_id, 0.0) - 1e-9
        previous[goal_id] = progress


def test_learning_items_in_every_state_with_overdue_ones_and_certificates_expiring_soon(acme):
    today = date.fromisoformat(TODAY)
    statuses = Counter(
        s
        for (s,) in rows(
            acme["app"], "SELECT status FROM learning_items WHERE tenant_id = :t", t=acme["tenant_id"]
        )
    )
    assert set(statuses) == {"planned", "in_progress", "completed", "dropped"}
    assert (
        _count(acme, "learning_items", f"status IN ('planned', 'in_progress') AND due_date < '{today}'") > 0
    )
    soon = f"expires_on BETWEEN '{today}' AND '{today + timedelta(days=90)}'"
    assert _count(acme, "learning_items", f"status = 'completed' AND kind = 'certification' AND {soon}") > 0


def test_feedback_responses_carry_only_the_relationship_and_answers(acme):
    columns = {
        name
        for (name,) in rows(
            acme["app"],
            "SELECT column_name FROM information_schema.columns WHERE table_name = 'feedback_responses'",
        )
    }
    assert columns == {"id", "tenant_id", "request_id", "relationship", "answers"}
    statuses = Counter(
        s
        for (s,) in rows(
            acme["app"], "SELECT status FROM feedback_invitations WHERE tenant_id = :t", t=acme["tenant_id"]
        )
    )
    assert {"submitted", "invited", "declined"} <= set(statuses)
    # As many responses per request and relationship as submitted invitations, never more.
    mismatched = rows(
        acme["app"],
        """
        SELECT i.request_id, i.relationship FROM feedback_invitations i WHERE i.tenant_id = :t
          AND i.status = 'submitted' GROUP BY 1, 2
        HAVING count(*) <> (SELECT count(*) FROM feedback_responses r
                            WHERE r.request_id = i.request_id AND r.relationship = i.relationship)
        """,
        t=acme["tenant_id"],
    )
    assert mismatched == []
