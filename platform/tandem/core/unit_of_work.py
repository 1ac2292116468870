"""The one place that commits: at the end of a successful request, CLI command or job."""

from __future__ import annotations

from flask import Flask, Response

from . import jobs
from .db import db


def commit() -> None:
    """Commit the session, then hand over the jobs the transaction asked for."""
    db.session.commit()
    jobs.dispatch_pending()


def rollback() -> None:
    db.session.rollback()
    jobs.discard_pending()


def install(app: Flask) -> None:
    @app.after_request
    def _commit_successful_requests(response: Response) -> Response:
        if response.status_code < 400:
            commit()
        else:
            rollback()
        return response
