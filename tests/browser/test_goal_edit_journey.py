"""Editing a goal in a real browser: Sam opens one of his goals, edits it (live SMART hints for
the changes), a weight that is not a number is explained next to its field with what was typed
kept, then the saved goal shows its new title, description and due date; his manager reads the
goal without an edit link and gets the 403 page at the edit address (axe-core on every page)."""

from __future__ import annotations

import re
from datetime import date, timedelta

from playwright.sync_api import expect

SAM = "sam.rivera@example.com"
LENA = "lena.fischer@example.com"


def test_sam_edits_a_goal_and_his_manager_cannot(journey):
    sam = journey()
    page = sam.page
    sam.sign_in(SAM)
    sam.goto("/goals")
    sam.follow(page.locator("#goals-table a").first)
    goal_url = page.url
    sam.follow(page.get_by_role("link", name="Edit the goal"))
    expect(page.get_by_role("heading", level=1)).to_have_text(re.compile(r"Edit (goal|milestone)"))
    old_title = page.get_by_label("Title").input_value()
    assert old_title

    due = (date.today() + timedelta(days=120)).isoformat()
    page.get_by_label("Title").fill("Make onboarding a one-day job")
    page.get_by_label("What exactly will be different").fill("A new engineer ships on day one")
    page.get_by_label("Due date").fill(due)
    page.get_by_label("Tags").fill("onboarding, platform")
    page.get_by_label("Who can see it").select_option("tenant")
    expect(page.locator("#smart-hints")).to_contain_text("SMART score", timeout=10_000)
    page.get_by_label("Weight").fill("heavy")
    sam.submit(page.get_by_role("button", name="Save changes"))
    expect(page.locator(".error-summary")).to_be_focused()
    expect(page.locator("#f-weight-error")).to_contain_text("Not a valid number")
    expect(page.get_by_label("Weight")).to_have_value("heavy")
    expect(page.get_by_label("Title")).to_have_value("Make onboarding a one-day job")
    expect(page.get_by_label("Due date")).to_have_value(due)
    expect(page.get_by_label("Who can see it")).to_have_value("tenant")

    page.get_by_label("Weight").fill("2")
    sam.submit(page.get_by_role("button", name="Save changes"))
    assert page.url == goal_url
    expect(page.locator(".flash")).to_contain_text("Goal saved.")
    expect(page.get_by_role("heading", level=1)).to_have_text("Make onboarding a one-day job")
    expect(page.locator("main")).to_contain_text("A new engineer ships on day one")
    expect(page.locator("main")).to_contain_text(f"due {due}")
    goal_id = goal_url.rstrip("/").rsplit("/", 1)[1]
    saved = page.evaluate(f"() => fetch('/api/v1/goals/{goal_id}').then(r => r.json())")
    assert saved["weight"] == 2 and saved["visibility"] == "tenant"
    assert sorted(saved["tags"]) == ["onboarding", "platform"]

    # His manager reads the goal but has no edit link, and the edit page is the 403 page.
    lena = journey()
    lena.sign_in(LENA)
    lena.goto(goal_url.removeprefix(lena.base))
    expect(lena.page.get_by_role("heading", level=1)).to_have_text("Make onboarding a one-day job")
    expect(lena.page.get_by_role("link", name="Edit the goal")).to_have_count(0)
    response = lena.goto(goal_url.removeprefix(lena.base) + "/edit")
    assert response.status == 403
