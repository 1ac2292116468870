"""PATCH /people/{id}, deactivate and reactivate: each field, the reporting-line rules, and what
deactivation does to a person's access."""

from __future__ import annotations

import pytest

from tandem.people import accounts

URL = "/api/v1/people"


@pytest.fixture
def person(org):
    return org.person("Pat Person")


def test_patch_name_and_title(org, api, person, read_user):
    response = api(org.admin).patch(f"{URL}/{person.id}", json={"name": " Patricia ", "title": "Lead"})
    assert response.status_code == 200, response.json
    assert response.json["name"] == "Patricia"
    assert response.json["title"] == "Lead"
    stored = read_user(org, person.id)
    assert (stored["name"], stored["title"]) == ("Patricia", "Lead")


def test_patch_email_is_normalised_and_must_stay_unique(org, api, person, read_user, snapshot):
    other = org.person("Other")
    response = api(org.admin).patch(f"{URL}/{person.id}", json={"email": "New.Address@Example.com"})
    assert response.status_code == 200, response.json
    assert read_user(org, person.id)["email"] == "new.address@example.com"

    before = snapshot(org)
    clash = api(org.admin).patch(f"{URL}/{person.id}", json={"email": other.email.upper()})
    assert clash.status_code == 422
    assert "email" in clash.json["errors"]["json"]
    assert snapshot(org) == before


def test_patch_own_email_to_itself_is_fine(org, api, person):
    response = api(org.admin).patch(f"{URL}/{person.id}", json={"email": person.email})
    assert response.status_code == 200, response.json


def test_patch_team_set_and_clear(org, api, person, make_team, read_user):
    team = make_team(org, "Data")
    assert api(org.admin).patch(f"{URL}/{person.id}", json={"team_id": team}).json["team_id"] == team
    assert str(read_user(org, person.id)["team_id"]) == team
    assert api(org.admin).patch(f"{URL}/{person.id}", json={"team_id": None}).json["team_id"] is None
    assert read_user(org, person.id)["team_id"] is None


def test_patch_manager_set_and_clear(org, api, person, read_user):
    boss = org.person("Boss")
    assert api(org.admin).patch(f"{URL}/{person.id}", json={"manager_id": str(boss.id)}).status_code == 200
    assert read_user(org, person.id)["manager_id"] == boss.id
    assert api(org.admin).patch(f"{URL}/{person.id}", json={"manager_id": None}).status_code == 200
    assert read_user(org, person.id)["manager_id"] is None


def test_patch_role_promotes_to_hr_admin(org, api, person):
    response = api(org.admin).patch(f"{URL}/{person.id}", json={"role": "hr_admin"})
    assert response.status_code == 200
    assert response.json["role"] == "hr_admin"
    # The new role takes effect: they can now read the audit log.
    assert api(person).get("/api/v1/audit").status_code == 200


def _can_sign_in(org, email, password):
    with org.scope():
        return accounts.authenticate(org.slug, email, password) is not None


def test_patch_password_changes_it_and_is_checked(org, api, person, read_user, password, snapshot):
    before = read_user(org, person.id)
    assert not _can_sign_in(org, person.email, password)
    assert api(org.admin).patch(f"{URL}/{person.id}", json={"password": password}).status_code == 200
    after = read_user(org, person.id)
    assert after["password_hash"].startswith("$argon2id$")
    assert after["session_nonce"] != before["session_nonce"]  # signed out everywhere
    assert _can_sign_in(org, person.email, password)
    assert api(org.admin).patch(f"{URL}/{person.id}", json={"password": "a-different-one"}).status_code == 200
    assert not _can_sign_in(org, person.email, password)
    assert _can_sign_in(org, person.email, "a-different-one")

    before = snapshot(org)
    too_short = api(org.admin).patch(f"{URL}/{person.id}", json={"password": "short"})
    assert too_short.status_code == 422
    assert "password" in too_short.json["errors"]["json"]
    assert snapshot(org) == before


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({"email": "nope"}, "email"),
        ({"name": ""}, "name"),
        ({"name": "   "}, "name"),
        ({"email": None}, "email"),
        ({"role": "root"}, "role"),
        ({"team_id": "00000000-0000-0000-0000-000000000000"}, "team_id"),
        ({"manager_id": "00000000-0000-0000-0000-000000000000"}, "manager_id"),
    ],
)
def test_bad_patch_is_422_and_changes_nothing(org, api, person, snapshot, payload, field):
    before = snapshot(org)
    response = api(org.admin).patch(f"{URL}/{person.id}", json=payload)
    assert response.status_code == 422, response.json
    assert field in response.json["errors"]["json"]
    assert snapshot(org) == before


def test_manager_in_another_organisation_is_refused(org, other_org, api, person, snapshot):
    theirs = other_org.person("Theirs")
    before = snapshot(org)
    response = api(org.admin).patch(f"{URL}/{person.id}", json={"manager_id": str(theirs.id)})
    assert response.status_code == 422
    assert response.json["errors"]["json"]["manager_id"] == ["no such person in this organisation"]
    assert snapshot(org) == before


def test_one_bad_field_refuses_the_whole_patch(org, api, person, snapshot):
    before = snapshot(org)
    response = api(org.admin).patch(f"{URL}/{person.id}", json={"name": "Changed", "team_id": str(person.id)})
    assert response.status_code == 422
    assert snapshot(org) == before


def test_own_manager_is_refused(org, api, person, snapshot):
    before = snapshot(org)
    response = api(org.admin).patch(f"{URL}/{person.id}", json={"manager_id": str(person.id)})
    assert response.status_code == 422
    assert "manager_id" in response.json["errors"]["json"]
    assert snapshot(org) == before


@pytest.mark.parametrize("depth", [1, 3])
def test_manager_change_that_would_make_a_cycle_is_refused(org, api, snapshot, depth):
    top = org.person("Top")
    chain = [top]
    for level in range(depth):
        chain.append(org.person(f"Level {level}", manager=chain[-1]))
    before = snapshot(org)
    # Top would report to someone below them.
    response = api(org.admin).patch(f"{URL}/{top.id}", json={"manager_id": str(chain[-1].id)})
    assert response.status_code == 422, response.json
    assert "cycle" in response.json["errors"]["json"]["manager_id"][0]
    assert snapshot(org) == before


def test_moving_someone_sideways_is_not_a_cycle(org, api, read_user):
    top = org.person("Top")
    left, right = org.person("Left", manager=top), org.person("Right", manager=top)
    below_left = org.person("Below Left", manager=left)
    response = api(org.admin).patch(f"{URL}/{below_left.id}", json={"manager_id": str(right.id)})
    assert response.status_code == 200, response.json
    assert read_user(org, below_left.id)["manager_id"] == right.id


def test_hr_admin_cannot_change_their_own_role(org, api, snapshot):
    before = snapshot(org)
    response = api(org.admin).patch(f"{URL}/{org.admin.id}", json={"role": "employee"})
    assert response.status_code == 422
    assert "role" in response.json["errors"]["json"]
    assert snapshot(org) == before
    # Restating the role they already have is not a change.
    assert api(org.admin).patch(f"{URL}/{org.admin.id}", json={"role": "hr_admin"}).status_code == 200


def test_another_hr_admin_can_change_an_admins_role(org, api, read_user):
    second = org.person("Second Admin", role="hr_admin")
    response = api(second).patch(f"{URL}/{org.admin.id}", json={"role": "employee"})
    assert response.status_code == 200
    assert read_user(org, org.admin.id)["role"] == "employee"


def test_patch_unknown_person_is_404(org, api):
    response = api(org.admin).patch(f"{URL}/00000000-0000-0000-0000-000000000000", json={"name": "X"})
    assert response.status_code == 404


# --- deactivate / reactivate --------------------------------------------------------------------


def test_deactivate_stops_their_token_and_password_and_reactivate_restores_access(
    org, api, person, read_user, password
):
    api(org.admin).patch(f"{URL}/{person.id}", json={"password": password})
    assert api(person).get("/api/v1/me").status_code == 200

    response = api(org.admin).post(f"{URL}/{person.id}/deactivate")
    assert response.status_code == 200
    assert response.json["is_active"] is False
    stored = read_user(org, person.id)
    assert stored["is_active"] is False and stored["deactivated_at"] is not None
    assert api(person).get("/api/v1/me").status_code == 401
    assert not _can_sign_in(org, person.email, password)

    response = api(org.admin).post(f"{URL}/{person.id}/reactivate")
    assert response.status_code == 200
    assert response.json["is_active"] is True
    assert read_user(org, person.id)["deactivated_at"] is None
    assert api(person).get("/api/v1/me").status_code == 200
    assert _can_sign_in(org, person.email, password)


def test_deactivation_changes_the_session_nonce_so_web_sessions_end(org, api, person, read_user):
    nonce = read_user(org, person.id)["session_nonce"]
    api(org.admin).post(f"{URL}/{person.id}/deactivate")
    assert read_user(org, person.id)["session_nonce"] != nonce


def test_deactivating_twice_is_harmless_and_recorded_once(org, api, person, audit_events):
    assert api(org.admin).post(f"{URL}/{person.id}/deactivate").status_code == 200
    assert api(org.admin).post(f"{URL}/{person.id}/deactivate").status_code == 200
    assert len(audit_events(org, person.id, "person.deactivate")) == 1


def test_hr_admin_cannot_deactivate_themselves(org, api, snapshot):
    before = snapshot(org)
    response = api(org.admin).post(f"{URL}/{org.admin.id}/deactivate")
    assert response.status_code == 409
    assert response.json["code"] == 409
    assert snapshot(org) == before
    assert api(org.admin).get("/api/v1/me").status_code == 200


def test_deactivate_unknown_person_is_404(org, api):
    assert api(org.admin).post(f"{URL}/00000000-0000-0000-0000-000000000000/deactivate").status_code == 404
    assert api(org.admin).post(f"{URL}/00000000-0000-0000-0000-000000000000/reactivate").status_code == 404
