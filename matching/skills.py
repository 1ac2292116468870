"""The skills taxonomy as a NetworkX graph, and related-skill credit with the path that earns it."""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import networkx as nx


@dataclass(frozen=True)
class Related:
    """A skill that counts for another one: credit in (0, 1] and the path from the needed skill."""

    skill: str
    credit: float
    path: tuple[str, ...]


def build_skills_graph(skills: Mapping[str, Any]) -> nx.Graph:
    """Build the taxonomy graph from the input's ``skills`` dict (``{id: {"related": {id: weight}}}``).

    Relations are symmetric; a pair declared from both sides keeps the larger weight. Each edge
    carries ``weight`` (the credit factor) and ``cost`` (``-log weight``, so the cheapest path is
    the one with the highest product of weights).
    """
    from .parse import _skills  # the input format's validator, shared so both paths agree

    return graph_from_relations(_skills(skills, "skills"))


def graph_from_relations(relations: Mapping[str, Mapping[str, float]]) -> nx.Graph:
    """Graph from already validated ``{skill: {related: weight}}``; built in sorted order for determinism."""
    # Imported here: NetworkX takes a fifth of start-up time and runs with explicit candidates
    # never build a graph.
    import networkx as nx

    graph = nx.Graph()
    graph.add_nodes_from(sorted(relations))
    best: dict[tuple[str, str], float] = {}
    for skill in sorted(relations):
        for other, weight in sorted(relations[skill].items()):
            key = (skill, other) if skill < other else (other, skill)
            best[key] = max(weight, best.get(key, 0.0))
    for (a, b), weight in sorted(best.items()):
        graph.add_edge(a, b, weight=weight, cost=-math.log(weight))
    return graph


def related_skills(graph: nx.Graph, skill: str, min_credit: float) -> list[Related]:
    """Skills that cover ``skill`` with credit >= ``min_credit`` (itself first, credit 1).

    Credit is the product of the relation weights along the best path: each hop dilutes it, so the
    floor also limits how far a relation reaches.
    """
    import networkx as nx

    if skill not in graph:
        return [Related(skill, 1.0, (skill,))]
    _, paths = nx.single_source_dijkstra(graph, skill, cutoff=-math.log(min_credit) + 1e-12, weight="cost")
    out = []
    for other, path in paths.items():
        credit = 1.0
        for a, b in zip(path, path[1:], strict=False):
            credit *= graph.edges[a, b]["weight"]
        if credit >= min_credit:
            out.append(Related(other, credit, tuple(path)))
    # The needed skill itself first, then strongest relation, then id: a stable explanation order.
    out.sort(key=lambda r: (r.skill != skill, -r.credit, len(r.path), r.skill))
    return out


def closure(graph: nx.Graph, skills: Iterable[str], min_credit: float) -> dict[str, list[Related]]:
    """``related_skills`` for each of ``skills``."""
    return {s: related_skills(graph, s, min_credit) for s in sorted(set(skills))}
