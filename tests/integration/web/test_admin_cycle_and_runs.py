"""Two HR admin pages: a feedback cycle's own page (settings, participation in counts by
relationship, the people in it, reminders, closing) and a match run that follows its job while it
is queued or running. HR admins only (others: 403), another organisation's ids 404, CSRF on every
form, nothing anyone answered ever on the page, and no query per person."""

from __future__ import annotations

import re
import socket
import uuid
from datetime import date, timedelta
from typing import Any

import pytest
import sqlalchemy as sa
from aiosmtpd.controller import Controller

from tandem import create_app
from tandem.core.db import db
from tandem.core.jobs import JobRun
from tandem.feedback.models import FeedbackCycle
from tandem.mentoring.models import MatchRun

URL = "/api/v1/feedback"
TODAY = date.today()
SOON = (TODAY + timedelta(days=20)).isoformat()
ANSWER = "CANARY-ANSWER-7f3e"
REASON = "CANARY-DECLINE-5b1a"


def post(client: Any, url: str, data: dict[str, Any] | None = None, **kw: Any) -> Any:
    return client.post(url, data={"csrf_token": client.csrf, **(data or {})}, **kw)


def text_of(fragment: str) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", fragment).split())


def row(html: str, attribute: str) -> list[str]:
    """The cells of the table row carrying `attribute` (e.g. 'data-group="peer"'), as text."""
    found = re.search(rf"<tr {attribute}>(.*?)</tr>", html, re.S)
    assert found, attribute
    return [text_of(cell) for cell in re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", found.group(1), re.S)]


def figure(html: str, name: str) -> str:
    return text_of(re.search(rf'<dd data-figure="{name}">(.*?)</dd>', html, re.S).group(1))


# --------------------------------------------------------------------------- a cycle in progress


def _launch(api: Any, org: Any, **body: Any) -> dict[str, Any]:
    payload = {"name": "Spring 360", "opens_on": TODAY.isoformat(), "closes_on": SOON, **body}
    response = api(org.admin).post(f"{URL}/cycles", json=payload)
    assert response.status_code == 201, response.json
    return response.json


def _answer(api: Any, person: Any, invitation_id: str) -> None:
    client = api(person)
    questions = client.get(f"{URL}/invitations/{invitation_id}").json["questions"]
    answers = [
        {"question_id": q["id"], "rating": 4}
        if q["kind"] == "rating"
        else {"question_id": q["id"], "text": ANSWER}
        for q in questions
    ]
    response = client.post(f"{URL}/invitations/{invitation_id}/submit", json={"answers": answers})
    assert response.status_code == 200, response.json


@pytest.fixture
def team(org: Any, password: str) -> dict[str, Any]:
    """Mona manages Sam and three peers; Sam manages four reports."""
    mona = org.person("Mona Manager", password=password)
    sam = org.person("Sam Subject", manager=mona, password=password)
    return {
        "mona": mona,
        "sam": sam,
        "peers": [org.person(f"Peer {i}", manager=mona) for i in range(3)],
        "reports": [org.person(f"Report {i}", manager=sam) for i in range(4)],
    }


@pytest.fixture
def cycle(org: Any, team: dict[str, Any], api: Any) -> dict[str, Any]:
    """A cycle below Mona (8 people) where Sam has their own, Mona's and three reports' answers,
    one report declined with a reason, and two peer nominations wait for Mona's approval."""
    launched = _launch(api, org, scope="subtree", manager_id=str(team["mona"].id))
    sam = team["sam"]
    request = next(
        r
        for r in api(sam).get(f"{URL}/requests", query_string={"cycle_id": launched["id"]}).json["items"]
        if r["subject"]["id"] == str(sam.id)
    )
    invitation = {i["reviewer"]["id"]: i["id"] for i in request["invitations"]}
    for person in [sam, team["mona"], *team["reports"][:3]]:
        _answer(api, person, invitation[str(person.id)])
    declined = api(team["reports"][3]).post(
        f"{URL}/invitations/{invitation[str(team['reports'][3].id)]}/decline", json={"reason": REASON}
    )
    assert declined.status_code == 200
    peers = [{"person_id": str(p.id), "relationship": "peer"} for p in team["peers"][:2]]
    nominated = api(sam).post(f"{URL}/requests/{request['id']}/reviewers", json={"reviewers": peers})
    assert nominated.status_code == 201, nominated.json
    return {**launched, "sam_request": request["id"]}


def _status(org: Any, cycle_id: str) -> str:
    with org.scope():
        return db.session.get(FeedbackCycle, uuid.UUID(cycle_id)).status


def test_the_cycle_page_shows_settings_and_participation_in_counts(signed_in, org, cycle):
    admin = signed_in(org, org.admin)
    html = admin.get(f"/admin/feedback/cycles/{cycle['id']}").get_data(as_text=True)
    assert "<h1>Spring 360" in html and "Everyone below Mona Manager (8 people)" in html
    assert "peers 3, direct reports 3, others 3, all reviewers but self 4" in text_of(html)
    assert "General 360" in html  # the default questionnaire
    # 5 answers in (Sam, Mona, three reports) of 20 asked: 8 self + 8 manager + 4 direct reports.
    assert figure(html, "submitted") == "5 of 20 asked (25.0%)"
    assert (figure(html, "invited"), figure(html, "declined")) == ("14", "1")
    assert (figure(html, "pending_approval"), figure(html, "overdue")) == ("2", "0")
    # Group, asked, answered, declined, to answer, overdue, waiting for approval, rate, shown.
    assert row(html, 'data-group="self"') == [
        "Self",
        "8",
        "1",
        "0",
        "7",
        "0",
        "0",
        "12.5%",
        "for 1 of 8 (needs 1)",
    ]
    assert row(html, 'data-group="direct_report"')[1:5] == ["4", "3", "1", "0"]
    assert row(html, 'data-group="direct_report"')[-1] == "for 1 of 8 (needs 3)"
    assert row(html, 'data-group="peer"')[1:8] == ["0", "0", "0", "0", "0", "2", "—"]
    assert row(html, 'data-group="total"')[-1] == "all but self: for 1 of 8 (needs 4)"
    # One row per person, by name, linking to their request.
    sam = row(html, f'data-request="{cycle["sam_request"]}"')
    assert sam == ["Sam Subject", "2", "2", "0", "5", "1"]
    assert f'href="/feedback/requests/{cycle["sam_request"]}"' in html
    names = re.findall(r'<tr data-request="[^"]+">\s*<th scope="row"><a [^>]+>([^<]+)</a>', html)
    assert names == sorted(names) and len(names) == 8
    # Never what anyone answered, nor a reviewer's reason for declining.
    assert ANSWER not in html and REASON not in html
    # The cycle is open: reminders (no mail server in the test app) and closing are offered.
    assert "Mail is not set up" in html and "Send due reminders now" not in html
    assert "Close the cycle now" in html and f"/api/v1/feedback/cycles/{cycle['id']}/export" not in html
    # The list links each cycle to its page.
    listing = admin.get("/admin/feedback/cycles").get_data(as_text=True)
    assert f'href="/admin/feedback/cycles/{cycle["id"]}"' in listing


def test_the_cycle_page_reads_the_same_number_of_statements_whatever_its_size(
    signed_in, org, team, cycle, api, count_queries
):
    # A second cycle below Sam: 5 people instead of 8, the same kind of scope.
    small = _launch(api, org, name="Small", scope="subtree", manager_id=str(team["sam"].id))
    admin = signed_in(org, org.admin)
    counts = []
    for cycle_id in (cycle["id"], small["id"]):
        assert admin.get(f"/admin/feedback/cycles/{cycle_id}").status_code == 200  # warm (defaults seeded)
        with count_queries() as statements:
            assert admin.get(f"/admin/feedback/cycles/{cycle_id}").status_code == 200
        assert not any("feedback_responses" in s for s in statements)
        counts.append(len(statements))
    assert counts[0] == counts[1], counts


def test_closing_from_the_cycle_page_comes_back_to_it_with_the_results(signed_in, org, cycle):
    admin = signed_in(org, org.admin)
    page = f"/admin/feedback/cycles/{cycle['id']}"
    closed = post(admin, f"{page}/close", {"back": "cycle"})
    assert closed.status_code == 302 and closed.headers["Location"].endswith(page)
    assert _status(org, cycle["id"]) == "closed"
    html = admin.get(page).get_data(as_text=True)
    assert "is closed; its results are released" in html
    assert f'href="/api/v1/feedback/cycles/{cycle["id"]}/export"' in html
    assert f'href="/feedback/requests/{cycle["sam_request"]}/results"' in html
    assert "Close the cycle now" not in html and "Send due reminders now" not in html
    # The export the page links answers the signed-in HR admin (aggregates only).
    export = admin.get(f"/api/v1/feedback/cycles/{cycle['id']}/export")
    assert export.status_code == 200 and len(export.json["subjects"]) == 8
    # Closing twice says so; from the list, the list comes back.
    again = post(admin, f"{page}/close")
    assert again.headers["Location"].endswith("/admin/feedback/cycles")
    assert "closed already" in admin.get("/admin/feedback/cycles").get_data(as_text=True)


def test_only_hr_admins_open_the_cycle_page_or_act_on_it(signed_in, org, team, cycle):
    page = f"/admin/feedback/cycles/{cycle['id']}"
    for person in (team["sam"], team["mona"]):  # an employee, and a manager of people in it
        client = signed_in(org, person)
        assert client.get(page).status_code == 403
        assert post(client, f"{page}/close").status_code == 403
        assert post(client, f"{page}/reminders").status_code == 403
    assert _status(org, cycle["id"]) == "open"


def test_another_organisations_cycle_is_404_and_untouched(signed_in, org, other_org, cycle):
    admin = signed_in(other_org, other_org.admin)
    page = f"/admin/feedback/cycles/{cycle['id']}"
    assert admin.get(page).status_code == 404
    assert post(admin, f"{page}/close", {"back": "cycle"}).status_code == 404
    assert post(admin, f"{page}/reminders").status_code == 404
    assert admin.get(f"/admin/feedback/cycles/{uuid.uuid4()}").status_code == 404
    assert _status(org, cycle["id"]) == "open"


def _reminder_runs(org: Any) -> int:
    with org.scope():
        return db.session.scalar(
            sa.select(sa.func.count()).select_from(JobRun).where(JobRun.kind == "feedback.reminders")
        )


def test_the_cycle_forms_need_a_csrf_token(signed_in, org, cycle):
    admin = signed_in(org, org.admin)
    page = f"/admin/feedback/cycles/{cycle['id']}"
    refused = [admin.post(f"{page}/close", data={"back": "cycle"}), admin.post(f"{page}/reminders")]
    assert [r.status_code for r in refused] == [400, 400]
    assert _status(org, cycle["id"]) == "open" and _reminder_runs(org) == 0


def test_without_a_mail_server_no_reminders_are_asked_for(signed_in, org, cycle):
    admin = signed_in(org, org.admin)
    page = f"/admin/feedback/cycles/{cycle['id']}"
    sent = post(admin, f"{page}/reminders")
    assert sent.status_code == 302 and sent.headers["Location"].endswith(page)
    assert "Mail is not set up" in admin.get(page).get_data(as_text=True)
    assert _reminder_runs(org) == 0


class _Inbox:
    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        return "250 Message accepted for delivery"


@pytest.fixture
def mail_app(settings_for: Any, tmp_path: Any) -> Any:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    controller = Controller(_Inbox(), hostname="127.0.0.1", port=port)
    controller.start()
    application = create_app(settings_for(tmp_path, smtp_host="127.0.0.1", smtp_port=port))
    yield application
    controller.stop()
    with application.app_context():
        db.engine.dispose()


def test_reminders_are_asked_for_this_cycle_only_when_mail_is_set_up(
    signed_in, mail_app, org, team, cycle, api
):
    # Also owed elsewhere in the organisation: a second cycle below Sam (his four reports and
    # himself as their manager again) and a request of Mona's outside any cycle.
    small = _launch(api, org, name="Small", scope="subtree", manager_id=str(team["sam"].id))
    outside = {
        "due_on": SOON,
        "reviewers": [{"person_id": str(p.id), "relationship": "direct_report"} for p in team["peers"]],
    }
    assert api(team["mona"]).post(f"{URL}/requests", json=outside).status_code == 201
    admin = signed_in(org, org.admin, app=mail_app)
    page = f"/admin/feedback/cycles/{cycle['id']}"
    html = admin.get(page).get_data(as_text=True)
    # 14 still to answer; none reminded yet, so all are due (the two nominations are not asked yet):
    # seven people for themselves, Mona for three peers, Sam for his four reports, so 9 people.
    assert re.search(r'data-figure="due">14<', html) and "Send due reminders now" in html
    assert re.search(r'data-figure="people_due">9<', html)
    scope = text_of(re.search(r'<p class="muted" id="remind-scope">(.*?)</p>', html, re.S).group(1))
    assert "reminds only this cycle’s reviewers who are due one: 9 people" in scope
    assert "Reviewers in other cycles or requests are not reminded from here" in scope
    assert "any other open request" not in html
    sent = post(admin, f"{page}/reminders")
    assert sent.status_code == 302 and sent.headers["Location"].endswith(page)
    assert "Reminders are on their way to 9 people in this cycle who owe feedback: 14 reminders" in admin.get(
        page
    ).get_data(as_text=True)
    assert _reminder_runs(org) == 1
    # This cycle's reminder run (inline here): its id in the params, counts only in the result.
    # It found this cycle's 14 and none of the others; it claims each reminder on a connection of
    # its own, which cannot see this test's uncommitted rows, so none is mailed here
    # (tests/integration/feedback/test_reminders.py mails them and checks the interval).
    with org.scope():
        run = db.session.scalar(sa.select(JobRun).where(JobRun.kind == "feedback.reminders"))
        assert (run.status, run.params, run.result["due"]) == ("done", {"cycle_id": cycle["id"]}, 14)
        assert run.created_by_id == org.admin.id
        assert ANSWER not in str(run.result) and "Sam" not in str(run.result)
    # The other cycle's page counts its own reviewers only.
    other = admin.get(f"/admin/feedback/cycles/{small['id']}").get_data(as_text=True)
    assert re.search(r'data-figure="due">8<', other) and re.search(r'data-figure="people_due">5<', other)


def test_another_organisations_cycle_reminds_nobody_even_with_mail(
    signed_in, mail_app, org, other_org, cycle
):
    admin = signed_in(other_org, other_org.admin, app=mail_app)
    assert post(admin, f"/admin/feedback/cycles/{cycle['id']}/reminders").status_code == 404
    assert _reminder_runs(org) == 0 and _reminder_runs(other_org) == 0


def test_a_closed_cycle_reminds_nobody(signed_in, mail_app, org, cycle):
    admin = signed_in(org, org.admin, app=mail_app)
    page = f"/admin/feedback/cycles/{cycle['id']}"
    assert post(admin, f"{page}/close", {"back": "cycle"}).status_code == 302
    sent = post(admin, f"{page}/reminders")
    assert sent.status_code == 302 and sent.headers["Location"].endswith(page)
    assert "The cycle is closed: nobody is reminded any more." in admin.get(page).get_data(as_text=True)
    assert _reminder_runs(org) == 0


# --------------------------------------------------------------------------- a match run in progress


@pytest.fixture
def match_run(org: Any, api: Any, password: str) -> dict[str, Any]:
    admin = api(org.admin)
    skills = {
        s["key"]: s["id"] for s in admin.get("/api/v1/skills", query_string={"per_page": 200}).json["items"]
    }
    mentor, mentee = org.person("Mentor", password=password), org.person("Mentee", password=password)
    profile = {"capacity": 2, "skills": [{"skill_id": skills["python"], "level": 5}]}
    assert api(mentor).put("/api/v1/mentoring/profile", json=profile).status_code == 200
    need = {"needs": [{"skill_id": skills["python"], "level": 4}]}
    assert api(mentee).post("/api/v1/mentoring/requests", json=need).status_code == 201
    run = admin.post("/api/v1/mentoring/match-runs", json={}).json
    return {"run": run["id"], "job": run["job"]["id"], "mentee": mentee}


def _set_job(org: Any, job_id: str, status: str, progress: int) -> None:
    with org.scope():
        job = db.session.get(JobRun, uuid.UUID(job_id))
        job.status, job.progress = status, progress


def test_a_running_match_run_page_follows_its_job(signed_in, org, match_run):
    admin = signed_in(org, org.admin)
    page = f"/admin/mentoring/runs/{match_run['run']}"
    _set_job(org, match_run["job"], "running", 40)
    html = admin.get(page).get_data(as_text=True)
    box = re.search(r'<div id="run-status"([^>]*)>(.*?)</div>', html, re.S)
    assert f'data-job-url="/api/v1/jobs/{match_run["job"]}"' in box.group(1)
    assert 'data-job-status="running"' in box.group(1) and 'role="status"' in box.group(1)
    assert '<progress max="100" value="40"' in box.group(2) and "40% done" in box.group(2)
    assert f'href="{page}">Check again</a>' in box.group(2)  # without JavaScript
    assert re.search(r'<script src="/static/js/jobs\.js[^"]*" defer></script>', html)
    # What the script polls: the job's status, for the signed-in HR admin's session.
    polled = admin.get(f"/api/v1/jobs/{match_run['job']}", headers={"Accept": "application/json"})
    assert polled.status_code == 200 and (polled.json["status"], polled.json["progress"]) == ("running", 40)
    # Queued: the same; done: the proposals, nothing to follow and no script.
    _set_job(org, match_run["job"], "queued", 0)
    assert 'data-job-status="queued"' in admin.get(page).get_data(as_text=True)
    _set_job(org, match_run["job"], "done", 100)
    html = admin.get(page).get_data(as_text=True)
    assert "data-job-url" not in html and "Check again" not in html and "jobs.js" not in html
    assert 'id="proposals"' in html


def test_the_match_run_page_and_its_job_are_for_this_organisations_hr_admins(
    signed_in, org, other_org, match_run
):
    page = f"/admin/mentoring/runs/{match_run['run']}"
    mentee = signed_in(org, match_run["mentee"])
    assert mentee.get(page).status_code == 403
    assert mentee.get(f"/api/v1/jobs/{match_run['job']}").status_code == 404  # not theirs
    stranger = signed_in(other_org, other_org.admin)
    assert stranger.get(page).status_code == 404
    assert stranger.get(f"/api/v1/jobs/{match_run['job']}").status_code == 404
    with org.scope():
        assert db.session.get(MatchRun, uuid.UUID(match_run["run"])) is not None
