"""HR admin pages in a real browser: a feedback cycle's own page (the demo's closed Autumn 360 with
its participation and results links; a cycle launched and then closed from its page; on a phone
nothing scrolls sideways; an employee's 403) and a match run page whose job status is followed by
the shared poller in jobs.js, which reloads the page when the status changes. axe-core checks
every page (the Journey does)."""

from __future__ import annotations

import re

from playwright.sync_api import expect

HARPER = "harper.hughes@example.com"
SAM = "sam.rivera@example.com"


def admin_nav(page, name):
    return page.get_by_role("navigation", name="HR admin").get_by_role("link", name=name, exact=True)


def test_the_cycle_pages_of_a_closed_and_an_open_cycle(journey):
    harper = journey()
    page = harper.page
    harper.sign_in(HARPER)
    harper.goto("/admin/feedback/cycles")

    # The demo's Autumn 360 ran last month: counts by relationship, results per person.
    harper.follow(page.locator("#cycles").get_by_role("link", name="Autumn 360"))
    expect(page.get_by_role("heading", level=1)).to_contain_text("Autumn 360")
    expect(page.get_by_role("heading", level=1)).to_contain_text("closed")
    expect(admin_nav(page, "Feedback cycles")).to_have_attribute("aria-current", "page")
    expect(page.locator("#settings")).to_contain_text("Everyone below Lena Fischer")
    expect(page.locator('#participation tr[data-group="peer"]')).to_contain_text("for ")
    expect(page.locator('dd[data-figure="submitted"]')).to_contain_text(" asked (")
    expect(page.get_by_role("link", name="download the export (JSON)")).to_be_visible()
    expect(page.get_by_role("button", name="Close the cycle now")).to_have_count(0)
    harper.follow(page.locator("#subjects tbody tr").first.get_by_role("link"))
    expect(page).to_have_url(re.compile(r".*/feedback/requests/[0-9a-f-]+/results$"))
    page.go_back()

    # A new cycle for one team: open, with reminders and closing offered; closed from its page.
    harper.follow(admin_nav(page, "Feedback cycles"))
    page.get_by_label("Name (required)").fill("Platform pulse check")
    page.get_by_role("radio", name="One team").check()
    page.get_by_label("Team (for one team)").select_option(label="Platform")
    harper.submit(page.get_by_role("button", name="Launch the cycle"))
    harper.follow(page.locator("#cycles").get_by_role("link", name="Platform pulse check"))
    expect(page.get_by_role("heading", level=1)).to_contain_text("open")
    expect(page.locator("#settings")).to_contain_text("Team Platform")
    expect(page.locator('dd[data-figure="submitted"]')).to_contain_text("0 of ")
    expect(page.locator("#reminders")).to_contain_text("Mail is not set up")  # no SMTP in the tests
    harper.submit(page.get_by_role("button", name="Close the cycle now"))
    expect(page.locator(".flash")).to_contain_text("is closed; its results are released")
    expect(page.get_by_role("heading", level=1)).to_contain_text("closed")
    expect(page.locator("#results")).to_be_visible()


def test_the_cycle_page_fits_a_phone_and_is_for_hr_admins_only(journey):
    harper = journey(width=390, height=844)
    page = harper.page
    harper.sign_in(HARPER)
    harper.goto("/admin/feedback/cycles")
    harper.follow(page.locator("#cycles").get_by_role("link", name="Autumn 360"))
    overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
    assert overflow <= 1, overflow
    address = page.url

    sam = journey()
    sam.sign_in(SAM)
    response = sam.page.goto(address)
    assert response.status == 403
    expect(sam.page.get_by_role("heading", level=1)).to_have_text("Not allowed")


def job_box(page, url, status, progress):
    """Make #run-status the box admin/match_run.html renders while a job is queued or running."""
    page.evaluate(
        """([url, status, progress]) => {
             const box = document.getElementById('run-status');
             box.dataset.jobUrl = url;
             box.dataset.jobStatus = status;
             box.innerHTML = '<p>Status: <strong>' + status + '</strong> <progress max="100" value="'
               + progress + '"></progress> <span class="job-progress">' + progress + '% done</span></p>';
           }""",
        [url, status, progress],
    )


def test_a_match_run_page_reloads_when_its_job_status_changes(journey):
    harper = journey()
    page = harper.page
    harper.sign_in(HARPER)
    harper.goto("/admin/mentoring")
    harper.submit(page.get_by_role("button", name="Start the match"))
    # Jobs run inline in the browser tests: the page is rendered done, with nothing to follow.
    expect(page.locator("#run-status")).to_contain_text("done")
    expect(page.locator("#run-status[data-job-url]")).to_have_count(0)
    run_id = page.url.rstrip("/").rsplit("/", 1)[1]
    job_id = page.evaluate(
        "async (id) => (await (await fetch('/api/v1/mentoring/match-runs/' + id)).json()).job.id", run_id
    )
    # The box the page renders while the job is queued or running, as if it had been rendered then;
    # the shared poller (loaded the way the page loads it) finds the job done and reloads the page.
    job_box(page, f"/api/v1/jobs/{job_id}", "running", 10)
    with page.expect_navigation():
        page.add_script_tag(url="/static/js/jobs.js")
    expect(page.locator("#run-status")).to_contain_text("done")
    expect(page.locator("#run-status[data-job-url]")).to_have_count(0)

    # While the status is unchanged the page stays, and the bar follows the progress.
    job_box(page, f"/api/v1/jobs/{job_id}", "done", 0)
    page.add_script_tag(url="/static/js/jobs.js")
    expect(page.locator("#run-status .job-progress")).to_have_text("100% done")
    expect(page.locator("#run-status progress")).to_have_js_property("value", 100)
