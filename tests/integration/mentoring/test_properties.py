"""Properties over random org charts: the chains read in one recursive query are everyone's real
management chain, and suggestions never name the mentee, anyone above them or anyone below them,
while every other open mentor with room is eligible."""

from __future__ import annotations

import uuid

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tandem.core import tenancy
from tandem.core.db import db
from tandem.mentoring import services, suggestions
from tandem.mentoring.models import MentoringRequest, MentorProfile, MentorSkill
from tandem.people.models import User


@st.composite
def org_charts(draw):
    """A forest as parent indices (-1: no manager; a parent always comes earlier), a mentee,
    and each person's capacity."""
    size = draw(st.integers(min_value=2, max_value=12))
    parents = [draw(st.integers(min_value=-1, max_value=i - 1)) for i in range(size)]
    capacities = draw(st.lists(st.integers(min_value=0, max_value=2), min_size=size, max_size=size))
    return parents, draw(st.integers(min_value=0, max_value=size - 1)), capacities


def _chain(parents, i):
    out = []
    while parents[i] != -1:
        i = parents[i]
        out.append(i)
    return out


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(chart=org_charts())
def test_suggestions_respect_the_management_line(app, org, skill_ids, chart):
    parents, mentee, capacities = chart
    python = uuid.UUID(skill_ids["python"])
    with app.app_context(), tenancy.tenant_scope(org.tenant_id):
        ids = [uuid.uuid4() for _ in parents]
        tag = uuid.uuid4().hex[:8]
        for i, parent in enumerate(parents):
            db.session.add(
                User(
                    id=ids[i],
                    email=f"p{i}-{tag}@prop.test",
                    name=f"P{i}",
                    manager_id=ids[parent] if parent != -1 else None,
                )
            )
            db.session.flush()
        for i, capacity in enumerate(capacities):
            profile = MentorProfile(user_id=ids[i], capacity=capacity, topics=["career"])
            db.session.add(profile)
            db.session.flush()
            db.session.add(MentorSkill(profile_id=profile.id, skill_id=python, level=1 + i % 5))
        request = MentoringRequest(mentee_id=ids[mentee], needs={str(python): 3}, topics=["career"])
        db.session.add(request)
        db.session.flush()

        chains = services.management_chains(set(ids))
        for i in range(len(parents)):
            assert chains.get(ids[i], []) == [str(ids[j]) for j in _chain(parents, i)]

        suggested = {s["mentor_id"] for s in suggestions.suggestions_for(request, k=len(parents))}
        above = {ids[j] for j in _chain(parents, mentee)}
        below = {ids[i] for i in range(len(parents)) if mentee in _chain(parents, i)}
        eligible = {
            ids[i]
            for i in range(len(parents))
            if capacities[i] > 0 and ids[i] not in above | below | {ids[mentee]}
        }
        assert suggested == eligible
        db.session.rollback()
