"""Frozen settings read from the environment once, validated at start-up."""

from __future__ import annotations

import os
import secrets
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path


class SettingsError(ValueError):
    """A setting is missing or malformed; the message names it."""


def _flag(value: str | None, default: bool = False) -> bool:
    if value is None or value == "":
        return default
    lowered = value.strip().lower()
    if lowered in {"1", "true", "yes", "on"}:
        return True
    if lowered in {"0", "false", "no", "off"}:
        return False
    raise SettingsError(f"expected a boolean (true/false), got {value!r}")


def _number(env: Mapping[str, str], name: str, default: int) -> int:
    raw = env.get(name)
    if raw is None or raw == "":
        return default
    try:
        value = int(raw)
    except ValueError as exc:
        raise SettingsError(f"{name} must be a number, got {raw!r}") from exc
    if value < 0:
        raise SettingsError(f"{name} must not be negative, got {value}")
    return value


def _normalise_database_url(url: str) -> str:
    # psycopg 3 is the only PostgreSQL driver we ship; accept the common spellings of the URL.
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix) :]
    if url.startswith(("postgresql+psycopg://", "sqlite://")):
        return url
    raise SettingsError(f"DATABASE_URL must be a postgresql:// or sqlite:// URL, got {url.split('://')[0]!r}")


@dataclass(frozen=True)
class Settings:
    """Everything the service needs to know about where it runs."""

    database_url: str
    instance_dir: Path
    secret_key: str
    redis_url: str | None = None
    environment: str = "development"  # development | production | test | demo
    base_url: str = "http://127.0.0.1:5000"
    session_cookie_secure: bool = True
    login_attempts_per_account: str = "5 per 5 minutes"
    login_attempts_per_address: str = "20 per 5 minutes"
    smtp_host: str | None = None
    smtp_port: int = 25
    smtp_username: str | None = None
    smtp_password: str | None = None
    smtp_from: str = "Tandem <no-reply@tandem.invalid>"
    smtp_starttls: bool = False
    log_level: str = "INFO"
    log_json: bool = True
    proxy_hops: int = 0  # how many reverse proxies set X-Forwarded-For/-Proto in front of us
    metrics_token: str | None = None
    sentry_dsn: str | None = None
    # Seconds before each retry of a failed job (so also how many retries there are).
    job_retry_delays: tuple[int, ...] = (10, 60, 300)
    migrations_dir: Path = field(default_factory=lambda: Path(__file__).resolve().parents[2] / "migrations")

    @property
    def jobs_inline(self) -> bool:
        """Without Redis, jobs run in-process right after the transaction that asked for them."""
        return not self.redis_url

    @property
    def is_sqlite(self) -> bool:
        return self.database_url.startswith("sqlite")

    def with_overrides(self, **changes: object) -> Settings:
        return replace(self, **changes)  # type: ignore[arg-type]

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None) -> Settings:
        env = os.environ if env is None else env
        environment = env.get("TANDEM_ENV", "development").strip().lower()
        if environment not in {"development", "production", "test", "demo"}:
            raise SettingsError(
                f"TANDEM_ENV must be development, production, test or demo, got {environment!r}"
            )
        instance_dir = Path(env.get("TANDEM_INSTANCE_DIR") or Path.cwd() / "instance").resolve()
        database_url = _normalise_database_url(
            env.get("DATABASE_URL") or f"sqlite:///{instance_dir / 'tandem.db'}"
        )
        secret_key = env.get("SECRET_KEY", "")
        if not secret_key:
            if environment == "production":
                raise SettingsError("SECRET_KEY is required when TANDEM_ENV=production")
            secret_key = _local_secret_key(instance_dir)
        elif environment == "production" and len(secret_key) < 32:
            raise SettingsError("SECRET_KEY must be at least 32 characters in production")
        smtp_port = _number(env, "SMTP_PORT", 25)
        proxy_hops = _number(env, "PROXY_FIX_HOPS", 0)
        kwargs: dict[str, object] = {}
        if env.get("JOB_RETRY_DELAYS") is not None:
            kwargs["job_retry_delays"] = _delays(env["JOB_RETRY_DELAYS"])
        if env.get("TANDEM_MIGRATIONS_DIR"):
            kwargs["migrations_dir"] = Path(env["TANDEM_MIGRATIONS_DIR"]).resolve()
        return cls(
            database_url=database_url,
            instance_dir=instance_dir,
            secret_key=secret_key,
            redis_url=env.get("REDIS_URL") or None,
            environment=environment,
            base_url=env.get("TANDEM_BASE_URL", "http://127.0.0.1:5000").rstrip("/"),
            session_cookie_secure=_flag(
                env.get("SESSION_COOKIE_SECURE"), default=environment == "production"
            ),
            smtp_host=env.get("SMTP_HOST") or None,
            smtp_port=smtp_port,
            smtp_username=env.get("SMTP_USERNAME") or None,
            smtp_password=env.get("SMTP_PASSWORD") or None,
            smtp_from=env.get("SMTP_FROM") or "Tandem <no-reply@tandem.invalid>",
            smtp_starttls=_flag(env.get("SMTP_STARTTLS")),
            log_level=env.get("LOG_LEVEL", "INFO").upper(),
            log_json=_flag(env.get("LOG_JSON"), default=True),
            proxy_hops=proxy_hops,
            metrics_token=env.get("METRICS_TOKEN") or None,
            sentry_dsn=env.get("SENTRY_DSN") or None,
            **kwargs,  # type: ignore[arg-type]
        )


def _delays(raw: str) -> tuple[int, ...]:
    """"10,60,300" -> (10, 60, 300); empty means no retries."""
    try:
        delays = tuple(int(part) for part in raw.replace(" ", "").split(",") if part)
    except ValueError:
        raise SettingsError(f"JOB_RETRY_DELAYS must be comma-separated whole seconds, got {raw!r}") from None
    if any(d < 0 for d in delays) or len(delays) > 10:
        raise SettingsError(f"JOB_RETRY_DELAYS takes up to 10 delays of 0 seconds or more, got {raw!r}")
    return delays


def _local_secret_key(instance_dir: Path) -> str:
    """Outside production a missing SECRET_KEY is generated once and kept in the instance folder,
    so sessions survive restarts of a local or demo server without any set-up."""
    path = instance_dir / "secret_key"
    if path.exists():
        return path.read_text().strip()
    instance_dir.mkdir(parents=True, exist_ok=True)
    key = secrets.token_urlsafe(48)
    path.write_text(key)
    path.chmod(0o600)
    return key
