"""The outbox dispatcher against a real HTTP receiver on 127.0.0.1 that verifies every
signature with the Standard Webhooks reference implementation: delivery, retries with
backoff, dead letters, 410, restarts and crashes in the middle of a batch."""

from __future__ import annotations

import asyncio
import logging
import random
import time
from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest
from sqlmodel import select

from bot.settings import load_settings
from bot.signals.delivery import backoff_s
from bot.signals.dispatcher import OutboxDispatcher, dispatcher_from_settings
from bot.signals.outbox import enqueue
from bot.tools.outbox import retry
from storage.db import SessionFactory
from storage.models import OutboxEvent
from storage.repositories import outbox as repository
from tests.factories import ManualClock
from tests.fakes.crm_receiver import CrmReceiver

Build = Callable[..., OutboxDispatcher]
Enqueue = Callable[..., Any]


async def rows(session_factory: SessionFactory) -> dict[str, OutboxEvent]:
    async with session_factory() as session:
        result = await session.execute(select(OutboxEvent))
        return {row.webhook_id: row for row in result.scalars()}


async def test_delivers_signed_events_once(
    sqlite_session_factory: SessionFactory,
    receiver: CrmReceiver,
    make_dispatcher: Build,
    enqueue_many: Enqueue,
    clock: ManualClock,
) -> None:
    ids = await enqueue_many(sqlite_session_factory, 3, clock())
    dispatcher = make_dispatcher(sqlite_session_factory)

    assert await dispatcher.run_once() == 3
    assert await dispatcher.run_once() == 0

    assert receiver.rejected == 0  # every signature verified
    assert sorted(d.webhook_id for d in receiver.accepted()) == sorted(ids)
    delivery = receiver.accepted()[0]
    assert delivery.attempt == 1
    assert set(delivery.body) == {"type", "timestamp", "data"}
    assert delivery.body["type"] == "lead.hot"
    stored = await rows(sqlite_session_factory)
    for row in stored.values():
        assert row.status == "delivered"
        assert row.attempts == 1
        assert row.last_status_code == 200
        assert row.delivered_at is not None
        assert row.claimed_by is None
    assert dispatcher.stats.delivered == 3


async def test_nothing_is_sent_for_a_rolled_back_transaction(
    sqlite_session_factory: SessionFactory,
    receiver: CrmReceiver,
    make_dispatcher: Build,
    clock: ManualClock,
) -> None:
    async with sqlite_session_factory() as session:
        await enqueue(session, event_type="lead.hot", customer_id=1, data={}, now=clock())
        await session.rollback()

    assert await make_dispatcher(sqlite_session_factory).run_once() == 0
    assert receiver.deliveries == []
    assert await rows(sqlite_session_factory) == {}


@pytest.mark.parametrize("fault", ["500", "drop", "hang"])
async def test_a_failed_attempt_is_retried_after_its_backoff_with_the_same_id(
    fault: str,
    sqlite_session_factory: SessionFactory,
    receiver: CrmReceiver,
    make_dispatcher: Build,
    enqueue_many: Enqueue,
    clock: ManualClock,
) -> None:
    receiver.fail_first, receiver.fault, receiver.hang_s = 1, fault, 5.0  # type: ignore[assignment]
    [webhook_id] = await enqueue_many(sqlite_session_factory, 1, clock())
    dispatcher = make_dispatcher(sqlite_session_factory, timeout_s=0.5, backoff_base_s=2.0)

    assert await dispatcher.run_once() == 1
    row = (await rows(sqlite_session_factory))[webhook_id]
    assert row.status == "pending"
    assert row.attempts == 1
    # MaxJitter: the wait after the first failure is exactly the base.
    assert row.next_attempt_at == clock() + timedelta(seconds=2)
    expected_error = {"500": "HTTP 500: internal error second line", "hang": "timeout"}
    if fault in expected_error:
        assert row.last_error == expected_error[fault]
    else:
        assert row.last_error  # the client's own words about the dropped connection
    assert row.last_status_code == (500 if fault == "500" else None)

    clock.advance(1.9)
    assert await dispatcher.run_once() == 0  # not due yet
    clock.advance(0.1)
    assert await dispatcher.run_once() == 1

    attempts = receiver.attempts_of(webhook_id)
    assert [(d.attempt, d.accepted) for d in attempts] == [(1, False), (2, True)]
    assert {d.body["timestamp"] for d in attempts} == {attempts[0].body["timestamp"]}
    row = (await rows(sqlite_session_factory))[webhook_id]
    assert (row.status, row.attempts, row.last_error) == ("delivered", 2, None)


def test_backoff_doubles_up_to_the_cap_with_full_jitter() -> None:
    class Top(random.Random):
        def uniform(self, a: float, b: float) -> float:
            return b

    ceilings = [backoff_s(n, base_s=2.0, max_s=10.0, rng=Top()) for n in range(1, 7)]
    assert ceilings == [2.0, 4.0, 8.0, 10.0, 10.0, 10.0]
    assert backoff_s(500, base_s=2.0, max_s=3600.0, rng=Top()) == 3600.0  # no overflow
    rng = random.Random(7)
    draws = [backoff_s(3, base_s=2.0, max_s=60.0, rng=rng) for _ in range(2000)]
    assert 0.0 <= min(draws) < 0.1 and 7.9 < max(draws) <= 8.0  # spread over [0, 8]


async def test_dead_letter_after_max_attempts_then_retry_requeues_it(
    sqlite_session_factory: SessionFactory,
    receiver: CrmReceiver,
    make_dispatcher: Build,
    enqueue_many: Enqueue,
    clock: ManualClock,
    caplog: pytest.LogCaptureFixture,
    secret: str,
) -> None:
    receiver.fail_first = 1000
    [webhook_id] = await enqueue_many(sqlite_session_factory, 1, clock())
    dispatcher = make_dispatcher(
        sqlite_session_factory, max_attempts=3, backoff_base_s=1.0, backoff_max_s=1.5
    )
    caplog.set_level(logging.DEBUG)

    for _ in range(3):
        assert await dispatcher.run_once() == 1
        clock.advance(1.5)
    assert await dispatcher.run_once() == 0

    row = (await rows(sqlite_session_factory))[webhook_id]
    assert (row.status, row.attempts, row.last_status_code) == ("dead", 3, 500)
    assert len(receiver.attempts_of(webhook_id)) == 3
    warnings = [r for r in caplog.records if r.levelno == logging.WARNING]
    assert len(warnings) == 1
    assert webhook_id in warnings[0].getMessage()
    assert "HTTP 500" in warnings[0].getMessage()
    secret_body = secret.removeprefix("whsec_")
    assert secret_body not in caplog.text

    receiver.fail_first = 0
    assert await retry(sqlite_session_factory, webhook_ids=[webhook_id], clock=clock) == 1
    row = (await rows(sqlite_session_factory))[webhook_id]
    assert (row.status, row.attempts) == ("pending", 0)
    assert row.next_attempt_at == clock()
    assert await dispatcher.run_once() == 1
    assert receiver.accepted_ids() == {webhook_id: 1}
    assert [d.attempt for d in receiver.attempts_of(webhook_id)] == [1, 2, 3, 4]


async def test_gone_is_dead_at_once(
    sqlite_session_factory: SessionFactory,
    receiver: CrmReceiver,
    make_dispatcher: Build,
    enqueue_many: Enqueue,
    clock: ManualClock,
) -> None:
    gone, fine = await enqueue_many(sqlite_session_factory, 2, clock())
    receiver.gone.add(gone)
    dispatcher = make_dispatcher(sqlite_session_factory, max_attempts=10)

    assert await dispatcher.run_once() == 2
    stored = await rows(sqlite_session_factory)
    assert (stored[gone].status, stored[gone].attempts, stored[gone].last_status_code) == (
        "dead",
        1,
        410,
    )
    assert stored[fine].status == "delivered"
    clock.advance(3600)
    assert await dispatcher.run_once() == 0


async def test_deliveries_of_a_batch_run_concurrently_within_the_bound(
    sqlite_session_factory: SessionFactory,
    receiver: CrmReceiver,
    make_dispatcher: Build,
    enqueue_many: Enqueue,
    clock: ManualClock,
) -> None:
    receiver.delay_s = 0.3
    await enqueue_many(sqlite_session_factory, 12, clock())
    dispatcher = make_dispatcher(sqlite_session_factory, concurrency=6)

    started = time.monotonic()
    assert await dispatcher.run_once() == 12
    elapsed = time.monotonic() - started

    assert len(receiver.accepted()) == 12
    assert receiver.most_in_flight == 6
    assert elapsed < 1.5  # two waves of 0.3 s, not twelve


async def test_a_delivery_the_lease_cannot_cover_is_not_started(
    sqlite_session_factory: SessionFactory,
    receiver: CrmReceiver,
    make_dispatcher: Build,
    enqueue_many: Enqueue,
    clock: ManualClock,
) -> None:
    # Deliveries may start for lease × 0.75 − timeout = 0.25 s; one at a time, 0.4 s each.
    receiver.delay_s = 0.4
    ids = await enqueue_many(sqlite_session_factory, 3, clock())
    dispatcher = make_dispatcher(sqlite_session_factory, concurrency=1, lease_s=1.0, timeout_s=0.5)

    assert await dispatcher.run_once() == 3

    stored = await rows(sqlite_session_factory)
    assert [stored[i].status for i in ids] == ["delivered", "pending", "pending"]
    # Given back unsent: due now, the claim's attempt not counted.
    assert [stored[i].attempts for i in ids[1:]] == [0, 0]
    assert all(stored[i].next_attempt_at == clock() for i in ids[1:])
    assert all(stored[i].claimed_by is None for i in ids[1:])
    assert len(receiver.deliveries) == 1


async def test_a_stop_mid_batch_gives_unsent_and_interrupted_events_back(
    sqlite_session_factory: SessionFactory,
    receiver: CrmReceiver,
    make_dispatcher: Build,
    enqueue_many: Enqueue,
    clock: ManualClock,
) -> None:
    receiver.fail_first, receiver.fault, receiver.hang_s = 1, "hang", 30.0  # type: ignore[assignment]
    ids = await enqueue_many(sqlite_session_factory, 6, clock())
    first = make_dispatcher(
        sqlite_session_factory, instance_id="first", concurrency=3, timeout_s=10.0
    )
    first.start()
    await _until(lambda: len(receiver.deliveries) == 3)

    await first.stop(timeout=0.2)  # the three in flight hang: cancelled

    stored = await rows(sqlite_session_factory)
    assert all(row.status == "pending" and row.claimed_by is None for row in stored.values())
    assert sorted(row.attempts for row in stored.values()) == [0, 0, 0, 1, 1, 1]
    assert all(row.next_attempt_at == clock() for row in stored.values())  # no lease wait

    receiver.fail_first = 0
    second = make_dispatcher(sqlite_session_factory, instance_id="second")
    assert await second.run_once() == 6
    assert set(receiver.accepted_ids()) == set(ids)
    assert max(receiver.accepted_ids().values()) == 1
    interrupted = {d.webhook_id for d in receiver.deliveries if d.fault == "hang"}
    assert len(interrupted) == 3
    for webhook_id in interrupted:  # sent again under the same id
        assert [d.attempt for d in receiver.attempts_of(webhook_id)] == [1, 2]


class CrashingAfterSending:
    """A session factory whose dispatcher "dies" after it sent a batch: the transaction
    that would record the outcomes never happens (as with SIGKILL or a lost database)."""

    def __init__(self, inner: SessionFactory) -> None:
        self.inner = inner
        self.calls = 0

    def __call__(self) -> Any:
        self.calls += 1
        if self.calls > 1:
            raise ConnectionError("the process died")
        return self.inner()


async def test_after_a_crash_the_lease_expires_and_another_instance_delivers_again(
    sqlite_session_factory: SessionFactory,
    receiver: CrmReceiver,
    make_dispatcher: Build,
    enqueue_many: Enqueue,
    clock: ManualClock,
) -> None:
    ids = await enqueue_many(sqlite_session_factory, 4, clock())
    doomed = make_dispatcher(
        CrashingAfterSending(sqlite_session_factory), instance_id="doomed", lease_s=30.0
    )
    with pytest.raises(ConnectionError):
        await doomed.run_once()
    assert len(receiver.accepted()) == 4  # sent, but nothing recorded

    heir = make_dispatcher(sqlite_session_factory, instance_id="heir")
    assert await heir.run_once() == 0  # still under the dead instance's lease
    stored = await rows(sqlite_session_factory)
    assert {row.claimed_by for row in stored.values()} == {"doomed"}

    clock.advance(30)
    assert await heir.run_once() == 4

    counts = receiver.accepted_ids()
    assert set(counts) == set(ids)  # nothing lost
    assert set(counts.values()) == {2}  # each repeated once, under its own id
    stored = await rows(sqlite_session_factory)
    assert {(row.status, row.attempts) for row in stored.values()} == {("delivered", 2)}


async def test_notify_wakes_a_running_dispatcher_at_once(
    sqlite_session_factory: SessionFactory,
    receiver: CrmReceiver,
    make_dispatcher: Build,
    enqueue_many: Enqueue,
    clock: ManualClock,
) -> None:
    dispatcher = make_dispatcher(sqlite_session_factory, poll_interval_s=60.0)
    dispatcher.start()
    await asyncio.sleep(0.1)  # the first round found nothing and sleeps for a minute
    assert dispatcher.running

    [webhook_id] = await enqueue_many(sqlite_session_factory, 1, clock())
    dispatcher.notify()
    await receiver.wait_for(1, timeout=2.0)

    assert receiver.accepted_ids() == {webhook_id: 1}
    await dispatcher.stop()
    assert not dispatcher.running


async def test_a_failed_round_does_not_stop_the_dispatcher(
    sqlite_session_factory: SessionFactory,
    receiver: CrmReceiver,
    make_dispatcher: Build,
    enqueue_many: Enqueue,
    clock: ManualClock,
    caplog: pytest.LogCaptureFixture,
) -> None:
    class FlakyDatabase:
        def __init__(self) -> None:
            self.failures = 2

        def __call__(self) -> Any:
            if self.failures:
                self.failures -= 1
                raise ConnectionError("database restarting")
            return sqlite_session_factory()

    [webhook_id] = await enqueue_many(sqlite_session_factory, 1, clock())
    dispatcher = make_dispatcher(FlakyDatabase(), poll_interval_s=0.01)
    dispatcher.start()
    await receiver.wait_for(1, timeout=3.0)

    assert receiver.accepted_ids() == {webhook_id: 1}
    assert "round failed" in caplog.text


def test_built_from_settings_only_when_a_url_is_set(
    sqlite_session_factory: SessionFactory, secret: str, clock: ManualClock
) -> None:
    assert (
        dispatcher_from_settings(load_settings(_env_file=None), sqlite_session_factory, clock=clock)
        is None
    )
    settings = load_settings(
        _env_file=None,
        crm_webhook_url="https://crm.example/hooks",
        crm_webhook_secret=secret,
        outbox_max_attempts=4,
        crm_webhook_timeout=5,
    )
    dispatcher = dispatcher_from_settings(settings, sqlite_session_factory, clock=clock)
    assert dispatcher is not None
    assert (dispatcher.url, dispatcher.max_attempts, dispatcher.timeout_s) == (
        "https://crm.example/hooks",
        4,
        5.0,
    )
    assert dispatcher.lease_s >= dispatcher.timeout_s * 4
    assert secret not in repr(dispatcher) and secret.removeprefix("whsec_") not in repr(
        vars(dispatcher)
    )


def test_a_lease_shorter_than_the_timeout_is_refused(
    sqlite_session_factory: SessionFactory, secret: str, clock: ManualClock
) -> None:
    with pytest.raises(ValueError, match="lease_s"):
        OutboxDispatcher(
            sqlite_session_factory,
            url="http://127.0.0.1:9/",
            secret=secret,
            clock=clock,
            max_attempts=3,
            backoff_base_s=1,
            backoff_max_s=10,
            timeout_s=10,
            lease_s=10,
        )


async def _until(condition: Callable[[], bool], timeout: float = 5.0) -> None:
    async with asyncio.timeout(timeout):
        while not condition():
            await asyncio.sleep(0.01)


async def test_claims_are_released_only_by_their_owner(
    sqlite_session_factory: SessionFactory, enqueue_many: Enqueue, clock: ManualClock
) -> None:
    """A dispatcher whose lease lapsed and was taken over cannot reschedule the new owner's
    event (its late failure is ignored)."""
    [webhook_id] = await enqueue_many(sqlite_session_factory, 1, clock())
    async with sqlite_session_factory() as session:
        [event] = await repository.claim_due(
            session, instance_id="old", now=clock(), lease_until=clock(), limit=10
        )
        await session.commit()
    async with sqlite_session_factory() as session:
        [taken] = await repository.claim_due(
            session,
            instance_id="new",
            now=clock(),
            lease_until=clock() + timedelta(seconds=60),
            limit=10,
        )
        await repository.schedule_retry(
            session,
            [repository.Retry(event.id, clock() + timedelta(hours=1), "late failure")],
            instance_id="old",
        )
        await session.commit()
    row = (await rows(sqlite_session_factory))[webhook_id]
    assert (row.claimed_by, row.last_error, row.attempts) == ("new", None, 2)
    assert taken.attempts == 2
