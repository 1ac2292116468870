"""POST /people/import: dry runs report every problem by row and column and write nothing;
applying is all-or-nothing, idempotent, and stays inside the importing organisation."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from tandem.core.audit import AuditEvent
from tandem.core.db import db
from tandem.people.models import Team, User

HEADER = "email,name,title,team,manager_email,role"


def _csv(*rows: str, header: str = HEADER) -> str:
    return "\n".join([header, *rows]) + "\n"


@pytest.fixture
def company(org):
    """A valid file: the CEO reports to the admin (unplaced until now, the top from then on)."""
    return _csv(
        f"ceo@x.test,Cee Eo,CEO,Exec,{org.admin.email},",
        "cto@x.test,Cee To,CTO,Tech,ceo@x.test,",
        "dev@x.test,Dev One,Engineer,tech,cto@x.test,employee",
        "hr@x.test,Har Dee,People Partner,,ceo@x.test,hr_admin",
    )


def _people(org):
    """email -> (name, title, team name, manager email, role, is_active) as stored."""
    with org.scope():
        users = db.session.scalars(sa.select(User)).all()
        teams = {t.id: t.name for t in db.session.scalars(sa.select(Team))}
        email_of = {u.id: u.email for u in users}
        return {
            u.email: (u.name, u.title, teams.get(u.team_id), email_of.get(u.manager_id), u.role, u.is_active)
            for u in users
        }


def _person_id(org, email):
    with org.scope():
        return db.session.scalar(sa.select(User.id).where(User.email == email))


def _person_events(org):
    with org.scope():
        return db.session.scalar(
            sa.select(sa.func.count()).select_from(AuditEvent).where(AuditEvent.entity_type == "person")
        )


def _problems(response):
    return {(p["row"], p["column"]) for p in response.json["problems"]}


# --- dry runs ----------------------------------------------------------------------------------------


def test_dry_run_reports_every_problem_by_row_and_column_and_writes_nothing(org, api, import_csv, snapshot):
    admin = org.admin.email
    text = _csv(
        f"not-an-email,Bad Email,,,{admin},",  # row 2
        f"a@x.test,Alice,,,{admin},",  # row 3
        f"a@x.test,Alice Again,,,{admin},",  # row 4: duplicate
        "b@x.test,Bob,,,ghost@x.test,",  # row 5: unknown manager
        "c@x.test,Cyd,,,d@x.test,",  # row 6: cycle c -> d -> c
        "d@x.test,Dee,,,c@x.test,",  # row 7
        f"e@x.test,Eve,,,{admin},wizard",  # row 8: unknown role
        "f@x.test,Fay,,,,",  # row 9: a second root (the admin is the top)
        f"g@x.test,,,,{admin},",  # row 10: no name
    )
    before = snapshot(org)
    response = import_csv(api(org.admin), text, dry_run=True)
    assert response.status_code == 200, response.json
    body = response.json
    assert body["dry_run"] is True and body["valid"] is False and body["applied"] is False
    assert _problems(response) == {
        (2, "email"),
        (4, "email"),
        (5, "manager_email"),
        (6, "manager_email"),
        (7, "manager_email"),
        (8, "role"),
        (9, "manager_email"),
        (10, "name"),
    }
    messages = {(p["row"], p["column"]): p["message"] for p in body["problems"]}
    assert "first on row 3" in messages[(4, "email")]
    assert "ghost@x.test" in messages[(5, "manager_email")]
    assert "cycle" in messages[(6, "manager_email")] and "cycle" in messages[(7, "manager_email")]
    assert "wizard" in messages[(8, "role")]
    assert "second root" in messages[(9, "manager_email")]
    assert body["summary"]["problems"] == len(body["problems"])
    assert snapshot(org) == before


def test_a_valid_dry_run_previews_the_changes_and_writes_nothing(org, api, import_csv, company, snapshot):
    before = snapshot(org)
    body = import_csv(api(org.admin), company, dry_run=True).json
    assert body["valid"] is True and body["applied"] is False
    assert body["summary"]["create"] == 4
    assert body["summary"]["teams_created"] == 2
    assert {c["email"] for c in body["changes"]} == {"ceo@x.test", "cto@x.test", "dev@x.test", "hr@x.test"}
    assert snapshot(org) == before


@pytest.mark.parametrize("header", ["email,title,team", "name,title", "Email Address,Name"])
def test_missing_required_column_is_a_row_1_problem(org, api, import_csv, snapshot, header):
    before = snapshot(org)
    response = import_csv(api(org.admin), _csv("x@x.test,X,Y", header=header), dry_run=True)
    assert response.json["valid"] is False
    missing = {"email", "name"} - {h.strip().lower() for h in header.split(",")}
    assert _problems(response) == {(1, column) for column in missing}
    assert snapshot(org) == before


def test_empty_file_is_a_whole_file_problem(org, api, import_csv):
    response = import_csv(api(org.admin), "", dry_run=True)
    assert [(p["row"], p["column"]) for p in response.json["problems"]] == [(0, "")]


@pytest.mark.parametrize("dry_run", [True, False])
def test_a_file_that_is_not_utf8_is_refused_with_a_field_error(org, api, import_csv, snapshot, dry_run):
    before = snapshot(org)
    latin1 = _csv(f"jose@x.test,José,,,{org.admin.email},").encode("latin-1")
    response = import_csv(api(org.admin), latin1, dry_run=dry_run)
    assert response.status_code == 422
    assert "UTF-8" in response.json["errors"]["json"]["file"][0]
    assert snapshot(org) == before


def test_utf8_with_a_byte_order_mark_is_accepted(org, api, import_csv):
    text = "\ufeff" + _csv(f"jose@x.test,José Núñez,,,{org.admin.email},")
    body = import_csv(api(org.admin), text.encode("utf-8")).json
    assert body["applied"] is True, body["problems"]
    assert _people(org)["jose@x.test"][0] == "José Núñez"


def test_a_row_with_more_cells_than_the_header_is_a_problem_and_refuses_the_import(
    org, api, import_csv, snapshot
):
    header = "email,manager_email,name,title"
    text = _csv(
        f"ceo@x.test,{org.admin.email},Chief,CEO",
        "smith@x.test,ceo@x.test,Smith, John,Senior Engineer",
        header=header,
    )
    before = snapshot(org)
    dry = import_csv(api(org.admin), text, dry_run=True)
    assert dry.status_code == 200 and dry.json["valid"] is False
    assert _problems(dry) == {(3, "")}
    assert (
        "5 cells, the header has 4 columns; quote values that contain commas"
        in dry.json["problems"][0]["message"]
    )
    refused = import_csv(api(org.admin), text)
    assert refused.status_code == 422 and _problems(refused) == {(3, "")}
    assert snapshot(org) == before
    quoted = text.replace("Smith, John", '"Smith, John"')
    assert import_csv(api(org.admin), quoted).json["applied"] is True
    assert _people(org)["smith@x.test"][:2] == ("Smith, John", "Senior Engineer")


def test_a_column_named_twice_is_a_problem_naming_it(org, api, import_csv):
    text = _csv(
        f"a@x.test,A,{org.admin.email},{org.admin.email}", header="email,name,manager_email,manager_email"
    )
    response = import_csv(api(org.admin), text, dry_run=True)
    assert _problems(response) == {(1, "manager_email")}
    assert "appears 2 times" in response.json["problems"][0]["message"]


def test_an_unclosed_quote_is_unreadable_csv_not_a_second_root(org, api, import_csv, snapshot):
    text = _csv(
        f"a@x.test,A,,,{org.admin.email},",
        f'b@x.test,"Bee,,,{org.admin.email},',  # row 3: the quote is never closed
        f"c@x.test,C,,,{org.admin.email},",
    )
    before = snapshot(org)
    response = import_csv(api(org.admin), text)
    assert response.status_code == 422
    [problem] = response.json["problems"]
    assert (problem["row"], problem["column"]) == (3, "")
    assert "unreadable CSV" in problem["message"] and "second root" not in problem["message"]
    assert snapshot(org) == before


def test_missing_file_is_422(org, api, snapshot):
    before = snapshot(org)
    response = api(org.admin).post(
        "/api/v1/people/import", json=None, data={"dry_run": "true"}, content_type="multipart/form-data"
    )
    assert response.status_code == 422
    assert "file" in response.json["errors"]["json"]
    assert snapshot(org) == before


# --- applying ----------------------------------------------------------------------------------------


def test_applying_creates_people_teams_and_the_reporting_line(org, api, import_csv, company):
    response = import_csv(api(org.admin), company)
    body = response.json
    assert response.status_code == 200
    assert body["valid"] is True and body["applied"] is True and body["dry_run"] is False
    assert body["summary"]["create"] == 4 and body["summary"]["teams_created"] == 2
    people = _people(org)
    assert people["ceo@x.test"] == ("Cee Eo", "CEO", "Exec", org.admin.email, "employee", True)
    assert people["cto@x.test"] == ("Cee To", "CTO", "Tech", "ceo@x.test", "employee", True)
    # "tech" on the dev's row is the team "Tech" of the row above, not a second team.
    assert people["dev@x.test"] == ("Dev One", "Engineer", "Tech", "cto@x.test", "employee", True)
    assert people["hr@x.test"] == ("Har Dee", "People Partner", None, "ceo@x.test", "hr_admin", True)
    teams = api(org.admin).get("/api/v1/teams").json
    assert {t["name"]: t["headcount"] for t in teams} == {"Exec": 1, "Tech": 2}
    # The org chart sees the new line.
    ceo_id = api(org.admin).get("/api/v1/people", query_string={"q": "ceo@x.test"}).json["items"][0]["id"]
    subtree = api(org.admin).get(f"/api/v1/people/{ceo_id}/reports?subtree=true").json
    assert [(i["email"], i["depth"]) for i in subtree["items"]] == [
        ("cto@x.test", 1),
        ("hr@x.test", 1),
        ("dev@x.test", 2),
    ]


def test_applying_is_audited_per_person_and_per_import(org, api, import_csv, company, audit_events):
    import_csv(api(org.admin), company)
    created = audit_events(org, action="person.create")
    imported = [e for e in created if e["changes"].get("source") == "import"]
    assert len(imported) == 4
    assert all(e["actor_id"] == org.admin.id for e in imported)
    summary = audit_events(org, action="people.import")
    assert len(summary) == 1
    assert summary[0]["changes"]["create"] == 4 and summary[0]["changes"]["source"] == "api"


def test_imported_people_cannot_sign_in_until_given_a_token_or_password(org, api, import_csv, company):
    import_csv(api(org.admin), company)
    with org.scope():
        hashes = db.session.scalars(sa.select(User.password_hash).where(User.email.like("%@x.test"))).all()
    assert hashes and all(h is None for h in hashes)


def test_reimporting_the_same_file_changes_nothing(org, api, import_csv, company, snapshot):
    import_csv(api(org.admin), company)
    people, events, teams = _people(org), _person_events(org), api(org.admin).get("/api/v1/teams").json
    body = import_csv(api(org.admin), company).json
    assert body["applied"] is True
    assert body["summary"] == {
        "rows": 4,
        "create": 0,
        "update": 0,
        "reactivate": 0,
        "deactivate": 0,
        "unchanged": 4,
        "teams_created": 0,
        "problems": 0,
    }
    assert body["changes"] == []
    assert _people(org) == people
    assert _person_events(org) == events
    assert api(org.admin).get("/api/v1/teams").json == teams


def test_a_changed_file_updates_people(org, api, import_csv, company, audit_events):
    import_csv(api(org.admin), company)
    changed = company.replace(
        "dev@x.test,Dev One,Engineer,tech,cto@x.test", "dev@x.test,Dev One,Lead,Exec,ceo@x.test"
    )
    body = import_csv(api(org.admin), changed).json
    assert body["applied"] is True
    assert body["summary"]["update"] == 1 and body["summary"]["unchanged"] == 3
    assert _people(org)["dev@x.test"] == ("Dev One", "Lead", "Exec", "ceo@x.test", "employee", True)
    update = [e for e in audit_events(org, action="person.update") if e["changes"].get("source") == "import"]
    assert len(update) == 1
    assert update[0]["changes"]["title"] == ["Engineer", "Lead"]
    assert update[0]["changes"]["manager_email"] == ["cto@x.test", "ceo@x.test"]


def test_absent_columns_keep_values_and_empty_cells_clear_them(org, api, import_csv, company):
    import_csv(api(org.admin), company)
    # No title/team/role columns: those stay as they are; the reporting line is restated.
    kept = _csv(
        f"ceo@x.test,Cee Eo,{org.admin.email}",
        "cto@x.test,Cee To,ceo@x.test",
        "dev@x.test,Dev One,cto@x.test",
        "hr@x.test,Har Dee,ceo@x.test",
        header="email,name,manager_email",
    )
    assert import_csv(api(org.admin), kept).json["summary"]["unchanged"] == 4
    assert _people(org)["dev@x.test"] == ("Dev One", "Engineer", "Tech", "cto@x.test", "employee", True)
    cleared = company.replace("dev@x.test,Dev One,Engineer,tech,", "dev@x.test,Dev One,,,")
    assert import_csv(api(org.admin), cleared).json["summary"]["update"] == 1
    assert _people(org)["dev@x.test"][1:3] == ("", None)


def test_one_bad_row_applies_nothing_at_all(org, api, import_csv, company, snapshot):
    import_csv(api(org.admin), company)
    before = snapshot(org)
    bad = (
        company.replace("Dev One,Engineer", "Dev Two,Staff")
        + "new@x.test,New Person,,,ceo@x.test,\nbroken,X,,,,\n"
    )
    response = import_csv(api(org.admin), bad)
    assert response.status_code == 422
    body = response.json
    assert body["valid"] is False and body["applied"] is False
    assert (7, "email") in _problems(response)
    assert snapshot(org) == before
    assert "new@x.test" not in _people(org)


def test_an_import_can_reactivate_someone(org, api, import_csv, company):
    import_csv(api(org.admin), company)
    dev_id = api(org.admin).get("/api/v1/people", query_string={"q": "dev@x.test"}).json["items"][0]["id"]
    api(org.admin).post(f"/api/v1/people/{dev_id}/deactivate")
    body = import_csv(api(org.admin), company).json
    assert body["summary"]["reactivate"] == 1
    assert _people(org)["dev@x.test"][-1] is True


def test_a_report_of_a_deactivated_manager_is_a_problem(org, api, import_csv, company):
    import_csv(api(org.admin), company)
    cto_id = api(org.admin).get("/api/v1/people", query_string={"q": "cto@x.test"}).json["items"][0]["id"]
    api(org.admin).post(f"/api/v1/people/{cto_id}/deactivate")
    file_without_cto = "\n".join(line for line in company.splitlines() if not line.startswith("cto@"))
    response = import_csv(api(org.admin), file_without_cto, dry_run=True)
    # The dev, now on row 3, reports to the deactivated CTO.
    assert _problems(response) == {(3, "manager_email")}
    assert "deactivated" in response.json["problems"][0]["message"]


def test_a_refused_import_is_422_with_the_report_and_a_dry_run_with_problems_is_200(
    org, api, import_csv, snapshot
):
    text = _csv(f"a@x.test,A,,,{org.admin.email},", "broken,B,,,a@x.test,", "c@x.test,,,,a@x.test,")
    before = snapshot(org)
    dry = import_csv(api(org.admin), text, dry_run=True)
    assert dry.status_code == 200  # the check itself succeeded
    refused = import_csv(api(org.admin), text)
    assert refused.status_code == 422
    body = refused.json
    # The error shape every endpoint uses, and the same report as the dry run.
    assert body["code"] == 422 and body["message"] == "The file has 2 problems; nothing was written"
    assert body["errors"]["json"]["file"] == [body["message"]]
    assert body["dry_run"] is False and body["valid"] is False and body["applied"] is False
    assert (
        body["problems"]
        == dry.json["problems"]
        == [
            {"row": 3, "column": "email", "message": "not a valid email address: 'broken'"},
            {"row": 4, "column": "name", "message": "name is required"},
        ]
    )
    assert body["summary"] == dry.json["summary"] and body["changes"] == dry.json["changes"]
    assert snapshot(org) == before
    one = import_csv(api(org.admin), _csv("broken,B,,,,"))
    assert one.json["message"] == "The file has 1 problem; nothing was written"


def test_the_openapi_document_describes_the_refused_import(app):
    operation = app.test_client().get("/api/v1/openapi.json").json["paths"]["/api/v1/people/import"]["post"]
    assert set(operation["responses"]) >= {"200", "202", "422"}
    refused = operation["responses"]["422"]
    assert "problems" in refused["description"]
    schema = refused["content"]["application/json"]["schema"]
    assert schema["$ref"].endswith("/ImportRefused")


# --- the organisation's top and its unplaced people ------------------------------------------------


def test_a_file_with_its_own_root_imports_beside_the_unplaced_admin_and_reimports(
    org, api, import_csv, snapshot
):
    """The HR admin an organisation starts with has no manager and no reports: they are not the
    top of the organisation, so the first file may bring its own root."""
    text = _csv(
        "boss@x.test,Boss,CEO,,,",
        "cto@x.test,Cee To,CTO,,boss@x.test,",
        "dev@x.test,Dev,Engineer,,cto@x.test,",
    )
    first = import_csv(api(org.admin), text)
    assert first.status_code == 200 and first.json["applied"] is True, first.json
    again = import_csv(api(org.admin), text)
    assert again.json["applied"] is True and again.json["summary"]["unchanged"] == 3
    # Someone added through the API without a manager is unplaced too: the file still imports.
    added = api(org.admin).post("/api/v1/people", json={"email": "temp@x.test", "name": "Temp"})
    assert added.status_code == 201, added.json
    people = _people(org)
    third = import_csv(api(org.admin), text)
    assert third.status_code == 200 and third.json["applied"] is True, third.json
    assert third.json["summary"]["unchanged"] == 3 and third.json["changes"] == []
    assert _people(org) == people
    before = snapshot(org)
    # A second real tree is still refused: a second root in the file, or people put under the
    # unplaced admin (who would head a tree beside the boss's).
    two_roots = text + "other@x.test,Other Root,,,,\nfollower@x.test,F,,,other@x.test,\n"
    refused = import_csv(api(org.admin), two_roots)
    assert refused.status_code == 422 and _problems(refused) == {(5, "manager_email")}
    assert "second root" in refused.json["problems"][0]["message"]
    under_admin = import_csv(api(org.admin), _csv(f"ops@x.test,Ops,,,{org.admin.email},"))
    assert under_admin.status_code == 422 and _problems(under_admin) == {(2, "manager_email")}
    assert "boss@x.test (already in Tandem)" in under_admin.json["problems"][0]["message"]
    assert snapshot(org) == before


# --- deactivate_missing ------------------------------------------------------------------------------


@pytest.fixture
def company_with_admin(org, company):
    return company + f"{org.admin.email},Admin,,,,hr_admin\n"


def test_people_missing_from_the_file_stay_active_without_the_flag(org, api, import_csv, company_with_admin):
    import_csv(api(org.admin), company_with_admin)
    without_dev = company_with_admin.replace("dev@x.test,Dev One,Engineer,tech,cto@x.test,employee\n", "")
    body = import_csv(api(org.admin), without_dev).json
    assert body["applied"] is True and body["summary"]["deactivate"] == 0
    assert _people(org)["dev@x.test"][-1] is True


def test_deactivate_missing_deactivates_exactly_the_missing_people(
    org, api, import_csv, company_with_admin, audit_events
):
    import_csv(api(org.admin), company_with_admin)
    dev = org.person("Dev Token Holder")  # also missing from the file, and holding a token
    without_dev = company_with_admin.replace("dev@x.test,Dev One,Engineer,tech,cto@x.test,employee\n", "")
    body = import_csv(api(org.admin), without_dev, deactivate_missing=True).json
    assert body["applied"] is True, body["problems"]
    assert body["summary"]["deactivate"] == 2
    assert {c["email"] for c in body["changes"] if c["action"] == "deactivate"} == {"dev@x.test", dev.email}
    people = _people(org)
    assert people["dev@x.test"][-1] is False and people[dev.email][-1] is False
    assert all(active for email, (*_, active) in people.items() if email not in ("dev@x.test", dev.email))
    assert api(dev).get("/api/v1/me").status_code == 401
    events = [
        e for e in audit_events(org, action="person.deactivate") if e["changes"].get("source") == "import"
    ]
    assert {e["entity_id"] for e in events} == {dev.id, _person_id(org, "dev@x.test")}
    assert all(e["actor_id"] == org.admin.id for e in events)


def test_deactivate_missing_without_yourself_in_the_file_is_a_problem(
    org, api, import_csv, company, snapshot
):
    before = snapshot(org)
    response = import_csv(api(org.admin), company, deactivate_missing=True)
    body = response.json
    assert body["valid"] is False and body["applied"] is False
    assert (0, "email") in _problems(response)
    assert org.admin.email in next(p["message"] for p in body["problems"] if p["row"] == 0)
    assert snapshot(org) == before


def test_you_cannot_remove_your_own_hr_admin_role_by_import(org, api, import_csv, company, snapshot):
    before = snapshot(org)
    demoting = company + f"{org.admin.email},Admin,,,,employee\n"
    response = import_csv(api(org.admin), demoting)
    assert (6, "role") in _problems(response)
    assert snapshot(org) == before


# --- who, and where ----------------------------------------------------------------------------------


@pytest.mark.parametrize("dry_run", [True, False])
def test_employees_cannot_import(org, api, import_csv, company, snapshot, dry_run):
    boss = org.person("Boss")
    org.person("Report", manager=boss)
    before = snapshot(org)
    response = import_csv(api(boss), company, dry_run=dry_run)
    assert response.status_code == 403
    assert snapshot(org) == before


def test_import_stays_inside_the_importing_organisation(org, other_org, api, import_csv, snapshot):
    theirs = other_org.person("Shared Name")  # shared.name@<other>.test
    shared = _csv(
        f"{theirs.email},Same Email Here,,,{org.admin.email},",
        f"{other_org.admin.email},Their Admin Here,,,{org.admin.email},",
    )
    before_theirs = snapshot(other_org)
    body = import_csv(api(org.admin), shared).json
    assert body["applied"] is True and body["summary"]["create"] == 2, body
    assert snapshot(other_org) == before_theirs
    mine = _people(org)
    assert mine[theirs.email][0] == "Same Email Here"
    assert _people(other_org)[theirs.email][0] == "Shared Name"
    found = api(org.admin).get("/api/v1/people", query_string={"q": theirs.email}).json["items"]
    assert len(found) == 1 and found[0]["id"] != str(theirs.id)


def test_a_manager_who_only_exists_in_another_organisation_is_unknown(
    org, other_org, api, import_csv, snapshot
):
    theirs = other_org.person("Their Boss")
    before = snapshot(org)
    response = import_csv(api(org.admin), _csv(f"x@x.test,X,,,{theirs.email},"))
    assert (2, "manager_email") in _problems(response)
    assert snapshot(org) == before


# --- in the background -------------------------------------------------------------------------------


def test_background_import_returns_a_job_that_applies_the_file(org, api, import_csv, company):
    response = import_csv(api(org.admin), company, background=True)
    assert response.status_code == 202, response.json
    job = api(org.admin).get(f"/api/v1/jobs/{response.json['id']}")
    assert job.status_code == 200
    # Without REDIS_URL the test app runs jobs inline, right after the request commits.
    assert job.json["status"] == "done", job.json
    assert job.json["result"]["applied"] is True
    assert job.json["result"]["summary"]["create"] == 4
    assert "ceo@x.test" in _people(org)


def test_background_import_of_a_bad_file_applies_nothing(org, api, import_csv, company, snapshot):
    before_people = _people(org)
    response = import_csv(api(org.admin), company + "broken,X,,,ceo@x.test,\n", background=True)
    job = api(org.admin).get(f"/api/v1/jobs/{response.json['id']}").json
    assert job["status"] == "done"
    assert job["result"]["applied"] is False
    assert {(p["row"], p["column"]) for p in job["result"]["problems"]} == {(6, "email")}
    assert _people(org) == before_people


def test_a_reorganisation_is_applied_as_a_whole(org, api, import_csv, company):
    """Swapping two people's places is valid as a final state even though doing it one row at a
    time would pass through a cycle; new managers and teams in the same file are usable at once."""
    import_csv(api(org.admin), company)
    reorg = _csv(
        f"cto@x.test,Cee To,CEO,Exec,{org.admin.email},",
        "ceo@x.test,Cee Eo,Advisor,Exec,cto@x.test,",
        "dev@x.test,Dev One,Engineer,Labs,lab.head@x.test,",
        "lab.head@x.test,Lab Head,Head,Labs,cto@x.test,",
        "hr@x.test,Har Dee,People Partner,,cto@x.test,hr_admin",
    )
    body = import_csv(api(org.admin), reorg).json
    assert body["applied"] is True, body["problems"]
    assert body["summary"]["create"] == 1 and body["summary"]["update"] == 4
    people = _people(org)
    assert people["cto@x.test"][2:4] == ("Exec", org.admin.email)
    assert people["ceo@x.test"][3] == "cto@x.test"
    assert people["dev@x.test"][2:4] == ("Labs", "lab.head@x.test")
    assert people["lab.head@x.test"][2:4] == ("Labs", "cto@x.test")
