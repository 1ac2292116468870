"""HTTP API for 360 feedback: settings, templates, requests, reviewers' invitations and drafts,
cycles and released results. Results are aggregates only, the same for every permitted viewer."""

from __future__ import annotations

import uuid
from typing import Any

from flask.views import MethodView

from ..core.api import api_blueprint, document_errors
from ..core.auth import actor
from ..core.pagination import PageArgs, page_of, page_schema
from ..people.models import User
from . import cycles, requests, responses, results, services, templates
from .models import CLOSED, OPEN, FeedbackCycle, FeedbackInvitation, FeedbackRequest
from .schemas import (
    FeedbackApprovalSchema,
    FeedbackCycleArgs,
    FeedbackCycleCreateSchema,
    FeedbackCycleExportSchema,
    FeedbackCycleSchema,
    FeedbackDeclineSchema,
    FeedbackDraftSchema,
    FeedbackInvitationSchema,
    FeedbackInvitationStateSchema,
    FeedbackQuestionnaireSchema,
    FeedbackRequestArgs,
    FeedbackRequestCreateSchema,
    FeedbackRequestSchema,
    FeedbackResultSchema,
    FeedbackReviewersSchema,
    FeedbackSettingsSchema,
    FeedbackSettingsUpdateSchema,
    FeedbackSubmitSchema,
    FeedbackTemplateArgs,
    FeedbackTemplateCopySchema,
    FeedbackTemplateCreateSchema,
    FeedbackTemplateSchema,
    FeedbackTemplateUpdateSchema,
    FeedbackTodoSchema,
)

feedback_api = api_blueprint(
    "feedback",
    "/feedback",
    "360 feedback: templates, requests, cycles and anonymous results (see docs/feedback.md)",
)
my_feedback_api = api_blueprint("my_feedback", "/me/feedback", "Feedback I owe, and nominations I approve")


def _ref(person: User | None) -> dict[str, Any]:
    return {"id": person.id, "name": person.name} if person else {"id": uuid.UUID(int=0), "name": "(unknown)"}


def _template_out(template: Any, questions: list[Any]) -> dict[str, Any]:
    return {
        **{
            k: getattr(template, k)
            for k in ("id", "name", "description", "key", "is_active", "created_at", "updated_at")
        },
        "questions": questions,
    }


def _requests_out(items: list[FeedbackRequest]) -> list[dict[str, Any]]:
    """Requests with their subjects and invitations, in two queries for the whole page."""
    ids = [r.id for r in items]
    invitations = requests.invitations_of(ids)
    people = services.people_by_id({r.subject_id for r in items})
    out = []
    for r in items:
        rows = invitations.get(r.id, [])
        out.append(
            {
                **{
                    k: getattr(r, k)
                    for k in (
                        "id",
                        "cycle_id",
                        "requested_by_id",
                        "template_id",
                        "message",
                        "due_on",
                        "peer_approval",
                        "thresholds",
                        "closed_at",
                        "created_at",
                    )
                },
                "status": CLOSED if services.is_closed(r) else OPEN,
                "subject": _ref(people.get(r.subject_id)),
                "counts": requests.status_counts(rows),
                "invitations": [_invitation_out(inv, reviewer) for inv, reviewer in rows],
            }
        )
    return out


def _invitation_out(invitation: FeedbackInvitation, reviewer: User) -> dict[str, Any]:
    return {
        **{
            k: getattr(invitation, k)
            for k in (
                "id",
                "request_id",
                "relationship",
                "status",
                "decline_reason",
                "nominated_by_id",
                "created_at",
            )
        },
        "reviewer": _ref(reviewer),
    }


def _state(invitation: FeedbackInvitation) -> dict[str, Any]:
    return {k: getattr(invitation, k) for k in ("id", "request_id", "relationship", "status")}


def _cycles_out(items: list[FeedbackCycle]) -> list[dict[str, Any]]:
    progress = cycles.progress([c.id for c in items])
    return [
        {
            **{
                k: getattr(c, k)
                for k in (
                    "id",
                    "name",
                    "template_id",
                    "scope",
                    "team_id",
                    "manager_id",
                    "opens_on",
                    "closes_on",
                    "thresholds",
                    "max_requests_per_reviewer",
                    "closed_at",
                    "created_at",
                )
            },
            "status": CLOSED if cycles.is_cycle_closed(c) else OPEN,
            "progress": progress[c.id],
        }
        for c in items
    ]


# --- settings -------------------------------------------------------------------------------------


@feedback_api.route("/settings")
class Settings(MethodView):
    @feedback_api.response(200, FeedbackSettingsSchema)
    @document_errors(feedback_api, 401, 403)
    def get(self) -> dict[str, Any]:
        """The organisation's feedback settings: anonymity thresholds, reminder interval, the cap of
        requests per reviewer in a cycle (HR admins)."""
        services.require_hr(actor(), "Only an HR admin can read feedback settings")
        return {**services.feedback_settings(), "bounds": services.settings_bounds()}

    @feedback_api.arguments(
        FeedbackSettingsUpdateSchema,
        required=False,
        example={"thresholds": {"peer": 4}, "reminder_interval_hours": 48},
    )
    @feedback_api.response(200, FeedbackSettingsSchema)
    @document_errors(feedback_api, 401, 403, 422)
    def patch(self, data: dict[str, Any] | None) -> dict[str, Any]:
        """Change the settings within their safe bounds (HR admins). Launched cycles and existing
        requests keep the thresholds they started with."""
        return {
            **services.update_feedback_settings(actor(), data or {}),
            "bounds": services.settings_bounds(),
        }


# --- templates ------------------------------------------------------------------------------------


@feedback_api.route("/templates")
class Templates(MethodView):
    @feedback_api.arguments(FeedbackTemplateArgs, location="query")
    @feedback_api.response(200, page_schema(FeedbackTemplateSchema))
    @document_errors(feedback_api, 401, 422)
    def get(self, args: dict[str, Any]) -> dict[str, Any]:
        """Questionnaire templates (the defaults are seeded on first use)."""
        actor()
        page = page_of(templates.templates_query(args["include_inactive"]), args)
        questions = templates.questions_of([t.id for t in page["items"]])
        page["items"] = [_template_out(t, questions.get(t.id, [])) for t in page["items"]]
        return page

    @feedback_api.arguments(
        FeedbackTemplateCreateSchema,
        example={
            "name": "Engineering 360",
            "questions": [
                {
                    "kind": "rating",
                    "prompt": "Writes code others can change safely.",
                    "competency": "Code quality",
                },
                {"kind": "text", "prompt": "What should they keep doing?"},
            ],
        },
    )
    @feedback_api.response(201, FeedbackTemplateSchema)
    @document_errors(feedback_api, 401, 403, 422)
    def post(self, data: dict[str, Any]) -> dict[str, Any]:
        """Create a template: rating questions (1 to 5 with five labelled anchors, each tied to a
        competency and optionally a skill) and open questions (HR admins)."""
        template = templates.create_template(actor(), data)
        return _template_out(template, templates.questions_of([template.id])[template.id])


@feedback_api.route("/templates/<uuid:template_id>")
class TemplateItem(MethodView):
    @feedback_api.response(200, FeedbackTemplateSchema)
    @document_errors(feedback_api, 401, 404)
    def get(self, template_id: uuid.UUID) -> dict[str, Any]:
        """One template with its questions."""
        actor()
        template = templates.get_template(template_id)
        return _template_out(template, templates.questions_of([template.id])[template.id])

    @feedback_api.arguments(FeedbackTemplateUpdateSchema, required=False, example={"is_active": False})
    @feedback_api.response(200, FeedbackTemplateSchema)
    @document_errors(feedback_api, 401, 403, 404, 409, 422)
    def patch(self, data: dict[str, Any] | None, template_id: uuid.UUID) -> dict[str, Any]:
        """Rename, describe or retire a template; replace its questions while nothing uses it (HR)."""
        template = templates.update_template(actor(), template_id, data or {})
        return _template_out(template, templates.questions_of([template.id])[template.id])


@feedback_api.route("/templates/<uuid:template_id>/copy")
class TemplateCopy(MethodView):
    @feedback_api.arguments(FeedbackTemplateCopySchema, required=False, example={"name": "Engineering v2"})
    @feedback_api.response(201, FeedbackTemplateSchema)
    @document_errors(feedback_api, 401, 403, 404, 422)
    def post(self, data: dict[str, Any] | None, template_id: uuid.UUID) -> dict[str, Any]:
        """Copy a template into a new, unused one whose questions can be edited: how a template in
        use is changed (HR admins). The source stays as it is for the requests that use it."""
        copy = templates.copy_template(actor(), template_id, (data or {}).get("name"))
        return _template_out(copy, templates.questions_of([copy.id])[copy.id])


# --- requests -------------------------------------------------------------------------------------


@feedback_api.route("/requests")
class Requests(MethodView):
    @feedback_api.arguments(FeedbackRequestArgs, location="query")
    @feedback_api.response(200, page_schema(FeedbackRequestSchema))
    @document_errors(feedback_api, 401, 403, 422)
    def get(self, args: dict[str, Any]) -> dict[str, Any]:
        """Feedback requests about me or asked by me, about people below me, or (HR) all of them,
        with who was invited and where they are. Never what anyone answered."""
        page = page_of(requests.requests_query(actor(), args), args)
        page["items"] = _requests_out(page["items"])
        return page

    @feedback_api.arguments(
        FeedbackRequestCreateSchema,
        example={
            "due_on": "2026-12-18",
            "message": "I would love your view on my first quarter as a lead.",
            "reviewers": [{"person_id": "3fa85f64-5717-4562-b3fc-2c963f66afa6", "relationship": "peer"}],
        },
    )
    @feedback_api.response(201, FeedbackRequestSchema)
    @document_errors(feedback_api, 401, 403, 422)
    def post(self, data: dict[str, Any]) -> dict[str, Any]:
        """Ask for feedback about myself, or (as their manager) about someone below me, nominating
        reviewers by relationship: self, manager, peer, direct_report or other. Relationships are
        checked against the org chart."""
        return _requests_out([requests.create_request(actor(), data)])[0]


@feedback_api.route("/requests/<uuid:request_id>")
class RequestItem(MethodView):
    @feedback_api.response(200, FeedbackRequestSchema)
    @document_errors(feedback_api, 401, 404)
    def get(self, request_id: uuid.UUID) -> dict[str, Any]:
        """One request (the subject, whoever asked, the subject's managers, HR admins)."""
        return _requests_out([services.get_request(actor(), request_id)])[0]


@feedback_api.route("/requests/<uuid:request_id>/reviewers")
class RequestReviewers(MethodView):
    @feedback_api.arguments(FeedbackReviewersSchema)
    @feedback_api.response(201, FeedbackInvitationSchema(many=True))
    @document_errors(feedback_api, 401, 403, 404, 409, 422)
    def post(self, data: dict[str, Any], request_id: uuid.UUID) -> list[dict[str, Any]]:
        """Nominate more reviewers (in a cycle: peers, which the subject's manager approves; capped
        per reviewer)."""
        invitations = requests.add_reviewers(actor(), request_id, data["reviewers"])
        people = services.people_by_id({i.reviewer_id for i in invitations})
        return [_invitation_out(i, people[i.reviewer_id]) for i in invitations]


@feedback_api.route("/requests/<uuid:request_id>/close")
class RequestClose(MethodView):
    @feedback_api.response(200, FeedbackRequestSchema)
    @document_errors(feedback_api, 401, 403, 404, 409)
    def post(self, request_id: uuid.UUID) -> dict[str, Any]:
        """Close an ad-hoc request now: answers stop and results are released."""
        return _requests_out([requests.close_request(actor(), request_id)])[0]


@feedback_api.route("/requests/<uuid:request_id>/results")
class RequestResults(MethodView):
    @feedback_api.response(200, FeedbackResultSchema)
    @document_errors(feedback_api, 401, 404, 409)
    def get(self, request_id: uuid.UUID) -> dict[str, Any]:
        """The released results of a closed request: per relationship category the mean and
        distribution of each rating question and the open answers, under the anonymity thresholds.
        The same for the subject, their managers and HR admins."""
        result = requests.released_result(actor(), request_id)
        return {**result, "competencies": results.competency_scores(result)}


# --- invitations (the reviewer's side) ------------------------------------------------------------


@my_feedback_api.route("/todo")
class Todo(MethodView):
    @my_feedback_api.arguments(PageArgs, location="query")
    @my_feedback_api.response(200, page_schema(FeedbackTodoSchema))
    @document_errors(my_feedback_api, 401, 422)
    def get(self, args: dict[str, Any]) -> dict[str, Any]:
        """The feedback I owe: open invitations on open requests, soonest due first."""
        page = page_of(responses.todo_query(actor()), args, scalars=False)
        drafts = responses.drafts_for([inv.id for inv, _r, _s in page["items"]])
        page["items"] = [
            {
                "invitation_id": inv.id,
                "request_id": req.id,
                "cycle_id": req.cycle_id,
                "subject": _ref(subject),
                "relationship": inv.relationship,
                "due_on": req.due_on,
                "has_draft": inv.id in drafts,
            }
            for inv, req, subject in page["items"]
        ]
        return page


@my_feedback_api.route("/approvals")
class Approvals(MethodView):
    @my_feedback_api.arguments(PageArgs, location="query")
    @my_feedback_api.response(200, page_schema(FeedbackApprovalSchema))
    @document_errors(my_feedback_api, 401, 422)
    def get(self, args: dict[str, Any]) -> dict[str, Any]:
        """Peer nominations waiting for me, as the subject's manager."""
        page = page_of(requests.approvals_query(actor()), args, scalars=False)
        page["items"] = [
            {
                "invitation_id": inv.id,
                "request_id": req.id,
                "subject": _ref(subj),
                "reviewer": _ref(rev),
                "due_on": req.due_on,
            }
            for inv, req, subj, rev in page["items"]
        ]
        return page


@feedback_api.route("/invitations/<uuid:invitation_id>")
class Invitation(MethodView):
    @feedback_api.response(200, FeedbackQuestionnaireSchema)
    @document_errors(feedback_api, 401, 404)
    def get(self, invitation_id: uuid.UUID) -> dict[str, Any]:
        """My questionnaire: whom it is about, the questions and my saved draft (reviewer only)."""
        view = responses.questionnaire(actor(), invitation_id)
        invitation, request = view["invitation"], view["request"]
        return {
            "invitation_id": invitation.id,
            "request_id": request.id,
            "subject": _ref(view["subject"]),
            "relationship": invitation.relationship,
            "status": invitation.status,
            "due_on": request.due_on,
            "closed": view["closed"],
            "message": request.message,
            "questions": view["questions"],
            "draft": view["draft"],
        }


@feedback_api.route("/invitations/<uuid:invitation_id>/draft")
class Draft(MethodView):
    @feedback_api.arguments(FeedbackDraftSchema)
    @feedback_api.response(200, FeedbackDraftSchema)
    @document_errors(feedback_api, 401, 404, 409, 422)
    def put(self, data: dict[str, Any], invitation_id: uuid.UUID) -> dict[str, Any]:
        """Save my answers so far (replaces the previous draft); nothing is shared until I submit."""
        return {"answers": responses.save_draft(actor(), invitation_id, data["answers"])}


@feedback_api.route("/invitations/<uuid:invitation_id>/submit")
class Submit(MethodView):
    @feedback_api.arguments(FeedbackSubmitSchema, required=False)
    @feedback_api.response(200, FeedbackInvitationStateSchema)
    @document_errors(feedback_api, 401, 404, 409, 422)
    def post(self, data: dict[str, Any], invitation_id: uuid.UUID) -> dict[str, Any]:
        """Submit my answers (or my saved draft), once. They are stored with my relationship
        category only, never with my name; a question not in the template, a rating outside 1-5 or
        a missing required answer is 422 and nothing is stored."""
        return _state(responses.submit(actor(), invitation_id, (data or {}).get("answers")))


@feedback_api.route("/invitations/<uuid:invitation_id>/decline")
class Decline(MethodView):
    @feedback_api.arguments(FeedbackDeclineSchema)
    @feedback_api.response(200, FeedbackInvitationStateSchema)
    @document_errors(feedback_api, 401, 404, 409, 422)
    def post(self, data: dict[str, Any], invitation_id: uuid.UUID) -> dict[str, Any]:
        """Decline, with a reason whoever asked can read."""
        return _state(responses.decline(actor(), invitation_id, data["reason"]))


@feedback_api.route("/invitations/<uuid:invitation_id>/approve")
class Approve(MethodView):
    @feedback_api.response(200, FeedbackInvitationStateSchema)
    @document_errors(feedback_api, 401, 403, 404, 409, 422)
    def post(self, invitation_id: uuid.UUID) -> dict[str, Any]:
        """Approve a peer nomination (the subject's manager, or an HR admin)."""
        return _state(requests.decide_nomination(actor(), invitation_id, True))


@feedback_api.route("/invitations/<uuid:invitation_id>/reject")
class Reject(MethodView):
    @feedback_api.response(200, FeedbackInvitationStateSchema)
    @document_errors(feedback_api, 401, 403, 404, 409)
    def post(self, invitation_id: uuid.UUID) -> dict[str, Any]:
        """Reject a peer nomination (the subject's manager, or an HR admin)."""
        return _state(requests.decide_nomination(actor(), invitation_id, False))


# --- cycles ---------------------------------------------------------------------------------------


@feedback_api.route("/cycles")
class Cycles(MethodView):
    @feedback_api.arguments(FeedbackCycleArgs, location="query")
    @feedback_api.response(200, page_schema(FeedbackCycleSchema))
    @document_errors(feedback_api, 401, 403, 422)
    def get(self, args: dict[str, Any]) -> dict[str, Any]:
        """Feedback cycles with their progress (HR admins)."""
        page = page_of(cycles.cycles_query(actor(), args.get("status")), args)
        page["items"] = _cycles_out(page["items"])
        return page

    @feedback_api.arguments(
        FeedbackCycleCreateSchema,
        example={
            "name": "Spring 360",
            "scope": "tenant",
            "opens_on": "2026-03-02",
            "closes_on": "2026-03-27",
        },
    )
    @feedback_api.response(201, FeedbackCycleSchema)
    @document_errors(feedback_api, 401, 403, 422)
    def post(self, data: dict[str, Any]) -> dict[str, Any]:
        """Launch a cycle for a team, a manager's subtree or everyone (HR admins): each subject gets
        self, manager and direct-report reviewers and nominates peers. The anonymity thresholds in
        force now are fixed for the cycle."""
        return _cycles_out([cycles.launch_cycle(actor(), data)])[0]


@feedback_api.route("/cycles/<uuid:cycle_id>")
class CycleItem(MethodView):
    @feedback_api.response(200, FeedbackCycleSchema)
    @document_errors(feedback_api, 401, 403, 404)
    def get(self, cycle_id: uuid.UUID) -> dict[str, Any]:
        """One cycle with its progress (HR admins)."""
        return _cycles_out([cycles.get_cycle(actor(), cycle_id)])[0]


@feedback_api.route("/cycles/<uuid:cycle_id>/close")
class CycleClose(MethodView):
    @feedback_api.response(200, FeedbackCycleSchema)
    @document_errors(feedback_api, 401, 403, 404, 409)
    def post(self, cycle_id: uuid.UUID) -> dict[str, Any]:
        """Close the cycle now (HR admins): answers stop and every subject's results are released."""
        return _cycles_out([cycles.close_cycle(actor(), cycle_id)])[0]


@feedback_api.route("/cycles/<uuid:cycle_id>/export")
class CycleExport(MethodView):
    @feedback_api.response(200, FeedbackCycleExportSchema)
    @document_errors(feedback_api, 401, 403, 404, 409)
    def get(self, cycle_id: uuid.UUID) -> dict[str, Any]:
        """Every subject's released results of a closed cycle (HR admins): aggregates only, under
        the cycle's thresholds; never a reviewer, never a raw answer."""
        return cycles.export(actor(), cycle_id)


BLUEPRINTS = (feedback_api, my_feedback_api)
