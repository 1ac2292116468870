"""HR admin pages: mentoring programmes and batch mentor matching. Starting a match queues a job
(inline without Redis); its page shows the job's status and, when done, the proposed pairs with
scores and reasons, to approve (all or some: they go to the mentors as invitations) or reject."""

from __future__ import annotations

import uuid
from collections import Counter
from typing import Any

from flask import flash, redirect, url_for

from ..core.db import db
from ..mentoring import services as mentoring
from ..mentoring import workflow
from ..mentoring.models import OPEN
from ..mentoring.schemas import MatchApproveSchema, MatchRejectSchema, MentoringProgrammeSchema
from .blueprint import web
from .forms import Form, attempt
from .pages import as_uuid, me, page, people, today
from .views_admin_shared import admin_only, paged

PROGRAMME_FIELDS = ("name", "description", "starts_on", "ends_on")


def home_page(programme: Form | None = None, run: Form | None = None):  # type: ignore[no-untyped-def]
    actor = me()
    programmes = list(db.session.scalars(mentoring.programmes_query()))
    waiting = Counter(
        r.programme_id for r in db.session.scalars(mentoring.requests_query(actor, status=OPEN))
    )
    runs = paged(mentoring.match_runs_query(), per_page=20)
    jobs = {r.id: workflow.job_of(r) for r in runs["items"]}
    return page(
        "admin/mentoring.html",
        programme,
        run,
        programmes=programmes,
        names={p.id: p.name for p in programmes},
        waiting=waiting,
        open_total=sum(waiting.values()),
        runs=runs,
        jobs=jobs,
        programme=programme or Form({"starts_on": today().isoformat()}),
        run=run or Form(),
    )


@web.get("/admin/mentoring", endpoint="admin_mentoring")
@admin_only
def admin_mentoring():  # type: ignore[no-untyped-def]
    return home_page()


@web.post("/admin/mentoring/programmes")
@admin_only
def admin_mentoring_programme():  # type: ignore[no-untyped-def]
    form = Form.from_request()
    data = form.load(MentoringProgrammeSchema(), PROGRAMME_FIELDS)
    if data is not None:
        actor = me()
        created = attempt(form, lambda: mentoring.create_programme(actor, data))
        if created is not None:
            flash(f"Programme “{created.name}” created.", "success")
            return redirect(url_for("web.admin_mentoring"))
    return home_page(programme=form)


@web.post("/admin/mentoring/runs")
@admin_only
def admin_mentoring_run():  # type: ignore[no-untyped-def]
    form = Form.from_request()
    chosen = form.text("programme_id")
    programme_id = as_uuid(chosen) if chosen else None
    if chosen and programme_id is None:
        form.add_errors({"programme_id": ["choose a programme from the list"]})
        return home_page(run=form)
    actor = me()
    started = attempt(form, lambda: workflow.start_match(actor, programme_id))
    if started is None:
        return home_page(run=form)
    return redirect(url_for("web.admin_match_run", run_id=started.id))


def run_page(run_id: uuid.UUID, form: Form | None = None):  # type: ignore[no-untyped-def]
    actor = me()
    run = workflow.get_run(actor, run_id)
    proposals = workflow.proposals_of(run.id)
    # The run's requests all belong to its programme (or the open pool): one query for them all.
    requests = {
        r.id: r for r in db.session.scalars(mentoring.requests_query(actor, programme_id=run.programme_id))
    }
    mentees = {p.id: requests[p.request_id].mentee_id for p in proposals if p.request_id in requests}
    summary: dict[str, Any] = run.summary or {}
    unmatched = []
    for entry in summary.get("unmatched", []):
        found = requests.get(as_uuid(entry.get("request_id")))  # type: ignore[arg-type]
        unmatched.append({**entry, "mentee_id": found.mentee_id if found else None})
    return page(
        "admin/match_run.html",
        form,
        run=run,
        job=workflow.job_of(run),
        programme=mentoring.get_programme(run.programme_id) if run.programme_id else None,
        proposals=proposals,
        mentees=mentees,
        unmatched=unmatched,
        names=people(
            {p.mentor_id for p in proposals} | set(mentees.values()) | {u["mentee_id"] for u in unmatched}
        ),
        awaiting=[p for p in proposals if p.status == "proposed"],
        form=form or Form(),
    )


@web.get("/admin/mentoring/runs/<uuid:run_id>", endpoint="admin_match_run")
@admin_only
def admin_match_run(run_id: uuid.UUID):  # type: ignore[no-untyped-def]
    return run_page(run_id)


def _chosen(form: Form, schema: Any) -> dict[str, Any] | None:
    return form.validate(schema, {"proposal_ids": form.getlist("proposal_ids")})


@web.post("/admin/mentoring/runs/<uuid:run_id>/approve")
@admin_only
def admin_match_approve(run_id: uuid.UUID):  # type: ignore[no-untyped-def]
    actor = me()
    workflow.get_run(actor, run_id)  # another organisation's run: 404 before reading the form
    form = Form.from_request()
    every = form.checked("all")
    if not every and not form.getlist("proposal_ids"):
        form.add_errors({"proposal_ids": ["tick the proposals to approve, or approve them all"]})
        return run_page(run_id, form)
    data = None if every else _chosen(form, MatchApproveSchema())
    if not every and data is None:
        return run_page(run_id, form)
    ids = None if every else data["proposal_ids"]  # type: ignore[index]
    sent = attempt(form, lambda: workflow.approve(actor, run_id, ids))
    if sent is None:
        return run_page(run_id, form)
    noun = "invitation" if len(sent) == 1 else "invitations"
    flash(f"Approved: {len(sent)} {noun} sent to the mentors.", "success")
    return redirect(url_for("web.admin_match_run", run_id=run_id))


@web.post("/admin/mentoring/runs/<uuid:run_id>/reject")
@admin_only
def admin_match_reject(run_id: uuid.UUID):  # type: ignore[no-untyped-def]
    actor = me()
    workflow.get_run(actor, run_id)
    form = Form.from_request()
    if not form.getlist("proposal_ids"):
        form.add_errors({"proposal_ids": ["tick the proposals to reject"]})
        return run_page(run_id, form)
    data = _chosen(form, MatchRejectSchema())
    if data is None:
        return run_page(run_id, form)
    rejected = attempt(form, lambda: workflow.reject(actor, run_id, data["proposal_ids"]))
    if rejected is None:
        return run_page(run_id, form)
    noun = "proposal" if len(rejected) == 1 else "proposals"
    flash(f"Set aside: {len(rejected)} {noun}; nothing was sent for them.", "success")
    return redirect(url_for("web.admin_match_run", run_id=run_id))
