"""The pure aggregation: every group's sums equal the sum over exactly its people, on random
trees; cycles in stored data cannot hang a build; the feedback disclosure rule holds."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from reports.aggregation import (
    NONE,
    Frame,
    Tree,
    groups_of,
    publishable_subtrees,
    ratio,
    subtree_sums_naive,
    top_k,
)


@st.composite
def forests(draw, max_people=40):  # type: ignore[no-untyped-def]
    """A random org: person i's manager is an earlier person or nobody; random teams; random
    per-person values."""
    n = draw(st.integers(min_value=1, max_value=max_people))
    parents = [NONE] + [draw(st.integers(min_value=-1, max_value=i - 1)) for i in range(1, n)]
    order = draw(st.permutations(list(range(n))))  # ids not in tree order
    teams = [draw(st.integers(min_value=-1, max_value=3)) for _ in range(n)]
    values = [draw(st.integers(min_value=0, max_value=9)) for _ in range(n)]
    people = []
    for i in range(n):
        manager = f"p{order[parents[i]]}" if parents[i] != NONE else None
        team = f"t{teams[i]}" if teams[i] >= 0 else None
        people.append((f"p{order[i]}", manager, team))
    return Tree.build(people, [f"t{t}" for t in range(4)]), np.array(values, dtype=float)


def descendants(tree: Tree, node: int) -> set[int]:
    found, stack = set(), [node]
    kids = tree.children()
    while stack:
        for child in kids[stack.pop()]:
            found.add(child)
            stack.append(child)
    return found


@settings(max_examples=150, deadline=None)
@given(forests())
def test_every_group_sums_exactly_its_people(case):
    tree, values = case
    frame = Frame.from_columns(len(tree), {"x": values, "one": np.ones(len(tree))})
    groups = groups_of(tree)
    subtree = frame.sums(groups.subtree).values
    branch = frame.sums(groups.branch).values
    for m in range(len(tree)):
        below = descendants(tree, m)
        assert subtree[m, 0] == sum(values[p] for p in below)  # the manager is not in their own
        assert subtree[m, 1] == len(below)
        assert branch[m, 0] == values[m] + sum(values[p] for p in below)
    assert subtree[:, 0].tolist() == subtree_sums_naive(tree, values.tolist())
    team = frame.sums(groups.team).values
    for t in range(len(tree.team_ids)):
        assert team[t, 0] == sum(values[p] for p in range(len(tree)) if tree.team[p] == t)
    pairs = frame.sums(groups.manager_team).values
    for k, (m, t) in enumerate(groups.manager_team_keys):
        assert pairs[k, 0] == sum(values[p] for p in descendants(tree, m) if tree.team[p] == t)
    assert frame.sums(groups.everyone).values[0, 0] == values.sum()


@settings(max_examples=100, deadline=None)
@given(forests())
def test_a_managers_breakdown_adds_up_to_their_total(case):
    tree, values = case
    frame = Frame.from_columns(len(tree), {"x": values})
    groups = groups_of(tree)
    subtree, branch = frame.sums(groups.subtree).values[:, 0], frame.sums(groups.branch).values[:, 0]
    for m, kids in enumerate(tree.children()):
        assert subtree[m] == sum(branch[k] for k in kids)


def test_unknown_managers_and_cycles_become_roots_instead_of_hanging():
    tree = Tree.build([("a", "b", None), ("b", "c", None), ("c", "a", None), ("d", "nobody", None)])
    assert (tree.parent == NONE).sum() == 2  # the cycle is cut once; "nobody" is not a person
    assert sorted(tree.depths().tolist()) == [0, 0, 1, 2]
    groups = groups_of(tree)
    assert groups.subtree.sum() == 3  # a chain of three: 2 + 1 ancestor pairs


def shown_sets(tree: Tree, shown: np.ndarray) -> list[tuple[int, set[int]]]:
    return [(m, descendants(tree, m)) for m in range(len(tree)) if shown[m]]


@settings(max_examples=200, deadline=None)
@given(forests(max_people=30), st.data())
def test_feedback_scores_never_single_out_fewer_than_the_minimum(case, data):
    """Whatever a manager can open (every shown subtree below them), subtracting shown subtrees
    from a shown one leaves no subject or at least `min_people` of them."""
    tree, _values = case
    n = len(tree)
    subjects = np.array(data.draw(st.lists(st.integers(0, 1), min_size=n, max_size=n)), dtype=float)
    answers = subjects * np.array(data.draw(st.lists(st.integers(1, 6), min_size=n, max_size=n)), dtype=float)
    k = data.draw(st.integers(min_value=2, max_value=4))
    shown = publishable_subtrees(tree, subjects, answers, min_people=k, min_responses=k + 1)
    visible = shown_sets(tree, shown)
    for m, members in visible:
        assert subjects[list(members)].sum() >= k and answers[list(members)].sum() >= k + 1
        inner = [s for d, s in visible if d != m and d in members]
        # the highest shown subtrees inside: everything else inside them is covered by them
        top = [s for s in inner if not any(s < other for other in inner)]
        remainder = members - set().union(*top) if top else members
        left = subjects[list(remainder)].sum() if remainder else 0
        assert left == 0 or left >= k
        for other in inner:
            difference = subjects[list(members - other)].sum() if members - other else 0
            assert difference == 0 or difference >= k


def test_a_small_branch_hides_its_managers_scores_too():
    # boss -> lead (-> three reviewed people) and boss -> solo (reviewed): solo alone would be
    # boss's figure minus lead's, so boss's scores stay hidden; lead's are shown.
    tree = Tree.build(
        [("boss", None, None), ("lead", "boss", None), ("solo", "boss", None)]
        + [(f"r{i}", "lead", None) for i in range(3)]
    )
    subjects = np.array([0, 0, 1, 1, 1, 1], dtype=float)
    answers = subjects * 4
    shown = publishable_subtrees(tree, subjects, answers, min_people=3, min_responses=4)
    assert shown[tree.index["lead"]] and not shown[tree.index["boss"]]
    # With two more reviewed people beside solo the remainder is big enough to show both.
    bigger = Tree.build(
        [
            ("boss", None, None),
            ("lead", "boss", None),
            ("solo", "boss", None),
            ("x", "boss", None),
            ("y", "boss", None),
        ]
        + [(f"r{i}", "lead", None) for i in range(3)]
    )
    subjects = np.array([0, 0, 1, 1, 1, 1, 1, 1], dtype=float)
    shown = publishable_subtrees(bigger, subjects, subjects * 4, min_people=3, min_responses=4)
    assert shown[bigger.index["lead"]] and shown[bigger.index["boss"]]


def test_ratio_and_top_k():
    assert ratio(1, 3) == 0.333 and ratio(5, 0) is None and ratio(0, 0) is None
    assert top_k({"b": 2, "a": 2, "c": 5, "d": 0}, 2) == [("c", 5), ("a", 2)]
