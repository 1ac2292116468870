"""Pure aggregation for dashboards: the org tree as index arrays, every group's sums in one
sparse product, safe ratios, and the disclosure rule for feedback scores. No database, no Flask.

A group is a set of people: a manager's reporting subtree (direct and indirect reports, not the
manager), one direct report's branch (that report and their subtree), a team, a manager's people
in one team, or the whole organisation. Each group's figures are sums of per-person columns, so
one pass builds every manager's aggregates: a 0/1 membership matrix (groups x people) times the
per-person matrix (people x columns). The membership of all subtrees has one entry per
(ancestor, person) pair, about people x depth entries, so it is built bottom-up in one sweep.
"""

from __future__ import annotations

import uuid
from collections.abc import Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from scipy import sparse

NONE = -1


@dataclass(frozen=True)
class Tree:
    """People in index order, each one's manager and team as indices (NONE when absent)."""

    ids: tuple[Hashable, ...]
    parent: np.ndarray
    team: np.ndarray
    team_ids: tuple[Hashable, ...] = ()
    index: Mapping[Hashable, int] = field(default_factory=dict)

    @classmethod
    def build(
        cls,
        people: Sequence[tuple[Hashable, Hashable | None, Hashable | None]],
        team_ids: Sequence[Hashable] = (),
    ) -> Tree:
        """From `(person, manager or None, team or None)` rows. A manager who is not among the
        people counts as none; so does a reporting line that would close a cycle."""
        ids = tuple(p for p, _m, _t in people)
        index = {p: i for i, p in enumerate(ids)}
        teams = {t: i for i, t in enumerate(team_ids)}
        numbers, team_numbers = _numbers(ids), _numbers(team_ids)
        parent = np.array(_positions(index, numbers, [m for _p, m, _t in people]), dtype=np.int64)
        team = np.array(_positions(teams, team_numbers, [t for _p, _m, t in people]), dtype=np.int64)
        parent = _break_cycles(parent)
        tree = cls(ids=ids, parent=parent, team=team, team_ids=tuple(team_ids), index=index)
        object.__setattr__(tree, "_numbers", numbers)
        return tree

    def __len__(self) -> int:
        return len(self.ids)

    def positions(self, keys: Iterable[Hashable | None]) -> list[int]:
        """Each key's index in the tree, NONE for None or a key not in it (`index` one by one)."""
        numbers = self.__dict__.get("_numbers")
        if numbers is None:
            numbers = _numbers(self.ids)
            object.__setattr__(self, "_numbers", numbers)
        return _positions(self.index, numbers, keys)

    # A build asks for depths and children many times (once per feedback competency, for each
    # breakdown): they are worked out once per tree and kept. Callers must not modify them.

    def _cached(self, name: str, make: Any) -> Any:
        found = self.__dict__.get(name)
        if found is None:
            found = make()
            object.__setattr__(self, name, found)  # frozen dataclass: a cache, not a field
        return found

    def depth_order(self) -> np.ndarray:
        """Indices ordered so every person comes after their manager (roots first)."""
        return self._cached("_depth_order", lambda: np.argsort(self.depths(), kind="stable"))  # type: ignore[no-any-return]

    def depths(self) -> np.ndarray:
        return self._cached("_depths", self._depths)  # type: ignore[no-any-return]

    def _depths(self) -> np.ndarray:
        n = len(self.ids)
        depth = [-1] * n
        parent = self.parent.tolist()
        for start in range(n):
            path = []
            node = start
            while node != NONE and depth[node] < 0:
                path.append(node)
                node = parent[node]
            base = -1 if node == NONE else depth[node]
            for offset, member in enumerate(reversed(path), start=1):
                depth[member] = base + offset
        return np.asarray(depth, dtype=np.int64)

    def children(self) -> list[list[int]]:
        return self._cached("_children", self._children)  # type: ignore[no-any-return]

    def _children(self) -> list[list[int]]:
        kids: list[list[int]] = [[] for _ in self.ids]
        for child, boss in enumerate(self.parent.tolist()):
            if boss != NONE:
                kids[boss].append(child)
        return kids


def _numbers(ids: Sequence[Hashable]) -> dict[int, int] | bool:
    """Position by 128-bit number when every id is a UUID (False otherwise). A UUID's __hash__
    and __eq__ run in Python, an int's in C: a build looks up hundreds of thousands of ids, and
    by number that takes a fraction of the time."""
    if not all(isinstance(i, uuid.UUID) for i in ids):
        return False
    return {i.int: position for position, i in enumerate(ids)}  # type: ignore[attr-defined]


def _positions(
    index: Mapping[Hashable, int], numbers: dict[int, int] | bool, keys: Iterable[Any]
) -> list[int]:
    keys = keys if isinstance(keys, list | tuple) else list(keys)
    if numbers is not False:
        try:
            return [NONE if k is None else numbers.get(k.int, NONE) for k in keys]  # type: ignore[union-attr]
        except AttributeError:  # a key that is not a UUID: the plain way
            pass
    return [NONE if k is None else index.get(k, NONE) for k in keys]


def _break_cycles(parent: np.ndarray) -> np.ndarray:
    """The org chart refuses cycles; should stored data hold one anyway, cut it where found so a
    build cannot loop forever (the person closing the cycle becomes a root)."""
    parent = parent.copy()
    state = np.zeros(len(parent), dtype=np.int8)  # 0 unseen, 1 on the current path, 2 done
    for start in range(len(parent)):
        path = []
        node = start
        while node != NONE and state[node] == 0:
            state[node] = 1
            path.append(node)
            node = parent[node]
        if node != NONE and state[node] == 1:
            parent[path[-1]] = NONE
        for member in path:
            state[member] = 2
    return parent


def ancestor_pairs(tree: Tree) -> tuple[np.ndarray, np.ndarray]:
    """Every (ancestor, person) pair with the ancestor strictly above the person."""
    # One step up the tree at a time for everyone at once (as many steps as the tree is deep),
    # then in person order, each person's chain from the top down.
    people = np.arange(len(tree), dtype=np.int64)
    above = tree.parent.astype(np.int64)
    rows, cols = [], []
    while people.size:
        has = above != NONE
        people, above = people[has], above[has]
        rows.append(above)
        cols.append(people)
        above = tree.parent[above]
    if not rows:
        return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64)
    anc, person = np.concatenate(rows), np.concatenate(cols)
    order = np.lexsort((tree.depths()[anc], person))
    return anc[order], person[order]


def membership(groups: int, rows: np.ndarray, cols: np.ndarray, people: int) -> sparse.csr_matrix:
    """A 0/1 groups x people matrix with ones at (rows[i], cols[i])."""
    data = np.ones(len(rows), dtype=np.float64)
    matrix = sparse.csr_matrix((data, (rows, cols)), shape=(groups, people))
    matrix.sum_duplicates()
    matrix.data[:] = 1.0
    return matrix


@dataclass(frozen=True)
class Groups:
    """The membership matrices of every group a build reports on."""

    subtree: sparse.csr_matrix  # row m: m's reports, direct and indirect (m excluded)
    branch: sparse.csr_matrix  # row r: r and r's subtree (a direct report's row in a breakdown)
    team: sparse.csr_matrix  # row t: the members of team t
    manager_team: sparse.csr_matrix  # row k: manager_team_keys[k] = (manager, team) members
    manager_team_keys: tuple[tuple[int, int], ...]
    everyone: sparse.csr_matrix  # one row: the whole organisation


def groups_of(tree: Tree) -> Groups:
    n = len(tree)
    anc, person = ancestor_pairs(tree)
    subtree = membership(n, anc, person, n)
    branch = (subtree + sparse.identity(n, format="csr")).tocsr()
    members = np.flatnonzero(tree.team != NONE)
    team = membership(len(tree.team_ids), tree.team[members], members, n)
    in_team = tree.team[person] != NONE
    pair_keys = sorted(set(zip(anc[in_team].tolist(), tree.team[person[in_team]].tolist(), strict=True)))
    key_index = {key: i for i, key in enumerate(pair_keys)}
    pair_rows = np.asarray(
        [
            key_index[(a, t)]
            for a, t in zip(anc[in_team].tolist(), tree.team[person[in_team]].tolist(), strict=True)
        ],
        dtype=np.int64,
    )
    manager_team = membership(len(pair_keys), pair_rows, person[in_team], n)
    everyone = membership(1, np.zeros(n, dtype=np.int64), np.arange(n), n)
    return Groups(subtree, branch, team, manager_team, tuple(pair_keys), everyone)


@dataclass(frozen=True)
class Frame:
    """Per-person figures: one float column per name, people in the tree's index order."""

    columns: tuple[str, ...]
    values: np.ndarray  # people x columns

    @classmethod
    def from_columns(cls, people: int, columns: Mapping[str, np.ndarray]) -> Frame:
        names = tuple(columns)
        values = np.zeros((people, len(names)), dtype=np.float64)
        for j, name in enumerate(names):
            values[:, j] = columns[name]
        return cls(names, values)

    def sums(self, groups: sparse.csr_matrix) -> Sums:
        return Sums(self.columns, np.asarray(groups @ self.values))


@dataclass(frozen=True)
class Sums:
    """Each group's column sums: `sums.row(g)` is a name -> value mapping."""

    columns: tuple[str, ...]
    values: np.ndarray  # groups x columns

    def row(self, g: int) -> dict[str, float]:
        return dict(zip(self.columns, self.values[g].tolist(), strict=True))


def ratio(numerator: float, denominator: float, digits: int = 3) -> float | None:
    """numerator / denominator rounded, or None (not 0) when there is nothing to divide by."""
    if denominator <= 0:
        return None
    return round(numerator / denominator, digits)


def subtree_sums_naive(tree: Tree, values: Sequence[float]) -> list[float]:
    """Reference for tests: each person's strict-subtree sum by walking up from every person."""
    total = [0.0] * len(tree)
    for person, value in enumerate(values):
        node = int(tree.parent[person])
        while node != NONE:
            total[node] += value
            node = int(tree.parent[node])
    return total


def publishable_subtrees(
    tree: Tree, subjects: np.ndarray, responses: np.ndarray, *, min_people: int, min_responses: int
) -> np.ndarray:
    """Which managers' subtree feedback scores (for one category) may be shown.

    `subjects[p]` is 1 when person p's released results count in this category, `responses[p]` the
    answers behind them. A manager sees every subtree dashboard below them, so a score must not
    be recoverable for a small set by subtraction: besides holding at least `min_people` subjects
    and `min_responses` answers, a subtree is shown only if what remains after removing its
    highest shown subtrees below holds no subject or at least `min_people` of them. Then any
    shown subtree minus any set of shown subtrees inside it leaves nothing or `min_people` people.

    Worked out one depth level at a time, deepest first, each level's sums added into their
    managers' (numpy.add.at adds in people order, as a loop over each manager's reports would).
    """
    n = len(tree)
    subjects = np.asarray(subjects, dtype=np.float64)
    responses = np.asarray(responses, dtype=np.float64)
    subject_sum = np.zeros(n)  # subjects strictly below each node
    response_sum = np.zeros(n)
    covered = np.zeros(n)  # subjects under the highest shown subtrees strictly below
    shown = np.zeros(n, dtype=bool)
    if n == 0:
        return shown
    depth = tree.depths()
    for level in range(int(depth.max()), -1, -1):
        nodes = np.flatnonzero(depth == level)
        remainder = subject_sum[nodes] - covered[nodes]
        shown[nodes] = (
            (subject_sum[nodes] >= min_people)
            & (response_sum[nodes] >= min_responses)
            & ((remainder == 0) | (remainder >= min_people))
        )
        bosses = tree.parent[nodes]
        up = bosses != NONE
        nodes, bosses = nodes[up], bosses[up]
        np.add.at(subject_sum, bosses, subjects[nodes] + subject_sum[nodes])
        np.add.at(response_sum, bosses, responses[nodes] + response_sum[nodes])
        np.add.at(covered, bosses, np.where(shown[nodes], subject_sum[nodes], covered[nodes]))
    return shown


def top_k(scores: Mapping[Any, float], k: int) -> list[tuple[Any, float]]:
    """The k largest positive entries, largest first, ties broken by key for determinism."""
    return sorted(((key, v) for key, v in scores.items() if v > 0), key=lambda kv: (-kv[1], str(kv[0])))[:k]
