"""`barista outbox list|retry`: look at the webhook outbox and re-queue dead events.

Re-queued events go out at the running bot's dispatcher's next poll (within a second), with
their original webhook id, so a CRM that did get an earlier attempt drops the repeat.
"""

from __future__ import annotations

from collections.abc import Sequence

from bot.clock import Clock, as_utc, system_clock
from bot.signals import describe
from bot.signals.describe import EventSummary
from storage.db import SessionFactory
from storage.repositories import outbox as repository


async def list_events(
    session_factory: SessionFactory, *, status: str = "dead", limit: int = 50
) -> list[EventSummary]:
    """The newest `limit` events with `status` ("pending", "delivered", "dead" or "all")."""
    async with session_factory() as session:
        return await describe.list_events(
            session, status=None if status == "all" else status, limit=limit
        )


def format_events(events: Sequence[EventSummary]) -> str:
    return describe.format_table(events)


async def retry(
    session_factory: SessionFactory,
    *,
    webhook_ids: Sequence[str] | None = None,
    all_dead: bool = False,
    clock: Clock = system_clock,
) -> int:
    """Re-queue dead events — the given ones, or every one with `all_dead` — as pending,
    attempts reset, due now. Returns how many were re-queued (ids that are not dead are
    left as they are)."""
    if all_dead == (webhook_ids is not None):
        raise ValueError("give either webhook ids or all_dead")
    async with session_factory() as session:
        count = await repository.requeue_dead(
            session, webhook_ids=None if all_dead else list(webhook_ids or ()), now=as_utc(clock())
        )
        await session.commit()
    return count
