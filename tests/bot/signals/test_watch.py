"""The signal watch: threshold crossings with hysteresis, written in the caller's transaction,
known in memory only after the commit, and free of queries for a quiet customer."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from typing import Any

import pytest
from sqlalchemy import event, select

from bot.settings import load_settings
from bot.signals.watch import SignalWatch, Thresholds
from profiling.assess.advice import ReplyAdvice
from profiling.assess.scores import Score
from profiling.assess.segments import Segment, SegmentScore
from profiling.engine import Assessment, ProfileEngine
from profiling.types import Lang
from storage.db import SessionFactory
from storage.models import Customer, OutboxEvent, ShopCustomer, SignalState
from storage.repositories import customers
from storage.repositories.customers import CustomerIdentity
from tests.factories import ManualClock

THRESHOLDS = Thresholds(hot_lead=70, unhappy=60, churn_risk=70, need=60, hysteresis=15)


def assessment(
    hot: int = 10,
    churn: int = 5,
    irritated: float = 0.05,
    lang: Lang = Lang.RU,
    **needs: float,
) -> Assessment:
    """An assessment with exactly these scores (needs by segment name, 0-1)."""
    segments = {segment: SegmentScore(0.1, 0.3, raw=()) for segment in Segment}
    segments[Segment.IRRITATED] = SegmentScore(
        irritated, 0.8, raw=[("irritation", 0.7, 0.42), ("waiting_complaints", 0.5, 0.2)]
    )
    for name, value in needs.items():
        segments[Segment(name)] = SegmentScore(value, 0.6, raw=[("price_questions", 0.4, 0.3)])
    return Assessment(
        segments=segments,
        hotness=Score(hot, raw=[("buying_intents", 0.8, 24.0), ("recency_s", 30.0, 20.0)]),
        churn=Score(churn, raw=[("silence_ratio", 3.0, 12.0)]),
        active_hours=(),
        advice=ReplyAdvice("medium", True, False, None, ()),
        lang=lang,
    )


async def new_customer(factory: SessionFactory, external_id: str = "501") -> Customer:
    async with factory() as session:
        customer, _ = await customers.load_or_create(
            session,
            CustomerIdentity(
                "telegram", external_id, username="anna_k", first_name="Анна", language="ru"
            ),
            now=datetime(2026, 3, 1, tzinfo=UTC),
            default_language="ru",
        )
        await session.commit()
    return customer


async def turn(
    factory: SessionFactory,
    watch: SignalWatch,
    customer: Customer,
    scores: Assessment,
    now: datetime,
    **kwargs: Any,
) -> list[str]:
    """One unit of work: check, commit, tell the watch."""
    async with factory() as session:
        fired = await watch.check(session, customer, scores, now, **kwargs)
        await session.commit()
        watch.committed(session)
    return fired


async def outbox(factory: SessionFactory) -> list[OutboxEvent]:
    async with factory() as session:
        result = await session.execute(select(OutboxEvent).order_by(OutboxEvent.id))
        return list(result.scalars())


@contextmanager
def statements(factory: SessionFactory) -> Iterator[list[str]]:
    """Every SQL statement the engine behind `factory` runs inside the block."""
    seen: list[str] = []
    engine = factory.kw["bind"].sync_engine

    def record(*args: Any) -> None:
        seen.append(args[2])

    event.listen(engine, "before_cursor_execute", record)
    try:
        yield seen
    finally:
        event.remove(engine, "before_cursor_execute", record)


async def test_fires_on_crossing_up_once_and_again_only_after_re_arming(
    session_factory: SessionFactory, clock: ManualClock
) -> None:
    customer = await new_customer(session_factory)
    watch = SignalWatch(THRESHOLDS)

    hotness_over_time = [50, 69, 70, 95, 60, 56, 71, 55, 64, 70]
    fired_at = []
    for hot in hotness_over_time:
        if await turn(session_factory, watch, customer, assessment(hot=hot), clock()):
            fired_at.append(hot)
        clock.advance(60)

    # 70: crossed up. 95, 60, 56, 71: still armed-off (56 is not 15 below 70). 55: re-armed,
    # silently. 64: below. 70: crossed up again.
    assert fired_at == [70, 70]
    events = await outbox(session_factory)
    assert [e.event_type for e in events] == ["lead.hot", "lead.hot"]
    async with session_factory() as session:
        state = await session.get(SignalState, (customer.id, "lead.hot"))
        assert state is not None and (state.active, state.value) == (True, 70.0)


async def test_no_query_for_a_quiet_customer(
    sqlite_session_factory: SessionFactory, clock: ManualClock
) -> None:
    factory = sqlite_session_factory
    quiet = await new_customer(factory, "1")
    loud = await new_customer(factory, "2")
    watch = SignalWatch(THRESHOLDS)
    await turn(factory, watch, loud, assessment(hot=90), clock())

    with statements(factory) as first_use:
        await turn(factory, SignalWatch(THRESHOLDS), quiet, assessment(hot=40), clock())
    # A new watch loads what is active once (then the commit of the empty transaction).
    assert sum("signal_state" in s for s in first_use) == 1

    quiet_scores = assessment(hot=54, churn=54, irritated=0.44, price_sensitive=0.44)
    async with factory() as session:
        with statements(factory) as seen:
            for _ in range(50):
                assert await watch.check(session, quiet, quiet_scores, clock()) == []
            # Above the re-arm level but below the threshold, or an active signal staying up:
            # still nothing to read or write.
            assert await watch.check(session, quiet, assessment(hot=69), clock()) == []
            assert await watch.check(session, loud, assessment(hot=80), clock()) == []
    assert seen == []


async def test_a_rolled_back_unit_changes_nothing(
    sqlite_session_factory: SessionFactory, clock: ManualClock
) -> None:
    factory = sqlite_session_factory
    customer = await new_customer(factory)
    watch = SignalWatch(THRESHOLDS)

    async with factory() as session:
        assert await watch.check(session, customer, assessment(hot=80), clock())
        await session.rollback()
        # The same session goes on and commits something else: the discarded change stays
        # discarded.
        await session.commit()
        watch.committed(session)
    assert watch.active_keys(customer.id) == frozenset()  # type: ignore[arg-type]
    assert await outbox(factory) == []

    assert await turn(factory, watch, customer, assessment(hot=80), clock())
    assert watch.active_keys(customer.id) == {"lead.hot"}  # type: ignore[arg-type]
    assert len(await outbox(factory)) == 1


async def test_two_checks_in_one_transaction_fire_once(
    sqlite_session_factory: SessionFactory, clock: ManualClock
) -> None:
    """A unit may assess a customer twice (an order fact, then their message)."""
    factory = sqlite_session_factory
    customer = await new_customer(factory)
    watch = SignalWatch(THRESHOLDS)
    async with factory() as session:
        first = await watch.check(session, customer, assessment(hot=75), clock())
        second = await watch.check(session, customer, assessment(hot=78), clock())
        await session.commit()
        watch.committed(session)
    assert (len(first), second) == (1, [])


async def test_payload_names_the_customer_the_scores_and_the_reasons(
    sqlite_session_factory: SessionFactory, clock: ManualClock
) -> None:
    factory = sqlite_session_factory
    customer = await new_customer(factory)
    async with factory() as session:
        now = clock()
        session.add(
            ShopCustomer(
                shop_id="CRM-77",
                link_token="t1",
                customer_id=customer.id,
                created_at=now,
                updated_at=now,
            )
        )
        await session.commit()
    watch = SignalWatch(THRESHOLDS)

    scores = assessment(hot=20, irritated=0.65, price_sensitive=0.7)
    fired = await turn(factory, watch, customer, scores, clock())

    events = {e.event_type: e for e in await outbox(factory)}
    assert set(events) == {"customer.unhappy", "customer.need_detected"}
    assert sorted(fired) == sorted(e.webhook_id for e in events.values())
    unhappy = events["customer.unhappy"].payload
    assert unhappy["type"] == "customer.unhappy"
    assert unhappy["timestamp"] == clock().isoformat().replace("+00:00", "Z")
    data = unhappy["data"]
    assert data["signal"] == "customer.unhappy"
    assert data["customer"] == {
        "id": customer.id,
        "channel": "telegram",
        "username": "anna_k",
        "first_name": "Анна",
        "language": "ru",
        "shop_customer_id": "CRM-77",  # looked up because a signal fired
    }
    assert (data["score"], data["threshold"]) == (65.0, 60)
    assert data["scores"]["hotness"] == 20
    assert data["scores"]["segments"]["irritated"] == {"value": 0.65, "confidence": 0.8}
    assert set(data["scores"]["segments"]) == {s.value for s in Segment}
    first_reason = data["reasons"][0]
    assert first_reason["code"] == "irritation"
    assert first_reason["text"].startswith("Раздражение: 70%")
    assert first_reason["text_en"].startswith("Irritation: 70%")
    need = events["customer.need_detected"].payload["data"]
    assert (need["signal"], need["need"]) == (
        "customer.need_detected:price_sensitive",
        "price_sensitive",
    )
    assert events["customer.need_detected"].customer_id == customer.id


async def test_a_known_shop_id_is_not_looked_up(
    sqlite_session_factory: SessionFactory, clock: ManualClock
) -> None:
    factory = sqlite_session_factory
    customer = await new_customer(factory)
    watch = SignalWatch(THRESHOLDS)
    await turn(factory, watch, customer, assessment(hot=5), clock())  # loads the watch
    with statements(factory) as seen:
        await turn(factory, watch, customer, assessment(hot=90), clock(), shop_customer_id="S9")
    assert not any("shop_customer" in s for s in seen)
    [event_row] = await outbox(factory)
    assert event_row.payload["data"]["customer"]["shop_customer_id"] == "S9"


async def test_every_signal_has_its_own_key(
    sqlite_session_factory: SessionFactory, clock: ManualClock
) -> None:
    factory = sqlite_session_factory
    customer = await new_customer(factory)
    watch = SignalWatch(THRESHOLDS)
    everything = assessment(
        hot=99,
        churn=99,
        irritated=0.99,
        urgent=0.9,
        researcher=0.9,
        doubting_buyer=0.9,
        returning_with_problem=0.9,
        price_sensitive=0.9,
    )
    assert len(await turn(factory, watch, customer, everything, clock())) == 8
    assert watch.active_keys(customer.id) == {  # type: ignore[arg-type]
        "lead.hot",
        "customer.churn_risk",
        "customer.unhappy",
        "customer.need_detected:urgent",
        "customer.need_detected:researcher",
        "customer.need_detected:doubting_buyer",
        "customer.need_detected:returning_with_problem",
        "customer.need_detected:price_sensitive",
    }
    # Only the price need re-arms and comes back.
    calmer = assessment(
        hot=99,
        churn=99,
        irritated=0.99,
        urgent=0.9,
        researcher=0.9,
        doubting_buyer=0.9,
        returning_with_problem=0.9,
        price_sensitive=0.2,
    )
    assert await turn(factory, watch, customer, calmer, clock()) == []
    assert len(await turn(factory, watch, customer, everything, clock())) == 1


async def test_a_new_process_remembers_what_is_active_and_forget_drops_it(
    sqlite_session_factory: SessionFactory, clock: ManualClock
) -> None:
    factory = sqlite_session_factory
    customer = await new_customer(factory)
    await turn(factory, SignalWatch(THRESHOLDS), customer, assessment(hot=90), clock())

    restarted = SignalWatch(THRESHOLDS)
    assert await turn(factory, restarted, customer, assessment(hot=91), clock()) == []
    assert restarted.active_keys(customer.id) == {"lead.hot"}  # type: ignore[arg-type]

    restarted.forget(customer.id)  # type: ignore[arg-type]
    assert restarted.active_keys(customer.id) == frozenset()  # type: ignore[arg-type]


async def test_notify_after_a_commit_that_enqueued(
    sqlite_session_factory: SessionFactory, clock: ManualClock
) -> None:
    factory = sqlite_session_factory
    customer = await new_customer(factory)
    woken: list[bool] = []
    watch = SignalWatch(THRESHOLDS, notify=lambda: woken.append(True))

    await turn(factory, watch, customer, assessment(hot=10), clock())
    assert woken == []
    await turn(factory, watch, customer, assessment(hot=90), clock())
    assert woken == [True]


async def test_real_profile_fires_unhappy_and_churn_once_each(
    sqlite_session_factory: SessionFactory, clock: ManualClock
) -> None:
    """Messages through the real profiling engine: an order that went wrong."""
    factory = sqlite_session_factory
    customer = await new_customer(factory)
    watch = SignalWatch(THRESHOLDS)
    engine = ProfileEngine()
    state = engine.new_state(now=clock().timestamp())
    messages = [
        "Здравствуйте, сколько стоит кофемолка?",
        "А есть скидка?",
        "Где мой заказ?? Жду уже неделю!!!",
        "Это безобразие, верните деньги!!!",
        "Сколько можно ждать?! Ужасный сервис!!!",
        "Больше никогда у вас не закажу!!!",
        "Спасибо, всё получил, отлично!",
        "Хорошо, спасибо",
    ]
    for text in messages:
        now = clock.advance(40)
        engine.observe_incoming(state, engine.analyze(text), now.timestamp())
        await turn(factory, watch, customer, engine.assess(state, now.timestamp()), now)
    quiet_later = clock.advance(3 * 86_400)
    await turn(factory, watch, customer, engine.assess(state, quiet_later.timestamp()), quiet_later)

    fired = [e.event_type for e in await outbox(factory)]
    assert fired.count("customer.unhappy") == 1
    assert fired.count("customer.churn_risk") == 1
    assert "lead.hot" not in fired
    # Three quiet days later both have fallen far enough to fire again next time.
    assert "customer.unhappy" not in watch.active_keys(customer.id)  # type: ignore[arg-type]


def test_thresholds_from_settings_and_their_checks() -> None:
    settings = load_settings(
        _env_file=None,
        hot_lead_threshold=80,
        unhappy_threshold=65,
        churn_risk_threshold=75,
        need_threshold=55,
        signal_hysteresis=10,
    )
    assert Thresholds.from_settings(settings) == Thresholds(80, 65, 75, 55, 10)
    with pytest.raises(ValueError, match="hysteresis"):
        Thresholds(hot_lead=20, hysteresis=20)
    with pytest.raises(ValueError, match="1-100"):
        Thresholds(need=0)
