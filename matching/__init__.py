"""Tandem's mentor-matching engine: exact optimal mentee-mentor assignment with reasons.

Pure library (standard library, NetworkX, NumPy, SciPy). The format, the scoring formula and the
solver are documented in docs/matching.md. Typical use::

    instance = parse_instance(data)      # validate a JSON-like dict (raises InputError)
    result = solve(instance)             # optimal assignments, unmatched reasons, stats
    top = suggest(instance, "m-42", k=5) # best eligible mentors for one mentee
    one = with_mentees(instance, [{"id": "new", "needs": {"py": 3}}])  # shares compiled mentors
"""

from .api import score_pairs, solve
from .derive import with_mentees
from .errors import InputError
from .flow import build_flow_network
from .model import Instance, Mentee, Mentor, Options, Weights
from .orgchart import build_org_chart
from .parse import parse_instance
from .result import Assignment, Result, ScoredPairs, Suggestion, Unmatched
from .skills import Related, build_skills_graph, related_skills
from .suggest import suggest

__all__ = [
    "Assignment",
    "InputError",
    "Instance",
    "Mentee",
    "Mentor",
    "Options",
    "Related",
    "Result",
    "ScoredPairs",
    "Suggestion",
    "Unmatched",
    "Weights",
    "build_flow_network",
    "build_org_chart",
    "build_skills_graph",
    "parse_instance",
    "related_skills",
    "score_pairs",
    "solve",
    "suggest",
    "with_mentees",
]
