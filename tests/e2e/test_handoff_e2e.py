"""End to end: human handoff in the running program (`serve`, long polling) through aiogram's
real HTTP session and the fake Telegram server with an operator group — a customer asks for
a person, the card arrives, an operator's reply reaches the customer, /done gives the dialog
back to the bot."""

from __future__ import annotations

import asyncio
from typing import Any

from bot.app import build_application
from bot.runtime.runner import serve
from bot.settings import Settings
from tests.factories import NO_LIMITS
from tests.fakes.telegram_server import FakeTelegramServer

OPERATORS = -1001234567890
NINA = 901
OLGA = 8001


def _card(tg: FakeTelegramServer) -> dict[str, Any] | None:
    for call in tg.calls_to("sendMessage"):
        if call.ok and call.params.get("chat_id") == OPERATORS and "/done" in call.params["text"]:
            return dict(call.response["result"])
    return None


def _last_to_nina(tg: FakeTelegramServer) -> str:
    sent = tg.sent_messages(NINA)
    return str(sent[-1]["text"]) if sent else ""


def _closed_and_rated(tg: FakeTelegramServer) -> bool:
    """The closing message, then the rating question for the operator's help."""
    texts = [str(m["text"]) for m in tg.sent_messages(NINA)[-2:]]
    return len(texts) == 2 and texts[0].startswith("Сотрудник завершил") and "Оцените" in texts[1]


async def test_a_customer_gets_a_person_and_back_over_http(
    tg: FakeTelegramServer, settings: Settings
) -> None:
    configured = settings.model_copy(update={"operator_chat_id": OPERATORS})
    app = build_application(configured, telegram_limits=NO_LIMITS)
    stop = asyncio.Event()
    task = asyncio.create_task(serve(app, stop))
    try:
        tg.push_message(
            "Здравствуйте! Позовите оператора, пожалуйста", user_id=NINA, first_name="Nina"
        )
        await tg.wait_until(lambda: _card(tg) is not None, timeout=15)
        card = _card(tg)
        assert card is not None
        assert "Nina" in card["text"] and "Клиент просит человека" in card["text"]
        await tg.wait_until(lambda: _last_to_nina(tg).startswith("Позвал сотрудника"), timeout=10)
        assert app.handoffs is not None and app.handoffs.running  # started with the program

        tg.push_message("Жду", user_id=NINA, first_name="Nina")
        await tg.wait_until(
            lambda: tg.sent_messages(OPERATORS)[-1]["text"].endswith("Жду"), timeout=10
        )

        tg.push_group_message(
            "Здравствуйте, Нина! Меня зовут Ольга.",
            chat_id=OPERATORS,
            user_id=OLGA,
            first_name="Olga",
            reply_to=card["message_id"],
        )
        await tg.wait_until(
            lambda: _last_to_nina(tg) == "Здравствуйте, Нина! Меня зовут Ольга.", timeout=10
        )
        tg.push_group_message("/done", chat_id=OPERATORS, user_id=OLGA, reply_to=card["message_id"])
        await tg.wait_until(lambda: _closed_and_rated(tg), timeout=10)

        tg.push_message("Сколько стоит доставка по Москве?", user_id=NINA, first_name="Nina")
        await tg.wait_until(lambda: "достав" in _last_to_nina(tg).lower(), timeout=10)
    finally:
        stop.set()
        await asyncio.wait_for(task, timeout=15)
    assert app.handoffs is not None and not app.handoffs.running  # stopped with the program
