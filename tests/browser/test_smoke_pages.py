"""Signing in and out, the home page's attention lists, and every main page of an employee's day
opening cleanly (axe-core on each, nothing loaded from outside), on a phone too."""

from __future__ import annotations

from playwright.sync_api import expect


def test_sign_in_see_what_needs_attention_and_sign_out(journey):
    sam = journey()
    page = sam.page
    sam.sign_in("sam.rivera@example.com")
    expect(page.get_by_role("heading", level=1)).to_have_text("Hello, Sam")
    tasks = page.get_by_role("region", name="This week's tasks")
    for quadrant in ("Do first", "Schedule", "Delegate", "Drop or defer"):
        expect(tasks.get_by_role("heading", name=quadrant)).to_be_visible()
    expect(page.get_by_role("region", name="Goals that need you")).to_be_visible()
    expect(page.get_by_role("region", name="Feedback you owe")).to_be_visible()
    expect(page.locator("#mentoring")).to_contain_text("Mentored by Diego Santos")
    expect(page.locator("#mentoring")).to_contain_text("last session")
    sam.sign_out()
    expect(page.locator(".flash")).to_contain_text("You are signed out")
    page.goto(sam.base + "/goals")
    expect(page).to_have_url(sam.base + "/login?next=/goals")


def test_every_main_page_opens_for_an_employee(journey):
    sam = journey()
    sam.sign_in("sam.rivera@example.com")
    for path in (
        "/goals",
        "/goals/new",
        "/feedback",
        "/feedback/requests/new",
        "/skills",
        "/skills/gaps",
        "/learning",
        "/mentoring",
        "/mentoring/requests/new",
        "/feedback/approvals",
    ):
        response = sam.goto(path)
        assert response.status == 200, (path, response.status)


def test_main_pages_reflow_on_the_narrowest_phone(journey):
    """At 320 CSS pixels (WCAG's reflow width) no page scrolls sideways; a wide table scrolls in
    its own box, which the keyboard can reach (tandem.js makes it a named region)."""
    harper = journey(width=320, height=640)
    harper.sign_in("harper.hughes@example.com")  # HR admin, manager and reviewer: full pages
    scrolling = 0
    for path in ("/", "/goals", "/feedback", "/skills", "/skills/gaps", "/learning", "/mentoring"):
        harper.goto(path)
        scrolling += harper.assert_fits_the_screen()
    assert scrolling >= 2, "the goals and feedback tables are wider than 320 pixels"
    harper.goto("/goals")
    box = harper.page.get_by_role("region", name="Your goals, milestones under the goals they support")
    box.focus()
    harper.page.keyboard.press("ArrowRight")
    harper.page.wait_for_function(
        "() => document.activeElement.classList.contains('table-wrap')"
        " && document.activeElement.scrollLeft > 0"
    )


def test_the_api_reference_renders_under_the_content_security_policy(journey):
    """Swagger UI is vendored and started by a file, not an inline script: it draws the whole
    reference with the same strict policy as every page (the journey fails on anything blocked)."""
    reader = journey()
    page = reader.page
    response = page.goto(reader.base + "/api/v1/docs")
    assert "script-src 'self'" in response.headers["content-security-policy"]
    expect(page.locator(".swagger-ui .info .title")).to_contain_text("Tandem")
    expect(page.locator(".opblock-tag").first).to_be_visible()
