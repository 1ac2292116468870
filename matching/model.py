"""Typed input of the engine: people, options and the whole instance."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Literal

Objective = Literal["participation", "score"]
SolverName = Literal["auto", "networkx"]

# The most places a mentor may declare (parse_instance rejects more). Far above any real load, and
# small enough that capacities fit int64 and the load share floor(share x capacity) is exact in
# float64 (docs/matching.md, sections 1 and 6).
MAX_CAPACITY = 1_000_000


@dataclass(frozen=True)
class Mentee:
    id: str
    needs: Mapping[str, int] = field(default_factory=dict)  # skill -> wanted level 1..5
    goals: tuple[str, ...] = ()
    team: str | None = None
    managers: tuple[str, ...] = ()  # ids up the management chain


@dataclass(frozen=True)
class Mentor:
    id: str
    capacity: int
    skills: Mapping[str, int] = field(default_factory=dict)  # skill -> level 1..5
    topics: tuple[str, ...] = ()
    team: str | None = None
    managers: tuple[str, ...] = ()


@dataclass(frozen=True)
class Weights:
    """Relative weights of the scoring criteria (renormalised per mentee, see docs/matching.md)."""

    needs: float = 0.7
    goals: float = 0.25
    team: float = 0.05


@dataclass(frozen=True)
class Options:
    objective: Objective = "participation"
    min_score: float = 0.0
    weights: Weights = field(default_factory=Weights)
    # Related-skill credit below this is ignored, which also bounds how far paths reach.
    related_min_credit: float = 0.25
    # Fairness: None disables it; otherwise the share of capacity above which a placement is penalised.
    max_load_share: float | None = None
    load_share_margin: float = 0.1
    solver: SolverName = "auto"


# eq=False keeps identity hashing, so compiled arrays can be cached per instance in a weak dictionary.
@dataclass(frozen=True, eq=False)
class Instance:
    """A validated problem; people are sorted by id so input order never matters."""

    mentees: tuple[Mentee, ...]
    mentors: tuple[Mentor, ...]
    skills: Mapping[str, Mapping[str, float]] = field(default_factory=dict)  # id -> related {id: weight}
    candidates: tuple[tuple[str, str, float], ...] | None = None
    exclude: frozenset[tuple[str, str]] = frozenset()
    options: Options = field(default_factory=Options)

    def __post_init__(self) -> None:
        # Built by hand rather than by parse_instance, people may come in any order; the engine's
        # tie-breaking is defined on id order, so normalise here too.
        object.__setattr__(self, "mentees", tuple(sorted(self.mentees, key=lambda p: p.id)))
        object.__setattr__(self, "mentors", tuple(sorted(self.mentors, key=lambda p: p.id)))
