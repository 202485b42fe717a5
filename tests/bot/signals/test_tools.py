"""`barista outbox list|retry` behind the CLI: listing by status, the table, re-queueing."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest

from bot.tools.outbox import format_events, list_events, retry
from storage.db import SessionFactory
from storage.repositories import outbox as repository
from tests.factories import ManualClock


async def kill(factory: SessionFactory, webhook_ids: list[str], clock: ManualClock) -> None:
    """Dead-letter these events the way a dispatcher does."""
    async with factory() as session:
        claimed = await repository.claim_due(
            session,
            instance_id="tool-test",
            now=clock(),
            lease_until=clock() + timedelta(seconds=60),
            limit=100,
        )
        await repository.mark_dead(
            session,
            [
                repository.Failure(e.id, "HTTP 503: upstream\nunavailable " + "x" * 80, 503)
                for e in claimed
                if e.webhook_id in webhook_ids
            ],
            instance_id="tool-test",
            now=clock(),
        )
        await repository.release(
            session,
            [e.id for e in claimed if e.webhook_id not in webhook_ids],
            instance_id="tool-test",
            now=clock(),
            attempted=False,
        )
        await session.commit()


async def test_list_format_and_retry(
    sqlite_session_factory: SessionFactory,
    enqueue_many: Callable[..., Any],
    clock: ManualClock,
) -> None:
    factory = sqlite_session_factory
    ids = await enqueue_many(factory, 4, clock())
    await kill(factory, ids[:3], clock)

    dead = await list_events(factory)  # dead by default, newest first
    assert [e.webhook_id for e in dead] == list(reversed(ids[:3]))
    assert [e.webhook_id for e in await list_events(factory, status="pending")] == [ids[3]]
    assert len(await list_events(factory, status="all", limit=2)) == 2
    with pytest.raises(ValueError, match="unknown status"):
        await list_events(factory, status="lost")

    table = format_events(dead).splitlines()
    assert table[0].split() == [
        "webhook",
        "id",
        "type",
        "status",
        "tries",
        "customer",
        "created",
        "next/done",
        "last",
    ]
    assert len(table) == 4
    assert ids[0] in table[3] and "lead.hot" in table[3] and " dead " in table[3]
    assert "HTTP 503: upstream unavailable" in table[3] and table[3].endswith("…")
    assert format_events([]) == "no events"

    assert await retry(factory, webhook_ids=[ids[0], ids[3]], clock=clock) == 1
    assert await retry(factory, all_dead=True, clock=clock) == 2
    assert await list_events(factory) == []
    pending = await list_events(factory, status="pending")
    assert {e.webhook_id for e in pending} == set(ids)
    assert {e.attempts for e in pending} == {0}
    with pytest.raises(ValueError, match="either"):
        await retry(factory)
    with pytest.raises(ValueError, match="either"):
        await retry(factory, webhook_ids=[ids[0]], all_dead=True)
