"""Per-person figures and payloads from hand-made rows: what each metric counts, week buckets,
running totals, and feedback that only its release rules let through."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime, timedelta

import numpy as np

from reports import figures, payloads
from reports.aggregation import Frame, Tree, groups_of
from tandem.feedback import results

NOW = datetime(2026, 11, 21, 12, 0, tzinfo=UTC)
TODAY = NOW.date()
WINDOW = figures.Window(NOW)


def org() -> Tree:
    return Tree.build(
        [("boss", None, "t"), ("ann", "boss", "t"), ("bob", "boss", None), ("gone", "boss", None)], ["t"]
    )


def people_rows():
    long_ago = NOW - timedelta(days=400)
    return [
        ("boss", None, "t", "Boss", True, long_ago, None),
        ("ann", "boss", "t", "Ann", True, NOW - timedelta(days=10), None),
        ("bob", "boss", None, "Bob", True, long_ago, None),
        ("gone", "boss", None, "Gone", False, long_ago, NOW - timedelta(days=20)),
    ]


def test_week_buckets():
    assert WINDOW.week_index(0) == 11 and WINDOW.week_index(11) == 0
    assert WINDOW.week_index(12) == -1 and WINDOW.week_index(-1) is None
    assert WINDOW.week_of(NOW - timedelta(days=8)) == 10
    assert WINDOW.week_ends()[-1] == NOW


def test_people_goals_and_trends():
    tree = org()
    columns = figures.Columns(len(tree))
    active = figures.people_columns(columns, tree, people_rows(), WINDOW)
    assert active.tolist() == [1, 1, 1, 0]
    assert columns["new_joiners"].tolist() == [0, 1, 0, 0]
    # Ann joined 10 days ago: counted in the last two weeks only; Gone left 20 days ago.
    assert columns[figures.trend_name("headcount", 11)].tolist() == [1, 1, 1, 0]
    assert columns[figures.trend_name("headcount", 8)].tolist() == [1, 0, 1, 1]  # 21 days ago
    start, due = TODAY - timedelta(days=50), TODAY + timedelta(days=50)
    goals = [
        # owner, kind, status, progress, start, due, completed_at, smart, last check-in
        ("ann", "goal", "active", 0.5, start, due, None, {"score": 5}, NOW - timedelta(days=2)),
        ("ann", "goal", "active", 0.0, start, due, None, {"score": 3}, None),  # behind and stale
        ("ann", "milestone", "completed", 1.0, start, due, NOW - timedelta(days=3), {}, None),
        ("bob", "goal", "draft", 0.0, start, due, None, {"score": 1}, None),
        ("gone", "goal", "active", 0.2, start, due, None, {"score": 4}, None),  # deactivated: ignored
    ]
    figures.goal_columns(columns, tree, goals, WINDOW, active)
    ann = tree.index["ann"]
    assert columns["goals_active"][ann] == 2 and columns["goals_draft"][tree.index["bob"]] == 1
    assert columns["health_on_track"][ann] == 1 and columns["health_off_track"][ann] == 1
    assert columns["goals_without_check_in_30d"][ann] == 1
    assert columns["milestones_completed_30d"][ann] == 1
    assert columns[figures.trend_name("milestones", 11)][ann] == 1
    assert columns["without_active_goal"].tolist() == [1, 0, 1, 0]
    assert columns["smart_sum"].tolist() == [0, 8, 1, 0] and columns["smart_n"].tolist() == [0, 2, 1, 0]

    check_ins = [
        # owner, weeks before now, check-ins, first check-ins, sum of progress changes
        ("ann", 20, 1, 1, 0.2),  # before the window: the baseline
        ("ann", 5, 2, 1, 0.5),
        ("ann", 0, 1, 0, -0.2),
    ]
    figures.check_in_columns(columns, tree, check_ins, WINDOW, active)
    sums = [columns[figures.trend_name("progress_sum", w)][ann] for w in range(12)]
    counts = [columns[figures.trend_name("progress_n", w)][ann] for w in range(12)]
    assert sums[:6] == [0.2] * 6 and sums[6:11] == [0.7] * 5 and np.isclose(sums[11], 0.5)
    assert counts[:6] == [1] * 6 and counts[6:] == [2] * 6
    assert columns[figures.trend_name("check_ins", 6)][ann] == 2

    frame = Frame.from_columns(len(tree), columns.data)
    boss = frame.sums(groups_of(tree).subtree).row(tree.index["boss"])
    body = payloads.sections(boss, [])
    assert body["people"] == {"headcount": 2, "new_joiners_30d": 1, "without_active_goal": 1}
    assert body["goals"]["by_status"] == {"draft": 1, "active": 2, "completed": 0, "abandoned": 0}
    assert body["goals"]["average_progress"] == 0.25 and body["goals"]["average_smart_score"] == 3.0
    assert body["feedback"]["completion_rate"] is None  # nothing sent: no rate, not 0
    trend = payloads.trends_table(boss, WINDOW.week_ends())
    assert trend["rows"][-1]["average_progress"] == 0.25 and trend["rows"][-1]["headcount"] == 2


def test_only_released_feedback_reaches_a_dashboard():
    tree = Tree.build([("subject", None, None)])
    question = results.Question(id="q1", kind="rating", prompt="Listens", competency="Communication")
    two_peers = [results.Response("peer", {"q1": 5}), results.Response("peer", {"q1": 1})]
    four_peers = [results.Response("peer", {"q1": v}) for v in (5, 4, 4, 3)]
    request_a, request_b = uuid.uuid4(), uuid.uuid4()
    template = uuid.uuid4()
    requests = [(request_a, "subject", template, {}), (request_b, "subject", template, {})]
    responses = [(request_a, r.relationship, r.answers) for r in two_peers]
    active = np.ones(1)
    scores = figures.competency_scores(tree, requests, responses, lambda _t: [question], active)
    assert scores.competencies == ()  # two peers are under the threshold of three: nothing
    responses += [(request_b, r.relationship, r.answers) for r in four_peers]
    scores = figures.competency_scores(tree, requests, responses, lambda _t: [question], active)
    assert scores.competencies == ("Communication",)
    assert scores.answers[0, 0] == 4 and scores.sums[0, 0] == 16


def test_feedback_table_leaves_held_back_competencies_out_entirely():
    table, hidden = payloads.feedback_scores_table(
        ("A", "B", "C"), [16.0, 9.0, 0.0], [4.0, 3.0, 0.0], [3.0, 1.0, 0.0], [True, False, False]
    )
    assert hidden == 1
    assert table["rows"] == [{"competency": "A", "score": 4.0, "answers": 4, "people": 3}]


def test_skill_gaps_use_the_managers_level_first():
    tree = Tree.build([("a", None, None), ("b", "a", None)])
    rows = [
        ("b", "py", 4, 1, 3),
        ("b", "sql", 3, 3, None),
        ("a", "py", 5, None, None),
        ("b", "go", 2, None, None),
    ]
    gaps = figures.skill_gaps(tree, rows, np.ones(2))
    has = gaps.has_gap.toarray()
    skills = list(gaps.skills)
    assert has[tree.index["b"], skills.index("py")] == 1 and "sql" not in skills  # 3 - 3: no gap
    assert gaps.size.toarray()[tree.index["b"], skills.index("py")] == 1  # manager says 3, not 1
    table = payloads.skill_gaps_table({"py": 2, "go": 1}, {"py": 6, "go": 2}, {"py": "Python", "go": "Go"})
    assert [r["skill"] for r in table["rows"]] == ["Python", "Go"] and table["rows"][0]["average_gap"] == 3.0


def test_learning_and_mentoring_columns():
    tree = org()
    columns = figures.Columns(len(tree))
    active = figures.people_columns(columns, tree, people_rows(), WINDOW)
    figures.learning_columns(
        columns,
        tree,
        [("ann", 2, 1, 3, 1, 10.0, 6.0, 1), ("gone", 9, 9, 9, 9, 9.0, 9.0, 9)],
        [("ann", TODAY - timedelta(days=1), 2), ("ann", date(2020, 1, 1), 5)],
        WINDOW,
        active,
    )
    ann = tree.index["ann"]
    assert columns["learning_completed"][ann] == 3 and columns["learning_completed"][tree.index["gone"]] == 0
    assert columns[figures.trend_name("learning", 11)][ann] == 2
    figures.mentoring_columns(
        columns,
        tree,
        [
            ("ann", "bob", "active", NOW - timedelta(days=30), None),
            ("bob", "boss", "completed", NOW - timedelta(days=60), NOW - timedelta(days=1)),
        ],
        [("bob", 1)],
        [("bob", True, 2), ("boss", False, 3)],
        WINDOW,
        active,
    )
    assert columns["has_mentor"].tolist() == [0, 1, 0, 0]
    assert columns[figures.trend_name("has_mentor", 10)][tree.index["bob"]] == 1  # ended yesterday
    assert columns["mentors"].tolist() == [0, 0, 1, 0] and columns["mentor_active"][tree.index["bob"]] == 1
