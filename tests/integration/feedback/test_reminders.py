"""Reminders by email on a real local SMTP server (aiosmtpd): `tandem feedback send-reminders`
mails everyone who still owes feedback, never twice within the interval, never after they
submitted or declined, and neither the mail nor the stored job result carries any answer.
A run for one cycle (the cycle page's action) mails only that cycle's pending reviewers, shares
the interval with the organisation's run, and finds nobody for another organisation's cycle. Both
runs also go through the real Redis to a real `tandem worker mail` process."""

from __future__ import annotations

import json
import socket
import uuid
from datetime import date, timedelta

import pytest
import sqlalchemy as sa
from aiosmtpd.controller import Controller

from tandem import create_app
from tandem.core import tenancy, unit_of_work
from tandem.core.db import db
from tandem.core.jobs import JobRun
from tandem.feedback import reminders
from tandem.feedback.jobs import submit_reminders

pytestmark = pytest.mark.committed
URL = "/api/v1/feedback"
CANARY = "CANARY-REMINDER-ANSWER-91c2"


class Inbox:
    def __init__(self) -> None:
        self.messages: list[tuple[list[str], str]] = []

    async def handle_DATA(self, server, session, envelope):
        self.messages.append((list(envelope.rcpt_tos), envelope.content.decode("utf-8", "replace")))
        return "250 Message accepted for delivery"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def inbox():
    handler = Inbox()
    controller = Controller(handler, hostname="127.0.0.1", port=_free_port())
    controller.start()
    handler.port = controller.port  # type: ignore[attr-defined]
    yield handler
    controller.stop()


@pytest.fixture
def mail_app(app_with, inbox):
    """Jobs inline, mail through the local SMTP server."""
    return app_with(smtp_host="127.0.0.1", smtp_port=inbox.port)


@pytest.fixture
def redis_app_settings(inbox):
    """`redis_app` here mails through the local SMTP server too."""
    return {"smtp_host": "127.0.0.1", "smtp_port": inbox.port}


def _send(application):
    result = application.test_cli_runner().invoke(args=["feedback", "send-reminders"])
    assert result.exit_code == 0, result.output
    return result.output


def _let_the_interval_pass(application, org, api):
    """Every reminder of the organisation 13 hours older, and the interval at its shortest (12)."""
    with application.app_context(), tenancy.tenant_scope(org.tenant_id):
        db.session.execute(
            sa.text(
                "UPDATE feedback_invitations SET last_reminded_at = last_reminded_at - interval '13 hours' "
                "WHERE tenant_id = :t"
            ),
            {"t": org.tenant_id},
        )
        db.session.commit()
    assert api(org.admin).patch(f"{URL}/settings", json={"reminder_interval_hours": 12}).status_code == 200


def test_reminders_go_out_once_per_interval_until_answered(mail_app, make_org, api, inbox, answer, fb):
    org = make_org("mail")
    manager = org.person("Manager")
    subject = org.person("Subject", manager=manager)
    peers = [org.person(f"Peer {i}", manager=manager) for i in range(3)]
    body = {
        "due_on": (date.today() + timedelta(days=5)).isoformat(),
        "reviewers": [{"person_id": str(manager.id), "relationship": "manager"}]
        + [{"person_id": str(p.id), "relationship": "peer"} for p in peers],
    }
    request = api(subject).post(f"{URL}/requests", json=body).json
    answer(peers[0], fb.invitation_of(request, peers[0]), text=CANARY)
    declined = api(peers[1]).post(
        f"{URL}/invitations/{fb.invitation_of(request, peers[1])}/decline", json={"reason": "Away"}
    )
    assert declined.status_code == 200

    output = _send(mail_app)
    assert "Reminder runs for 1 of" in output
    assert sorted(to for tos, _ in inbox.messages for to in tos) == sorted([manager.email, peers[2].email])
    assert all("Subject" in text and CANARY not in text for _tos, text in inbox.messages)

    _send(mail_app)  # an hour later: nobody is reminded twice within the interval
    assert len(inbox.messages) == 2

    with mail_app.app_context(), tenancy.tenant_scope(org.tenant_id):
        runs = db.session.scalars(sa.select(JobRun).where(JobRun.kind == "feedback.reminders")).all()
        assert [run.status for run in runs] == ["done"] and runs[0].result["sent"] == 2
        stored = json.dumps([run.result for run in runs] + [run.params for run in runs])
        assert CANARY not in stored and "@" not in stored
    # The interval passes (12 hours at the shortest): the two who still owe are reminded again.
    _let_the_interval_pass(mail_app, org, api)
    _send(mail_app)
    assert len(inbox.messages) == 4
    # After the close nobody is reminded any more.
    api(subject).post(f"{URL}/requests/{request['id']}/close")
    with mail_app.app_context(), tenancy.tenant_scope(org.tenant_id):
        db.session.execute(
            sa.text("UPDATE feedback_invitations SET last_reminded_at = NULL WHERE tenant_id = :t"),
            {"t": org.tenant_id},
        )
        db.session.commit()
    _send(mail_app)
    assert len(inbox.messages) == 4


def test_without_smtp_nothing_is_sent(settings_for, tmp_path, app):
    application = create_app(settings_for(tmp_path))
    output = application.test_cli_runner().invoke(args=["feedback", "send-reminders"]).output
    assert "SMTP_HOST is not set" in output
    with application.app_context():
        db.engine.dispose()


# --------------------------------------------------------------------------- one cycle's reminders


def _launch_below(api, org, manager, name):
    body = {
        "name": name,
        "scope": "subtree",
        "manager_id": str(manager.id),
        "opens_on": date.today().isoformat(),
        "closes_on": (date.today() + timedelta(days=14)).isoformat(),
    }
    response = api(org.admin).post(f"{URL}/cycles", json=body)
    assert response.status_code == 201, response.json
    return response.json["id"]


def _remind_cycle(application, org, cycle_id):
    """What the cycle page's action does: this cycle's reminder run (inline, or queued on Redis
    when the app has it)."""
    with application.app_context(), tenancy.tenant_scope(org.tenant_id):
        run = submit_reminders(uuid.UUID(cycle_id))
        unit_of_work.commit()
        return None if run is None else run.id


def _recipients(inbox, start=0):
    return sorted(to for tos, _ in inbox.messages[start:] for to in tos)


def test_a_cycle_run_reminds_only_that_cycles_pending_reviewers(mail_app, make_org, api, inbox, answer, fb):
    org = make_org("cyc")
    boss = org.person("Boss")
    alice, erin = org.person("Alice", manager=boss), org.person("Erin", manager=boss)
    carol, dave = org.person("Carol", manager=alice), org.person("Dave", manager=alice)
    frank = org.person("Frank", manager=erin)
    # Spring: below Alice (Carol and Dave, each asked of themselves and of Alice).
    spring = _launch_below(api, org, alice, "Spring")
    # Autumn: below Erin (Frank, asked of himself and of Erin).
    _launch_below(api, org, erin, "Autumn")
    # Outside any cycle: Boss asks Alice and Erin for feedback.
    body = {
        "due_on": (date.today() + timedelta(days=5)).isoformat(),
        "reviewers": [{"person_id": str(p.id), "relationship": "direct_report"} for p in (alice, erin)],
    }
    assert api(boss).post(f"{URL}/requests", json=body).status_code == 201
    # Dave has answered his own: he is not pending any more.
    spring_requests = api(org.admin).get(f"{URL}/requests", query_string={"cycle_id": spring}).json["items"]
    dave_request = next(r for r in spring_requests if r["subject"]["id"] == str(dave.id))
    answer(dave, fb.invitation_of(dave_request, dave), text=CANARY)

    with mail_app.app_context(), tenancy.tenant_scope(org.tenant_id):
        # Carol (self), Alice about Carol, Alice about Dave: three reminders to two people.
        assert reminders.due_counts(uuid.UUID(spring)) == (3, 2)
        assert reminders.due_counts() == (3 + 2 + 2, 4)  # Carol, Alice, Erin, Frank

    run_id = _remind_cycle(mail_app, org, spring)
    # Only Spring's pending reviewers: Alice twice (one mail per person she reviews), Carol once;
    # not Dave (answered), not Erin or Frank (Autumn), nor Alice's or Erin's request from Boss.
    assert _recipients(inbox) == sorted([alice.email, alice.email, carol.email])
    texts = [text for _, text in inbox.messages]
    assert all("Boss" not in text and "Frank" not in text and CANARY not in text for text in texts)
    about = sorted(("Carol" in text, "Dave" in text) for tos, text in inbox.messages if alice.email in tos)
    assert about == [(False, True), (True, False)]
    with mail_app.app_context(), tenancy.tenant_scope(org.tenant_id):
        run = db.session.get(JobRun, run_id)
        assert (run.kind, run.status, run.params) == ("feedback.reminders", "done", {"cycle_id": spring})
        assert (run.result["due"], run.result["sent"], run.result["failed"]) == (3, 3, 0)
        assert "@" not in json.dumps(run.result) and CANARY not in json.dumps(run.result)

    # Pressing again within the interval: nobody is due in Spring, no run, no mail.
    assert _remind_cycle(mail_app, org, spring) is None
    assert len(inbox.messages) == 3

    # The organisation's hourly run is unchanged: everyone else who owes, across cycles and
    # requests, but nobody Spring's run has just reminded.
    output = _send(mail_app)
    assert "Reminder runs for 1 of" in output
    assert _recipients(inbox, 3) == sorted([alice.email, erin.email, erin.email, frank.email])
    assert all("Boss" in text or "Frank" in text for _, text in inbox.messages[3:])
    with mail_app.app_context(), tenancy.tenant_scope(org.tenant_id):
        org_run = db.session.scalar(
            sa.select(JobRun).where(JobRun.kind == "feedback.reminders", JobRun.id != run_id)
        )
        assert org_run.params == {} and org_run.result["sent"] == 4
    _send(mail_app)
    assert len(inbox.messages) == 7

    # Once the interval has passed, Spring's run reminds Spring's pending reviewers again, and
    # only them.
    _let_the_interval_pass(mail_app, org, api)
    assert _remind_cycle(mail_app, org, spring) is not None
    assert _recipients(inbox, 7) == sorted([alice.email, alice.email, carol.email])


def test_another_organisations_cycle_reminds_nobody(mail_app, make_org, api, inbox):
    org, other = make_org("ours"), make_org("theirs")
    lead = org.person("Lead")
    org.person("Member", manager=lead)
    cycle = _launch_below(api, org, lead, "Ours")
    with mail_app.app_context(), tenancy.tenant_scope(other.tenant_id):
        assert reminders.due_counts(uuid.UUID(cycle)) == (0, 0)
        assert reminders.send_due(mail_app.extensions["tandem.settings"], uuid.UUID(cycle))["due"] == 0
    assert _remind_cycle(mail_app, other, cycle) is None
    assert inbox.messages == []
    with mail_app.app_context(), tenancy.tenant_scope(org.tenant_id):
        assert reminders.due_counts(uuid.UUID(cycle)) == (2, 2)  # still due in its own organisation


@pytest.mark.redis
def test_reminder_runs_go_through_redis_to_a_real_mail_worker(redis_app, make_org, api, inbox, run_worker):
    org = make_org("queued")
    lead = org.person("Lead")
    member = org.person("Member", manager=lead)
    spring = _launch_below(api, org, lead, "Spring")
    outside = org.person("Outside")
    body = {
        "due_on": (date.today() + timedelta(days=5)).isoformat(),
        "reviewers": [{"person_id": str(outside.id), "relationship": "other"}],
    }
    assert api(lead).post(f"{URL}/requests", json=body).status_code == 201
    run_id = _remind_cycle(redis_app, org, spring)
    with redis_app.app_context(), tenancy.tenant_scope(org.tenant_id):
        assert db.session.get(JobRun, run_id).status == "queued"
    assert inbox.messages == []  # nothing is sent until a worker runs it

    worker = run_worker("mail", SMTP_HOST="127.0.0.1", SMTP_PORT=str(inbox.port))
    assert worker.returncode == 0, worker.stderr
    # The cycle's run: Member (about themself) and Lead (about Member), not Outside.
    assert _recipients(inbox) == sorted([lead.email, member.email])
    with redis_app.app_context(), tenancy.tenant_scope(org.tenant_id):
        run = db.session.get(JobRun, run_id)
        assert (run.status, run.attempts, run.params) == ("done", 1, {"cycle_id": spring})
        assert (run.result["due"], run.result["sent"], run.result["failed"]) == (2, 2, 0)

    # The organisation's run, through the same queue: only Outside is still due.
    with redis_app.app_context(), tenancy.tenant_scope(org.tenant_id):
        org_run = submit_reminders()
        unit_of_work.commit()
        org_run_id = org_run.id
    worker = run_worker("mail", SMTP_HOST="127.0.0.1", SMTP_PORT=str(inbox.port))
    assert worker.returncode == 0, worker.stderr
    assert _recipients(inbox, 2) == [outside.email]
    with redis_app.app_context(), tenancy.tenant_scope(org.tenant_id):
        assert db.session.get(JobRun, org_run_id).result["sent"] == 1
