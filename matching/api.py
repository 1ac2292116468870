"""The engine's entry points: solve an instance, or list every eligible pair with its score."""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from . import flow, solver
from .arrays import roster
from .explain import pair_details, unmatched_reasons
from .lap import Slots
from .model import Instance
from .objective import Encoding, encode, regular_slots
from .pairs import DensePairs, SparsePairs, build_pairs
from .result import Assignment, Result, ScoredPairs


@dataclass(frozen=True)
class Prepared:
    """The optimisation problem in integers: eligible pairs, mentor slots and the objective encoding."""

    pairs: DensePairs | SparsePairs
    slots: Slots
    encoding: Encoding
    participation: bool


def prepare(instance: Instance) -> Prepared:
    r = roster(instance)
    options = instance.options
    n, m = len(r.mentee_ids), len(r.mentor_ids)
    capacity = r.capacity
    enc = encode(options, max_matches=min(n, int(capacity.sum())), nodes=n + m + 2)
    slots = Slots(capacity, regular_slots(capacity, options.max_load_share, r.declared), enc.penalty)
    return Prepared(build_pairs(instance, enc), slots, enc, options.objective == "participation")


def solve(instance: Instance) -> Result:
    """The optimal matching for ``instance.options.objective``, with reasons for every outcome."""
    prep = prepare(instance)
    r = roster(instance)
    pairs, slots, enc = prep.pairs, prep.slots, prep.encoding
    stats: dict[str, object] = {
        "mentees": pairs.n,
        "mentors": pairs.m,
        "capacity": slots.total,
        "eligible_pairs": pairs.count(),
        "objective": instance.options.objective,
        "score_quantum": 1 / enc.scale,
    }
    if instance.options.solver == "networkx":
        mentor_of = flow.solve_network_simplex(pairs, slots, enc, r.mentee_ids, r.mentor_ids)
        stats.update(solver="networkx.network_simplex", optimal=True)
    else:
        sol = solver.optimise(pairs, slots, enc, prep.participation)
        mentor_of = sol.mentor_of
        stats.update(
            solver="scipy.lapjvsp",
            optimal=True,
            certificate="reduced costs of every eligible pair" if sol.pruned else "full candidate graph",
            rounds=sol.rounds,
            candidate_pairs=sol.candidate_pairs,
        )
    if not prep.participation:
        mentor_of = solver.complete(pairs, slots, enc, mentor_of)
    return _result(instance, prep, mentor_of, stats)


def _result(instance: Instance, prep: Prepared, mentor_of: np.ndarray, stats: dict[str, object]) -> Result:
    r = roster(instance)
    slots = prep.slots
    rows = np.flatnonzero(mentor_of >= 0)
    cols = mentor_of[rows]
    scores = prep.pairs.scores(rows, cols) if rows.size else np.zeros(0)
    load = np.bincount(cols, minlength=len(r.mentor_ids))
    details = pair_details(instance, rows, cols, scores, load, slots)
    assignments = tuple(
        Assignment(r.mentee_ids[i], r.mentor_ids[j], float(s), reasons, breakdown)
        for i, j, s, (reasons, breakdown) in zip(
            rows.tolist(), cols.tolist(), scores.tolist(), details, strict=True
        )
    )
    unmatched = tuple(unmatched_reasons(instance, prep.pairs, slots, np.flatnonzero(mentor_of < 0), load))
    over = load > slots.regular
    stats.update(
        mentors_used=int(np.count_nonzero(load)),
        above_load_share=int(np.count_nonzero(over)) if instance.options.max_load_share is not None else 0,
    )
    return Result(
        assignments=assignments,
        unmatched=unmatched,
        matched=len(assignments),
        total_score=round(math.fsum(scores.tolist()), 9),
        stats=stats,
    )


def score_pairs(instance: Instance) -> ScoredPairs:
    """Every eligible pair (all hard constraints but capacity use) with its score."""
    prep = prepare(instance)
    r = roster(instance)
    rows, cols = prep.pairs.everything()
    scores = prep.pairs.scores(rows, cols)
    order = np.lexsort((cols, -scores, rows))  # by mentee id, best first, then mentor id
    return ScoredPairs(r.mentee_ids, r.mentor_ids, rows[order], cols[order], scores[order])
