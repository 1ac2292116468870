"""Seeded streams (content and ids) per domain, UTC moments relative to --today, chunked bulk writes."""

from __future__ import annotations

import random
import uuid
from collections.abc import Iterable
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from ..core import tenancy
from ..core.db import db

CHUNK = 20_000


class Stream:
    """One domain's randomness. Content comes from the seed alone, so two tenants seeded alike look
    alike; ids also mix in the slug, so both can live in one database (ids are global keys)."""

    def __init__(self, seed: int, slug: str, domain: str) -> None:
        self.rng = random.Random(f"tandem-synthetic:{seed}:{domain}")
        self._ids = random.Random(f"tandem-synthetic-ids:{seed}:{slug}:{domain}")

    def uuid(self) -> uuid.UUID:
        return uuid.UUID(int=self._ids.getrandbits(128), version=4)

    def nonce(self) -> str:
        return f"{self._ids.getrandbits(64):016x}"


class Clock:
    """Every date and timestamp is an offset from --today, never the wall clock."""

    def __init__(self, today: date) -> None:
        self.today = today
        self.morning = datetime.combine(today, time(9, 0), tzinfo=UTC)

    def day(self, offset: int) -> date:
        return self.today + timedelta(days=offset)

    def at(self, day: date, minutes: int = 0) -> datetime:
        """`day` at 09:00 UTC plus `minutes` (a working day spread over the morning and afternoon)."""
        return datetime.combine(day, time(9, 0), tzinfo=UTC) + timedelta(minutes=minutes)

    def ago(self, days: float) -> datetime:
        return self.morning - timedelta(days=days)


def write(model: Any, rows: Iterable[dict[str, Any]], chunk: int = CHUNK) -> int:
    """Bulk-insert rows as they are produced, `chunk` at a time, so a big table never sits in
    memory whole; returns how many were written."""
    batch: list[dict[str, Any]] = []
    written = 0
    for row in rows:
        batch.append(row)
        if len(batch) >= chunk:
            tenancy.bulk_insert(db.session, model, batch)
            written += len(batch)
            batch = []
    if batch:
        tenancy.bulk_insert(db.session, model, batch)
        written += len(batch)
    return written
