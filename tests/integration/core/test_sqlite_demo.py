"""The embedded default (SQLite, jobs inline) that `make demo` runs on must keep working."""

from __future__ import annotations

import re

import pytest

from tandem import create_app
from tandem.core import unit_of_work
from tandem.core.db import db
from tandem.demo import DEMO_PASSWORD, demo_logins, seed
from tandem.settings import Settings

# These tests build their own app on another database, so they must not share the
# rolled-back session of the main test database.
pytestmark = pytest.mark.committed


@pytest.fixture
def demo_app(tmp_path, migrate):
    url = f"sqlite:///{tmp_path / 'demo.db'}"
    migrate(url)
    settings = Settings.from_env({"TANDEM_INSTANCE_DIR": str(tmp_path), "TANDEM_ENV": "demo"})
    app = create_app(settings.with_overrides(database_url=url, session_cookie_secure=False))
    with app.app_context():
        assert seed() is True
        unit_of_work.commit()
        assert seed() is False  # a second start leaves the data alone
    yield app
    with app.app_context():
        db.engine.dispose()


def test_every_printed_demo_login_signs_in(demo_app):
    for _role, email in demo_logins():
        client = demo_app.test_client()
        html = client.get("/login?org=demo").get_data(as_text=True)
        token = re.search(r'name="csrf_token" value="([^"]+)"', html).group(1)
        response = client.post(
            "/login",
            data={"organisation": "demo", "email": email, "password": DEMO_PASSWORD, "csrf_token": token},
        )
        assert response.status_code == 302, email
        assert client.get("/").status_code == 200


def test_demo_org_has_forty_people_five_teams_three_manager_levels_one_hr_admin(demo_app):
    import sqlalchemy as sa

    from tandem.core import tenancy
    from tandem.people import orgchart
    from tandem.people.accounts import tenant_by_slug
    from tandem.people.models import Team, User

    with demo_app.app_context():
        tenant = tenant_by_slug("demo")
        with tenancy.tenant_scope(tenant.id):
            people = db.session.scalars(sa.select(User)).all()
            assert len(people) == 40
            assert db.session.scalar(sa.select(sa.func.count()).select_from(Team)) == 5
            assert [p.role for p in people].count("hr_admin") == 1
            root = next(p for p in people if p.manager_id is None)
            depths = {depth for _person, depth in orgchart.subtree(root.id)}
            managers = orgchart.managers_among({p.id for p in people})
            manager_levels = {0} | {d for p, d in orgchart.subtree(root.id) if p.id in managers}
            assert len(manager_levels) >= 3 and max(depths) >= 3


def test_jobs_run_inline_without_redis(demo_app):
    import io

    from tandem.people.models import User

    client = demo_app.test_client()
    with demo_app.app_context():
        from tandem.core import tenancy
        from tandem.people.accounts import create_token, tenant_by_slug

        tenant = tenant_by_slug("demo")
        with tenancy.tenant_scope(tenant.id):
            admin = db.session.scalar(db.select(User).where(User.role == "hr_admin"))
            _record, secret = create_token(admin, "test")
            unit_of_work.commit()
    csv = b"email,name,manager_email\nnew.person@example.com,New Person,maya.chen@example.com\n"
    response = client.post(
        "/api/v1/people/import",
        headers={"Authorization": f"Bearer {secret}"},
        data={"file": (io.BytesIO(csv), "p.csv"), "background": "true"},
    )
    assert response.status_code == 202
    job = client.get(
        f"/api/v1/jobs/{response.json['id']}", headers={"Authorization": f"Bearer {secret}"}
    ).json
    assert job["status"] == "done" and job["result"]["summary"]["create"] == 1
