"""The org chart through the API: /me, direct reports and whole subtrees with depths, who may
read them, and that reading a big subtree costs the same number of SQL statements as a small one."""

from __future__ import annotations

import pytest

URL = "/api/v1/people"


@pytest.fixture
def chart(org):
    """top -> (mid_a -> (leaf_a1, leaf_a2 -> deep), mid_b -> leaf_b1); top reports to nobody."""
    top = org.person("Top")
    mid_a, mid_b = org.person("Mid A", manager=top), org.person("Mid B", manager=top)
    leaf_a1, leaf_a2 = org.person("Leaf A1", manager=mid_a), org.person("Leaf A2", manager=mid_a)
    leaf_b1 = org.person("Leaf B1", manager=mid_b)
    deep = org.person("Deep", manager=leaf_a2)
    return {
        "top": top,
        "mid_a": mid_a,
        "mid_b": mid_b,
        "leaf_a1": leaf_a1,
        "leaf_a2": leaf_a2,
        "leaf_b1": leaf_b1,
        "deep": deep,
    }


def _reports(client, person, subtree=False):
    return client.get(f"{URL}/{person.id}/reports", query_string={"subtree": "true" if subtree else "false"})


def test_me_shows_manager_reports_and_subtree_size(api, chart):
    me = api(chart["mid_a"]).get("/api/v1/me").json
    assert me["person"]["id"] == str(chart["mid_a"].id)
    assert me["person"]["is_manager"] is True
    assert me["manager"]["id"] == str(chart["top"].id)
    assert sorted(r["id"] for r in me["direct_reports"]) == sorted(
        [str(chart["leaf_a1"].id), str(chart["leaf_a2"].id)]
    )
    assert me["subtree_size"] == 3  # two leaves and Deep

    assert api(chart["top"]).get("/api/v1/me").json["subtree_size"] == 6
    leaf = api(chart["deep"]).get("/api/v1/me").json
    assert leaf["direct_reports"] == [] and leaf["subtree_size"] == 0
    assert leaf["person"]["is_manager"] is False


def test_me_names_the_organisation_and_team(org, api, make_team):
    team = make_team(org, "Core")
    person = org.person("Teamed", team_id=team)
    me = api(person).get("/api/v1/me").json
    assert me["tenant"]["slug"] == org.slug
    assert me["team"] == {"id": team, "name": "Core"}
    assert me["manager"] is None


def test_direct_reports_have_depth_one(api, chart):
    response = _reports(api(chart["top"]), chart["top"])
    assert response.status_code == 200
    body = response.json
    assert body["person_id"] == str(chart["top"].id)
    assert [(item["name"], item["depth"]) for item in body["items"]] == [("Mid A", 1), ("Mid B", 1)]
    assert body["total"] == 2


def test_subtree_lists_everyone_below_with_their_depth(api, chart):
    body = _reports(api(chart["top"]), chart["top"], subtree=True).json
    assert [(item["name"], item["depth"]) for item in body["items"]] == [
        ("Mid A", 1),
        ("Mid B", 1),
        ("Leaf A1", 2),
        ("Leaf A2", 2),
        ("Leaf B1", 2),
        ("Deep", 3),
    ]
    assert body["total"] == 6
    by_name = {item["name"]: item for item in body["items"]}
    assert by_name["Deep"]["manager_id"] == str(chart["leaf_a2"].id)


def test_subtree_of_a_middle_manager_starts_below_them(api, chart):
    body = _reports(api(chart["mid_a"]), chart["mid_a"], subtree=True).json
    assert [(item["name"], item["depth"]) for item in body["items"]] == [
        ("Leaf A1", 1),
        ("Leaf A2", 1),
        ("Deep", 2),
    ]


def test_deactivated_people_leave_the_chart_and_me_agrees(org, api, chart):
    assert api(org.admin).post(f"{URL}/{chart['leaf_a1'].id}/deactivate").status_code == 200
    subtree = _reports(api(chart["top"]), chart["top"], subtree=True).json
    assert "Leaf A1" not in [item["name"] for item in subtree["items"]]
    assert subtree["total"] == 5
    me = api(chart["top"]).get("/api/v1/me").json
    assert me["subtree_size"] == subtree["total"]
    direct = api(chart["mid_a"]).get("/api/v1/me").json["direct_reports"]
    assert [r["name"] for r in direct] == ["Leaf A2"]


@pytest.mark.parametrize("reader", ["target", "manager", "grand_manager", "hr_admin"])
def test_the_person_their_managers_and_hr_can_read_their_subtree(org, api, chart, reader):
    who = {
        "target": chart["leaf_a2"],
        "manager": chart["mid_a"],
        "grand_manager": chart["top"],
        "hr_admin": org.admin,
    }[reader]
    for subtree in (False, True):
        response = _reports(api(who), chart["leaf_a2"], subtree=subtree)
        assert response.status_code == 200, (reader, subtree)
        assert [item["name"] for item in response.json["items"]] == ["Deep"]


@pytest.mark.parametrize("reader", ["peer", "report", "other_branch", "other_branch_manager"])
def test_peers_reports_and_other_branches_get_403(org, api, chart, reader):
    who = {
        "peer": chart["leaf_a1"],
        "report": chart["deep"],
        "other_branch": chart["leaf_b1"],
        "other_branch_manager": chart["mid_b"],
    }[reader]
    for subtree in (False, True):
        response = _reports(api(who), chart["leaf_a2"], subtree=subtree)
        assert response.status_code == 403, (reader, subtree)
        assert "items" not in response.json


def test_reports_of_unknown_person_is_404(org, api):
    assert api(org.admin).get(f"{URL}/00000000-0000-0000-0000-000000000000/reports").status_code == 404


def test_bad_subtree_flag_is_422(org, api):
    response = api(org.admin).get(f"{URL}/{org.admin.id}/reports", query_string={"subtree": "perhaps"})
    assert response.status_code == 422
    assert "subtree" in response.json["errors"]["json"]


# --- a big subtree, imported through the API ------------------------------------------------------


def _wide_tree_csv(admin_email: str, size: int) -> str:
    """`big.boss` under the admin with `size` people below: each reports to (i - 1) // 8, so
    the subtree is four levels deep. `small.boss` has two reports."""
    lines = ["email,name,title,manager_email"]
    lines.append(f"big.boss@x.test,Big Boss,VP,{admin_email}")
    for i in range(size):
        manager = "big.boss@x.test" if i < 8 else f"p{(i - 8) // 8}@x.test"
        lines.append(f"p{i}@x.test,Person {i:05d},Engineer,{manager}")
    lines.append(f"small.boss@x.test,Small Boss,Lead,{admin_email}")
    lines += [f"s{i}@x.test,Small {i},Engineer,small.boss@x.test" for i in range(2)]
    return "\n".join(lines) + "\n"


def _person_id(client, email):
    return client.get(URL, query_string={"q": email}).json["items"][0]["id"]


def test_a_2000_person_subtree_costs_the_same_statements_as_a_small_one(org, api, import_csv, count_queries):
    admin = api(org.admin)
    imported = import_csv(admin, _wide_tree_csv(org.admin.email, 2000))
    assert imported.status_code == 200, imported.json
    assert imported.json["applied"] is True, imported.json["problems"][:5]
    big, small = _person_id(admin, "big.boss@x.test"), _person_id(admin, "small.boss@x.test")

    def statements_for(person_id):
        url = f"{URL}/{person_id}/reports?subtree=true"
        admin.get(url)  # the first call may refresh the token's last_used_at; measure the next one
        with count_queries() as statements:
            response = admin.get(url)
        assert response.status_code == 200
        return response.json, len(statements)

    big_body, big_count = statements_for(big)
    small_body, small_count = statements_for(small)
    assert big_body["total"] == 2000
    assert max(item["depth"] for item in big_body["items"]) == 4
    assert small_body["total"] == 2
    assert big_count == small_count


def test_subtree_statement_count_does_not_depend_on_size_for_a_manager_reading_their_own(
    org, api, import_csv, count_queries, password
):
    admin = api(org.admin)
    assert import_csv(admin, _wide_tree_csv(org.admin.email, 300)).json["applied"] is True
    counts = {}
    for email in ("big.boss@x.test", "small.boss@x.test"):
        person_id = _person_id(admin, email)
        token = admin.post("/api/v1/tokens", json={"name": "t", "user_id": person_id}).json["token"]
        client = api(token)
        client.get(f"{URL}/{person_id}/reports?subtree=true")
        with count_queries() as statements:
            assert client.get(f"{URL}/{person_id}/reports?subtree=true").status_code == 200
        counts[email] = len(statements)
    assert counts["big.boss@x.test"] == counts["small.boss@x.test"]
