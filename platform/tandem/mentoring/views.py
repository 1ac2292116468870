"""HTTP API for mentoring: mentor profiles, programmes, requests and instant suggestions,
invitations (accept, decline), batch match runs and approvals, mentorships and their sessions."""

from __future__ import annotations

import uuid
from typing import Any

from flask.views import MethodView

from ..core.api import api_blueprint, document_errors
from ..core.auth import actor
from ..core.pagination import PageArgs, page_of, page_schema
from . import services, suggestions, workflow
from .models import MatchRun, MentoringRequest, MentorProfile
from .schemas import (
    MatchApproveSchema,
    MatchProposalSchema,
    MatchRejectSchema,
    MatchRunCreateSchema,
    MatchRunSchema,
    MentorArgs,
    MentoringInvitationArgs,
    MentoringInvitationDetailSchema,
    MentoringInvitationSchema,
    MentoringProgrammeSchema,
    MentoringRequestArgs,
    MentoringRequestSchema,
    MentoringSessionSchema,
    MentorInviteSchema,
    MentorProfileSchema,
    MentorshipArgs,
    MentorshipEndSchema,
    MentorshipRatingSchema,
    MentorshipSchema,
    MentorshipUpdateSchema,
    MentorSuggestionSchema,
)

mentoring_api = api_blueprint(
    "mentoring",
    "/mentoring",
    "Mentoring: mentor profiles, programmes, requests with suggestions, invitations, batch matching, "
    "mentorships and sessions",
)


def profiles_out(profiles: list[MentorProfile]) -> list[dict[str, Any]]:
    skills = services.mentor_skills([p.id for p in profiles])
    loads = services.loads([p.user_id for p in profiles])
    fields = ("id", "user_id", "is_open", "capacity", "topics", "availability", "created_at", "updated_at")
    return [
        {
            **{n: getattr(p, n) for n in fields},
            "skills": skills.get(p.id, []),
            "load": loads.get(p.user_id, 0),
        }
        for p in profiles
    ]


def request_out(found: MentoringRequest) -> dict[str, Any]:
    fields = ("id", "mentee_id", "programme_id", "status", "goal_ids", "topics", "preferred_mentor_ids")
    out = {n: getattr(found, n) for n in fields}
    out["needs"] = [{"skill_id": k, "level": v} for k, v in sorted(found.needs.items())]
    return {**out, "note": found.note, "created_at": found.created_at}


def run_out(run: MatchRun) -> dict[str, Any]:
    return {
        "id": run.id,
        "programme_id": run.programme_id,
        "created_at": run.created_at,
        "summary": run.summary,
        "job": workflow.job_of(run),
        "proposals": workflow.proposals_of(run.id),
    }


# --- mentor profiles ------------------------------------------------------------------------------


@mentoring_api.route("/profile")
class MyProfile(MethodView):
    @mentoring_api.response(200, MentorProfileSchema)
    @document_errors(mentoring_api, 401, 404)
    def get(self) -> dict[str, Any]:
        """Your mentor profile (404 until you opt in)."""
        return profiles_out([services.get_profile(actor().id)])[0]

    @mentoring_api.arguments(
        MentorProfileSchema, example={"is_open": True, "capacity": 2, "topics": ["career"], "skills": []}
    )
    @mentoring_api.response(200, MentorProfileSchema)
    @document_errors(mentoring_api, 401, 409, 422)
    def put(self, data: dict[str, Any]) -> dict[str, Any]:
        """Opt in as a mentor or change your profile; `skills` replaces the skills you offer."""
        return profiles_out([services.save_profile(actor(), data)])[0]


@mentoring_api.route("/mentors")
class Mentors(MethodView):
    @mentoring_api.arguments(MentorArgs, location="query")
    @mentoring_api.response(200, page_schema(MentorProfileSchema))
    @document_errors(mentoring_api, 401, 422)
    def get(self, args: dict[str, Any]) -> dict[str, Any]:
        """Mentors open to mentees, by name; filter by a skill offered or a topic."""
        actor()
        page = page_of(services.mentors_query(skill_id=args.get("skill_id"), topic=args.get("topic")), args)
        page["items"] = profiles_out(page["items"])
        return page


@mentoring_api.route("/mentors/<uuid:user_id>")
class MentorItem(MethodView):
    @mentoring_api.response(200, MentorProfileSchema)
    @document_errors(mentoring_api, 401, 404)
    def get(self, user_id: uuid.UUID) -> dict[str, Any]:
        """One person's mentor profile."""
        actor()
        return profiles_out([services.get_profile(user_id)])[0]


# --- programmes -----------------------------------------------------------------------------------


@mentoring_api.route("/programmes")
class Programmes(MethodView):
    @mentoring_api.arguments(PageArgs, location="query")
    @mentoring_api.response(200, page_schema(MentoringProgrammeSchema))
    @document_errors(mentoring_api, 401, 422)
    def get(self, args: dict[str, Any]) -> dict[str, Any]:
        """Mentoring programmes, newest first."""
        actor()
        return page_of(services.programmes_query(), args)

    @mentoring_api.arguments(
        MentoringProgrammeSchema,
        example={"name": "Spring cohort", "starts_on": "2027-03-01", "ends_on": "2027-06-30"},
    )
    @mentoring_api.response(201, MentoringProgrammeSchema)
    @document_errors(mentoring_api, 401, 403, 409, 422)
    def post(self, data: dict[str, Any]) -> Any:
        """Start a programme: a named cohort with dates (HR admins)."""
        return services.create_programme(actor(), data)


# --- requests -------------------------------------------------------------------------------------


@mentoring_api.route("/requests")
class Requests(MethodView):
    @mentoring_api.arguments(MentoringRequestArgs, location="query")
    @mentoring_api.response(200, page_schema(MentoringRequestSchema))
    @document_errors(mentoring_api, 401, 422)
    def get(self, args: dict[str, Any]) -> dict[str, Any]:
        """Your mentoring requests (HR admins: everyone's)."""
        stmt = services.requests_query(
            actor(), status=args.get("status"), programme_id=args.get("programme_id")
        )
        page = page_of(stmt, args)
        page["items"] = [request_out(r) for r in page["items"]]
        return page

    @mentoring_api.arguments(
        MentoringRequestSchema, example={"needs": [], "topics": ["career"], "goal_ids": []}
    )
    @mentoring_api.response(201, MentoringRequestSchema)
    @document_errors(mentoring_api, 401, 409, 422)
    def post(self, data: dict[str, Any]) -> dict[str, Any]:
        """Ask for a mentor: skills (with the level wanted), your goals, topics, mentors you would
        like. One open request at a time."""
        return request_out(services.create_request(actor(), data))


@mentoring_api.route("/requests/<uuid:request_id>")
class RequestItem(MethodView):
    @mentoring_api.response(200, MentoringRequestSchema)
    @document_errors(mentoring_api, 401, 403, 404)
    def get(self, request_id: uuid.UUID) -> dict[str, Any]:
        """One request (the mentee and HR admins)."""
        return request_out(services.readable_request(actor(), request_id))


@mentoring_api.route("/requests/<uuid:request_id>/withdraw")
class Withdraw(MethodView):
    @mentoring_api.response(200, MentoringRequestSchema)
    @document_errors(mentoring_api, 401, 403, 404, 409)
    def post(self, request_id: uuid.UUID) -> dict[str, Any]:
        """Withdraw your open request and its pending invitations."""
        return request_out(workflow.withdraw_request(actor(), request_id))


@mentoring_api.route("/requests/<uuid:request_id>/suggestions")
class Suggestions(MethodView):
    @mentoring_api.response(200, MentorSuggestionSchema(many=True))
    @document_errors(mentoring_api, 401, 403, 404)
    def get(self, request_id: uuid.UUID) -> list[dict[str, Any]]:
        """The top 5 mentors for this request right now, with the reasons for each."""
        return suggestions.suggestions(actor(), request_id)


@mentoring_api.route("/requests/<uuid:request_id>/invitations")
class Invite(MethodView):
    @mentoring_api.arguments(MentorInviteSchema)
    @mentoring_api.response(201, MentoringInvitationSchema)
    @document_errors(mentoring_api, 401, 403, 404, 409, 422)
    def post(self, data: dict[str, Any], request_id: uuid.UUID) -> Any:
        """Ask one mentor directly (the mentee); it waits for their answer until it expires."""
        return workflow.invite(actor(), request_id, data["mentor_id"])


# --- invitations ----------------------------------------------------------------------------------


@mentoring_api.route("/invitations")
class Invitations(MethodView):
    @mentoring_api.arguments(MentoringInvitationArgs, location="query")
    @mentoring_api.response(200, page_schema(MentoringInvitationSchema))
    @document_errors(mentoring_api, 401, 422)
    def get(self, args: dict[str, Any]) -> dict[str, Any]:
        """Invitations you received as a mentor or sent as a mentee (HR admins: all)."""
        return page_of(
            workflow.invitations_query(actor(), role=args.get("role"), status=args.get("status")), args
        )


@mentoring_api.route("/invitations/<uuid:invitation_id>")
class InvitationItem(MethodView):
    @mentoring_api.response(200, MentoringInvitationDetailSchema)
    @document_errors(mentoring_api, 401, 403, 404)
    def get(self, invitation_id: uuid.UUID) -> dict[str, Any]:
        """One invitation; a declined or expired one comes with alternative mentors."""
        me = actor()
        workflow.expire_overdue()
        found = workflow.readable_invitation(me, invitation_id)
        return {"invitation": found, "alternatives": workflow.alternatives(found)}


@mentoring_api.route("/invitations/<uuid:invitation_id>/accept")
class Accept(MethodView):
    @mentoring_api.response(201, MentorshipSchema)
    @document_errors(mentoring_api, 401, 403, 404, 409)
    def post(self, invitation_id: uuid.UUID) -> Any:
        """Accept (the mentor): starts the mentorship if you still have a place (409 if not)."""
        return workflow.accept(actor(), invitation_id)


@mentoring_api.route("/invitations/<uuid:invitation_id>/decline")
class Decline(MethodView):
    @mentoring_api.response(200, MentoringInvitationDetailSchema)
    @document_errors(mentoring_api, 401, 403, 404, 409)
    def post(self, invitation_id: uuid.UUID) -> dict[str, Any]:
        """Decline (the mentor); the answer lists other mentors for the mentee."""
        found, alternatives = workflow.decline(actor(), invitation_id)
        return {"invitation": found, "alternatives": alternatives}


# --- batch matching -------------------------------------------------------------------------------


@mentoring_api.route("/match-runs")
class MatchRuns(MethodView):
    @mentoring_api.arguments(MatchRunCreateSchema, required=False, example={"programme_id": None})
    @mentoring_api.response(202, MatchRunSchema)
    @document_errors(mentoring_api, 401, 403, 404, 409, 422)
    def post(self, data: dict[str, Any]) -> dict[str, Any]:
        """Run a batch match for a programme or every open request (HR admins): a background job;
        poll this run (or its job) for the proposals."""
        return run_out(workflow.start_match(actor(), (data or {}).get("programme_id")))


@mentoring_api.route("/match-runs/<uuid:run_id>")
class MatchRunItem(MethodView):
    @mentoring_api.response(200, MatchRunSchema)
    @document_errors(mentoring_api, 401, 403, 404)
    def get(self, run_id: uuid.UUID) -> dict[str, Any]:
        """A match run: its job status, summary and proposals with reasons (HR admins)."""
        return run_out(workflow.get_run(actor(), run_id))


@mentoring_api.route("/match-runs/<uuid:run_id>/approve")
class Approve(MethodView):
    @mentoring_api.arguments(MatchApproveSchema, required=False, example={})
    @mentoring_api.response(200, MentoringInvitationSchema(many=True))
    @document_errors(mentoring_api, 401, 403, 404, 409, 422)
    def post(self, data: dict[str, Any], run_id: uuid.UUID) -> Any:
        """Approve all proposals (or the listed ones) and send them to the mentors (HR admins)."""
        return workflow.approve(actor(), run_id, (data or {}).get("proposal_ids"))


@mentoring_api.route("/match-runs/<uuid:run_id>/reject")
class Reject(MethodView):
    @mentoring_api.arguments(MatchRejectSchema, example={"proposal_ids": []})
    @mentoring_api.response(200, MatchProposalSchema(many=True))
    @document_errors(mentoring_api, 401, 403, 404, 409, 422)
    def post(self, data: dict[str, Any], run_id: uuid.UUID) -> Any:
        """Set proposals aside: nothing is sent for them (HR admins)."""
        return workflow.reject(actor(), run_id, data["proposal_ids"])


# --- mentorships ----------------------------------------------------------------------------------


@mentoring_api.route("/mentorships")
class Mentorships(MethodView):
    @mentoring_api.arguments(MentorshipArgs, location="query")
    @mentoring_api.response(200, page_schema(MentorshipSchema))
    @document_errors(mentoring_api, 401, 422)
    def get(self, args: dict[str, Any]) -> dict[str, Any]:
        """Your mentorships as mentor or mentee (HR admins: all, never their sessions)."""
        return page_of(workflow.mentorships_query(actor(), status=args.get("status")), args)


@mentoring_api.route("/mentorships/<uuid:mentorship_id>")
class MentorshipItem(MethodView):
    @mentoring_api.response(200, MentorshipSchema)
    @document_errors(mentoring_api, 401, 403, 404)
    def get(self, mentorship_id: uuid.UUID) -> Any:
        """One mentorship (the pair and HR admins)."""
        return workflow.get_mentorship(actor(), mentorship_id)

    @mentoring_api.arguments(MentorshipUpdateSchema)
    @mentoring_api.response(200, MentorshipSchema)
    @document_errors(mentoring_api, 401, 403, 404, 409, 422)
    def patch(self, data: dict[str, Any], mentorship_id: uuid.UUID) -> Any:
        """Pause or resume (either side of the pair)."""
        return workflow.set_status(actor(), mentorship_id, data["status"])


@mentoring_api.route("/mentorships/<uuid:mentorship_id>/end")
class End(MethodView):
    @mentoring_api.arguments(MentorshipEndSchema, required=False, example={"rating": 5})
    @mentoring_api.response(200, MentorshipSchema)
    @document_errors(mentoring_api, 401, 403, 404, 409, 422)
    def post(self, data: dict[str, Any], mentorship_id: uuid.UUID) -> Any:
        """End the mentorship (either side); the mentee may rate it 1-5."""
        return workflow.end(actor(), mentorship_id, (data or {}).get("rating"))


@mentoring_api.route("/mentorships/<uuid:mentorship_id>/rating")
class Rating(MethodView):
    @mentoring_api.arguments(MentorshipRatingSchema)
    @mentoring_api.response(200, MentorshipSchema)
    @document_errors(mentoring_api, 401, 403, 404, 409, 422)
    def put(self, data: dict[str, Any], mentorship_id: uuid.UUID) -> Any:
        """Rate an ended mentorship 1-5 (the mentee)."""
        return workflow.rate(actor(), mentorship_id, data["rating"])


@mentoring_api.route("/mentorships/<uuid:mentorship_id>/sessions")
class Sessions(MethodView):
    @mentoring_api.response(200, MentoringSessionSchema(many=True))
    @document_errors(mentoring_api, 401, 403, 404)
    def get(self, mentorship_id: uuid.UUID) -> Any:
        """The pair's sessions with notes and agreed actions (the pair only, not HR admins)."""
        return workflow.sessions_of(actor(), mentorship_id)

    @mentoring_api.arguments(
        MentoringSessionSchema, example={"held_on": "2027-01-12", "notes": "", "actions": []}
    )
    @mentoring_api.response(201, MentoringSessionSchema)
    @document_errors(mentoring_api, 401, 403, 404, 409, 422)
    def post(self, data: dict[str, Any], mentorship_id: uuid.UUID) -> Any:
        """Record a session (either side of the pair)."""
        return workflow.add_session(actor(), mentorship_id, data)


BLUEPRINTS = (mentoring_api,)
