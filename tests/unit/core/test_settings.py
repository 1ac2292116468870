"""Settings read from the environment: defaults, validation, production requirements."""

from __future__ import annotations

import pytest

from tandem.settings import Settings, SettingsError


def test_defaults_are_the_embedded_ones(tmp_path):
    settings = Settings.from_env({"TANDEM_INSTANCE_DIR": str(tmp_path)})
    assert settings.database_url == f"sqlite:///{tmp_path / 'tandem.db'}"
    assert settings.jobs_inline and settings.redis_url is None
    assert (tmp_path / "secret_key").exists()  # generated once outside production
    assert Settings.from_env({"TANDEM_INSTANCE_DIR": str(tmp_path)}).secret_key == settings.secret_key


def test_postgres_urls_use_psycopg(tmp_path):
    settings = Settings.from_env({"TANDEM_INSTANCE_DIR": str(tmp_path), "DATABASE_URL": "postgres://u@h/db"})
    assert settings.database_url == "postgresql+psycopg://u@h/db"


def test_production_requires_a_long_secret_key(tmp_path):
    with pytest.raises(SettingsError, match="SECRET_KEY is required"):
        Settings.from_env({"TANDEM_INSTANCE_DIR": str(tmp_path), "TANDEM_ENV": "production"})
    with pytest.raises(SettingsError, match="at least 32"):
        Settings.from_env(
            {"TANDEM_INSTANCE_DIR": str(tmp_path), "TANDEM_ENV": "production", "SECRET_KEY": "short"}
        )


def test_production_cookies_are_secure(tmp_path):
    settings = Settings.from_env(
        {"TANDEM_INSTANCE_DIR": str(tmp_path), "TANDEM_ENV": "production", "SECRET_KEY": "x" * 40}
    )
    assert settings.session_cookie_secure


@pytest.mark.parametrize(
    ("env", "message"),
    [
        ({"DATABASE_URL": "mysql://x"}, "DATABASE_URL"),
        ({"SMTP_PORT": "twenty-five"}, "SMTP_PORT"),
        ({"TANDEM_ENV": "staging"}, "TANDEM_ENV"),
        ({"SMTP_STARTTLS": "maybe"}, "boolean"),
    ],
)
def test_bad_values_name_the_setting(tmp_path, env, message):
    with pytest.raises(SettingsError, match=message):
        Settings.from_env({"TANDEM_INSTANCE_DIR": str(tmp_path), **env})
