"""Privacy through the production Dispatcher: consent (opt-in and notice), /privacy,
/mydata, /forget with the scan that proves it (SQLite and PostgreSQL), the objection to
profiling, the check-in opt-out, and the shop's erasure request."""

from __future__ import annotations

import itertools
import json
from collections.abc import AsyncIterator
from typing import Any

import pytest

from bot.app import Application
from bot.settings import Settings
from bot.shop.schemas import CustomerIn, OrderIn, SiteEventIn
from storage.models import Consent, ErasureLog, Message, OutboxEvent, Profile
from storage.models.customer import Customer
from storage.repositories import privacy as repository
from tests.factories import ManualClock, TelegramCustomer, feed, running_app, stored_rows
from tests.fakes.bot_api import FakeBotApi

CRM_SECRET = "whsec_" + "QUJDREVGR0hJSktMTU5PUFFSU1RVVldY"
_presses = itertools.count(950_000)


async def _app(
    settings: Settings, bot_api: FakeBotApi, clock: ManualClock, **changes: Any
) -> AsyncIterator[Application]:
    async with running_app(settings, bot_api, clock, **changes) as app:
        yield app


@pytest.fixture
async def opt_in(
    in_process_settings: Settings, bot_api: FakeBotApi, clock: ManualClock
) -> AsyncIterator[Application]:
    async for app in _app(in_process_settings, bot_api, clock, consent_mode="opt_in"):
        yield app


async def say(
    app: Application, who: TelegramCustomer, text: str, clock: ManualClock, **user: Any
) -> None:
    clock.advance(20)
    update = who.message(text, clock())
    update["message"]["from"].update(user)
    await feed(app, update)


async def press(app: Application, api: FakeBotApi, who: TelegramCustomer, data: str) -> None:
    message_id = api.calls_to("sendMessage")[-1].response["result"]["message_id"]  # type: ignore[index]
    api.push_callback_query(
        data,
        message_id=message_id,
        user_id=who.user_id,
        first_name=who.first_name,
        language_code=who.language_code,
    )
    await feed(app, {**api.pending_updates[-1], "update_id": next(_presses)})


async def customer_row(app: Application, who: TelegramCustomer) -> Customer | None:
    found = await stored_rows(app, Customer, Customer.external_id == str(who.user_id))
    return found[0] if found else None


async def settle(app: Application) -> None:
    await app.reply_log.flush()
    await app.profiles.flush()


# -- consent ------------------------------------------------------------------------------


async def test_opt_in_asks_first_and_keeps_no_profile_until_accepted(
    opt_in: Application, bot_api: FakeBotApi, clock: ManualClock
) -> None:
    anna = TelegramCustomer(9201, "Анна", "ru")
    await say(opt_in, anna, "Сколько идёт доставка?", clock)
    question, answer = bot_api.sent_messages(9201)
    buttons = [b["callback_data"] for b in question["reply_markup"]["inline_keyboard"][0]]
    assert buttons == ["consent:yes", "consent:no"] and "согласия" in question["text"]
    assert "1–3 дня" in answer["text"]  # answered all the same
    await settle(opt_in)
    assert not await stored_rows(opt_in, Profile)
    [incoming] = await stored_rows(opt_in, Message, Message.direction == "in")
    assert incoming.features is None and incoming.gap_s is None  # no analysis kept

    await press(opt_in, bot_api, anna, "consent:yes")
    row = await customer_row(opt_in, anna)
    assert row is not None and row.consent is True and row.consent_version == "1"
    assert row.consent_mode == "opt_in" and row.consent_at is not None
    [decision] = await stored_rows(opt_in, Consent)
    assert decision.accepted and decision.version == "1"
    await say(opt_in, anna, "А в Казань?", clock)
    await settle(opt_in)
    assert len(await stored_rows(opt_in, Profile)) == 1
    assert len(bot_api.sent_messages(9201)) == 4  # accepted note, answer: asked once


async def test_declined_consent_keeps_no_profile_and_no_history_after_the_dialog(
    opt_in: Application, bot_api: FakeBotApi, clock: ManualClock
) -> None:
    oleg = TelegramCustomer(9202, "Олег", "ru")
    await say(opt_in, oleg, "Есть робот-пылесос Roborock?", clock)
    await press(opt_in, bot_api, oleg, "consent:no")
    assert "ничего не запоминаю" in bot_api.sent_messages(9202)[-1]["text"]
    await say(opt_in, oleg, "А гарантия какая?", clock)
    clock.advance(31 * 60)  # the dialog ends
    await say(opt_in, oleg, "Здравствуйте, снова я", clock)
    await settle(opt_in)
    assert not await stored_rows(opt_in, Profile)
    texts = [m.text for m in await stored_rows(opt_in, Message)]
    assert "Есть робот-пылесос Roborock?" not in texts and "А гарантия какая?" not in texts
    assert "Здравствуйте, снова я" in texts
    # Declined on this version: not asked again in the new dialog.
    last = bot_api.sent_messages(9202)[-1]
    assert "consent:yes" not in json.dumps(last.get("reply_markup", {}))


async def test_a_new_version_of_the_text_asks_again(
    in_process_settings: Settings, bot_api: FakeBotApi, clock: ManualClock
) -> None:
    vera = TelegramCustomer(9203, "Вера", "ru")
    async for app in _app(in_process_settings, bot_api, clock, consent_mode="opt_in"):
        await say(app, vera, "привет", clock)
        await press(app, bot_api, vera, "consent:yes")
        await say(app, vera, "как дела с доставкой?", clock)
        await settle(app)
        [profile] = await stored_rows(app, Profile)
        profiled = profile.messages_total
        assert profiled == 1
    clock.advance(3600)
    async for app in _app(
        in_process_settings, bot_api, clock, consent_mode="opt_in", consent_version="2"
    ):
        before = len(bot_api.sent_messages(9203))
        await say(app, vera, "привет ещё раз", clock)
        asked = bot_api.sent_messages(9203)[before]
        assert asked["reply_markup"]["inline_keyboard"][0][0]["callback_data"] == "consent:yes"
        row = await customer_row(app, vera)
        assert row is not None and row.consent_version == "1"  # until they answer
        await settle(app)
        [profile] = await stored_rows(app, Profile, Profile.customer_id == row.id)
        assert profile.messages_total == profiled  # not under a text they did not accept


async def test_notice_mode_profiles_with_a_notice_shown_once(
    app: Application, bot_api: FakeBotApi, clock: ManualClock
) -> None:
    max_ = TelegramCustomer(9204, "Max", "en")
    await say(app, max_, "How long is delivery?", clock)
    await say(app, max_, "And to Kazan?", clock)
    first, second = (m["text"] for m in bot_api.sent_messages(9204))
    assert "/profiling_off" in first and "/profiling_off" not in second
    await settle(app)
    assert len(await stored_rows(app, Profile)) == 1
    [shown] = await stored_rows(app, Consent)
    assert shown.mode == "notice"


# -- transparency, access, objection ------------------------------------------------------------


async def test_privacy_describes_the_settings_in_force(
    opt_in: Application, bot_api: FakeBotApi, clock: ManualClock
) -> None:
    lena = TelegramCustomer(9205, "Lena", "en")
    await say(opt_in, lena, "/privacy", clock)
    text = bot_api.sent_messages(9205)[-1]["text"]
    assert "90 days" in text and "180 days" in text and "no consent given" in text
    assert "/mydata" in text and "/forget" in text and "Language model" not in text


async def test_mydata_sends_every_tables_rows_as_json(
    app: Application, bot_api: FakeBotApi, clock: ManualClock
) -> None:
    ivan = TelegramCustomer(9206, "Иван", "ru")
    created = await app.shop.put_customer("c-ivan", CustomerIn(name="Иван", phone="+79991234567"))
    payload = created.deep_link.rsplit("start=", 1)[1]
    await say(app, ivan, f"/start {payload}", clock)
    await say(app, ivan, "Где мой заказ?", clock)
    await say(app, ivan, "/mydata", clock)
    [call] = bot_api.calls_to("sendDocument")
    document = json.loads(call.params["document"].data)
    row = await customer_row(app, ivan)
    assert row is not None
    async with app.session_factory() as session:
        expected = await repository.export_customer(session, row.id)  # type: ignore[arg-type]
    tables = document["tables"]
    assert set(tables) == set(expected)
    for name in ("customer", "message", "profile", "dialog", "consent", "shop_customer"):
        assert tables[name], name
    assert any(m["text"] == "Где мой заказ?" for m in tables["message"])
    assert "profile_explained" in document and document["format"] == "barista.mydata/1"
    assert call.params["caption"].startswith("Всё, что хранится")


async def test_profiling_off_stops_updates_at_once_and_on_brings_them_back(
    app: Application, bot_api: FakeBotApi, clock: ManualClock
) -> None:
    nina = TelegramCustomer(9207, "Нина", "ru")
    await say(app, nina, "Сколько стоит Dyson V15?", clock)
    await settle(app)
    assert len(await stored_rows(app, Profile)) == 1
    await say(app, nina, "/profiling_off", clock)
    await settle(app)
    assert not await stored_rows(app, Profile)
    said = await stored_rows(app, Message, Message.direction == "in", Message.status == "received")
    assert said and all(m.features is None and m.gap_s is None for m in said)
    await say(app, nina, "А гарантия?", clock)
    await settle(app)
    assert not await stored_rows(app, Profile)
    assert "гарант" in bot_api.sent_messages(9207)[-1]["text"].lower()  # still served
    await say(app, nina, "/profiling_on", clock)
    await say(app, nina, "А доставка?", clock)
    await settle(app)
    assert len(await stored_rows(app, Profile)) == 1


async def test_stop_checkins_is_recorded(
    app: Application, bot_api: FakeBotApi, clock: ManualClock
) -> None:
    kate = TelegramCustomer(9208, "Kate", "en")
    await say(app, kate, "/stop_checkins", clock)
    row = await customer_row(app, kate)
    assert row is not None and row.checkins_opt_out
    await say(app, kate, "/start_checkins", clock)
    row = await customer_row(app, kate)
    assert row is not None and not row.checkins_opt_out


# -- erasure --------------------------------------------------------------------------------


@pytest.fixture
async def full_app(
    in_process_settings: Settings, bot_api: FakeBotApi, clock: ManualClock, database_url: str
) -> AsyncIterator[Application]:
    """On SQLite and PostgreSQL, with a CRM and an operator group: every table gets rows."""
    async for app in _app(
        in_process_settings,
        bot_api,
        clock,
        database_url=database_url,
        consent_mode="opt_in",
        crm_webhook_url="http://127.0.0.1:9/hook",
        crm_webhook_secret=CRM_SECRET,
        operator_chat_id=-100777,
    ):
        yield app


async def test_forget_erases_everything_the_scan_finds_nothing(
    full_app: Application, bot_api: FakeBotApi, clock: ManualClock
) -> None:
    app = full_app
    anna = TelegramCustomer(987654321, "Анфиса", "ru")
    user = {"username": "anfisa_zz", "last_name": "Quxlova"}
    phone = "+79990001122"
    created = await app.shop.put_customer(
        "c-anfisa", CustomerIn(name="Анфиса Quxlova", phone=phone)
    )
    await say(app, anna, "/start c-spring_a-ig1", clock, **user)
    await press(app, bot_api, anna, "consent:yes")
    payload = created.deep_link.rsplit("start=", 1)[1]
    await say(app, anna, f"/start {payload}", clock, **user)
    await app.shop.put_order(
        "Z-90001",
        OrderIn.model_validate(
            {
                "customer_id": "c-anfisa",
                "status": "paid",
                "total": 4990,
                "currency": "RUB",
                "items": [{"sku": "KT-XI2", "name": "Чайник Xiaomi", "qty": 1, "price": 4990}],
            }
        ),
    )
    await app.shop.record_events(
        [
            SiteEventIn.model_validate(
                {
                    "type": "product_view",
                    "id": "ev-zz1",
                    "customer_id": "c-anfisa",
                    "product": {"sku": "KT-XI2"},
                }
            )
        ]
    )
    texts = ["Мой чайник Xiaomi шумит, жуть zzqx", "позовите человека пожалуйста zzqy"]
    for text in texts:
        await say(app, anna, text, clock, **user)
    await say(app, anna, "/forget", clock, **user)
    await settle(app)
    async with app.session_factory() as session:
        before = await repository.scan_for(session, ["987654321", "anfisa_zz", "Quxlova", *texts])
    assert before.get("message") and before.get("customer"), before  # the scan sees them

    await press(app, bot_api, anna, "forget:yes")
    assert "удалены" in bot_api.sent_messages(987654321)[-1]["text"]
    await settle(app)
    async with app.session_factory() as session:
        found = await repository.scan_for(
            session,
            ["987654321", "anfisa_zz", "Quxlova", "Анфиса", "79990001122", *texts],
        )
    assert not any(found.values()), found
    assert not await stored_rows(app, Customer)
    [entry] = [e for e in await stored_rows(app, ErasureLog) if e.reason == "customer_request"]
    assert entry.subject_hash and "987654321" not in entry.subject_hash
    erased = [e for e in await stored_rows(app, OutboxEvent) if e.event_type == "customer.erased"]
    # The one thing kept: the shop's own id of the customer, in the notice that tells the
    # shop whom to erase on its side.
    assert len(erased) == 1
    assert erased[0].payload["data"] == {
        "shop_customer_ids": ["c-anfisa"],
        "requested_by": "customer",
    }
    async with app.session_factory() as session:
        others = await repository.scan_for(session, ["c-anfisa"])
    assert {table for table, hits in others.items() if hits} == {"outbox_event"}


async def test_the_shop_erases_a_customer_and_their_chat(
    app: Application, bot_api: FakeBotApi, clock: ManualClock
) -> None:
    olga = TelegramCustomer(9210, "Ольга", "ru")
    created = await app.shop.put_customer("c-olga", CustomerIn(name="Ольга", phone="+79997776655"))
    payload = created.deep_link.rsplit("start=", 1)[1]
    await say(app, olga, f"/start {payload}", clock)
    await say(app, olga, "Где мой заказ? zzqw", clock)
    await settle(app)
    result = await app.shop.erase_customer("c-olga")
    assert result.erased and result.chats_erased == 1 and result.rows_deleted > 3
    await settle(app)
    assert await customer_row(app, olga) is None
    async with app.session_factory() as session:
        found = await repository.scan_for(session, ["zzqw", "79997776655", "c-olga"])
    assert not any(found.values()), found
    # The chat starts afresh when they write again.
    await say(app, olga, "Здравствуйте", clock)
    assert await customer_row(app, olga) is not None
