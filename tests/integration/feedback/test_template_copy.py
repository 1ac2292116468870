"""Copying a questionnaire (templates.copy_template): how an HR admin changes a template whose
questions are fixed. The copy is new, unused, editable, and has the same questions; only HR admins
may copy; another organisation's template is 404. Also the checks added with it: questions name
only this organisation's skills, and `used_among` tells which templates are in use."""

from __future__ import annotations

import uuid

import pytest

from tandem.core.errors import Forbidden, NotFound, ValidationFailed
from tandem.feedback import templates

from .conftest import TODAY

URL = "/api/v1/feedback/templates"


def _made(api, org, skill_id=None):
    response = api(org.admin).post(
        URL,
        json={
            "name": "Engineering 360",
            "description": "For engineers",
            "questions": [
                {
                    "kind": "rating",
                    "prompt": "Writes code others can change.",
                    "competency": "Code quality",
                    "skill_id": skill_id,
                    "anchors": ["Never", "Rarely", "Sometimes", "Often", "Always"],
                },
                {"kind": "text", "prompt": "What should they keep doing?", "required": True},
            ],
        },
    )
    assert response.status_code == 201, response.json
    return response.json


def _use(api, org, template_id):
    response = api(org.admin).post(
        "/api/v1/feedback/requests",
        json={
            "template_id": template_id,
            "due_on": TODAY.isoformat(),
            "reviewers": [{"person_id": str(org.admin.id), "relationship": "self"}],
        },
    )
    assert response.status_code == 201, response.json


def test_a_copy_of_a_used_template_is_new_unused_and_editable(org, api, skill_ids):
    source = _made(api, org, skill_ids["python"])
    _use(api, org, source["id"])
    fixed = {"questions": [{"kind": "text", "prompt": "Anything else?"}]}
    assert api(org.admin).patch(f"{URL}/{source['id']}", json=fixed).status_code == 409

    with org.scope():
        copy = templates.copy_template(org.user(org.admin.id), uuid.UUID(source["id"]))
        copy_id = copy.id
        assert templates.used_among([copy_id, uuid.UUID(source["id"])]) == {uuid.UUID(source["id"])}

    body = api(org.admin).get(f"{URL}/{copy_id}").json
    assert body["name"] == "Copy of Engineering 360"
    assert body["description"] == "For engineers"
    assert body["key"] is None and body["is_active"] is True
    same = ("position", "kind", "prompt", "competency", "skill_id", "anchors", "required")
    assert [{k: q[k] for k in same} for q in body["questions"]] == [
        {k: q[k] for k in same} for q in source["questions"]
    ]
    assert {q["id"] for q in body["questions"]}.isdisjoint({q["id"] for q in source["questions"]})

    # The copy's questions can change; the source's stay as they were.
    assert api(org.admin).patch(f"{URL}/{copy_id}", json=fixed).status_code == 200
    assert api(org.admin).get(f"{URL}/{source['id']}").json == source

    events = api(org.admin).get("/api/v1/audit", query_string={"action": "feedback.template.copy"}).json
    assert [(e["entity_id"], e["changes"]["copied_from"]) for e in events["items"]] == [
        (str(copy_id), [None, source["id"]])
    ]


def test_a_copy_can_be_named_and_the_defaults_can_be_copied(org, api):
    defaults = api(org.admin).get(URL).json["items"]
    general = next(t for t in defaults if t["key"] == "general_360")
    with org.scope():
        copy = templates.copy_template(org.user(org.admin.id), uuid.UUID(general["id"]), "  Our 360  ")
        copy_id = copy.id
    body = api(org.admin).get(f"{URL}/{copy_id}").json
    assert body["name"] == "Our 360" and body["key"] is None
    assert len(body["questions"]) == len(general["questions"])


def test_only_hr_admins_copy_and_another_organisations_template_is_404(org, other_org, api):
    mine = _made(api, org)
    theirs = _made(api, other_org)
    worker = org.person("Worker")
    with org.scope():
        with pytest.raises(Forbidden):
            templates.copy_template(org.user(worker.id), uuid.UUID(mine["id"]))
        with pytest.raises(NotFound):
            templates.copy_template(org.user(org.admin.id), uuid.UUID(theirs["id"]))
    names = [t["name"] for t in api(org.admin).get(URL).json["items"]]
    assert "Copy of Engineering 360" not in names
    assert len(api(other_org.admin).get(URL).json["items"]) == len(api(org.admin).get(URL).json["items"])


def test_questions_name_only_this_organisations_skills(org, other_org, api):
    theirs = api(other_org.admin).post("/api/v1/skills", json={"name": "Kites", "category": "Other"}).json
    question = {"kind": "rating", "prompt": "Flies kites well.", "competency": "Kites"}
    for skill_id in (theirs["id"], str(uuid.uuid4())):
        response = api(org.admin).post(
            URL, json={"name": "Kites", "questions": [{**question, "skill_id": skill_id}]}
        )
        assert response.status_code == 422, response.json
        assert "no such skill in this organisation" in str(response.json)
    with org.scope(), pytest.raises(ValidationFailed):
        templates.create_template(
            org.user(org.admin.id),
            {"name": "Kites", "questions": [{**question, "skill_id": uuid.UUID(theirs["id"])}]},
        )
