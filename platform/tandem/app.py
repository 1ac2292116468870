"""create_app(settings=None): the Flask application with its extensions, blueprints and CLI."""

from __future__ import annotations

import gc
from datetime import timedelta

from flask import Flask

from .settings import Settings


def create_app(settings: Settings | None = None) -> Flask:
    settings = settings or Settings.from_env()
    app = Flask(__name__, instance_path=str(settings.instance_dir), static_folder=None)
    _configure(app, settings)
    _init_extensions(app, settings)
    _register_blueprints(app)
    from . import cli

    cli.register(app)
    # What start-up made lives as long as the process: keep it out of every garbage collection
    # (a full one walked ~230k such objects, ~120 ms, and landed in the middle of requests).
    gc.freeze()
    return app


def _configure(app: Flask, settings: Settings) -> None:
    app.extensions["tandem.settings"] = settings
    if settings.is_sqlite and settings.database_url.startswith("sqlite:///"):
        settings.instance_dir.mkdir(parents=True, exist_ok=True)
    app.config.update(
        SECRET_KEY=settings.secret_key,
        SQLALCHEMY_DATABASE_URI=settings.database_url,
        SQLALCHEMY_ENGINE_OPTIONS=_engine_options(settings),
        SESSION_COOKIE_SECURE=settings.session_cookie_secure,
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Lax",
        REMEMBER_COOKIE_SECURE=settings.session_cookie_secure,
        REMEMBER_COOKIE_HTTPONLY=True,
        REMEMBER_COOKIE_SAMESITE="Lax",
        REMEMBER_COOKIE_DURATION=timedelta(days=7),
        PERMANENT_SESSION_LIFETIME=timedelta(hours=12),
        MAX_CONTENT_LENGTH=25 * 1024 * 1024,
        RATELIMIT_STORAGE_URI=settings.redis_url or "memory://",
        RATELIMIT_KEY_PREFIX="tandem-limits",
        TESTING=settings.environment == "test",
    )
    from .core.api import api_config

    api_config(app)
    from .core import logging as tandem_logging

    if settings.environment != "test":  # under pytest, its log capture is the handler
        tandem_logging.configure(settings.log_level, settings.log_json)
    if settings.proxy_hops:
        from werkzeug.middleware.proxy_fix import ProxyFix

        # Behind an ingress: the client's address (rate limits) and scheme come from its headers.
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=settings.proxy_hops, x_proto=settings.proxy_hops)  # type: ignore[method-assign]
    if settings.sentry_dsn:
        _init_sentry(settings)


def _init_sentry(settings: Settings) -> None:
    import sentry_sdk
    from sentry_sdk.integrations.flask import FlaskIntegration

    # Error reporting only, no request bodies or user details: feedback text must never leave.
    sentry_sdk.init(
        dsn=settings.sentry_dsn,
        integrations=[FlaskIntegration()],
        send_default_pii=False,
        max_request_body_size="never",
        environment=settings.environment,
    )


def _engine_options(settings: Settings) -> dict[str, object]:
    if settings.is_sqlite:
        return {"connect_args": {"check_same_thread": False, "timeout": 30}}
    return {"pool_pre_ping": True, "pool_size": 5, "max_overflow": 10}


def _init_extensions(app: Flask, settings: Settings) -> None:
    from flask_migrate import Migrate

    from .core import (
        audit,
        input_guard,
        metrics,
        request_scope,
        row_security,
        security_headers,
        tenancy,
        unit_of_work,
    )
    from .core import logging as tandem_logging
    from .core.api import TandemApi
    from .core.auth import login_manager
    from .core.db import db
    from .core.errors import register_error_handlers
    from .core.limiter import limiter
    from .people import accounts

    tenancy.install()
    row_security.install()
    audit.install()
    db.init_app(app)
    if settings.is_sqlite:
        _enable_sqlite_foreign_keys(app)
    Migrate(app, db, directory=str(settings.migrations_dir), render_as_batch=True, compare_type=True)
    login_manager.init_app(app)
    login_manager.user_loader(accounts.load_session_user)
    login_manager.login_view = "web.login"
    limiter.init_app(app)
    request_scope.install(app, accounts.load_token_user)
    input_guard.install(app)
    security_headers.install(app)
    tandem_logging.install(app)
    unit_of_work.install(app)
    api = TandemApi()
    api.init_app(app)
    app.extensions["tandem.api"] = api
    register_error_handlers(app)
    metrics.install(app, settings.metrics_token)


def _enable_sqlite_foreign_keys(app: Flask) -> None:
    import sqlalchemy as sa

    from .core.db import db

    with app.app_context():

        @sa.event.listens_for(db.engine, "connect")
        def _fk_on(dbapi_connection, _record):  # type: ignore[no-untyped-def]
            cursor = dbapi_connection.cursor()
            cursor.execute("PRAGMA foreign_keys=ON")
            cursor.execute("PRAGMA journal_mode=WAL")
            cursor.close()


def _register_blueprints(app: Flask) -> None:
    from .core.health import health
    from .core.jobs_views import jobs_api
    from .dashboards.views import BLUEPRINTS as DASHBOARDS
    from .feedback.views import BLUEPRINTS as FEEDBACK
    from .goals.views_plans import BLUEPRINTS as GOALS
    from .learning.views import BLUEPRINTS as LEARNING
    from .mentoring.views import BLUEPRINTS as MENTORING
    from .people.views import BLUEPRINTS as PEOPLE
    from .web.views import web

    api = app.extensions["tandem.api"]
    for blueprint in (*PEOPLE, *GOALS, *LEARNING, *FEEDBACK, *MENTORING, *DASHBOARDS, jobs_api):
        api.register_blueprint(blueprint)
    app.register_blueprint(health)
    app.register_blueprint(web)
