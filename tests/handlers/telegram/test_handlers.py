"""Handler tests: updates fed to the production dispatcher; the fake Bot API answers
in-process, through aiogram's own request preparation and response handling."""

from __future__ import annotations

import logging

import pytest
from sqlmodel import col, select

from bot.app import Application
from bot.settings import Settings
from storage.models import AdSource, Message, Profile, SourceTouch
from storage.models import Customer as CustomerRow
from tests.factories import ManualClock, TelegramCustomer, feed, stored_rows
from tests.fakes.bot_api import FakeBotApi
from tests.fakes.session import InProcessBotApi


async def rows(app: Application, model: type, *where: object) -> list:
    return await stored_rows(app, model, *where)


async def customer_row(app: Application, user_id: int) -> CustomerRow:
    found = await rows(app, CustomerRow, CustomerRow.external_id == str(user_id))
    assert len(found) == 1
    return found[0]


async def test_start_with_campaign_payload_records_first_touch(
    app: Application, bot_api: FakeBotApi, clock: ManualClock
) -> None:
    anna = TelegramCustomer(1001, "Anna", "ru")
    await feed(app, anna.message("/start c-summer_a-ig1_cr-v2", clock()))

    sent = bot_api.sent_messages(1001)
    assert len(sent) == 1 and "Anna" in sent[0]["text"] and "Здравствуйте" in sent[0]["text"]
    customer = await customer_row(app, 1001)
    source = (await rows(app, AdSource, AdSource.id == customer.first_source_id))[0]
    assert (source.campaign, source.ad, source.creative) == ("summer", "ig1", "v2")
    assert customer.last_source_id == source.id

    # A later /start with another payload moves the latest touch, never the first.
    clock.advance(3600)
    await feed(app, anna.message("/start c-winter", clock()))
    customer = await customer_row(app, 1001)
    assert customer.first_source_id == source.id
    latest = (await rows(app, AdSource, AdSource.id == customer.last_source_id))[0]
    assert latest.campaign == "winter"
    assert len(await rows(app, SourceTouch)) == 2
    assert "С возвращением" in bot_api.sent_messages(1001)[-1]["text"]


@pytest.mark.parametrize("payload", ["bad!payload", "x" * 80, "c-a_c-b", "%%%"])
async def test_malformed_payload_is_organic_with_a_warning(
    app: Application,
    bot_api: FakeBotApi,
    clock: ManualClock,
    caplog: pytest.LogCaptureFixture,
    payload: str,
) -> None:
    caplog.set_level(logging.WARNING)
    await feed(app, TelegramCustomer(2002, "Boris", "en").message(f"/start {payload}", clock()))

    assert "Hello, Boris" in bot_api.sent_messages(2002)[0]["text"]
    customer = await customer_row(app, 2002)
    assert customer.first_source_id is None
    touches = await rows(app, SourceTouch)
    assert len(touches) == 1 and touches[0].valid is False
    assert any("malformed deep-link payload" in r.getMessage() for r in caplog.records)


async def test_messages_are_recorded_with_gap_and_latency(
    app: Application, bot_api: FakeBotApi, clock: ManualClock
) -> None:
    anna = TelegramCustomer(1001)
    await feed(app, anna.message("/start", clock()))
    clock.advance(20)
    await feed(app, anna.message("Здравствуйте, сколько стоит доставка?", clock()))
    clock.advance(45)
    await feed(app, anna.message("В Казань", clock()))

    customer = await customer_row(app, 1001)
    log = await rows(app, Message, Message.customer_id == customer.id)
    # Replies are logged after delivery, in batches: order by time, the reply after its message.
    log.sort(key=lambda m: (m.created_at, m.direction == "out"))
    directions = [m.direction for m in log]
    assert directions == ["in", "out", "in", "out", "in", "out"]
    first, second = log[2], log[4]
    assert first.chars == len("Здравствуйте, сколько стоит доставка?")
    assert first.latency_s == pytest.approx(20, abs=0.5)  # since the greeting was sent
    assert first.gap_s is None  # /start is not a conversational message
    assert second.gap_s == pytest.approx(45)
    assert second.latency_s == pytest.approx(45, abs=0.5)
    assert first.features and first.features["lang"] == "ru"
    assert all(m.status == "sent" for m in log if m.direction == "out")
    profile = (await rows(app, Profile, Profile.customer_id == customer.id))[0]
    assert profile.messages_total == 2


async def test_short_rapid_writer_gets_shorter_answers_than_a_detailed_one(
    app: Application, bot_api: FakeBotApi, clock: ManualClock
) -> None:
    hurried, detailed = TelegramCustomer(3001, "Ivan"), TelegramCustomer(3002, "Olga")
    for text in ["где заказ", "номер 5512", "ну что", "срочно"]:
        await feed(app, hurried.message(text, clock()))
        clock.advance(8)
    for text in [
        "Добрый день! Я выбираю кофемашину для небольшого офиса, примерно на десять человек. "
        "Подскажите, пожалуйста, чем отличаются модели с капучинатором и без него?",
        "Спасибо за ответ. Ещё хотелось бы понять, как часто нужно проводить декальцинацию "
        "и входит ли обслуживание в гарантию, если мы будем использовать обычную воду.",
        "И последний вопрос: какие сроки доставки в Екатеринбург и можно ли оплатить по счёту "
        "для юридического лица? Нам важно получить закрывающие документы.",
    ]:
        await feed(app, detailed.message(text, clock()))
        clock.advance(240)

    short = bot_api.sent_messages(3001)[-1]["text"]
    long = bot_api.sent_messages(3002)[-1]["text"]
    assert len(short) < len(long) / 2, (short, long)


async def test_replies_follow_the_customer_language(
    app: Application, bot_api: FakeBotApi, clock: ManualClock
) -> None:
    await feed(app, TelegramCustomer(4001, "John", "en").message("Where is my order?", clock()))
    await feed(app, TelegramCustomer(4002, "Petr", "en").message("Где мой заказ?", clock()))
    english, russian = (
        bot_api.sent_messages(4001)[0]["text"],
        bot_api.sent_messages(4002)[0]["text"],
    )
    assert "order" in english.lower()
    assert "заказ" in russian.lower()


async def test_unknown_command_and_non_text_get_clear_answers(
    app: Application, bot_api: FakeBotApi, clock: ManualClock
) -> None:
    anna = TelegramCustomer(1001, language_code="en")
    await feed(app, anna.message("/frobnicate now", clock()))
    await feed(
        app,
        anna.message(
            None,
            clock(),
            sticker={
                "file_id": "x",
                "file_unique_id": "y",
                "type": "regular",
                "width": 1,
                "height": 1,
                "is_animated": False,
                "is_video": False,
            },
        ),
    )
    await feed(app, anna.message("/help", clock()))
    texts = [m["text"] for m in bot_api.sent_messages(1001)]
    assert "/frobnicate" in texts[0] and "/help" in texts[0]
    assert "text" in texts[1]
    assert "/start" in texts[2]
    customer = await customer_row(app, 1001)
    stored = await rows(app, Message, Message.customer_id == customer.id, Message.direction == "in")
    assert sorted(m.text for m in stored) == ["/frobnicate now", "/help", "[sticker]"]


async def test_duplicate_update_is_handled_once(
    app: Application, bot_api: FakeBotApi, clock: ManualClock
) -> None:
    update = TelegramCustomer(1001).message("Привет", clock())
    await feed(app, update)
    await feed(app, update)
    assert len(bot_api.sent_messages(1001)) == 1
    assert len(await rows(app, Message, Message.direction == "in")) == 1


async def test_oversized_message_is_stored_whole_and_answered(
    app: Application, bot_api: FakeBotApi, clock: ManualClock
) -> None:
    text = "Очень подробный вопрос про доставку. " * 400  # ~15k characters
    await feed(app, TelegramCustomer(1001).message(text, clock()))
    assert len(bot_api.sent_messages(1001)) == 1
    stored = await rows(app, Message, Message.direction == "in")
    assert stored[0].text == text and stored[0].chars == len(text)


async def test_blocked_customer_is_marked_and_unmarked(
    app: Application, bot_api: FakeBotApi, clock: ManualClock
) -> None:
    anna = TelegramCustomer(1001)
    bot_api.block_chat(1001)
    await feed(app, anna.message("Привет", clock()))
    assert (await customer_row(app, 1001)).blocked is True
    out = await rows(app, Message, Message.direction == "out")
    assert out[0].status == "blocked"

    bot_api.blocked_chats.discard(1001)
    await feed(app, anna.message("Я снова здесь", clock()))
    assert (await customer_row(app, 1001)).blocked is False
    assert len(bot_api.sent_messages(1001)) == 1


async def test_flood_is_recorded_but_not_answered_each_time(
    app: Application, bot_api: FakeBotApi, clock: ManualClock
) -> None:
    anna = TelegramCustomer(1001)
    limit = app.settings.throttle_per_minute
    for i in range(limit + 5):
        await feed(app, anna.message(f"сообщение {i}", clock()))
    assert len(bot_api.sent_messages(1001)) == limit
    assert len(await rows(app, Message, Message.direction == "in")) == limit + 5


async def test_failure_inside_the_pipeline_apologises_and_keeps_the_message(
    app: Application,
    bot_api: FakeBotApi,
    clock: ManualClock,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
) -> None:
    def broken(*args: object, **kwargs: object) -> None:
        raise RuntimeError("profiling exploded")

    monkeypatch.setattr(app.profile_engine, "observe_incoming", broken)
    caplog.set_level(logging.ERROR)
    await feed(app, TelegramCustomer(1001).message("Где мой заказ?", clock()))

    assert "Извините" in bot_api.sent_messages(1001)[0]["text"]
    stored = await rows(app, Message, Message.direction == "in")
    assert [(m.text, m.status) for m in stored] == [("Где мой заказ?", "error")]
    assert any("failed" in r.getMessage() for r in caplog.records)


async def test_profiling_opt_out_keeps_no_profile(
    app: Application, bot_api: FakeBotApi, clock: ManualClock
) -> None:
    anna = TelegramCustomer(1001)
    await feed(app, anna.message("/start", clock()))
    assert len(await rows(app, Profile)) == 1
    async with app.session_factory() as session:
        row = (await session.execute(select(CustomerRow))).scalar_one()
        row.profiling_opt_out = True
        profile = await session.get(Profile, row.id)
        assert profile is not None
        await session.delete(profile)
        await session.commit()
    # What an opt-out must do besides changing the rows: drop the in-memory copies.
    await app.profiles.forget(row.id)
    app.customers.forget(("telegram", "1001"))
    await feed(app, anna.message("Сколько стоит доставка?", clock()))
    assert len(bot_api.sent_messages(1001)) == 2
    assert await rows(app, Profile) == []
    stored = await rows(app, Message, col(Message.direction) == "in")
    assert len(stored) == 2


async def test_discount_campaign_primes_price_sensitivity_even_after_a_first_message(
    app: Application, bot_api: FakeBotApi, clock: ManualClock
) -> None:
    from profiling.assess.segments import Segment

    anna = TelegramCustomer(1001)
    await feed(app, anna.message("Здравствуйте", clock()))  # wrote before clicking the ad
    clock.advance(60)
    await feed(app, anna.message("/start c-sale-autumn_a-ig", clock()))
    clock.advance(60)
    await feed(app, anna.message("Добрый день", clock()))
    customer = await customer_row(app, 1001)
    async with app.session_factory() as session:
        state = await app.profiles.load(session, customer.id)
    assert state is not None and state.source.campaign == "sale-autumn"
    assessment = app.profile_engine.assess(state, clock().timestamp())
    price = assessment.segments[Segment.PRICE_SENSITIVE]
    assert price.value > 0.3
    assert any(r.code.startswith("source") or "prior" in r.code for r in price.reasons)


async def test_group_messages_are_ignored_and_do_not_take_over_the_private_chat(
    app: Application, bot_api: FakeBotApi, clock: ManualClock
) -> None:
    anna = TelegramCustomer(1001)
    await feed(app, anna.message("Привет", clock()))
    group = anna.message("Всем привет", clock())
    group["message"]["chat"] = {"id": -100123, "type": "supergroup", "title": "Coffee fans"}
    await feed(app, group)
    assert bot_api.sent_messages(-100123) == []
    assert (await customer_row(app, 1001)).address == "1001"
    assert len(await rows(app, Message, Message.direction == "in")) == 1


async def test_a_message_delivered_again_after_a_restart_is_handled_once(
    settings: Settings, bot_api: FakeBotApi, clock: ManualClock
) -> None:
    from bot.app import build_application
    from tests.factories import NO_LIMITS

    anna = TelegramCustomer(1001)
    update = anna.message("Где мой заказ?", clock())
    for _ in range(2):  # two processes in turn, e.g. a restart before the offset was saved
        app = build_application(
            settings, bot_session=InProcessBotApi(bot_api), clock=clock, telegram_limits=NO_LIMITS
        )
        await app.start()
        try:
            await feed(app, update)
            stored = await rows(app, Message, Message.direction == "in")
        finally:
            await app.close()
    assert len(stored) == 1
    assert len(bot_api.sent_messages(1001)) == 1


async def test_flooded_commands_and_stickers_are_recorded_not_answered(
    app: Application, bot_api: FakeBotApi, clock: ManualClock
) -> None:
    anna = TelegramCustomer(1001)
    limit = app.settings.throttle_per_minute
    for _ in range(limit):
        await feed(app, anna.message("ok", clock()))
    await feed(app, anna.message("/help", clock()))
    await feed(app, anna.message("/nonsense", clock()))
    assert len(bot_api.sent_messages(1001)) == limit
    assert len(await rows(app, Message, Message.direction == "in")) == limit + 2


async def test_shorter_and_more_detail_feedback_repeat_the_answer_at_that_length(
    app: Application, bot_api: FakeBotApi, clock: ManualClock
) -> None:
    olga = TelegramCustomer(3002, "Olga")
    await feed(
        app,
        olga.message(
            "Добрый день! Подскажите, пожалуйста, какие у вас есть способы доставки в Екатеринбург "
            "и сколько обычно занимает доставка курьером до двери?",
            clock(),
        ),
    )
    clock.advance(120)
    await feed(app, olga.message("короче", clock()))
    first, shorter = (m["text"] for m in bot_api.sent_messages(3002))
    assert shorter.startswith("Понял, буду короче.")
    assert len(shorter) < len(first)
    assert "доставк" in shorter.lower() or "курьер" in shorter.lower()

    john = TelegramCustomer(3003, "John", "en")
    await feed(app, john.message("delivery?", clock()))
    clock.advance(20)
    await feed(app, john.message("more details please", clock()))
    brief, detailed = (m["text"] for m in bot_api.sent_messages(3003))
    assert detailed.startswith("Sure, in more detail.")
    assert len(detailed) > len(brief) and "deliver" in detailed.lower()


async def test_a_redelivery_during_the_first_attempt_is_answered_once(
    app: Application, bot_api: FakeBotApi, clock: ManualClock
) -> None:
    """A webhook retry can arrive while the first attempt still runs: both reach the core,
    which takes them one at a time and stores (and answers) the message once."""
    import asyncio

    update = TelegramCustomer(1001).message("Где мой заказ?", clock())
    await asyncio.gather(feed(app, update), feed(app, update))
    assert len(bot_api.sent_messages(1001)) == 1
    assert len(await rows(app, Message, col(Message.direction) == "in")) == 1
    await feed(app, update)  # once handled, the update id alone is enough to drop it
    assert len(bot_api.sent_messages(1001)) == 1
