"""Proactive check-ins end to end, on the production application: planned from the shop's
facts and the conversation, previewed, sent by a sweep through the proactive path with a
stop button, never twice, with policy re-checked at send time, 429 and 403 handled, a real
AsyncIOScheduler firing the sweeper, and two sweepers on the real PostgreSQL."""

from __future__ import annotations

import asyncio
import itertools
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from bot.app import Application
from bot.runtime.scheduler import build_scheduler
from bot.settings import Settings
from bot.shop.schemas import CustomerIn, OrderIn
from bot.tools.checkins import format_preview, preview, send_due
from storage.models import Customer
from storage.models.checkin import Checkin
from storage.repositories import checkins
from tests.factories import ManualClock, TelegramCustomer, feed, running_app, stored_rows
from tests.fakes.bot_api import FakeBotApi

# A Monday noon UTC; the shop is at UTC+3 (TIMEZONE_OFFSET_MINUTES=180 in these tests).
T0 = datetime(2026, 11, 30, 9, 0, tzinfo=UTC)
_presses = itertools.count(970_000)


@pytest.fixture
async def shop(
    in_process_settings: Settings, bot_api: FakeBotApi, clock: ManualClock
) -> AsyncIterator[Application]:
    clock.now = T0
    async with running_app(in_process_settings, bot_api, clock, timezone_offset_minutes=180) as app:
        yield app


def order(customer: str, status: str) -> OrderIn:
    return OrderIn.model_validate(
        {
            "customer_id": customer,
            "status": status,
            "total": 4990,
            "currency": "RUB",
            "items": [{"sku": "KT-XI2", "name": "Чайник Xiaomi", "qty": 1, "price": 4990}],
        }
    )


async def linked(app: Application, who: TelegramCustomer, shop_id: str, clock: ManualClock) -> None:
    created = await app.shop.put_customer(shop_id, CustomerIn(name=who.first_name))
    payload = created.deep_link.rsplit("start=", 1)[1]
    await feed(app, who.message(f"/start {payload}", clock()))


async def planned(app: Application) -> list[Checkin]:
    return await stored_rows(app, Checkin, Checkin.status == "planned")


async def plan_one(
    app: Application, customer_id: int, trigger: str, due: datetime, **detail: Any
) -> None:
    """A planned check-in, as the planner would leave it."""
    async with app.session_factory() as session:
        await checkins.plan(
            session,
            customer_id=customer_id,
            trigger=trigger,
            due_at=due,
            slot_reason="test",
            detail=detail,
            now=due - timedelta(days=1),
        )
        await session.commit()


async def sweep_at(app: Application, clock: ManualClock, at: datetime) -> Any:
    clock.now = at
    return await send_due(app, at=at, instance="test")


async def test_a_delivered_order_is_asked_about_days_later_once_with_a_stop_button(
    shop: Application, bot_api: FakeBotApi, clock: ManualClock
) -> None:
    anna = TelegramCustomer(9301, "Анна", "ru")
    await linked(shop, anna, "c-anna", clock)
    await shop.shop.put_order("K-1", order("c-anna", "paid"))
    clock.advance(86_400)
    await shop.shop.put_order("K-1", order("c-anna", "delivered"))
    [plan] = await planned(shop)
    assert plan.trigger == "delivered" and plan.detail["order_id"] == "K-1"
    due = plan.due_at.astimezone(UTC)
    assert due >= clock() + timedelta(days=3)
    local_hour = (due + timedelta(hours=3)).hour
    assert 9 <= local_hour < 22  # never in quiet hours
    assert "delivered" in plan.slot_reason

    items = await preview(shop.session_factory, at=due, until=None)
    line = format_preview(items, as_json=True)
    assert '"customer": "9301"' in line and '"trigger": "delivered"' in line
    assert not await preview(shop.session_factory, at=due - timedelta(minutes=1), until=None)

    before = len(bot_api.sent_messages(9301))
    result = await sweep_at(shop, clock, due + timedelta(minutes=1))
    assert result.claimed == 1 and result.outcomes == {"sent": 1}
    sent = bot_api.sent_messages(9301)[before:]
    assert len(sent) == 1 and "K-1" in sent[0]["text"]
    [button] = sent[0]["reply_markup"]["inline_keyboard"][0]
    assert button["callback_data"] == "checkins:stop"
    again = await sweep_at(shop, clock, due + timedelta(minutes=1))
    assert again.claimed == 0 and len(bot_api.sent_messages(9301)) == before + 1

    [row] = await stored_rows(shop, Checkin)
    assert row.status == "sent" and row.attempts[0]["outcome"] == "sent"
    message_id = bot_api.calls_to("sendMessage")[-1].response["result"]["message_id"]
    bot_api.push_callback_query(
        "checkins:stop", message_id=message_id, user_id=9301, first_name="Анна"
    )
    await feed(shop, {**bot_api.pending_updates[-1], "update_id": next(_presses)})
    [customer] = await stored_rows(shop, Customer)
    assert customer.checkins_opt_out
    [row] = await stored_rows(shop, Checkin)
    assert row.outcome == "opted_out"


async def test_a_reply_after_a_check_in_is_its_outcome(
    shop: Application, bot_api: FakeBotApi, clock: ManualClock
) -> None:
    oleg = TelegramCustomer(9302, "Олег", "ru")
    await linked(shop, oleg, "c-oleg", clock)
    await shop.shop.put_order("K-2", order("c-oleg", "delivered"))
    [plan] = await planned(shop)
    await sweep_at(shop, clock, plan.due_at.astimezone(UTC))
    clock.advance(3600)
    await feed(shop, oleg.message("Да, всё отлично, спасибо!", clock()))
    [row] = await stored_rows(shop, Checkin)
    assert row.outcome == "replied"


async def test_quiet_hours_at_send_time_postpone_instead_of_waking_anyone(
    shop: Application, bot_api: FakeBotApi, clock: ManualClock
) -> None:
    vera = TelegramCustomer(9303, "Вера", "ru")
    await feed(shop, vera.message("привет", clock()))
    [customer] = await stored_rows(shop, Customer)
    night = datetime(2026, 12, 2, 20, 30, tzinfo=UTC)  # 23:30 at UTC+3
    await plan_one(shop, customer.id, "quiet", night - timedelta(minutes=5))
    before = len(bot_api.sent_messages(9303))
    result = await sweep_at(shop, clock, night)
    assert result.outcomes == {"skipped:quiet_hours": 1}
    assert len(bot_api.sent_messages(9303)) == before
    [again] = await planned(shop)
    local = again.due_at.astimezone(UTC) + timedelta(hours=3)
    assert again.due_at.astimezone(UTC) > night and 9 <= local.hour < 22


async def test_a_blocked_chat_marks_the_customer_and_cancels_the_rest(
    shop: Application, bot_api: FakeBotApi, clock: ManualClock
) -> None:
    ivan = TelegramCustomer(9304, "Иван", "ru")
    await linked(shop, ivan, "c-ivan", clock)
    await shop.shop.put_order("K-3", order("c-ivan", "delivered"))
    [plan] = await planned(shop)
    [customer] = await stored_rows(shop, Customer)
    await plan_one(
        shop, customer.id, "cart", plan.due_at + timedelta(days=5), product="Чайник Xiaomi"
    )
    bot_api.block_chat(9304)
    result = await sweep_at(shop, clock, plan.due_at.astimezone(UTC))
    assert result.outcomes == {"failed": 1}
    [customer] = await stored_rows(shop, Customer)
    assert customer.blocked
    rows = {row.trigger: row for row in await stored_rows(shop, Checkin)}
    assert rows["delivered"].attempts[-1]["outcome"] == "blocked"
    assert rows["cart"].status == "cancelled" and rows["cart"].skip_reason == "blocked"


async def test_a_429_is_waited_out_and_the_check_in_still_goes(
    shop: Application, bot_api: FakeBotApi, clock: ManualClock
) -> None:
    kate = TelegramCustomer(9305, "Kate", "en")
    await linked(shop, kate, "c-kate", clock)
    await shop.shop.put_order("K-4", order("c-kate", "delivered"))
    [plan] = await planned(shop)
    bot_api.fail_next("sendMessage", error_code=429, description="Too Many Requests", retry_after=1)
    result = await sweep_at(shop, clock, plan.due_at.astimezone(UTC))
    assert result.outcomes == {"sent": 1}
    assert "K-4" in bot_api.sent_messages(9305)[-1]["text"]


async def test_a_real_scheduler_fires_the_sweeper(
    in_process_settings: Settings, bot_api: FakeBotApi, clock: ManualClock
) -> None:
    clock.now = T0
    async with running_app(in_process_settings, bot_api, clock, checkin_sweep_seconds=1) as app:
        lena = TelegramCustomer(9306, "Lena", "en")
        await linked(app, lena, "c-lena", clock)
        await app.shop.put_order("K-5", order("c-lena", "delivered"))
        [plan] = await planned(app)
        clock.now = plan.due_at.astimezone(UTC) + timedelta(minutes=1)
        scheduler = build_scheduler(app.settings, app.session_factory, app.clock, app.conversation)
        scheduler.start()
        try:
            job = scheduler.get_job("checkins")
            assert job is not None and job.max_instances == 1 and job.coalesce
            # The scheduler's own clock fires the job (about a second): poll for its send.
            for _ in range(100):
                if any("K-5" in m["text"] for m in bot_api.sent_messages(9306)):
                    break
                await asyncio.sleep(0.05)
            assert any("K-5" in m["text"] for m in bot_api.sent_messages(9306))
        finally:
            scheduler.shutdown(wait=False)


async def test_two_sweepers_on_postgresql_send_each_check_in_once(
    in_process_settings: Settings, bot_api: FakeBotApi, clock: ManualClock, postgres_url: str
) -> None:
    clock.now = T0
    due = T0 + timedelta(hours=2)
    async with (
        running_app(in_process_settings, bot_api, clock, database_url=postgres_url) as one,
        running_app(in_process_settings, bot_api, clock, database_url=postgres_url) as two,
    ):
        people = [TelegramCustomer(9400 + n, f"P{n}", "ru") for n in range(40)]
        for who in people:
            await feed(one, who.message("привет", clock()))
        async with one.session_factory() as session:
            for customer in await session.execute(Customer.__table__.select()):  # type: ignore[attr-defined]
                await checkins.plan(
                    session,
                    customer_id=customer.id,
                    trigger="cart",
                    due_at=due,
                    slot_reason="test",
                    detail={},
                    now=T0 - timedelta(days=1),
                )
            await session.commit()
        before = {who.user_id: len(bot_api.sent_messages(who.user_id)) for who in people}
        clock.now = due + timedelta(minutes=1)
        results = await asyncio.gather(
            send_due(one, at=clock.now, instance="one"),
            send_due(two, at=clock.now, instance="two"),
            send_due(one, at=clock.now, instance="one-b"),
        )
        assert sum(r.claimed for r in results) == 40
        for who in people:
            assert len(bot_api.sent_messages(who.user_id)) == before[who.user_id] + 1


async def test_an_order_after_a_check_in_is_its_conversion_and_ends_the_cart_nudge(
    shop: Application, bot_api: FakeBotApi, clock: ManualClock
) -> None:
    max_ = TelegramCustomer(9307, "Max", "en")
    await linked(shop, max_, "c-max", clock)
    await shop.shop.put_order("K-6", order("c-max", "delivered"))
    [plan] = await planned(shop)
    await sweep_at(shop, clock, plan.due_at.astimezone(UTC))
    [customer] = await stored_rows(shop, Customer)
    await plan_one(shop, customer.id, "cart", clock() + timedelta(days=1), product="Чайник Xiaomi")
    clock.advance(3600)
    await shop.shop.put_order("K-7", order("c-max", "paid"))
    rows = {row.trigger: row for row in await stored_rows(shop, Checkin)}
    assert rows["delivered"].outcome == "converted"
    assert rows["cart"].status == "cancelled" and rows["cart"].skip_reason == "converted"
