"""The questionnaire (feedback template) admin pages keep the API's rules: HR admins only, another
organisation's template 404 with nothing changed, CSRF refused, bad input next to its field with
what was typed kept, questions fixed once a template is used, and "Duplicate to edit"."""

from __future__ import annotations

import re
from datetime import date, timedelta
from typing import Any

import sqlalchemy as sa

from tandem.core.audit import AuditEvent
from tandem.core.db import db
from tandem.feedback.models import FeedbackQuestion, FeedbackTemplate

BASE = "/admin/feedback/questionnaires"
API = "/api/v1/feedback/templates"


def post(client: Any, url: str, data: dict[str, Any] | None = None, **kw: Any) -> Any:
    return client.post(url, data={"csrf_token": client.csrf, **(data or {})}, **kw)


def rating_row(n: int, prompt: str, competency: str, **extra: str) -> dict[str, str]:
    row = {
        f"questions.{n}.order": str(n + 1),
        f"questions.{n}.kind": "rating",
        f"questions.{n}.prompt": prompt,
        f"questions.{n}.competency": competency,
        f"questions.{n}.required": "1",
    }
    for k, label in enumerate(["Never", "Rarely", "Sometimes", "Often", "Always"]):
        row[f"questions.{n}.anchors.{k}"] = label
    row.update({f"questions.{n}.{key}": value for key, value in extra.items()})
    return row


def text_row(n: int, prompt: str) -> dict[str, str]:
    return {
        f"questions.{n}.order": str(n + 1),
        f"questions.{n}.kind": "text",
        f"questions.{n}.prompt": prompt,
    }


def form(name: str, *rows: dict[str, str], count: int | None = None) -> dict[str, str]:
    data = {
        "name": name,
        "description": "For engineers",
        "rows": str(count if count is not None else len(rows)),
    }
    for row in rows:
        data.update(row)
    return data


def made(api: Any, org: Any, name: str = "Engineering 360") -> dict[str, Any]:
    response = api(org.admin).post(
        API,
        json={
            "name": name,
            "questions": [
                {"kind": "rating", "prompt": "Writes code others can change.", "competency": "Code quality"},
                {"kind": "text", "prompt": "What should they keep doing?"},
            ],
        },
    )
    assert response.status_code == 201, response.json
    return response.json


def use(api: Any, org: Any, template_id: str) -> None:
    """A request about the admin themselves with this template: its questions are now fixed."""
    response = api(org.admin).post(
        "/api/v1/feedback/requests",
        json={
            "template_id": template_id,
            "due_on": (date.today() + timedelta(days=14)).isoformat(),
            "reviewers": [{"person_id": str(org.admin.id), "relationship": "self"}],
        },
    )
    assert response.status_code == 201, response.json


def counts(org: Any) -> tuple[int, int, int]:
    with org.scope():
        return tuple(  # type: ignore[return-value]
            db.session.scalar(sa.select(sa.func.count()).select_from(table))
            for table in (FeedbackTemplate, FeedbackQuestion, AuditEvent)
        )


def test_only_hr_admins_get_in(org, api, password, signed_in):
    template = made(api, org)
    worker = org.person("Worker", password=password)
    boss = org.person("Boss", password=password)
    org.person("Report", manager=boss, password=password)
    before = counts(org)
    for person in (worker, boss):
        client = signed_in(org, person)
        for url in (BASE, f"{BASE}/new", f"{BASE}/{template['id']}"):
            assert client.get(url).status_code == 403, url
        assert post(client, BASE, form("Mine", rating_row(0, "Q?", "C"))).status_code == 403
        assert post(client, f"{BASE}/{template['id']}", {"name": "Renamed"}).status_code == 403
        assert post(client, f"{BASE}/{template['id']}/duplicate").status_code == 403
    assert counts(org) == before

    admin = signed_in(org, org.admin)
    html = admin.get("/admin").get_data(as_text=True)
    assert f'href="{BASE}"' in html  # in the admin section's navigation
    listing = admin.get(BASE)
    assert listing.status_code == 200
    html = listing.get_data(as_text=True)
    for name in ("General 360", "Manager 360", "Quick check-in", "Engineering 360"):
        assert name in html
    assert 'aria-current="page"' in html


def test_another_organisations_template_is_404_and_unchanged(org, other_org, api, signed_in):
    theirs = made(api, other_org, "Theirs")
    before = counts(other_org)
    admin = signed_in(org, org.admin)
    assert admin.get(f"{BASE}/{theirs['id']}").status_code == 404
    response = post(admin, f"{BASE}/{theirs['id']}", form("Stolen", rating_row(0, "Q?", "C")))
    assert response.status_code == 404
    assert "Not found" in response.get_data(as_text=True)
    assert post(admin, f"{BASE}/{theirs['id']}/duplicate").status_code == 404
    assert counts(other_org) == before
    assert api(other_org.admin).get(f"{API}/{theirs['id']}").json == theirs
    # A skill of another organisation cannot be named in a question either.
    skill = api(other_org.admin).post("/api/v1/skills", json={"name": "Kites", "category": "Other"}).json
    mine = counts(org)
    response = post(admin, BASE, form("Mine", rating_row(0, "Flies kites?", "Kites", skill_id=skill["id"])))
    assert response.status_code == 422
    assert 'id="f-questions-0-skill_id-error"' in response.get_data(as_text=True)
    assert counts(org)[:2] == mine[:2]


def test_forms_without_a_csrf_token_are_refused_and_write_nothing(org, api, signed_in):
    template = made(api, org)
    admin = signed_in(org, org.admin)
    admin.get(BASE)  # the defaults are seeded by the first read, not by the refused posts
    before = counts(org)
    refused = [
        admin.post(BASE, data=form("No token", rating_row(0, "Q?", "C"))),
        admin.post(f"{BASE}/{template['id']}", data={"name": "No token"}),
        admin.post(f"{BASE}/{template['id']}/duplicate"),
    ]
    assert [r.status_code for r in refused] == [400, 400, 400]
    assert "CSRF" in refused[0].get_data(as_text=True)
    assert counts(org) == before
    assert api(org.admin).get(f"{API}/{template['id']}").json["name"] == "Engineering 360"


def test_bad_input_comes_back_next_to_its_field_and_writes_nothing(org, api, signed_in):
    admin = signed_in(org, org.admin)
    admin.get(BASE)
    before = counts(org)

    # A rating question without a competency, one with a missing label, and no name.
    data = form(
        "",
        rating_row(0, "Explains <clearly>", ""),
        rating_row(1, "Listens", "Communication", **{"anchors.2": ""}),
    )
    response = post(admin, BASE, data)
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert re.search(r'id="f-name-error">[^<]+', html)
    assert 'id="f-questions-1-anchors-2-error"' in html
    assert "Explains &lt;clearly&gt;" in html  # what was typed is kept
    assert 'value="Never"' in html and 'value="Communication"' in html
    assert counts(org) == before

    # With a name and labels, the service's rule: a rating question names its competency.
    data = form("Leads", text_row(0, "Anything else?"), rating_row(1, "Explains clearly", ""))
    response = post(admin, BASE, data)
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert re.search(r'id="f-questions-1-competency-error">[^<]*competency', html)
    assert 'value="Leads"' in html and "Explains clearly" in html
    assert counts(org) == before

    # No question at all.
    response = post(admin, BASE, form("Empty", count=2))
    assert response.status_code == 422
    assert 'id="f-questions-error"' in response.get_data(as_text=True)
    assert counts(org) == before

    # An edit with bad input changes nothing either.
    template = made(api, org)
    before = counts(org)
    response = post(admin, f"{BASE}/{template['id']}", form("", rating_row(0, "Q", "")))
    assert response.status_code == 422
    assert counts(org) == before
    assert api(org.admin).get(f"{API}/{template['id']}").json == template


def test_create_edit_reorder_and_remove_show_up_in_the_api(org, api, signed_in, skill_ids):
    admin = signed_in(org, org.admin)
    page = admin.get(f"{BASE}/new")
    assert page.status_code == 200
    assert 'name="questions.0.prompt"' in page.get_data(as_text=True)

    python = skill_ids["python"]
    data = form(
        "Engineering 360",
        rating_row(0, "Writes code others can change.", "Code quality", skill_id=python),
        text_row(1, "What should they keep doing?"),
        {"questions.2.order": "3", "questions.2.kind": "rating", "questions.2.anchors.0": "Never"},  # unused
        count=3,
    )
    response = post(admin, BASE, data)
    assert response.status_code == 302
    template_id = response.headers["Location"].rsplit("/", 1)[-1]
    body = api(org.admin).get(f"{API}/{template_id}").json
    assert body["name"] == "Engineering 360" and body["description"] == "For engineers"
    assert [(q["kind"], q["prompt"], q["competency"]) for q in body["questions"]] == [
        ("rating", "Writes code others can change.", "Code quality"),
        ("text", "What should they keep doing?", ""),
    ]
    assert body["questions"][0]["skill_id"] == python
    assert body["questions"][0]["anchors"] == ["Never", "Rarely", "Sometimes", "Often", "Always"]
    assert body["questions"][1]["required"] is False

    html = admin.get(response.headers["Location"]).get_data(as_text=True)
    assert "Not used yet" in html and 'value="Code quality"' in html
    assert f'<option value="{python}" selected>' in html

    # Edit: rename, swap the order, add a question, then remove the first one.
    data = form(
        "Engineering 360 (v2)",
        rating_row(0, "Writes code others can change.", "Code quality", order="2"),
        text_row(1, "What should they keep doing?") | {"questions.1.order": "1"},
        rating_row(2, "Reviews with care.", "Collaboration"),
        count=4,
    )
    data["is_active"] = "1"
    assert post(admin, f"{BASE}/{template_id}", data).status_code == 302
    body = api(org.admin).get(f"{API}/{template_id}").json
    assert body["name"] == "Engineering 360 (v2)"
    assert [q["prompt"] for q in body["questions"]] == [
        "What should they keep doing?",
        "Writes code others can change.",
        "Reviews with care.",
    ]
    data = form(
        "Engineering 360 (v2)",
        text_row(0, "What should they keep doing?") | {"questions.0.remove": "1"},
        rating_row(1, "Reviews with care.", "Collaboration"),
    )
    assert post(admin, f"{BASE}/{template_id}", data).status_code == 302
    body = api(org.admin).get(f"{API}/{template_id}").json
    assert [q["prompt"] for q in body["questions"]] == ["Reviews with care."]
    assert body["is_active"] is False  # the box was not ticked: retired

    listing = admin.get(BASE).get_data(as_text=True)
    assert re.search(
        r"Engineering 360 \(v2\)</a> <span class=\"badge \">retired</span></th>\s*<td>1</td>", listing
    )


def test_a_used_questionnaire_is_read_only_and_duplicates_to_an_editable_copy(org, api, signed_in):
    template = made(api, org)
    use(api, org, template["id"])
    admin = signed_in(org, org.admin)

    listing = admin.get(BASE).get_data(as_text=True)
    assert "In use: questions fixed" in listing
    page = admin.get(f"{BASE}/{template['id']}")
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    assert "In use: questions fixed" in html and "Duplicate to edit" in html
    assert 'name="questions.0.prompt"' not in html  # read-only
    assert "Writes code others can change." in html and "Code quality" in html

    # Questions sent anyway are refused by the service (409) and nothing changes.
    before = counts(org)
    response = post(admin, f"{BASE}/{template['id']}", form("Changed", rating_row(0, "New?", "New")))
    assert response.status_code == 409
    assert "fixed" in response.get_data(as_text=True)
    assert counts(org) == before
    assert api(org.admin).get(f"{API}/{template['id']}").json == template

    # The name and status can still change.
    assert post(admin, f"{BASE}/{template['id']}", {"name": "Engineering 360 (2026)"}).status_code == 302
    assert api(org.admin).get(f"{API}/{template['id']}").json["name"] == "Engineering 360 (2026)"

    response = post(admin, f"{BASE}/{template['id']}/duplicate")
    assert response.status_code == 302
    copy_id = response.headers["Location"].rsplit("/", 1)[-1]
    assert copy_id != template["id"]
    copy = api(org.admin).get(f"{API}/{copy_id}").json
    assert copy["name"] == "Copy of Engineering 360 (2026)"
    strip = ("id",)
    assert [{k: v for k, v in q.items() if k not in strip} for q in copy["questions"]] == [
        {k: v for k, v in q.items() if k not in strip} for q in template["questions"]
    ]
    html = admin.get(response.headers["Location"]).get_data(as_text=True)
    assert "Not used yet" in html and 'name="questions.0.prompt"' in html
    data = form("Engineering 360 (2027)", rating_row(0, "Writes tests first.", "Code quality"))
    assert post(admin, f"{BASE}/{copy_id}", data).status_code == 302
    assert [q["prompt"] for q in api(org.admin).get(f"{API}/{copy_id}").json["questions"]] == [
        "Writes tests first."
    ]


def test_the_list_reads_a_fixed_number_of_statements(org, api, signed_in, count_queries):
    admin = signed_in(org, org.admin)
    admin.get(BASE)
    with count_queries() as few:
        admin.get(BASE)
    for n in range(5):
        use(api, org, made(api, org, f"Template {n}")["id"])
    with count_queries() as many:
        assert admin.get(BASE).status_code == 200
    assert len(many) == len(few)
