"""Index arrays compiled once per instance (ids to positions, forbidden pairs, feature matrices)."""

from __future__ import annotations

import weakref
from dataclasses import dataclass, replace
from typing import Any

import numpy as np
import scipy.sparse as sp

from .model import MAX_CAPACITY, Instance
from .orgchart import above, below, build_org_chart, chains
from .skills import Related, closure, graph_from_relations

# Why a pair is forbidden, in the order explanations name them.
SELF, CHAIN, SUBTREE, EXCLUDED = 0, 1, 2, 3
FORBID_NAMES = ("the mentee themself", "in the management chain", "in the mentee's subtree", "excluded")

_CACHE: weakref.WeakKeyDictionary[Instance, dict[str, Any]] = weakref.WeakKeyDictionary()


def cached(instance: Instance, key: str, build: Any) -> Any:
    # Compiling is the slow, Python-level part; suggest() is called many times on one instance.
    slot = _CACHE.setdefault(instance, {})
    if key not in slot:
        slot[key] = build(instance)
    return slot[key]


@dataclass(frozen=True, eq=False)
class Roster:
    mentee_ids: tuple[str, ...]
    mentor_ids: tuple[str, ...]
    mentee_index: dict[str, int]
    mentor_index: dict[str, int]
    capacity: np.ndarray  # int64 per mentor: the usable places, min(declared, number of mentees)
    declared: np.ndarray  # int64 per mentor: the capacity as declared (the load share is a share of it)


def roster(instance: Instance) -> Roster:
    return cached(instance, "roster", _build_roster)


def _build_roster(instance: Instance) -> Roster:
    mentee_ids = tuple(m.id for m in instance.mentees)
    mentor_ids = tuple(m.id for m in instance.mentors)
    return Roster(
        mentee_ids=mentee_ids,
        mentor_ids=mentor_ids,
        mentee_index={pid: i for i, pid in enumerate(mentee_ids)},
        mentor_index={pid: j for j, pid in enumerate(mentor_ids)},
        # More places than mentees are never usable; clipping keeps slot expansion bounded. The
        # load share is still a share of the declared capacity (objective.regular_slots). Clipped
        # as Python ints: a hand-built Instance is not validated and may exceed int64.
        capacity=np.fromiter(
            (min(m.capacity, len(mentee_ids)) for m in instance.mentors),
            dtype=np.int64,
            count=len(mentor_ids),
        ),
        declared=np.fromiter(
            (min(m.capacity, MAX_CAPACITY) for m in instance.mentors), dtype=np.int64, count=len(mentor_ids)
        ),
    )


@dataclass(frozen=True, eq=False)
class Forbidden:
    """Pairs a hard constraint rules out (capacity aside), sorted by (mentee, mentor), each with
    the first of SELF/CHAIN/SUBTREE/EXCLUDED that applies."""

    rows: np.ndarray
    cols: np.ndarray
    kind: np.ndarray

    def of(self, i: int) -> tuple[np.ndarray, np.ndarray]:
        """The mentors ruled out for mentee ``i``, and why."""
        lo, hi = np.searchsorted(self.rows, [i, i + 1])
        return self.cols[lo:hi], self.kind[lo:hi]


def forbidden(instance: Instance) -> Forbidden:
    return cached(instance, "forbidden", _build_forbidden)


def _build_forbidden(instance: Instance) -> Forbidden:
    r = roster(instance)
    mentee_index, mentor_index = r.mentee_index, r.mentor_index
    found: list[tuple[int, int, int]] = []  # (mentee, mentor, kind)
    chart = org_chart(instance)
    up = chains(chart) if chart is not None else {}
    for i, mentee in enumerate(instance.mentees):
        if mentee.id in mentor_index:
            found.append((i, mentor_index[mentee.id], SELF))
        found.extend((i, mentor_index[b], CHAIN) for b in up.get(mentee.id, ()) if b in mentor_index)
    # A mentee in a mentor's chain has that mentor in their own subtree. (Chains are short; the
    # subtrees of senior mentees are not, so the relation is read from the mentors' side.)
    for j, mentor in enumerate(instance.mentors):
        found.extend((mentee_index[b], j, SUBTREE) for b in up.get(mentor.id, ()) if b in mentee_index)
    found.extend((mentee_index[a], mentor_index[b], EXCLUDED) for a, b in instance.exclude)
    return _table(found, len(r.mentor_ids))


def forbidden_for(instance: Instance, i: int) -> tuple[np.ndarray, np.ndarray]:
    """``forbidden(instance).of(i)``, without computing every mentee's chains when not cached."""
    slot = _CACHE.get(instance, {})
    if "forbidden" in slot:
        return slot["forbidden"].of(i)
    r = roster(instance)
    mentee = instance.mentees[i]
    found: list[tuple[int, int, int]] = []
    if mentee.id in r.mentor_index:
        found.append((i, r.mentor_index[mentee.id], SELF))
    chart = org_chart(instance)
    if chart is not None:
        found.extend((i, r.mentor_index[b], CHAIN) for b in above(chart, mentee.id) if b in r.mentor_index)
        found.extend((i, r.mentor_index[b], SUBTREE) for b in below(chart, mentee.id) if b in r.mentor_index)
    found.extend((i, r.mentor_index[b], EXCLUDED) for a, b in instance.exclude if a == mentee.id)
    return _table(found, len(r.mentor_ids)).of(i)


def _table(found: list[tuple[int, int, int]], m: int) -> Forbidden:
    # One entry per pair, keeping the first reason in SELF..EXCLUDED order; sorted by (mentee, mentor).
    m = max(1, m)
    table = np.array(found, dtype=np.int64).reshape(-1, 3)
    key = table[:, 0] * m + table[:, 1]
    kind = table[:, 2].astype(np.int8)
    order = np.lexsort((kind, key))
    key, kind = key[order], kind[order]
    first = np.r_[True, key[1:] != key[:-1]] if key.size else np.zeros(0, dtype=bool)
    return Forbidden(rows=key[first] // m, cols=key[first] % m, kind=kind[first])


@dataclass(frozen=True, eq=False)
class MentorSide:
    skill_ids: tuple[str, ...]
    skill_index: dict[str, int]
    holders: sp.csc_matrix  # (mentors x skills) levels; a column lists the mentors holding a skill
    topic_ids: tuple[str, ...]
    topic_index: dict[str, int]
    topics_t: np.ndarray  # (topics x mentors) 0/1, dense: themes are few
    team_ids: tuple[str, ...]
    team_index: dict[str, int]
    team: np.ndarray  # int64 code per mentor, -1 when unknown
    coverage: dict[tuple[str, int], np.ndarray]  # memo of need-coverage columns, filled by scoring

    @property
    def count(self) -> int:
        return len(self.team)


def mentor_side(instance: Instance) -> MentorSide:
    return cached(instance, "mentors", _build_mentor_side)


def _build_mentor_side(instance: Instance) -> MentorSide:
    # Comprehensions rather than appends: this runs over every mentor on a suggest() cold start.
    mentors = instance.mentors
    m = len(mentors)
    skill_ids = tuple(sorted(set(instance.skills).union(*(p.skills for p in mentors))))
    skill_index = {s: k for k, s in enumerate(skill_ids)}
    rows = np.repeat(np.arange(m), [len(p.skills) for p in mentors])
    cols = [skill_index[s] for p in mentors for s in p.skills]
    levels = [level for p in mentors for level in p.skills.values()]
    holders = sp.csc_matrix((np.array(levels, dtype=np.float64), (rows, cols)), shape=(m, len(skill_ids)))
    holders.sort_indices()
    topic_ids = tuple(sorted({t for p in mentors for t in p.topics}))
    topic_index = {t: k for k, t in enumerate(topic_ids)}
    topics_t = np.zeros((len(topic_ids), m))
    t_cols = np.repeat(np.arange(m), [len(p.topics) for p in mentors])
    topics_t[[topic_index[t] for p in mentors for t in p.topics], t_cols] = 1.0
    team_ids = tuple(sorted({p.team for p in mentors if p.team is not None}))
    team_index = {t: k for k, t in enumerate(team_ids)}
    team = np.array([-1 if p.team is None else team_index[p.team] for p in mentors], dtype=np.int64)
    return MentorSide(
        skill_ids, skill_index, holders, topic_ids, topic_index, topics_t, team_ids, team_index, team, {}
    )


def share_mentor_side(source: Instance, target: Instance) -> None:
    """Give ``target`` the compiled mentor arrays, skills graph and related-skill closures of
    ``source``; the caller guarantees both have the same mentors (capacity aside), taxonomy and
    options. Each keeps its own need-coverage memo: shared, it would grow with every need ever
    asked about (a column per (skill, level), as long as the mentor list)."""
    slot = _CACHE.setdefault(target, {})
    slot["mentors"] = replace(mentor_side(source), coverage={})
    slot["graph"] = skills_graph(source)
    slot["related"] = cached(source, "related", lambda _: {})


@dataclass(frozen=True, eq=False)
class MenteeSide:
    need_keys: tuple[tuple[str, int], ...]  # (skill, wanted level): the columns of need_matrix
    need_matrix: sp.csr_matrix  # (mentees x need_keys) 1 per stated need, sorted indices
    goal_matrix: sp.csr_matrix  # (mentees x mentor topics) 1 per goal some mentor offers
    n_needs: np.ndarray  # float per mentee
    n_goals: np.ndarray
    team: np.ndarray  # mentor team code, -2 for a team no mentor is in, -1 when unknown


def mentee_side(instance: Instance) -> MenteeSide:
    return cached(instance, "mentees", _build_mentee_side)


def _build_mentee_side(instance: Instance) -> MenteeSide:
    side = mentor_side(instance)
    mentees = instance.mentees
    need_keys = tuple(sorted({(s, t) for m in mentees for s, t in m.needs.items()}))
    key_index = {k: c for c, k in enumerate(need_keys)}
    n_rows, n_cols, n_vals = [], [], []
    g_rows, g_cols, g_vals = [], [], []
    for i, mentee in enumerate(mentees):
        for key in mentee.needs.items():
            n_rows.append(i)
            n_cols.append(key_index[key])
            n_vals.append(1.0)
        for goal in mentee.goals:
            k = side.topic_index.get(goal)
            if k is not None:
                g_rows.append(i)
                g_cols.append(k)
                g_vals.append(1.0)
    n = len(mentees)
    return MenteeSide(
        need_keys=need_keys,
        need_matrix=_canonical(sp.csr_matrix((n_vals, (n_rows, n_cols)), shape=(n, len(need_keys)))),
        goal_matrix=sp.csr_matrix(
            (g_vals, (g_rows, g_cols)), shape=(n, len(side.topic_ids)), dtype=np.float64
        ),
        n_needs=np.array([len(m.needs) for m in mentees], dtype=np.float64),
        n_goals=np.array([len(m.goals) for m in mentees], dtype=np.float64),
        team=np.array([team_code(side, m.team) for m in mentees], dtype=np.int64),
    )


def _canonical(matrix: sp.csr_matrix) -> sp.csr_matrix:
    matrix.sum_duplicates()  # also sorts the indices of every row: scoring relies on key order
    return matrix


def team_code(side: MentorSide, team: str | None) -> int:
    if team is None:
        return -1
    return side.team_index.get(team, -2)


def related(instance: Instance, skills: set[str] | frozenset[str]) -> dict[str, list[Related]]:
    """Related-skill closure for ``skills``, memoised per instance and skill."""
    memo: dict[str, list[Related]] = cached(instance, "related", lambda _: {})
    missing = [s for s in skills if s not in memo]
    if missing:
        memo.update(closure(skills_graph(instance), missing, instance.options.related_min_credit))
    return {s: memo[s] for s in skills}


def org_chart(instance: Instance) -> Any:
    """The instance's org chart (NetworkX), or None when nobody lists a manager."""
    if not any(p.managers for p in (*instance.mentees, *instance.mentors)):
        return None
    return cached(instance, "org", lambda inst: build_org_chart((*inst.mentees, *inst.mentors)))


def skills_graph(instance: Instance) -> Any:
    return cached(instance, "graph", lambda inst: graph_from_relations(inst.skills))
