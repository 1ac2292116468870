"""The anonymity rules and the aggregation of released results: pure functions, no database.

The same multiset of responses always gives the same result, whatever order they came in:
counts and sums do not depend on order, comments are sorted by their text, and nothing carries
a time. A category below its threshold is left out entirely (scores and comments) and none of
its answers reach any other aggregate."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from .models import DIRECT_REPORT, MANAGER, OTHER, PEER, RATING, RATING_MAX, RATING_MIN, RELATIONSHIPS, SELF

LABELS = {
    SELF: "Self (attributed: the subject's own answers)",
    MANAGER: "Manager (attributed: the subject's manager)",
    PEER: "Peers",
    DIRECT_REPORT: "Direct reports",
    OTHER: "Others",
}
# Self and manager are one known person each: they are shown as such, never pooled anonymously.
ATTRIBUTED = (SELF, MANAGER)

# Tenant-configurable within these bounds (see docs/feedback.md).
DEFAULT_THRESHOLDS = {"peer": 3, "direct_report": 3, "other": 3, "all_but_self": 4}
THRESHOLD_BOUNDS = {"peer": (3, 10), "direct_report": (3, 10), "other": (3, 10), "all_but_self": (4, 20)}


@dataclass(frozen=True)
class Thresholds:
    peer: int = 3
    direct_report: int = 3
    other: int = 3
    all_but_self: int = 4

    @classmethod
    def from_dict(cls, values: Mapping[str, Any] | None) -> Thresholds:
        """Stored thresholds, clamped into the safe bounds whatever was stored."""
        merged = {
            **DEFAULT_THRESHOLDS,
            **{k: v for k, v in (values or {}).items() if k in DEFAULT_THRESHOLDS},
        }
        clamped = {}
        for key, (low, high) in THRESHOLD_BOUNDS.items():
            value = merged[key]
            clamped[key] = min(high, max(low, value if isinstance(value, int) else DEFAULT_THRESHOLDS[key]))
        return cls(**clamped)

    def as_dict(self) -> dict[str, int]:
        return {
            "peer": self.peer,
            "direct_report": self.direct_report,
            "other": self.other,
            "all_but_self": self.all_but_self,
        }

    def minimum(self, relationship: str) -> int:
        """Responses a category needs to be shown (attributed categories: one)."""
        if relationship in ATTRIBUTED:
            return 1
        return int(getattr(self, relationship))


@dataclass(frozen=True)
class Question:
    id: str
    kind: str
    prompt: str
    competency: str = ""
    skill_id: str | None = None


@dataclass(frozen=True)
class Response:
    relationship: str
    answers: Mapping[str, Any]


def _count_text(count: int, released: bool, minimum: int, attributed: bool) -> str:
    if released:
        return str(count)
    return "no response" if attributed else f"fewer than {minimum}"


def _ratings(responses: Sequence[Response], question_id: str) -> list[int]:
    values = []
    for response in responses:
        value = response.answers.get(question_id)
        if isinstance(value, int) and not isinstance(value, bool) and RATING_MIN <= value <= RATING_MAX:
            values.append(value)
    return values


def _rating_stats(values: Sequence[int]) -> dict[str, Any]:
    distribution = {str(k): 0 for k in range(RATING_MIN, RATING_MAX + 1)}
    for value in values:
        distribution[str(value)] += 1
    # An exact sum of integers, rounded once: the same multiset always gives the same mean.
    return {"mean": round(sum(values) / len(values), 2), "distribution": distribution, "answers": len(values)}


def _question_base(question: Question) -> dict[str, Any]:
    return {
        "question_id": question.id,
        "kind": question.kind,
        "prompt": question.prompt,
        "competency": question.competency,
        "skill_id": question.skill_id,
    }


def _suppressed_rating(question: Question, minimum: int) -> dict[str, Any]:
    return {
        **_question_base(question),
        "released": False,
        "mean": None,
        "distribution": None,
        "answers": None,
        "answers_text": f"fewer than {minimum}",
        "comments": [],
    }


def _category_questions(
    questions: Sequence[Question], responses: Sequence[Response], minimum: int
) -> tuple[list[dict[str, Any]], dict[str, list[int]]]:
    """Per-question results of a released category, and the ratings it may pass on to the pooled
    aggregate (only questions that were themselves released here)."""
    out, passed_on = [], {}
    for question in questions:
        if question.kind == RATING:
            values = _ratings(responses, question.id)
            if values and len(values) >= minimum:
                out.append(
                    {
                        **_question_base(question),
                        "released": True,
                        **_rating_stats(values),
                        "answers_text": str(len(values)),
                        "comments": [],
                    }
                )
                passed_on[question.id] = values
            else:
                out.append(_suppressed_rating(question, minimum))
        else:
            comments = sorted(
                text.strip()
                for response in responses
                if isinstance(text := response.answers.get(question.id), str) and text.strip()
            )
            out.append(
                {
                    **_question_base(question),
                    "released": True,
                    "mean": None,
                    "distribution": None,
                    "answers": len(comments),
                    "answers_text": str(len(comments)),
                    "comments": comments,
                }
            )
    return out, passed_on


def release(
    questions: Sequence[Question], responses: Iterable[Response], thresholds: Thresholds
) -> dict[str, Any]:
    """The result for one subject as every permitted viewer sees it (subject, their managers,
    HR admins alike): per relationship category, and all reviewers but self pooled."""
    by_category: dict[str, list[Response]] = defaultdict(list)
    for response in responses:
        if response.relationship in RELATIONSHIPS:
            by_category[response.relationship].append(response)
    categories = []
    pooled: dict[str, list[int]] = defaultdict(list)
    pooled_responses = 0
    for relationship in RELATIONSHIPS:
        members = by_category.get(relationship, [])
        minimum = thresholds.minimum(relationship)
        attributed = relationship in ATTRIBUTED
        released = len(members) >= minimum
        category: dict[str, Any] = {
            "relationship": relationship,
            "label": LABELS[relationship],
            "attributed": attributed,
            "threshold": minimum,
            "released": released,
            "responses": len(members) if released else None,
            "responses_text": _count_text(len(members), released, minimum, attributed),
            "questions": [],
        }
        if released:
            category["questions"], passed_on = _category_questions(questions, members, minimum)
            if relationship != SELF:
                pooled_responses += len(members)
                for question_id, values in passed_on.items():
                    pooled[question_id].extend(values)
        categories.append(category)
    return {
        "categories": categories,
        "all_but_self": _pooled(questions, pooled, pooled_responses, thresholds),
    }


def _pooled(
    questions: Sequence[Question], pooled: Mapping[str, list[int]], count: int, thresholds: Thresholds
) -> dict[str, Any]:
    minimum = thresholds.all_but_self
    released = count >= minimum
    items = []
    if released:
        for question in questions:
            if question.kind != RATING:
                continue
            values = pooled.get(question.id, [])
            if len(values) >= minimum:
                items.append(
                    {
                        **_question_base(question),
                        "released": True,
                        **_rating_stats(values),
                        "answers_text": str(len(values)),
                        "comments": [],
                    }
                )
            else:
                items.append(_suppressed_rating(question, minimum))
    return {
        "label": "All reviewers but self (released categories only)",
        "threshold": minimum,
        "released": released,
        "responses": count if released else None,
        "responses_text": str(count) if released else f"fewer than {minimum}",
        "questions": items,
    }


def competency_scores(result: Mapping[str, Any]) -> list[dict[str, Any]]:
    """What dashboards and skill evidence may use: per competency (and skill), the mean of the
    released pooled ratings, from a released result only (the same thresholds apply)."""
    pooled = result.get("all_but_self") or {}
    if not pooled.get("released"):
        return []
    totals: dict[tuple[str, str | None], list[int]] = {}
    for item in pooled.get("questions", []):
        if not item.get("released") or item.get("distribution") is None:
            continue
        key = (item["competency"], item["skill_id"])
        weighted, answers = totals.setdefault(key, [0, 0])
        totals[key] = [
            weighted + sum(int(k) * n for k, n in item["distribution"].items()),
            answers + item["answers"],
        ]
    return [
        {
            "competency": competency,
            "skill_id": skill_id,
            "mean": round(weighted / answers, 2),
            "answers": answers,
        }
        for (competency, skill_id), (weighted, answers) in sorted(
            totals.items(), key=lambda kv: (kv[0][0], kv[0][1] or "")
        )
        if answers
    ]
