"""Outgoing mail over SMTP, configured by the SMTP_* settings (plain, STARTTLS, optional login)."""

from __future__ import annotations

import smtplib
import ssl
from collections.abc import Iterator
from contextlib import contextmanager
from email.message import EmailMessage
from email.utils import make_msgid

from ..settings import Settings

TIMEOUT_SECONDS = 30


class MailNotConfigured(RuntimeError):
    """SMTP_HOST is not set: this deployment sends no mail."""


class MailError(RuntimeError):
    """The SMTP server refused or could not be reached; the message says which."""


class Mailer:
    """One SMTP connection for a batch of messages."""

    def __init__(self, smtp: smtplib.SMTP, sender: str) -> None:
        self._smtp, self.sender = smtp, sender

    def send(self, to: str, subject: str, body: str) -> None:
        message = EmailMessage()
        message["From"], message["To"], message["Subject"] = self.sender, to, subject
        message["Message-ID"] = make_msgid(domain="tandem")
        message.set_content(body)
        try:
            self._smtp.send_message(message)
        except (smtplib.SMTPException, OSError) as exc:
            raise MailError(f"the mail server refused a message: {type(exc).__name__}") from exc


def is_configured(settings: Settings) -> bool:
    return bool(settings.smtp_host)


@contextmanager
def connect(settings: Settings) -> Iterator[Mailer]:
    """`with connect(settings) as mailer: mailer.send(to, subject, body)`."""
    if not settings.smtp_host:
        raise MailNotConfigured("SMTP_HOST is not set")
    try:
        smtp = smtplib.SMTP(settings.smtp_host, settings.smtp_port, timeout=TIMEOUT_SECONDS)
    except OSError as exc:
        raise MailError(
            f"cannot reach the mail server {settings.smtp_host}:{settings.smtp_port}: {exc}"
        ) from exc
    try:
        if settings.smtp_starttls:
            smtp.starttls(context=ssl.create_default_context())
        if settings.smtp_username:
            smtp.login(settings.smtp_username, settings.smtp_password or "")
        yield Mailer(smtp, settings.smtp_from)
    except (smtplib.SMTPException, OSError) as exc:
        raise MailError(f"the mail server refused the session: {type(exc).__name__}") from exc
    finally:
        try:
            smtp.quit()
        except (smtplib.SMTPException, OSError):
            smtp.close()
