"""Validation of a JSON-like dict into an Instance, with one-line messages naming the field."""

from __future__ import annotations

import math
from collections.abc import Mapping
from collections.abc import Set as AbstractSet
from operator import itemgetter
from typing import Any

import numpy as np

from .arrays import cached
from .errors import InputError
from .model import MAX_CAPACITY, Instance, Mentee, Mentor, Options, Weights

_TOP_KEYS = {"skills", "mentees", "mentors", "candidates", "exclude", "options"}
_MENTEE_KEYS = {"id", "needs", "goals", "team", "managers"}
_MENTOR_KEYS = {"id", "skills", "topics", "capacity", "team", "managers"}
_OPTION_KEYS = {
    "objective",
    "min_score",
    "weights",
    "related_min_credit",
    "max_load_share",
    "load_share_margin",
    "solver",
}
_WEIGHT_KEYS = {"needs", "goals", "team"}
MAX_LEVEL = 5


def parse_instance(data: Any) -> Instance:
    """Check every field of ``data`` and return a canonical (id-sorted) Instance; raise InputError."""
    obj = _object(data, "instance")
    _known_keys(obj, _TOP_KEYS, "instance")
    for key in ("mentees", "mentors"):
        if key not in obj:
            raise InputError(f"instance: missing required field {key!r}")
    explicit = obj.get("candidates") is not None
    skills = _skills(obj["skills"], "skills") if "skills" in obj else {}
    known_skills = set(skills) if "skills" in obj else None
    mentees = tuple(
        _mentee(item, f"mentees[{i}]", known_skills)
        for i, item in enumerate(_array(obj["mentees"], "mentees"))
    )
    mentors = tuple(
        _mentor(item, f"mentors[{i}]", known_skills)
        for i, item in enumerate(_array(obj["mentors"], "mentors"))
    )
    mentee_ids = _unique_ids(mentees, "mentees")
    mentor_ids = _unique_ids(mentors, "mentors")
    mentees = tuple(sorted(mentees, key=lambda m: m.id))
    mentors = tuple(sorted(mentors, key=lambda m: m.id))
    candidates, arrays = None, None
    if explicit:
        mentee_pos = {m.id: k for k, m in enumerate(mentees)}
        mentor_pos = {m.id: k for k, m in enumerate(mentors)}
        candidates, arrays = _candidates(obj["candidates"], mentee_pos, mentor_pos)
    exclude = _exclude(obj.get("exclude", []), mentee_ids, mentor_ids)
    options = _options(obj.get("options", {}))
    instance = Instance(
        mentees=mentees,
        mentors=mentors,
        skills=skills,
        candidates=candidates,
        exclude=exclude,
        options=options,
    )
    if arrays is not None:
        # The checks above already mapped every id to its position: keep that work for solving.
        cached(instance, "candidate_arrays", lambda _: arrays)
    return instance


def _object(value: Any, where: str) -> Mapping[str, Any]:
    if not isinstance(value, Mapping):
        raise InputError(f"{where}: expected an object, got {_kind(value)}")
    return value


def _array(value: Any, where: str) -> list[Any]:
    if not isinstance(value, list | tuple):
        raise InputError(f"{where}: expected an array, got {_kind(value)}")
    return list(value)


def _known_keys(obj: Mapping[str, Any], allowed: set[str], where: str) -> None:
    unknown = sorted(str(k) for k in obj if k not in allowed)
    if unknown:
        raise InputError(f"{where}: unknown field {unknown[0]!r} (allowed: {', '.join(sorted(allowed))})")


def _kind(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, int | float):
        return f"the number {value!r}"
    if isinstance(value, str):
        return f"the string {value!r}"
    if isinstance(value, list | tuple):
        return "an array"
    if isinstance(value, Mapping):
        return "an object"
    return type(value).__name__


def _id(value: Any, where: str) -> str:
    if not isinstance(value, str) or not value:
        raise InputError(f"{where}: expected a non-empty string id, got {_kind(value)}")
    return value


def _optional_str(value: Any, where: str) -> str | None:
    if value is None:
        return None
    if not isinstance(value, str):
        raise InputError(f"{where}: expected a string or null, got {_kind(value)}")
    return value


def _str_list(value: Any, where: str) -> tuple[str, ...]:
    items = _array(value, where)
    # Themes are sets for matching purposes; sorting makes the input order irrelevant.
    if all(type(item) is str and item for item in items):
        return tuple(sorted(set(items)))
    for k, item in enumerate(items):
        if not isinstance(item, str) or not item:
            raise InputError(f"{where}[{k}]: expected a non-empty string, got {_kind(item)}")
    return tuple(sorted(set(items)))  # only str subclasses get here


def _number(value: Any, where: str, lo: float, hi: float, *, lo_open: bool = False) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        raise InputError(f"{where}: expected a number, got {_kind(value)}")
    if value > hi or value < lo or (lo_open and value == lo):
        bracket = "(" if lo_open else "["
        raise InputError(f"{where}: must be in {bracket}{lo:g}, {hi:g}], got {value!r}")
    return float(value)


def _level(value: Any, where: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= MAX_LEVEL:
        raise InputError(f"{where}: expected an integer level 1..{MAX_LEVEL}, got {_kind(value)}")
    return value


def _skill_levels(value: Any, where: str, known: set[str] | None) -> dict[str, int]:
    obj = _object(value, where)
    # The common, valid case in one pass (tens of thousands of people); otherwise find the culprit.
    if all(type(v) is int and 1 <= v <= MAX_LEVEL for v in obj.values()) and (
        known.issuperset(obj) if known is not None else all(type(k) is str and k for k in obj)
    ):
        return {k: obj[k] for k in sorted(obj)}
    out: dict[str, int] = {}
    for skill in sorted(obj):
        if not isinstance(skill, str) or not skill:
            raise InputError(f"{where}: skill ids must be non-empty strings")
        if known is not None and skill not in known:
            raise InputError(f"{where}: unknown skill {skill!r} (not in 'skills')")
        out[skill] = _level(obj[skill], f"{where}.{skill}")
    return out


def _skills(value: Any, where: str) -> dict[str, dict[str, float]]:
    obj = _object(value, where)
    for sid in obj:
        if not isinstance(sid, str) or not sid:
            raise InputError(f"{where}: skill ids must be non-empty strings")
    out: dict[str, dict[str, float]] = {}
    for sid in sorted(obj):
        entry = _object(obj[sid], f"{where}.{sid}")
        _known_keys(entry, {"related"}, f"{where}.{sid}")
        related = _object(entry.get("related", {}), f"{where}.{sid}.related")
        rel: dict[str, float] = {}
        for other in sorted(related):
            at = f"{where}.{sid}.related.{other}"
            if other not in obj:
                raise InputError(f"{at}: unknown skill {other!r}")
            if other == sid:
                raise InputError(f"{at}: a skill cannot be related to itself")
            rel[other] = _number(related[other], at, 0.0, 1.0, lo_open=True)
        out[sid] = rel
    return out


def _people(item: Any, where: str, allowed: set[str]) -> tuple[Mapping[str, Any], str]:
    obj = _object(item, where)
    _known_keys(obj, allowed, where)
    if "id" not in obj:
        raise InputError(f"{where}: missing required field 'id'")
    pid = _id(obj["id"], f"{where}.id")
    return obj, pid


def _managers(obj: Mapping[str, Any], where: str, pid: str) -> tuple[str, ...]:
    where = f"{where}.managers"
    items = _array(obj.get("managers", []), where)
    for k, item in enumerate(items):
        if not isinstance(item, str) or not item:
            raise InputError(f"{where}[{k}]: expected a non-empty string, got {_kind(item)}")
    if pid in items:
        raise InputError(f"{where}: {pid!r} lists itself as its own manager")
    if len(set(items)) != len(items):
        raise InputError(f"{where}: a manager appears twice in the chain")
    return tuple(items)  # an ordered chain, nearest manager first: the order is the org chart


def _mentee(item: Any, where: str, known: set[str] | None) -> Mentee:
    obj, pid = _people(item, where, _MENTEE_KEYS)
    where = f"{where} ({pid})"
    return Mentee(
        id=pid,
        needs=_skill_levels(obj.get("needs", {}), f"{where}.needs", known),
        goals=_str_list(obj.get("goals", []), f"{where}.goals"),
        team=_optional_str(obj.get("team"), f"{where}.team"),
        managers=_managers(obj, where, pid),
    )


def _mentor(item: Any, where: str, known: set[str] | None) -> Mentor:
    obj, pid = _people(item, where, _MENTOR_KEYS)
    where = f"{where} ({pid})"
    if "capacity" not in obj:
        raise InputError(f"{where}: missing required field 'capacity'")
    return Mentor(
        id=pid,
        capacity=_capacity(obj["capacity"], f"{where}.capacity"),
        skills=_skill_levels(obj.get("skills", {}), f"{where}.skills", known),
        topics=_str_list(obj.get("topics", []), f"{where}.topics"),
        team=_optional_str(obj.get("team"), f"{where}.team"),
        managers=_managers(obj, where, pid),
    )


def _capacity(value: Any, where: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise InputError(f"{where}: expected a non-negative integer, got {_kind(value)}")
    if value > MAX_CAPACITY:
        raise InputError(f"{where}: expected at most {MAX_CAPACITY} places, got {_kind(value)}")
    return value


def _unique_ids(people: tuple[Mentee, ...] | tuple[Mentor, ...], where: str) -> set[str]:
    seen: set[str] = set()
    for person in people:
        if person.id in seen:
            raise InputError(f"{where}: duplicate id {person.id!r}")
        seen.add(person.id)
    return seen


def _pair_ids(
    item: Any, where: str, mentees: AbstractSet[str], mentors: AbstractSet[str], size: int
) -> list[Any]:
    if not isinstance(item, list | tuple) or len(item) != size:
        raise InputError(f"{where}: expected an array of {size} items, got {_kind(item)}")
    mentee, mentor = item[0], item[1]
    if not isinstance(mentee, str) or mentee not in mentees:
        raise InputError(f"{where}: unknown mentee id {mentee!r}")
    if not isinstance(mentor, str) or mentor not in mentors:
        raise InputError(f"{where}: unknown mentor id {mentor!r}")
    return list(item)


CandidateArrays = tuple[np.ndarray, np.ndarray, np.ndarray]  # mentee index, mentor index, score


def _candidates(
    value: Any, mentee_pos: dict[str, int], mentor_pos: dict[str, int]
) -> tuple[tuple[tuple[str, str, float], ...], CandidateArrays | None]:
    """The triples, plus index arrays (positions in id order) when the fast check found them valid."""
    items = _array(value, "candidates")
    # There may be hundreds of thousands of triples: check them column-wise with C-level maps and
    # array operations, and only when something is wrong walk them one by one to name the culprit.
    if items and set(map(type, items)) == {list} and set(map(len, items)) == {3}:
        a, b, s = (list(map(itemgetter(k), items)) for k in range(3))
        if set(map(type, s)) <= {int, float}:  # not bool, not strings numpy would convert
            try:
                rows = np.array(list(map(mentee_pos.__getitem__, a)), dtype=np.int64)
                cols = np.array(list(map(mentor_pos.__getitem__, b)), dtype=np.int64)
            except (KeyError, TypeError):  # unknown or unhashable id: the slow path names it
                pass
            else:
                scores = np.array(s, dtype=np.float64)
                keys = np.sort(rows * max(1, len(mentor_pos)) + cols)
                if np.all((scores >= 0.0) & (scores <= 1.0)) and not np.any(keys[1:] == keys[:-1]):
                    return tuple(zip(a, b, scores.tolist(), strict=True)), (rows, cols, scores)
    mentees, mentors = set(mentee_pos), set(mentor_pos)
    seen: set[tuple[str, str]] = set()
    out: list[tuple[str, str, float]] = []
    for k, item in enumerate(items):
        where = f"candidates[{k}]"
        mentee, mentor, score = _pair_ids(item, where, mentees, mentors, 3)
        score = _number(score, f"{where} score", 0.0, 1.0)
        if (mentee, mentor) in seen:
            raise InputError(f"{where}: duplicate candidate pair ({mentee!r}, {mentor!r})")
        seen.add((mentee, mentor))
        out.append((mentee, mentor, score))
    return tuple(out), None


def _exclude(value: Any, mentees: AbstractSet[str], mentors: AbstractSet[str]) -> frozenset[tuple[str, str]]:
    pairs = set()
    for k, item in enumerate(_array(value, "exclude")):
        mentee, mentor = _pair_ids(item, f"exclude[{k}]", mentees, mentors, 2)
        pairs.add((mentee, mentor))
    return frozenset(pairs)


def _options(value: Any) -> Options:
    obj = _object(value, "options")
    _known_keys(obj, _OPTION_KEYS, "options")
    defaults = Options()
    objective = obj.get("objective", defaults.objective)
    if objective not in ("participation", "score"):
        raise InputError(f"options.objective: expected 'participation' or 'score', got {_kind(objective)}")
    solver = obj.get("solver", defaults.solver)
    if solver not in ("auto", "networkx"):
        raise InputError(f"options.solver: expected 'auto' or 'networkx', got {_kind(solver)}")
    share = obj.get("max_load_share")
    return Options(
        objective=objective,
        min_score=_number(obj.get("min_score", defaults.min_score), "options.min_score", 0.0, 1.0),
        weights=_weights(obj.get("weights", {})),
        related_min_credit=_number(
            obj.get("related_min_credit", defaults.related_min_credit),
            "options.related_min_credit",
            0.0,
            1.0,
            lo_open=True,
        ),
        max_load_share=None
        if share is None
        else _number(share, "options.max_load_share", 0.0, 1.0, lo_open=True),
        load_share_margin=_number(
            obj.get("load_share_margin", defaults.load_share_margin), "options.load_share_margin", 0.0, 1.0
        ),
        solver=solver,
    )


def _weights(value: Any) -> Weights:
    obj = _object(value, "options.weights")
    _known_keys(obj, _WEIGHT_KEYS, "options.weights")
    defaults = Weights()
    w = Weights(
        needs=_number(obj.get("needs", defaults.needs), "options.weights.needs", 0.0, 1e6),
        goals=_number(obj.get("goals", defaults.goals), "options.weights.goals", 0.0, 1e6),
        team=_number(obj.get("team", defaults.team), "options.weights.team", 0.0, 1e6),
    )
    if w.needs + w.goals == 0:
        raise InputError("options.weights: needs and goals cannot both be 0")
    return w
