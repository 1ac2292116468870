"""Alembic environment: the URL comes from Settings (or the caller); no Flask app is needed."""

from __future__ import annotations

from logging.config import fileConfig

import sqlalchemy as sa
from alembic import context

from tandem.models_registry import metadata
from tandem.settings import Settings

config = context.config
if config.config_file_name and config.attributes.get("configure_logger", True):
    fileConfig(config.config_file_name, disable_existing_loggers=False)


def _database_url() -> str:
    if config.attributes.get("database_url"):
        return str(config.attributes["database_url"])
    try:  # `tandem db ...` runs inside the app: use the settings it was built with
        from flask import current_app

        return str(current_app.extensions["tandem.settings"].database_url)
    except (RuntimeError, KeyError):
        return Settings.from_env().database_url


def _configure(connection: sa.Connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=metadata,
        render_as_batch=connection.dialect.name == "sqlite",  # SQLite cannot ALTER constraints
        compare_type=True,
    )


def run_offline() -> None:
    context.configure(url=_database_url(), target_metadata=metadata, literal_binds=True,
                      compare_type=True)
    with context.begin_transaction():
        context.run_migrations()


def run_online() -> None:
    connection = config.attributes.get("connection")
    if connection is not None:
        _configure(connection)
        with context.begin_transaction():
            context.run_migrations()
        return
    engine = sa.create_engine(_database_url(), poolclass=sa.pool.NullPool)
    with engine.connect() as connection:
        _configure(connection)
        with context.begin_transaction():
            context.run_migrations()
    engine.dispose()


if context.is_offline_mode():
    run_offline()
else:
    run_online()
