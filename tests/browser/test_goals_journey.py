"""An employee's goal journey in a real browser: a new goal with live SMART hints, a milestone,
tasks, an obstacle, check-ins, the progress chart (Chart.js's own data against the table beside
it), a celebration reaching the manager; bad input kept and explained; a phone-sized screen."""

from __future__ import annotations

from datetime import date, timedelta

from playwright.sync_api import expect

SAM = "sam.rivera@example.com"
LENA = "lena.fischer@example.com"


def chart_and_table(page, chart_id: str) -> tuple[dict, list[list[str]]]:
    page.wait_for_function(f"() => window.Chart && Chart.getChart('{chart_id}')")
    data = page.evaluate(
        f"""() => {{
            const chart = Chart.getChart('{chart_id}');
            const sets = chart.data.datasets.map(d => ({{label: d.label, data: d.data}}));
            return {{labels: chart.data.labels, datasets: sets}};
        }}"""
    )
    rows = page.locator(f"#{chart_id}-table tbody tr").evaluate_all(
        "rows => rows.map(r => [r.querySelector('th').textContent.trim(),"
        " ...[...r.querySelectorAll('td')].map(td => td.dataset.value)])"
    )
    return data, rows


def test_a_new_smart_goal_with_a_milestone_tasks_obstacle_and_check_ins(journey):
    sam = journey()
    page = sam.page
    sam.sign_in(SAM)
    sam.follow(page.get_by_role("navigation", name="Main").get_by_role("link", name="Goals"))
    sam.follow(page.get_by_role("link", name="New goal"))

    # Live SMART hints while typing (the page calls the SMART check with the session).
    page.get_by_label("Title").fill("Improve docs")
    hints = page.locator("#smart-hints")
    expect(hints.locator('[data-criterion="time_bound"]')).to_have_attribute("data-ok", "false")
    expect(hints).to_contain_text("Set a due date")
    due = date.today() + timedelta(days=60)
    page.get_by_label("Metric").fill("Guides published")
    page.get_by_label("Unit").fill("guides")
    page.get_by_label("Start value").fill("0")
    page.get_by_label("Target value").fill("8")
    page.get_by_label("Due date").fill(due.isoformat())
    page.get_by_label("Why it matters now").fill("New joiners wait days for answers the docs could give")
    expect(hints.locator('[data-criterion="time_bound"]')).to_have_attribute("data-ok", "true")
    expect(hints.locator('[data-criterion="relevant"]')).to_have_attribute("data-ok", "true")
    expect(hints.locator('[data-criterion="specific"]')).to_have_attribute("data-ok", "false")
    page.get_by_label("What exactly will be different").fill("Eight setup and how-to guides in the handbook")
    expect(hints).to_contain_text("SMART score: 5 of 5")
    sam.submit(page.get_by_role("button", name="Create goal"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Improve docs")
    goal_url = page.url

    # The action plan: add a task, tick it off.
    page.get_by_role("textbox", name="Task").fill("Write the setup guide")
    page.get_by_label("Urgent").check()
    page.get_by_label("Important").check()
    sam.submit(page.get_by_role("button", name="Add task"))
    expect(page.locator("#task-list")).to_contain_text("Write the setup guide")
    expect(page.locator("#task-list")).to_contain_text("do first")
    sam.submit(page.get_by_role("button", name="Mark done: Write the setup guide"))
    expect(page.locator("#task-list")).to_contain_text("done")

    # An obstacle and its plan B.
    page.get_by_label("What could get in the way").fill("Reviewers are busy with the launch")
    page.get_by_label("Your plan B").fill("Ask the support team to review instead")
    sam.submit(page.get_by_role("button", name="Add obstacle"))
    expect(page.get_by_role("region", name="Obstacles")).to_contain_text("Reviewers are busy")

    # Two check-ins, then the chart holds exactly the numbers of its table.
    for value, confidence in (("2", "3"), ("5", "4")):
        page.get_by_label("New value (guides)").fill(value)
        page.get_by_role("group", name="How confident").get_by_label(confidence, exact=True).check()
        page.get_by_label("Note").fill(f"{value} guides out")
        sam.submit(page.get_by_role("button", name="Check in"))
    data, rows = chart_and_table(page, "goal-progress")
    assert data["datasets"][0]["label"] == "Progress (%)"
    assert data["datasets"][0]["data"] == [25.0, 62.5]
    assert data["datasets"][1]["data"] == [2.0, 5.0]
    assert [r[0] for r in rows] == data["labels"]
    assert [[float(v) for v in r[1:]] for r in rows] == [[25.0, 2.0], [62.5, 5.0]]

    # A milestone under it, done at its first check-in: a celebration for Sam and his manager.
    sam.follow(page.get_by_role("link", name="Add a milestone"))
    expect(page.get_by_role("heading", level=1)).to_have_text("New milestone")
    page.get_by_label("Title").fill("Publish the setup guide for new joiners")
    page.get_by_label("Measured by").select_option("binary")
    page.get_by_label("Due date").fill((date.today() + timedelta(days=20)).isoformat())
    sam.submit(page.get_by_role("button", name="Create goal"))
    page.get_by_label("It is done").check()
    page.get_by_role("group", name="How confident").get_by_label("5 (very)").check()
    sam.submit(page.get_by_role("button", name="Check in"))
    expect(page.locator("main")).to_contain_text("completed")
    page.goto(goal_url)
    expect(page.get_by_role("region", name="Milestones and supporting goals")).to_contain_text(
        "Publish the setup guide"
    )
    sam.goto("/")
    expect(page.locator("#celebrations")).to_contain_text(
        "You reached Publish the setup guide for new joiners"
    )
    sam.sign_out()

    lena = journey()
    lena.sign_in(LENA)
    expect(lena.page.locator("#celebrations")).to_contain_text(
        "Sam Rivera reached Publish the setup guide for new joiners"
    )


def test_a_refused_goal_keeps_what_was_typed_and_says_why_next_to_the_field(journey):
    sam = journey()
    page = sam.page
    sam.sign_in(SAM)
    sam.goto("/goals/new")
    page.get_by_label("Title").fill("Cut p95 checkout latency to 200 ms")
    page.get_by_label("Start value").fill("420")
    page.get_by_label("Target value").fill("420")
    page.get_by_label("Start date").fill("2026-06-01")
    page.get_by_label("Due date").fill("2026-05-01")
    sam.submit(page.get_by_role("button", name="Create goal"))
    expect(page.locator(".error-summary")).to_be_visible()
    due = page.get_by_label("Due date")
    expect(due).to_have_attribute("aria-invalid", "true")
    expect(page.locator("#f-due_date-error")).to_contain_text("on or after the start date")
    expect(page.locator("#f-target_value-error")).to_contain_text("differ from the start value")
    expect(page.get_by_label("Title")).to_have_value("Cut p95 checkout latency to 200 ms")
    expect(due).to_have_value("2026-05-01")


def test_a_demo_goal_draws_its_check_in_history(journey):
    sam = journey()
    page = sam.page
    sam.sign_in(SAM)
    sam.goto("/goals")
    links = page.locator("#goals-table a")
    for index in range(links.count()):
        sam.follow(links.nth(index))
        if page.locator("canvas#goal-progress").count():
            break
        page.go_back()
    data, rows = chart_and_table(page, "goal-progress")
    assert len(data["labels"]) >= 2
    assert [r[0] for r in rows] == data["labels"]
    for column, dataset in enumerate(data["datasets"], start=1):
        assert [float(r[column]) if r[column] else None for r in rows] == dataset["data"]


def test_home_and_goal_pages_fit_a_phone_and_work_with_the_keyboard(journey):
    sam = journey(width=390, height=844)
    page = sam.page
    sam.sign_in(SAM)
    for path in ("/", "/goals", "/feedback", "/mentoring"):
        sam.goto(path)
        overflow = page.evaluate("() => document.documentElement.scrollWidth - window.innerWidth")
        assert overflow <= 1, f"{path} scrolls sideways by {overflow}px on a phone"
    # The first Tab reaches the skip link, which is visible when focused and jumps to the content.
    sam.goto("/")
    page.keyboard.press("Tab")
    focused = page.evaluate("() => document.activeElement.textContent")
    assert focused == "Skip to content"
    outline = page.evaluate("() => getComputedStyle(document.activeElement).outlineStyle")
    assert outline != "none"
    page.keyboard.press("Enter")
    assert page.evaluate("() => document.activeElement.id") == "main"
