"""The outbox and signal-state repository on SQLite and on the machine's real PostgreSQL:
atomic claims (also under concurrency), leases, outcomes guarded by the claim, dead letters,
and the signal state's upsert and cascade."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta

from sqlalchemy import delete, select

from storage.db import SessionFactory
from storage.models import Customer, OutboxEvent, ShopCustomer, SignalState
from storage.repositories import customers
from storage.repositories import outbox as repository
from storage.repositories.customers import CustomerIdentity

NOW = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
LEASE = timedelta(seconds=60)


async def add_events(factory: SessionFactory, count: int, *, at: datetime = NOW) -> list[str]:
    ids = [f"msg_{i:04d}" for i in range(count)]
    async with factory() as session:
        for i, webhook_id in enumerate(ids):
            await repository.add(
                session,
                webhook_id=webhook_id,
                event_type="lead.hot",
                customer_id=i,
                payload={"type": "lead.hot", "timestamp": "t", "data": {"n": i, "name": "Анна"}},
                now=at,
            )
        await session.commit()
    return ids


async def claim(
    factory: SessionFactory, instance: str, *, now: datetime = NOW, limit: int = 100
) -> list[repository.ClaimedEvent]:
    async with factory() as session:
        claimed = await repository.claim_due(
            session, instance_id=instance, now=now, lease_until=now + LEASE, limit=limit
        )
        await session.commit()
    return claimed


async def by_id(factory: SessionFactory) -> dict[str, OutboxEvent]:
    async with factory() as session:
        result = await session.execute(select(OutboxEvent))
        return {row.webhook_id: row for row in result.scalars()}


async def test_claim_takes_due_events_oldest_first_under_a_lease(
    session_factory: SessionFactory,
) -> None:
    ids = await add_events(session_factory, 5)
    async with session_factory() as session:  # one not due yet
        await repository.add(
            session,
            webhook_id="msg_later",
            event_type="lead.hot",
            customer_id=None,
            payload={},
            now=NOW + timedelta(hours=1),
        )
        await session.commit()

    first = await claim(session_factory, "a", now=NOW + timedelta(seconds=1), limit=3)
    second = await claim(session_factory, "b", now=NOW + timedelta(seconds=1))

    assert [e.webhook_id for e in first] == ids[:3]
    assert [e.webhook_id for e in second] == ids[3:]
    assert first[0].payload == {
        "type": "lead.hot",
        "timestamp": "t",
        "data": {"n": 0, "name": "Анна"},
    }
    assert {e.attempts for e in first + second} == {1}
    stored = await by_id(session_factory)
    assert stored[ids[0]].claimed_by == "a"
    assert stored[ids[0]].claimed_until == NOW + timedelta(seconds=1) + LEASE
    assert stored[ids[0]].next_attempt_at == stored[ids[0]].claimed_until
    assert stored["msg_later"].claimed_by is None
    # Nothing else is due while the leases run; once they lapse, everything is taken over.
    assert await claim(session_factory, "c", now=NOW + timedelta(seconds=30)) == []
    taken = await claim(session_factory, "c", now=NOW + timedelta(seconds=62))
    assert [e.webhook_id for e in taken] == ids
    assert {e.attempts for e in taken} == {2}


async def test_concurrent_claims_never_share_an_event(session_factory: SessionFactory) -> None:
    ids = await add_events(session_factory, 120)
    due = NOW + timedelta(seconds=1)

    claimed: list[str] = []
    while True:  # rounds of eight instances claiming at once, until nothing is left
        batches = await asyncio.gather(
            *(claim(session_factory, f"instance-{n}", now=due, limit=7) for n in range(8))
        )
        if not any(batches):
            break
        claimed.extend(e.webhook_id for batch in batches for e in batch)

    assert sorted(claimed) == ids  # every event once: none twice, none lost


async def test_outcomes(session_factory: SessionFactory) -> None:
    ids = await add_events(session_factory, 5)
    events = {e.webhook_id: e for e in await claim(session_factory, "me")}
    later = NOW + timedelta(seconds=5)
    async with session_factory() as session:
        await repository.mark_delivered(session, [(events[ids[0]].id, 204)], now=later)
        await repository.schedule_retry(
            session,
            [repository.Retry(events[ids[1]].id, later + timedelta(seconds=8), "x" * 900, 503)],
            instance_id="me",
        )
        await repository.mark_dead(
            session,
            [repository.Failure(events[ids[2]].id, "HTTP 410", 410)],
            instance_id="me",
            now=later,
        )
        await repository.release(
            session, [events[ids[3]].id], instance_id="me", now=later, attempted=False
        )
        await repository.release(
            session, [events[ids[4]].id], instance_id="me", now=later, attempted=True
        )
        await session.commit()

    stored = await by_id(session_factory)
    done = stored[ids[0]]
    assert (done.status, done.last_status_code, done.delivered_at, done.claimed_by) == (
        "delivered",
        204,
        later,
        None,
    )
    retry = stored[ids[1]]
    assert (retry.status, retry.next_attempt_at, retry.last_status_code) == (
        "pending",
        later + timedelta(seconds=8),
        503,
    )
    assert retry.last_error is not None and len(retry.last_error) == repository.MAX_ERROR_CHARS
    dead = stored[ids[2]]
    assert (dead.status, dead.last_error, dead.claimed_by) == ("dead", "HTTP 410", None)
    assert (stored[ids[3]].attempts, stored[ids[3]].next_attempt_at) == (0, later)
    assert (stored[ids[4]].attempts, stored[ids[4]].next_attempt_at) == (1, later)

    async with session_factory() as session:
        assert await repository.count_by_status(session) == {
            "delivered": 1,
            "pending": 3,
            "dead": 1,
        }
        dead_rows = await repository.list_by_status(session, "dead")
        assert [row.webhook_id for row in dead_rows] == [ids[2]]
        everything = await repository.list_by_status(session, None, limit=2)
        assert [row.webhook_id for row in everything] == [ids[4], ids[3]]  # newest first
        assert (await repository.get(session, ids[0])) is not None


async def test_a_success_counts_whoever_reports_it_but_failures_only_from_the_owner(
    session_factory: SessionFactory,
) -> None:
    first, second = await add_events(session_factory, 2)
    old = {e.webhook_id: e for e in await claim(session_factory, "old")}
    # The old instance's lease lapsed; the new one holds both events now.
    await claim(session_factory, "new", now=NOW + timedelta(seconds=61))
    async with session_factory() as session:
        await repository.mark_delivered(session, [(old[first].id, 200)], now=NOW)
        await repository.mark_dead(
            session, [repository.Failure(old[second].id, "late")], instance_id="old", now=NOW
        )
        await repository.release(
            session, [old[second].id], instance_id="old", now=NOW, attempted=False
        )
        await session.commit()
    stored = await by_id(session_factory)
    assert stored[first].status == "delivered"
    assert (stored[second].status, stored[second].claimed_by, stored[second].attempts) == (
        "pending",
        "new",
        2,
    )


async def test_requeue_dead(session_factory: SessionFactory) -> None:
    ids = await add_events(session_factory, 3)
    events = await claim(session_factory, "me")
    async with session_factory() as session:
        await repository.mark_dead(
            session,
            [repository.Failure(e.id, "HTTP 500", 500) for e in events[:2]],
            instance_id="me",
            now=NOW,
        )
        await session.commit()
    later = NOW + timedelta(days=1)
    async with session_factory() as session:
        # Only dead events move; a pending id in the list is left alone.
        assert await repository.requeue_dead(session, webhook_ids=[ids[0], ids[2]], now=later) == 1
        assert await repository.requeue_dead(session, webhook_ids=[], now=later) == 0
        await session.commit()
    stored = await by_id(session_factory)
    assert (stored[ids[0]].status, stored[ids[0]].attempts, stored[ids[0]].next_attempt_at) == (
        "pending",
        0,
        later,
    )
    assert stored[ids[1]].status == "dead"
    async with session_factory() as session:
        assert await repository.requeue_dead(session, webhook_ids=None, now=later) == 1
        await session.commit()
    assert {row.status for row in (await by_id(session_factory)).values()} == {"pending"}


async def test_signal_state_upsert_cascade_and_events_outliving_the_customer(
    session_factory: SessionFactory,
) -> None:
    async with session_factory() as session:
        customer, _ = await customers.load_or_create(
            session, CustomerIdentity("telegram", "7"), now=NOW, default_language="ru"
        )
        other, _ = await customers.load_or_create(
            session, CustomerIdentity("telegram", "8"), now=NOW, default_language="ru"
        )
        assert customer.id is not None and other.id is not None
        for key, active in (("lead.hot", True), ("customer.unhappy", True)):
            await repository.set_signal(
                session, customer_id=customer.id, key=key, active=active, value=71.0, now=NOW
            )
        await repository.set_signal(
            session, customer_id=other.id, key="lead.hot", active=True, value=90.0, now=NOW
        )
        # Re-armed: the same row, updated.
        await repository.set_signal(
            session,
            customer_id=customer.id,
            key="customer.unhappy",
            active=False,
            value=40.5,
            now=NOW + timedelta(minutes=1),
        )
        await repository.add(
            session,
            webhook_id="msg_erased",
            event_type="customer.erased",
            customer_id=customer.id,
            payload={"type": "customer.erased"},
            now=NOW,
        )
        session.add(
            ShopCustomer(
                shop_id="S-1",
                link_token="tok",
                customer_id=customer.id,
                created_at=NOW,
                updated_at=NOW,
            )
        )
        await session.commit()
        customer_id, other_id = customer.id, other.id

    async with session_factory() as session:
        assert sorted(await repository.active_signals(session)) == sorted(
            [(customer_id, "lead.hot"), (other_id, "lead.hot")]
        )
        rearmed = await session.get(SignalState, (customer_id, "customer.unhappy"))
        assert rearmed is not None
        assert (rearmed.active, rearmed.value, rearmed.changed_at) == (
            False,
            40.5,
            NOW + timedelta(minutes=1),
        )
        assert await repository.linked_shop_id(session, customer_id) == "S-1"
        assert await repository.linked_shop_id(session, other_id) is None

        await session.execute(delete(Customer).where(Customer.id == customer_id))
        await session.commit()

    async with session_factory() as session:
        assert await repository.active_signals(session) == [(other_id, "lead.hot")]
        assert await repository.get(session, "msg_erased") is not None  # no foreign key
