"""360 feedback: the default questionnaires, department cycles (closed and open) and ad-hoc requests,
invitations with a realistic mix of statuses under the reviewer cap, and anonymous responses."""

from __future__ import annotations

import uuid
from collections import Counter
from datetime import date, timedelta
from typing import Any

from ..feedback import templates
from ..feedback.models import (
    DIRECT_REPORT,
    MANAGER,
    OTHER,
    PEER,
    RATING,
    SELF,
    FeedbackCycle,
    FeedbackDraft,
    FeedbackInvitation,
    FeedbackQuestion,
    FeedbackRequest,
    FeedbackResponse,
    FeedbackTemplate,
)
from ..feedback.results import Thresholds
from ..feedback.services import DEFAULT_SETTINGS
from .people import Org, Person
from .randomness import Clock, Stream, write

MAX_SUBJECTS = 5000  # what launching a cycle allows
COMMENTS = (
    "Always explains the why behind a decision.",
    "Could share work in progress earlier.",
    "Great at unblocking others.",
    "Sometimes takes on too much alone.",
    "Calm and clear under pressure.",
    "I would like more written updates.",
    "Makes newcomers feel welcome.",
    "Keeps meetings short and useful.",
    "Could delegate more.",
    "Gives feedback that is kind and direct.",
)
DECLINE_REASONS = (
    "On leave for most of the cycle.",
    "I have not worked with them enough.",
    "Too many requests this month.",
)
# Final status odds of an invitation: (submitted, invited, declined) once a request is closed or open.
CLOSED_MIX = (0.8, 0.14, 0.06)
OPEN_MIX = (0.45, 0.5, 0.05)


class _Feedback:
    def __init__(self, org: Org, tenant_id: uuid.UUID, clock: Clock, stream: Stream) -> None:
        self.org, self.tenant_id, self.clock, self.stream = org, tenant_id, clock, stream
        self.rng = stream.rng
        self.thresholds = Thresholds.from_dict(None).as_dict()
        self.cap = DEFAULT_SETTINGS["max_requests_per_reviewer"]
        self.hr = org.people[org.hr_admin]
        self.templates: list[dict[str, Any]] = []
        self.questions: dict[str, list[dict[str, Any]]] = {}
        self.cycles: list[dict[str, Any]] = []
        self.requests: list[dict[str, Any]] = []
        self.invitations: list[dict[str, Any]] = []
        self.responses: list[dict[str, Any]] = []
        self.drafts: list[dict[str, Any]] = []

    # --- questionnaires -------------------------------------------------------------------------

    def seed_templates(self) -> list[dict[str, Any]]:
        created = self.clock.ago(800)
        questions = []
        for key, spec in templates.DEFAULTS.items():
            template_id = self.stream.uuid()
            self.templates.append(
                {
                    "id": template_id,
                    "tenant_id": self.tenant_id,
                    "name": spec["name"],
                    "description": spec["description"],
                    "key": key,
                    "is_active": True,
                    "created_by_id": None,
                    "created_at": created,
                    "updated_at": created,
                }
            )
            rows = [
                {
                    "id": self.stream.uuid(),
                    "tenant_id": self.tenant_id,
                    "template_id": template_id,
                    "position": position,
                    "kind": q["kind"],
                    "prompt": q["prompt"].strip(),
                    "competency": (q.get("competency") or "").strip(),
                    "skill_id": None,
                    "anchors": list(q.get("anchors") or templates.AGREEMENT) if q["kind"] == RATING else [],
                    "required": q.get("required", q["kind"] == RATING),
                }
                for position, q in enumerate(spec["questions"])
            ]
            self.questions[key] = rows
            questions += rows
        return questions

    def template_id(self, key: str) -> uuid.UUID:
        return next(t["id"] for t in self.templates if t["key"] == key)

    # --- cycles ---------------------------------------------------------------------------------

    def cycles_for(self) -> None:
        """Department subtrees (a director's when a department is over the launch limit) until
        about a quarter of the organisation is in a cycle, alternately finished and running."""
        org = self.org
        active = [p for p in org.people if p.active]
        target = len(active) // 4
        candidates = []
        for head in (p for p in org.people if p.level == 1):
            below = self.subtree(head)
            if len(below) > MAX_SUBJECTS:
                candidates += [(org.people[r], self.subtree(org.people[r])) for r in head.reports]
            elif below:
                candidates.append((head, below))
        covered = 0
        for number, (manager, subjects) in enumerate(c for c in candidates if 0 < len(c[1]) <= MAX_SUBJECTS):
            if covered >= target:
                break
            closed = number % 2 == 0
            self.cycle(
                f"{'Spring' if closed else 'Autumn'} 360: {manager.dept.name}",
                "subtree",
                subjects,
                closed,
                manager=manager,
            )
            covered += len(subjects)
        led = [t for t in org.teams if t.lead is not None and t.name != "Executive Team"]
        if led:
            team = self.rng.choice(led)
            members = [p for p in active if p.team == team.index]
            if members:
                self.cycle(
                    f"{team.name} team check-in", "team", members, True, team_id=team.id, template="quick"
                )
        if not self.cycles:
            self.cycle("Company 360", "tenant", active[:MAX_SUBJECTS], False)

    def subtree(self, head: Person) -> list[Person]:
        found, stack = [], list(head.reports)
        while stack:
            p = self.org.people[stack.pop()]
            stack += p.reports
            if p.active:
                found.append(p)
        return sorted(found, key=lambda p: p.index)

    def cycle(
        self,
        name: str,
        scope: str,
        subjects: list[Person],
        closed: bool,
        *,
        manager: Person | None = None,
        team_id: uuid.UUID | None = None,
        template: str = "general_360",
    ) -> None:
        rng, clock = self.rng, self.clock
        opens = clock.day(-rng.randint(120, 150)) if closed else clock.day(-rng.randint(5, 12))
        closes = opens + timedelta(days=21)
        cycle = {
            "id": self.stream.uuid(),
            "tenant_id": self.tenant_id,
            "name": name,
            "template_id": self.template_id(template),
            "scope": scope,
            "team_id": team_id,
            "manager_id": manager.id if manager else None,
            "opens_on": opens,
            "closes_on": closes,
            "status": "closed" if closed else "open",
            "thresholds": dict(self.thresholds),
            "max_requests_per_reviewer": self.cap,
            "created_by_id": self.hr.id,
            "closed_at": clock.at(closes, 600) if closed else None,
            "created_at": clock.at(opens),
            "updated_at": clock.at(closes, 600) if closed else clock.at(opens),
        }
        self.cycles.append(cycle)
        load: Counter[uuid.UUID] = Counter()
        people = self.org.people
        for subject in subjects:
            request = self.request(
                subject, self.hr, cycle["template_id"], closes, closed, cycle=cycle, opens=opens
            )
            manager_p = people[subject.manager] if subject.manager is not None else None
            reviewers = [(subject, SELF)]
            if manager_p is not None and manager_p.active:
                reviewers.append((manager_p, MANAGER))
            reviewers += [(people[r], DIRECT_REPORT) for r in subject.reports if people[r].active]
            for reviewer, relationship in reviewers:
                load[reviewer.id] += 1
                self.invite(request, reviewer, relationship, self.hr, closed, opens)
            if manager_p is None:
                continue
            peers = [people[r] for r in manager_p.reports if r != subject.index and people[r].active]
            for peer in rng.sample(peers, min(len(peers), rng.randint(2, 4))):
                if load[peer.id] >= self.cap:
                    continue  # as the service refuses: they have the cycle's cap of requests
                load[peer.id] += 1
                self.invite(request, peer, PEER, subject, closed, opens, approver=manager_p)

    # --- requests and invitations ---------------------------------------------------------------

    def request(
        self,
        subject: Person,
        asker: Person,
        template_id: uuid.UUID,
        due: date,
        closed: bool,
        *,
        cycle: dict[str, Any] | None = None,
        opens: date,
    ) -> dict[str, Any]:
        created = self.clock.at(opens, self.rng.randint(0, 120))
        row = {
            "id": self.stream.uuid(),
            "tenant_id": self.tenant_id,
            "cycle_id": cycle["id"] if cycle else None,
            "subject_id": subject.id,
            "requested_by_id": asker.id,
            "template_id": template_id,
            "message": ""
            if cycle
            else self.rng.choice(
                [
                    "",
                    "How did the last project go from where you sat?",
                    "I am working on my presentations; any thoughts welcome.",
                ]
            ),
            "due_on": due,
            "status": "closed" if closed else "open",
            "peer_approval": cycle is not None,
            "thresholds": dict(self.thresholds),
            "closed_at": self.clock.at(due, 600) if closed else None,
            "created_at": created,
            "updated_at": created,
        }
        self.requests.append(row)
        row["_answers"] = []  # (relationship) of submitted invitations; popped before writing
        row["_key"] = next(t["key"] for t in self.templates if t["id"] == template_id)
        return row

    def invite(
        self,
        request: dict[str, Any],
        reviewer: Person,
        relationship: str,
        nominator: Person,
        closed: bool,
        opens: date,
        approver: Person | None = None,
    ) -> None:
        rng = self.rng
        status, decided = "invited", None
        if approver is not None:
            # Peers wait for the manager's approval; most are approved, a few rejected, some waiting.
            roll = rng.random()
            if roll < 0.07:
                status, decided = "rejected", approver.id
            elif not closed and roll < 0.22:
                status = "pending_approval"
            else:
                decided = approver.id
        if status == "invited":
            submitted, invited, _declined = CLOSED_MIX if closed else OPEN_MIX
            roll = rng.random()
            status = (
                "submitted" if roll < submitted else "invited" if roll < submitted + invited else "declined"
            )
            if status == "declined" and relationship == SELF:
                status = "invited"  # nobody declines to review themselves; some just never do it
        reminders = rng.choice([0, 0, 1, 2]) if status == "invited" else 0
        created = self.clock.at(opens, rng.randint(0, 60 * 24 * (4 if approver else 0) + 60))
        self.invitations.append(
            {
                "id": self.stream.uuid(),
                "tenant_id": self.tenant_id,
                "request_id": request["id"],
                "reviewer_id": reviewer.id,
                "relationship": relationship,
                "status": status,
                "nominated_by_id": nominator.id,
                "decided_by_id": decided,
                "decline_reason": rng.choice(DECLINE_REASONS) if status == "declined" else "",
                "reminder_count": reminders,
                "last_reminded_at": created + timedelta(days=3 * reminders) if reminders else None,
                "created_at": created,
            }
        )
        if status == "submitted":
            request["_answers"].append(relationship)
        elif status == "invited" and not closed and rng.random() < 0.1:
            self.drafts.append(
                {
                    "id": self.stream.uuid(),
                    "tenant_id": self.tenant_id,
                    "invitation_id": self.invitations[-1]["id"],
                    "answers": self.answers(request["_key"], 3.5, relationship, partial=True),
                    "updated_at": created + timedelta(days=rng.randint(1, 4)),
                }
            )

    def ad_hoc(self) -> None:
        rng, people = self.rng, self.org.people
        for subject in people:
            if not subject.active or subject.manager is None or rng.random() > 0.07:
                continue
            manager = people[subject.manager]
            asker = manager if manager.active and rng.random() < 0.2 else subject
            closed = rng.random() < 0.4
            opens = self.clock.day(-rng.randint(20, 170)) if closed else self.clock.day(-rng.randint(1, 12))
            due = opens + timedelta(days=rng.randint(10, 21))
            key = rng.choice(["general_360", "general_360", "quick"])
            request = self.request(subject, asker, self.template_id(key), due, closed, opens=opens)
            if manager.active:
                self.invite(request, manager, MANAGER, asker, closed, opens)
            peers = [people[r] for r in manager.reports if r != subject.index and people[r].active]
            for peer in rng.sample(peers, min(len(peers), rng.randint(2, 4))):
                self.invite(request, peer, PEER, asker, closed, opens)
            if rng.random() < 0.2:
                other = rng.choice(people)
                related = {subject.index, subject.manager, *manager.reports, *subject.reports}
                if other.active and other.index not in related:
                    self.invite(request, other, OTHER, asker, closed, opens)

    # --- responses ------------------------------------------------------------------------------

    def answers(self, key: str, mean: float, relationship: str, partial: bool = False) -> dict[str, Any]:
        rng = self.rng
        lift = 0.3 if relationship == SELF else 0.0
        out: dict[str, Any] = {}
        for question in self.questions[key]:
            if partial and rng.random() < 0.5:
                continue
            if question["kind"] == RATING:
                out[str(question["id"])] = max(1, min(5, round(rng.gauss(mean + lift, 0.8))))
            elif rng.random() < 0.6:
                out[str(question["id"])] = rng.choice(COMMENTS)
        return out

    def respond(self) -> None:
        """Responses carry the relationship and the answers only; within a request they are
        written in random order, so neither row order nor id says who answered when."""
        for request in self.requests:
            relationships = request.pop("_answers")
            key = request.pop("_key")
            mean = self.rng.uniform(2.9, 4.4)
            self.rng.shuffle(relationships)
            for relationship in relationships:
                self.responses.append(
                    {
                        "id": self.stream.uuid(),
                        "tenant_id": self.tenant_id,
                        "request_id": request["id"],
                        "relationship": relationship,
                        "answers": self.answers(key, mean, relationship),
                    }
                )


def write_feedback(org: Org, tenant_id: uuid.UUID, clock: Clock, stream: Stream) -> dict[str, int]:
    fb = _Feedback(org, tenant_id, clock, stream)
    questions = fb.seed_templates()
    fb.cycles_for()
    fb.ad_hoc()
    fb.respond()
    return {
        "feedback_templates": write(FeedbackTemplate, fb.templates),
        "feedback_questions": write(FeedbackQuestion, questions),
        "feedback_cycles": write(FeedbackCycle, fb.cycles),
        "feedback_requests": write(FeedbackRequest, fb.requests),
        "feedback_invitations": write(FeedbackInvitation, fb.invitations),
        "feedback_responses": write(FeedbackResponse, fb.responses),
        "feedback_drafts": write(FeedbackDraft, fb.drafts),
    }
