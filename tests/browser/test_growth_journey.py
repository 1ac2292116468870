"""Skills, learning and mentoring in a real browser: a self-assessment and the gaps it leaves, a
learning plan moved to completion, asking for a mentor and sending a request to a suggested one,
a mentor reading a request (goals, reasons) and accepting it, and a mentorship run to its end."""

from __future__ import annotations

from playwright.sync_api import expect

SAM = "sam.rivera@example.com"
PRIYA = "priya.nair@example.com"
YUKI_MENTOR = "ben.carter@example.com"


def test_self_assessment_gaps_and_a_learning_plan(journey):
    sam = journey()
    page = sam.page
    sam.sign_in(SAM)
    sam.follow(page.get_by_role("navigation", name="Main").get_by_role("link", name="Skills"))
    page.locator("#f-skill_id").select_option(label="Kubernetes")
    page.get_by_label("Your level (required)").select_option("2")
    page.get_by_label("I want to grow this skill").check()
    sam.submit(page.get_by_role("button", name="Add to my profile"))
    expect(page.locator(".flash")).to_contain_text("Kubernetes is in your profile at level 2")
    row = page.locator("#skill-profile tr", has_text="Kubernetes")
    row.get_by_label("Your level in Kubernetes").select_option("3")
    sam.submit(row.get_by_role("button", name="Save Kubernetes"))
    expect(page.locator("#skill-profile tr", has_text="Kubernetes").locator("td").first).to_have_text("3")

    # Adding without choosing a skill is refused next to the field.
    sam.submit(page.get_by_role("button", name="Add to my profile"))
    expect(page.locator("#f-skill_id-error")).to_contain_text("choose a skill")

    sam.follow(page.get_by_role("link", name="See your skill gaps"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Your skill gaps")

    sam.follow(page.get_by_role("navigation", name="Main").get_by_role("link", name="Learning"))
    page.get_by_role("textbox", name="Title").fill("Run services on Kubernetes")
    sam.submit(page.get_by_role("button", name="Start the plan"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Run services on Kubernetes")
    page.get_by_role("textbox", name="Title").fill("Kubernetes the hard way")
    page.get_by_label("Kind").select_option("course")
    page.get_by_label("Hours").fill("twelve")
    sam.submit(page.get_by_role("button", name="Add to the plan"))
    expect(page.locator("#f-hours-error")).to_contain_text("valid number")
    expect(page.get_by_role("textbox", name="Title")).to_have_value("Kubernetes the hard way")
    page.get_by_label("Hours").fill("12")
    sam.submit(page.get_by_role("button", name="Add to the plan"))
    items = page.locator("#plan-items")
    expect(items).to_contain_text("Kubernetes the hard way")
    sam.submit(page.get_by_role("button", name="Start: Kubernetes the hard way"))
    expect(items).to_contain_text("in progress")
    sam.submit(page.get_by_role("button", name="Mark completed: Kubernetes the hard way"))
    expect(items).to_contain_text("completed")


def test_ask_for_a_mentor_then_the_mentor_reads_it_and_declines(journey):
    priya = journey()
    page = priya.page
    priya.sign_in(PRIYA)
    priya.follow(page.get_by_role("navigation", name="Main").get_by_role("link", name="Mentoring"))
    priya.follow(page.get_by_role("link", name="Ask for a mentor"))
    priya.submit(page.get_by_role("button", name="Find mentors"))
    expect(page.locator(".error-summary")).to_contain_text("name at least one skill")
    page.get_by_label("Skill 1", exact=True).select_option(label="Python")
    page.get_by_label("Level wanted for skill 1").select_option("4")
    goal = page.get_by_role("group", name="Goals a mentor could help with").get_by_role("checkbox").first
    goal_title = page.locator(f'label[for="{goal.get_attribute("id")}"]').inner_text()
    goal.check()
    page.get_by_label("Topics").fill("career")
    page.get_by_label("A note for your mentor").fill("I want to lead a service rewrite next year")
    priya.submit(page.get_by_role("button", name="Find mentors"))
    suggestions = page.locator("#suggestions > li")
    expect(suggestions.first).to_be_visible()
    first = suggestions.first.locator("strong").inner_text()
    assert suggestions.first.locator("ul li").count() >= 1  # the reasons
    priya.submit(page.get_by_role("button", name=f"Send a request to {first}"))
    expect(page.locator(".flash")).to_contain_text(f"Request sent to {first}")
    expect(page.locator("#sent")).to_contain_text("pending")

    # The mentor sees her skills, the goal she linked and why they fit, and declines.
    mentor = journey()
    mentor.sign_in(first.lower().replace(" ", ".") + "@example.com")
    mentor.follow(mentor.page.locator("#mentoring").get_by_role("link", name="Priya Nair"))
    expect(mentor.page.locator("#reasons")).to_contain_text("Python")
    expect(mentor.page.locator("#mentee-goals")).to_contain_text(goal_title)
    expect(mentor.page.get_by_role("main")).to_contain_text("I want to lead a service rewrite next year")
    mentor.submit(mentor.page.get_by_role("button", name="Decline"))
    expect(mentor.page.locator(".flash")).to_contain_text("You declined")

    page.reload()
    expect(page.locator("#sent")).to_contain_text("declined")


def test_a_mentor_reads_a_request_with_goals_and_reasons_and_accepts(journey):
    ben = journey()
    page = ben.page
    ben.sign_in(YUKI_MENTOR)
    ben.follow(page.locator("#mentoring").get_by_role("link", name="Yuki Tanaka"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Yuki Tanaka asks you to be their mentor")
    expect(page.locator("#reasons")).to_contain_text("Statistics")
    expect(page.get_by_role("region", name="What Yuki wants to grow")).to_contain_text("Statistics")
    ben.submit(page.get_by_role("button", name="Accept"))
    expect(page.locator(".flash")).to_contain_text("mentorship has started")
    expect(page.get_by_role("heading", level=1)).to_have_text("Ben Carter mentoring Yuki Tanaka")


def test_a_mentee_records_a_session_ends_and_rates_the_mentorship(journey):
    sam = journey()
    page = sam.page
    sam.sign_in(SAM)
    sam.follow(page.locator("#mentoring").get_by_role("link", name="Mentored by Diego Santos"))
    expect(page.locator("#sessions > li")).to_have_count(2)
    page.get_by_label("Date").fill("")
    sam.submit(page.get_by_role("button", name="Save session"))
    expect(page.locator("#f-held_on-error")).to_be_visible()
    page.get_by_label("Date").fill("2026-11-20")
    page.get_by_label("Notes").fill("Walked through the rollout plan")
    page.get_by_label("Agreed actions").fill("Write the runbook\nBook a dry run")
    sam.submit(page.get_by_role("button", name="Save session"))
    expect(page.locator("#sessions")).to_contain_text("Book a dry run")
    page.get_by_role("group", name="How helpful was it?").get_by_label("5 (very)").check()
    sam.submit(page.get_by_role("button", name="End the mentorship"))
    expect(page.locator("main")).to_contain_text("rated 5/5")
