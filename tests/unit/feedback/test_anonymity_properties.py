"""The anonymity rules as properties: generated subjects with 0 to 8 reviewers per category,
random answers and thresholds; no category under its threshold reaches any result, pooled
aggregate or dashboard input, and the result does not depend on the order answers arrived in."""

from __future__ import annotations

import json

from hypothesis import given, settings
from hypothesis import strategies as st

from tandem.feedback.models import RELATIONSHIPS, SELF
from tandem.feedback.results import (
    ATTRIBUTED,
    THRESHOLD_BOUNDS,
    Question,
    Response,
    Thresholds,
    competency_scores,
    release,
)

QUESTIONS = [
    Question("q-rating-1", "rating", "Communicates clearly", "Communication", "skill-1"),
    Question("q-rating-2", "rating", "Delivers", "Delivery", None),
    Question("q-rating-opt", "rating", "Optional rating", "Delivery", None),
    Question("q-text", "text", "Keep doing?"),
]

thresholds_strategy = st.builds(
    Thresholds,
    peer=st.integers(*THRESHOLD_BOUNDS["peer"]),
    direct_report=st.integers(*THRESHOLD_BOUNDS["direct_report"]),
    other=st.integers(*THRESHOLD_BOUNDS["other"]),
    all_but_self=st.integers(*THRESHOLD_BOUNDS["all_but_self"]),
)


@st.composite
def responses_strategy(draw):
    out = []
    for relationship in RELATIONSHIPS:
        most = 1 if relationship in ATTRIBUTED else 8
        for index in range(draw(st.integers(0, most))):
            answers = {
                "q-rating-1": draw(st.integers(1, 5)),
                "q-rating-2": draw(st.integers(1, 5)),
                "q-text": f"{relationship}-comment-{index}-" + draw(st.text("abc xyz", max_size=8)),
            }
            if draw(st.booleans()):
                answers["q-rating-opt"] = draw(st.integers(1, 5))
            out.append(Response(relationship, answers))
    return out


def dump(result):
    return json.dumps(result, sort_keys=True)


@settings(max_examples=300, deadline=None)
@given(responses_strategy(), thresholds_strategy, st.randoms(use_true_random=False))
def test_results_never_show_a_category_below_its_threshold(responses, thresholds, rnd):
    result = release(QUESTIONS, responses, thresholds)
    counts = {r: sum(1 for x in responses if x.relationship == r) for r in RELATIONSHIPS}
    released = set()
    for category in result["categories"]:
        rel, minimum = category["relationship"], thresholds.minimum(category["relationship"])
        assert category["released"] is (counts[rel] >= minimum)
        if category["released"]:
            released.add(rel)
            assert category["responses"] == counts[rel]
            for item in category["questions"]:
                if item["released"] and item["kind"] == "rating":
                    assert minimum <= item["answers"] == sum(item["distribution"].values())
        else:
            # Left out entirely: no count, no score, no comment.
            assert category["responses"] is None and category["questions"] == []
            if rel not in ATTRIBUTED:
                assert category["responses_text"] == f"fewer than {minimum}"
    # Comments of suppressed categories appear nowhere in the result.
    text = dump(result)
    for rel in set(RELATIONSHIPS) - released:
        assert f"{rel}-comment-" not in text
    # The pooled aggregate is made of released categories only (never self), question by question.
    pooled = result["all_but_self"]
    pooled_count = sum(counts[r] for r in released if r != SELF)
    assert pooled["released"] is (pooled_count >= thresholds.all_but_self)
    if pooled["released"]:
        assert pooled["responses"] == pooled_count
        for item in pooled["questions"]:
            parts = [
                q["answers"]
                for c in result["categories"]
                if c["released"] and c["relationship"] != SELF
                for q in c["questions"]
                if q["question_id"] == item["question_id"] and q["released"]
            ]
            if item["released"]:
                assert item["answers"] == sum(parts) >= thresholds.all_but_self
    else:
        assert pooled["questions"] == [] and pooled["responses"] is None
    # What dashboards and skill evidence read comes from the released pooled aggregate only.
    scores = competency_scores(result)
    if not pooled["released"]:
        assert scores == []
    assert sum(s["answers"] for s in scores) == sum(
        q["answers"] for q in pooled["questions"] if q["released"]
    )
    # Any arrival order gives byte-identical results (and dashboard input).
    shuffled = list(responses)
    rnd.shuffle(shuffled)
    again = release(QUESTIONS, shuffled, thresholds)
    assert dump(again) == text
    assert dump(competency_scores(again)) == dump(scores)


@settings(max_examples=100, deadline=None)
@given(responses_strategy(), thresholds_strategy)
def test_comments_are_in_text_order_not_arrival_order(responses, thresholds):
    result = release(QUESTIONS, responses, thresholds)
    for category in result["categories"]:
        for item in category["questions"]:
            assert item["comments"] == sorted(item["comments"])


def test_the_issue_example_peers_released_direct_reports_suppressed():
    responses = [Response("peer", {"q-rating-1": r, "q-rating-2": 4}) for r in (3, 4, 5)]
    responses += [Response("direct_report", {"q-rating-1": 1, "q-rating-2": 1, "q-text": "secret"})] * 2
    responses += [
        Response("manager", {"q-rating-1": 2, "q-rating-2": 2}),
        Response("self", {"q-rating-1": 5}),
    ]
    result = release(QUESTIONS, responses, Thresholds())
    by = {c["relationship"]: c for c in result["categories"]}
    assert by["peer"]["released"] and by["peer"]["questions"][0]["mean"] == 4.0
    assert by["peer"]["questions"][0]["distribution"] == {"1": 0, "2": 0, "3": 1, "4": 1, "5": 1}
    assert not by["direct_report"]["released"] and by["direct_report"]["responses_text"] == "fewer than 3"
    assert by["manager"]["attributed"] and by["manager"]["released"] and by["self"]["attributed"]
    assert "secret" not in json.dumps(result)
    # Pooled: manager + 3 peers = 4; the two direct reports' 1s are not folded in.
    pooled = result["all_but_self"]
    assert pooled["released"] and pooled["responses"] == 4
    assert pooled["questions"][0]["mean"] == round((2 + 3 + 4 + 5) / 4, 2)


def test_stored_thresholds_are_clamped_into_the_safe_bounds():
    assert Thresholds.from_dict({"peer": 1, "direct_report": 99, "all_but_self": "x"}) == Thresholds(
        peer=3, direct_report=10, other=3, all_but_self=4
    )
