"""HR admin questionnaire pages in a real browser: Harper finds the demo's questionnaires, opens
one a cycle uses (read-only), duplicates it and edits the copy (text, a skill, order, a new
question), creates one after fixing a refused form, and the API shows each; on a phone nothing
scrolls sideways; Sam (an employee) gets 403. axe-core checks every page (the Journey does)."""

from __future__ import annotations

import re

from playwright.sync_api import expect

HARPER = "harper.hughes@example.com"
SAM = "sam.rivera@example.com"
ITEM = re.compile(r".*/admin/feedback/questionnaires/([0-9a-f-]{36})$")


def admin_nav(page, name):
    return page.get_by_role("navigation", name="HR admin").get_by_role("link", name=name, exact=True)


def api_template(page, template_id):
    """The template as the API answers it, read with the page's session cookie."""
    return page.evaluate(
        "async (id) => (await fetch('/api/v1/feedback/templates/' + id)).json()", template_id
    )


def test_duplicate_a_used_questionnaire_and_edit_the_copy(journey):
    harper = journey()
    page = harper.page
    harper.sign_in(HARPER)
    harper.goto("/admin")
    harper.follow(admin_nav(page, "Questionnaires"))
    expect(admin_nav(page, "Questionnaires")).to_have_attribute("aria-current", "page")
    table = page.locator("#questionnaires")
    row = table.locator("tr", has=page.get_by_role("link", name="General 360", exact=True))
    expect(row).to_contain_text("In use: questions fixed")  # the demo's cycles use it

    harper.follow(row.get_by_role("link", name="General 360"))
    expect(page.get_by_role("heading", level=1)).to_have_text("General 360")
    expect(page.locator("#questions li")).to_have_count(8)
    expect(page.locator("#questions")).to_contain_text("Communication")
    expect(page.get_by_label("Question text")).to_have_count(0)  # read-only
    harper.submit(page.get_by_role("button", name="Duplicate to edit"))
    expect(page.locator(".flash")).to_contain_text("Copy of General 360")
    copy_id = ITEM.match(page.url).group(1)
    expect(page.get_by_text("Not used yet: editable")).to_be_visible()

    # Rename, reword the first question and tie it to a skill, move the last one to the top,
    # add a question in the first empty row.
    page.get_by_label("Name (required)").fill("Engineering 360")
    page.locator("#f-questions-0-prompt").fill("Explains technical ideas clearly.")
    page.locator("#f-questions-0-skill_id").select_option(label="Python")
    page.locator("#f-questions-7-order").fill("0")
    page.locator("#f-questions-8-prompt").fill("Reviews code with care.")
    page.locator("#f-questions-8-competency").fill("Code review")
    harper.submit(page.get_by_role("button", name="Save", exact=True))
    expect(page.locator(".flash")).to_contain_text("“Engineering 360” saved.")

    body = api_template(page, copy_id)
    assert body["name"] == "Engineering 360"
    prompts = [q["prompt"] for q in body["questions"]]
    assert prompts[0] == "What could this person do differently?"
    assert prompts[1] == "Explains technical ideas clearly."
    assert prompts[-1] == "Reviews code with care."
    assert len(prompts) == 9
    assert body["questions"][1]["skill_id"] == page.locator("#f-questions-1-skill_id").input_value()
    # The original did not change.
    harper.follow(admin_nav(page, "Questionnaires"))
    expect(page.locator("#questionnaires")).to_contain_text("Engineering 360")
    harper.follow(page.locator("#questionnaires").get_by_role("link", name="General 360", exact=True))
    expect(page.locator("#questions li").first).to_contain_text("Communicates clearly")


def test_create_a_questionnaire_after_fixing_the_form(journey):
    harper = journey()
    page = harper.page
    harper.sign_in(HARPER)
    harper.goto("/admin/feedback/questionnaires")
    harper.follow(page.get_by_role("link", name="New questionnaire"))
    page.get_by_label("Name (required)").fill("Support 360")
    page.locator("#f-questions-0-prompt").fill("Keeps customers informed.")
    page.locator("#f-questions-1-kind").select_option(label="Open text")
    page.locator("#f-questions-1-prompt").fill("What should they keep doing?")
    page.locator("#f-questions-1-required").uncheck()
    harper.submit(page.get_by_role("button", name="Create the questionnaire"))

    # The rating question names no competency: the message is next to it, the rest is kept.
    expect(page.locator(".error-summary")).to_contain_text("Question 1, competency")
    expect(page.locator("#f-questions-0-competency-error")).to_contain_text("competency")
    expect(page.locator("#f-questions-0-competency")).to_have_attribute("aria-invalid", "true")
    expect(page.locator("#f-questions-0-prompt")).to_have_value("Keeps customers informed.")
    expect(page.get_by_label("Name (required)")).to_have_value("Support 360")
    page.locator("#f-questions-0-competency").fill("Communication")
    harper.submit(page.get_by_role("button", name="Create the questionnaire"))
    expect(page.locator(".flash")).to_contain_text("“Support 360” is ready to use.")

    body = api_template(page, ITEM.match(page.url).group(1))
    assert [(q["kind"], q["prompt"], q["competency"], q["required"]) for q in body["questions"]] == [
        ("rating", "Keeps customers informed.", "Communication", True),
        ("text", "What should they keep doing?", "", False),
    ]
    assert body["questions"][0]["anchors"][0] == "Strongly disagree"


def test_the_pages_fit_a_phone_and_are_for_hr_admins_only(journey):
    harper = journey(width=390, height=844)
    page = harper.page
    harper.sign_in(HARPER)
    for path in ("/admin/feedback/questionnaires", "/admin/feedback/questionnaires/new"):
        harper.goto(path)
        overflow = page.evaluate(
            "document.documentElement.scrollWidth - document.documentElement.clientWidth"
        )
        assert overflow <= 1, (path, overflow)

    sam = journey()
    sam.sign_in(SAM)
    response = sam.page.goto(harper.base + "/admin/feedback/questionnaires")
    assert response.status == 403
    expect(sam.page.get_by_role("heading", level=1)).to_have_text("Not allowed")
