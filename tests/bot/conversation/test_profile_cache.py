"""The write-behind profile cache on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import UTC, datetime

from bot.conversation.profile_cache import ProfileCache
from profiling.engine import ProfileEngine
from storage.db import SessionFactory
from storage.models import Profile
from storage.repositories import customers, profiles
from storage.repositories.customers import CustomerIdentity

NOW = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


async def test_put_flush_update_forget(session_factory: SessionFactory) -> None:
    factory = session_factory
    store = ProfileCache(factory, capacity=2)
    profile_engine = ProfileEngine()
    ids = []
    async with factory() as session:
        for n in range(3):
            who = CustomerIdentity("telegram", str(n), address=str(n))
            customer, _ = await customers.load_or_create(
                session, who, now=NOW, default_language="ru"
            )
            ids.append(customer.id)
        await session.commit()

    states = {}
    async with factory() as session:
        for cid in ids:
            assert await store.load(session, cid) is None
            state = profile_engine.new_state(now=NOW.timestamp())
            signals = profile_engine.analyze("Где мой заказ?? Жду уже неделю!!!")
            profile_engine.observe_incoming(state, signals, NOW.timestamp())
            store.put(cid, state, profile_engine.assess(state, NOW.timestamp()), NOW)
            states[cid] = state
    # Capacity 2, three dirty entries: nothing unwritten was evicted.
    await store.flush()
    async with factory() as session:
        for cid in ids:
            row = await session.get(Profile, cid)
            assert row is not None and row.messages_total == 1
            assert row.irritated > 0.3
            assert profiles.load_state(row).to_dict() == states[cid].to_dict()  # type: ignore[union-attr]

    # A second message updates the existing row in the next batch.
    async with factory() as session:
        state = await store.load(session, ids[0])
        assert state is not None
        profile_engine.observe_incoming(
            state, profile_engine.analyze("Спасибо, всё пришло!"), NOW.timestamp() + 60
        )
        store.put(ids[0], state, profile_engine.assess(state, NOW.timestamp() + 60), NOW)
    await store.close()
    async with factory() as session:
        row = await session.get(Profile, ids[0])
        assert row is not None and row.messages_total == 2

    # forget() drops the cache: the next load reads the database again.
    await store.forget(ids[0])
    async with factory() as session:
        reloaded = await store.load(session, ids[0])
        assert reloaded is not None and reloaded.messages_total == 2


async def test_new_profile_written_elsewhere_meanwhile_becomes_an_update(
    sqlite_session_factory: SessionFactory,
) -> None:
    factory = sqlite_session_factory
    store = ProfileCache(factory)
    profile_engine = ProfileEngine()
    async with factory() as session:
        customer, _ = await customers.load_or_create(
            session, CustomerIdentity("telegram", "9"), now=NOW, default_language="en"
        )
        await session.commit()
        assert await store.load(session, customer.id) is None
        state = profile_engine.new_state(now=NOW.timestamp())
        store.put(customer.id, state, profile_engine.assess(state, NOW.timestamp()), NOW)
        # Another path (an import) creates the row before the batch is written.
        assessment = profile_engine.assess(state, NOW.timestamp())
        await profiles.insert_many(
            session,
            [profiles.row(customer.id, state, profiles.score_columns(state, assessment, NOW))],
        )
        await session.commit()
    await store.flush()
    async with factory() as session:
        assert await session.get(Profile, customer.id) is not None


async def test_reply_log_writes_late_arrivals_and_everything_at_close(
    sqlite_session_factory: SessionFactory,
) -> None:
    import asyncio

    from sqlalchemy import func, select

    from bot.conversation.reply_log import LoggedReply, ReplyLog
    from storage.models import Message

    factory = sqlite_session_factory
    async with factory() as session:
        customer, _ = await customers.load_or_create(
            session, CustomerIdentity("telegram", "5"), now=NOW, default_language="en"
        )
        await session.commit()

    def reply(n: int) -> LoggedReply:
        return LoggedReply(customer.id, f"reply {n}", NOW, "sent", str(n))  # type: ignore[arg-type]

    async def count() -> int:
        async with factory() as session:
            return int((await session.execute(select(func.count(Message.id)))).scalar_one())

    log = ReplyLog(factory, max_delay_s=0.02)
    log.record(reply(1))
    for n in range(2, 30):  # keep arriving while batches are being written
        await asyncio.sleep(0.005)
        log.record(reply(n))
    for _ in range(100):  # no flush() call: the background writer must catch up alone
        if await count() == 29:
            break
        await asyncio.sleep(0.02)
    assert await count() == 29
    log.record(reply(99))
    await log.close()  # right after a record: nothing may be lost
    assert await count() == 30


async def test_the_cache_hands_out_copies_and_keeps_only_committed_state(
    sqlite_session_factory: SessionFactory,
) -> None:
    """A unit of work changes its copy; until it puts the copy back (after its commit), a
    flush writes the committed state and the next load sees it."""
    factory = sqlite_session_factory
    store = ProfileCache(factory)
    engine = ProfileEngine()
    async with factory() as session:
        customer, _ = await customers.load_or_create(
            session, CustomerIdentity("telegram", "11"), now=NOW, default_language="ru"
        )
        await session.commit()
        state = engine.new_state(now=NOW.timestamp())
        engine.observe_incoming(state, engine.analyze("Привет"), NOW.timestamp())
        store.put(customer.id, state, engine.assess(state, NOW.timestamp()), NOW)
        working = await store.load(session, customer.id)
        assert working is not None and working is not state
        engine.observe_incoming(working, engine.analyze("Ещё"), NOW.timestamp() + 60)
        await store.flush()  # mid-unit: the uncommitted change must not be written
        row = await profiles.load(session, customer.id)
        assert row is not None and row.messages_total == row.state["messages_total"] == 1
        again = await store.load(session, customer.id)
        assert again is not None and again.messages_total == 1
    await store.close()


async def test_the_background_writer_survives_a_failing_flush() -> None:
    import asyncio

    from bot.conversation.batching import BatchFlusher

    work = ["a"]
    attempts = 0

    async def flush() -> bool:
        nonlocal attempts
        attempts += 1
        if attempts == 1:
            raise RuntimeError("unexpected")
        work.clear()
        return True

    flusher = BatchFlusher(flush, lambda: bool(work), delay_s=0.001, retry_delay_s=0.01)
    flusher.poke()
    for _ in range(100):
        if not work:
            break
        await asyncio.sleep(0.01)
    assert work == [] and attempts == 2
    await flusher.close()
