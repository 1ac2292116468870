"""One organisation's dashboard build: read everything with the set-based queries, add up every
group in one sparse product, and return the snapshot rows (the job writes them)."""

from __future__ import annotations

import contextvars
import uuid
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import numpy as np
from sqlalchemy.orm import Session

from tandem.dashboards.models import MANAGER, TEAM, TENANT
from tandem.feedback import results
from tandem.feedback.requests import result_questions

from . import figures, payloads, queries
from .aggregation import NONE, Frame, Tree, groups_of, publishable_subtrees

Progress = Callable[[int], None]


@dataclass(frozen=True)
class Snapshot:
    scope: str
    subject_id: uuid.UUID
    payload: dict[str, Any]


def build(
    session: Session,
    tenant_id: uuid.UUID,
    now: datetime,
    thresholds: results.Thresholds,
    progress: Progress,
    readers: Sequence[Session] = (),
) -> tuple[list[Snapshot], dict[str, Any]]:
    """Every snapshot of the organisation (the organisation, each manager, each team) and the
    `source` record saying what they were built from.

    `readers` are sessions reading the same snapshot of the database as `session` on connections
    of their own (the job opens them on PostgreSQL): the slowest queries run on them in threads,
    one reader each, while this one reads and adds up the rest. Without readers they run here."""
    window = figures.Window(now)
    released_since = window.days_ago(figures.RELEASED_DAYS)
    with _Ahead(session, readers) as ahead:
        released = ahead.start(0, queries.released_responses, released_since, window.today)
        check_ins = ahead.start(0, queries.check_in_weeks, now, figures.WEEKS)
        goals = ahead.start(1, queries.goals, window.since(7 * figures.WEEKS))
        needs = ahead.start(1, queries.skill_needs)
        people = queries.people(session)
        teams = queries.teams(session)
        tree = Tree.build([(p[0], p[1], p[2]) for p in people], [t[0] for t in teams])
        names = {p[0]: p[3] for p in people}
        team_names = {t[0]: t[1] for t in teams}
        columns = figures.Columns(len(tree))
        active = figures.people_columns(columns, tree, people, window)
        cycles = figures.feedback_columns(
            columns,
            tree,
            queries.feedback_requests(session, window.since(figures.FEEDBACK_DAYS)),
            queries.open_cycles(session, window.today),
            active,
        )
        figures.learning_columns(
            columns,
            tree,
            queries.learning(session, window.today, window.days_ago(-figures.EXPIRY_DAYS)),
            queries.learning_completed_weeks(session, window.days_ago(7 * figures.WEEKS), window.today),
            window,
            active,
        )
        figures.mentoring_columns(
            columns,
            tree,
            queries.mentorships(session, window.since(7 * figures.WEEKS)),
            queries.mentoring_open_requests(session),
            queries.mentor_profiles(session),
            window,
            active,
        )
        source = {"as_of": now.isoformat(), "rows": queries.row_counts(session)}
        skill_names = queries.skill_names(session)
        progress(30)
        scores = figures.competency_scores(
            tree,
            queries.released_requests(session, released_since, window.today),
            released(),
            result_questions,
            active,
        )
        progress(45)
        figures.goal_columns(columns, tree, goals(), window, active)
        figures.check_in_columns(columns, tree, check_ins(), window, active)
        gaps = figures.skill_gaps(tree, needs(), active)
    progress(60)
    assembled = _assemble(
        tenant_id,
        tree,
        names,
        team_names,
        columns,
        cycles,
        scores,
        gaps,
        skill_names,
        window,
        thresholds,
    )
    progress(80)
    return assembled, source


class _Ahead:
    """Queries started early on reader sessions, each reader in a thread of its own running what
    it is given in order; without readers, a query runs on the build's session when first asked
    for. Each query runs in a copy of the caller's context (the bound organisation)."""

    def __init__(self, session: Session, readers: Sequence[Session]) -> None:
        self.session = session
        self.readers = list(readers)
        self.lanes = [
            ThreadPoolExecutor(max_workers=1, thread_name_prefix="dashboards-read") for _ in readers
        ]

    def start(self, lane: int, query: Callable[..., Any], *args: Any) -> Callable[[], Any]:
        """`query(session, *args)` on reader `lane` (modulo their number); returns its result getter."""
        if not self.lanes:
            done: list[Any] = []

            def when_asked() -> Any:
                if not done:
                    done.append(query(self.session, *args))
                return done[0]

            return when_asked
        lane %= len(self.lanes)
        future = self.lanes[lane].submit(contextvars.copy_context().run, query, self.readers[lane], *args)
        return future.result

    def __enter__(self) -> _Ahead:
        return self

    def __exit__(self, *exc: object) -> None:
        for lane in self.lanes:
            lane.shutdown(wait=True, cancel_futures=True)


def _assemble(
    tenant_id: uuid.UUID,
    tree: Tree,
    names: dict[Any, str],
    team_names: dict[Any, str],
    columns: figures.Columns,
    cycles: list[str],
    scores: figures.CompetencyScores,
    gaps: figures.SkillGaps,
    skill_names: dict[Any, str],
    window: figures.Window,
    thresholds: results.Thresholds,
) -> list[Snapshot]:
    frame = Frame.from_columns(len(tree), columns.data)
    groups = groups_of(tree)
    subtree, branch = frame.sums(groups.subtree), frame.sums(groups.branch)
    team_sums, manager_team, everyone = (
        frame.sums(groups.team),
        frame.sums(groups.manager_team),
        frame.sums(groups.everyone),
    )
    branch_rows = payloads.headline_rows(branch)
    manager_team_rows = payloads.headline_rows(manager_team)
    week_ends = window.week_ends()
    min_people, min_responses = thresholds.peer, thresholds.all_but_self

    subjects = (scores.answers > 0).astype(np.float64)
    shown_subtree = (
        np.column_stack(
            [
                publishable_subtrees(
                    tree,
                    subjects[:, c],
                    scores.answers[:, c],
                    min_people=min_people,
                    min_responses=min_responses,
                )
                for c in range(len(scores.competencies))
            ]
        )
        if scores.competencies
        else np.zeros((len(tree), 0), dtype=bool)
    )

    def extras(matrix: Any) -> tuple[np.ndarray, np.ndarray, np.ndarray, Any, Any]:
        """One product per matrix for all its groups: feedback sums and skill-gap counts (the
        sparse ones as plain lists, read a row at a time: scipy's row indexing costs more)."""
        return (
            np.asarray(matrix @ scores.sums),
            np.asarray(matrix @ scores.answers),
            np.asarray(matrix @ subjects),
            _csr_lists(matrix @ gaps.has_gap),
            _csr_lists(matrix @ gaps.size),
        )

    def feedback_of(pre: tuple[Any, ...], g: int, shown: np.ndarray | None) -> tuple[dict[str, Any], int]:
        score_sums, answer_sums, subject_sums = pre[0][g], pre[1][g], pre[2][g]
        if shown is None:  # organisation and team dashboards: HR admins only, thresholds only
            shown = (subject_sums >= min_people) & (answer_sums >= min_responses)
        return payloads.feedback_scores_table(
            scores.competencies,
            score_sums.tolist(),
            answer_sums.tolist(),
            subject_sums.tolist(),
            shown.tolist(),
        )

    # Skills by their id's text: the table shows it and top_k breaks ties on it, and turning a
    # UUID into text thousands of times over was half the cost of these tables.
    skill_keys = [str(skill) for skill in gaps.skills]
    names_by_key = {str(skill): name for skill, name in skill_names.items()}

    def gaps_of(pre: tuple[Any, ...], g: int) -> dict[str, Any]:
        people = {skill_keys[j]: v for j, v in _csr_row(pre[3], g)}
        sizes = {skill_keys[j]: v for j, v in _csr_row(pre[4], g)}
        return payloads.skill_gaps_table(people, sizes, names_by_key)

    def payload(
        kind: str,
        subject: Any,
        name: str,
        row: dict[str, float],
        trends: dict[str, Any],
        fb: tuple[dict[str, Any], int],
        gap_table: dict[str, Any],
        breakdowns: dict[str, Any],
    ) -> dict[str, Any]:
        body = payloads.sections(row, cycles)
        body["feedback"]["anonymity"] = {
            "min_people": min_people,
            "min_answers": min_responses,
            "held_back": fb[1],
        }
        return {
            "scope": {"kind": kind, "id": str(subject), "name": name},
            **body,
            "tables": {
                **breakdowns,
                "trends": trends,
                "skill_gaps": gap_table,
                "feedback_scores": fb[0],
            },
        }

    kids = tree.children()
    pairs_of: dict[int, list[int]] = {}
    for k, (m, _t) in enumerate(groups.manager_team_keys):
        pairs_of.setdefault(m, []).append(k)
    headcount = (
        subtree.values[:, subtree.columns.index("headcount")]
        if "headcount" in subtree.columns
        else np.zeros(len(tree))
    )
    active = columns["headcount"]
    # Each person's and team's id as text and name, by index, made once (UUIDs hash and print
    # in Python: looking them up again for every breakdown row they appear in added up).
    id_text, name_at = [str(i) for i in tree.ids], [names[i] for i in tree.ids]
    team_text, team_name_at = [str(t) for t in tree.team_ids], [team_names[t] for t in tree.team_ids]

    def by_report(children: list[int]) -> dict[str, Any]:
        rows = [
            {"id": id_text[c], "name": name_at[c], **branch_rows[c]}
            for c in sorted(children, key=lambda c: (name_at[c], id_text[c]))
            if branch_rows[c]["headcount"] > 0
        ]
        return payloads.breakdown_table(("name", "Direct report (and their people)"), rows)

    def by_team(keys: list[int]) -> dict[str, Any]:
        rows = [
            {"id": team_text[t], "name": team_name_at[t], **manager_team_rows[k]}
            for k in keys
            for _m, t in [groups.manager_team_keys[k]]
            if manager_team_rows[k]["headcount"] > 0
        ]
        rows.sort(key=lambda r: (r["name"], r["id"]))
        return payloads.breakdown_table(("name", "Team"), rows)

    pre_everyone, pre_subtree, pre_team = extras(groups.everyone), extras(groups.subtree), extras(groups.team)
    snapshots = []
    roots = [i for i in range(len(tree)) if tree.parent[i] == NONE and active[i]]
    top = kids[roots[0]] if len(roots) == 1 else roots
    everyone_row = everyone.row(0)
    everyone_teams = payloads.headline_rows(team_sums)
    team_rows = [
        {"id": team_text[t], "name": team_name_at[t], **everyone_teams[t]}
        for t in range(len(tree.team_ids))
        if everyone_teams[t]["headcount"] > 0
    ]
    team_rows.sort(key=lambda r: (r["name"], r["id"]))
    snapshots.append(
        Snapshot(
            TENANT,
            tenant_id,
            payload(
                TENANT,
                tenant_id,
                "Whole organisation",
                everyone_row,
                payloads.trends_tables(everyone, week_ends, [0])[0],
                feedback_of(pre_everyone, 0, None),
                gaps_of(pre_everyone, 0),
                {
                    "by_report": by_report(top),
                    "by_team": payloads.breakdown_table(("name", "Team"), team_rows),
                },
            ),
        )
    )
    managers = [m for m in range(len(tree)) if active[m] and headcount[m] > 0]
    for m, trends in zip(managers, payloads.trends_tables(subtree, week_ends, managers), strict=True):
        snapshots.append(
            Snapshot(
                MANAGER,
                tree.ids[m],
                payload(
                    MANAGER,
                    tree.ids[m],
                    name_at[m],
                    subtree.row(m),
                    trends,
                    feedback_of(pre_subtree, m, shown_subtree[m]),
                    gaps_of(pre_subtree, m),
                    {"by_report": by_report(kids[m]), "by_team": by_team(pairs_of.get(m, []))},
                ),
            )
        )
    team_trends = payloads.trends_tables(team_sums, week_ends, range(len(tree.team_ids)))
    for t, team_id in enumerate(tree.team_ids):
        snapshots.append(
            Snapshot(
                TEAM,
                team_id,
                payload(
                    TEAM,
                    team_id,
                    team_names[team_id],
                    team_sums.row(t),
                    team_trends[t],
                    feedback_of(pre_team, t, None),
                    gaps_of(pre_team, t),
                    {},
                ),
            )
        )
    return snapshots


def _csr_lists(matrix: Any) -> tuple[list[int], list[int], list[float]]:
    """A sparse matrix's rows as CSR lists: (row starts, column indices, values)."""
    matrix = matrix.tocsr()
    return matrix.indptr.tolist(), matrix.indices.tolist(), matrix.data.tolist()


def _csr_row(lists: tuple[list[int], list[int], list[float]], g: int) -> zip[tuple[int, float]]:
    """(column, value) of row g's stored entries, in stored order, as `matrix[g]` holds them."""
    starts, indices, values = lists
    return zip(indices[starts[g] : starts[g + 1]], values[starts[g] : starts[g + 1]], strict=True)
