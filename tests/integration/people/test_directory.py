"""GET /people and GET /people/{id}: the directory everyone in an organisation reads, its
filters and its pages."""

from __future__ import annotations

import pytest

URL = "/api/v1/people"


@pytest.fixture
def staff(org, make_team):
    """Admin + a small organisation: two teams, one manager, one deactivated person."""
    data = make_team(org, "Data")
    web = make_team(org, "Web")
    boss = org.person("Bea Boss", team_id=data)
    people = {
        "boss": boss,
        "ann": org.person("Ann Analyst", manager=boss, team_id=data),
        "carl": org.person("Carl Coder", manager=boss, team_id=web),
        "dora": org.person("Dora Designer", team_id=web),
        "gone": org.person("Gus Gone", manager=boss, team_id=data),
    }
    return {"teams": {"data": data, "web": web}, **people}


def _emails(response):
    return [item["email"] for item in response.json["items"]]


def test_everyone_can_read_the_directory_sorted_by_name(org, api, staff):
    api(org.admin).post(f"{URL}/{staff['gone'].id}/deactivate")
    response = api(staff["ann"]).get(URL)
    assert response.status_code == 200
    names = [item["name"] for item in response.json["items"]]
    assert names == ["Admin", "Ann Analyst", "Bea Boss", "Carl Coder", "Dora Designer"]
    assert response.json["total"] == 5


def test_deactivated_people_only_with_include_inactive(org, api, staff):
    api(org.admin).post(f"{URL}/{staff['gone'].id}/deactivate")
    assert staff["gone"].email not in _emails(api(org.admin).get(URL))
    with_inactive = api(org.admin).get(URL, query_string={"include_inactive": "true"})
    assert staff["gone"].email in _emails(with_inactive)
    assert with_inactive.json["total"] == 6


@pytest.mark.parametrize(
    ("q", "expected"),
    [
        ("carl", ["Carl Coder"]),
        ("CODER", ["Carl Coder"]),
        ("dora.designer@", ["Dora Designer"]),  # email
        ("engineer", ["Ann Analyst", "Bea Boss", "Carl Coder", "Dora Designer", "Gus Gone"]),  # title
        ("nobody-has-this", []),
    ],
)
def test_q_searches_name_email_and_title_case_insensitively(org, api, staff, q, expected):
    response = api(org.admin).get(URL, query_string={"q": q})
    assert response.status_code == 200
    assert [item["name"] for item in response.json["items"]] == expected
    assert response.json["total"] == len(expected)


def test_q_treats_like_wildcards_literally(org, api, staff):
    # Nobody's name, email or title contains "%" or "_": a search for them must find nobody.
    for q in ("%", "_", "a%n"):
        response = api(org.admin).get(URL, query_string={"q": q})
        assert response.json["items"] == [], q
    literal = api(org.admin).post(
        URL, json={"email": "pct@example.com", "name": "Percy", "title": "100% remote"}
    )
    assert literal.status_code == 201
    response = api(org.admin).get(URL, query_string={"q": "100%"})
    assert [item["name"] for item in response.json["items"]] == ["Percy"]


def test_filter_by_team(org, api, staff):
    response = api(org.admin).get(URL, query_string={"team_id": staff["teams"]["web"]})
    assert sorted(_emails(response)) == sorted([staff["carl"].email, staff["dora"].email])


def test_filter_by_manager(org, api, staff):
    response = api(org.admin).get(URL, query_string={"manager_id": str(staff["boss"].id)})
    assert _emails(response) == [staff["ann"].email, staff["carl"].email, staff["gone"].email]


def test_filters_combine(org, api, staff):
    response = api(org.admin).get(
        URL, query_string={"manager_id": str(staff["boss"].id), "team_id": staff["teams"]["data"], "q": "ann"}
    )
    assert _emails(response) == [staff["ann"].email]


def test_filter_by_role(org, api, staff):
    response = api(org.admin).get(URL, query_string={"role": "hr_admin"})
    assert _emails(response) == [org.admin.email]


def test_pages_cover_everyone_once_and_total_counts_all(org, api):
    for n in range(7):
        org.person(f"Paged {n}")
    seen = []
    for page in (1, 2, 3):
        response = api(org.admin).get(URL, query_string={"page": page, "per_page": 3})
        assert response.status_code == 200
        assert response.json["total"] == 8
        assert response.json["page"] == page and response.json["per_page"] == 3
        seen += _emails(response)
    assert [len(seen), len(set(seen))] == [8, 8]
    past_the_end = api(org.admin).get(URL, query_string={"page": 4, "per_page": 3})
    assert past_the_end.json["items"] == [] and past_the_end.json["total"] == 8


@pytest.mark.parametrize(
    "args",
    [
        {"per_page": 0},
        {"per_page": 201},
        {"page": 0},
        {"page": "x"},
        {"team_id": "not-a-uuid"},
        {"role": "king"},
        {"include_inactive": "maybe"},
    ],
)
def test_bad_query_arguments_are_422(org, api, args):
    response = api(org.admin).get(URL, query_string=args)
    assert response.status_code == 422, args
    assert set(response.json["errors"]["json"]) == set(args)


def test_get_one_person(org, api, staff):
    response = api(staff["dora"]).get(f"{URL}/{staff['ann'].id}")
    assert response.status_code == 200
    assert response.json["email"] == staff["ann"].email
    assert response.json["manager_id"] == str(staff["boss"].id)
    assert response.json["team_id"] == staff["teams"]["data"]


def test_unknown_or_malformed_id_is_404(org, api):
    assert api(org.admin).get(f"{URL}/00000000-0000-0000-0000-000000000000").status_code == 404
    assert api(org.admin).get(f"{URL}/not-a-uuid").status_code == 404


def test_a_full_page_costs_the_same_statements_as_a_short_one(org, api, import_csv, count_queries):
    lines = [f"p{i}@x.test,Person {i:03d},{org.admin.email}" for i in range(250)]
    imported = import_csv(api(org.admin), "email,name,manager_email\n" + "\n".join(lines) + "\n")
    assert imported.json["applied"] is True
    admin = api(org.admin)
    admin.get(URL)  # the first call may refresh the token's last_used_at

    def statements(per_page):
        with count_queries() as sent:
            response = admin.get(URL, query_string={"per_page": per_page})
        assert len(response.json["items"]) == per_page
        return len(sent)

    assert statements(200) == statements(2)
