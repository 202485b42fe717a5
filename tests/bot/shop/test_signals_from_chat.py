"""Signals caused by the customer's own messages, through the production Dispatcher: an
irritated customer becomes one `customer.unhappy` event in the outbox, written with the
message that caused it, not one per angry message."""

from __future__ import annotations

from sqlmodel import col

from bot.app import Application
from storage.models.outbox import OutboxEvent
from tests.factories import ManualClock, TelegramCustomer, feed, stored_rows

ANGRY = [
    "Где мой заказ?? Жду уже неделю!!!",
    "АЛЛО!!! Вы вообще отвечаете??",
    "Это безобразие, верните деньги немедленно!!!",
    "Ну??? Сколько можно ждать???",
    "Ужасный сервис, больше никогда!!!",
]


async def test_an_irritated_customer_is_one_unhappy_signal(
    app: Application, clock: ManualClock
) -> None:
    oleg = TelegramCustomer(4001, "Oleg", "ru")
    for text in ANGRY * 2:
        clock.advance(20)
        await feed(app, oleg.message(text, clock()))
    unhappy = await stored_rows(app, OutboxEvent, col(OutboxEvent.event_type) == "customer.unhappy")
    assert len(unhappy) == 1
    data = unhappy[0].payload["data"]
    assert data["customer"]["first_name"] == "Oleg"
    assert data["score"] >= 60 and data["reasons"]


async def test_a_calm_customer_sends_no_signal(app: Application, clock: ManualClock) -> None:
    anna = TelegramCustomer(4002, "Anna", "ru")
    for text in ["Здравствуйте!", "Подскажите, есть ли чайник на 1.7 литра?", "Спасибо!"]:
        clock.advance(30)
        await feed(app, anna.message(text, clock()))
    events = await stored_rows(app, OutboxEvent)
    assert [e.event_type for e in events if e.event_type == "customer.unhappy"] == []
