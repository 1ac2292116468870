"""The pure CSV planner (tandem.people.importer): reading files, every rule with its row and
column, absent-versus-empty columns, team names, and properties of trees, cycles and re-imports."""

from __future__ import annotations

from dataclasses import replace

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tandem.people import importer
from tandem.people.importer import Existing, ImportOptions, ImportPlan, plan_import, read_csv

HEADER = "email,name,title,team,manager_email,role"


def _csv(*rows: str, header: str = HEADER) -> str:
    return "\n".join([header, *rows]) + "\n"


def _plan(
    text: str,
    existing: dict[str, Existing] | None = None,
    teams: tuple[str, ...] = (),
    actor: str | None = None,
    **options: bool,
) -> ImportPlan:
    rows, problems, warnings = read_csv(text)
    assert not problems, problems
    return plan_import(rows, existing or {}, teams, ImportOptions(**options), actor_email=actor)


def _where(plan: ImportPlan) -> set[tuple[int, str]]:
    return {(p.row, p.column) for p in plan.problems}


def _person(email: str, manager: str | None = None, **overrides: object) -> Existing:
    base = Existing(
        email=email,
        name=email.split("@")[0].title(),
        title="",
        team=None,
        manager_email=manager,
        role="employee",
        is_active=True,
    )
    return replace(base, **overrides)


BOSS = {"boss@x.test": _person("boss@x.test")}


# --- read_csv ----------------------------------------------------------------------------------------


def test_rows_are_numbered_like_the_spreadsheet():
    rows, problems, _ = read_csv(
        _csv("a@x.test,A,,,,", "", "b@x.test,B,,,,", '"c@x.test","C, with comma",,,,')
    )
    assert not problems
    # Header is row 1; the blank line 3 is skipped but still counted.
    assert [(r.row, r.email, r.name) for r in rows] == [
        (2, "a@x.test", "A"),
        (4, "b@x.test", "B"),
        (5, "c@x.test", "C, with comma"),
    ]


def test_a_quoted_cell_with_a_line_break_is_one_row():
    rows, _, _ = read_csv(_csv('a@x.test,"Two\nLines",,,,', "b@x.test,B,,,,"))
    assert [(r.row, r.name) for r in rows] == [(2, "Two\nLines"), (3, "B")]


def test_header_names_are_normalised_and_unknown_columns_warned_about():
    rows, problems, warnings = read_csv(
        "\ufeff Email ,NAME,Manager Email,Shoe Size\nA@X.test,A,B@X.TEST,44\n"
    )
    assert not problems
    assert rows[0].email == "a@x.test"
    assert rows[0].manager_email == "b@x.test"
    assert warnings == ["ignored unknown columns: shoe_size"]


def test_cells_are_trimmed_and_emails_and_roles_lowercased():
    rows, _, _ = read_csv(_csv("  Ann@X.Test , Ann Lee , Lead , Data , Boss@X.Test , HR_Admin "))
    row = rows[0]
    assert (row.email, row.name, row.title, row.team, row.manager_email, row.role) == (
        "ann@x.test",
        "Ann Lee",
        "Lead",
        "Data",
        "boss@x.test",
        "hr_admin",
    )


def test_absent_columns_are_none_and_empty_cells_are_empty_strings():
    absent, _, _ = read_csv("email,name\na@x.test,A\n")
    assert (absent[0].title, absent[0].team, absent[0].manager_email, absent[0].role) == (
        None,
        None,
        None,
        None,
    )
    empty, _, _ = read_csv(_csv("a@x.test,A,,,,"))
    assert (empty[0].title, empty[0].team, empty[0].manager_email) == ("", "", "")
    assert empty[0].role is None  # an empty role means "the default / keep", like an absent one


def test_a_short_row_reads_missing_cells_as_empty():
    rows, problems, _ = read_csv(_csv("a@x.test,A"))
    assert not problems
    assert (rows[0].title, rows[0].team, rows[0].manager_email) == ("", "", "")


def test_a_row_with_more_cells_than_the_header_is_a_problem_on_its_row():
    """An unquoted comma in a value shifts every later cell: the data would be lost silently."""
    header = "email,manager_email,name,title"
    rows, problems, _ = read_csv(
        _csv(
            "ceo@acme.test,,Chief,CEO",
            "smith@acme.test,ceo@acme.test,Smith, John,Senior Engineer",
            header=header,
        )
    )
    assert [(p.row, p.column) for p in problems] == [(3, "")]
    assert problems[0].message == (
        '5 cells, the header has 4 columns; quote values that contain commas ("Smith, John")'
    )
    # The row is still read, so people who report to it are not reported as well.
    assert [r.email for r in rows] == ["ceo@acme.test", "smith@acme.test"]
    # Quoted, the same row is fine; so are empty cells after the last column (nothing is lost).
    quoted = read_csv(_csv('smith@acme.test,ceo@acme.test,"Smith, John",Senior Engineer', header=header))
    assert quoted[1] == [] and quoted[0][0].name == "Smith, John"
    assert read_csv(_csv("a@x.test,A,,,,,,"))[1] == []


def test_a_column_named_twice_is_a_file_problem_naming_it():
    rows, problems, _ = read_csv("email,name,manager_email,Manager Email\na@x.test,A,b@x.test,c@x.test\n")
    assert rows == [] and [(p.row, p.column) for p in problems] == [(1, "manager_email")]
    assert "'manager_email' appears 2 times (columns 3, 4)" in problems[0].message


@pytest.mark.parametrize(
    ("text", "row"),
    [
        ('a@x.test,"Smith,,,,\nb@x.test,B,,,,\nc@x.test,C,,,,\n', 2),  # the rest of the file in one cell
        ('a@x.test,A,,,,\nb@x.test,B,,,,\nc@x.test,"C,,,,', 4),  # at the very end, no line break
        ('a@x.test,A,,,,\nb@x.test,"B\n', 3),
    ],
)
def test_an_unclosed_quote_is_unreadable_csv_on_the_row_where_it_opens(text, row):
    rows, problems, _ = read_csv(_csv(text.rstrip("\n")) if text.endswith("\n") else HEADER + "\n" + text)
    assert [(p.row, p.column) for p in problems] == [(row, "")]
    assert problems[0].message.startswith("unreadable CSV") and "never closed" in problems[0].message
    assert [r.row for r in rows] == list(range(2, row))  # the rows before it are read


def test_an_unclosed_quote_in_the_header_is_unreadable_csv():
    rows, problems, _ = read_csv('email,"name\na@x.test,A\n')
    assert rows == [] and [(p.row, p.column) for p in problems] == [(1, "")]
    assert "never closed" in problems[0].message


@pytest.mark.parametrize(
    ("header", "missing"), [("name,title", {"email"}), ("email", {"name"}), ("title", {"email", "name"})]
)
def test_missing_required_columns_are_row_1_problems(header, missing):
    rows, problems, _ = read_csv(header + "\nx\n")
    assert rows == []
    assert {(p.row, p.column) for p in problems} == {(1, column) for column in missing}


def test_an_empty_file_is_a_row_0_problem():
    rows, problems, _ = read_csv("")
    assert rows == [] and [(p.row, p.column) for p in problems] == [(0, "")]


def test_too_many_rows_is_reported_at_the_first_row_over(monkeypatch):
    monkeypatch.setattr(importer, "MAX_ROWS", 2)
    rows, problems, _ = read_csv(_csv("a@x.test,A,,,,", "b@x.test,B,,,,", "c@x.test,C,,,,"))
    assert len(rows) == 2
    assert [(p.row, p.column) for p in problems] == [(4, "")]


# --- field rules -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("row", "column", "fragment"),
    [
        (",Nameless Email,,,boss@x.test,", "email", "required"),
        ("no-at-sign,Bad,,,boss@x.test,", "email", "not a valid email"),
        ("two@@x.test,Bad,,,boss@x.test,", "email", "not a valid email"),
        ("a@x.test,,,,boss@x.test,", "name", "required"),
        (f"a@x.test,{'n' * 201},,,boss@x.test,", "name", "longer than 200"),
        (f"a@x.test,A,{'t' * 201},,boss@x.test,", "title", "longer than 200"),
        (f"a@x.test,A,,{'t' * 121},boss@x.test,", "team", "longer than 120"),
        ("a@x.test,A,,,boss@x.test,wizard", "role", "unknown role"),
        ("a@x.test,A,,,not-an-email,", "manager_email", "not a valid email"),
        ("a@x.test,A,,,a@x.test,", "manager_email", "own manager"),
        ("a@x.test,A,,,ghost@x.test,", "manager_email", "unknown manager ghost@x.test"),
    ],
)
def test_each_rule_is_reported_on_its_row_and_column(row, column, fragment):
    plan = _plan(_csv("ok@x.test,Fine,,,boss@x.test,", row), existing=BOSS)
    assert (3, column) in _where(plan), plan.problems
    assert any(fragment in p.message for p in plan.problems if (p.row, p.column) == (3, column))
    assert not any(p.row == 2 for p in plan.problems)  # the good row stays clean
    assert plan.valid is False


def test_limits_are_inclusive():
    plan = _plan(_csv(f"a@x.test,{'n' * 200},{'t' * 200},{'t' * 120},boss@x.test,"), existing=BOSS)
    assert plan.problems == []


def test_duplicate_email_names_the_first_row_case_insensitively():
    plan = _plan(
        _csv("a@x.test,A,,,boss@x.test,", "b@x.test,B,,,boss@x.test,", "A@X.TEST,A2,,,boss@x.test,"), BOSS
    )
    assert [(p.row, p.column) for p in plan.problems] == [(4, "email")]
    assert "first on row 2" in plan.problems[0].message


def test_a_manager_later_in_the_file_is_fine():
    plan = _plan(_csv("a@x.test,A,,,b@x.test,", "b@x.test,B,,,boss@x.test,"), BOSS)
    assert plan.problems == []


def test_a_deactivated_manager_is_unknown_unless_the_file_brings_them_back():
    existing = {**BOSS, "gone@x.test": _person("gone@x.test", "boss@x.test", is_active=False)}
    plan = _plan(_csv("a@x.test,A,,,gone@x.test,"), existing)
    assert _where(plan) == {(2, "manager_email")}
    assert "deactivated" in plan.problems[0].message
    back = _plan(_csv("a@x.test,A,,,gone@x.test,", "gone@x.test,Gone,,,boss@x.test,"), existing)
    assert back.problems == []
    assert {c.email: c.action for c in back.changes}["gone@x.test"] == "reactivate"


def test_a_manager_deactivated_by_this_very_import_is_unknown():
    existing = {**BOSS, "mgr@x.test": _person("mgr@x.test", "boss@x.test")}
    text = _csv("boss@x.test,Boss,,,,", "a@x.test,A,,,mgr@x.test,")
    assert _plan(text, existing).problems == []
    assert _where(_plan(text, existing, deactivate_missing=True)) == {(3, "manager_email")}


# --- cycles and roots --------------------------------------------------------------------------------


@pytest.mark.parametrize("length", [2, 3, 5])
def test_a_cycle_is_reported_on_every_row_of_it(length):
    loop = [f"c{i}@x.test,C{i},,,c{(i + 1) % length}@x.test," for i in range(length)]
    plan = _plan(_csv("ok@x.test,Ok,,,boss@x.test,", *loop), BOSS)
    cycle_rows = {p.row for p in plan.problems if "cycle" in p.message}
    assert cycle_rows == set(range(3, 3 + length))
    assert all(p.column == "manager_email" for p in plan.problems)


def test_a_chain_into_a_cycle_blames_only_the_cycle():
    text = _csv("tail@x.test,T,,,a@x.test,", "a@x.test,A,,,b@x.test,", "b@x.test,B,,,a@x.test,")
    plan = _plan(text, BOSS)
    assert {p.row for p in plan.problems if "cycle" in p.message} == {3, 4}


def test_a_cycle_through_someone_already_in_tandem_is_caught():
    # x (existing, not in the file) reports to a; the file makes a report to x.
    existing = {
        **BOSS,
        "a@x.test": _person("a@x.test", "boss@x.test"),
        "x@x.test": _person("x@x.test", "a@x.test"),
    }
    plan = _plan(_csv("a@x.test,A,,,x@x.test,"), existing)
    assert _where(plan) == {(2, "manager_email")}
    assert "cycle" in plan.problems[0].message


def test_a_second_root_is_reported_against_the_existing_top():
    tree = {**BOSS, "staff@x.test": _person("staff@x.test", "boss@x.test")}
    plan = _plan(_csv("a@x.test,A,,,,"), tree)
    assert _where(plan) == {(2, "manager_email")}
    assert "second root" in plan.problems[0].message and "boss@x.test" in plan.problems[0].message


def test_a_second_real_tree_beside_the_existing_one_is_refused():
    tree = {**BOSS, "staff@x.test": _person("staff@x.test", "boss@x.test")}
    plan = _plan(_csv("a@x.test,A,,,,", "b@x.test,B,,,a@x.test,"), tree)
    assert _where(plan) == {(2, "manager_email")}
    assert "boss@x.test (already in Tandem)" in plan.problems[0].message


def test_an_unplaced_person_in_tandem_is_not_the_top():
    """The admin `create-tenant` makes (no manager, nobody reporting to them) does not stop a
    file from bringing its own root, on the first import or any later one."""
    admin = {"admin@x.test": _person("admin@x.test", role="hr_admin")}
    text = _csv("boss@x.test,Boss,,,,", "a@x.test,A,,,boss@x.test,")
    first = _plan(text, admin)
    assert first.problems == []
    state, teams = _state_after(first, admin)
    # Someone else added without a manager is unplaced too.
    state["new@x.test"] = _person("new@x.test")
    again = _plan(text, state, tuple(teams))
    assert again.problems == [] and {c.action for c in again.changes} == {"unchanged"}


def test_an_unplaced_person_becomes_the_top_once_the_file_puts_people_under_them():
    plan = _plan(_csv("a@x.test,A,,,boss@x.test,", "c@x.test,C,,,,"), BOSS)
    assert _where(plan) == {(3, "manager_email")}
    assert "boss@x.test (already in Tandem)" in plan.problems[0].message


def test_putting_people_under_an_unplaced_person_beside_a_real_tree_is_a_second_root():
    existing = {
        **BOSS,
        "staff@x.test": _person("staff@x.test", "boss@x.test"),
        "admin@x.test": _person("admin@x.test", role="hr_admin"),
    }
    plan = _plan(_csv("ops@x.test,Ops,,,admin@x.test,"), existing)
    assert _where(plan) == {(2, "manager_email")}
    assert "admin@x.test" in plan.problems[0].message and "boss@x.test" in plan.problems[0].message
    # Two trees that exist already are not this file's doing.
    two = {**existing, "ops@x.test": _person("ops@x.test", "admin@x.test")}
    assert _plan(_csv("new@x.test,New,,,staff@x.test,"), two).problems == []


def test_only_an_empty_manager_cell_puts_a_row_at_the_top():
    # No manager_email column: new people have no manager and nobody under them (unplaced).
    assert _plan("email,name\na@x.test,A\nb@x.test,B\n").problems == []
    # An empty cell says "the top": two of them are two roots.
    assert _where(_plan(_csv("a@x.test,A,,,,", "b@x.test,B,,,,"))) == {(3, "manager_email")}


def test_with_nobody_in_tandem_the_first_root_in_the_file_is_the_top():
    plan = _plan(_csv("a@x.test,A,,,,", "b@x.test,B,,,a@x.test,", "c@x.test,C,,,,"))
    assert _where(plan) == {(4, "manager_email")}
    assert "a@x.test (row 2)" in plan.problems[0].message


def test_several_roots_are_fine_when_allowed():
    plan = _plan(_csv("a@x.test,A,,,,", "c@x.test,C,,,,"), BOSS, allow_multiple_roots=True)
    assert plan.problems == []


def test_the_top_of_the_organisation_may_restate_being_the_root():
    plan = _plan(_csv("boss@x.test,Boss,,,,", "a@x.test,A,,,boss@x.test,"), BOSS)
    assert plan.problems == []


# --- protecting the importing admin ------------------------------------------------------------------


def test_deactivate_missing_without_the_actor_in_the_file_is_a_problem():
    admin = {"admin@x.test": _person("admin@x.test", role="hr_admin")}
    text = _csv("a@x.test,A,,,admin@x.test,")
    plan = _plan(text, admin, actor="admin@x.test", deactivate_missing=True)
    # Row 2's manager would be deactivated by the same import, so it is reported too, and the
    # organisation would be left without an HR admin.
    assert _where(plan) == {(0, "email"), (0, "role"), (2, "manager_email")}
    assert "admin@x.test" in plan.problems[0].message
    assert _plan(text, admin, actor="admin@x.test").problems == []  # only with deactivate_missing


def test_the_actor_cannot_demote_themselves():
    admin = {"admin@x.test": _person("admin@x.test", role="hr_admin")}
    plan = _plan(_csv("admin@x.test,Admin,,,,employee"), admin, actor="admin@x.test")
    assert _where(plan) == {(0, "role"), (2, "role")}  # and nobody would be HR admin
    # Someone else's demotion is an ordinary update.
    other = {**admin, "hr2@x.test": _person("hr2@x.test", "admin@x.test", role="hr_admin")}
    fine = _plan(_csv("hr2@x.test,Hr2,,,admin@x.test,employee"), other, actor="admin@x.test")
    assert fine.problems == []


# --- keeping an HR admin -----------------------------------------------------------------------------

ADMIN_TREE = {
    "admin@x.test": _person("admin@x.test", role="hr_admin"),
    "a@x.test": _person("a@x.test", "admin@x.test"),
}


def test_deactivating_the_only_hr_admin_is_refused_whoever_imports():
    # The command line's operator (no actor): a one-person file with deactivate-missing.
    plan = _plan(_csv("a@x.test,A,,,,"), ADMIN_TREE, deactivate_missing=True)
    assert _where(plan) == {(0, "role")}
    assert "no active HR admin" in plan.problems[0].message
    assert "admin@x.test would be deactivated" in plan.problems[0].message


def test_demoting_the_only_hr_admin_is_refused():
    plan = _plan(_csv("admin@x.test,Admin,,,,employee", "a@x.test,A,,,admin@x.test,"), ADMIN_TREE)
    assert _where(plan) == {(0, "role")}
    assert "admin@x.test would become employee (row 2)" in plan.problems[0].message


def test_an_import_that_keeps_or_brings_an_hr_admin_is_fine():
    # The file makes someone else HR admin while the old one is deactivated.
    handover = _plan(_csv("a@x.test,A,,,,hr_admin"), ADMIN_TREE, deactivate_missing=True)
    assert handover.problems == []
    # An organisation that has no HR admin is not made worse by an import.
    no_admin = {"a@x.test": _person("a@x.test")}
    assert _plan(_csv("a@x.test,A,,,,"), no_admin, deactivate_missing=True).problems == []


# --- changes -----------------------------------------------------------------------------------------


def test_new_people_are_created_with_defaults():
    plan = _plan(_csv("a@x.test,A,,,boss@x.test,"), BOSS)
    [change] = plan.changes
    assert (change.row, change.email, change.action) == (2, "a@x.test", "create")
    assert change.fields == {
        "name": [None, "A"],
        "title": [None, ""],
        "team": [None, None],
        "manager_email": [None, "boss@x.test"],
        "role": [None, "employee"],
    }


def test_updates_list_only_what_changed():
    existing = {**BOSS, "a@x.test": _person("a@x.test", "boss@x.test", name="A", title="Dev", team="Data")}
    plan = _plan(_csv("a@x.test,A,Lead,Data,boss@x.test,hr_admin"), existing, teams=("Data",))
    [change] = plan.changes
    assert change.action == "update"
    assert change.fields == {"title": ["Dev", "Lead"], "role": ["employee", "hr_admin"]}


def test_absent_columns_keep_current_values_and_empty_cells_clear_them():
    existing = {**BOSS, "a@x.test": _person("a@x.test", "boss@x.test", name="A", title="Dev", team="Data")}
    absent = _plan("email,name\na@x.test,A\n", existing, teams=("Data",))
    assert [c.action for c in absent.changes] == ["unchanged"]
    assert absent.problems == []  # the manager is kept too, so no second root
    empty = _plan(_csv("a@x.test,A,,,boss@x.test,"), existing, teams=("Data",))
    [change] = empty.changes
    assert change.fields == {"title": ["Dev", ""], "team": ["Data", None]}


def test_an_empty_manager_cell_makes_a_root_an_absent_column_keeps_the_manager():
    existing = {**BOSS, "a@x.test": _person("a@x.test", "boss@x.test", name="A")}
    kept = _plan("email,name,manager_email\n", existing)
    assert kept.changes == [] and kept.problems == []
    keep = _plan("email,name,title\na@x.test,A,\n", existing)
    assert keep.problems == [] and [c.action for c in keep.changes] == ["unchanged"]
    cleared = _plan(_csv("a@x.test,A,,,,"), existing, allow_multiple_roots=True)
    assert cleared.changes[0].fields == {"manager_email": ["boss@x.test", None]}


def test_team_names_fold_case_to_one_team():
    plan = _plan(
        _csv(
            "a@x.test,A,,Tech,boss@x.test,", "b@x.test,B,,TECH,boss@x.test,", "c@x.test,C,,tech,boss@x.test,"
        ),
        BOSS,
    )
    assert plan.teams_to_create == ["Tech"]
    assert {c.fields["team"][1] for c in plan.changes} == {"Tech"}
    assert plan.summary()["teams_created"] == 1


def test_an_existing_team_is_matched_whatever_the_case():
    existing = {**BOSS, "a@x.test": _person("a@x.test", "boss@x.test", name="A", team="Data")}
    plan = _plan(
        _csv("a@x.test,A,,DATA,boss@x.test,", "b@x.test,B,,data,boss@x.test,"), existing, teams=("Data",)
    )
    assert plan.teams_to_create == []
    assert {c.email: c.action for c in plan.changes} == {"a@x.test": "unchanged", "b@x.test": "create"}
    assert plan.changes[1].fields["team"] == [None, "Data"]


def test_deactivate_missing_lists_only_active_people_not_in_the_file():
    existing = {
        "boss@x.test": _person("boss@x.test"),
        "stay@x.test": _person("stay@x.test", "boss@x.test"),
        "leave@x.test": _person("leave@x.test", "boss@x.test"),
        "gone@x.test": _person("gone@x.test", "boss@x.test", is_active=False),
    }
    text = _csv("boss@x.test,Boss,,,,", "stay@x.test,Stay,,,boss@x.test,")
    plan = _plan(text, existing, deactivate_missing=True)
    assert plan.problems == []
    assert [(c.row, c.email) for c in plan.changes if c.action == "deactivate"] == [(0, "leave@x.test")]
    assert not [c for c in _plan(text, existing).changes if c.action == "deactivate"]


def test_summary_counts_each_action():
    existing = {
        "boss@x.test": _person("boss@x.test", name="Boss"),
        "same@x.test": _person("same@x.test", "boss@x.test", name="Same"),
        "old@x.test": _person("old@x.test", "boss@x.test", name="Old"),
        "back@x.test": _person("back@x.test", "boss@x.test", name="Back", is_active=False),
        "left@x.test": _person("left@x.test", "boss@x.test", name="Left"),
    }
    text = _csv(
        "boss@x.test,Boss,,,,",
        "same@x.test,Same,,,boss@x.test,",
        "old@x.test,New Name,,,boss@x.test,",
        "back@x.test,Back,,,boss@x.test,",
        "new@x.test,New,,Team,boss@x.test,",
    )
    summary = _plan(text, existing, deactivate_missing=True, actor="boss@x.test").summary()
    assert summary == {
        "rows": 5,
        "create": 1,
        "update": 1,
        "reactivate": 1,
        "deactivate": 1,
        "unchanged": 2,
        "teams_created": 1,
        "problems": 0,
    }


# --- properties --------------------------------------------------------------------------------------

TEAMS = ("Data", "Web", "Platform")


@st.composite
def org_files(draw: st.DrawFn, max_size: int = 25) -> tuple[list[int | None], list[int], str]:
    """A random valid tree as a CSV: person 0 is the root, every other person reports to someone
    numbered lower (so there is no cycle), and the rows come in a random order."""
    size = draw(st.integers(min_value=1, max_value=max_size))
    parents: list[int | None] = [None] + [draw(st.integers(0, i - 1)) for i in range(1, size)]
    order = draw(st.permutations(range(size)))
    lines = []
    for i in order:
        team = draw(st.sampled_from(TEAMS + ("",)))
        team = draw(st.sampled_from([team, team.lower(), team.upper()]))
        title = draw(st.sampled_from(["", "Engineer", "Lead"]))
        role = draw(st.sampled_from(["", "employee", "hr_admin"]))
        manager = f"p{parents[i]}@x.test" if parents[i] is not None else ""
        lines.append(f"p{i}@x.test,Person {i},{title},{team},{manager},{role}")
    return parents, list(order), _csv(*lines)


def _row_of(order: list[int], person: int) -> int:
    return order.index(person) + 2


def _state_after(plan: ImportPlan, existing: dict[str, Existing]) -> tuple[dict[str, Existing], list[str]]:
    """What applying `plan` leaves behind, as the planner's own input (a model of imports._apply)."""
    state = dict(existing)
    for change in plan.changes:
        if change.action == "create":
            new = {key: value[1] for key, value in change.fields.items()}
            state[change.email] = Existing(email=change.email, is_active=True, **new)  # type: ignore[arg-type]
        elif change.action in ("update", "reactivate"):
            updated = {key: value[1] for key, value in change.fields.items()}
            state[change.email] = replace(state[change.email], is_active=True, **updated)  # type: ignore[arg-type]
        elif change.action == "deactivate":
            state[change.email] = replace(state[change.email], is_active=False)
    return state, plan.teams_to_create


@settings(max_examples=60, deadline=None)
@given(org_files())
def test_any_valid_tree_plans_cleanly_and_creates_everyone(tree):
    parents, _order, text = tree
    plan = _plan(text)
    assert plan.problems == []
    assert sorted(c.email for c in plan.changes) == sorted(f"p{i}@x.test" for i in range(len(parents)))
    assert all(c.action == "create" for c in plan.changes)
    for change in plan.changes:
        person = int(change.email[1:].split("@")[0])
        expected = f"p{parents[person]}@x.test" if parents[person] is not None else None
        assert change.fields["manager_email"] == [None, expected]
    # However the file spells a team, each is created once.
    assert len(plan.teams_to_create) == len({t.lower() for t in plan.teams_to_create})


@settings(max_examples=60, deadline=None)
@given(org_files().filter(lambda tree: len(tree[0]) >= 2), st.data())
def test_a_back_edge_that_closes_a_cycle_is_reported_on_every_row_of_it(tree, data):
    parents, order, _text = tree
    below = data.draw(st.integers(1, len(parents) - 1), label="person low in the tree")
    ancestors = []
    node = parents[below]
    while node is not None:
        ancestors.append(node)
        node = parents[node]
    top = data.draw(st.sampled_from(ancestors), label="ancestor who will report to them")
    cycle = {below}
    node = parents[below]
    while node != top:
        cycle.add(node)
        node = parents[node]
    cycle.add(top)
    # Rewrite the ancestor's row so they report to the person below them.
    rows, _, _ = read_csv(_text)
    rows = [replace(r, manager_email=f"p{below}@x.test") if r.email == f"p{top}@x.test" else r for r in rows]
    plan = plan_import(rows, {}, (), ImportOptions(allow_multiple_roots=True))
    cycle_rows = {p.row for p in plan.problems if "cycle" in p.message}
    assert cycle_rows == {_row_of(order, person) for person in cycle}
    assert all(p.column == "manager_email" for p in plan.problems if "cycle" in p.message)


@settings(max_examples=60, deadline=None)
@given(org_files())
def test_planning_a_file_against_the_state_it_produced_changes_nothing(tree):
    _parents, _order, text = tree
    first = _plan(text)
    assert first.valid
    state, teams = _state_after(first, {})
    again = _plan(text, state, tuple(teams))
    assert again.problems == []
    assert {c.action for c in again.changes} == {"unchanged"}
    assert again.teams_to_create == []
    assert again.summary()["unchanged"] == len(state)


@settings(max_examples=40, deadline=None)
@given(org_files(), org_files())
def test_any_valid_second_file_converges_after_one_apply(first_tree, second_tree):
    """Importing file 1 then file 2 leaves a state against which file 2 is all unchanged."""
    first = _plan(first_tree[2])
    state, teams = _state_after(first, {})
    second = _plan(second_tree[2], state, tuple(teams))
    # Every edge in either file points at a lower number, so any mix of the two is a tree. The
    # one thing refused is a second file that takes the HR admin role from everyone who has it.
    if any(p.row == 0 and p.column == "role" for p in second.problems):
        assert _where(second) == {(0, "role")}
        return
    assert second.problems == []
    state, new_teams = _state_after(second, state)
    again = _plan(second_tree[2], state, tuple(teams) + tuple(new_teams))
    assert again.problems == []
    assert {c.action for c in again.changes} <= {"unchanged"}
