"""The mentor profile in a real browser: Sam opens it from Mentoring, offers to mentor with a
skill, a capacity that is not a number is explained next to its field with everything typed kept,
and the saved profile reads back (axe-core checks every page, on a desktop and on a phone)."""

from __future__ import annotations

from playwright.sync_api import expect

SAM = "sam.rivera@example.com"


def test_sam_offers_to_mentor_with_a_skill(journey):
    sam = journey()
    page = sam.page
    sam.sign_in(SAM)
    sam.follow(page.get_by_role("navigation", name="Main").get_by_role("link", name="Mentoring"))
    sam.follow(page.get_by_role("link", name="Your mentor profile"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Your mentor profile")
    expect(page.get_by_label("Taking mentees now")).to_be_checked()

    # The first empty row takes Python at level 4; a capacity that is not a number is refused.
    rows = page.locator("#skills-offered select[name$='.skill_id']")
    empty = next(i for i in range(rows.count()) if rows.nth(i).input_value() == "")
    page.get_by_label(f"Skill {empty + 1}", exact=True).select_option(label="Python")
    page.get_by_label(f"Level for skill {empty + 1}").select_option("4")
    page.get_by_label("Mentees at once").fill("lots")
    page.get_by_label("Topics").fill("career, system design")
    page.get_by_label("Availability").fill("Thursday mornings")
    sam.submit(page.get_by_role("button", name="Offer to mentor"))
    expect(page.locator(".error-summary")).to_be_focused()
    expect(page.locator(".error-summary")).to_contain_text("Mentees at once: Not a valid integer")
    capacity = page.get_by_label("Mentees at once")
    expect(page.locator("#f-capacity-error")).to_contain_text("Not a valid integer")
    expect(capacity).to_have_value("lots")
    expect(capacity).to_have_attribute("aria-invalid", "true")
    expect(page.get_by_label(f"Skill {empty + 1}", exact=True).locator("option:checked")).to_have_text(
        "Python"
    )
    expect(page.get_by_label("Topics")).to_have_value("career, system design")
    expect(page.get_by_label("Availability")).to_have_value("Thursday mornings")

    capacity.fill("2")
    sam.submit(page.get_by_role("button", name="Offer to mentor"))
    expect(page.locator(".flash")).to_contain_text("you are open to 2 mentees at once")
    expect(page.get_by_label("Mentees at once")).to_have_value("2")
    chosen = page.locator("#skills-offered select[name$='.skill_id'] option:checked")
    expect(chosen.filter(has_text="Python")).to_have_count(1)
    python = page.locator("#skills-offered .form-grid", has=page.locator("option:checked", has_text="Python"))
    expect(python.locator("select[name$='.level'] option:checked")).to_have_text("4 · Advanced")
    expect(page.get_by_label("Topics")).to_have_value("career, system design")
    expect(page.get_by_role("button", name="Save your mentor profile")).to_be_visible()

    # The API reads the same profile (the page's session; GET needs no CSRF token).
    saved = page.evaluate("() => fetch('/api/v1/mentoring/profile').then(r => r.json())")
    assert saved["capacity"] == 2 and saved["is_open"] is True
    assert saved["topics"] == ["career", "system design"] and 4 in [s["level"] for s in saved["skills"]]


def test_the_profile_fits_a_phone(journey):
    sam = journey(width=390, height=844)
    page = sam.page
    sam.sign_in(SAM)
    sam.goto("/mentoring/profile")
    overflow = page.evaluate("() => document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 1, f"the mentor profile scrolls sideways by {overflow}px on a phone"
