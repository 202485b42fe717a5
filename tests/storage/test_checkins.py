"""The check-in repository on SQLite and on the machine's real PostgreSQL: one planned
check-in per customer and trigger (the upsert), cancelling, the due list, the sweeper's atomic
claim (coalescing per customer, stale ones skipped, never a row twice, also with two claimers
at once on PostgreSQL), guarded finishing, lost claims, attempts, outcomes and the cascade
with the customer."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import delete, func, select
from sqlalchemy.exc import IntegrityError

from storage.db import SessionFactory
from storage.models import Checkin, Customer
from storage.repositories import checkins as repository
from storage.repositories import customers
from storage.repositories.customers import CustomerIdentity

NOW = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
MINUTE = timedelta(minutes=1)
HOUR = timedelta(hours=1)
STALE_S = 6 * 3600
LEASE_S = 120


async def new_customer(factory: SessionFactory, external_id: str = "7") -> int:
    async with factory() as session:
        customer, _ = await customers.load_or_create(
            session, CustomerIdentity("telegram", external_id), now=NOW, default_language="ru"
        )
        await session.commit()
    assert customer.id is not None
    return customer.id


async def plan(
    factory: SessionFactory,
    customer_id: int,
    trigger: str = "delivered",
    *,
    due_at: datetime = NOW,
    reason: str = "usually writes around 9:00",
    detail: dict[str, Any] | None = None,
    now: datetime = NOW - HOUR,
) -> Checkin:
    async with factory() as session:
        checkin = await repository.plan(
            session,
            customer_id=customer_id,
            trigger=trigger,
            due_at=due_at,
            slot_reason=reason,
            detail=detail,
            now=now,
        )
        await session.commit()
    return checkin


async def fetch(factory: SessionFactory, checkin_id: int | None) -> Checkin:
    async with factory() as session:
        checkin = await session.get(Checkin, checkin_id)
    assert checkin is not None
    return checkin


async def claim(
    factory: SessionFactory,
    now: datetime = NOW,
    *,
    instance: str = "sweeper-1",
    limit: int = 100,
) -> list[Checkin]:
    async with factory() as session:
        claimed = await repository.claim_due(
            session, now, instance=instance, lease_s=LEASE_S, limit=limit, stale_after_s=STALE_S
        )
        await session.commit()
    return claimed


async def test_plan_keeps_one_planned_checkin_per_customer_and_trigger(
    session_factory: SessionFactory,
) -> None:
    customer_id = await new_customer(session_factory)
    first = await plan(session_factory, customer_id, detail={"order": "A-1"}, reason="x" * 400)
    assert first.id is not None
    assert (first.status, first.trigger, first.due_at, first.detail, first.attempts) == (
        "planned",
        "delivered",
        NOW,
        {"order": "A-1"},
        [],
    )
    assert len(first.slot_reason) == 300 and first.slot_reason.endswith("…")

    later = NOW + 2 * HOUR
    moved = await plan(session_factory, customer_id, due_at=later, detail={"order": "A-2"}, now=NOW)
    assert (moved.id, moved.due_at, moved.detail, moved.planned_at) == (
        first.id,
        later,
        {"order": "A-2"},
        NOW,
    )
    other_trigger = await plan(session_factory, customer_id, "cart")
    assert other_trigger.id != first.id

    async with session_factory() as session:
        planned = await repository.planned_for(session, customer_id)
        assert [(c.trigger, c.due_at) for c in planned] == [("cart", NOW), ("delivered", later)]
        # The partial unique index holds against a plain insert too.
        session.add(
            Checkin(
                customer_id=customer_id,
                trigger="cart",
                due_at=NOW,
                slot_reason="dup",
                planned_at=NOW,
            )
        )
        with pytest.raises(IntegrityError):
            await session.flush()
        await session.rollback()

    # Once the planned one is claimed, a new plan is a new row.
    [claimed] = await claim(session_factory, NOW + MINUTE)
    assert claimed.id == other_trigger.id
    again = await plan(session_factory, customer_id, "cart", due_at=NOW + HOUR, now=NOW)
    assert again.id != other_trigger.id and again.status == "planned"
    assert (await fetch(session_factory, other_trigger.id)).status == "claimed"


async def test_concurrent_plans_leave_one_planned_row(session_factory: SessionFactory) -> None:
    customer_id = await new_customer(session_factory)
    results = await asyncio.gather(
        *(plan(session_factory, customer_id, due_at=NOW + n * MINUTE) for n in range(4))
    )
    assert len({c.id for c in results}) == 1
    async with session_factory() as session:
        assert len(await repository.planned_for(session, customer_id)) == 1


async def test_cancel_for(session_factory: SessionFactory) -> None:
    customer_id = await new_customer(session_factory)
    other_id = await new_customer(session_factory, "8")
    for trigger in ("delivered", "cart", "quiet"):
        await plan(session_factory, customer_id, trigger)
    await plan(session_factory, other_id, "cart")
    async with session_factory() as session:
        assert (
            await repository.cancel_for(
                session, customer_id, reason="superseded", now=NOW, triggers=["cart", "problem"]
            )
            == 1
        )
        assert (
            await repository.cancel_for(
                session, customer_id, reason="opted_out", now=NOW, triggers=[]
            )
            == 0
        )
        await session.commit()
    async with session_factory() as session:
        left = await repository.planned_for(session, customer_id)
        assert sorted(c.trigger for c in left) == ["delivered", "quiet"]
        assert await repository.cancel_for(session, customer_id, reason="opted_out", now=NOW) == 2
        await session.commit()
        rows = (
            await session.execute(
                select(Checkin.trigger, Checkin.status, Checkin.skip_reason, Checkin.ended_at)
                .where(Checkin.customer_id == customer_id)
                .order_by(Checkin.trigger)
            )
        ).all()
    assert [tuple(r) for r in rows] == [
        ("cart", "cancelled", "superseded", NOW),
        ("delivered", "cancelled", "opted_out", NOW),
        ("quiet", "cancelled", "opted_out", NOW),
    ]
    async with session_factory() as session:
        assert len(await repository.planned_for(session, other_id)) == 1
        assert await repository.cancel_for(session, customer_id, reason="x", now=NOW) == 0


async def test_due_lists_planned_checkins_oldest_first(session_factory: SessionFactory) -> None:
    ids = {}
    for name, at in (("b", NOW - MINUTE), ("a", NOW - HOUR), ("c", NOW), ("d", NOW + MINUTE)):
        checkin = await plan(session_factory, await new_customer(session_factory, name), due_at=at)
        ids[name] = checkin.id
    cancelled = await plan(session_factory, await new_customer(session_factory, "e"))
    async with session_factory() as session:
        await repository.cancel_for(session, cancelled.customer_id, reason="x", now=NOW)
        await session.commit()
    async with session_factory() as session:
        assert [c.id for c in await repository.due(session, NOW)] == [ids["a"], ids["b"], ids["c"]]
        assert [c.id for c in await repository.due(session, NOW, limit=2)] == [ids["a"], ids["b"]]
        until = await repository.planned_until(session, NOW + HOUR)
        assert [c.id for c in until] == [ids["a"], ids["b"], ids["c"], ids["d"]]
        # Read only: nothing changed.
        assert [c.status for c in until] == ["planned"] * 4


async def test_claim_due_coalesces_per_customer_and_skips_stale_ones(
    session_factory: SessionFactory,
) -> None:
    busy = await new_customer(session_factory, "busy")
    stale_only = await new_customer(session_factory, "stale")
    calm = await new_customer(session_factory, "calm")
    # The busy customer: one stale, two due (the earlier is sent), one not due yet.
    old = await plan(session_factory, busy, "quiet", due_at=NOW - 7 * HOUR)
    first = await plan(session_factory, busy, "delivered", due_at=NOW - 2 * HOUR)
    second = await plan(session_factory, busy, "cart", due_at=NOW - MINUTE)
    future = await plan(session_factory, busy, "doubting", due_at=NOW + HOUR)
    gone = await plan(
        session_factory, stale_only, "problem", due_at=NOW - timedelta(seconds=3 * STALE_S)
    )
    # Due exactly at the stale edge is still sent; only earlier ones are stale.
    edge = await plan(session_factory, calm, due_at=NOW - timedelta(seconds=STALE_S))

    claimed = await claim(session_factory)
    assert [c.id for c in claimed] == [edge.id, first.id]  # oldest due first
    for checkin in claimed:
        assert (checkin.status, checkin.claimed_by, checkin.claimed_at, checkin.lease_until) == (
            "claimed",
            "sweeper-1",
            NOW,
            NOW + timedelta(seconds=LEASE_S),
        )
    expected = {
        old.id: ("skipped", "stale"),
        second.id: ("skipped", "coalesced"),
        future.id: ("planned", None),
        gone.id: ("skipped", "stale"),
        first.id: ("claimed", None),
        edge.id: ("claimed", None),
    }
    for checkin_id, (status, reason) in expected.items():
        stored = await fetch(session_factory, checkin_id)
        assert (stored.status, stored.skip_reason) == (status, reason), checkin_id
        if status == "skipped":
            assert stored.ended_at == NOW

    # Never twice; and a customer with one in flight gets no second one meanwhile.
    assert await claim(session_factory) == []
    assert await claim(session_factory, NOW + 2 * HOUR) == []
    async with session_factory() as session:
        assert await repository.finish(
            session, first.id or 0, status="sent", at=NOW, message_id="55", instance="sweeper-1"
        )
        await session.commit()
    [next_one] = await claim(session_factory, NOW + 2 * HOUR)
    assert next_one.id == future.id


async def test_claim_due_limit_counts_customers_and_rows_are_never_returned_twice(
    session_factory: SessionFactory,
) -> None:
    expected = set()
    for n in range(7):
        customer_id = await new_customer(session_factory, f"c{n}")
        checkin = await plan(session_factory, customer_id, due_at=NOW - n * MINUTE)
        expected.add(checkin.id)
        await plan(session_factory, customer_id, "cart", due_at=NOW - n * MINUTE)
    seen: list[int | None] = []
    rounds = 0
    while batch := await claim(session_factory, limit=3, instance=f"s{rounds}"):
        assert len(batch) <= 3
        assert len({c.customer_id for c in batch}) == len(batch)
        seen.extend(c.id for c in batch)
        rounds += 1
    assert rounds == 3
    assert len(seen) == len(set(seen)) == 7
    async with session_factory() as session:
        counts = await session.execute(
            select(Checkin.status, Checkin.skip_reason, func.count()).group_by(
                Checkin.status, Checkin.skip_reason
            )
        )
        assert {(s, r): n for s, r, n in counts.all()} == {
            ("claimed", None): 7,
            ("skipped", "coalesced"): 7,
        }


async def test_concurrent_claimers_never_share_a_row_or_a_customer(
    session_factory: SessionFactory,
) -> None:
    expected_customers = set()
    for n in range(12):
        customer_id = await new_customer(session_factory, f"c{n}")
        expected_customers.add(customer_id)
        for k, trigger in enumerate(("delivered", "cart", "quiet")):
            await plan(session_factory, customer_id, trigger, due_at=NOW - (n + k) * MINUTE)

    claimed: list[Checkin] = []
    while True:
        batches = await asyncio.gather(
            *(claim(session_factory, limit=2, instance=f"s{i}") for i in range(4))
        )
        if not any(batches):
            break
        claimed.extend(c for batch in batches for c in batch)
    assert len({c.id for c in claimed}) == len(claimed) == 12
    assert {c.customer_id for c in claimed} == expected_customers


async def test_finish_is_guarded_by_the_claiming_instance(session_factory: SessionFactory) -> None:
    customer_id = await new_customer(session_factory)
    checkin = await plan(session_factory, customer_id, due_at=NOW - MINUTE)
    planned_only = await plan(
        session_factory, await new_customer(session_factory, "8"), due_at=NOW + HOUR
    )
    [held] = await claim(session_factory, instance="a")
    assert held.id == checkin.id
    done = NOW + MINUTE
    async with session_factory() as session:
        # Another instance, a planned check-in, an unknown id: nothing changes.
        assert not await repository.finish(
            session, checkin.id or 0, status="sent", at=done, message_id="1", instance="b"
        )
        assert not await repository.finish(
            session, planned_only.id or 0, status="skipped", at=done, instance="a"
        )
        assert not await repository.finish(session, 10_000, status="sent", at=done, instance="a")
        with pytest.raises(ValueError, match="sent"):
            await repository.finish(session, checkin.id or 0, status="lost", at=done, instance="a")
        assert await repository.record_attempt(
            session, checkin.id or 0, at=NOW, outcome="retry_after", error="429: retry after 3"
        )
        assert await repository.record_attempt(session, checkin.id or 0, at=done, outcome="sent")
        assert not await repository.record_attempt(session, 10_000, at=done, outcome="sent")
        with pytest.raises(ValueError, match="retry_after"):
            await repository.record_attempt(session, checkin.id or 0, at=done, outcome="ok")
        assert await repository.finish(
            session, checkin.id or 0, status="sent", at=done, message_id="4242", instance="a"
        )
        # Ended: a second finish changes nothing.
        assert not await repository.finish(
            session, checkin.id or 0, status="failed", at=done, instance="a"
        )
        await session.commit()
    stored = await fetch(session_factory, checkin.id)
    assert (stored.status, stored.sent_at, stored.message_id, stored.ended_at) == (
        "sent",
        done,
        "4242",
        done,
    )
    assert stored.attempts == [
        {"at": NOW.isoformat(), "outcome": "retry_after", "error": "429: retry after 3"},
        {"at": done.isoformat(), "outcome": "sent", "error": None},
    ]
    assert (await fetch(session_factory, planned_only.id)).status == "planned"

    other = await plan(session_factory, customer_id, "cart", due_at=NOW)
    [held] = await claim(session_factory, NOW + MINUTE, instance="a")
    async with session_factory() as session:
        assert await repository.finish(
            session, other.id or 0, status="skipped", at=done, skip_reason="cap", instance="a"
        )
        await session.commit()
    stored = await fetch(session_factory, other.id)
    assert (stored.status, stored.skip_reason, stored.sent_at) == ("skipped", "cap", None)


async def test_mark_lost_after_the_lease_and_lost_ones_are_never_claimed_again(
    session_factory: SessionFactory,
) -> None:
    customer_id = await new_customer(session_factory)
    checkin = await plan(session_factory, customer_id, due_at=NOW)
    fresh = await plan(session_factory, await new_customer(session_factory, "8"), due_at=NOW)
    [held] = await claim(session_factory, NOW, instance="dead", limit=1)
    assert held.id == checkin.id
    lease_end = NOW + timedelta(seconds=LEASE_S)
    async with session_factory() as session:
        assert await repository.mark_lost(session, lease_end) == 0  # not yet over
        await session.commit()
    [other] = await claim(session_factory, NOW + MINUTE, instance="alive")
    assert other.id == fresh.id
    after = lease_end + MINUTE
    async with session_factory() as session:
        assert await repository.mark_lost(session, after) == 1  # only the dead one's
        assert await repository.mark_lost(session, after) == 0
        await session.commit()
    stored = await fetch(session_factory, checkin.id)
    assert (stored.status, stored.ended_at, stored.claimed_by) == ("lost", after, "dead")
    assert await claim(session_factory, after + HOUR) == []
    assert (await fetch(session_factory, checkin.id)).status == "lost"
    async with session_factory() as session:
        assert not await repository.finish(
            session, checkin.id or 0, status="sent", at=after, instance="someone-else"
        )
        # The customer's next check-in is planned anew and claimed as usual.
        await session.commit()
    nxt = await plan(session_factory, customer_id, due_at=after)
    assert nxt.id != checkin.id
    [claimed] = await claim(session_factory, after + MINUTE)
    assert claimed.id == nxt.id


async def test_caps_outcomes_and_stats(session_factory: SessionFactory) -> None:
    customer_id = await new_customer(session_factory)
    other_id = await new_customer(session_factory, "8")
    sent_ids = []
    for hours, trigger in ((0, "delivered"), (24, "cart"), (48, "quiet")):
        due_at = NOW + hours * HOUR
        checkin = await plan(session_factory, customer_id, trigger, due_at=due_at)
        [held] = await claim(session_factory, due_at)
        assert held.id == checkin.id
        async with session_factory() as session:
            assert await repository.finish(
                session,
                held.id or 0,
                status="sent",
                at=due_at,
                message_id=str(hours),
                instance="sweeper-1",
            )
            await session.commit()
        sent_ids.append(held.id)
    await plan(session_factory, other_id, due_at=NOW + 100 * HOUR)

    async with session_factory() as session:
        assert await repository.last_sent(session, customer_id) == NOW + 48 * HOUR
        assert await repository.last_sent(session, other_id) is None
        assert await repository.sent_since(session, customer_id, NOW + 24 * HOUR) == 2
        assert await repository.sent_since(session, customer_id, NOW - HOUR) == 3
        assert await repository.sent_since(session, other_id, NOW) == 0

        # Too late after the latest: nothing.
        assert (
            await repository.record_outcome(
                session, customer_id, outcome="replied", at=NOW + 60 * HOUR, within_s=3600
            )
            == 0
        )
        # The latest sent one before `at` gets it (not the one sent earlier).
        assert (
            await repository.record_outcome(
                session, customer_id, outcome="replied", at=NOW + 25 * HOUR, within_s=86_400
            )
            == 1
        )
        # It has an outcome now: the first one counts, nothing moves to an older check-in.
        assert (
            await repository.record_outcome(
                session, customer_id, outcome="converted", at=NOW + 26 * HOUR, within_s=86_400 * 7
            )
            == 0
        )
        assert (
            await repository.record_outcome(
                session, customer_id, outcome="opted_out", at=NOW + 49 * HOUR, within_s=3600 * 2
            )
            == 1
        )
        assert (
            await repository.record_outcome(
                session, other_id, outcome="replied", at=NOW + 49 * HOUR, within_s=86_400
            )
            == 0
        )
        with pytest.raises(ValueError, match="replied"):
            await repository.record_outcome(
                session, customer_id, outcome="bought", at=NOW, within_s=1
            )
        await session.commit()
    outcomes = [await fetch(session_factory, i) for i in sent_ids]
    assert [(c.outcome, c.outcome_at) for c in outcomes] == [
        (None, None),
        ("replied", NOW + 25 * HOUR),
        ("opted_out", NOW + 49 * HOUR),
    ]

    async with session_factory() as session:
        await repository.cancel_for(session, other_id, reason="opted_out", now=NOW)
        await session.commit()
        assert await repository.stats(session, NOW) == {
            "status": {"sent": 3, "cancelled": 1},
            "outcome": {"replied": 1, "opted_out": 1},
            "skip_reason": {"opted_out": 1},
        }
        assert await repository.stats(session, NOW + 30 * HOUR) == {
            "status": {"sent": 1, "cancelled": 1},
            "outcome": {"opted_out": 1},
            "skip_reason": {"opted_out": 1},
        }


async def test_checkins_go_with_the_customer(session_factory: SessionFactory) -> None:
    customer_id = await new_customer(session_factory)
    other_id = await new_customer(session_factory, "8")
    await plan(session_factory, customer_id)
    await plan(session_factory, customer_id, "cart")
    await claim(session_factory)
    await plan(session_factory, other_id, due_at=NOW + HOUR)
    async with session_factory() as session:
        await session.execute(delete(Customer).where(Customer.id == customer_id))
        await session.commit()
    async with session_factory() as session:
        left = (await session.execute(select(Checkin.customer_id))).scalars().all()
    assert left == [other_id]


# -- two claimers on the real PostgreSQL -------------------------------------------------


async def test_two_claimers_on_postgresql_take_disjoint_rows_and_customers_without_waiting(
    postgres_factory: SessionFactory,
) -> None:
    factory = postgres_factory
    expected_customers = set()
    for n in range(10):
        customer_id = await new_customer(factory, f"c{n}")
        expected_customers.add(customer_id)
        for k, trigger in enumerate(("delivered", "cart", "quiet")):
            await plan(factory, customer_id, trigger, due_at=NOW - (n * 3 + k) * MINUTE)

    # Two sweepers on two connections, inside their transactions at the same time: the first
    # holds its customers locked (not committed) while the second claims.
    async with factory() as first, factory() as second:
        mine = await repository.claim_due(
            first, NOW, instance="a", lease_s=LEASE_S, limit=4, stale_after_s=STALE_S
        )
        theirs = await asyncio.wait_for(
            repository.claim_due(
                second, NOW, instance="b", lease_s=LEASE_S, limit=100, stale_after_s=STALE_S
            ),
            timeout=5,
        )
        # A third, later one (more rows due) still gets nothing of theirs.
        async with factory() as third:
            late = await asyncio.wait_for(
                repository.claim_due(
                    third, NOW + HOUR, instance="c", lease_s=LEASE_S, stale_after_s=STALE_S
                ),
                timeout=5,
            )
            await third.rollback()
        assert late == []
        first_rows = {c.id for c in mine}
        second_rows = {c.id for c in theirs}
        first_customers = {c.customer_id for c in mine}
        second_customers = {c.customer_id for c in theirs}
        assert len(first_rows) == len(first_customers) == 4
        assert len(second_rows) == len(second_customers) == 6
        assert not first_rows & second_rows
        assert not first_customers & second_customers
        await second.commit()
        await first.commit()
    assert first_customers | second_customers == expected_customers

    async with factory() as session:
        assert (
            await repository.claim_due(
                session, NOW + HOUR, instance="c", lease_s=LEASE_S, stale_after_s=STALE_S
            )
            == []
        )
        statuses = await session.execute(
            select(Checkin.status, Checkin.skip_reason, func.count()).group_by(
                Checkin.status, Checkin.skip_reason
            )
        )
        assert {(s, r): n for s, r, n in statuses.all()} == {
            ("claimed", None): 10,
            ("skipped", "coalesced"): 20,
        }


async def test_a_plan_racing_an_uncommitted_plan_on_postgresql_updates_the_winner(
    postgres_factory: SessionFactory,
) -> None:
    factory = postgres_factory
    customer_id = await new_customer(factory)
    async with factory() as first:
        winner = await repository.plan(
            first,
            customer_id=customer_id,
            trigger="cart",
            due_at=NOW,
            slot_reason="first",
            detail=None,
            now=NOW,
        )
        loser = asyncio.create_task(
            plan(factory, customer_id, "cart", due_at=NOW + HOUR, reason="second", now=NOW)
        )
        await asyncio.sleep(0.3)
        assert not loser.done()  # waits on the uncommitted row in the partial index
        await first.commit()
    moved = await asyncio.wait_for(loser, timeout=5)
    assert (moved.id, moved.due_at, moved.slot_reason) == (winner.id, NOW + HOUR, "second")
