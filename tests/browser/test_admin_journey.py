"""The HR admin's journeys in a real browser: a CSV import checked first (every problem by row and
column, nothing written) and then a good file applied (the new person in the org chart), a
feedback cycle launched, a skill and a catalogue item added, a mentor match run and a proposal
approved, anonymity thresholds changed within their bounds and refused outside them, and the audit
log showing all of it. An employee gets 403 on every admin page. axe-core checks every page."""

from __future__ import annotations

from typing import Any

from playwright.sync_api import expect

HARPER = "harper.hughes@example.com"
SAM = "sam.rivera@example.com"
ADMIN_PAGES = [
    "/admin",
    "/admin/people/import",
    "/admin/org",
    "/admin/feedback/cycles",
    "/admin/settings",
    "/admin/skills",
    "/admin/roles",
    "/admin/catalogue",
    "/admin/mentoring",
    "/admin/audit",
]
BAD_CSV = (
    "email,name,title,team,manager_email,role\n"
    "not-an-email,Nora Bad,Engineer,Platform,lena.fischer@example.com,employee\n"
    "olli.bad@example.com,,Engineer,Platform,lena.fischer@example.com,employee\n"
    "pia.bad@example.com,Pia Bad,Engineer,Platform,nobody@example.com,wizard\n"
)
GOOD_CSV = (
    "email,name,title,team,manager_email\n"
    "quinn.newton@example.com,Quinn Newton,Platform Engineer,Platform,lena.fischer@example.com\n"
)


def csv_file(text: str, name: str) -> dict[str, Any]:
    return {"name": name, "mimeType": "text/csv", "buffer": text.encode()}


def audit_again(journey: Any) -> None:
    """axe-core on the page as it is now (a report shown on a path already checked)."""
    journey.checked.clear()
    journey.audit()


def admin_nav(page: Any, name: str) -> Any:
    return page.get_by_role("navigation", name="HR admin").get_by_role("link", name=name, exact=True)


def test_the_hr_admin_journeys(journey):
    harper = journey()
    page = harper.page
    harper.sign_in(HARPER)
    harper.follow(page.get_by_role("navigation", name="Main").get_by_role("link", name="Admin"))
    expect(page.get_by_role("heading", level=1)).to_have_text("HR admin")

    # --- import: a file with problems is only checked; every problem has its row and column ------
    harper.follow(admin_nav(page, "Import people"))
    page.get_by_label("CSV file").set_input_files(csv_file(BAD_CSV, "bad.csv"))
    harper.submit(page.get_by_role("button", name="Check the file (dry run)"))
    expect(page.locator("#import-report h2")).to_contain_text("nothing has been written")
    problems = page.locator("#import-problems tbody tr")
    expect(problems.filter(has_text="email").first.locator("th")).to_have_text("2")
    expect(problems.filter(has=page.locator("td", has_text="name")).first.locator("th")).to_have_text("3")
    expect(problems.filter(has=page.locator("td", has_text="role"))).to_have_count(1)
    expect(problems.filter(has=page.locator("td", has_text="manager_email")).locator("th")).to_have_text("4")
    expect(page.get_by_role("button", name="Apply this import")).to_have_count(0)
    audit_again(harper)

    # --- a good file: the summary of what would change, then apply the same content -------------
    page.get_by_label("CSV file").set_input_files(csv_file(GOOD_CSV, "new-starters.csv"))
    harper.submit(page.get_by_role("button", name="Check the file (dry run)"))
    expect(page.locator("#import-summary")).to_contain_text("Would create 1")
    expect(page.locator("#import-changes")).to_contain_text("quinn.newton@example.com")
    audit_again(harper)
    harper.submit(page.get_by_role("button", name="Apply this import"))
    expect(page.locator("#import-result")).to_contain_text("new-starters.csv: 1 created")
    harper.follow(page.get_by_role("link", name="See the org chart"))
    lena = page.locator('#org-tree li[data-person="lena.fischer@example.com"]')
    expect(lena.locator('li[data-person="quinn.newton@example.com"]')).to_contain_text(
        "Quinn Newton — Platform Engineer · Platform"
    )
    expect(page.locator("#org-tree")).not_to_contain_text("Nora Bad")
    # The tree works from the keyboard: a manager's name closes and opens their part.
    summary = lena.locator("summary").first
    summary.focus()
    page.keyboard.press("Enter")
    expect(lena.locator("details").first).not_to_have_attribute("open", "")
    page.keyboard.press("Enter")
    expect(lena.locator("details").first).to_have_attribute("open", "")

    # --- a feedback cycle --------------------------------------------------------------------------
    harper.follow(admin_nav(page, "Feedback cycles"))
    page.get_by_label("Name (required)").fill("Platform pulse check")
    page.get_by_role("radio", name="One team").check()
    page.get_by_label("Team (for one team)").select_option(label="Platform")
    harper.submit(page.get_by_role("button", name="Launch the cycle"))
    expect(page.locator(".flash")).to_contain_text("Platform pulse check")
    expect(page.locator("#cycles tr", has_text="Platform pulse check")).to_contain_text("Team Platform")

    # --- a skill and a catalogue item that teaches it ---------------------------------------------
    harper.follow(admin_nav(page, "Skills"))
    page.get_by_label("Name (required)").fill("Chaos engineering")
    page.get_by_label("Category", exact=True).fill("Engineering")
    harper.submit(page.get_by_role("button", name="Add the skill"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Chaos engineering")
    harper.follow(admin_nav(page, "Learning catalogue"))
    page.get_by_label("Title (required)").fill("Chaos Days workshop")
    page.get_by_label("Kind (required)").select_option("workshop")
    page.get_by_label("Hours").fill("6")
    page.get_by_label("Valid for (months)").fill("12")
    page.get_by_label("Skill 1", exact=True).select_option(label="Chaos engineering")
    page.get_by_label("Level for skill 1").select_option("3")
    harper.submit(page.get_by_role("button", name="Add to the catalogue"))
    expect(page.locator("#f-validity_months-error")).to_contain_text("only certifications")
    expect(page.get_by_label("Title (required)")).to_have_value("Chaos Days workshop")
    expect(page.get_by_label("Hours")).to_have_value("6")
    page.get_by_label("Valid for (months)").fill("")
    harper.submit(page.get_by_role("button", name="Add to the catalogue"))
    expect(page.locator("#catalogue tr", has_text="Chaos Days workshop")).to_contain_text(
        "Chaos engineering 3"
    )

    # --- a mentor match: the job runs, proposals come with scores and reasons, approve one --------
    harper.follow(admin_nav(page, "Mentor matching"))
    harper.submit(page.get_by_role("button", name="Start the match"))
    expect(page.locator("#run-status")).to_contain_text("done")
    first = page.locator("#proposals tbody tr").first
    expect(first.locator("td ul li").first).to_be_visible()  # a reason
    first.get_by_role("checkbox").check()
    harper.submit(page.get_by_role("button", name="Approve the chosen pairs"))
    expect(page.locator(".flash")).to_contain_text("Approved:")
    expect(page.locator("#proposals tbody tr").first).to_contain_text("approved")

    # --- settings: a threshold within bounds, then one outside (kept, explained by the field) ----
    harper.follow(admin_nav(page, "Feedback settings"))
    expect(page.locator("#f-thresholds-peer-hint")).to_have_text("Between 3 and 10")
    page.get_by_label("Peers (required)").fill("5")
    harper.submit(page.get_by_role("button", name="Save settings"))
    expect(page.locator(".flash")).to_contain_text("Feedback settings saved")
    expect(page.get_by_label("Peers (required)")).to_have_value("5")
    page.get_by_label("Everyone but the person (pooled) (required)").fill("25")
    harper.submit(page.get_by_role("button", name="Save settings"))
    expect(page.locator("#f-thresholds-all_but_self-error")).to_be_visible()
    expect(page.get_by_label("Everyone but the person (pooled) (required)")).to_have_value("25")
    harper.goto("/admin/settings")
    expect(page.get_by_label("Everyone but the person (pooled) (required)")).to_have_value("4")

    # --- the audit log shows what was done, and filters by action --------------------------------
    harper.follow(admin_nav(page, "Audit log"))
    log = page.locator("#audit")
    for action in (
        "people.import",
        "person.create",
        "feedback.cycle.launch",
        "skill.create",
        "catalogue_item.create",
        "feedback.settings.update",
    ):
        expect(log).to_contain_text(action)
    expect(log.locator("tbody tr").first).to_contain_text("Harper Hughes")
    page.get_by_label("Action").select_option("feedback.settings.update")
    harper.submit(page.get_by_role("button", name="Filter"))
    expect(log.locator("tbody tr")).to_have_count(1)
    expect(log).to_contain_text("thresholds")

    # Every other admin page opens and passes axe-core.
    for path in ADMIN_PAGES:
        response = harper.goto(path)
        assert response.status == 200, path


def test_admin_pages_fit_a_phone(journey):
    harper = journey(width=390, height=844)
    harper.sign_in(HARPER)
    for path in ADMIN_PAGES:
        harper.goto(path)
        harper.assert_fits_the_screen()


def test_an_employee_gets_403_on_admin_pages(journey):
    sam = journey()
    page = sam.page
    sam.sign_in(SAM)
    expect(page.get_by_role("navigation", name="Main").get_by_role("link", name="Admin")).to_have_count(0)
    for path in ADMIN_PAGES:
        response = sam.goto(path)
        assert response.status == 403, path
        expect(page.get_by_role("heading", level=1)).to_have_text("Not allowed")
