"""Every page of an employee's day opens, passes axe-core and loads nothing from outside."""

from __future__ import annotations


def test_every_main_page_opens_for_an_employee(journey):
    sam = journey()
    sam.sign_in("sam.rivera@example.com")
    for path in (
        "/",
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
