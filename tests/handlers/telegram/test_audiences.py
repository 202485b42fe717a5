"""Routers by audience: operators and admins are never profiled as customers; flood rules
come from handler flags."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from bot.app import Application
from bot.settings import Settings
from storage.models import Customer, Message
from tests.factories import ManualClock, TelegramCustomer, feed, running_app, stored_rows
from tests.fakes.bot_api import FakeBotApi

ADMIN = 7001
OPERATOR_GROUP = -100500


@pytest.fixture
async def staffed(
    settings: Settings, bot_api: FakeBotApi, clock: ManualClock
) -> AsyncIterator[Application]:
    async with running_app(
        settings,
        bot_api,
        clock,
        admin_ids=frozenset({ADMIN}),
        operator_chat_id=OPERATOR_GROUP,
        throttle_per_minute=2,
    ) as application:
        yield application


def in_group(update: dict, chat_id: int) -> dict:
    update["message"]["chat"] = {"id": chat_id, "type": "supergroup", "title": "Operators"}
    return update


async def test_operator_group_messages_create_no_customer(
    staffed: Application, bot_api: FakeBotApi, clock: ManualClock
) -> None:
    operator = TelegramCustomer(8001, "Olga")
    await feed(staffed, in_group(operator.message("Кто возьмёт клиента?", clock()), OPERATOR_GROUP))
    await feed(staffed, in_group(operator.message("/help", clock()), OPERATOR_GROUP))
    assert await stored_rows(staffed, Customer) == []
    assert await stored_rows(staffed, Message) == []
    (help_reply,) = bot_api.sent_messages(OPERATOR_GROUP)
    assert "оператор" in help_reply["text"].lower()


async def test_an_operator_chat_that_is_a_private_chat_is_not_a_customer(
    settings: Settings, bot_api: FakeBotApi, clock: ManualClock
) -> None:
    person = TelegramCustomer(8002, "Ivan")
    async with running_app(settings, bot_api, clock, operator_chat_id=person.user_id) as app:
        await feed(app, person.message("Привет, я дежурный оператор", clock()))
        assert await stored_rows(app, Customer) == []
        assert bot_api.sent_messages(person.user_id) == []


async def test_admin_status_answers_and_profiles_nobody(
    staffed: Application, bot_api: FakeBotApi, clock: ManualClock
) -> None:
    shopper = TelegramCustomer(1001)
    await feed(staffed, shopper.message("Где мой заказ?", clock()))
    admin = TelegramCustomer(ADMIN, "Boss", "en")
    await feed(staffed, admin.message("/status", clock()))
    (status,) = bot_api.sent_messages(ADMIN)
    assert "Customers: 1" in status["text"] and "Database: ok" in status["text"]
    assert "Messages in 24 h: 1" in status["text"]
    assert [c.external_id for c in await stored_rows(staffed, Customer)] == ["1001"]


async def test_status_from_a_customer_is_an_unknown_command(
    staffed: Application, bot_api: FakeBotApi, clock: ManualClock
) -> None:
    shopper = TelegramCustomer(1001)
    await feed(staffed, shopper.message("/status", clock()))
    (reply,) = bot_api.sent_messages(1001)
    assert "/status" in reply["text"] and "/help" in reply["text"]


async def test_an_admin_writing_plainly_is_served_as_a_customer(
    staffed: Application, bot_api: FakeBotApi, clock: ManualClock
) -> None:
    admin = TelegramCustomer(ADMIN, "Boss", "en")
    await feed(staffed, admin.message("Where is my order?", clock()))
    assert len(bot_api.sent_messages(ADMIN)) == 1
    assert [c.external_id for c in await stored_rows(staffed, Customer)] == [str(ADMIN)]


async def test_flooding_is_recorded_not_answered_but_start_always_is(
    staffed: Application, bot_api: FakeBotApi, clock: ManualClock
) -> None:
    anna = TelegramCustomer(1001)
    for n in range(4):
        await feed(staffed, anna.message(f"Вопрос номер {n}?", clock()))
        clock.advance(1)
    assert len(bot_api.sent_messages(1001)) == 2  # THROTTLE_PER_MINUTE=2
    await feed(staffed, anna.message("/start", clock()))  # flagged flood_exempt
    assert len(bot_api.sent_messages(1001)) == 3
    incoming = await stored_rows(staffed, Message, Message.direction == "in")
    assert len(incoming) == 5
