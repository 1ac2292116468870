"""HTTP API for learning: the skills catalogue, role profiles, skill profiles and evidence, gaps,
the learning catalogue, learning plans and items, expiring certificates and goal skills."""

from __future__ import annotations

import uuid
from typing import Any

from flask.views import MethodView

from ..core.api import api_blueprint, document_errors, update_schema
from ..core.auth import actor
from ..core.pagination import page_of, page_schema
from . import catalogue, gaps, plans, profiles, services, skills
from .models import CatalogueItemSkill, RoleRequirement
from .schemas import (
    CareerPathSchema,
    CareerPathUpdateSchema,
    CatalogueArgs,
    CatalogueItemSchema,
    CatalogueItemUpdateSchema,
    CategorySchema,
    EvidenceArgs,
    EvidenceSchema,
    ExpiringArgs,
    ExpiringSchema,
    ExpiringScopeArgs,
    GapArgs,
    GapReportSchema,
    GoalSkillSchema,
    GoalSkillsSetSchema,
    ItemSchema,
    ItemUpdateSchema,
    MatchingTaxonomySchema,
    MergeSchema,
    PlanArgs,
    PlanDetailSchema,
    PlanSchema,
    PlanUpdateSchema,
    ProfileArgs,
    ProfileLineSchema,
    ProfileLineUpdateSchema,
    ProfileSchema,
    RelatedSetSchema,
    RoleProfileArgs,
    RoleProfileSchema,
    RoleProfileUpdateSchema,
    SkillArgs,
    SkillDetailSchema,
    SkillSchema,
    SkillUpdateSchema,
)

skills_api = api_blueprint(
    "skills", "/skills", "The skills catalogue: categories, related skills, merge and retire"
)
roles_api = api_blueprint(
    "role_profiles", "/role-profiles", "Role profiles: the skills and levels a role requires"
)
learning_api = api_blueprint(
    "learning", "/learning", "The learning catalogue, learning plans and items, expiring certificates"
)
people_learning_api = api_blueprint(
    "people_learning", "/people", "A person's skill profile, evidence, skill gaps and career path"
)
goal_skills_api = api_blueprint("goal_skills", "/goals", "Skills a goal depends on (they feed skill gaps)")

_PLAN_FIELDS = (
    "id",
    "owner_id",
    "title",
    "description",
    "status",
    "start_date",
    "due_date",
    "created_at",
    "updated_at",
)
_ITEM_FIELDS = (
    "id",
    "plan_id",
    "catalogue_item_id",
    "kind",
    "title",
    "provider",
    "url",
    "hours",
    "start_date",
    "due_date",
    "status",
    "completed_on",
    "expires_on",
    "evidence",
    "notes",
    "suggested_by_id",
    "accepted_at",
    "created_at",
    "updated_at",
)


def skill_out(skill: Any, related: list[dict[str, Any]] | None = None) -> dict[str, Any]:
    out = {name: getattr(skill, name) for name in SkillSchema().fields}
    if related is not None:
        out["related"] = related
    return out


def catalogue_out(items: list[Any]) -> list[dict[str, Any]]:
    tags = catalogue.skill_tags([i.id for i in items], CatalogueItemSkill, "item_id")
    fields = [n for n in CatalogueItemSchema().fields if n != "skills"]
    return [{**{n: getattr(i, n) for n in fields}, "skills": tags.get(i.id, [])} for i in items]


def profile_out(profiles_: list[Any]) -> list[dict[str, Any]]:
    reqs = catalogue.skill_tags([p.id for p in profiles_], RoleRequirement, "role_profile_id")
    fields = [n for n in RoleProfileSchema().fields if n != "requirements"]
    return [{**{n: getattr(p, n) for n in fields}, "requirements": reqs.get(p.id, [])} for p in profiles_]


def plan_out(plan_list: list[Any], me_id: Any) -> list[dict[str, Any]]:
    counts = plans.plan_summaries([p.id for p in plan_list])
    return [
        {
            **{n: getattr(p, n) for n in _PLAN_FIELDS},
            "item_counts": counts.get(p.id, {}),
            "can_edit": p.owner_id == me_id,
        }
        for p in plan_list
    ]


def items_out(items: list[Any]) -> list[dict[str, Any]]:
    skill_ids, goal_ids = plans.links_of([i.id for i in items])
    return [
        {
            **{n: getattr(i, n) for n in _ITEM_FIELDS},
            "skill_ids": skill_ids.get(i.id, []),
            "goal_ids": goal_ids.get(i.id, []),
            "pending_suggestion": i.suggested_by_id is not None and i.accepted_at is None,
        }
        for i in items
    ]


# --- skills ---------------------------------------------------------------------------------------


@skills_api.route("")
class Skills(MethodView):
    @skills_api.arguments(SkillArgs, location="query")
    @skills_api.response(200, page_schema(SkillSchema))
    @document_errors(skills_api, 401, 409, 422)
    def get(self, args: dict[str, Any]) -> dict[str, Any]:
        """The organisation's skills (active by default), by category and name; a new organisation
        gets the default taxonomy (about 150 skills) on first use."""
        actor()
        services.ensure_default_catalogue()
        page = page_of(skills.skills_query(args), args)
        page["items"] = [skill_out(s) for s in page["items"]]
        return page

    @skills_api.arguments(
        SkillSchema,
        example={"name": "GraphQL", "category": "Engineering", "description": "Schema-first APIs"},
    )
    @skills_api.response(201, SkillSchema)
    @document_errors(skills_api, 401, 403, 409, 422)
    def post(self, data: dict[str, Any]) -> dict[str, Any]:
        """Add a skill (HR admins; audited)."""
        return skill_out(skills.create_skill(actor(), data))


@skills_api.route("/categories")
class Categories(MethodView):
    @skills_api.response(200, CategorySchema(many=True))
    @document_errors(skills_api, 401, 409)
    def get(self) -> list[dict[str, Any]]:
        """Skill categories with how many active skills each has."""
        actor()
        services.ensure_default_catalogue()
        return skills.categories()


@skills_api.route("/graph")
class Graph(MethodView):
    @skills_api.response(200, MatchingTaxonomySchema)
    @document_errors(skills_api, 401, 409)
    def get(self) -> dict[str, Any]:
        """The taxonomy in the matching engine's format: {skills: {id: {related: {id: weight}}}}."""
        actor()
        services.ensure_default_catalogue()
        return services.skills_for_matching()


@skills_api.route("/<uuid:skill_id>")
class SkillItem(MethodView):
    @skills_api.response(200, SkillDetailSchema)
    @document_errors(skills_api, 401, 404)
    def get(self, skill_id: uuid.UUID) -> dict[str, Any]:
        """One skill with its level descriptions and related skills."""
        actor()
        skill = services.get_skill(skill_id)
        return skill_out(skill, skills.related_of([skill.id]).get(skill.id, []))

    @skills_api.arguments(update_schema(SkillUpdateSchema), required=False, example={"status": "retired"})
    @skills_api.response(200, SkillDetailSchema)
    @document_errors(skills_api, 401, 403, 404, 409, 422)
    def patch(self, data: dict[str, Any], skill_id: uuid.UUID) -> dict[str, Any]:
        """Rename, recategorise, describe, retire or reactivate a skill (HR admins; audited).
        History keeps pointing at the same skill id."""
        skill = skills.update_skill(actor(), skill_id, data)
        return skill_out(skill, skills.related_of([skill.id]).get(skill.id, []))


@skills_api.route("/<uuid:skill_id>/related")
class Related(MethodView):
    @skills_api.arguments(RelatedSetSchema, example={"related": []})
    @skills_api.response(200, SkillDetailSchema)
    @document_errors(skills_api, 401, 403, 404, 409, 422)
    def put(self, data: dict[str, Any], skill_id: uuid.UUID) -> dict[str, Any]:
        """Replace a skill's related skills and their weights (symmetric; HR admins; audited)."""
        skill = skills.set_related(actor(), skill_id, data["related"])
        return skill_out(skill, skills.related_of([skill.id]).get(skill.id, []))


@skills_api.route("/<uuid:skill_id>/merge")
class Merge(MethodView):
    @skills_api.arguments(MergeSchema)
    @skills_api.response(200, SkillDetailSchema)
    @document_errors(skills_api, 401, 403, 404, 409, 422)
    def post(self, data: dict[str, Any], skill_id: uuid.UUID) -> dict[str, Any]:
        """Merge this skill into another (HR admins; audited): profiles, requirements, tags, plan
        items and goal links move; evidence stays dated on the old skill and reads with the new.
        Answers the skill that stays."""
        target = skills.merge_skill(actor(), skill_id, data["into_skill_id"])
        return skill_out(target, skills.related_of([target.id]).get(target.id, []))


# --- role profiles ----------------------------------------------------------------------------------


@roles_api.route("")
class RoleProfiles(MethodView):
    @roles_api.arguments(RoleProfileArgs, location="query")
    @roles_api.response(200, page_schema(RoleProfileSchema))
    @document_errors(roles_api, 401, 422)
    def get(self, args: dict[str, Any]) -> dict[str, Any]:
        """Role profiles with their required skills and levels."""
        actor()
        page = page_of(catalogue.profiles_query(args), args)
        page["items"] = profile_out(page["items"])
        return page

    @roles_api.arguments(
        RoleProfileSchema,
        example={
            "name": "Senior Software Engineer",
            "job_title": "Senior Software Engineer",
            "track": "Engineering",
            "requirements": [],
        },
    )
    @roles_api.response(201, RoleProfileSchema)
    @document_errors(roles_api, 401, 403, 409, 422)
    def post(self, data: dict[str, Any]) -> dict[str, Any]:
        """Define a role profile: skills and levels 1-5 with what each means here (HR admins)."""
        return profile_out([catalogue.create_profile(actor(), data)])[0]


@roles_api.route("/<uuid:profile_id>")
class RoleProfileItem(MethodView):
    @roles_api.response(200, RoleProfileSchema)
    @document_errors(roles_api, 401, 404)
    def get(self, profile_id: uuid.UUID) -> dict[str, Any]:
        """One role profile."""
        actor()
        return profile_out([catalogue.get_profile(profile_id)])[0]

    @roles_api.arguments(update_schema(RoleProfileUpdateSchema), required=False, example={"is_active": False})
    @roles_api.response(200, RoleProfileSchema)
    @document_errors(roles_api, 401, 403, 404, 409, 422)
    def patch(self, data: dict[str, Any], profile_id: uuid.UUID) -> dict[str, Any]:
        """Change a role profile; `requirements` replaces the whole list (HR admins; audited)."""
        return profile_out([catalogue.update_profile(actor(), profile_id, data)])[0]


# --- a person's learning ----------------------------------------------------------------------------


@people_learning_api.route("/<uuid:person_id>/skills")
class PersonSkills(MethodView):
    @people_learning_api.arguments(ProfileArgs, location="query")
    @people_learning_api.response(200, ProfileSchema)
    @document_errors(people_learning_api, 401, 403, 404, 422)
    def get(self, args: dict[str, Any], person_id: uuid.UUID) -> dict[str, Any]:
        """A person's skill profile: own and manager's levels, interest, mentoring, evidence counts
        (the person, their managers, HR admins)."""
        items = profiles.profile_of(actor(), person_id, args)
        return {"person_id": person_id, "total": len(items), "items": items}


@people_learning_api.route("/<uuid:person_id>/skills/<uuid:skill_id>")
class PersonSkillItem(MethodView):
    @people_learning_api.arguments(
        ProfileLineUpdateSchema, example={"self_level": 3, "interested": True, "willing_to_mentor": False}
    )
    @people_learning_api.response(200, ProfileLineSchema)
    @document_errors(people_learning_api, 401, 403, 404, 422)
    def put(self, data: dict[str, Any], person_id: uuid.UUID, skill_id: uuid.UUID) -> dict[str, Any]:
        """Set a line of the profile: the person sets self_level, interested, willing_to_mentor; a
        manager above them sets manager_level and manager_note."""
        return profiles.set_line(actor(), person_id, skill_id, data)

    @people_learning_api.response(204)
    @document_errors(people_learning_api, 401, 403, 404)
    def delete(self, person_id: uuid.UUID, skill_id: uuid.UUID) -> None:
        """Remove a skill from my profile (its evidence stays)."""
        profiles.remove_line(actor(), person_id, skill_id)


@people_learning_api.route("/<uuid:person_id>/skill-evidence")
class PersonEvidence(MethodView):
    @people_learning_api.arguments(EvidenceArgs, location="query")
    @people_learning_api.response(200, page_schema(EvidenceSchema))
    @document_errors(people_learning_api, 401, 403, 404, 422)
    def get(self, args: dict[str, Any], person_id: uuid.UUID) -> dict[str, Any]:
        """Dated evidence (360 ratings, completed learning) next to the levels, newest first."""
        page = page_of(profiles.evidence_query(actor(), person_id, args), args, scalars=False)
        page["items"] = [profiles.evidence_out(row) for row in page["items"]]
        return page


@people_learning_api.route("/<uuid:person_id>/skill-gaps")
class SkillGaps(MethodView):
    @people_learning_api.arguments(GapArgs, location="query")
    @people_learning_api.response(200, GapReportSchema)
    @document_errors(people_learning_api, 401, 403, 404, 409, 422)
    def get(self, args: dict[str, Any], person_id: uuid.UUID) -> dict[str, Any]:
        """Required level (role profile, chosen next step, skills my open goals depend on) minus
        current level, largest first, then by how many goals depend on it; each with catalogue
        items and willing colleagues at level 4+ outside my management chain."""
        return gaps.skill_gaps(actor(), person_id, args)


@people_learning_api.route("/<uuid:person_id>/career-path")
class CareerPath(MethodView):
    @people_learning_api.response(200, CareerPathSchema)
    @document_errors(people_learning_api, 401, 403, 404)
    def get(self, person_id: uuid.UUID) -> dict[str, Any]:
        """The person's role profile (assigned, or matched by job title) and chosen next step."""
        return catalogue.career_out(services.readable_person(actor(), person_id))

    @people_learning_api.arguments(CareerPathUpdateSchema, example={"target_profile_id": None})
    @people_learning_api.response(200, CareerPathSchema)
    @document_errors(people_learning_api, 401, 403, 404, 422)
    def put(self, data: dict[str, Any], person_id: uuid.UUID) -> dict[str, Any]:
        """Choose the next step (the person or a manager) or assign the role profile (HR admins or
        a manager)."""
        return catalogue.career_out(catalogue.set_career_path(actor(), person_id, data))


@people_learning_api.route("/<uuid:person_id>/expiring-certifications")
class PersonExpiring(MethodView):
    @people_learning_api.arguments(ExpiringArgs, location="query")
    @people_learning_api.response(200, page_schema(ExpiringSchema))
    @document_errors(people_learning_api, 401, 403, 404, 422)
    def get(self, args: dict[str, Any], person_id: uuid.UUID) -> dict[str, Any]:
        """The person's certificates expiring within `days` (default 90), soonest first."""
        page = page_of(plans.expiring_for(actor(), args, person_id), args, scalars=False)
        page["items"] = [plans.expiring_out(row) for row in page["items"]]
        return page


# --- the learning catalogue, plans and items ----------------------------------------------------------


@learning_api.route("/catalogue")
class Catalogue(MethodView):
    @learning_api.arguments(CatalogueArgs, location="query")
    @learning_api.response(200, page_schema(CatalogueItemSchema))
    @document_errors(learning_api, 401, 422)
    def get(self, args: dict[str, Any]) -> dict[str, Any]:
        """The curated learning catalogue, filtered by kind, skill or text."""
        actor()
        page = page_of(catalogue.catalogue_query(args), args)
        page["items"] = catalogue_out(page["items"])
        return page

    @learning_api.arguments(
        CatalogueItemSchema,
        example={
            "title": "Kubernetes in practice",
            "kind": "course",
            "provider": "Acme Academy",
            "hours": 12,
        },
    )
    @learning_api.response(201, CatalogueItemSchema)
    @document_errors(learning_api, 401, 403, 422)
    def post(self, data: dict[str, Any]) -> dict[str, Any]:
        """Add a catalogue item tagged with skills (HR admins; audited)."""
        return catalogue_out([catalogue.create_catalogue_item(actor(), data)])[0]


@learning_api.route("/catalogue/<uuid:item_id>")
class CatalogueEntry(MethodView):
    @learning_api.response(200, CatalogueItemSchema)
    @document_errors(learning_api, 401, 404)
    def get(self, item_id: uuid.UUID) -> dict[str, Any]:
        """One catalogue item."""
        actor()
        return catalogue_out([catalogue.get_catalogue_item(item_id)])[0]

    @learning_api.arguments(
        update_schema(CatalogueItemUpdateSchema), required=False, example={"is_active": False}
    )
    @learning_api.response(200, CatalogueItemSchema)
    @document_errors(learning_api, 401, 403, 404, 422)
    def patch(self, data: dict[str, Any], item_id: uuid.UUID) -> dict[str, Any]:
        """Change or retire (is_active=false) a catalogue item; `skills` replaces its tags (HR
        admins; audited)."""
        return catalogue_out([catalogue.update_catalogue_item(actor(), item_id, data)])[0]


@learning_api.route("/plans")
class Plans(MethodView):
    @learning_api.arguments(PlanArgs, location="query")
    @learning_api.response(200, page_schema(PlanSchema))
    @document_errors(learning_api, 401, 422)
    def get(self, args: dict[str, Any]) -> dict[str, Any]:
        """Learning plans I may read: mine by default, my reports', or all visible (HR: everyone's)."""
        me = actor()
        page = page_of(plans.plans_query(me, args), args)
        page["items"] = plan_out(page["items"], me.id)
        return page

    @learning_api.arguments(
        PlanSchema,
        example={
            "title": "Grow into a senior engineer",
            "start_date": "2026-01-05",
            "due_date": "2026-12-18",
        },
    )
    @learning_api.response(201, PlanDetailSchema)
    @document_errors(learning_api, 401, 422)
    def post(self, data: dict[str, Any]) -> dict[str, Any]:
        """Start one of my learning plans."""
        me = actor()
        return {**plan_out([plans.create_plan(me, data)], me.id)[0], "items": []}


@learning_api.route("/plans/<uuid:plan_id>")
class PlanItem(MethodView):
    @learning_api.response(200, PlanDetailSchema)
    @document_errors(learning_api, 401, 404)
    def get(self, plan_id: uuid.UUID) -> dict[str, Any]:
        """A plan with its items (the owner, their managers, HR admins)."""
        me = actor()
        plan = plans.get_readable(me, plan_id)
        return {**plan_out([plan], me.id)[0], "items": items_out(plans.items_of([plan.id]))}

    @learning_api.arguments(update_schema(PlanUpdateSchema), required=False, example={"status": "completed"})
    @learning_api.response(200, PlanDetailSchema)
    @document_errors(learning_api, 401, 403, 404, 422)
    def patch(self, data: dict[str, Any], plan_id: uuid.UUID) -> dict[str, Any]:
        """Change my plan."""
        me = actor()
        plan = plans.update_plan(me, plan_id, data)
        return {**plan_out([plan], me.id)[0], "items": items_out(plans.items_of([plan.id]))}


@learning_api.route("/plans/<uuid:plan_id>/items")
class Items(MethodView):
    @learning_api.arguments(
        ItemSchema,
        example={
            "kind": "certification",
            "title": "AWS Solutions Architect Associate",
            "provider": "AWS",
            "hours": 40,
            "due_date": "2026-06-30",
            "skill_ids": [],
            "goal_ids": [],
        },
    )
    @learning_api.response(201, ItemSchema)
    @document_errors(learning_api, 401, 403, 404, 422)
    def post(self, data: dict[str, Any], plan_id: uuid.UUID) -> dict[str, Any]:
        """Add an item to my plan (from the catalogue or my own); my managers may suggest one, which
        waits for my acceptance. Completing records evidence for its skills."""
        return items_out([plans.add_item(actor(), plan_id, data)])[0]


@learning_api.route("/plans/<uuid:plan_id>/items/<uuid:item_id>")
class ItemEntry(MethodView):
    @learning_api.arguments(update_schema(ItemUpdateSchema), required=False, example={"status": "completed"})
    @learning_api.response(200, ItemSchema)
    @document_errors(learning_api, 401, 403, 404, 409, 422)
    def patch(self, data: dict[str, Any], plan_id: uuid.UUID, item_id: uuid.UUID) -> dict[str, Any]:
        """Change an item of my plan: planned -> in_progress -> completed, or dropped. Completed
        is final; completing records dated evidence for its skills (levels are left alone)."""
        return items_out([plans.update_item(actor(), plan_id, item_id, data)])[0]


@learning_api.route("/plans/<uuid:plan_id>/items/<uuid:item_id>/accept")
class AcceptItem(MethodView):
    @learning_api.response(200, ItemSchema)
    @document_errors(learning_api, 401, 403, 404)
    def post(self, plan_id: uuid.UUID, item_id: uuid.UUID) -> dict[str, Any]:
        """Accept an item my manager suggested (drop it to decline)."""
        return items_out([plans.accept_item(actor(), plan_id, item_id)])[0]


@learning_api.route("/expiring-certifications")
class Expiring(MethodView):
    @learning_api.arguments(ExpiringScopeArgs, location="query")
    @learning_api.response(200, page_schema(ExpiringSchema))
    @document_errors(learning_api, 401, 403, 422)
    def get(self, args: dict[str, Any]) -> dict[str, Any]:
        """Certificates expiring within `days` (default 90): mine, my reports' or (HR) everyone's."""
        page = page_of(plans.expiring_for(actor(), args), args, scalars=False)
        page["items"] = [plans.expiring_out(row) for row in page["items"]]
        return page


@goal_skills_api.route("/<uuid:goal_id>/skills")
class GoalSkills(MethodView):
    @goal_skills_api.response(200, GoalSkillSchema(many=True))
    @document_errors(goal_skills_api, 401, 404)
    def get(self, goal_id: uuid.UUID) -> list[dict[str, Any]]:
        """The skills (and levels) a goal depends on."""
        return plans.goal_skills(actor(), goal_id)

    @goal_skills_api.arguments(GoalSkillsSetSchema, example={"skills": []})
    @goal_skills_api.response(200, GoalSkillSchema(many=True))
    @document_errors(goal_skills_api, 401, 403, 404, 422)
    def put(self, data: dict[str, Any], goal_id: uuid.UUID) -> list[dict[str, Any]]:
        """Replace the skills my goal depends on; they count in my skill gaps."""
        return plans.set_goal_skills(actor(), goal_id, data["skills"])


BLUEPRINTS = (skills_api, roles_api, people_learning_api, learning_api, goal_skills_api)
