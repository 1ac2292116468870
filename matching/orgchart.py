"""The org chart as a NetworkX graph, and the management-chain and subtree constraints it implies."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from .model import Mentee, Mentor

if TYPE_CHECKING:
    import networkx as nx


def build_org_chart(people: Iterable[Mentee | Mentor]) -> nx.DiGraph:
    """The org chart: an edge from each person to their manager, read from the ``managers``
    chains (nearest manager first), so each chain contributes its consecutive links.

    Chains combine: if a mentee lists only her direct manager and that manager's record lists his
    own chain, everyone above is in the mentee's chain too. People named only as managers are
    nodes as well. Edges are added in input order (people by id), so the graph is deterministic.
    """
    import networkx as nx  # imported on use: runs with explicit candidates and no chains skip it

    graph = nx.DiGraph()
    graph.add_edges_from(
        dict.fromkeys(
            link for p in people if p.managers for link in zip((p.id, *p.managers), p.managers, strict=False)
        )
    )
    return graph


def chains(graph: nx.DiGraph) -> dict[str, set[str]]:
    """Everyone's management chain (managers, their managers, ...), for all people at once.

    On a consistent chart (a DAG) each chain is built from the chains of the person's managers,
    managers first; a chart with a cycle (bad data) falls back to one search per person, in which
    case everyone on the cycle is above everyone else on it.
    """
    import networkx as nx

    if not nx.is_directed_acyclic_graph(graph):
        return {v: nx.descendants(graph, v) - {v} for v in graph}
    out: dict[str, set[str]] = {}
    for person in reversed(list(nx.topological_sort(graph))):
        chain: set[str] = set()
        for boss in graph.successors(person):
            chain.add(boss)
            chain |= out[boss]
        out[person] = chain
    return out


def above(graph: nx.DiGraph, person: str) -> set[str]:
    """Everyone in ``person``'s management chain: one search, for a single person."""
    import networkx as nx

    return nx.descendants(graph, person) - {person} if person in graph else set()


def below(graph: nx.DiGraph, person: str) -> set[str]:
    """Everyone in ``person``'s subtree (reports, their reports, ...)."""
    import networkx as nx

    return nx.ancestors(graph, person) - {person} if person in graph else set()
