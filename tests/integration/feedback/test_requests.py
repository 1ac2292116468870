"""Ad-hoc requests: relationships checked against the org chart, peer approval, drafts, submitting
once, declining, closing; bad input is a clear 4xx and changes nothing."""

from __future__ import annotations

import uuid
from datetime import date, timedelta

import pytest

URL = "/api/v1/feedback"
TODAY = date.today()


def test_an_employee_asks_reviewers_answer_and_results_follow_the_close(world, api, ask, answer, fb):
    request = ask(world["subject"], fb.nominations(world))
    assert request["status"] == "open" and request["counts"]["invited"] == 7
    assert {i["relationship"] for i in request["invitations"]} == {"self", "manager", "peer", "direct_report"}
    peer = world["peers"][0]
    todo = api(peer).get("/api/v1/me/feedback/todo").json
    assert [t["request_id"] for t in todo["items"]] == [request["id"]] and not todo["items"][0]["has_draft"]
    for person in [world["subject"], world["manager"], *world["peers"][:3], *world["reports"][:2]]:
        answer(person, fb.invitation_of(request, person))
    assert api(peer).get("/api/v1/me/feedback/todo").json["total"] == 0
    # Before the close nothing is released.
    assert api(world["subject"]).get(f"{URL}/requests/{request['id']}/results").status_code == 409
    assert api(world["subject"]).post(f"{URL}/requests/{request['id']}/close").status_code == 200
    result = api(world["subject"]).get(f"{URL}/requests/{request['id']}/results").json
    by = {c["relationship"]: c for c in result["categories"]}
    assert by["peer"]["released"] and by["peer"]["responses"] == 3
    assert not by["direct_report"]["released"] and by["direct_report"]["responses_text"] == "fewer than 3"
    assert by["manager"]["attributed"] and by["self"]["attributed"]
    assert result["all_but_self"]["released"] and result["all_but_self"]["responses"] == 4
    assert result["competencies"] and all(c["mean"] == 4.0 for c in result["competencies"])


@pytest.mark.parametrize(
    ("who", "relationship"),
    [
        ("other", "direct_report"),
        ("other", "peer"),
        ("other", "manager"),
        ("peers", "direct_report"),
        ("reports", "peer"),
        ("manager", "other"),
        ("boss", "self"),
    ],
)
def test_relationships_are_checked_against_the_org_chart(world, api, snapshot, org, who, relationship, fb):
    person = world[who][0] if isinstance(world[who], list) else world[who]
    before = snapshot(org)
    response = api(world["subject"]).post(
        f"{URL}/requests",
        json={
            "due_on": (TODAY + timedelta(days=3)).isoformat(),
            "reviewers": [{"person_id": str(person.id), "relationship": relationship}],
        },
    )
    assert response.status_code == 422 and "reviewers.0" in response.json["errors"]["json"], response.json
    assert snapshot(org) == before


def test_a_manager_asks_about_a_report_but_not_about_a_stranger(world, api, ask, fb):
    made = ask(world["manager"], fb.nominations(world, 1, 0), subject_id=str(world["subject"].id))
    assert made["subject"]["id"] == str(world["subject"].id)
    refused = api(world["peers"][0]).post(
        f"{URL}/requests",
        json={
            "subject_id": str(world["subject"].id),
            "due_on": TODAY.isoformat(),
            "reviewers": [{"person_id": str(world["manager"].id), "relationship": "manager"}],
        },
    )
    assert refused.status_code == 403


def test_peer_nominations_wait_for_the_managers_approval(world, api, ask, fb):
    request = ask(world["subject"], fb.nominations(world, 2, 0), peer_approval=True)
    peers = [i for i in request["invitations"] if i["relationship"] == "peer"]
    assert {i["status"] for i in peers} == {"pending_approval"}
    assert api(world["peers"][0]).get("/api/v1/me/feedback/todo").json["total"] == 0
    waiting = api(world["manager"]).get("/api/v1/me/feedback/approvals").json
    assert waiting["total"] == 2
    # Only the subject's manager (or HR) decides; a peer cannot answer while waiting.
    assert api(world["boss"]).post(f"{URL}/invitations/{peers[0]['id']}/approve").status_code == 403
    assert api(world["peers"][0]).post(f"{URL}/invitations/{peers[0]['id']}/submit", json={}).status_code in (
        404,
        409,
    )
    assert (
        api(world["manager"]).post(f"{URL}/invitations/{peers[0]['id']}/approve").json["status"] == "invited"
    )
    assert (
        api(world["manager"]).post(f"{URL}/invitations/{peers[1]['id']}/reject").json["status"] == "rejected"
    )
    assert api(world["manager"]).post(f"{URL}/invitations/{peers[1]['id']}/approve").status_code == 409


def test_drafts_are_kept_for_the_reviewer_and_submitted_later(world, api, ask, fb):
    request = ask(world["subject"], fb.nominations(world, 1, 0))
    invitation = fb.invitation_of(request, world["peers"][0])
    client = api(world["peers"][0])
    questionnaire = client.get(f"{URL}/invitations/{invitation}").json
    partial = fb.answers_for(questionnaire)[:2]
    saved = client.put(f"{URL}/invitations/{invitation}/draft", json={"answers": partial})
    assert saved.status_code == 200 and len(saved.json["answers"]) == 2
    assert client.get("/api/v1/me/feedback/todo").json["items"][0]["has_draft"] is True
    assert len(client.get(f"{URL}/invitations/{invitation}").json["draft"]) == 2
    # Submitting the incomplete draft: 422 naming what is missing.
    incomplete = client.post(f"{URL}/invitations/{invitation}/submit", json={})
    assert incomplete.status_code == 422 and "answers" in incomplete.json["errors"]["json"]
    client.put(f"{URL}/invitations/{invitation}/draft", json={"answers": fb.answers_for(questionnaire)})
    assert client.post(f"{URL}/invitations/{invitation}/submit").json["status"] == "submitted"
    assert client.get(f"{URL}/invitations/{invitation}").json["draft"] == []


def test_bad_answers_are_422_and_change_nothing(world, api, ask, snapshot, org, fb):
    request = ask(world["subject"], fb.nominations(world, 1, 0))
    invitation = fb.invitation_of(request, world["peers"][0])
    client = api(world["peers"][0])
    good = fb.answers_for(client.get(f"{URL}/invitations/{invitation}").json)
    rating_q = next(a for a in good if "rating" in a)
    text_q = next(a for a in good if "text" in a)
    bad = [
        [*good, {"question_id": str(uuid.uuid4()), "rating": 3}],  # not in the template
        [{**rating_q, "rating": 6}, *good[1:]],  # out of range
        [{**rating_q, "rating": 0}, *good[1:]],
        [{"question_id": rating_q["question_id"], "text": "a rating question takes a rating"}, *good[1:]],
        [{"question_id": text_q["question_id"], "rating": 3}, *[a for a in good if a is not text_q]],
        [*good, rating_q],  # twice
        [{**rating_q, "rating": "4"}, *good[1:]],  # a string
    ]
    before = snapshot(org)
    for answers in bad:
        for path, method in (("submit", client.post), ("draft", client.put)):
            response = method(f"{URL}/invitations/{invitation}/{path}", json={"answers": answers})
            assert response.status_code == 422, (answers, response.json)
    assert snapshot(org) == before


def test_submitting_twice_or_after_the_close_is_409_and_changes_nothing(
    world, api, ask, answer, snapshot, org, fb
):
    request = ask(world["subject"], fb.nominations(world, 2, 0))
    first, second = (fb.invitation_of(request, p) for p in world["peers"][:2])
    answer(world["peers"][0], first)
    before = snapshot(org)
    again = api(world["peers"][0]).post(f"{URL}/invitations/{first}/submit", json={"answers": []})
    assert again.status_code == 409
    assert (
        api(world["peers"][0]).post(f"{URL}/invitations/{first}/decline", json={"reason": "x"}).status_code
        == 409
    )
    assert snapshot(org) == before
    api(world["subject"]).post(f"{URL}/requests/{request['id']}/close")
    before = snapshot(org)
    client = api(world["peers"][1])
    answers = fb.answers_for(client.get(f"{URL}/invitations/{second}").json)
    assert client.post(f"{URL}/invitations/{second}/submit", json={"answers": answers}).status_code == 409
    assert client.put(f"{URL}/invitations/{second}/draft", json={"answers": answers}).status_code == 409
    assert snapshot(org) == before


def test_a_reviewer_declines_with_a_reason_the_asker_reads(world, api, ask, fb):
    request = ask(world["subject"], fb.nominations(world, 1, 0))
    invitation = fb.invitation_of(request, world["peers"][0])
    assert (
        api(world["peers"][0])
        .post(f"{URL}/invitations/{invitation}/decline", json={"reason": "  "})
        .status_code
        == 422
    )
    declined = api(world["peers"][0]).post(
        f"{URL}/invitations/{invitation}/decline", json={"reason": "On leave"}
    )
    assert declined.json["status"] == "declined"
    seen = api(world["subject"]).get(f"{URL}/requests/{request['id']}").json
    mine = next(i for i in seen["invitations"] if i["id"] == invitation)
    assert mine["decline_reason"] == "On leave" and seen["counts"]["declined"] == 1


def test_due_date_in_the_past_and_twice_named_reviewers_are_422(world, api, fb):
    client = api(world["subject"])
    body = {"due_on": (TODAY - timedelta(days=1)).isoformat(), "reviewers": fb.nominations(world, 1, 0)}
    assert client.post(f"{URL}/requests", json=body).status_code == 422
    twice = fb.nominations(world, 1, 0) + fb.nominations(world, 1, 0)[:1]
    assert (
        client.post(
            f"{URL}/requests", json={**body, "due_on": TODAY.isoformat(), "reviewers": twice}
        ).status_code
        == 422
    )
