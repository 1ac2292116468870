"""A cycle's participation for HR: invitations by relationship and status, the overdue and the
reminded among those still awaited, how many subjects have enough answers for each group to be
shown under the cycle's thresholds, one row of counts per person, and reminders due in the cycle.
All counts, in a fixed number of queries, none of which reads a response."""

from __future__ import annotations

import uuid
from datetime import timedelta

import sqlalchemy as sa

from tandem.core import tenancy
from tandem.core.db import db
from tandem.feedback import cycles, reminders
from tandem.feedback.models import FeedbackCycle, FeedbackInvitation, FeedbackRequest


def _launch(api, org, fb, **body):
    payload = {
        "name": "Autumn 360",
        "opens_on": fb.TODAY.isoformat(),
        "closes_on": (fb.TODAY + timedelta(days=14)).isoformat(),
        **body,
    }
    response = api(org.admin).post(f"{fb.URL}/cycles", json=payload)
    assert response.status_code == 201, response.json
    return response.json


def _request_of(api, person, fb, cycle_id):
    items = api(person).get(f"{fb.URL}/requests", query_string={"cycle_id": cycle_id}).json["items"]
    return next(r for r in items if r["subject"]["id"] == str(person.id))


def _busy_cycle(org, world, api, answer, fb):
    """A subtree cycle below the manager (9 people) where the subject has their own, their
    manager's and three of four direct reports' answers, one report declined, and one peer
    nomination was approved and another rejected; plus a whole-organisation cycle beside it."""
    cycle = _launch(api, org, fb, scope="subtree", manager_id=str(world["manager"].id))
    _launch(api, org, fb, name="Everyone", scope="tenant")  # its invitations must not count
    request = _request_of(api, world["subject"], fb, cycle["id"])
    invitation = {i["reviewer"]["id"]: i["id"] for i in request["invitations"]}
    for person in [world["subject"], world["manager"], *world["reports"][:3]]:
        answer(person, invitation[str(person.id)])
    declined = api(world["reports"][3]).post(
        f"{fb.URL}/invitations/{invitation[str(world['reports'][3].id)]}/decline", json={"reason": "On leave"}
    )
    assert declined.status_code == 200
    peers = [{"person_id": str(p.id), "relationship": "peer"} for p in world["peers"][:2]]
    url = f"{fb.URL}/requests/{request['id']}/reviewers"
    made = api(world["subject"]).post(url, json={"reviewers": peers})
    assert made.status_code == 201, made.json
    boss = api(world["manager"])
    assert boss.post(f"{fb.URL}/invitations/{made.json[0]['id']}/approve").status_code == 200
    assert boss.post(f"{fb.URL}/invitations/{made.json[1]['id']}/reject").status_code == 200
    return cycle, request


def test_participation_counts_by_relationship_and_status(org, world, api, answer, fb, count_queries):
    cycle, _request = _busy_cycle(org, world, api, answer, fb)
    with org.scope():
        found = db.session.get(FeedbackCycle, uuid.UUID(cycle["id"]))
        with count_queries() as statements:
            seen = cycles.participation(found)
    assert len(statements) == 3
    assert not any("feedback_responses" in s for s in statements)  # counts from invitations only
    rel = seen["by_relationship"]
    assert seen["subjects"] == 9
    # Everyone answers about themselves; the manager about 5 of their reports, the subject about 4.
    assert (rel["self"]["submitted"], rel["self"]["invited"]) == (1, 8)
    assert (rel["manager"]["submitted"], rel["manager"]["invited"]) == (1, 8)
    assert (rel["direct_report"]["submitted"], rel["direct_report"]["declined"]) == (3, 1)
    assert (rel["peer"]["invited"], rel["peer"]["rejected"], rel["peer"]["pending_approval"]) == (1, 1, 0)
    assert rel["other"]["asked"] == 0 and rel["other"]["rate"] is None
    total = seen["total"]
    assert (total["submitted"], total["declined"], total["invited"], total["rejected"]) == (5, 1, 17, 1)
    assert total["asked"] == 23 and total["rate"] == 5 / 23
    assert total["overdue"] == 0 and total["reminded"] == 0
    # The subject's self, manager and direct-report groups reach their thresholds (1, 1, 3), and
    # manager + direct reports = 4 answers reach the pooled "all but self" minimum of 4.
    shown = {r: rel[r]["shown_for"] for r in rel}
    assert shown == {"self": 1, "manager": 1, "direct_report": 1, "peer": 0, "other": 0}
    assert seen["shown_all_but_self"] == 1
    assert seen["thresholds"] == {
        "self": 1,
        "manager": 1,
        "peer": 3,
        "direct_report": 3,
        "other": 3,
        "all_but_self": 4,
    }


def test_a_group_below_its_threshold_is_not_counted_as_shown(org, world, api, answer, fb):
    cycle = _launch(api, org, fb, scope="subtree", manager_id=str(world["manager"].id))
    request = _request_of(api, world["subject"], fb, cycle["id"])
    invitation = {i["reviewer"]["id"]: i["id"] for i in request["invitations"]}
    for person in world["reports"][:2]:  # two of the three a direct-report group needs
        answer(person, invitation[str(person.id)])
    with org.scope():
        seen = cycles.participation(db.session.get(FeedbackCycle, uuid.UUID(cycle["id"])))
    assert seen["by_relationship"]["direct_report"]["submitted"] == 2
    assert seen["by_relationship"]["direct_report"]["shown_for"] == 0
    assert seen["shown_all_but_self"] == 0


def test_overdue_and_reminded_are_counted_among_the_awaited(org, world, api, answer, fb):
    cycle, request = _busy_cycle(org, world, api, answer, fb)
    with org.scope():
        # The subject's request is past its due date; one awaited invitation elsewhere was reminded.
        db.session.execute(
            sa.update(FeedbackRequest)
            .where(FeedbackRequest.id == uuid.UUID(request["id"]))
            .values(due_on=fb.TODAY - timedelta(days=1))
        )
        other = db.session.scalar(
            sa.select(FeedbackInvitation)
            .join(FeedbackRequest, FeedbackRequest.id == FeedbackInvitation.request_id)
            .where(
                FeedbackRequest.cycle_id == uuid.UUID(cycle["id"]),
                FeedbackRequest.id != uuid.UUID(request["id"]),
                FeedbackInvitation.status == "invited",
            )
            .limit(1)
        )
        other.reminder_count = 1
        db.session.flush()
        seen = cycles.participation(db.session.get(FeedbackCycle, uuid.UUID(cycle["id"])))
    # Only the subject's still-awaited peer is overdue; the answered and declined ones are not.
    assert seen["total"]["overdue"] == 1 and seen["by_relationship"]["peer"]["overdue"] == 1
    assert seen["total"]["reminded"] == 1


def test_one_row_of_counts_per_person_by_name(org, world, api, answer, fb, count_queries):
    cycle, request = _busy_cycle(org, world, api, answer, fb)
    with org.scope():
        found = db.session.get(FeedbackCycle, uuid.UUID(cycle["id"]))
        with count_queries() as statements:
            rows = db.session.execute(cycles.subjects_query(found)).all()
    assert len(statements) == 1 and "feedback_responses" not in statements[0]
    assert [r.name for r in rows] == sorted(r.name for r in rows) and len(rows) == 9
    subject = next(r for r in rows if str(r.request_id) == request["id"])
    assert subject.name == "Subject"
    assert (subject.submitted, subject.declined, subject.invited, subject.pending_approval) == (5, 1, 1, 0)
    assert subject.peers == 1  # the rejected nomination is not counted
    peer = next(r for r in rows if r.name == "Peer 0")
    assert (peer.invited, peer.submitted, peer.peers) == (2, 0, 0)  # self and manager


def test_reminders_due_can_be_counted_for_one_cycle(org, world, api, answer, fb, ask):
    cycle, _request = _busy_cycle(org, world, api, answer, fb)
    # An ad-hoc request outside the cycle: due in the organisation, not in the cycle.
    ask(world["other"], [{"person_id": str(world["boss"].id), "relationship": "manager"}])
    with org.app.app_context(), tenancy.tenant_scope(org.tenant_id):
        in_cycle, everywhere = reminders.count_due(uuid.UUID(cycle["id"])), reminders.count_due()
    # Awaited in the cycle: 8 self + 8 manager + 1 approved peer (answered and declined ones are not).
    assert in_cycle == 17
    # The whole-organisation cycle (every active person asked about themselves and more) and the
    # ad-hoc request add to the organisation's count only.
    assert everywhere > in_cycle + 1
