"""Human-readable reasons: why each pair was made, and why a mentee was left unmatched."""

from __future__ import annotations

from collections.abc import Iterator

import numpy as np

from .arrays import CHAIN, EXCLUDED, SELF, SUBTREE, forbidden, related, roster
from .lap import Slots
from .model import Instance, Mentee, Mentor
from .pairs import Pairs, candidate_row
from .result import Breakdown, Unmatched
from .scoring import MICRO, Criteria, pair_criteria, score_block
from .skills import Related

_KIND_TEXT = {
    "self": "is the mentee themself",
    "management_chain": "in the mentee's management chain",
    "subtree": "in the mentee's own subtree",
    "excluded": "excluded pair",
    "no_capacity": "with capacity 0",
    "not_a_candidate": "not among the candidates",
    "min_score": "below min_score",
}
_SHOW = 3  # mentors named in an unmatched reason before "and N more"


def pair_details(
    instance: Instance,
    rows: np.ndarray,
    cols: np.ndarray,
    scores: np.ndarray,
    load: np.ndarray,
    slots: Slots,
    crit: Criteria | None = None,
) -> list[tuple[tuple[str, ...], Breakdown]]:
    """Reasons and breakdown for each pair (rows[k], cols[k]) with score scores[k]; ``crit`` may
    carry the pairs' criteria when the caller already has them."""
    explicit = instance.candidates is not None
    if not explicit:
        crit = crit if crit is not None else pair_criteria(instance, rows, cols)
        breakdowns = _breakdowns(crit)
        needed = {s for i in set(rows.tolist()) for s in instance.mentees[i].needs}
        closures = {
            skill: {rel.skill: (rank, rel) for rank, rel in enumerate(rels)}
            for skill, rels in related(instance, needed).items()
        }
    out = []
    for k, (i, j, score) in enumerate(zip(rows.tolist(), cols.tolist(), scores.tolist(), strict=True)):
        mentee, mentor = instance.mentees[i], instance.mentors[j]
        if explicit:
            reasons = [f"explicit candidate score {score:g}"]
            breakdown: Breakdown = {"explicit": {"value": score, "weight": 1.0}}
        else:
            assert crit is not None
            reasons = _need_reasons(mentee, mentor, closures) + _goal_reasons(mentee, mentor)
            if crit.weights[k, 2] > 0:
                reasons.append(_team_reason(mentee, mentor))
            if not mentee.needs and not mentee.goals:
                reasons.append("the mentee stated no needs or goals, so every eligible mentor scores 0")
            breakdown = breakdowns[k]
        if load[j] > slots.regular[j]:
            reasons.append(
                f"mentor {mentor.id} holds {load[j]} of {mentor.capacity} places, above its load share of "
                f"{slots.regular[j]}: every eligible mentor still under its share scores at least "
                f"{instance.options.load_share_margin:g} (the fairness margin) lower for this mentee"
            )
        out.append((tuple(reasons), breakdown))
    return out


def _breakdowns(crit: Criteria) -> list[Breakdown]:
    values = np.round(np.stack([crit.needs, crit.goals, crit.team], axis=1), 6).tolist()
    weights = np.round(np.asarray(crit.weights).reshape(-1, 3), 6).tolist()
    if len(weights) == 1:
        weights = weights * len(values)
    return [
        {
            "needs": {"value": v[0], "weight": w[0]},
            "goals": {"value": v[1], "weight": w[1]},
            "team": {"value": v[2], "weight": w[2]},
        }
        for v, w in zip(values, weights, strict=True)
    ]


def _need_reasons(
    mentee: Mentee, mentor: Mentor, closures: dict[str, dict[str, tuple[int, Related]]]
) -> list[str]:
    out = []
    for skill, wanted in sorted(mentee.needs.items()):
        # Among the mentor's skills that count for this need, the highest credit wins; on a tie,
        # the one listed first (the skill itself, then the strongest relation), as in scoring.
        best = None
        relations = closures[skill]
        for other, level in mentor.skills.items():
            found = relations.get(other)
            if found is None:
                continue
            rank, rel = found
            credit = rel.credit * min(1.0, level / wanted)
            if best is None or (credit, -rank) > (best[0], -best[3]):
                best = (credit, rel, level, rank)
        head = f"need {skill} (level {wanted}): "
        if best is None:
            out.append(head + "not covered")
            continue
        credit, rel, level, _ = best
        if rel.skill == skill:
            tail = "full credit" if level >= wanted else f"partial credit {credit:.2f}"
            out.append(head + f"mentor has {skill} at level {level}, {tail}")
        else:
            path = " -> ".join(rel.path)
            out.append(head + f"related skill {rel.skill} at level {level} via {path}, credit {credit:.2f}")
    return out


def _goal_reasons(mentee: Mentee, mentor: Mentor) -> list[str]:
    if not mentee.goals:
        return []
    shared = sorted(set(mentee.goals) & set(mentor.topics))
    if shared:
        return [f"shared goal themes: {', '.join(shared)} ({len(shared)} of {len(mentee.goals)})"]
    return [f"no shared goal themes (wanted: {', '.join(mentee.goals)})"]


def _team_reason(mentee: Mentee, mentor: Mentor) -> str:
    if mentor.team is None:
        return "mentor's team unknown: no other-team credit"
    if mentor.team == mentee.team:
        return f"same team ({mentor.team}): no other-team credit"
    return f"from another team ({mentor.team}; mentee in {mentee.team})"


def unmatched_reasons(
    instance: Instance, pairs: Pairs, slots: Slots, mentees: np.ndarray, load: np.ndarray
) -> list[Unmatched]:
    """Why each of ``mentees`` has no mentor: the constraint that bound, with counts and names."""
    ids = roster(instance).mentor_ids
    out: dict[int, Unmatched] = {}
    blocked = []
    for i in mentees.tolist():
        cols, w = pairs.row(i)
        if cols.size:
            out[i] = _full(instance, i, ids, cols, w, load, slots)
        elif not instance.mentors:
            out[i] = Unmatched(instance.mentees[i].id, "there are no mentors", "no_mentors")
        else:
            blocked.append(i)
    for i, scores in _scores(instance, blocked):
        out[i] = _blocked(instance, i, scores)
    return [out[i] for i in mentees.tolist()]


def _full(
    instance: Instance,
    i: int,
    ids: tuple[str, ...],
    cols: np.ndarray,
    w: np.ndarray,
    load: np.ndarray,
    slots: Slots,
) -> Unmatched:
    mentee = instance.mentees[i].id
    room = load[cols] < slots.capacity[cols]
    if not room.any():
        head = "the only eligible mentor is" if cols.size == 1 else f"all {cols.size} eligible mentors are"
        return Unmatched(mentee, f"{head} at capacity: {_named(instance, ids, cols, w, load)}", "capacity")
    return Unmatched(
        mentee,
        f"the eligible mentors with room ({_named(instance, ids, cols[room], w[room], load)}) are at their "
        f"load share, and a place above it would score less than the fairness margin "
        f"{instance.options.load_share_margin:g}; the others are at capacity",
        "load_share",
    )


def _named(
    instance: Instance, ids: tuple[str, ...], cols: np.ndarray, w: np.ndarray, load: np.ndarray
) -> str:
    """The best few mentors (ties: id order) with their load and declared capacity (not the
    solver's, which is clipped to the number of mentees), then how many more."""
    total = cols.size
    if total > _SHOW:
        keep = w >= np.partition(w, total - _SHOW)[total - _SHOW]  # the best few, plus ties
        cols, w = cols[keep], w[keep]
    shown = cols[np.lexsort((cols, -w))][:_SHOW].tolist()
    items = [f"{ids[j]} ({load[j]}/{instance.mentors[j].capacity})" for j in shown]
    return ", ".join(items) + (f" and {total - len(items)} more" if total > len(items) else "")


def _scores(instance: Instance, mentees: list[int]) -> Iterator[tuple[int, np.ndarray]]:
    """Each mentee's score with every mentor, ignoring constraints (-1: not a candidate)."""
    if instance.candidates is not None:
        for i in mentees:
            yield i, candidate_row(instance, i)
        return
    # Scored in blocks with the matrix code: thousands of blocked mentees must not mean
    # thousands of single-row passes.
    step = max(1, (1 << 18) // max(1, len(instance.mentors)))
    for start in range(0, len(mentees), step):
        chunk = mentees[start : start + step]
        block = score_block(instance, np.array(chunk)) / MICRO
        yield from zip(chunk, block, strict=True)


# The roster's codes for forbidden pairs are positions in _ORDER, which lists constraints in the
# order a mentor is checked against them.
_FORBIDDEN = {SELF: "self", CHAIN: "management_chain", SUBTREE: "subtree", EXCLUDED: "excluded"}
_ORDER = (*(_FORBIDDEN[k] for k in range(len(_FORBIDDEN))), "no_capacity", "not_a_candidate", "min_score")
_OPEN = len(_ORDER)


def _blocked(instance: Instance, i: int, scores: np.ndarray) -> Unmatched:
    """No eligible mentor: count mentors by the first hard constraint that rules each one out."""
    r = roster(instance)
    code = np.full(len(r.mentor_ids), _OPEN, dtype=np.int64)
    cols, kinds = forbidden(instance).of(i)
    code[cols] = kinds
    code[(code == _OPEN) & (r.capacity <= 0)] = _ORDER.index("no_capacity")
    code[(code == _OPEN) & (scores < 0)] = _ORDER.index("not_a_candidate")
    below = np.flatnonzero(code == _OPEN)  # everything else was eligible but for its score
    code[below] = _ORDER.index("min_score")
    counts = np.bincount(code, minlength=len(_ORDER)).tolist()
    parts = []
    for kind, count in zip(_ORDER, counts, strict=True):
        if count:
            text = _KIND_TEXT[kind]
            if kind == "min_score":
                j = int(below[np.argmax(scores[below])])
                text += f" {instance.options.min_score:g} (best: {r.mentor_ids[j]} at {scores[j]:g})"
            parts.append(f"{count} {text}")
    binding = _ORDER[int(np.argmax(counts))]  # the constraint that excluded the most mentors
    reason = f"no eligible mentor among {len(r.mentor_ids)}: " + ", ".join(parts)
    return Unmatched(instance.mentees[i].id, reason, binding)
