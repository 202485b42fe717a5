"""The handoff repository on SQLite and on the machine's real PostgreSQL: one open handoff per
customer (the partial unique index), posts and forum topics mapping back to their handoff,
guarded status changes, and the sweeper's atomic claim of expired handoffs (also with two
claimers at once on PostgreSQL)."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import delete, func, select
from sqlalchemy.exc import IntegrityError

from storage.db import SessionFactory
from storage.models import Customer, Handoff, HandoffPost
from storage.repositories import customers
from storage.repositories import handoffs as repository
from storage.repositories.customers import CustomerIdentity

NOW = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
TIMEOUT = timedelta(minutes=10)
CHAT = "-1001234567890"


async def new_customer(factory: SessionFactory, external_id: str = "7") -> int:
    async with factory() as session:
        customer, _ = await customers.load_or_create(
            session, CustomerIdentity("telegram", external_id), now=NOW, default_language="ru"
        )
        await session.commit()
    assert customer.id is not None
    return customer.id


async def start(
    factory: SessionFactory,
    customer_id: int,
    *,
    at: datetime = NOW,
    reason: str = "asked",
    detail: str | None = "wants a human",
) -> tuple[Handoff, bool]:
    async with factory() as session:
        handoff, created = await repository.start(
            session,
            customer_id=customer_id,
            reason=reason,
            detail=detail,
            at=at,
            deadline_at=at + TIMEOUT,
        )
        await session.commit()
    return handoff, created


async def fetch(factory: SessionFactory, handoff_id: int | None) -> Handoff:
    async with factory() as session:
        handoff = await session.get(Handoff, handoff_id)
    assert handoff is not None
    return handoff


def row(customer_id: int, status: str, *, at: datetime = NOW) -> Handoff:
    return Handoff(
        customer_id=customer_id,
        status=status,
        reason="asked",
        requested_at=at,
        deadline_at=at + TIMEOUT,
    )


async def test_a_customer_has_at_most_one_open_handoff(session_factory: SessionFactory) -> None:
    customer_id = await new_customer(session_factory)
    other_id = await new_customer(session_factory, "8")
    async with session_factory() as session:
        # Ended handoffs do not count, and other customers' open ones neither.
        session.add_all(
            [
                row(customer_id, "closed"),
                row(customer_id, "timed_out"),
                row(customer_id, "closed"),
                row(customer_id, "waiting"),
                row(other_id, "active"),
            ]
        )
        await session.commit()

    for status in ("waiting", "active"):
        async with session_factory() as session:
            session.add(row(customer_id, status))
            with pytest.raises(IntegrityError):
                await session.flush()
            await session.rollback()

    async with session_factory() as session:
        open_one = await repository.open_for(session, customer_id)
        assert open_one is not None and open_one.status == "waiting"
        assert await repository.close(session, open_one.id or 0, at=NOW, by="operator")
        session.add(row(customer_id, "active"))  # the slot is free again
        await session.commit()
        assert (await repository.open_for(session, customer_id)) is not None
        assert (await repository.open_for(session, 10_000)) is None


async def test_start_opens_one_and_then_returns_the_open_one(
    session_factory: SessionFactory,
) -> None:
    customer_id = await new_customer(session_factory)
    first, created = await start(session_factory, customer_id, detail="x" * 900)
    assert created
    assert first.id is not None
    assert (first.status, first.reason, first.requested_at, first.deadline_at) == (
        "waiting",
        "asked",
        NOW,
        NOW + TIMEOUT,
    )
    assert first.detail is not None and len(first.detail) == 500 and first.detail.endswith("…")
    assert first.closed_by is None and first.operator_id is None

    later = NOW + timedelta(minutes=1)
    again, created = await start(session_factory, customer_id, at=later, reason="irritation")
    assert not created
    assert (again.id, again.reason, again.requested_at) == (first.id, "asked", NOW)

    async with session_factory() as session:
        assert await repository.take(
            session, first.id, operator_id="501", operator_name="Ольга", at=later
        )
        await session.commit()
    active, created = await start(session_factory, customer_id, at=later)
    assert (active.id, active.status, created) == (first.id, "active", False)

    async with session_factory() as session:
        assert await repository.close(session, first.id, at=later, by="operator")
        await session.commit()
    fresh, created = await start(session_factory, customer_id, at=later, reason="hot_lead")
    assert created and fresh.id != first.id
    assert (fresh.status, fresh.reason, fresh.detail) == ("waiting", "hot_lead", "wants a human")


async def test_two_starts_at_once_open_one_handoff(session_factory: SessionFactory) -> None:
    customer_id = await new_customer(session_factory)
    results = await asyncio.gather(*(start(session_factory, customer_id) for _ in range(4)))
    assert len({handoff.id for handoff, _ in results}) == 1
    assert sorted(created for _, created in results) == [False, False, False, True]


async def test_posts_and_topics_map_back_to_their_handoff(session_factory: SessionFactory) -> None:
    customer_id = await new_customer(session_factory)
    other_id = await new_customer(session_factory, "8")
    handoff, _ = await start(session_factory, customer_id)
    other, _ = await start(session_factory, other_id)
    assert handoff.id is not None and other.id is not None
    async with session_factory() as session:
        await repository.set_card(session, handoff.id, CHAT, 100, 55)
        await repository.set_card(session, other.id, CHAT, 101, None)
        assert await repository.add_post(session, handoff.id, CHAT, 102)  # a relayed message
        assert not await repository.add_post(session, handoff.id, CHAT, 102)  # idempotent
        assert await repository.add_post(session, handoff.id, "-100999", 100)  # another chat
        await session.commit()

    stored = await fetch(session_factory, handoff.id)
    assert (stored.chat_id, stored.card_message_id, stored.thread_id) == (CHAT, 100, 55)
    async with session_factory() as session:
        for chat_id, message_id, expected in (
            (CHAT, 100, handoff.id),  # the card
            (CHAT, 102, handoff.id),  # a relayed customer message
            ("-100999", 100, handoff.id),
            (CHAT, 101, other.id),
        ):
            found = await repository.by_post(session, chat_id, message_id)
            assert found is not None and found.id == expected, (chat_id, message_id)
        assert await repository.by_post(session, CHAT, 999) is None
        assert await repository.by_post(session, "-100999", 101) is None

        in_topic = await repository.open_by_thread(session, CHAT, 55)
        assert in_topic is not None and in_topic.id == handoff.id
        assert await repository.open_by_thread(session, CHAT, 56) is None
        assert await repository.open_by_thread(session, "-100999", 55) is None

        assert await repository.close(session, handoff.id, at=NOW, by="operator")
        await session.commit()
    async with session_factory() as session:
        # The topic has no open handoff now; its posts still find the ended one.
        assert await repository.open_by_thread(session, CHAT, 55) is None
        found = await repository.by_post(session, CHAT, 102)
        assert found is not None and found.status == "closed"


async def test_take_only_once(session_factory: SessionFactory) -> None:
    customer_id = await new_customer(session_factory)
    handoff, _ = await start(session_factory, customer_id)
    assert handoff.id is not None
    taken_at = NOW + timedelta(minutes=2)
    async with session_factory() as session:
        held = await session.get(Handoff, handoff.id)
        assert held is not None
        assert await repository.take(
            session, handoff.id, operator_id="501", operator_name="Ольга", at=taken_at
        )
        assert (held.status, held.operator_id) == ("active", "501")  # the session's copy too
        assert not await repository.take(
            session, handoff.id, operator_id="502", operator_name="Пётр", at=NOW
        )
        await session.commit()
    stored = await fetch(session_factory, handoff.id)
    assert (stored.status, stored.operator_id, stored.operator_name, stored.taken_at) == (
        "active",
        "501",
        "Ольга",
        taken_at,
    )

    async with session_factory() as session:
        assert await repository.close(session, handoff.id, at=NOW, by="customer")
        assert not await repository.take(
            session, handoff.id, operator_id="502", operator_name=None, at=NOW
        )
        assert not await repository.take(
            session, 10_000, operator_id="502", operator_name=None, at=NOW
        )
        await session.commit()
    assert (await fetch(session_factory, handoff.id)).status == "closed"


async def test_two_operators_answering_at_once_one_takes_it(
    session_factory: SessionFactory,
) -> None:
    customer_id = await new_customer(session_factory)
    handoff, _ = await start(session_factory, customer_id)
    assert handoff.id is not None

    async def answer(operator: str) -> bool:
        async with session_factory() as session:
            took = await repository.take(
                session, handoff.id or 0, operator_id=operator, operator_name=None, at=NOW
            )
            await session.commit()
        return took

    results = await asyncio.gather(*(answer(str(n)) for n in range(5)))
    assert sorted(results) == [False] * 4 + [True]
    winner = str(results.index(True))
    assert (await fetch(session_factory, handoff.id)).operator_id == winner


async def test_close_only_from_open(session_factory: SessionFactory) -> None:
    waiting_id = (await start(session_factory, await new_customer(session_factory, "1")))[0].id
    active_id = (await start(session_factory, await new_customer(session_factory, "2")))[0].id
    assert waiting_id is not None and active_id is not None
    end = NOW + timedelta(minutes=3)
    async with session_factory() as session:
        assert await repository.take(
            session, active_id, operator_id="5", operator_name=None, at=NOW
        )
        assert await repository.close(session, waiting_id, at=end, by="customer")
        assert await repository.close(session, active_id, at=end, by="operator")
        # Ended already: nothing changes.
        assert not await repository.close(
            session, active_id, at=end + TIMEOUT, by="erasure", status="timed_out"
        )
        assert not await repository.close(session, 10_000, at=end, by="operator")
        with pytest.raises(ValueError, match="waiting"):
            await repository.close(session, waiting_id, at=end, by="operator", status="waiting")
        await session.commit()
    for handoff_id, by in ((waiting_id, "customer"), (active_id, "operator")):
        stored = await fetch(session_factory, handoff_id)
        assert (stored.status, stored.closed_at, stored.closed_by) == ("closed", end, by)


async def test_claim_expired_takes_only_expired_waiting_handoffs_once(
    session_factory: SessionFactory,
) -> None:
    ids: dict[str, int] = {}
    for name, at in (
        ("old", NOW - timedelta(minutes=5)),
        ("due", NOW),
        ("fresh", NOW + timedelta(minutes=5)),
        ("taken", NOW - timedelta(minutes=5)),
        ("closed", NOW - timedelta(minutes=5)),
    ):
        handoff, _ = await start(session_factory, await new_customer(session_factory, name), at=at)
        assert handoff.id is not None
        ids[name] = handoff.id
    async with session_factory() as session:
        await repository.take(session, ids["taken"], operator_id="5", operator_name=None, at=NOW)
        await repository.close(session, ids["closed"], at=NOW, by="operator")
        await session.commit()

    sweep = NOW + TIMEOUT  # "due" expires exactly now; "fresh" in five minutes
    async with session_factory() as session:
        claimed = await repository.claim_expired(session, sweep)
        await session.commit()
    assert [h.id for h in claimed] == [ids["old"], ids["due"]]  # oldest deadline first
    assert {(h.status, h.closed_at, h.closed_by) for h in claimed} == {
        ("timed_out", sweep, "timeout")
    }
    for name in ("old", "due"):
        stored = await fetch(session_factory, ids[name])
        assert (stored.status, stored.closed_at, stored.closed_by) == (
            "timed_out",
            sweep,
            "timeout",
        )
    assert (await fetch(session_factory, ids["fresh"])).status == "waiting"
    assert (await fetch(session_factory, ids["taken"])).status == "active"
    assert (await fetch(session_factory, ids["closed"])).closed_by == "operator"

    async with session_factory() as session:
        assert await repository.claim_expired(session, sweep) == []  # never twice
        later = await repository.claim_expired(session, sweep + timedelta(minutes=5), limit=1)
        await session.commit()
    assert [h.id for h in later] == [ids["fresh"]]


async def test_concurrent_sweeps_never_share_a_handoff(session_factory: SessionFactory) -> None:
    expected = []
    for n in range(30):
        handoff, _ = await start(
            session_factory,
            await new_customer(session_factory, f"c{n}"),
            at=NOW - timedelta(seconds=n),
        )
        expected.append(handoff.id)

    async def sweep() -> list[int | None]:
        async with session_factory() as session:
            claimed = await repository.claim_expired(session, NOW + TIMEOUT, limit=4)
            await session.commit()
        return [h.id for h in claimed]

    claimed: list[int | None] = []
    while True:  # rounds of four sweepers at once, until nothing is left
        batches = await asyncio.gather(*(sweep() for _ in range(4)))
        if not any(batches):
            break
        claimed.extend(handoff_id for batch in batches for handoff_id in batch)
    assert sorted(claimed, key=lambda i: i or 0) == sorted(expected, key=lambda i: i or 0)


async def test_history_counts_and_erasure_cascade(session_factory: SessionFactory) -> None:
    customer_id = await new_customer(session_factory)
    other_id = await new_customer(session_factory, "8")
    made = []
    for minutes, reason in ((0, "asked"), (30, "irritation"), (60, "asked")):
        at = NOW + timedelta(minutes=minutes)
        handoff, _ = await start(session_factory, customer_id, at=at, reason=reason)
        assert handoff.id is not None
        made.append(handoff.id)
        async with session_factory() as session:
            await repository.set_card(session, handoff.id, CHAT, 100 + minutes, None)
            await repository.close(session, handoff.id, at=at, by="operator")
            await session.commit()
    await start(session_factory, other_id, at=NOW + timedelta(minutes=90), reason="hot_lead")

    async with session_factory() as session:
        assert [h.id for h in await repository.history(session, customer_id)] == made[::-1]
        assert await repository.count_by_reason(session, NOW) == {
            "asked": 2,
            "irritation": 1,
            "hot_lead": 1,
        }
        assert await repository.count_by_reason(session, NOW + timedelta(minutes=30)) == {
            "asked": 1,
            "irritation": 1,
            "hot_lead": 1,
        }

        await session.execute(delete(Customer).where(Customer.id == customer_id))
        await session.commit()
    async with session_factory() as session:
        assert await repository.history(session, customer_id) == []
        posts = await session.execute(select(func.count()).select_from(HandoffPost))
        assert posts.scalar_one() == 0
        assert len(await repository.history(session, other_id)) == 1


# -- two claimers on the real PostgreSQL -------------------------------------------------


async def test_two_claimers_on_postgresql_take_disjoint_handoffs_without_waiting(
    postgres_factory: SessionFactory,
) -> None:
    factory = postgres_factory
    expected = set()
    for n in range(10):
        handoff, _ = await start(
            factory, await new_customer(factory, f"c{n}"), at=NOW + timedelta(seconds=n)
        )
        expected.add(handoff.id)
    sweep = NOW + TIMEOUT + timedelta(minutes=1)

    # Two sweepers on two connections, both inside their transactions at the same time: the
    # first holds its rows locked (not committed) while the second claims.
    async with factory() as first, factory() as second:
        mine = await repository.claim_expired(first, sweep, limit=4)
        theirs = await asyncio.wait_for(repository.claim_expired(second, sweep), timeout=5)
        first_ids = {h.id for h in mine}
        second_ids = {h.id for h in theirs}
        assert len(first_ids) == 4 and len(second_ids) == 6
        assert not first_ids & second_ids
        await second.commit()
        await first.commit()
    assert first_ids | second_ids == expected

    async with factory() as session:
        assert await repository.claim_expired(session, sweep) == []
        statuses = await session.execute(
            select(Handoff.status, func.count()).group_by(Handoff.status)
        )
        assert dict(statuses.all()) == {"timed_out": 10}


async def test_a_start_racing_an_uncommitted_start_on_postgresql_returns_the_winner(
    postgres_factory: SessionFactory,
) -> None:
    factory = postgres_factory
    customer_id = await new_customer(factory)
    async with factory() as first:
        winner, created = await repository.start(
            first,
            customer_id=customer_id,
            reason="asked",
            detail=None,
            at=NOW,
            deadline_at=NOW + TIMEOUT,
        )
        assert created
        # The second insert waits on the first's uncommitted row in the partial index.
        loser = asyncio.create_task(start(factory, customer_id, reason="irritation"))
        await asyncio.sleep(0.3)
        assert not loser.done()
        await first.commit()
    handoff, created = await asyncio.wait_for(loser, timeout=5)
    assert (handoff.id, handoff.reason, created) == (winner.id, "asked", False)
