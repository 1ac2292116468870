"""360 feedback in a real browser: asking with peer approval (a wrong relationship explained next
to its row), the manager approving, a peer answering (draft, then submit), a manager's refused
empty submission, and released results that hide groups below their threshold."""

from __future__ import annotations

from datetime import date, timedelta

from playwright.sync_api import expect

NINA = "nina.kowalski@example.com"
LENA = "lena.fischer@example.com"
AISHA = "aisha.bello@example.com"
SAM = "sam.rivera@example.com"
DIEGO = "diego.santos@example.com"


def pick(page, row: int, person: str, relationship: str) -> None:
    page.get_by_label(f"Reviewer {row}", exact=True).select_option(label=person)
    page.get_by_label(f"Reviewer {row} is").select_option(relationship)


def answer_everything(page, rating: str = "4") -> None:
    form = page.locator("form").filter(has=page.get_by_role("button", name="Submit"))
    for group in form.locator("fieldset.radios").all():
        group.locator(f'input[type=radio][value="{rating}"]').check()
    for box in form.locator("textarea").all():
        box.fill("Clear written updates; more pairing with juniors would help.")


def test_ask_with_peer_approval_manager_approves_and_a_peer_answers(journey):
    nina = journey()
    page = nina.page
    nina.sign_in(NINA)
    nina.follow(page.get_by_role("navigation", name="Main").get_by_role("link", name="Feedback"))
    nina.follow(page.get_by_role("link", name="Ask for feedback"))
    page.get_by_label("Answers taken until").fill((date.today() + timedelta(days=14)).isoformat())
    page.get_by_label("A note to your reviewers").fill("How did the search rewrite go for you?")
    page.get_by_label("My manager approves the peers I nominate").check()
    pick(page, 1, "Lena Fischer (Engineering Manager, Platform)", "manager")
    pick(page, 2, "Aisha Bello (Senior Software Engineer)", "peer")
    pick(page, 3, "Maya Chen (Chief Executive Officer)", "peer")
    nina.submit(page.get_by_role("button", name="Send the request"))

    # Maya is not Nina's peer: the problem sits next to that row, and every choice is kept.
    expect(page.locator("#f-reviewers-2-person_id-error")).to_contain_text("not a peer")
    expect(page.get_by_label("Reviewer 3", exact=True)).to_have_attribute("aria-invalid", "true")
    expect(page.get_by_label("A note to your reviewers")).to_have_value(
        "How did the search rewrite go for you?"
    )
    expect(page.get_by_label("My manager approves the peers I nominate")).to_be_checked()
    pick(page, 3, "Tom Becker (Site Reliability Engineer)", "peer")
    nina.submit(page.get_by_role("button", name="Send the request"))
    invitations = page.locator("#invitations")
    expect(invitations).to_contain_text("Aisha Bello")
    expect(invitations.locator("tr", has_text="Aisha Bello")).to_contain_text("pending approval")
    expect(invitations.locator("tr", has_text="Lena Fischer")).to_contain_text("invited")

    lena = journey()
    lena.sign_in(LENA)
    lena.follow(lena.page.get_by_role("link", name="2 peer nominations waiting for your approval"))
    lena.submit(lena.page.get_by_role("button", name="Approve Aisha Bello for Nina Kowalski"))
    expect(lena.page.locator(".flash")).to_contain_text("approved")
    lena.submit(lena.page.get_by_role("button", name="Reject Tom Becker for Nina Kowalski"))
    expect(lena.page.locator("main")).to_contain_text("Nothing waits for your approval")

    aisha = journey()
    apage = aisha.page
    aisha.sign_in(AISHA)
    aisha.follow(apage.locator("#feedback-owed").get_by_role("link", name="Nina Kowalski"))
    expect(apage.locator("main")).to_contain_text("stored without your name")
    apage.get_by_role("group", name="Communicates clearly").locator('input[value="5"]').check()
    aisha.submit(apage.get_by_role("button", name="Save draft"))
    expect(apage.locator(".flash")).to_contain_text("Draft saved")
    expect(
        apage.get_by_role("group", name="Communicates clearly").locator('input[value="5"]')
    ).to_be_checked()
    answer_everything(apage)
    aisha.submit(apage.get_by_role("button", name="Submit"))
    expect(apage.locator(".flash")).to_contain_text("submitted")
    expect(apage.get_by_role("region", name="Feedback you owe")).not_to_contain_text("Nina Kowalski")

    # Nina sees that Aisha answered, never what.
    page.reload()
    expect(invitations.locator("tr", has_text="Aisha Bello")).to_contain_text("submitted")
    expect(invitations.locator("tr", has_text="Tom Becker")).to_contain_text("rejected")


def test_submitting_nothing_names_the_questions_still_to_answer(journey):
    lena = journey()
    page = lena.page
    lena.sign_in(LENA)
    lena.follow(page.locator("#feedback-owed").get_by_role("link", name="Sam Rivera"))
    page.get_by_label("What should this person keep doing?").fill("Owning the cache migration end to end")
    lena.submit(page.get_by_role("button", name="Submit"))
    summary = page.locator(".error-summary")
    expect(summary).to_contain_text("required questions are not answered")
    expect(summary).to_contain_text("“Communicates clearly and listens to others.”")
    expect(page.get_by_label("What should this person keep doing?")).to_have_value(
        "Owning the cache migration end to end"
    )
    answer_everything(page, "3")
    lena.submit(page.get_by_role("button", name="Submit"))
    expect(page.locator(".flash")).to_contain_text("submitted")


def test_released_results_explain_the_rules_and_leave_small_groups_out(journey):
    sam = journey()
    page = sam.page
    sam.sign_in(SAM)
    sam.goto("/feedback")
    sam.follow(page.get_by_role("link", name="Read the results").first)
    expect(page.get_by_role("heading", name="What you can see here, and why")).to_be_visible()
    expect(page.locator("#rules")).to_contain_text("Peers are shown only if at least 3 answered")
    for label in ("Peers", "Direct reports", "Others"):
        expect(page.get_by_role("heading", name=label, exact=True)).to_be_visible()
    if page.locator("canvas#pooled-means").count():
        page.wait_for_function("() => window.Chart && Chart.getChart('pooled-means')")
        means = page.evaluate("() => Chart.getChart('pooled-means').data.datasets[0].data")
        cells = page.locator("#pooled-means-table td").evaluate_all(
            "tds => tds.map(td => Number(td.dataset.value))"
        )
        assert means == cells
    sam.sign_out()

    # Diego has two direct reports: fewer than three, so that group shows nothing at all.
    diego = journey()
    diego.sign_in(DIEGO)
    diego.goto("/feedback")
    diego.follow(diego.page.get_by_role("link", name="Read the results").first)
    reports = diego.page.get_by_role("region", name="Direct reports")
    expect(reports).to_contain_text("left out to keep them anonymous")
    expect(reports.locator("table")).to_have_count(0)
