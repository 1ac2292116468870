"""The mentor profile page saves through the API's service: opting in with skills shows what the
API shows, a form without a CSRF token is refused and writes nothing, and bad input (capacity,
a skill twice, a retired skill, a long topic) comes back 422 next to its field with what was typed
kept and nothing saved."""

from __future__ import annotations

import re
from typing import Any

import sqlalchemy as sa

from tandem.core.db import db
from tandem.mentoring.models import MentorProfile, MentorSkill


def profiles(org: Any) -> tuple[int, int]:
    with org.scope():
        return (
            db.session.scalar(sa.select(sa.func.count()).select_from(MentorProfile)),
            db.session.scalar(sa.select(sa.func.count()).select_from(MentorSkill)),
        )


def test_opting_in_saves_what_the_api_reads(org, api, skill_ids, password, signed_in):
    ana = org.person("Ana", password=password)
    client = signed_in(org, ana)
    assert 'href="/mentoring/profile"' in client.get("/mentoring").get_data(as_text=True)
    page = client.get("/mentoring/profile")
    assert page.status_code == 200
    assert "Offer to mentor" in page.get_data(as_text=True)

    response = client.post(
        "/mentoring/profile",
        data={
            "csrf_token": client.csrf,
            "is_open": "1",
            "capacity": "2",
            "skills.0.skill_id": skill_ids["python"],
            "skills.0.level": "5",
            "skills.1.skill_id": "",  # an empty row is ignored
            "skills.1.level": "3",
            "skills.4.skill_id": skill_ids["system-design"],
            "skills.4.level": "4",
            "topics": "Career,  public speaking ,",
            "availability": "Tuesday afternoons",
        },
    )
    assert response.status_code == 302 and response.headers["Location"].endswith("/mentoring/profile")
    saved = api(ana).get("/api/v1/mentoring/profile").json
    assert saved["is_open"] is True and saved["capacity"] == 2
    assert saved["topics"] == ["career", "public speaking"]
    assert saved["availability"] == "Tuesday afternoons"
    assert sorted((s["skill_id"], s["level"]) for s in saved["skills"]) == sorted(
        [(skill_ids["python"], 5), (skill_ids["system-design"], 4)]
    )

    html = client.get("/mentoring/profile").get_data(as_text=True)
    assert "is saved: you are open to 2 mentees at once" in html
    assert 'id="f-capacity" name="capacity" type="text" value="2"' in html
    assert 'value="career, public speaking"' in html
    assert re.search(rf'<option value="{skill_ids["python"]}" selected>Python</option>', html)

    # Opting out keeps the profile and its skills, closed to new mentees.
    response = client.post(
        "/mentoring/profile",
        data={
            "csrf_token": client.csrf,
            "capacity": "2",
            "skills.0.skill_id": skill_ids["python"],
            "skills.0.level": "5",
        },
    )
    assert response.status_code == 302
    saved = api(ana).get("/api/v1/mentoring/profile").json
    assert saved["is_open"] is False and len(saved["skills"]) == 1


def test_a_form_without_a_csrf_token_is_refused_and_writes_nothing(org, skill_ids, password, signed_in):
    ana = org.person("Ana", password=password)
    client = signed_in(org, ana)
    before = profiles(org)
    response = client.post(
        "/mentoring/profile",
        data={
            "is_open": "1",
            "capacity": "2",
            "skills.0.skill_id": skill_ids["python"],
            "skills.0.level": "4",
        },
    )
    assert response.status_code == 400
    assert "CSRF" in response.get_data(as_text=True)
    assert profiles(org) == before


def test_bad_input_comes_back_next_to_its_field_with_what_was_typed(org, api, skill_ids, password, signed_in):
    ana = org.person("Ana", password=password)
    client = signed_in(org, ana)
    before = profiles(org)

    def post(**fields: str) -> tuple[int, str]:
        data = {"csrf_token": client.csrf, "is_open": "1", "availability": "Fridays <am>", **fields}
        response = client.post("/mentoring/profile", data=data)
        return response.status_code, response.get_data(as_text=True)

    status, html = post(capacity="lots", topics="career")
    assert status == 422
    assert re.search(r'id="f-capacity-error">Not a valid integer', html)
    assert re.search(
        r'id="f-capacity" name="capacity" type="text" value="lots"[^>]*aria-invalid="true"', html
    )
    assert ">Fridays &lt;am&gt;</textarea>" in html and 'value="career"' in html
    assert "error-summary" in html and "Mentees at once: Not a valid integer" in html

    status, html = post(capacity="21")
    assert status == 422 and re.search(r'id="f-capacity-error">[^<]*less than or equal to 20', html)
    status, html = post(capacity="")
    assert status == 422 and 'id="f-capacity-error"' in html

    # The service's own rule: a skill offered twice, explained at the skills and both rows kept.
    status, html = post(
        capacity="2",
        **{
            "skills.0.skill_id": skill_ids["python"],
            "skills.0.level": "4",
            "skills.3.skill_id": skill_ids["python"],
            "skills.3.level": "2",
        },
    )
    assert status == 422
    assert re.search(r'id="skills-error">a skill is listed twice', html)
    assert re.search(
        rf'id="f-skills-3-skill_id" name="skills.3.skill_id">.*?value="{skill_ids["python"]}" selected',
        html,
        re.S,
    )
    assert re.search(r'id="f-skills-3-level" name="skills.3.level">.*?value="2" selected', html, re.S)

    # A level out of range lands on the row the person filled (row 3, the second sent).
    status, html = post(
        capacity="2",
        **{
            "skills.0.skill_id": skill_ids["python"],
            "skills.0.level": "4",
            "skills.2.skill_id": skill_ids["statistics"],
            "skills.2.level": "9",
        },
    )
    assert status == 422 and 'id="f-skills-2-level-error"' in html

    # A topic too long is said under the topics field.
    status, html = post(capacity="2", topics="career, " + "x" * 61)
    assert status == 422 and re.search(r'id="f-topics-error">topic 2: ', html)

    # A retired skill is refused by the service (the API's message) and stays visible on its row.
    with org.scope():
        from tandem.learning.models import Skill

        db.session.execute(sa.update(Skill).where(Skill.key == "statistics").values(status="retired"))
    status, html = post(capacity="2", **{"skills.0.skill_id": skill_ids["statistics"], "skills.0.level": "3"})
    assert status == 422
    assert re.search(r'id="skills-error">[^<]*is retired', html)
    assert re.search(rf'<option value="{skill_ids["statistics"]}" selected>Statistics \(retired\)', html)

    assert profiles(org) == before
    assert api(ana).get("/api/v1/mentoring/profile").status_code == 404
