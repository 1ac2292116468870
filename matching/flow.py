"""The problem as a NetworkX min-cost flow network, and NetworkX's network simplex as reference solver."""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from .arrays import roster
from .lap import Slots
from .model import Instance
from .objective import Encoding
from .pairs import Pairs

if TYPE_CHECKING:
    import networkx as nx

UNMATCHED = "unmatched"
SINK = "sink"


def network(
    pairs: Pairs, slots: Slots, enc: Encoding, mentee_ids: tuple[str, ...], mentor_ids: tuple[str, ...]
) -> nx.DiGraph:
    """Each mentee supplies one unit; it reaches the sink through a mentor (weight -value, so the
    min-cost flow is the max-value matching) or through "unmatched" (weight 0). A mentor passes up
    to its regular slots at weight 0 and the rest through an overflow node at the fairness penalty."""
    import networkx as nx  # imported on use: it is a fifth of start-up time

    graph = nx.DiGraph()
    graph.add_node(SINK, demand=len(mentee_ids))
    graph.add_node(UNMATCHED)
    graph.add_edge(UNMATCHED, SINK, weight=0, capacity=len(mentee_ids))
    for j, mentor in enumerate(mentor_ids):
        node = ("mentor", mentor)
        regular, cap = int(slots.regular[j]), int(slots.capacity[j])
        graph.add_edge(node, SINK, weight=0, capacity=regular)
        if cap > regular:
            graph.add_edge(node, ("overflow", mentor), weight=enc.penalty, capacity=cap - regular)
            graph.add_edge(("overflow", mentor), SINK, weight=0, capacity=cap - regular)
    rows, cols = pairs.everything()
    values = enc.match + pairs.values(rows, cols)
    for mentee in mentee_ids:
        graph.add_node(("mentee", mentee), demand=-1)
        graph.add_edge(("mentee", mentee), UNMATCHED, weight=0, capacity=1)
    for i, j, v in zip(rows.tolist(), cols.tolist(), values.tolist(), strict=True):
        graph.add_edge(("mentee", mentee_ids[i]), ("mentor", mentor_ids[j]), weight=-v, capacity=1)
    return graph


def solve_network_simplex(
    pairs: Pairs, slots: Slots, enc: Encoding, mentee_ids: tuple[str, ...], mentor_ids: tuple[str, ...]
) -> np.ndarray:
    """Exact (Python integers throughout) but slow: for small instances and as a reference."""
    import networkx as nx

    graph = network(pairs, slots, enc, mentee_ids, mentor_ids)
    _, flow = nx.network_simplex(graph)
    index = {mentor: j for j, mentor in enumerate(mentor_ids)}
    mentor_of = np.full(len(mentee_ids), -1, dtype=np.int64)
    for i, mentee in enumerate(mentee_ids):
        for target, units in flow[("mentee", mentee)].items():
            if units and target != UNMATCHED:
                mentor_of[i] = index[target[1]]
    return mentor_of


def build_flow_network(instance: Instance) -> nx.DiGraph:
    """The instance's flow network (eligible pairs only), e.g. to inspect or solve with NetworkX."""
    from .api import prepare  # the same pairs, slots and encoding the engine optimises

    prep = prepare(instance)
    r = roster(instance)
    return network(prep.pairs, prep.slots, prep.encoding, r.mentee_ids, r.mentor_ids)
