"""The bot's health at a glance, for admins: database, customers, recent traffic, uptime."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import timedelta
from importlib.metadata import PackageNotFoundError, version

from bot.clock import Clock
from storage.db import SessionFactory
from storage.repositories import customers, messages

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class StatusReport:
    database: str  # "ok" or "unavailable"
    customers: int | None
    messages_24h: int | None  # received from customers in the last 24 hours
    uptime: str
    version: str


class StatusService:
    def __init__(self, session_factory: SessionFactory, clock: Clock) -> None:
        self.session_factory = session_factory
        self.clock = clock
        self.started_at = clock()

    async def report(self) -> StatusReport:
        now = self.clock()
        uptime = _duration(now - self.started_at)
        try:
            async with self.session_factory() as session:
                total = await customers.count(session)
                recent = await messages.count_incoming_since(session, now - timedelta(days=1))
        except Exception as exc:  # a status report must answer even when the database is down
            log.warning("status: database unavailable: %s", exc)
            return StatusReport("unavailable", None, None, uptime, _version())
        return StatusReport("ok", total, recent, uptime, _version())


def _duration(delta: timedelta) -> str:
    seconds = max(0, int(delta.total_seconds()))
    days, rest = divmod(seconds, 86_400)
    hours, rest = divmod(rest, 3600)
    minutes = rest // 60
    return f"{days}d {hours}h {minutes}m" if days else f"{hours}h {minutes}m"


def _version() -> str:
    try:
        return version("barista")
    except PackageNotFoundError:
        return "dev"
