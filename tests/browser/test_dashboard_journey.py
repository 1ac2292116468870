"""A manager's dashboard in a real browser: the charts hold the numbers of the tables beside them
and of the JSON API, drill-down through direct reports' subtrees, a CSV download, Refresh
following the build to done; HR's organisation and team dashboards; an employee's 403; a phone-
sized screen and the keyboard. axe-core checks every page (the Journey does)."""

from __future__ import annotations

import csv
import io
import re

from playwright.sync_api import expect

OMAR = "omar.haddad@example.com"
SAM = "sam.rivera@example.com"
HARPER = "harper.hughes@example.com"
HEALTH = ("on_track", "at_risk", "off_track", "overdue")


def chart_and_table(page, chart_id: str) -> tuple[dict, list[list[str]]]:
    page.wait_for_function(f"() => window.Chart && Chart.getChart('{chart_id}')")
    data = page.evaluate(
        f"""() => {{
            const chart = Chart.getChart('{chart_id}');
            return {{type: chart.config.type, labels: chart.data.labels,
                     datasets: chart.data.datasets.map(d => ({{label: d.label, data: d.data}}))}};
        }}"""
    )
    rows = page.locator(f"#{chart_id}-table tbody tr").evaluate_all(
        "rows => rows.map(r => [r.querySelector('th').textContent.trim(),"
        " ...[...r.querySelectorAll('td')].map(td => td.dataset.value)])"
    )
    return data, rows


def as_number(text: str) -> float | None:
    return None if text == "" else float(text)


def api_json(page, path: str) -> dict:
    """The JSON API with the page's own session cookie."""
    return page.evaluate(
        "async (path) => (await fetch(path, {headers: {Accept: 'application/json'}})).json()", path
    )


def assert_chart_matches(page, chart_id: str, labels: list, series: list[list]) -> None:
    data, rows = chart_and_table(page, chart_id)
    assert data["labels"] == labels
    assert [d["data"] for d in data["datasets"]] == series
    assert [r[0] for r in rows] == [str(label) for label in labels]
    for i, values in enumerate(series):
        assert [as_number(r[i + 1]) for r in rows] == values


def test_a_manager_reads_drills_down_downloads_and_refreshes(journey, tmp_path):
    omar = journey()
    page = omar.page
    omar.sign_in(OMAR)
    omar.follow(page.get_by_role("navigation", name="Main").get_by_role("link", name="Dashboard"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Dashboards")
    omar.follow(page.get_by_role("link", name="Your dashboard"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Your dashboard")
    expect(page.locator("#built-age")).to_contain_text(re.compile(r"Built (less than a minute|\d+ \w+) ago"))

    # Every chart holds the numbers of its own table and of the JSON API.
    board = api_json(page, "/api/v1/dashboards/me")
    assert board["scope"]["name"] == "Omar Haddad"
    expect(page.locator('[data-figure="people.headcount"]')).to_have_text(str(board["people"]["headcount"]))
    assert_chart_matches(
        page,
        "chart-health",
        ["On track", "At risk", "Off track", "Overdue"],
        [[board["goals"]["by_health"][k] for k in HEALTH]],
    )
    weeks = board["tables"]["trends"]["rows"]
    assert len(weeks) == 12

    def pct(v):
        return None if v is None else round(v * 100, 1)

    labels = [w["week_ending"] for w in weeks]
    assert_chart_matches(page, "chart-progress", labels, [[pct(w["average_progress"]) for w in weeks]])
    assert_chart_matches(
        page, "chart-mentoring", labels, [[pct(w["with_active_mentor_share"]) for w in weeks]]
    )
    assert_chart_matches(
        page,
        "chart-activity",
        labels,
        [[w[k] for w in weeks] for k in ("check_ins", "milestones_completed", "learning_completed")],
    )
    learning = board["learning"]
    assert_chart_matches(
        page,
        "chart-learning",
        ["Planned", "In progress", "Completed", "Overdue (planned or in progress, past due)"],
        [[learning[k] for k in ("planned", "in_progress", "completed", "overdue")]],
    )
    reports = board["tables"]["by_report"]["rows"]
    assert_chart_matches(
        page,
        "chart-feedback",
        [r["name"] for r in reports],
        [[pct(r["feedback_completion_rate"]) for r in reports]],
    )
    assert sum(r["headcount"] for r in reports) == board["people"]["headcount"]
    by_report = page.locator("#table-by_report")
    for row in reports:
        line = by_report.locator(f'tr[data-id="{row["id"]}"]')
        expect(line.locator("th")).to_have_text(row["name"])
        expect(line.locator('td[data-key="headcount"]')).to_have_text(str(row["headcount"]))
    # The anonymity rule in plain words, with the number held back.
    held = board["feedback"]["anonymity"]["held_back"]
    expect(page.locator("#anonymity")).to_contain_text(
        f"at least {board['feedback']['anonymity']['min_people']} people"
    )
    expect(page.locator('[data-figure="feedback.anonymity.held_back"]')).to_contain_text(
        "No competency is held back" if held == 0 else str(held)
    )

    # CSV download of the table by direct report: the same rows.
    with page.expect_download() as info:
        page.get_by_role("link", name="Download CSV of the table by direct report").click()
    path = tmp_path / "by_report.csv"
    info.value.save_as(path)
    rows = list(csv.DictReader(io.StringIO(path.read_text(encoding="utf-8"))))
    assert [r["name"] for r in rows] == [r["name"] for r in reports]
    assert [int(r["headcount"]) for r in rows] == [r["headcount"] for r in reports]

    # Drill down: Lena's branch, then Diego's (who manages two people); plain rows have no link.
    omar.follow(by_report.get_by_role("link", name="Lena Fischer"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Lena Fischer’s dashboard")
    lena = api_json(page, page.url.replace(omar.base + "/dashboards", "/api/v1/dashboards"))
    expect(page.locator('[data-figure="people.headcount"]')).to_have_text(str(lena["people"]["headcount"]))
    lena_reports = page.locator("#table-by_report")
    expect(lena_reports.get_by_role("link")).to_have_count(1)
    expect(lena_reports.locator("th", has_text="Sam Rivera").get_by_role("link")).to_have_count(0)
    omar.follow(lena_reports.get_by_role("link", name="Diego Santos"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Diego Santos’s dashboard")
    expect(page.locator('[data-figure="people.headcount"]')).to_have_text("2")
    omar.follow(page.get_by_role("link", name="Up to Lena Fischer’s dashboard"))

    # Refresh: queued, then the page follows the build until it is done.
    omar.submit(page.get_by_role("button", name="Refresh"))
    expect(page.locator(".flash")).to_contain_text("Build queued")
    status = page.locator("#build-status")
    expect(status).to_have_attribute("data-status", "done", timeout=60_000)
    expect(status).to_contain_text("Done:")
    expect(status.locator("progress")).to_have_js_property("value", 100)
    expect(page.locator("#built-age")).to_contain_text("Built less than a minute ago")
    build_id = re.search(r"build=([0-9a-f-]+)", page.url).group(1)
    assert api_json(page, f"/api/v1/dashboards/builds/{build_id}")["status"] == "done"


def test_an_employee_gets_403_and_no_dashboard_link(journey):
    sam = journey()
    page = sam.page
    sam.sign_in(SAM)
    expect(page.get_by_role("navigation", name="Main").get_by_role("link", name="Dashboard")).to_have_count(0)
    response = sam.goto("/dashboards/me")
    assert response.status == 403
    expect(page.get_by_role("heading", level=1)).to_have_text("Not allowed")
    expect(page.locator("main")).to_contain_text("nobody reports to you")
    assert sam.goto("/dashboards").status == 403


def test_hr_opens_the_organisation_and_a_team_on_a_phone_with_the_keyboard(journey):
    harper = journey(width=390, height=844)
    page = harper.page
    harper.sign_in(HARPER)
    harper.goto("/dashboards/tenant")
    expect(page.get_by_role("heading", level=1)).to_have_text("Whole organisation")
    whole = api_json(page, "/api/v1/dashboards/tenant")
    expect(page.locator('[data-figure="people.headcount"]')).to_have_text(str(whole["people"]["headcount"]))
    # Nothing wider than the phone's screen but the tables' own scrolling boxes.
    assert page.evaluate("() => document.documentElement.scrollWidth <= window.innerWidth + 1")
    # Teams link to their dashboards for HR admins; reach one with the keyboard.
    team = whole["tables"]["by_team"]["rows"][0]
    link = page.locator("#table-by_team").get_by_role("link", name=team["name"], exact=True)
    link.focus()
    with page.expect_navigation():
        page.keyboard.press("Enter")
    harper.audit()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Team {team['name']}")
    expect(page.locator('[data-figure="people.headcount"]')).to_have_text(str(team["headcount"]))
    assert page.evaluate("() => document.documentElement.scrollWidth <= window.innerWidth + 1")
    # The list of everything an HR admin may open.
    harper.goto("/dashboards")
    expect(page.locator("#dashboard-list")).to_contain_text("Organisation")
    expect(page.locator("#dashboard-list")).to_contain_text("Lena Fischer")
