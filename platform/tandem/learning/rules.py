"""Pure learning rules (no database): the current level, gap ranking, item status changes and
certificate expiry windows."""

from __future__ import annotations

import calendar
from collections.abc import Hashable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from .models import COMPLETED, DROPPED, IN_PROGRESS, PLANNED

ROLE, TARGET, GOAL = "role_profile", "target_profile", "goal"
NEED_KINDS = (ROLE, TARGET, GOAL)
DEFAULT_EXPIRY_DAYS = 90

# Completed is final (its evidence is recorded); a dropped item may be picked up again.
TRANSITIONS: dict[str, set[str]] = {
    PLANNED: {IN_PROGRESS, COMPLETED, DROPPED},
    IN_PROGRESS: {PLANNED, COMPLETED, DROPPED},
    DROPPED: {PLANNED, IN_PROGRESS},
    COMPLETED: set(),
}


def current_level(self_level: int | None, manager_level: int | None) -> int:
    """The level a gap is measured from: the manager's assessment when there is one, else the
    person's own, else 0 (not assessed). Evidence never enters into it."""
    if manager_level is not None:
        return manager_level
    return self_level if self_level is not None else 0


@dataclass(frozen=True)
class Need:
    """One reason a person needs a skill at a level: their role, the next step, or a goal."""

    skill_id: Hashable
    level: int
    kind: str
    source_id: Hashable
    source_name: str = ""


@dataclass
class Gap:
    skill_id: Hashable
    required: int
    current: int
    needs: list[Need] = field(default_factory=list)

    @property
    def size(self) -> int:
        return self.required - self.current

    @property
    def goal_ids(self) -> list[Hashable]:
        return sorted({n.source_id for n in self.needs if n.kind == GOAL}, key=str)


def rank_gaps(
    needs: Iterable[Need],
    levels: Mapping[Hashable, int],
    names: Mapping[Hashable, str] | None = None,
    *,
    min_gap: int = 1,
) -> list[Gap]:
    """Required level (the highest any need asks for) minus the current level, per skill; the gaps
    of at least `min_gap`, largest first, then those more goals depend on, then by name."""
    by_skill: dict[Hashable, Gap] = {}
    for need in needs:
        gap = by_skill.get(need.skill_id)
        if gap is None:
            gap = by_skill[need.skill_id] = Gap(need.skill_id, need.level, levels.get(need.skill_id, 0))
        gap.required = max(gap.required, need.level)
        gap.needs.append(need)
    names = names or {}
    kept = [g for g in by_skill.values() if g.size >= max(min_gap, 1)]
    for gap in kept:
        gap.needs.sort(key=lambda n: (NEED_KINDS.index(n.kind), -n.level, n.source_name, str(n.source_id)))
    return sorted(
        kept,
        key=lambda g: (-g.size, -len(g.goal_ids), -g.required, names.get(g.skill_id, ""), str(g.skill_id)),
    )


def can_move(old: str, new: str) -> bool:
    return old == new or new in TRANSITIONS[old]


def expiry_window(today: date, days: int = DEFAULT_EXPIRY_DAYS) -> tuple[date, date]:
    """Certificates expiring from today to `days` ahead (both inclusive) are "about to expire"."""
    return today, today + timedelta(days=days)


def is_expiring(expires_on: date | None, today: date, days: int = DEFAULT_EXPIRY_DAYS) -> bool:
    if expires_on is None:
        return False
    start, end = expiry_window(today, days)
    return start <= expires_on <= end


def add_months(day: date, months: int) -> date:
    """`day` plus whole months, clamped to the month's last day (31 Jan + 1 month = 28/29 Feb)."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def merge_profile_lines(keep: dict[str, Any], gone: dict[str, Any]) -> dict[str, Any]:
    """Two lines of one person's profile for skills being merged: keep the higher levels and
    either's interest and willingness to mentor."""

    def higher(a: int | None, b: int | None) -> int | None:
        return max((v for v in (a, b) if v is not None), default=None)

    return {
        "self_level": higher(keep.get("self_level"), gone.get("self_level")),
        "manager_level": higher(keep.get("manager_level"), gone.get("manager_level")),
        "interested": bool(keep.get("interested") or gone.get("interested")),
        "willing_to_mentor": bool(keep.get("willing_to_mentor") or gone.get("willing_to_mentor")),
    }
