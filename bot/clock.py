"""Time as a dependency: services take a clock, tests pass a fixed one."""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta

Clock = Callable[[], datetime]


def system_clock() -> datetime:
    return datetime.now(UTC)


def as_utc(moment: datetime) -> datetime:
    """Aware UTC; a naive value is taken as UTC already (what SQLite hands back)."""
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


def later(at: datetime, started: float) -> datetime:
    """`at` plus the time spent since `started` (a `time.monotonic()` reading): when a reply
    really left, on the same time line as the customer's message (Telegram dates have
    one-second resolution)."""
    return at + timedelta(seconds=time.monotonic() - started)
