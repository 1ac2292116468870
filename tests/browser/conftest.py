"""Browser tests: a real Chromium (Debian's, driven by Playwright) against a live server on a
PostgreSQL database seeded with the demo organisation. One browser per session, one server (and
one database, copied from a seeded template) per module. Every page a journey visits is checked
with axe-core, and no request may leave the server."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import threading
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
from werkzeug.serving import make_server

REPO = Path(__file__).resolve().parents[2]
CHROMIUM = os.environ.get("TANDEM_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
TOOLS = REPO / ".cache" / "tools"
AXE_PACKAGE = "axe-core@4.11.4"  # keep in step with scripts/ensure-tools.sh
AXE = TOOLS / "node_modules" / "axe-core" / "axe.min.js"
DEMO_PASSWORD = "tandem-demo-2026"
BLOCKING = ("serious", "critical")


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if "browser" in str(item.path):
            item.add_marker(pytest.mark.browser)
            item.add_marker(pytest.mark.postgres)


def _plain(url: str) -> str:
    return url.replace("postgresql+psycopg://", "postgresql://")


@pytest.fixture(scope="session")
def axe_script() -> Path:
    """axe-core from npm in <repo>/.cache/tools (scripts/ensure-tools.sh installs it; here too)."""
    if not AXE.is_file():
        npm = shutil.which("npm")
        if npm is None:
            pytest.fail(f"npm is needed to install {AXE_PACKAGE}: run scripts/ensure-tools.sh")
        TOOLS.mkdir(parents=True, exist_ok=True)
        result = subprocess.run(
            [
                npm,
                "install",
                "--prefix",
                str(TOOLS),
                "--no-audit",
                "--no-fund",
                "--loglevel=error",
                AXE_PACKAGE,
            ],
            capture_output=True,
            text=True,
            timeout=600,
        )
        if result.returncode != 0 or not AXE.is_file():
            pytest.fail(f"npm install {AXE_PACKAGE} failed:\n{result.stdout}\n{result.stderr}")
    return AXE


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    if not Path(CHROMIUM).is_file():
        pytest.fail(f"{CHROMIUM} is missing: run scripts/ensure-tools.sh (it installs Debian's chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        found = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        yield found
        found.close()


@pytest.fixture(scope="session")
def seeded_template(fresh_database: Any, migrate: Any) -> str:
    """The name of a migrated database holding the demo organisation, to copy per module."""
    from tandem import create_app
    from tandem.core import unit_of_work
    from tandem.core.db import db
    from tandem.demo import seed

    url = fresh_database("browser_seed")
    migrate(url)
    app = create_app(_settings(url, REPO / ".cache" / "browser-instance"))
    with app.app_context():
        seed()
        unit_of_work.commit()
        db.engine.dispose()
    return url.rsplit("/", 1)[1]


def _settings(url: str, instance: Path) -> Any:
    from tandem.settings import Settings

    return Settings(
        database_url=url,
        instance_dir=instance,
        secret_key="browser-test-secret-key-long-enough-for-anything",
        environment="test",
        session_cookie_secure=False,
    )


@pytest.fixture(scope="module")
def live_server(
    seeded_template: str, pg_admin_url: str, as_app_role: Any, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[str]:
    """A werkzeug server thread serving the app on a fresh copy of the seeded demo database,
    connected as the app's ordinary role (row-level security applies, as in production)."""
    import psycopg

    from tandem import create_app
    from tandem.core.db import db

    name = f"tandem_browser_{os.getpid()}_{uuid.uuid4().hex[:6]}"
    with psycopg.connect(_plain(pg_admin_url), autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}" TEMPLATE "{seeded_template}"')
    base = _plain(pg_admin_url).rsplit("/", 1)[0].split("://", 1)[1]
    url = as_app_role(f"postgresql+psycopg://{base}/{name}")
    app = create_app(_settings(url, tmp_path_factory.mktemp("instance")))
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        thread.join(timeout=10)
        with app.app_context():
            db.engine.dispose()
        with psycopg.connect(_plain(pg_admin_url), autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


class Journey:
    """A person's browser tab: signs in, follows links, and has axe-core check each new page.
    Requests to any other host are refused and remembered, and so is anything the page's
    Content-Security-Policy blocked (a test fails on either)."""

    def __init__(self, page: Any, base: str, axe: Path) -> None:
        self.page, self.base, self.axe = page, base, axe
        page.set_default_timeout(10_000)
        self.checked: set[str] = set()
        self.outside: list[str] = []
        self.blocked: list[str] = []
        host = urlsplit(base).netloc

        def console(message: Any) -> None:
            if "Content Security Policy" in message.text:
                self.blocked.append(f"{page.url}: {message.text}")

        page.on("console", console)

        def route(request_route: Any) -> None:
            if urlsplit(request_route.request.url).netloc == host:
                request_route.continue_()
            else:
                self.outside.append(request_route.request.url)
                request_route.abort()

        page.route("**/*", route)

    def goto(self, path: str) -> Any:
        response = self.page.goto(self.base + path)
        self.audit()
        return response

    def sign_in(self, email: str, organisation: str = "demo") -> None:
        self.page.goto(self.base + "/login")
        self.audit()
        self.page.get_by_label("Organisation").fill(organisation)
        self.page.get_by_label("Work email").fill(email)
        self.page.get_by_label("Password").fill(DEMO_PASSWORD)
        with self.page.expect_navigation():
            self.page.get_by_role("button", name="Sign in").click()
        self.audit()

    def sign_out(self) -> None:
        with self.page.expect_navigation():
            self.page.get_by_role("button", name="Sign out").click()

    def submit(self, button: Any) -> None:
        """Click a button that posts a form, wait for the next page, check it."""
        with self.page.expect_navigation():
            button.click()
        self.audit()

    def follow(self, link: Any) -> None:
        with self.page.expect_navigation():
            link.click()
        self.audit()

    def assert_fits_the_screen(self) -> int:
        """Nothing wider than the screen but data tables, and each of those scrolls in its own
        box that the keyboard can reach and a screen reader names; a table that fits is no extra
        tab stop. Returns how many tables scroll."""
        page_overflow, boxes = self.page.evaluate(
            """() => [document.documentElement.scrollWidth - document.documentElement.clientWidth,
                [...document.querySelectorAll('.table-wrap')].map(w => ({
                    overflows: w.scrollWidth > w.clientWidth + 1, focusable: w.tabIndex === 0,
                    role: w.getAttribute('role'), label: w.getAttribute('aria-label')}))]"""
        )
        where = self.page.url
        assert page_overflow <= 1, (where, page_overflow)
        for box in boxes:
            assert box["focusable"] == box["overflows"], (where, box)
            if box["overflows"]:
                assert box["role"] == "region" and box["label"], (where, box)
        return sum(box["overflows"] for box in boxes)

    def audit(self) -> None:
        """axe-core on the page, once per path and state (a page with a form error is new)."""
        key = urlsplit(self.page.url).path
        key = re.sub(r"[0-9a-f]{8}-[0-9a-f-]{27}", "<id>", key)
        key += "#problems" if self.page.locator(".error-summary").count() else ""
        if key in self.checked:
            return
        self.checked.add(key)
        # Evaluated, not added as a <script>: the page's policy rightly refuses inline scripts.
        self.page.evaluate(self.axe.read_text(encoding="utf-8"))
        result = self.page.evaluate(
            "async () => (await axe.run(document, {resultTypes: ['violations']})).violations"
            ".map(v => ({id: v.id, impact: v.impact, help: v.help,"
            " nodes: v.nodes.slice(0, 3).map(n => n.target.join(' '))}))"
        )
        bad = [v for v in result if v["impact"] in BLOCKING]
        assert not bad, f"axe-core on {self.page.url}: {bad}"


@pytest.fixture
def journey(browser: Any, live_server: str, axe_script: Path) -> Any:
    """`journey()` -> a new signed-out tab (its own cookies) on the live server."""
    contexts = []
    journeys: list[Journey] = []

    def make(width: int = 1280, height: int = 900) -> Journey:
        context = browser.new_context(viewport={"width": width, "height": height})
        contexts.append(context)
        found = Journey(context.new_page(), live_server, axe_script)
        journeys.append(found)
        return found

    yield make
    for context in contexts:
        context.close()
    outside = [url for j in journeys for url in j.outside]
    assert not outside, f"requests left the server: {outside}"
    blocked = [message for j in journeys for message in j.blocked]
    assert not blocked, f"the Content-Security-Policy blocked: {blocked}"
