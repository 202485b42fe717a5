"""Human handoff through the production Dispatcher and the in-process Bot API fake, with an
operator group: the card, relaying both ways, the bot's silence, /done, the timeout, forum
topics, and every trigger; without OPERATOR_CHAT_ID nothing changes."""

from __future__ import annotations

import itertools
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import AsyncExitStack
from typing import Any

import pytest
from sqlmodel import col

from bot.app import Application
from bot.settings import Settings
from storage.models import Customer, Handoff, Message
from tests.factories import ManualClock, TelegramCustomer, feed, running_app, stored_rows
from tests.fakes.bot_api import FakeBotApi
from tests.fakes.bot_api_format import ApiCall

OPERATORS = -1001234567890  # a supergroup
OLGA = 8001
ADMIN = 7001
GROUP_UPDATES = itertools.count(10**8)  # apart from the customers' update ids

MakeApp = Callable[..., Awaitable[Application]]


@pytest.fixture
async def make_app(
    settings: Settings, bot_api: FakeBotApi, clock: ManualClock
) -> AsyncIterator[MakeApp]:
    """Builds the production application with an operator group (and `overrides`)."""
    async with AsyncExitStack() as apps:

        async def build(**overrides: Any) -> Application:
            values: dict[str, Any] = {
                "operator_chat_id": OPERATORS,
                "admin_ids": frozenset({ADMIN}),
                **overrides,
            }
            return await apps.enter_async_context(running_app(settings, bot_api, clock, **values))

        yield build


@pytest.fixture
async def app(make_app: MakeApp) -> Application:
    return await make_app()


def posts(api: FakeBotApi, chat_id: int = OPERATORS) -> list[dict[str, Any]]:
    """The messages the bot posted in a chat, as Telegram stored them (with their ids)."""
    calls: list[ApiCall] = [
        call
        for call in api.calls_to("sendMessage")
        if call.ok and call.params.get("chat_id") == chat_id
    ]
    return [call.response["result"] for call in calls]


def card_of(api: FakeBotApi) -> dict[str, Any]:
    (card,) = [post for post in posts(api) if "/done" in post["text"]][-1:]
    return card


def said_to(api: FakeBotApi, who: TelegramCustomer) -> list[str]:
    return [message["text"] for message in posts(api, who.user_id)]


async def customer_says(
    app: Application, who: TelegramCustomer, text: str, clock: ManualClock
) -> None:
    clock.advance(20)
    await feed(app, who.message(text, clock()))


async def operator_says(
    app: Application,
    api: FakeBotApi,
    text: str,
    clock: ManualClock,
    *,
    reply_to: int | None = None,
    thread_id: int | None = None,
    user_id: int = OLGA,
    first_name: str = "Olga",
) -> None:
    clock.advance(20)
    update = api.group_message(
        text,
        chat_id=OPERATORS,
        user_id=user_id,
        first_name=first_name,
        reply_to=reply_to,
        thread_id=thread_id,
        date=int(clock().timestamp()),
    )
    await feed(app, {"update_id": next(GROUP_UPDATES), **update})


async def handoffs(app: Application) -> list[Handoff]:
    return await stored_rows(app, Handoff)


async def test_asking_for_a_person_posts_a_card_and_tells_the_customer(
    app: Application, bot_api: FakeBotApi, clock: ManualClock
) -> None:
    anna = TelegramCustomer(1001, "Anna")
    await customer_says(app, anna, "Здравствуйте! Где мой заказ?", clock)
    await customer_says(app, anna, "Позовите, пожалуйста, живого человека", clock)
    notice = said_to(bot_api, anna)[-1]
    assert notice.startswith("Позвал сотрудника — он ответит здесь, в этом чате.")
    assert "до 10 минут" in notice
    card = card_of(bot_api)["text"]
    for expected in (
        "Клиент просит человека",
        "Кто: Anna · telegram 1001 · язык: русский",
        "Почему: клиент попросил позвать человека",
        "Сегменты:",
        "Готовность купить:",
        "Заказы: чат не связан с магазином",
        "Последние сообщения:",
        "👤 Здравствуйте! Где мой заказ?",
        "🤖 ",  # the bot's answer to it
        "👤 Позовите, пожалуйста, живого человека",
        "Ответьте на эту карточку",
    ):
        assert expected in card, expected
    (handoff,) = await handoffs(app)
    assert (handoff.status, handoff.reason) == ("waiting", "asked")
    assert handoff.card_message_id == card_of(bot_api)["message_id"]


async def handed_over(app: Application, api: FakeBotApi, clock: ManualClock) -> TelegramCustomer:
    """Anna asked for a person: her card is in the operator group."""
    anna = TelegramCustomer(1001, "Anna")
    await customer_says(app, anna, "Позовите оператора", clock)
    assert card_of(api)
    return anna


async def test_while_a_person_holds_the_dialog_the_bot_is_silent_and_relays(
    app: Application, bot_api: FakeBotApi, clock: ManualClock
) -> None:
    anna = await handed_over(app, bot_api, clock)
    before = len(said_to(bot_api, anna))
    await customer_says(app, anna, "Алло, есть кто? <жду>", clock)
    assert len(said_to(bot_api, anna)) == before  # the bot stays silent
    relayed = posts(bot_api)[-1]
    assert relayed["text"] == "💬 Anna: Алло, есть кто? <жду>"
    assert relayed["reply_to_message"]["message_id"] == card_of(bot_api)["message_id"]
    # Recorded and profiled as always.
    texts = [m.text for m in await stored_rows(app, Message, col(Message.direction) == "in")]
    assert texts[-1] == "Алло, есть кто? <жду>"


async def test_an_operators_reply_reaches_the_customer_and_is_logged(
    app: Application, bot_api: FakeBotApi, clock: ManualClock
) -> None:
    anna = await handed_over(app, bot_api, clock)
    card = card_of(bot_api)
    await operator_says(
        app,
        bot_api,
        "Здравствуйте, Анна! Я Ольга. Смотрю <ваш заказ>",
        clock,
        reply_to=card["message_id"],
    )
    assert said_to(bot_api, anna)[-1] == "Здравствуйте, Анна! Я Ольга. Смотрю <ваш заказ>"
    (handoff,) = await handoffs(app)
    assert (handoff.status, handoff.operator_id, handoff.operator_name) == (
        "active",
        str(OLGA),
        "Olga",
    )
    out = await stored_rows(app, Message, col(Message.direction) == "out")
    assert out[-1].text == "Здравствуйте, Анна! Я Ольга. Смотрю &lt;ваш заказ&gt;"
    assert out[-1].features == {"path": "operator", "operator_id": str(OLGA), "handoff": handoff.id}
    # A reply to a relayed customer message reaches her too.
    await customer_says(app, anna, "Спасибо, жду", clock)
    relayed = posts(bot_api)[-1]
    await operator_says(
        app, bot_api, "Нашла: он уже в пути.", clock, reply_to=relayed["message_id"]
    )
    assert said_to(bot_api, anna)[-1] == "Нашла: он уже в пути."


async def test_done_gives_the_dialog_back_to_the_bot(
    app: Application, bot_api: FakeBotApi, clock: ManualClock
) -> None:
    anna = await handed_over(app, bot_api, clock)
    card = card_of(bot_api)
    await operator_says(
        app, bot_api, "Добрый день! Чем помочь?", clock, reply_to=card["message_id"]
    )
    await operator_says(app, bot_api, "/done", clock, reply_to=card["message_id"])
    assert said_to(bot_api, anna)[-2] == (
        "Сотрудник завершил разговор. Если появятся вопросы — пишите, я на связи."
    )
    # Then she is asked to rate the help she got (once for this dialog).
    assert said_to(bot_api, anna)[-1].startswith("Оцените, пожалуйста, как вам помог сотрудник")
    assert posts(bot_api)[-1]["text"] == "✅ Готово: Anna снова говорит с ботом."
    (handoff,) = await handoffs(app)
    assert (handoff.status, handoff.closed_by) == ("closed", "operator")
    relayed_before = len(posts(bot_api))
    await customer_says(app, anna, "Сколько стоит доставка по Москве?", clock)
    assert "достав" in said_to(bot_api, anna)[-1].lower()  # the bot answers again
    assert len(posts(bot_api)) == relayed_before  # nothing relayed any more


async def test_done_with_the_bots_name_works_too(
    app: Application, bot_api: FakeBotApi, clock: ManualClock
) -> None:
    await handed_over(app, bot_api, clock)
    card = card_of(bot_api)
    await operator_says(
        app, bot_api, f"/done@{bot_api.bot_username}", clock, reply_to=card["message_id"]
    )
    (handoff,) = await handoffs(app)
    assert handoff.status == "closed"


async def test_a_reply_to_an_ended_handoff_is_refused_politely(
    app: Application, bot_api: FakeBotApi, clock: ManualClock
) -> None:
    anna = await handed_over(app, bot_api, clock)
    card = card_of(bot_api)
    await operator_says(app, bot_api, "/done", clock, reply_to=card["message_id"])
    told = len(said_to(bot_api, anna))
    await operator_says(app, bot_api, "Анна, ещё вопрос", clock, reply_to=card["message_id"])
    assert len(said_to(bot_api, anna)) == told
    note = posts(bot_api)[-1]
    assert note["text"].startswith(
        "Этот разговор уже не у оператора — клиенту ничего не отправлено."
    )


async def test_nobody_answering_in_time_is_told_honestly_once(
    app: Application, bot_api: FakeBotApi, clock: ManualClock
) -> None:
    anna = await handed_over(app, bot_api, clock)
    sweeper = app.handoffs
    assert sweeper is not None
    clock.advance(590)
    assert await sweeper.sweep_once() == 0  # not yet
    clock.advance(30)
    assert await sweeper.sweep_once() == 1
    told = said_to(bot_api, anna)[-1]
    assert told.startswith(
        "Сейчас никто из сотрудников не успевает ответить — простите. Я продолжу сам"
    )
    assert "+7 495 123-45-67" in told  # the shop's contacts from the knowledge file
    note = posts(bot_api)[-1]
    assert note["text"].startswith("⏱ Никто не ответил в течение 10 минут")
    assert note["reply_to_message"]["message_id"] == card_of(bot_api)["message_id"]
    # Two sweeps never tell twice.
    count = len(said_to(bot_api, anna))
    assert await sweeper.sweep_once() == 0
    assert len(said_to(bot_api, anna)) == count
    (handoff,) = await handoffs(app)
    assert (handoff.status, handoff.closed_by) == ("timed_out", "timeout")
    # The bot carries on.
    await customer_says(app, anna, "Сколько стоит доставка по Москве?", clock)
    assert "достав" in said_to(bot_api, anna)[-1].lower()


async def test_a_late_operator_is_told_the_dialog_is_over(
    app: Application, bot_api: FakeBotApi, clock: ManualClock
) -> None:
    anna = await handed_over(app, bot_api, clock)
    clock.advance(700)
    assert app.handoffs is not None and await app.handoffs.sweep_once() == 1
    told = len(said_to(bot_api, anna))
    await operator_says(
        app, bot_api, "Извините, я тут!", clock, reply_to=card_of(bot_api)["message_id"]
    )
    assert len(said_to(bot_api, anna)) == told
    assert "уже не у оператора" in posts(bot_api)[-1]["text"]


async def test_forum_topics_one_per_customer(
    make_app: MakeApp, bot_api: FakeBotApi, clock: ManualClock
) -> None:
    bot_api.make_forum(OPERATORS)
    app = await make_app(operator_topics=True)
    anna = TelegramCustomer(1001, "Anna")
    await customer_says(app, anna, "Позовите оператора", clock)
    ((thread_id, name),) = bot_api.topics(OPERATORS).items()
    assert name == "Anna · 1001"
    card = card_of(bot_api)
    assert card["message_thread_id"] == thread_id
    assert "Пишите в этой теме" in card["text"]
    # The customer's messages go to her topic.
    await customer_says(app, anna, "Я тут", clock)
    assert posts(bot_api)[-1]["message_thread_id"] == thread_id
    # An operator writes in the topic without replying to anything: it reaches her.
    await operator_says(app, bot_api, "Здравствуйте, Анна!", clock, thread_id=thread_id)
    assert said_to(bot_api, anna)[-1] == "Здравствуйте, Анна!"
    await operator_says(app, bot_api, "/done", clock, thread_id=thread_id)
    assert said_to(bot_api, anna)[-2].startswith("Сотрудник завершил разговор.")
    # Her next handoff reuses the topic.
    await customer_says(app, anna, "Позовите человека ещё раз", clock)
    assert list(bot_api.topics(OPERATORS)) == [thread_id]
    assert card_of(bot_api)["message_thread_id"] == thread_id


async def test_without_a_forum_the_card_goes_to_the_group_itself(
    make_app: MakeApp, bot_api: FakeBotApi, clock: ManualClock
) -> None:
    app = await make_app(operator_topics=True)  # the group is not a forum: no topic
    anna = TelegramCustomer(1001, "Anna")
    await customer_says(app, anna, "Позовите оператора", clock)
    card = card_of(bot_api)
    assert "message_thread_id" not in card and "Ответьте на эту карточку" in card["text"]


async def test_operators_and_admins_in_the_group_are_never_customers(
    app: Application, bot_api: FakeBotApi, clock: ManualClock
) -> None:
    await handed_over(app, bot_api, clock)
    card = card_of(bot_api)
    await operator_says(app, bot_api, "Кто возьмёт?", clock, user_id=ADMIN, first_name="Boss")
    await operator_says(app, bot_api, "Беру", clock, user_id=OLGA, reply_to=card["message_id"])
    await operator_says(app, bot_api, "/help", clock, user_id=OLGA)
    assert [c.external_id for c in await stored_rows(app, Customer)] == ["1001"]
    assert "Ответьте на карточку" in posts(bot_api)[-1]["text"]  # /help explains handoff


async def test_done_outside_a_card_says_where_it_goes(
    app: Application, bot_api: FakeBotApi, clock: ManualClock
) -> None:
    await handed_over(app, bot_api, clock)
    await operator_says(app, bot_api, "/done", clock)
    assert posts(bot_api)[-1]["text"] == "/done пишут ответом на карточку клиента (или в его теме)."
    (handoff,) = await handoffs(app)
    assert handoff.status == "waiting"


async def test_a_customer_who_blocked_the_bot_is_reported_to_the_operator(
    app: Application, bot_api: FakeBotApi, clock: ManualClock
) -> None:
    anna = await handed_over(app, bot_api, clock)
    bot_api.block_chat(anna.user_id)
    await operator_says(app, bot_api, "Анна?", clock, reply_to=card_of(bot_api)["message_id"])
    assert posts(bot_api)[-1]["text"] == "⚠️ Клиенту не доставлено: он заблокировал бота."


async def test_when_the_operators_cannot_be_reached_the_customer_hears_it_at_once(
    app: Application, bot_api: FakeBotApi, clock: ManualClock
) -> None:
    bot_api.block_chat(OPERATORS)  # the bot was removed from the group
    anna = TelegramCustomer(1001, "Anna")
    await customer_says(app, anna, "Позовите оператора", clock)
    assert said_to(bot_api, anna)[-1].startswith("Сейчас никто из сотрудников не успевает ответить")
    (handoff,) = await handoffs(app)
    assert handoff.status == "timed_out"
    await customer_says(app, anna, "Сколько стоит доставка по Москве?", clock)
    assert "достав" in said_to(bot_api, anna)[-1].lower()


ANGRY = [
    "Где мой заказ?? Жду уже неделю!!!",
    "АЛЛО!!! Вы вообще отвечаете??",
    "Это безобразие, верните деньги немедленно!!!",
    "Ну??? Сколько можно ждать???",
    "Ужасный сервис, больше никогда!!!",
    "Где мой заказ?? Жду уже неделю!!!",
]


async def test_irritation_calls_a_person(
    app: Application, bot_api: FakeBotApi, clock: ManualClock
) -> None:
    oleg = TelegramCustomer(4001, "Oleg")
    for text in ANGRY:
        await customer_says(app, oleg, text, clock)
        if await handoffs(app):
            break
    (handoff,) = await handoffs(app)
    assert handoff.reason == "irritation"
    assert said_to(bot_api, oleg)[-1].startswith("Позвал сотрудника")
    card = card_of(bot_api)["text"]
    assert "Клиент раздражён" in card and "Раздражён 0.8" in card
    assert "при пороге 85" in card


UNCLEAR = ["кхм", "ммм ну это самое", "хз короче ладно"]


async def test_a_question_that_failed_twice_calls_a_person(
    app: Application, bot_api: FakeBotApi, clock: ManualClock
) -> None:
    ivan = TelegramCustomer(4002, "Ivan")
    for text in UNCLEAR[:2]:
        await customer_says(app, ivan, text, clock)
    assert await handoffs(app) == []
    assert "не понял" in said_to(bot_api, ivan)[-1].lower()  # the second miss: options
    await customer_says(app, ivan, UNCLEAR[2], clock)
    (handoff,) = await handoffs(app)
    assert handoff.reason == "failed_twice"
    assert said_to(bot_api, ivan)[-1].startswith("Позвал сотрудника")
    assert "бот не понял клиента 3 раза подряд" in card_of(bot_api)["text"]


async def test_a_clear_question_after_two_misses_is_answered(
    app: Application, bot_api: FakeBotApi, clock: ManualClock
) -> None:
    ivan = TelegramCustomer(4002, "Ivan")
    for text in UNCLEAR[:2]:
        await customer_says(app, ivan, text, clock)
    await customer_says(app, ivan, "Сколько стоит доставка по Москве?", clock)
    assert await handoffs(app) == []
    assert "достав" in said_to(bot_api, ivan)[-1].lower()


BUYING = [
    "Сколько стоит Galaxy A55?",
    "Беру! Как оформить заказ?",
    "Хочу купить два, есть доставка в Казань?",
    "Оформляю заказ, какая цена со скидкой?",
    "Хочу купить ещё чехол, сколько стоит?",
    "Беру, как оплатить?",
]


async def test_a_hot_lead_calls_a_person(
    make_app: MakeApp, bot_api: FakeBotApi, clock: ManualClock
) -> None:
    app = await make_app(handoff_hotness=40)
    vera = TelegramCustomer(4003, "Vera")
    for text in BUYING:
        await customer_says(app, vera, text, clock)
        if await handoffs(app):
            break
    (handoff,) = await handoffs(app)
    assert handoff.reason == "hot_lead"
    assert "Горячий лид" in card_of(bot_api)["text"]
    assert "при пороге 40" in card_of(bot_api)["text"]


async def test_without_an_operator_chat_a_person_asked_for_gives_the_contacts(
    make_app: MakeApp, bot_api: FakeBotApi, clock: ManualClock
) -> None:
    app = await make_app(operator_chat_id=None)
    assert app.handoffs is None and app.conversation.handoff is None
    anna = TelegramCustomer(1001, "Anna")
    await customer_says(app, anna, "Позовите оператора", clock)
    answer = said_to(bot_api, anna)[-1]
    assert "пока не могу" in answer and "+7 495 123-45-67" in answer
    assert await handoffs(app) == []
    assert [call.params["chat_id"] for call in bot_api.calls_to("sendMessage")] == [1001]


async def test_an_operators_photo_is_not_relayed_and_they_are_told(
    app: Application, bot_api: FakeBotApi, clock: ManualClock
) -> None:
    anna = await handed_over(app, bot_api, clock)
    told = len(said_to(bot_api, anna))
    update = bot_api.group_message(
        "", chat_id=OPERATORS, user_id=OLGA, reply_to=card_of(bot_api)["message_id"]
    )
    del update["message"]["text"]
    update["message"]["photo"] = [
        {"file_id": "ph1", "file_unique_id": "u1", "width": 90, "height": 90}
    ]
    await feed(app, {"update_id": next(GROUP_UPDATES), **update})
    assert len(said_to(bot_api, anna)) == told
    assert (
        posts(bot_api)[-1]["text"] == "Клиенту уходит только текст — напишите, пожалуйста, словами."
    )


async def test_a_deleted_topic_is_replaced(
    make_app: MakeApp, bot_api: FakeBotApi, clock: ManualClock
) -> None:
    bot_api.make_forum(OPERATORS)
    app = await make_app(operator_topics=True)
    anna = TelegramCustomer(1001, "Anna")
    await customer_says(app, anna, "Позовите оператора", clock)
    (first,) = bot_api.topics(OPERATORS)
    await operator_says(app, bot_api, "/done", clock, thread_id=first)
    await app.bot.delete_forum_topic(OPERATORS, first)  # an operator cleaned up
    await customer_says(app, anna, "Позовите оператора ещё раз", clock)
    (second,) = bot_api.topics(OPERATORS)
    assert second != first
    assert card_of(bot_api)["message_thread_id"] == second
    assert said_to(bot_api, anna)[-1].startswith("Позвал сотрудника")
