"""The set-based SQL behind a dashboard build: a fixed handful of statements per organisation,
none per manager or per person. Each returns plain rows; reports.figures turns them into
per-person columns.

Every statement selects ORM-mapped columns, so the tenancy hook scopes it to the bound
organisation like any other query (subqueries included)."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import UTC, date, datetime, time
from typing import Any

import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import aggregate_order_by
from sqlalchemy.orm import Session

from tandem.feedback.models import (
    CLOSED,
    FeedbackCycle,
    FeedbackInvitation,
    FeedbackRequest,
    FeedbackResponse,
)
from tandem.goals.models import CheckIn, Goal
from tandem.learning.models import (
    CareerPath,
    GoalSkill,
    LearningItem,
    LearningPlan,
    PersonSkill,
    RoleProfile,
    RoleRequirement,
    Skill,
)
from tandem.mentoring.models import MentoringRequest, MentorProfile, Mentorship
from tandem.people.models import Team, User

WEEK_SECONDS = 7 * 24 * 3600


def _rows(session: Session, stmt: sa.Select[Any], *order_by: Any) -> Sequence[Any]:
    """The rows of `stmt` (in `order_by` order, when given) as tuples.

    On PostgreSQL they travel as one row of column arrays (`array_agg` of each column, all over
    the same rows in the same order), unzipped here: the ORM's per-row result handling cost more
    than the query itself for the tens of thousands of rows a build reads, and the statement
    still goes through the session, so the tenancy hook scopes it as any other."""
    if session.get_bind().dialect.name != "postgresql":
        return session.execute(stmt.order_by(*order_by) if order_by else stmt).all()
    inner = stmt.subquery()
    order = [inner.c[c.key] for c in order_by]
    arrays = session.execute(
        sa.select(*(sa.func.array_agg(aggregate_order_by(c, *order) if order else c) for c in inner.c))
    ).one()
    if arrays[0] is None:  # no rows: array_agg of nothing is NULL
        return []
    return list(zip(*arrays, strict=True))


def weeks_before(session: Session, column: Any, end: datetime) -> Any:
    """Whole weeks between a timestamp column and `end` (0: the week ending at `end`)."""
    if session.get_bind().dialect.name == "postgresql":
        # date_part is double precision; extract() is numeric, several times slower per row. A
        # timestamp difference is whole microseconds, so the floor is the same either way.
        seconds = sa.func.date_part("epoch", sa.literal(end) - column, type_=sa.Float)
        return sa.cast(sa.func.floor(seconds / sa.literal(float(WEEK_SECONDS), sa.Float)), sa.Integer)
    # SQLite (the demo): julian days; timestamps are stored as ISO text.
    return sa.cast(
        (sa.func.julianday(sa.literal(end.isoformat(" "))) - sa.func.julianday(column)) / 7, sa.Integer
    )


def people(session: Session) -> Sequence[Any]:
    """(id, manager_id, team_id, name, is_active, created_at, deactivated_at) for everyone."""
    return _rows(
        session,
        sa.select(
            User.id,
            User.manager_id,
            User.team_id,
            User.name,
            User.is_active,
            User.created_at,
            User.deactivated_at,
        ),
        User.name,
        User.id,
    )


def teams(session: Session) -> Sequence[Any]:
    return session.execute(sa.select(Team.id, Team.name).order_by(Team.name, Team.id)).all()


def goals(session: Session, milestones_since: datetime | None = None) -> Sequence[Any]:
    """Every goal the dashboards count (not private, not archived) with its latest check-in time:
    (owner_id, kind, status, progress, start_date, due_date, completed_at, smart, last_check_in).
    With `milestones_since`, milestones only when completed since then: the figures count nothing
    else of a milestone, and open milestones are a third of all goals."""
    last = (
        sa.select(CheckIn.goal_id, sa.func.max(CheckIn.at).label("last_at"))
        .group_by(CheckIn.goal_id)
        .subquery()
    )
    columns = (
        Goal.owner_id,
        Goal.kind,
        Goal.status,
        Goal.progress,
        Goal.start_date,
        Goal.due_date,
        Goal.completed_at,
    )
    where = [Goal.visibility != "private", Goal.archived_at.is_(None)]
    if milestones_since is not None:
        where.append(
            sa.or_(
                Goal.kind != "milestone",
                sa.and_(Goal.status == "completed", Goal.completed_at >= milestones_since),
            )
        )
    if session.get_bind().dialect.name != "postgresql":
        return _rows(
            session,
            sa.select(*columns, Goal.smart, last.c.last_at)
            .outerjoin(last, last.c.goal_id == Goal.id)
            .where(*where),
        )
    # Only the SMART score is read. The whole check (criteria, labels, hints) is ~450 bytes of
    # JSON per goal, and decoding it was most of this query's time: the score comes as a number
    # (a JSON number, or a boolean as 0/1, as Python would add them up; anything else as None).
    score = Goal.smart["score"]
    kind = sa.func.json_typeof(score)
    number = sa.case(
        (kind == "number", score.as_float()),
        (kind == "boolean", sa.cast(score.as_boolean(), sa.Integer)),
        else_=None,
    )
    rows = _rows(
        session,
        sa.select(*columns, number.label("smart_score"), last.c.last_at)
        .outerjoin(last, last.c.goal_id == Goal.id)
        .where(*where),
    )
    return [(*row[:7], {"score": row[7]}, row[8]) for row in rows]


def check_in_weeks(session: Session, end: datetime, oldest: int | None = None) -> Sequence[Any]:
    """Per (owner, weeks before `end`): check-ins, goals checked in for the first time, and the sum
    of progress changes (each check-in's progress minus the goal's previous check-in's): summed
    over all weeks up to one, the owner's total of latest recorded progress at that week's end.
    With `oldest`, check-ins `oldest` or more weeks old share one bucket, `oldest`: the figures
    only add those up (before the trend window), and per week they were most of the rows."""
    # The window runs over check-ins alone (each one's week worked out once, there); the goals'
    # filter applies after it, which changes nothing since the window is per goal.
    week = weeks_before(session, CheckIn.at, end)
    if oldest is not None:  # least() is PostgreSQL's; SQLite's two-argument min() is the same
        cap = sa.func.least if session.get_bind().dialect.name == "postgresql" else sa.func.min
        week = cap(week, oldest)
    # One lag() per check-in: progress is never NULL, so no previous progress means no previous
    # check-in of the goal.
    ordered = (
        sa.select(
            CheckIn.goal_id.label("goal_id"),
            week.label("week"),
            CheckIn.progress.label("progress"),
            sa.func.lag(CheckIn.progress)
            .over(partition_by=CheckIn.goal_id, order_by=(CheckIn.at, CheckIn.id))
            .label("previous"),
        )
        .where(CheckIn.at <= end)
        .subquery()
    )
    return _rows(
        session,
        sa.select(
            Goal.owner_id,
            ordered.c.week,
            sa.func.count().label("check_ins"),
            sa.func.sum(sa.case((ordered.c.previous.is_(None), 1), else_=0)).label("firsts"),
            sa.func.sum(ordered.c.progress - sa.func.coalesce(ordered.c.previous, 0.0)).label("delta"),
        )
        .select_from(ordered)
        .join(Goal, Goal.id == ordered.c.goal_id)
        .where(Goal.visibility != "private", Goal.archived_at.is_(None))
        .group_by(Goal.owner_id, ordered.c.week),
    )


def feedback_requests(session: Session, since: datetime) -> Sequence[Any]:
    """Per subject: requests created since `since`, and their invitations that were sent (invited,
    submitted or declined) and submitted: (subject_id, requests, sent, submitted)."""
    invitations = (
        sa.select(
            FeedbackInvitation.request_id,
            sa.func.count()
            .filter(FeedbackInvitation.status.in_(("invited", "submitted", "declined")))
            .label("sent"),
            sa.func.count().filter(FeedbackInvitation.status == "submitted").label("submitted"),
        )
        .group_by(FeedbackInvitation.request_id)
        .subquery()
    )
    return session.execute(
        sa.select(
            FeedbackRequest.subject_id,
            sa.func.count(FeedbackRequest.id),
            sa.func.coalesce(sa.func.sum(invitations.c.sent), 0),
            sa.func.coalesce(sa.func.sum(invitations.c.submitted), 0),
        )
        .outerjoin(invitations, invitations.c.request_id == FeedbackRequest.id)
        .where(FeedbackRequest.created_at >= since)
        .group_by(FeedbackRequest.subject_id)
    ).all()


def open_cycles(session: Session, today: date) -> Sequence[Any]:
    """(subject_id, cycle_id) for every open request of an open cycle."""
    return session.execute(
        sa.select(FeedbackRequest.subject_id, FeedbackRequest.cycle_id)
        .join(FeedbackCycle, FeedbackCycle.id == FeedbackRequest.cycle_id)
        .where(FeedbackCycle.status == "open", FeedbackCycle.closes_on >= today)
        .distinct()
    ).all()


def _released(since: date, today: date) -> Any:
    """Closed on purpose since `since`, or past their last day since then."""
    return sa.or_(
        sa.and_(
            FeedbackRequest.status == CLOSED,
            FeedbackRequest.closed_at >= datetime.combine(since, time.min, UTC),
        ),
        sa.and_(FeedbackRequest.due_on < today, FeedbackRequest.due_on >= since),
    )


def released_requests(session: Session, since: date, today: date) -> Sequence[Any]:
    """Requests closed (on purpose, or past their last day) since `since`:
    (id, subject_id, template_id, thresholds)."""
    return session.execute(
        sa.select(
            FeedbackRequest.id,
            FeedbackRequest.subject_id,
            FeedbackRequest.template_id,
            FeedbackRequest.thresholds,
        ).where(_released(since, today))
    ).all()


def released_responses(session: Session, since: date, today: date) -> Sequence[Any]:
    """(request_id, relationship, answers) of the requests `released_requests` returns."""
    return session.execute(
        sa.select(FeedbackResponse.request_id, FeedbackResponse.relationship, FeedbackResponse.answers)
        .join(FeedbackRequest, FeedbackRequest.id == FeedbackResponse.request_id)
        .where(_released(since, today))
    ).all()


def learning(session: Session, today: date, expiring_by: date) -> Sequence[Any]:
    """Per plan owner: items planned, in progress, completed, overdue; hours planned and completed;
    completed certifications expiring between today and `expiring_by`."""
    item = LearningItem
    open_ = item.status.in_(("planned", "in_progress"))
    return _rows(
        session,
        sa.select(
            LearningPlan.owner_id,
            sa.func.count().filter(item.status == "planned"),
            sa.func.count().filter(item.status == "in_progress"),
            sa.func.count().filter(item.status == "completed"),
            sa.func.count().filter(open_, item.due_date < today),
            sa.func.coalesce(sa.func.sum(item.hours).filter(item.status != "dropped"), 0.0),
            sa.func.coalesce(sa.func.sum(item.hours).filter(item.status == "completed"), 0.0),
            sa.func.count().filter(
                item.kind == "certification",
                item.status == "completed",
                item.expires_on >= today,
                item.expires_on <= expiring_by,
            ),
        )
        .join(LearningPlan, LearningPlan.id == item.plan_id)
        .where(LearningPlan.status != "archived")
        .group_by(LearningPlan.owner_id),
    )


def learning_completed_weeks(session: Session, first_day: date, today: date) -> Sequence[Any]:
    """(owner_id, completed_on, items) for items completed between `first_day` and today."""
    return _rows(
        session,
        sa.select(LearningPlan.owner_id, LearningItem.completed_on, sa.func.count())
        .join(LearningPlan, LearningPlan.id == LearningItem.plan_id)
        .where(LearningItem.completed_on >= first_day, LearningItem.completed_on <= today)
        .group_by(LearningPlan.owner_id, LearningItem.completed_on),
    )


def skill_needs(session: Session) -> Sequence[Any]:
    """(person_id, skill_id, required level, self level, manager level) for every skill a person's
    role profile (assigned, else matched by job title), chosen next step or active goals ask for,
    at a level above the person's current one; the current level is worked out by
    learning.rules.current_level."""
    # The first active profile by name whose job title matches, as learning.catalogue picks it.
    ranked = (
        sa.select(
            User.id.label("person_id"),
            RoleProfile.id.label("profile_id"),
            sa.func.row_number()
            .over(partition_by=User.id, order_by=(RoleProfile.name, RoleProfile.id))
            .label("rank"),
        )
        .join(
            RoleProfile,
            sa.and_(
                sa.func.lower(RoleProfile.job_title) == sa.func.lower(sa.func.trim(User.title)),
                RoleProfile.is_active.is_(True),
            ),
        )
        .subquery()
    )
    title_match = sa.select(ranked.c.person_id, ranked.c.profile_id).where(ranked.c.rank == 1)
    title_match_sq = title_match.subquery()
    assigned = sa.select(CareerPath.person_id, CareerPath.role_profile_id.label("profile_id")).where(
        CareerPath.role_profile_id.is_not(None)
    )
    unassigned_titles = sa.select(title_match_sq.c.person_id, title_match_sq.c.profile_id).where(
        ~sa.exists().where(
            CareerPath.person_id == title_match_sq.c.person_id, CareerPath.role_profile_id.is_not(None)
        )
    )
    targets = sa.select(CareerPath.person_id, CareerPath.target_profile_id.label("profile_id")).where(
        CareerPath.target_profile_id.is_not(None)
    )
    profiles = sa.union_all(assigned, unassigned_titles, targets).subquery()
    from_profiles = sa.select(profiles.c.person_id, RoleRequirement.skill_id, RoleRequirement.level).join(
        RoleRequirement, RoleRequirement.role_profile_id == profiles.c.profile_id
    )
    from_goals = (
        sa.select(Goal.owner_id, GoalSkill.skill_id, GoalSkill.level)
        .join(Goal, Goal.id == GoalSkill.goal_id)
        .where(Goal.status.in_(("draft", "active")))
    )
    needs = sa.union_all(from_profiles, from_goals).subquery()
    required = (
        sa.select(needs.c.person_id, needs.c.skill_id, sa.func.max(needs.c.level).label("level"))
        .group_by(needs.c.person_id, needs.c.skill_id)
        .subquery()
    )
    return _rows(
        session,
        sa.select(
            required.c.person_id,
            required.c.skill_id,
            required.c.level,
            PersonSkill.self_level,
            PersonSkill.manager_level,
        )
        .outerjoin(
            PersonSkill,
            sa.and_(
                PersonSkill.person_id == required.c.person_id, PersonSkill.skill_id == required.c.skill_id
            ),
        )
        .join(Skill, sa.and_(Skill.id == required.c.skill_id, Skill.status == "active"))
        # Only needs not met yet: half the rows at 20,000 people, and the figures skip the rest.
        # The current level as learning.rules.current_level has it (the manager's assessment,
        # else the person's own, else 0); skill_gaps applies the rule itself to what is left.
        .where(
            required.c.level - sa.func.coalesce(PersonSkill.manager_level, PersonSkill.self_level, 0) >= 1
        ),
    )


def skill_names(session: Session) -> dict[uuid.UUID, str]:
    return dict(session.execute(sa.select(Skill.id, Skill.name)).all())


def mentorships(session: Session, since: datetime) -> Sequence[Any]:
    """(mentee_id, mentor_id, status, started_at, ended_at) of mentorships not ended before `since`."""
    return session.execute(
        sa.select(
            Mentorship.mentee_id,
            Mentorship.mentor_id,
            Mentorship.status,
            Mentorship.started_at,
            Mentorship.ended_at,
        ).where(sa.or_(Mentorship.ended_at.is_(None), Mentorship.ended_at >= since))
    ).all()


def mentoring_open_requests(session: Session) -> Sequence[Any]:
    """(mentee_id, open requests)."""
    return session.execute(
        sa.select(MentoringRequest.mentee_id, sa.func.count())
        .where(MentoringRequest.status == "open")
        .group_by(MentoringRequest.mentee_id)
    ).all()


def mentor_profiles(session: Session) -> Sequence[Any]:
    """(user_id, is_open, capacity) of every mentor profile."""
    return session.execute(
        sa.select(MentorProfile.user_id, MentorProfile.is_open, MentorProfile.capacity)
    ).all()


def row_counts(session: Session) -> dict[str, int]:
    """How much data a build read: shown with every snapshot ("built from")."""
    counted = {
        "people": User,
        "goals": Goal,
        "check_ins": CheckIn,
        "feedback_requests": FeedbackRequest,
        "learning_items": LearningItem,
        "mentorships": Mentorship,
    }
    selects = [
        sa.select(sa.func.count()).select_from(model).scalar_subquery().label(name)
        for name, model in counted.items()
    ]
    row = session.execute(sa.select(*selects)).one()
    return {name: int(value) for name, value in zip(counted, row, strict=True)}
