"""Fixtures of the signal tests: a migrated SQLite outbox, a webhook secret, the fake CRM
receiver, and a manual clock that starts at the real time (receivers verify signatures with
the Standard Webhooks timestamp tolerance of five minutes against their own clock)."""

from __future__ import annotations

import base64
import os
import random
from collections.abc import AsyncIterator, Callable
from datetime import UTC, datetime
from typing import Any

import pytest

from bot.signals.dispatcher import OutboxDispatcher
from bot.signals.outbox import enqueue
from storage.db import SessionFactory
from tests.factories import ManualClock
from tests.fakes.crm_receiver import CrmReceiver


@pytest.fixture
def clock() -> ManualClock:
    return ManualClock(datetime.now(UTC).replace(microsecond=0))


@pytest.fixture
def secret() -> str:
    return "whsec_" + base64.b64encode(os.urandom(32)).decode()


@pytest.fixture
async def receiver(secret: str) -> AsyncIterator[CrmReceiver]:
    async with CrmReceiver(secret) as crm:
        yield crm


class MaxJitter(random.Random):
    """A random source whose "uniform" draw is always the upper bound: backoff waits become
    exact, so a test knows when a retry is due."""

    def uniform(self, a: float, b: float) -> float:
        return b


DispatcherFactory = Callable[..., OutboxDispatcher]


@pytest.fixture
async def make_dispatcher(
    receiver: CrmReceiver, secret: str, clock: ManualClock
) -> AsyncIterator[DispatcherFactory]:
    """Builds dispatchers for the receiver (stopped at the end of the test)."""
    built: list[OutboxDispatcher] = []

    def build(session_factory: SessionFactory, **overrides: Any) -> OutboxDispatcher:
        options: dict[str, Any] = {
            "url": receiver.url,
            "secret": secret,
            "clock": clock,
            "max_attempts": 5,
            "backoff_base_s": 2.0,
            "backoff_max_s": 60.0,
            "timeout_s": 2.0,
            "lease_s": 30.0,
            "poll_interval_s": 0.05,
            "rng": MaxJitter(),
        }
        options.update(overrides)
        dispatcher = OutboxDispatcher(session_factory, **options)
        built.append(dispatcher)
        return dispatcher

    yield build
    for dispatcher in built:
        await dispatcher.stop(timeout=1.0)


async def enqueue_events(
    session_factory: SessionFactory, count: int, now: datetime, *, event_type: str = "lead.hot"
) -> list[str]:
    """`count` events committed in one transaction; their webhook ids in order."""
    async with session_factory() as session:
        ids = [
            await enqueue(session, event_type=event_type, customer_id=i, data={"n": i}, now=now)
            for i in range(count)
        ]
        await session.commit()
    return ids


@pytest.fixture
def enqueue_many() -> Callable[..., Any]:
    return enqueue_events
