"""The skills taxonomy graph and related-skill credit with paths."""

from __future__ import annotations

import pytest

from matching import InputError, build_skills_graph, related_skills

SKILLS = {
    "python": {"related": {"data": 0.6, "go": 0.4}},
    "data": {"related": {"python": 0.8, "stats": 0.5}},
    "stats": {},
    "go": {},
    "art": {},
}


def test_graph_is_symmetric_with_the_larger_declared_weight() -> None:
    graph = build_skills_graph(SKILLS)
    assert sorted(graph.nodes) == ["art", "data", "go", "python", "stats"]
    assert graph.edges["data", "python"]["weight"] == 0.8  # declared 0.6 one way, 0.8 the other
    assert graph.edges["stats", "data"]["weight"] == 0.5
    assert not graph.has_edge("art", "python")


def test_related_skills_take_the_best_product_path() -> None:
    graph = build_skills_graph(SKILLS)
    got = {r.skill: (round(r.credit, 6), r.path) for r in related_skills(graph, "stats", 0.1)}
    assert got == {
        "stats": (1.0, ("stats",)),
        "data": (0.5, ("stats", "data")),
        "python": (0.4, ("stats", "data", "python")),
        "go": (0.16, ("stats", "data", "python", "go")),
    }


def test_min_credit_cuts_weak_and_far_relations() -> None:
    graph = build_skills_graph(SKILLS)
    assert [r.skill for r in related_skills(graph, "stats", 0.45)] == ["stats", "data"]
    assert [r.skill for r in related_skills(graph, "art", 0.1)] == ["art"]


def test_unknown_or_invalid_taxonomy_is_rejected() -> None:
    with pytest.raises(InputError, match="unknown skill 'nope'"):
        build_skills_graph({"a": {"related": {"nope": 0.5}}})
    with pytest.raises(InputError, match=r"must be in \(0, 1\]"):
        build_skills_graph({"a": {"related": {"b": 1.5}}, "b": {}})
