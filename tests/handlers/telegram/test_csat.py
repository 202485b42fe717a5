"""CSAT in the chat through the production Dispatcher and the in-process Bot API fake: the
question after a dialog ends (5 buttons, once per dialog, a new dialog its own), a rating
recorded once and thanked for, a low rating's follow-up and its comment with the
`customer.unhappy` signals (only when a CRM listens), nobody asked who may not be (opted
out, declined consent, a person holding the dialog, a one-message dialog, quiet hours), the
question after an operator's /done, a 403, malformed and foreign presses, the per-message
cost of the follow-up check, and a real AsyncIOScheduler firing the sweep."""

from __future__ import annotations

import asyncio
import itertools
from collections.abc import AsyncIterator
from datetime import UTC, datetime
from typing import Any

import pytest
from sqlalchemy import event

from bot.app import Application
from bot.runtime.scheduler import build_scheduler
from bot.settings import Settings
from storage.models import Customer, Message, OutboxEvent, Survey
from tests.factories import ManualClock, TelegramCustomer, feed, running_app, stored_rows
from tests.fakes.bot_api import FakeBotApi

CRM_SECRET = "whsec_" + "QUJDREVGR0hJSktMTU5PUFFSU1RVVldY"
OPERATORS = -1001234567890
OLGA = 8001
_presses = itertools.count(980_000)
_group_updates = itertools.count(2 * 10**8)
QUESTION = "Оцените, пожалуйста, как мы вам помогли"


async def say(app: Application, who: TelegramCustomer, text: str, clock: ManualClock) -> None:
    clock.advance(20)
    await feed(app, who.message(text, clock()))


async def dialog(
    app: Application, who: TelegramCustomer, clock: ManualClock, said: int = 2
) -> None:
    questions = ["Здравствуйте! Сколько идёт доставка?", "А в Казань?", "Спасибо!"]
    for text in questions[:said]:
        await say(app, who, text, clock)


async def sweep(app: Application, clock: ManualClock, *, after_minutes: float = 31) -> int:
    clock.advance(after_minutes * 60)
    return await app.conversation.sweep_surveys(clock())


def sent_to(api: FakeBotApi, who: TelegramCustomer) -> list[dict[str, Any]]:
    """The messages sent to `who`, as sent (params), with the numbers Telegram gave them."""
    return [
        {**call.params, "message_id": call.response["result"]["message_id"]}  # type: ignore[index]
        for call in api.calls_to("sendMessage")
        if call.ok and call.params.get("chat_id") == who.user_id
    ]


def last_to(api: FakeBotApi, who: TelegramCustomer) -> dict[str, Any]:
    return sent_to(api, who)[-1]


def last_question(api: FakeBotApi, who: TelegramCustomer) -> dict[str, Any]:
    return [m for m in sent_to(api, who) if "csat:" in str(m.get("reply_markup"))][-1]


def rating_buttons(message: dict[str, Any]) -> list[tuple[str, str]]:
    [row] = message["reply_markup"]["inline_keyboard"]
    return [(button["text"], button["callback_data"]) for button in row]


async def press(
    app: Application, api: FakeBotApi, who: TelegramCustomer, data: str, message_id: int = 1
) -> str | None:
    """`who` presses a button with `data`; the note shown on the press (None: none)."""
    api.push_callback_query(
        data,
        message_id=message_id,
        user_id=who.user_id,
        first_name=who.first_name,
        language_code=who.language_code,
    )
    before = len(api.calls_to("answerCallbackQuery"))
    await feed(app, {**api.pending_updates[-1], "update_id": next(_presses)})
    answers = api.calls_to("answerCallbackQuery")[before:]
    assert len(answers) == 1  # the press is always answered
    text = answers[0].params.get("text")
    return str(text) if text else None


async def rate(app: Application, api: FakeBotApi, who: TelegramCustomer, stars: int) -> str | None:
    """Press `stars` under the survey question the customer got last."""
    asked = last_question(api, who)
    data = dict(rating_buttons(asked))[str(stars)]
    return await press(app, api, who, data, asked["message_id"])


async def survey_rows(app: Application) -> list[Survey]:
    return await stored_rows(app, Survey)


async def test_an_ended_dialog_is_asked_once_rated_once_and_a_new_dialog_gets_its_own(
    app: Application, bot_api: FakeBotApi, clock: ManualClock
) -> None:
    anna = TelegramCustomer(5101, "Анна", "ru")
    await dialog(app, anna, clock)
    assert await sweep(app, clock, after_minutes=10) == 0  # still talking
    assert await sweep(app, clock, after_minutes=21) == 1
    asked = last_to(bot_api, anna)
    assert asked["text"].startswith(QUESTION)
    [survey] = await survey_rows(app)
    assert rating_buttons(asked) == [(str(r), f"csat:{survey.id}:{r}") for r in range(1, 6)]
    assert (survey.trigger, survey.rating) == ("inactivity", None)
    assert survey.message_id is not None and survey.message_id.endswith(f":{asked['message_id']}")
    out = await stored_rows(app, Message, Message.direction == "out")  # type: ignore[arg-type]
    assert out[-1].features == {"path": "csat", "survey": survey.id, "trigger": "inactivity"}

    assert await rate(app, bot_api, anna, 4) is None
    assert last_to(bot_api, anna)["text"].startswith("Спасибо за оценку!")
    [survey] = await survey_rows(app)
    assert (survey.rating, survey.follow_up_until) == (4, None)
    # A second press changes nothing: the first rating wins.
    assert await rate(app, bot_api, anna, 1) == "Вы уже оценили этот разговор — спасибо!"
    [survey] = await survey_rows(app)
    assert survey.rating == 4

    told = len(bot_api.sent_messages(anna.user_id))
    assert await sweep(app, clock) == 0  # never twice for one dialog
    assert len(bot_api.sent_messages(anna.user_id)) == told
    clock.advance(3 * 3600)
    await dialog(app, anna, clock)  # a new dialog, hours later: too soon to ask again
    assert await sweep(app, clock) == 0
    assert len(await survey_rows(app)) == 1
    clock.advance(3 * 86_400)  # CSAT_MIN_GAP_HOURS (72) later, a new dialog gets its own
    await dialog(app, anna, clock)
    assert await sweep(app, clock) == 1
    first, second = await survey_rows(app)
    assert first.dialog_id != second.dialog_id and second.rating is None


async def crm_app(
    settings: Settings, api: FakeBotApi, clock: ManualClock, crm: bool
) -> AsyncIterator[Application]:
    changes: dict[str, Any] = (
        {"crm_webhook_url": "http://127.0.0.1:9/hook", "crm_webhook_secret": CRM_SECRET}
        if crm
        else {}
    )
    async with running_app(settings, api, clock, **changes) as app:
        yield app


@pytest.mark.parametrize("crm", [True, False], ids=["crm", "no-crm"])
async def test_a_low_rating_asks_what_went_wrong_and_the_answer_is_the_comment(
    settings: Settings, bot_api: FakeBotApi, clock: ManualClock, crm: bool
) -> None:
    async for app in crm_app(settings, bot_api, clock, crm):
        oleg = TelegramCustomer(5102, "Oleg", "en")
        await say(app, oleg, "Hello! How long does delivery take?", clock)
        await say(app, oleg, "And to Kazan?", clock)
        assert await sweep(app, clock) == 1
        assert last_to(bot_api, oleg)["text"].startswith("How well did we help you?")
        assert await rate(app, bot_api, oleg, 1) is None
        assert "What went wrong? One line helps us fix it." in last_to(bot_api, oleg)["text"]
        [survey] = await survey_rows(app)
        assert survey.rating == 1 and survey.follow_up_until is not None

        await say(app, oleg, "Nobody told me the delivery price <for real>", clock)
        assert last_to(bot_api, oleg)["text"].startswith("Thank you — I've passed this on")
        [survey] = await survey_rows(app)
        assert survey.comment == "Nobody told me the delivery price <for real>"
        # Still the customer's message, recorded (and profiled) as usual.
        incoming = await stored_rows(app, Message, Message.direction == "in")  # type: ignore[arg-type]
        assert incoming[-1].text == survey.comment and incoming[-1].status == "received"
        assert incoming[-1].features is not None  # analysed

        events = [e for e in await stored_rows(app, OutboxEvent) if "low_csat" in str(e.payload)]
        if not crm:
            assert events == []
            continue
        first, second = events
        assert first.event_type == second.event_type == "customer.unhappy"
        data = first.payload["data"]
        assert data["reason"] == "low_csat" and data["customer"]["id"] == survey.customer_id
        assert data["survey"]["rating"] == 1 and data["survey"]["dialog_id"] == survey.dialog_id
        assert "asked_at" in data["survey"] and "comment" not in data["survey"]
        assert second.payload["data"]["survey"]["comment"] == survey.comment

        # The next message is a message again: answered as usual.
        await say(app, oleg, "How much is delivery to Kazan?", clock)
        assert "delivery" in last_to(bot_api, oleg)["text"].lower()
        [survey] = await survey_rows(app)
        assert survey.comment == "Nobody told me the delivery price <for real>"


async def test_the_follow_up_waits_only_so_long(
    app: Application, bot_api: FakeBotApi, clock: ManualClock
) -> None:
    vera = TelegramCustomer(5103, "Вера", "ru")
    await dialog(app, vera, clock)
    await sweep(app, clock)
    await rate(app, bot_api, vera, 2)
    clock.advance(31 * 60)  # CSAT_FOLLOW_UP_MINUTES passed
    await say(app, vera, "Сколько стоит доставка по Москве?", clock)
    assert "достав" in last_to(bot_api, vera)["text"].lower()
    [survey] = await survey_rows(app)
    assert survey.rating == 2 and survey.comment is None


async def test_nobody_is_asked_who_may_not_be(
    in_process_settings: Settings, bot_api: FakeBotApi, clock: ManualClock
) -> None:
    async with running_app(
        in_process_settings, bot_api, clock, consent_mode="opt_in", operator_chat_id=OPERATORS
    ) as app:
        opted_out = TelegramCustomer(5104, "Ivan", "ru")
        declined = TelegramCustomer(5105, "Petr", "ru")
        held = TelegramCustomer(5106, "Olga", "ru")
        short = TelegramCustomer(5107, "Lena", "ru")
        undecided = TelegramCustomer(5108, "Nina", "ru")  # opt-in, not asked to decide yet
        await dialog(app, opted_out, clock)
        await say(app, opted_out, "/stop_checkins", clock)
        await say(app, declined, "Здравствуйте! Сколько идёт доставка?", clock)
        [consent] = [m for m in sent_to(bot_api, declined) if "consent:no" in str(m)]
        await press(app, bot_api, declined, "consent:no", consent["message_id"])
        await say(app, declined, "А в Казань?", clock)
        await say(app, held, "Здравствуйте, где мой заказ?", clock)
        await say(app, held, "Позовите оператора", clock)
        await say(app, short, "Здравствуйте!", clock)
        await dialog(app, undecided, clock)
        told = {
            who.user_id: len(bot_api.sent_messages(who.user_id))
            for who in (opted_out, declined, held, short)
        }
        assert await sweep(app, clock) == 1
        for user_id, count in told.items():
            assert len(bot_api.sent_messages(user_id)) == count, user_id
        [survey] = await survey_rows(app)
        [nina] = await stored_rows(app, Customer, Customer.external_id == "5108")
        assert survey.customer_id == nina.id
        assert last_to(bot_api, undecided)["text"].startswith(QUESTION)


async def test_quiet_hours_hold_the_question_until_the_morning(
    app: Application, bot_api: FakeBotApi, clock: ManualClock
) -> None:
    clock.now = datetime(2026, 3, 2, 21, 50, tzinfo=UTC)  # the shop's zone is UTC here
    sonya = TelegramCustomer(5109, "Соня", "ru")
    await dialog(app, sonya, clock)
    assert await sweep(app, clock) == 0  # 22:21: quiet
    clock.now = datetime(2026, 3, 3, 9, 0, tzinfo=UTC)
    assert await app.conversation.sweep_surveys(clock()) == 1
    assert last_to(bot_api, sonya)["text"].startswith(QUESTION)


async def operator_says(app: Application, api: FakeBotApi, text: str, clock: ManualClock) -> None:
    clock.advance(20)
    cards = [
        call.response["result"]
        for call in api.calls_to("sendMessage")
        if call.ok and call.params.get("chat_id") == OPERATORS and "/done" in call.params["text"]
    ]
    update = api.group_message(
        text,
        chat_id=OPERATORS,
        user_id=OLGA,
        first_name="Olga",
        reply_to=cards[-1]["message_id"],
        date=int(clock().timestamp()),
    )
    await feed(app, {"update_id": next(_group_updates), **update})


async def test_an_operators_done_asks_about_the_persons_help(
    in_process_settings: Settings, bot_api: FakeBotApi, clock: ManualClock
) -> None:
    async with running_app(in_process_settings, bot_api, clock, operator_chat_id=OPERATORS) as app:
        anna = TelegramCustomer(5110, "Anna", "ru")
        await say(app, anna, "Позовите оператора", clock)  # one message: a hand-back is asked
        await operator_says(app, bot_api, "Здравствуйте! Чем помочь?", clock)
        await operator_says(app, bot_api, "/done", clock)
        closing, asked = bot_api.sent_messages(anna.user_id)[-2:]
        assert closing["text"].startswith("Сотрудник завершил разговор.")
        assert asked["text"].startswith("Оцените, пожалуйста, как вам помог сотрудник")
        [survey] = await survey_rows(app)
        assert survey.trigger == "handback"
        assert len(rating_buttons(asked)) == 5
        # The dialog is asked about once: the sweep leaves it alone.
        assert await sweep(app, clock) == 0
        assert await rate(app, bot_api, anna, 5) is None
        # /done without an operator's word: nobody's help to rate.
        await say(app, anna, "Позовите человека ещё раз, пожалуйста", clock)
        await operator_says(app, bot_api, "/done", clock)
        assert bot_api.sent_messages(anna.user_id)[-1]["text"].startswith(
            "Сотрудник завершил разговор."
        )
        assert len(await survey_rows(app)) == 1


async def test_a_blocked_chat_marks_the_customer(
    app: Application, bot_api: FakeBotApi, clock: ManualClock
) -> None:
    ivan = TelegramCustomer(5111, "Иван", "ru")
    await dialog(app, ivan, clock)
    bot_api.block_chat(ivan.user_id)
    assert await sweep(app, clock) == 0
    [customer] = await stored_rows(app, Customer)
    assert customer.blocked
    [survey] = await survey_rows(app)  # asked (and never again), not delivered
    assert survey.message_id is None


async def test_malformed_and_foreign_presses_are_answered_politely_and_change_nothing(
    app: Application, bot_api: FakeBotApi, clock: ManualClock
) -> None:
    anna = TelegramCustomer(5112, "Анна", "ru")
    boris = TelegramCustomer(5113, "Борис", "ru")
    await dialog(app, anna, clock)
    await dialog(app, boris, clock)
    assert await sweep(app, clock) == 2
    [boris_row] = await stored_rows(app, Customer, Customer.external_id == "5113")
    [boris_survey] = [s for s in await survey_rows(app) if s.customer_id == boris_row.id]
    refused = "Эта кнопка больше не работает."
    assert await press(app, bot_api, anna, "csat:x:9") == refused
    assert await press(app, bot_api, anna, f"csat:{boris_survey.id}:1") == refused  # not hers
    assert await press(app, bot_api, anna, "csat:999999:3") == refused
    assert all(s.rating is None for s in await survey_rows(app))
    # The same press delivered twice counts once (and is answered both times).
    data = dict(rating_buttons(last_to(bot_api, boris)))["3"]
    bot_api.push_callback_query(data, message_id=1, user_id=boris.user_id, first_name="Борис")
    update = bot_api.pending_updates[-1]
    answered = len(bot_api.calls_to("answerCallbackQuery"))
    await feed(app, {**update, "update_id": next(_presses)})
    await feed(app, {**update, "update_id": next(_presses)})
    assert len(bot_api.calls_to("answerCallbackQuery")) == answered + 2
    thanks = [m for m in bot_api.sent_messages(boris.user_id) if "Спасибо за оценку" in m["text"]]
    assert len(thanks) == 1
    ratings = {s.customer_id: s.rating for s in await survey_rows(app)}
    assert ratings[boris_row.id] == 3 and list(ratings.values()).count(None) == 1


async def test_the_follow_up_check_costs_no_query_per_message(
    app: Application, bot_api: FakeBotApi, clock: ManualClock
) -> None:
    kate = TelegramCustomer(5114, "Kate", "en")
    await say(app, kate, "Hello!", clock)  # the process reads the open follow-ups once
    statements: list[str] = []

    def seen(_conn: Any, _cursor: Any, statement: str, *_: Any) -> None:
        statements.append(statement.lower())

    engine = app.db_engine.sync_engine
    event.listen(engine, "before_cursor_execute", seen)
    try:
        for text in ("How long does delivery take?", "And to Kazan?", "Thanks!"):
            await say(app, kate, text, clock)
    finally:
        event.remove(engine, "before_cursor_execute", seen)
    assert statements and not [s for s in statements if "survey" in s]


async def test_a_real_scheduler_fires_the_sweep(
    in_process_settings: Settings, bot_api: FakeBotApi, clock: ManualClock
) -> None:
    async with running_app(in_process_settings, bot_api, clock, csat_sweep_seconds=1) as app:
        lena = TelegramCustomer(5115, "Lena", "en")
        await dialog(app, lena, clock)
        clock.advance(31 * 60)
        scheduler = build_scheduler(app.settings, app.session_factory, app.clock, app.conversation)
        scheduler.start()
        try:
            job = scheduler.get_job("csat")
            assert job is not None and job.max_instances == 1 and job.coalesce
            for _ in range(100):  # the scheduler's own clock fires the job (about a second)
                if await stored_rows(app, Survey):
                    break
                await asyncio.sleep(0.05)
            assert await stored_rows(app, Survey)
            await bot_api.wait_until(lambda: QUESTION in bot_api.sent_messages(5115)[-1]["text"])
        finally:
            scheduler.shutdown(wait=False)
    async with running_app(in_process_settings, bot_api, clock, csat_enabled=False) as off:
        scheduler = build_scheduler(off.settings, off.session_factory, off.clock, off.conversation)
        assert scheduler.get_job("csat") is None
        assert await off.conversation.sweep_surveys(clock()) == 0
