"""Mentoring: programmes, mentor profiles with skills (~12% of people), open and matched requests,
invitations, active/paused/completed mentorships within mentors' capacity, sessions and a match run."""

from __future__ import annotations

import uuid
from datetime import datetime, timedelta
from typing import Any

from ..mentoring.models import (
    Invitation,
    MatchProposal,
    MatchRun,
    MentoringRequest,
    MentoringSession,
    MentorProfile,
    Mentorship,
    MentorSkill,
    Programme,
)
from .goals import GoalBook
from .people import Org, Person
from .randomness import Clock, Stream, write
from .skill_list import AVAILABILITY, MENTOR_TOPICS
from .skills import SkillBook

SESSION_NOTES = (
    (
        "Talked through the next career step and what it asks for.",
        ["Draft a growth plan", "Book a follow-up"],
    ),
    ("Reviewed a design doc together.", ["Share the doc with the team"]),
    ("Practised the quarterly presentation.", ["Cut the deck to ten slides"]),
    ("Went through a difficult conversation role-play.", ["Have the conversation this week"]),
    ("Mapped the stakeholders of the new project.", []),
)


class _Mentoring:
    def __init__(
        self, org: Org, book: SkillBook, goals: GoalBook, tenant_id: uuid.UUID, clock: Clock, stream: Stream
    ):
        self.org, self.book, self.goals, self.tenant_id, self.clock, self.stream = (
            org,
            book,
            goals,
            tenant_id,
            clock,
            stream,
        )
        self.rng = stream.rng
        self.programmes: list[dict[str, Any]] = []
        self.profiles: list[dict[str, Any]] = []
        self.mentor_skills: list[dict[str, Any]] = []
        self.requests: list[dict[str, Any]] = []
        self.invitations: list[dict[str, Any]] = []
        self.mentorships: list[dict[str, Any]] = []
        self.sessions: list[dict[str, Any]] = []
        self.offers: dict[int, list[tuple[str, int]]] = {}
        self.places: dict[int, int] = {}

    def row(self, **values: Any) -> dict[str, Any]:
        return {"id": self.stream.uuid(), "tenant_id": self.tenant_id, **values}

    def programmes_for(self) -> None:
        hr = self.org.people[self.org.hr_admin]
        for name, start, end in (("Emerging leaders", -60, 120), ("New joiner buddies", -200, -20)):
            created = self.clock.at(self.clock.day(start - 14))
            self.programmes.append(
                self.row(
                    name=f"{name} {self.clock.day(start).year}",
                    description=f"{name}: a mentoring cohort",
                    starts_on=self.clock.day(start),
                    ends_on=self.clock.day(end),
                    created_by_id=hr.id,
                    created_at=created,
                    updated_at=created,
                )
            )

    def mentors(self) -> None:
        rng = self.rng
        for p in self.org.people:
            strengths = self.book.strengths.get(p.index, [])
            if not p.active or not strengths:
                continue
            odds = 0.25 if p.seniority >= 3 or p.reports else 0.06
            if rng.random() > odds:
                continue
            created = max(p.joined, self.clock.ago(rng.randint(5, 600)))
            capacity = rng.choice([1, 1, 2, 2, 2, 3, 4])
            profile = self.row(
                user_id=p.id,
                is_open=rng.random() > 0.1,
                capacity=capacity,
                topics=sorted(rng.sample(MENTOR_TOPICS, rng.randint(1, 3))),
                availability=rng.choice(AVAILABILITY),
                created_at=created,
                updated_at=created,
            )
            self.profiles.append(profile)
            offered = strengths[: rng.randint(2, 4)]
            self.offers[p.index] = offered
            self.places[p.index] = capacity
            self.mentor_skills += [
                self.row(profile_id=profile["id"], skill_id=self.book.ids[key], level=level)
                for key, level in offered
            ]

    def pick_mentor(self, mentee: Person) -> int | None:
        rng = self.rng
        candidates = list(self.places)
        for _ in range(12):
            mentor = rng.choice(candidates)
            if mentor != mentee.index and mentor != mentee.manager and self.places[mentor] > 0:
                return mentor
        return None

    def request(self, mentee: Person, mentor: int | None, status: str, created: datetime) -> dict[str, Any]:
        rng = self.rng
        offered = self.offers.get(mentor, []) if mentor is not None else []
        wanted = offered[:2] or [
            (k, 3) for k in (self.book.gaps.get(mentee.index) or self.book.pool(mentee.dept))[:2]
        ]
        growth = self.goals.growth.get(mentee.index)
        programme = self.programmes[0]["id"] if rng.random() < 0.3 else None
        request = self.row(
            mentee_id=mentee.id,
            programme_id=programme,
            status=status,
            needs={str(self.book.ids[k]): max(1, min(5, level - rng.choice([0, 1]))) for k, level in wanted},
            goal_ids=[str(growth)] if growth else [],
            topics=sorted(rng.sample(MENTOR_TOPICS, rng.randint(1, 2))),
            preferred_mentor_ids=[],
            note=rng.choice(["", "I would like to grow into a lead role.", "New to the team."]),
            created_at=created,
            updated_at=created,
        )
        self.requests.append(request)
        return request

    def invitation(
        self,
        request: dict[str, Any],
        mentee: Person,
        mentor: int,
        status: str,
        created: datetime,
        answered: datetime | None,
    ) -> dict[str, Any]:
        reasons = [
            f"Offers {self.book.names[k]} at level {level}" for k, level in self.offers.get(mentor, [])[:2]
        ]
        row = self.row(
            request_id=request["id"],
            mentee_id=mentee.id,
            mentor_id=self.org.people[mentor].id,
            proposal_id=None,
            status=status,
            score=round(self.rng.uniform(0.4, 0.95), 3),
            reasons=reasons,
            expires_at=created + timedelta(days=14),
            answered_at=answered,
            created_at=created,
            updated_at=answered or created,
        )
        self.invitations.append(row)
        return row

    def pairs(self) -> None:
        rng, clock, people = self.rng, self.clock, self.org.people
        if not self.places:
            return
        for mentee in people:
            if not mentee.active or mentee.index == self.org.root:
                continue
            roll = rng.random()
            if roll < 0.055:
                self.mentorship(mentee, "active" if rng.random() < 0.92 else "paused")
            elif roll < 0.085:
                self.mentorship(mentee, "completed")
            elif roll < 0.125:
                created = max(mentee.joined, clock.ago(rng.randint(1, 40)))
                mentor = self.pick_mentor(mentee) if rng.random() < 0.5 else None
                request = self.request(mentee, mentor, "open", created)
                if mentor is not None:
                    status = rng.choice(["pending", "pending", "declined", "expired"])
                    answered = None if status == "pending" else created + timedelta(days=rng.randint(1, 14))
                    if status == "pending" and (clock.morning - created).days >= 14:
                        status, answered = "expired", created + timedelta(days=14)
                    self.invitation(request, mentee, mentor, status, created, answered)
            elif roll < 0.135:
                created = max(mentee.joined, clock.ago(rng.randint(30, 300)))
                request = self.request(mentee, None, "withdrawn", created)
                request["updated_at"] = created + timedelta(days=rng.randint(1, 20))

    def mentorship(self, mentee: Person, status: str) -> None:
        rng, clock = self.rng, self.clock
        mentor = self.pick_mentor(mentee)
        if mentor is None:
            return
        mentor_p = self.org.people[mentor]
        if status == "completed":
            started = max(mentee.joined, mentor_p.joined, clock.ago(rng.randint(200, 500)))
            ended: datetime | None = min(
                clock.morning - timedelta(days=1), started + timedelta(days=rng.randint(60, 180))
            )
            ended = max(ended, started)  # someone who joined yesterday ended it the same day
        else:
            started = max(mentee.joined, mentor_p.joined, clock.ago(rng.randint(10, 200)))
            ended = None
            self.places[mentor] -= 1  # active and paused mentorships hold one of the mentor's places
        asked = started - timedelta(days=rng.randint(1, 10))
        request = self.request(mentee, mentor, "matched", asked)
        request["updated_at"] = started
        self.invitation(request, mentee, mentor, "accepted", asked, started)
        row = self.row(
            mentee_id=mentee.id,
            mentor_id=mentor_p.id,
            request_id=request["id"],
            status=status,
            goal_ids=list(request["goal_ids"]),
            started_at=started,
            ended_at=ended,
            ended_by_id=rng.choice([mentee.id, mentor_p.id]) if ended else None,
            rating=rng.choice([None, 3, 4, 4, 5, 5]) if ended else None,
            created_at=started,
            updated_at=ended or started,
        )
        self.mentorships.append(row)
        last = (ended or clock.morning).date()
        day = started.date() + timedelta(days=rng.randint(3, 14))
        while day < last:
            notes, actions = rng.choice(SESSION_NOTES)
            at = clock.at(day, rng.randint(0, 480))
            self.sessions.append(
                self.row(
                    mentorship_id=row["id"],
                    held_on=day,
                    notes=notes,
                    actions=list(actions),
                    created_by_id=rng.choice([mentee.id, mentor_p.id]),
                    created_at=at,
                    updated_at=at,
                )
            )
            day += timedelta(days=rng.choice([14, 21, 28, 35]))

    def match_run(self) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
        """The latest batch match for the leaders' programme: proposals waiting for HR."""
        programme = self.programmes[0]
        waiting = [r for r in self.requests if r["status"] == "open" and r["programme_id"] == programme["id"]]
        if not waiting or not self.places:
            return [], []
        hr = self.org.people[self.org.hr_admin]
        run = self.row(
            programme_id=programme["id"],
            job_run_id=None,
            created_by_id=hr.id,
            created_at=self.clock.ago(2),
            summary={},
        )
        proposals = []
        people_by_id = {p.id: p for p in self.org.people}
        for request in waiting[:40]:
            mentor = self.pick_mentor(people_by_id[request["mentee_id"]])
            if mentor is None:
                continue
            proposals.append(
                self.row(
                    match_run_id=run["id"],
                    request_id=request["id"],
                    mentor_id=self.org.people[mentor].id,
                    score=round(self.rng.uniform(0.5, 0.95), 3),
                    reasons=[f"Offers {self.book.names[k]}" for k, _l in self.offers[mentor][:2]],
                    status=self.rng.choice(["proposed", "proposed", "approved", "rejected"]),
                )
            )
        run["summary"] = {
            "requests": len(waiting[:40]),
            "proposed": len(proposals),
            "total_score": round(sum(p["score"] for p in proposals), 3),
            "unmatched": [],
        }
        return [run], proposals


def write_mentoring(
    org: Org, book: SkillBook, goals: GoalBook, tenant_id: uuid.UUID, clock: Clock, stream: Stream
) -> dict[str, int]:
    m = _Mentoring(org, book, goals, tenant_id, clock, stream)
    m.programmes_for()
    m.mentors()
    m.pairs()
    runs, proposals = m.match_run()
    return {
        "mentoring_programmes": write(Programme, m.programmes),
        "mentor_profiles": write(MentorProfile, m.profiles),
        "mentor_skills": write(MentorSkill, m.mentor_skills),
        "mentoring_requests": write(MentoringRequest, m.requests),
        "mentoring_match_runs": write(MatchRun, runs),
        "mentoring_proposals": write(MatchProposal, proposals),
        "mentoring_invitations": write(Invitation, m.invitations),
        "mentorships": write(Mentorship, m.mentorships),
        "mentoring_sessions": write(MentoringSession, m.sessions),
    }
