"""Two dispatchers — each with its own engine, as two processes would have — draining one
outbox at once, on the real PostgreSQL and on one SQLite file: every event delivered, none
twice, and never two requests for one event in flight together."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime

import pytest
from sqlalchemy import func, select

from bot.clock import system_clock
from bot.signals.dispatcher import OutboxDispatcher
from bot.signals.outbox import enqueue
from storage import migrate
from storage.db import SessionFactory, create_engine, create_session_factory
from storage.models import OutboxEvent
from tests.fakes.crm_receiver import CrmReceiver

EVENTS = 300


@pytest.fixture
async def two_engines(database_url: str) -> AsyncIterator[tuple[SessionFactory, SessionFactory]]:
    """Two engines on one database (SQLite, then PostgreSQL: `database_url`)."""
    url = database_url
    first, second = create_engine(url), create_engine(url)
    try:
        await migrate.upgrade(first)
        yield create_session_factory(first), create_session_factory(second)
    finally:
        await first.dispose()
        await second.dispose()


def dispatcher(
    factory: SessionFactory, crm: CrmReceiver, secret: str, name: str
) -> OutboxDispatcher:
    return OutboxDispatcher(
        factory,
        url=crm.url,
        secret=secret,
        clock=system_clock,
        instance_id=name,
        max_attempts=20,
        backoff_base_s=0.02,
        backoff_max_s=0.2,
        timeout_s=2.0,
        batch_size=10,
        lease_s=30.0,
        poll_interval_s=0.02,
        concurrency=8,
    )


async def test_two_dispatchers_drain_one_outbox_without_duplicates_or_losses(
    two_engines: tuple[SessionFactory, SessionFactory], secret: str
) -> None:
    first_factory, second_factory = two_engines
    async with first_factory() as session:
        now = datetime.now(UTC)
        ids = [
            await enqueue(session, event_type="lead.hot", customer_id=i, data={"n": i}, now=now)
            for i in range(EVENTS)
        ]
        await session.commit()

    # 30 % of first attempts fail with a 500: those events are retried, by either instance.
    async with CrmReceiver(secret, fail_fraction=0.3, seed=3) as crm:
        one = dispatcher(first_factory, crm, secret, "one")
        two = dispatcher(second_factory, crm, secret, "two")
        one.start()
        two.start()
        try:
            await crm.wait_for(EVENTS, timeout=60)
        finally:
            await one.stop()
            await two.stop()

    accepted = crm.accepted_ids()
    assert set(accepted) == set(ids)  # none lost
    assert max(accepted.values()) == 1  # none delivered twice
    assert crm.overlaps == 0  # never two requests for one event at once
    assert crm.rejected == 0
    failed_first = {d.webhook_id for d in crm.deliveries if d.fault}
    assert 0.2 * EVENTS < len(failed_first) < 0.4 * EVENTS
    assert one.stats.delivered > 0 and two.stats.delivered > 0  # both took part
    assert one.stats.delivered + two.stats.delivered == EVENTS
    async with first_factory() as session:
        result = await session.execute(
            select(OutboxEvent.status, func.count()).group_by(OutboxEvent.status)
        )
        assert dict(result.all()) == {"delivered": EVENTS}  # type: ignore[arg-type]
