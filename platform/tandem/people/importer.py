"""Reading a people CSV and planning what importing it would change, with every row's problems.

Pure: no database. `services.import_people` loads what exists, calls `plan_import`, and applies
the plan in bulk only when it has no problems. Row numbers are the spreadsheet's: the header is
row 1, the first person row 2.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable
from dataclasses import dataclass, field

from ..core.auth import EMPLOYEE, HR_ADMIN, ROLES

REQUIRED_COLUMNS = ("email", "name")
OPTIONAL_COLUMNS = ("title", "team", "manager_email", "role")
MAX_ROWS = 100_000
_EMAIL = re.compile(r"^[^@\s,;<>\"]+@[^@\s,;<>\"]+\.[^@\s,;<>\".]+$")
_LIMITS = {"name": 200, "title": 200, "team": 120, "email": 254}


@dataclass(frozen=True)
class Problem:
    row: int  # 0 = the file as a whole
    column: str
    message: str


@dataclass(frozen=True)
class PersonRow:
    row: int
    email: str
    name: str
    title: str | None  # None: the column is absent, so the current value is kept
    team: str | None
    manager_email: str | None
    role: str | None


@dataclass(frozen=True)
class Existing:
    email: str
    name: str
    title: str
    team: str | None
    manager_email: str | None
    role: str
    is_active: bool


@dataclass(frozen=True)
class ImportOptions:
    deactivate_missing: bool = False
    allow_multiple_roots: bool = False


@dataclass(frozen=True)
class Change:
    row: int  # 0 for people only deactivated (they are not in the file)
    email: str
    action: str  # create | update | reactivate | deactivate | unchanged
    fields: dict[str, list[str | None]] = field(default_factory=dict)


@dataclass
class ImportPlan:
    rows: list[PersonRow]
    problems: list[Problem]
    warnings: list[str]
    changes: list[Change]
    teams_to_create: list[str]

    @property
    def valid(self) -> bool:
        return not self.problems

    def summary(self) -> dict[str, int]:
        counts = {
            "rows": len(self.rows),
            "create": 0,
            "update": 0,
            "reactivate": 0,
            "deactivate": 0,
            "unchanged": 0,
            "teams_created": len(self.teams_to_create),
            "problems": len(self.problems),
        }
        for change in self.changes:
            counts[change.action] += 1
        return counts


def _clean(value: str | None) -> str:
    return (value or "").strip()


_END = "tandem:end-of-file:7f3c9e"  # a last line no real file has: see read_csv


def plural(count: int, noun: str, many: str | None = None) -> str:
    """`1 problem`, `2 problems`, `0 teams`: how every count of the import is printed."""
    return f"{count} {noun if count == 1 else (many or noun + 's')}"


def read_csv(text: str) -> tuple[list[PersonRow], list[Problem], list[str]]:
    """Parse the file; structural problems (missing or repeated columns, too many rows,
    unreadable CSV) come back at row 0 or 1, a row's problems at its row."""
    problems: list[Problem] = []
    warnings: list[str] = []
    text = text.lstrip("\ufeff")
    if not text.strip():
        return [], [Problem(0, "", "the file is empty: expected a header row with email,name,...")], []
    # A quote that is never closed makes the csv module read the rest of the file as one cell,
    # silently. A known last line shows it: it survives as its own record only when every quote
    # was closed.
    reader = csv.reader(io.StringIO(text + ("" if text.endswith(("\n", "\r")) else "\n") + _END + "\n"))
    try:
        header = next(reader)
    except csv.Error as exc:
        return [], [Problem(1, "", f"unreadable CSV: {exc}")], []
    if header == [_END]:
        return [], [Problem(0, "", "the file is empty: expected a header row with email,name,...")], []
    if _swallowed_the_end(header):
        return [], [_unclosed_quote(1)], []
    columns = [h.strip().lower().replace(" ", "_") for h in header]
    for required in REQUIRED_COLUMNS:
        if required not in columns:
            problems.append(Problem(1, required, f"missing required column {required!r}"))
    for name in REQUIRED_COLUMNS + OPTIONAL_COLUMNS:
        positions = [str(i + 1) for i, column in enumerate(columns) if column == name]
        if len(positions) > 1:
            problems.append(
                Problem(
                    1,
                    name,
                    f"column {name!r} appears {len(positions)} times (columns {', '.join(positions)}); "
                    "keep one",
                )
            )
    unknown = [c for c in columns if c and c not in REQUIRED_COLUMNS + OPTIONAL_COLUMNS]
    if unknown:
        warnings.append(f"ignored unknown columns: {', '.join(unknown)}")
    if problems:
        return [], problems, warnings
    index = {name: columns.index(name) for name in REQUIRED_COLUMNS + OPTIONAL_COLUMNS if name in columns}
    rows: list[PersonRow] = []
    try:
        for number, record in enumerate(reader, start=2):
            if record == [_END]:
                break
            if _swallowed_the_end(record):
                problems.append(_unclosed_quote(number))
                break
            if not any(cell.strip() for cell in record):
                continue
            if len(rows) >= MAX_ROWS:
                problems.append(Problem(number, "", f"more than {MAX_ROWS} people in one file"))
                break
            # Cells beyond the header's columns would be dropped: the usual cause is an unquoted
            # comma inside a value, which shifts every later cell. Empty trailing cells lose nothing.
            if len(record) > len(columns) and any(cell.strip() for cell in record[len(columns) :]):
                problems.append(
                    Problem(
                        number,
                        "",
                        f"{plural(len(record), 'cell')}, the header has {plural(len(columns), 'column')}; "
                        'quote values that contain commas ("Smith, John")',
                    )
                )

            def cell(name: str, record: list[str] = record) -> str | None:
                if name not in index:
                    return None
                position = index[name]
                return record[position].strip() if position < len(record) else ""

            rows.append(
                PersonRow(
                    row=number,
                    email=_clean(cell("email")).lower(),
                    name=_clean(cell("name")),
                    title=cell("title"),
                    team=cell("team"),
                    manager_email=(cell("manager_email") or "").lower()
                    or (None if "manager_email" not in index else ""),
                    role=(cell("role") or "").lower() or None,
                )
            )
    except csv.Error as exc:
        problems.append(Problem(reader.line_num, "", f"unreadable CSV: {exc}"))
    return rows, problems, warnings


def _swallowed_the_end(record: list[str]) -> bool:
    return bool(record) and record[-1].rstrip("\r\n").endswith(_END)


def _unclosed_quote(row: int) -> Problem:
    return Problem(
        row,
        "",
        'unreadable CSV: a quote (") opened on this row is never closed, so the rest of the file '
        "would be read as one value; close the quote, or remove it",
    )


def _field_problems(rows: Iterable[PersonRow]) -> list[Problem]:
    problems: list[Problem] = []
    first_row_of: dict[str, int] = {}
    for person in rows:
        if not person.email:
            problems.append(Problem(person.row, "email", "email is required"))
        elif len(person.email) > _LIMITS["email"] or not _EMAIL.match(person.email):
            problems.append(Problem(person.row, "email", f"not a valid email address: {person.email!r}"))
        elif person.email in first_row_of:
            problems.append(
                Problem(
                    person.row,
                    "email",
                    f"duplicate email {person.email} (first on row {first_row_of[person.email]})",
                )
            )
        else:
            first_row_of[person.email] = person.row
        if not person.name:
            problems.append(Problem(person.row, "name", "name is required"))
        for column in ("name", "title", "team"):
            value = getattr(person, column)
            if value and len(value) > _LIMITS[column]:
                problems.append(Problem(person.row, column, f"longer than {_LIMITS[column]} characters"))
        if person.role is not None and person.role not in ROLES:
            problems.append(
                Problem(person.row, "role", f"unknown role {person.role!r} (use {' or '.join(ROLES)})")
            )
        if person.manager_email:
            if not _EMAIL.match(person.manager_email):
                problems.append(
                    Problem(
                        person.row, "manager_email", f"not a valid email address: {person.manager_email!r}"
                    )
                )
            elif person.manager_email == person.email:
                problems.append(Problem(person.row, "manager_email", "a person cannot be their own manager"))
    return problems


def plan_import(
    rows: list[PersonRow],
    existing: dict[str, Existing],
    existing_teams: Iterable[str],
    options: ImportOptions,
    actor_email: str | None = None,
) -> ImportPlan:
    problems = _field_problems(rows)
    in_file = {person.email: person for person in rows if person.email}
    active_after = set(in_file) | {
        email
        for email, person in existing.items()
        if person.is_active and email not in in_file and not options.deactivate_missing
    }

    manager_after: dict[str, str | None] = {}
    for email, person in existing.items():
        if email in active_after and email not in in_file:
            manager_after[email] = person.manager_email
    for person in in_file.values():
        if person.manager_email is None:  # column absent: keep the current manager
            manager_after[person.email] = (
                existing[person.email].manager_email if person.email in existing else None
            )
        else:
            manager_after[person.email] = person.manager_email or None

    for person in in_file.values():
        manager = manager_after.get(person.email)
        if manager and manager != person.email and manager not in active_after:
            why = (
                "is deactivated; add them to the file to reactivate them"
                if manager in existing
                else "is neither in the file nor an active person in this organisation"
            )
            problems.append(Problem(person.row, "manager_email", f"unknown manager {manager}: {why}"))

    problems += _cycle_problems(in_file, manager_after, active_after)
    if not options.allow_multiple_roots:
        problems += _second_root_problems(in_file, existing, manager_after, active_after)
    problems += _self_protection_problems(in_file, existing, options, actor_email)
    problems += _last_admin_problems(in_file, existing, active_after)

    changes, teams_to_create = _changes(in_file, existing, existing_teams, manager_after, options)
    problems.sort(key=lambda p: (p.row, p.column, p.message))
    return ImportPlan(
        rows=rows, problems=problems, warnings=[], changes=changes, teams_to_create=teams_to_create
    )


def _cycle_problems(
    in_file: dict[str, PersonRow], manager_after: dict[str, str | None], active_after: set[str]
) -> list[Problem]:
    problems: list[Problem] = []
    state: dict[str, int] = {}  # 1 = on the current path, 2 = known to reach a root
    for start in sorted(manager_after):
        path: list[str] = []
        node: str | None = start
        while node is not None and node in active_after and state.get(node) is None:
            state[node] = 1
            path.append(node)
            node = manager_after.get(node)
        if node is not None and state.get(node) == 1:  # came back onto this path: a cycle
            loop = path[path.index(node) :]
            described = " -> ".join([*loop, node])
            for email in loop:
                if email in in_file:
                    problems.append(
                        Problem(in_file[email].row, "manager_email", f"manager cycle: {described}")
                    )
        for email in path:
            state[email] = 2
    return problems


def _second_root_problems(
    in_file: dict[str, PersonRow],
    existing: dict[str, Existing],
    manager_after: dict[str, str | None],
    active_after: set[str],
) -> list[Problem]:
    """A root is the top of a reporting tree: an active person without a manager whom the file
    puts at the top (an empty manager_email cell) or who has someone reporting to them, both
    after the import. Someone with no manager and no reports (the admin `create-tenant` made,
    or a person added without a manager) is unplaced, not a second top: they do not count."""
    heads = {manager for email, manager in manager_after.items() if manager and email in active_after}
    roots = [
        email
        for email in active_after
        if not manager_after.get(email)
        and (email in heads or (email in in_file and in_file[email].manager_email == ""))
    ]
    if len(roots) < 2:
        return []
    heads_before = {p.manager_email for p in existing.values() if p.is_active and p.manager_email}
    # Whoever heads a tree already comes first, then people not in the file (the file puts
    # people under them), then the file's roots by row: the first is the organisation's top.
    roots.sort(key=lambda e: (e not in heads_before, e in in_file, in_file[e].row if e in in_file else 0, e))
    top = roots[0]
    where = f"row {in_file[top].row}" if top in in_file else "already in Tandem"
    problems = []
    for email in roots[1:]:
        if email in in_file:
            problems.append(
                Problem(
                    in_file[email].row,
                    "manager_email",
                    f"a second root: {email} has no manager but {top} ({where}) is already the top "
                    "of the organisation; set manager_email or allow several roots",
                )
            )
            continue
        # Not in the file: a second tree only if the file puts people under them.
        for person in in_file.values():
            if person.manager_email == email:
                problems.append(
                    Problem(
                        person.row,
                        "manager_email",
                        f"a second root: {email} has no manager, so reporting to them starts a second "
                        f"tree beside the one {top} ({where}) is the top of; give {email} a manager "
                        "in the file, or allow several roots",
                    )
                )
    return problems


def _self_protection_problems(
    in_file: dict[str, PersonRow],
    existing: dict[str, Existing],
    options: ImportOptions,
    actor_email: str | None,
) -> list[Problem]:
    if actor_email is None:
        return []
    problems: list[Problem] = []
    if options.deactivate_missing and actor_email not in in_file:
        problems.append(
            Problem(
                0,
                "email",
                f"the file does not include you ({actor_email}); "
                "with deactivate-missing it would deactivate your own account",
            )
        )
    mine = in_file.get(actor_email)
    if (
        mine
        and mine.role == EMPLOYEE
        and existing.get(actor_email)
        and existing[actor_email].role == HR_ADMIN
    ):
        problems.append(Problem(mine.row, "role", "you cannot remove your own hr_admin role"))
    return problems


def _last_admin_problems(
    in_file: dict[str, PersonRow], existing: dict[str, Existing], active_after: set[str]
) -> list[Problem]:
    """Whoever runs it (an HR admin, or the operator on the command line), an import must not
    leave an organisation that has an active HR admin without one: nobody could manage it."""
    admins_before = sorted(e for e, p in existing.items() if p.is_active and p.role == HR_ADMIN)
    if not admins_before:
        return []

    def role_after(email: str) -> str:
        row = in_file.get(email)
        if row is not None and row.role is not None:
            return row.role
        return existing[email].role if email in existing else EMPLOYEE

    if any(role_after(email) == HR_ADMIN for email in active_after):
        return []
    how = [
        f"{email} would be deactivated (not in the file)"
        if email not in active_after
        else f"{email} would become {role_after(email)} (row {in_file[email].row})"
        for email in admins_before
    ]
    return [
        Problem(
            0,
            "role",
            "after this import the organisation would have no active HR admin: "
            f"{'; '.join(how)}; keep at least one person with the role hr_admin",
        )
    ]


def _changes(
    in_file: dict[str, PersonRow],
    existing: dict[str, Existing],
    existing_teams: Iterable[str],
    manager_after: dict[str, str | None],
    options: ImportOptions,
) -> tuple[list[Change], list[str]]:
    team_names = {name.lower(): name for name in existing_teams}
    teams_to_create: list[str] = []
    changes: list[Change] = []

    def team_name(raw: str) -> str:
        key = raw.lower()
        if key not in team_names:
            team_names[key] = raw
            teams_to_create.append(raw)
        return team_names[key]

    for person in in_file.values():
        team = team_name(person.team) if person.team else (person.team if person.team is not None else None)
        before = existing.get(person.email)
        if before is None:
            changes.append(
                Change(
                    person.row,
                    person.email,
                    "create",
                    {
                        "name": [None, person.name],
                        "title": [None, person.title or ""],
                        "team": [None, team or None],
                        "manager_email": [None, manager_after.get(person.email)],
                        "role": [None, person.role or EMPLOYEE],
                    },
                )
            )
            continue
        wanted = {"name": person.name, "manager_email": manager_after.get(person.email)}
        if person.title is not None:
            wanted["title"] = person.title
        if person.team is not None:
            wanted["team"] = team or None
        if person.role is not None:
            wanted["role"] = person.role
        fields = {
            key: [getattr(before, key), value]
            for key, value in wanted.items()
            if getattr(before, key) != value
        }
        if not before.is_active:
            changes.append(Change(person.row, person.email, "reactivate", fields))
        elif fields:
            changes.append(Change(person.row, person.email, "update", fields))
        else:
            changes.append(Change(person.row, person.email, "unchanged"))
    if options.deactivate_missing:
        for email in sorted(existing):
            if email not in in_file and existing[email].is_active:
                changes.append(Change(0, email, "deactivate"))
    return changes, teams_to_create
