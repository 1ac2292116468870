"""The HR admin pages keep the API's rules: only HR admins get in (everyone else: 403), another
organisation's ids are 404 on every page and form that takes one, forms without a CSRF token are
refused and change nothing, bad input comes back next to its field with what was typed kept, and
an import's dry run writes nothing."""

from __future__ import annotations

import io
import re
from datetime import date, timedelta
from typing import Any

import sqlalchemy as sa

from tandem.core.audit import AuditEvent
from tandem.core.db import db
from tandem.learning.models import Skill
from tandem.people.models import Tenant, User

SOON = (date.today() + timedelta(days=20)).isoformat()
TODAY = date.today().isoformat()
LIST_PAGES = [
    "/admin",
    "/admin/people/import",
    "/admin/org",
    "/admin/feedback/cycles",
    "/admin/settings",
    "/admin/skills",
    "/admin/roles",
    "/admin/catalogue",
    "/admin/mentoring",
    "/admin/audit",
]
FORMS = [
    "/admin/people/import",
    "/admin/people/import/apply",
    "/admin/feedback/cycles",
    "/admin/settings",
    "/admin/skills",
    "/admin/roles",
    "/admin/catalogue",
    "/admin/mentoring/programmes",
    "/admin/mentoring/runs",
]


def post(client: Any, url: str, data: dict[str, Any] | None = None, **kw: Any) -> Any:
    return client.post(url, data={"csrf_token": client.csrf, **(data or {})}, **kw)


def ids_in(org: Any, api: Any, password: str) -> dict[str, str]:
    """One of everything an admin page takes an id for, made in `org` through the API."""
    admin = api(org.admin)
    mentee = org.person("Mentee", password=password)
    mentor = org.person("Mentor", password=password)
    skills = {
        s["key"]: s["id"] for s in admin.get("/api/v1/skills", query_string={"per_page": 200}).json["items"]
    }
    python = skills["python"]
    skill = admin.post("/api/v1/skills", json={"name": "Kite flying", "category": "Other"}).json
    profile = admin.post(
        "/api/v1/role-profiles",
        json={"name": "Kite pilot", "requirements": [{"skill_id": python, "level": 3}]},
    ).json
    item = admin.post("/api/v1/learning/catalogue", json={"title": "Kites 101", "kind": "course"}).json
    cycle = admin.post(
        "/api/v1/feedback/cycles",
        json={"name": "Spring", "scope": "tenant", "opens_on": TODAY, "closes_on": SOON},
    ).json
    assert (
        api(mentor)
        .put("/api/v1/mentoring/profile", json={"capacity": 2, "skills": [{"skill_id": python, "level": 5}]})
        .status_code
        == 200
    )
    assert (
        api(mentee)
        .post("/api/v1/mentoring/requests", json={"needs": [{"skill_id": python, "level": 4}]})
        .status_code
        == 201
    )
    run = admin.post("/api/v1/mentoring/match-runs", json={}).json
    proposal = admin.get(f"/api/v1/mentoring/match-runs/{run['id']}").json["proposals"][0]
    return {
        "skill": skill["id"],
        "into": python,
        "profile": profile["id"],
        "item": item["id"],
        "cycle": cycle["id"],
        "run": run["id"],
        "proposal": proposal["id"],
        "person": str(mentee.id),
    }


def id_pages(w: dict[str, str]) -> list[tuple[str, str, dict[str, str]]]:
    return [
        ("GET", f"/admin/skills/{w['skill']}", {}),
        ("POST", f"/admin/skills/{w['skill']}", {"name": "Renamed", "category": "Other", "status": "active"}),
        ("POST", f"/admin/skills/{w['skill']}/merge", {"into_skill_id": w["into"]}),
        ("GET", f"/admin/roles/{w['profile']}", {}),
        ("POST", f"/admin/roles/{w['profile']}", {"name": "Renamed"}),
        ("GET", f"/admin/catalogue/{w['item']}", {}),
        ("POST", f"/admin/catalogue/{w['item']}", {"title": "Renamed", "kind": "course"}),
        ("POST", f"/admin/feedback/cycles/{w['cycle']}/close", {}),
        ("GET", f"/admin/mentoring/runs/{w['run']}", {}),
        ("POST", f"/admin/mentoring/runs/{w['run']}/approve", {"all": "1"}),
        ("POST", f"/admin/mentoring/runs/{w['run']}/reject", {"proposal_ids": w["proposal"]}),
        ("GET", f"/admin/org?root={w['person']}", {}),
    ]


def test_only_hr_admins_get_in(org, api, password, signed_in):
    here = ids_in(org, api, password)
    worker = org.person("Worker", password=password)
    client = signed_in(org, worker)
    home = client.get("/").get_data(as_text=True)
    assert 'href="/admin"' not in home  # the nav link is for HR admins only
    for url in LIST_PAGES:
        response = client.get(url)
        assert response.status_code == 403, url
        assert "Not allowed" in response.get_data(as_text=True)
    for url in FORMS:
        assert post(client, url, {"name": "x"}).status_code == 403, url
    for method, url, data in id_pages(here):
        response = client.get(url) if method == "GET" else post(client, url, data)
        assert response.status_code == 403, (method, url, response.status_code)

    admin = signed_in(org, org.admin)
    assert 'href="/admin"' in admin.get("/").get_data(as_text=True)
    for url in LIST_PAGES:
        assert admin.get(url).status_code == 200, url
    for method, url, _data in id_pages(here):
        if method == "GET":
            assert admin.get(url).status_code == 200, url


def test_another_organisations_ids_are_404(org, other_org, api, password, signed_in):
    with other_org.scope():
        from tandem.learning import services as learning

        learning.ensure_default_catalogue()
    there = ids_in(other_org, api, password)
    with other_org.scope():
        skill_before = db.session.get(Skill, there["skill"]).name
    admin = signed_in(org, org.admin)
    for method, url, data in id_pages(there):
        response = admin.get(url) if method == "GET" else post(admin, url, data)
        assert response.status_code == 404, (method, url, response.status_code)
        assert "Not found" in response.get_data(as_text=True)
    # Starting a match for another organisation's programme is 404 too, and nothing changed there.
    programme = (
        api(other_org.admin)
        .post("/api/v1/mentoring/programmes", json={"name": "Theirs", "starts_on": TODAY, "ends_on": SOON})
        .json
    )
    assert post(admin, "/admin/mentoring/runs", {"programme_id": programme["id"]}).status_code == 404
    with other_org.scope():
        assert db.session.get(Skill, there["skill"]).name == skill_before
    assert api(other_org.admin).get(f"/api/v1/feedback/cycles/{there['cycle']}").json["status"] == "open"


def test_forms_without_a_csrf_token_are_refused_and_change_nothing(org, signed_in):
    admin = signed_in(org, org.admin)
    with org.scope():
        events = db.session.scalar(sa.select(sa.func.count()).select_from(AuditEvent))
        settings = dict(db.session.get(Tenant, org.tenant_id).settings or {})
    refused = [
        admin.post("/admin/skills", data={"name": "No token"}),
        admin.post("/admin/settings", data={"thresholds.peer": "5"}),
        admin.post(
            "/admin/feedback/cycles",
            data={"name": "x", "scope": "tenant", "opens_on": TODAY, "closes_on": SOON},
        ),
        admin.post("/admin/catalogue", data={"title": "No token", "kind": "course"}),
        admin.post("/admin/roles", data={"name": "No token"}),
        admin.post("/admin/mentoring/programmes", data={"name": "x", "starts_on": TODAY, "ends_on": SOON}),
        admin.post("/admin/mentoring/runs", data={}),
        admin.post(
            "/admin/people/import/apply",
            data={"file": (io.BytesIO(b"email,name\nnew@x.test,New\n"), "p.csv")},
            content_type="multipart/form-data",
        ),
    ]
    assert [r.status_code for r in refused] == [400] * len(refused)
    assert "CSRF" in refused[0].get_data(as_text=True)
    with org.scope():
        assert db.session.scalar(sa.select(sa.func.count()).select_from(AuditEvent)) == events
        assert dict(db.session.get(Tenant, org.tenant_id).settings or {}) == settings
        assert db.session.scalar(sa.select(User.id).where(User.email == "new@x.test")) is None


def test_bad_input_comes_back_next_to_the_field_with_what_was_typed(org, signed_in):
    admin = signed_in(org, org.admin)

    # A threshold below its safe bound, and a reminder interval that is not a number.
    response = post(
        admin,
        "/admin/settings",
        {
            "thresholds.peer": "2",
            "thresholds.direct_report": "4",
            "thresholds.other": "3",
            "thresholds.all_but_self": "4",
            "reminder_interval_hours": "soon",
            "max_requests_per_reviewer": "6",
        },
    )
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert re.search(r'id="f-thresholds-peer-error">[^<]*(3|greater)', html)
    assert re.search(
        r'id="f-thresholds-peer" name="thresholds.peer" type="number" value="2"[^>]*aria-invalid', html
    )
    assert 'id="f-reminder_interval_hours-error"' in html and 'value="soon"' in html
    assert 'value="4"' in html  # the good values typed are kept too
    assert "Between 3 and 10" in html  # the bounds are shown
    api_view = admin.get("/admin/settings").get_data(as_text=True)
    assert re.search(r'name="thresholds.direct_report" type="number" value="3"', api_view)  # nothing saved

    # A cycle that closes before it opens.
    response = post(
        admin,
        "/admin/feedback/cycles",
        {"name": "Backwards <cycle>", "scope": "tenant", "opens_on": SOON, "closes_on": TODAY},
    )
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert 'id="f-closes_on-error"' in html and 'value="Backwards &lt;cycle&gt;"' in html

    # A skill without a name; a catalogue item with words for hours and a validity on a course.
    response = post(admin, "/admin/skills", {"name": "  ", "category": "Kept category"})
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert 'id="f-name-error"' in html and 'value="Kept category"' in html
    response = post(
        admin,
        "/admin/catalogue",
        {"title": "Kites 101", "kind": "course", "hours": "lots", "skills.0.level": "3"},
    )
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert 'id="f-hours-error"' in html and 'value="Kites 101"' in html and 'value="lots"' in html
    response = post(
        admin, "/admin/catalogue", {"title": "Kites 102", "kind": "course", "validity_months": "12"}
    )
    assert response.status_code == 422
    assert 'id="f-validity_months-error">only certifications' in response.get_data(as_text=True)

    # A role requirement without a level lands on its own row.
    with org.scope():
        from tandem.learning import services as learning

        learning.ensure_default_catalogue()
        python = db.session.scalar(sa.select(Skill.id).where(Skill.key == "python"))
    response = post(
        admin,
        "/admin/roles",
        {"name": "Pilot", "requirements.2.skill_id": str(python), "requirements.2.level": "9"},
    )
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert 'id="f-requirements-2-level-error"' in html and 'value="Pilot"' in html


CSV_WITH_PROBLEMS = (
    "email,name,title,team,manager_email,role\n"
    "not-an-email,Nora,Engineer,Platform,{admin},employee\n"
    "ok.person@{slug}.test,,Engineer,Platform,{admin},employee\n"
    "third@{slug}.test,Third,Engineer,Platform,nobody@{slug}.test,wizard\n"
)
GOOD_CSV = "email,name,title,team,manager_email\nnew.person@{slug}.test,New Person,Analyst,Data,{admin}\n"


def _upload(client: Any, url: str, text: str, **extra: str) -> Any:
    return post(
        client,
        url,
        {"file": (io.BytesIO(text.encode()), "people.csv"), **extra},
        content_type="multipart/form-data",
    )


def _counts(org: Any) -> tuple[int, int]:
    with org.scope():
        return (
            db.session.scalar(sa.select(sa.func.count()).select_from(User)),
            db.session.scalar(sa.select(sa.func.count()).select_from(AuditEvent)),
        )


def test_an_import_dry_run_writes_nothing_and_apply_resends_the_same_content(org, signed_in):
    admin = signed_in(org, org.admin)
    before = _counts(org)
    fill = {"admin": org.admin.email, "slug": org.slug}

    response = _upload(admin, "/admin/people/import", CSV_WITH_PROBLEMS.format(**fill))
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert 'id="import-problems"' in html
    # Each problem with its row and column.
    assert re.search(r"<th scope=\"row\">2</th><td>email</td>", html)
    assert re.search(r"<th scope=\"row\">3</th><td>name</td>", html)
    assert re.search(r"<th scope=\"row\">4</th><td>role</td>", html)
    assert re.search(r"<th scope=\"row\">4</th><td>manager_email</td>", html)
    assert "Apply this import" not in html
    assert _counts(org) == before

    response = _upload(admin, "/admin/people/import", GOOD_CSV.format(**fill))
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and "Would create 1" in html and "Apply this import" in html
    assert _counts(org) == before
    carried = re.search(r'name="content" value="([^"]+)"', html).group(1)

    # A content that was tampered with is checked again (and refused) before anything is written.
    bad = post(admin, "/admin/people/import/apply", {"content": "%%%not base64", "filename": "people.csv"})
    assert bad.status_code == 422 and 'id="f-file-error"' in bad.get_data(as_text=True)
    assert _counts(org) == before

    applied = post(admin, "/admin/people/import/apply", {"content": carried, "filename": "people.csv"})
    assert applied.status_code == 200, applied.get_data(as_text=True)
    assert "1 created" in applied.get_data(as_text=True)
    with org.scope():
        person = db.session.scalar(sa.select(User).where(User.email == f"new.person@{org.slug}.test"))
        assert person is not None and person.title == "Analyst"
        assert db.session.scalar(sa.select(AuditEvent.id).where(AuditEvent.action == "people.import"))
    assert "New Person" in admin.get("/admin/org").get_data(as_text=True)


def test_edits_retire_merge_close_and_reject_go_through_the_services(org, api, password, signed_in):
    w = ids_in(org, api, password)
    admin = signed_in(org, org.admin)
    client = api(org.admin)

    # Retire a skill (its description emptied), then bring it back and merge it into Python.
    response = post(
        admin,
        f"/admin/skills/{w['skill']}",
        {"name": "Kite flying", "category": "Other", "description": "", "status": "retired"},
    )
    assert response.status_code == 302
    assert client.get(f"/api/v1/skills/{w['skill']}").json["status"] == "retired"
    page = admin.get(f"/admin/skills/{w['skill']}").get_data(as_text=True)
    assert 'value="retired" checked' in page
    assert (
        post(
            admin,
            f"/admin/skills/{w['skill']}",
            {"name": "Kite flying", "category": "Other", "status": "active"},
        ).status_code
        == 302
    )
    response = post(admin, f"/admin/skills/{w['skill']}/merge", {"into_skill_id": w["into"]})
    assert response.status_code == 302 and response.headers["Location"].endswith(w["into"])
    assert client.get(f"/api/v1/skills/{w['skill']}").json["status"] == "merged"
    # Merging it again is a conflict explained on the page, not an error page.
    again = post(admin, f"/admin/skills/{w['skill']}/merge", {"into_skill_id": w["into"]})
    assert again.status_code == 409 and "merged already" in again.get_data(as_text=True)

    # A role profile's requirements are replaced by what the rows hold (row 0 emptied: removed).
    page = admin.get(f"/admin/roles/{w['profile']}").get_data(as_text=True)
    assert f'<option value="{w["into"]}" selected>Python</option>' in page
    response = post(
        admin,
        f"/admin/roles/{w['profile']}",
        {
            "name": "Kite pilot",
            "track": "Air",
            "rows": "4",
            "is_active": "1",
            "requirements.1.skill_id": w["into"],
            "requirements.1.level": "5",
            "requirements.1.note": "Writes the autopilot",
        },
    )
    assert response.status_code == 302, response.get_data(as_text=True)
    profile = client.get(f"/api/v1/role-profiles/{w['profile']}").json
    assert profile["track"] == "Air"
    assert [(r["skill_id"], r["level"], r["note"]) for r in profile["requirements"]] == [
        (w["into"], 5, "Writes the autopilot")
    ]

    # Retire a catalogue item (the box unticked).
    response = post(
        admin, f"/admin/catalogue/{w['item']}", {"title": "Kites 101", "kind": "course", "hours": "3"}
    )
    assert response.status_code == 302
    item = client.get(f"/api/v1/learning/catalogue/{w['item']}").json
    assert item["is_active"] is False and item["hours"] == 3

    # Reject the run's proposal: nothing is sent, and approving all then finds none waiting.
    assert post(admin, f"/admin/mentoring/runs/{w['run']}/reject", {}).status_code == 422
    response = post(admin, f"/admin/mentoring/runs/{w['run']}/reject", {"proposal_ids": w["proposal"]})
    assert response.status_code == 302
    run = client.get(f"/api/v1/mentoring/match-runs/{w['run']}").json
    assert [p["status"] for p in run["proposals"]] == ["rejected"]
    assert "rejected" in admin.get(f"/admin/mentoring/runs/{w['run']}").get_data(as_text=True)

    # Close the cycle; closing it twice says so.
    assert post(admin, f"/admin/feedback/cycles/{w['cycle']}/close").status_code == 302
    assert client.get(f"/api/v1/feedback/cycles/{w['cycle']}").json["status"] == "closed"
    post(admin, f"/admin/feedback/cycles/{w['cycle']}/close")
    assert "closed already" in admin.get("/admin/feedback/cycles").get_data(as_text=True)
