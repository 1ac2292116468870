"""Instances derived from another one for other mentees, sharing its compiled mentors."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from .arrays import cached, roster, share_mentor_side
from .errors import InputError
from .model import Instance, Mentor
from .parse import _array, _capacity, _exclude, _mentee, _object, _unique_ids


def with_mentees(
    instance: Instance,
    mentees: Sequence[Any],
    *,
    exclude: Sequence[Any] = (),
    capacity: Mapping[str, Any] | None = None,
) -> Instance:
    """``instance`` with ``mentees`` and ``exclude`` (JSON-like, checked as by ``parse_instance``)
    in place of its own, and the capacity of the mentors named in ``capacity`` ({mentor id:
    places}) replaced; the same mentors otherwise, taxonomy and options. Raises InputError.

    Compiling the mentors (skills matrix, topics, teams, skills graph) is most of a cold
    ``suggest``; the derived instance shares those of ``instance`` instead. So keep one instance
    of every mentor (with no mentees) and derive one per mentee to suggest for: each derivation
    costs that mentee and a pass over the capacities, whatever the number of mentors.
    """
    if instance.candidates is not None:
        raise InputError("with_mentees: explicit candidates name the instance's own mentees")
    known = set(instance.skills) if instance.skills else None
    people = tuple(_mentee(item, f"mentees[{i}]", known) for i, item in enumerate(_array(mentees, "mentees")))
    index = roster(instance).mentor_index
    pairs = _exclude(exclude, _unique_ids(people, "mentees"), index.keys())
    mentors = instance.mentors
    if capacity:
        # Mentors remade with another capacity, by position, kept with the source instance: few
        # capacities change between derivations, and remaking a thousand mentors takes milliseconds.
        remade: dict[int, Mentor] = cached(instance, "remade", lambda _: {})
        listed = list(mentors)
        for mentor, value in _object(capacity, "capacity").items():
            j = index.get(mentor)
            if j is None:
                raise InputError(f"capacity: unknown mentor id {mentor!r}")
            places = _capacity(value, f"capacity.{mentor}")
            if places != listed[j].capacity:
                made = remade.get(j)
                if made is None or made.capacity != places:
                    # vars() of a mentor are its init fields (dataclasses.replace, slower, too).
                    made = remade[j] = Mentor(**{**vars(listed[j]), "capacity": places})
                listed[j] = made
        mentors = tuple(listed)
    derived = Instance(
        mentees=people, mentors=mentors, skills=instance.skills, exclude=pairs, options=instance.options
    )
    share_mentor_side(instance, derived)
    return derived
