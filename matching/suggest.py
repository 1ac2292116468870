"""Top-k eligible mentors for one mentee, scored in one vectorised pass over all mentors."""

from __future__ import annotations

import numpy as np

from .arrays import forbidden_for, roster
from .errors import InputError
from .explain import pair_details
from .lap import Slots
from .model import Instance
from .objective import regular_slots
from .pairs import candidate_row
from .result import Suggestion
from .scoring import Criteria, criteria


def suggest(instance: Instance, mentee_id: str, k: int = 5) -> list[Suggestion]:
    """The ``k`` best eligible mentors for ``mentee_id``, best first (ties: mentor id), with reasons.

    Eligibility is every hard constraint that does not depend on other mentees: not the mentee,
    not in their chain or subtree, not excluded, capacity above 0, score at least min_score.
    """
    r = roster(instance)
    i = r.mentee_index.get(mentee_id)
    if i is None:
        raise InputError(f"unknown mentee id {mentee_id!r}")
    if isinstance(k, bool) or not isinstance(k, int) or k < 0:
        raise InputError(f"k must be a non-negative integer, got {k!r}")
    m = len(r.mentor_ids)
    crit = None
    if instance.candidates is not None:
        scores = candidate_row(instance, i)
    else:
        crit = criteria(instance, i, np.arange(m))
        scores = crit.total
    ok = (scores >= instance.options.min_score) & (scores >= 0) & (r.capacity > 0)
    ok[forbidden_for(instance, i)[0]] = False
    cols = np.flatnonzero(ok)
    if k == 0:
        return []
    if cols.size > k:
        # argpartition finds the k best in linear time; the sort below fixes their order and ties.
        kth = np.partition(scores[cols], cols.size - k)[cols.size - k]
        cols = cols[scores[cols] >= kth]
    cols = cols[np.lexsort((cols, -scores[cols]))][:k]
    slots = Slots(r.capacity, regular_slots(r.capacity, None), 0)
    if crit is not None:
        crit = Criteria(
            crit.needs[cols],
            crit.goals[cols],
            crit.team[cols],
            crit.total[cols],
            np.tile(crit.weights, (cols.size, 1)),
        )
    load = np.zeros(m, dtype=np.int64)
    details = pair_details(instance, np.full(cols.size, i), cols, scores[cols], load, slots, crit)
    return [
        Suggestion(r.mentor_ids[j], float(scores[j]), reasons, breakdown)
        for j, (reasons, breakdown) in zip(cols.tolist(), details, strict=True)
    ]
