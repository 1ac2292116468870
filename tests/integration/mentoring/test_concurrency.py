"""Two acceptances of a mentor's last place at the same time: exactly one succeeds and the mentor's
capacity is never exceeded (real transactions on separate connections, so the row lock is real)."""

from __future__ import annotations

import threading

import pytest
import sqlalchemy as sa

from tandem.core import tenancy, unit_of_work
from tandem.core.db import db
from tandem.mentoring import workflow
from tandem.mentoring.models import Mentorship
from tandem.people.models import User

pytestmark = pytest.mark.committed


def _two_waiting(world, api, org):
    """Two mentees each with a pending invitation to ana, who has one place."""
    invitations = []
    for name in ("First", "Second"):
        mentee = org.person(name)
        request = (
            api(mentee)
            .post("/api/v1/mentoring/requests", json={"needs": [{"skill_id": world["python"], "level": 3}]})
            .json
        )
        invitation = api(mentee).post(
            f"/api/v1/mentoring/requests/{request['id']}/invitations",
            json={"mentor_id": str(world["ana"].id)},
        )
        assert invitation.status_code == 201, invitation.json
        invitations.append(invitation.json["id"])
    return invitations


def _places_taken(org, mentor_id):
    with org.scope():
        return db.session.scalar(
            sa.select(sa.func.count()).select_from(Mentorship).where(Mentorship.mentor_id == mentor_id)
        )


def test_two_simultaneous_acceptances_of_the_last_place(world, api, org):
    first, second = _two_waiting(world, api, org)
    barrier = threading.Barrier(2)
    statuses: list[int] = []

    def accept(invitation_id):
        client = api(world["ana"])
        barrier.wait()
        statuses.append(client.post(f"/api/v1/mentoring/invitations/{invitation_id}/accept").status_code)

    threads = [threading.Thread(target=accept, args=(i,)) for i in (first, second)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert sorted(statuses) == [201, 409]
    assert _places_taken(org, world["ana"].id) == 1


def test_an_acceptance_waits_for_the_lock_and_then_sees_the_place_taken(world, api, org, app):
    first, second = _two_waiting(world, api, org)
    statuses: list[int] = []
    with app.app_context(), tenancy.tenant_scope(org.tenant_id):
        mentor = db.session.get(User, world["ana"].id)
        workflow.accept(mentor, first)  # holds the mentor profile's row lock until it commits
        other = threading.Thread(
            target=lambda: statuses.append(
                api(world["ana"]).post(f"/api/v1/mentoring/invitations/{second}/accept").status_code
            )
        )
        other.start()
        other.join(timeout=1)  # it cannot finish while the lock is held
        blocked = other.is_alive()
        unit_of_work.commit()
    other.join(timeout=60)
    assert blocked and statuses == [409]
    assert _places_taken(org, world["ana"].id) == 1
