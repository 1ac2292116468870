"""Typed output of the engine and its JSON-ready dict form."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

import numpy as np

Breakdown = Mapping[str, Mapping[str, float]]  # criterion -> {"value": v, "weight": w}


@dataclass(frozen=True)
class Assignment:
    mentee: str
    mentor: str
    score: float
    reasons: tuple[str, ...]
    breakdown: Breakdown = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        return {
            "mentee": self.mentee,
            "mentor": self.mentor,
            "score": self.score,
            "reasons": list(self.reasons),
            "breakdown": {k: dict(v) for k, v in self.breakdown.items()},
        }


@dataclass(frozen=True)
class Unmatched:
    mentee: str
    reason: str
    constraint: str  # the binding constraint, e.g. "capacity", "management_chain", "min_score"

    def to_dict(self) -> dict[str, Any]:
        return {"mentee": self.mentee, "reason": self.reason, "constraint": self.constraint}


@dataclass(frozen=True)
class Result:
    assignments: tuple[Assignment, ...]
    unmatched: tuple[Unmatched, ...]
    matched: int
    total_score: float
    stats: Mapping[str, Any]

    def to_dict(self) -> dict[str, Any]:
        return {
            "assignments": [a.to_dict() for a in self.assignments],
            "unmatched": [u.to_dict() for u in self.unmatched],
            "objective": {"matched": self.matched, "total_score": self.total_score},
            "stats": dict(self.stats),
        }


@dataclass(frozen=True)
class Suggestion:
    mentor: str
    score: float
    reasons: tuple[str, ...]
    breakdown: Breakdown = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        return {
            "mentor": self.mentor,
            "score": self.score,
            "reasons": list(self.reasons),
            "breakdown": {k: dict(v) for k, v in self.breakdown.items()},
        }


@dataclass(frozen=True, eq=False)
class ScoredPairs:
    """Every eligible pair and its score, as arrays (there can be millions); sorted by mentee id,
    then best score first, then mentor id."""

    mentee_ids: tuple[str, ...]
    mentor_ids: tuple[str, ...]
    rows: np.ndarray
    cols: np.ndarray
    scores: np.ndarray

    def __len__(self) -> int:
        return len(self.rows)

    def triples(self) -> Iterator[tuple[str, str, float]]:
        mentees, mentors = self.mentee_ids, self.mentor_ids
        for i, j, s in zip(self.rows.tolist(), self.cols.tolist(), self.scores.tolist(), strict=True):
            yield mentees[i], mentors[j], s
