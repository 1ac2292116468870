"""Screenshots of the demo's main pages for the README's tour (docs/screenshots/*.png).

Runs the demo app on a temporary SQLite database seeded with the demo organisation (jobs inline,
so the dashboards are built by the seed) on a free loopback port, drives Debian's Chromium with
Playwright (no `playwright install`), signs in as the right demo person for each page and saves
1280x800 PNGs, plus one at phone size (390x844).

    .venv/bin/python scripts/screenshots.py [--out docs/screenshots] [--only home,goal]
"""

from __future__ import annotations

import argparse
import logging
import os
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "platform"))
sys.path.insert(0, str(REPO))

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
DESKTOP = {"width": 1280, "height": 800}
PHONE = {"width": 390, "height": 844}
MAX_BYTES = 300_000


# --- the demo server ------------------------------------------------------------------------------


@contextmanager
def demo_server(workdir: Path) -> Iterator[tuple[str, Any]]:
    """The demo app on a fresh SQLite database in `workdir`, served on a free loopback port;
    yields (base url, app)."""
    from flask_migrate import upgrade
    from werkzeug.serving import make_server

    from tandem import create_app
    from tandem.core import unit_of_work
    from tandem.demo import seed
    from tandem.settings import Settings

    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "REDIS_URL")}
    env.update(TANDEM_ENV="demo", TANDEM_INSTANCE_DIR=str(workdir))
    settings = Settings.from_env(env).with_overrides(
        database_url=f"sqlite:///{workdir / 'demo.db'}", session_cookie_secure=False
    )
    app = create_app(settings)
    with app.app_context():
        upgrade(directory=str(settings.migrations_dir))
        started = time.monotonic()
        seed()
        unit_of_work.commit()
        print(f"seeded the demo in {time.monotonic() - started:.1f} s", flush=True)
    logging.getLogger("werkzeug").setLevel(logging.WARNING)  # no line per request
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}", app
    finally:
        server.shutdown()
        thread.join(timeout=10)


def demo_ids(app: Any) -> dict[str, str]:
    """Ids the tour's pages need, read from the seeded database."""
    import sqlalchemy as sa

    from tandem.core import tenancy
    from tandem.core.db import db
    from tandem.feedback.models import FeedbackRequest
    from tandem.goals.models import CheckIn, Goal
    from tandem.mentoring.models import MentoringRequest
    from tandem.people.accounts import tenant_by_slug
    from tandem.people.models import User

    with app.app_context():
        tenant = tenant_by_slug("demo")
        with tenancy.tenant_scope(tenant.id):
            people = dict(db.session.execute(sa.select(User.email, User.id)).all())
            sam = people["sam.rivera@example.com"]
            goal = db.session.execute(
                sa.select(Goal.id)
                .join(CheckIn, CheckIn.goal_id == Goal.id)
                .where(Goal.owner_id == sam, Goal.measure_kind == "numeric")
                .group_by(Goal.id)
                .order_by(sa.func.count().desc(), Goal.id)
                .limit(1)
            ).scalar_one()
            diego = people["diego.santos@example.com"]
            feedback = db.session.scalars(
                sa.select(FeedbackRequest.id).where(FeedbackRequest.subject_id == diego)
            ).first()
            jonas = people["jonas.berg@example.com"]
            mentoring = db.session.scalars(
                sa.select(MentoringRequest.id).where(
                    MentoringRequest.mentee_id == jonas, MentoringRequest.status == "open"
                )
            ).first()
            return {"goal": str(goal), "feedback": str(feedback), "mentoring": str(mentoring)}


def has_route(app: Any, rule: str) -> bool:
    return any(r.rule == rule for r in app.url_map.iter_rules())


# --- the shots -------------------------------------------------------------------------------------


class Shooter:
    def __init__(self, browser: Any, base: str, out: Path) -> None:
        self.browser, self.base, self.out = browser, base, out
        self.saved: list[Path] = []

    def tab(self, email: str, viewport: dict[str, int] = DESKTOP) -> Any:
        context = self.browser.new_context(viewport=viewport, device_scale_factor=1)
        page = context.new_page()
        page.set_default_timeout(20_000)
        page.goto(f"{self.base}/login?org=demo")
        page.get_by_label("Organisation").fill("demo")
        page.get_by_label("Work email").fill(email)
        page.get_by_label("Password").fill("tandem-demo-2026")
        with page.expect_navigation():
            page.get_by_role("button", name="Sign in").click()
        return page

    def save(self, page: Any, name: str, scroll_to: str | None = None, top: str | None = None) -> None:
        page.wait_for_load_state("networkidle")
        if top:
            # That element at the top of the window.
            page.locator(top).first.evaluate(
                "el => window.scrollTo(0, el.getBoundingClientRect().top + window.scrollY - 16)"
            )
        if scroll_to:
            # Scroll just enough that the whole element shows, its bottom near the window's.
            page.locator(scroll_to).first.evaluate(
                "el => window.scrollTo(0, Math.max(0,"
                " el.getBoundingClientRect().bottom + window.scrollY - window.innerHeight + 24))"
            )
        page.wait_for_timeout(300)  # charts draw without animation; let the layout settle
        path = self.out / f"{name}.png"
        page.screenshot(path=str(path), full_page=False)
        shrink(path)
        self.saved.append(path)
        print(f"  {path.relative_to(REPO)}  {path.stat().st_size // 1024} kB", flush=True)
        page.context.close()


def shrink(path: Path) -> None:
    """Fewer colours for a smaller file when Pillow is installed (pages are mostly flat colour,
    and Chromium's own PNGs of them are already well under the limit without it)."""
    try:
        from PIL import Image
    except ImportError:
        return
    with Image.open(path) as image:
        small = image.convert("RGB").quantize(colors=256, method=Image.Quantize.MEDIANCUT)
    small.save(path, optimize=True)


def import_csv() -> bytes:
    """The demo's people with two newcomers and two rows that are wrong, for the dry run."""
    from tandem.people.demo_data import demo_csv

    extra = [
        'noor.aziz@example.com,"Noor Aziz","Backend Engineer",Platform,lena.fischer@example.com,employee',
        'tom.berg@example.com,"Tom Berg","Data Analyst",Data,nobody@example.com,employee',
        'not-an-email,"Kim Lee","Designer",Product,maya.chen@example.com,employee',
        'li.wei@example.com,"Li Wei","Product Manager",Product,maya.chen@example.com,employee',
    ]
    return (demo_csv() + "\n".join(extra) + "\n").encode()


def shots(shooter: Shooter, app: Any, ids: dict[str, str]) -> dict[str, Callable[[], None]]:
    s = shooter

    def home() -> None:
        page = s.tab("sam.rivera@example.com")
        s.save(page, "home")

    def goal() -> None:
        page = s.tab("sam.rivera@example.com")
        page.goto(f"{s.base}/goals/{ids['goal']}")
        s.save(page, "goal", scroll_to="#goal-progress")

    def feedback() -> None:
        page = s.tab("diego.santos@example.com")
        page.goto(f"{s.base}/feedback/requests/{ids['feedback']}/results")
        s.save(page, "feedback-results", scroll_to="#pooled-means-title + .chart-box")

    def gaps() -> None:
        page = s.tab("sam.rivera@example.com")
        page.goto(f"{s.base}/skills/gaps")
        s.save(page, "skill-gaps")

    def mentors() -> None:
        page = s.tab("jonas.berg@example.com")
        page.goto(f"{s.base}/mentoring/requests/{ids['mentoring']}")
        s.save(page, "mentor-suggestions")

    def dashboard() -> None:
        page = s.tab("maya.chen@example.com")
        page.goto(f"{s.base}/dashboards/me")
        s.save(page, "manager-dashboard", top=".dash-charts")

    def import_dry_run() -> None:
        page = s.tab("harper.hughes@example.com")
        page.goto(f"{s.base}/admin/people/import")
        page.locator('input[type="file"]').set_input_files(
            files=[{"name": "people.csv", "mimeType": "text/csv", "buffer": import_csv()}]
        )
        with page.expect_navigation():
            page.get_by_role("button", name="Check the file (dry run)").click()
        s.save(page, "admin-import-dry-run", top="#import-report h3")

    def org_chart() -> None:
        page = s.tab("harper.hughes@example.com")
        page.goto(f"{s.base}/admin/org")
        s.save(page, "admin-org-chart")

    def phone() -> None:
        page = s.tab("sam.rivera@example.com", PHONE)
        s.save(page, "home-phone")

    found = {
        "home": home,
        "goal": goal,
        "feedback": feedback,
        "gaps": gaps,
        "mentors": mentors,
        "dashboard": dashboard,
        "import": import_dry_run,
        "org": org_chart,
        "phone": phone,
    }
    for name, rule in (
        ("dashboard", "/dashboards/me"),
        ("import", "/admin/people/import"),
        ("org", "/admin/org"),
    ):
        if not has_route(app, rule):
            print(f"  skipped {name}: {rule} is not in this version", flush=True)
            del found[name]
    return found


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", type=Path, default=REPO / "docs" / "screenshots")
    parser.add_argument("--only", default="", help="comma-separated shot names (default: all)")
    args = parser.parse_args(argv)
    if not Path(CHROMIUM).is_file():
        print(f"{CHROMIUM} is missing: run scripts/ensure-tools.sh", file=sys.stderr)
        return 2
    from playwright.sync_api import sync_playwright

    args.out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="tandem-shots-") as tmp, demo_server(Path(tmp)) as (base, app):
        ids = demo_ids(app)
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
            shooter = Shooter(browser, base, args.out.resolve())
            wanted = {n for n in args.only.split(",") if n}
            for name, shot in shots(shooter, app, ids).items():
                if not wanted or name in wanted:
                    shot()
            browser.close()
    big = [p for p in shooter.saved if p.stat().st_size > MAX_BYTES]
    for path in big:
        print(
            f"{path.name} is {path.stat().st_size // 1024} kB (over {MAX_BYTES // 1000} kB)", file=sys.stderr
        )
    return 1 if big else 0


if __name__ == "__main__":
    sys.exit(main())
