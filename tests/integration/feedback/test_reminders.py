"""Reminders by email on a real local SMTP server (aiosmtpd): `tandem feedback send-reminders`
mails everyone who still owes feedback, never twice within the interval, never after they
submitted or declined, and neither the mail nor the stored job result carries any answer."""

from __future__ import annotations

import json
import socket
from datetime import date, timedelta

import pytest
import sqlalchemy as sa
from aiosmtpd.controller import Controller

from tandem import create_app
from tandem.core import tenancy
from tandem.core.db import db
from tandem.core.jobs import JobRun

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
def mail_app(settings_for, tmp_path, inbox, app):
    application = create_app(settings_for(tmp_path, smtp_host="127.0.0.1", smtp_port=inbox.port))
    yield application
    with application.app_context(), db.engine.begin() as conn:
        # These tests commit for real; clear what they made.
        conn.execute(sa.text("TRUNCATE tenants CASCADE"))
    with application.app_context():
        db.engine.dispose()


def _send(application):
    result = application.test_cli_runner().invoke(args=["feedback", "send-reminders"])
    assert result.exit_code == 0, result.output
    return result.output


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
        db.session.execute(
            sa.text(
                "UPDATE feedback_invitations SET last_reminded_at = last_reminded_at - interval '13 hours' "
                "WHERE tenant_id = :t"
            ),
            {"t": org.tenant_id},
        )
        db.session.commit()
    api(org.admin).patch(f"{URL}/settings", json={"reminder_interval_hours": 12})
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
