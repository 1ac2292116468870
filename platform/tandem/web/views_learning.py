"""Learning plan pages: my plans, a new plan, one plan with its items (add from the catalogue or my
own, move them along: planned, in progress, completed, dropped)."""

from __future__ import annotations

import uuid

from flask import flash, redirect, url_for

from ..core.auth import login_required
from ..core.db import db
from ..learning import catalogue, plans
from ..learning.models import ITEM_KINDS
from ..learning.schemas import ItemSchema, ItemUpdateSchema, PlanSchema
from .blueprint import web
from .forms import Form, attempt
from .pages import me, page, people, today

ITEM_FIELDS = ("catalogue_item_id", "kind", "title", "provider", "url", "hours", "due_date")
NEXT_STEPS = {
    "planned": [("in_progress", "Start"), ("completed", "Mark completed"), ("dropped", "Drop")],
    "in_progress": [("completed", "Mark completed"), ("dropped", "Drop")],
    "dropped": [("planned", "Plan again")],
    "completed": [],
}


def plans_page(form: Form | None = None) -> tuple[str, int]:
    actor = me()
    mine = list(db.session.scalars(plans.plans_query(actor, {"scope": "mine"})))
    return page(
        "learning/plans.html",
        form,
        plans=mine,
        counts=plans.plan_summaries([p.id for p in mine]),
        form=form or Form({"start_date": today().isoformat()}),
    )


@web.get("/learning", endpoint="learning")
@login_required
def learning_plans():  # type: ignore[no-untyped-def]
    return plans_page()


@web.post("/learning/plans")
@login_required
def learning_plan_new():  # type: ignore[no-untyped-def]
    form = Form.from_request()
    data = form.load(PlanSchema(), ("title", "description", "start_date", "due_date"))
    created = data is not None and attempt(form, lambda: plans.create_plan(me(), data))
    if created:
        flash(f"Plan started: {created.title}", "success")
        return redirect(url_for("web.learning_plan", plan_id=created.id))
    return plans_page(form)


def plan_page(plan_id: uuid.UUID, add: Form | None = None, item_form: Form | None = None) -> tuple[str, int]:
    actor = me()
    plan = plans.get_readable(actor, plan_id)
    items = plans.items_of([plan.id])
    owner = people([plan.owner_id])[plan.owner_id]
    choices = [
        (str(c.id), f"{c.title} ({c.kind}{', ' + c.provider if c.provider else ''})")
        for c in db.session.scalars(catalogue.catalogue_query({}))
    ]
    return page(
        "learning/plan.html",
        add,
        item_form,
        plan=plan,
        owner=owner,
        items=items,
        can_edit=plan.owner_id == actor.id,
        steps=NEXT_STEPS,
        add=add or Form({"kind": "course"}),
        item_form=item_form,
        catalogue=choices,
        kinds=[(k, k.replace("_", " ")) for k in ITEM_KINDS],
    )


@web.get("/learning/plans/<uuid:plan_id>")
@login_required
def learning_plan(plan_id: uuid.UUID):  # type: ignore[no-untyped-def]
    return plan_page(plan_id)


@web.post("/learning/plans/<uuid:plan_id>/items")
@login_required
def learning_item_add(plan_id: uuid.UUID):  # type: ignore[no-untyped-def]
    form = Form.from_request()
    names = [n for n in ITEM_FIELDS if form.text(n)]
    if form.text("catalogue_item_id") and not form.text("title"):
        names = [n for n in names if n != "kind"]  # the catalogue item gives the kind
    data = form.load(ItemSchema(), names)
    added = data is not None and attempt(form, lambda: plans.add_item(me(), plan_id, data))
    if added:
        flash(f"Added to your plan: {added.title}", "success")
        return redirect(url_for("web.learning_plan", plan_id=plan_id))
    return plan_page(plan_id, add=form)


@web.post("/learning/plans/<uuid:plan_id>/items/<uuid:item_id>")
@login_required
def learning_item_update(plan_id: uuid.UUID, item_id: uuid.UUID):  # type: ignore[no-untyped-def]
    form = Form.from_request()
    data = form.load(ItemUpdateSchema(partial=True), [n for n in ("status", "evidence") if form.text(n)])
    updated = data is not None and attempt(form, lambda: plans.update_item(me(), plan_id, item_id, data))
    if updated:
        flash(f"{updated.title}: {updated.status.replace('_', ' ')}.", "success")
        return redirect(url_for("web.learning_plan", plan_id=plan_id))
    return plan_page(plan_id, item_form=form)
