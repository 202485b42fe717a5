"""The admin commands through the production Dispatcher and the Bot API fake: /stats with its
period buttons (the message is edited) and charts (photos), /stats ab, /segments, /customer
with the correction and handoff buttons, /sources, /export (CSV documents with a BOM), the
admins' own command menu — and that nobody else reaches any of it."""

from __future__ import annotations

import csv
import io
import itertools
from collections.abc import AsyncIterator
from datetime import timedelta
from typing import Any

import pytest

from bot.app import Application
from bot.channels.telegram.menu import set_admin_menu
from bot.settings import Settings
from storage.models import (
    Conversion,
    Customer,
    Dialog,
    Handoff,
    SegmentFeedback,
    Survey,
)
from tests.factories import ManualClock, TelegramCustomer, feed, running_app, stored_rows
from tests.fakes.bot_api import FakeBotApi

ADMIN = 7001
OPERATORS = -100777
PNG = b"\x89PNG\r\n\x1a\n"
BOM = b"\xef\xbb\xbf"
_updates = itertools.count(900_000)


@pytest.fixture
async def shop(
    settings: Settings, bot_api: FakeBotApi, clock: ManualClock
) -> AsyncIterator[Application]:
    async with running_app(
        settings, bot_api, clock, admin_ids=frozenset({ADMIN}), operator_chat_id=OPERATORS
    ) as application:
        yield application


async def say(
    app: Application,
    who: TelegramCustomer,
    text: str,
    clock: ManualClock,
    username: str | None = None,
) -> None:
    clock.advance(30)
    update = who.message(text, clock())
    if username:
        update["message"]["from"]["username"] = username
    await feed(app, update)


async def press(
    app: Application, api: FakeBotApi, user_id: int, data: str, language: str = "en"
) -> None:
    """Press a button under the latest message the bot sent to `user_id`."""
    sent = [
        c
        for c in api.calls_to("sendMessage")
        if str(c.params.get("chat_id")) == str(user_id) and c.response.get("ok")
    ]
    message_id = sent[-1].response["result"]["message_id"]
    api.push_callback_query(
        data,
        message_id=message_id,
        user_id=user_id,
        first_name="Boss",
        language_code=language,
    )
    await feed(app, {**api.pending_updates[-1], "update_id": next(_updates)})


def last_text(api: FakeBotApi, chat_id: int) -> str:
    return str(api.sent_messages(chat_id)[-1]["text"])


async def populate(app: Application, clock: ManualClock) -> dict[str, Any]:
    """Two customers: Anna came from the ad "c-winter_a-vk" and bought 10 minutes into her
    dialog (1,500 ₽); Boris came on his own and rated his dialog 4."""
    anna, boris = TelegramCustomer(1001, "Anna"), TelegramCustomer(1002, "Boris")
    await say(app, anna, "/start c-winter_a-vk", clock, username="anna_k")
    await say(app, anna, "Здравствуйте, сколько стоит доставка в Москву?", clock, "anna_k")
    await say(app, boris, "Привет, где мой заказ?", clock)
    await say(app, boris, "Номер 12345, скажите пожалуйста", clock)
    customers = {c.external_id: c for c in await stored_rows(app, Customer)}
    dialogs = {d.customer_id: d for d in await stored_rows(app, Dialog)}
    a, b = customers["1001"], customers["1002"]
    async with app.session_factory() as session:
        started = dialogs[a.id].started_at
        session.add(
            Conversion(
                customer_id=a.id,
                kind="order",
                ref="A-1",
                at=started + timedelta(minutes=10),
                dialog_id=dialogs[a.id].id,
                seconds_from_dialog_start=600.0,
                first_source_id=a.first_source_id,
                last_source_id=a.last_source_id,
                revenue=1500.0,
            )
        )
        session.add(
            Survey(
                customer_id=b.id,
                dialog_id=dialogs[b.id].id,
                trigger="inactivity",
                asked_at=clock(),
                rating=4,
                rated_at=clock(),
            )
        )
        await session.commit()
    return {"anna": a, "boris": b, "anna_chat": anna}


async def test_stats_answers_with_the_figures_and_switches_period_in_place(
    shop: Application, bot_api: FakeBotApi, clock: ManualClock
) -> None:
    await populate(shop, clock)
    admin = TelegramCustomer(ADMIN, "Boss", "en")
    await say(shop, admin, "/stats 7d", clock)
    text = last_text(bot_api, ADMIN)
    assert "Statistics — 7 days" in text
    assert "Dialogs: <b>2</b>" in text
    assert "Conversion: <b>50.0 %</b> (1)" in text and "10 min" in text
    assert "CSAT: <b>4.0</b> of 5 (1 ratings)" in text
    assert "Handed to a human: <b>0.0 %</b>" in text
    assert "c-winter_a-vk" in text and "direct" in text  # by source
    assert "By segment" in text

    await press(shop, bot_api, ADMIN, "adm:st:all")
    (edit,) = bot_api.calls_to("editMessageText")
    assert "Statistics — all time" in edit.params["text"]
    assert len(bot_api.sent_messages(ADMIN)) == 1  # edited, not re-sent

    await press(shop, bot_api, ADMIN, "adm:ch:funnel:7d")
    await press(shop, bot_api, ADMIN, "adm:ch:heatmap:30d")
    photos = bot_api.calls_to("sendPhoto")
    assert len(photos) == 2
    assert all(p.params["photo"].data.startswith(PNG) for p in photos)


async def test_stats_in_russian_for_a_russian_admin(
    shop: Application, bot_api: FakeBotApi, clock: ManualClock
) -> None:
    await populate(shop, clock)
    await say(shop, TelegramCustomer(ADMIN, "Босс", "ru"), "/stats", clock)
    text = last_text(bot_api, ADMIN)
    assert "Статистика — 7 дней" in text and "Диалогов: <b>2</b>" in text


async def test_a_bad_period_is_explained(
    shop: Application, bot_api: FakeBotApi, clock: ManualClock
) -> None:
    await say(shop, TelegramCustomer(ADMIN, "Boss", "en"), "/stats yesterday", clock)
    assert "Use today, 7d, 30d, all or ab" in last_text(bot_api, ADMIN)


async def test_stats_ab_says_when_there_is_not_enough_data(
    shop: Application, bot_api: FakeBotApi, clock: ManualClock
) -> None:
    await populate(shop, clock)
    await say(shop, TelegramCustomer(ADMIN, "Boss", "en"), "/stats ab", clock)
    text = last_text(bot_api, ADMIN)
    assert "Adaptive bot vs the “blind” one — all time" in text
    assert "not enough data yet" in text
    assert "Conversion" in text and "CSAT" in text and "Time to target action" in text
    await press(shop, bot_api, ADMIN, "adm:ch:ab:all")
    (photo,) = bot_api.calls_to("sendPhoto")
    assert photo.params["photo"].data.startswith(PNG)


async def test_segments_count_customers_and_draw(
    shop: Application, bot_api: FakeBotApi, clock: ManualClock
) -> None:
    await populate(shop, clock)
    await say(shop, TelegramCustomer(ADMIN, "Boss", "en"), "/segments 30d", clock)
    text = last_text(bot_api, ADMIN)
    assert "Segments now" in text and "Lead hotness" in text and "Churn risk" in text
    await press(shop, bot_api, ADMIN, "adm:ch:segments:30d")
    (photo,) = bot_api.calls_to("sendPhoto")
    assert photo.params["photo"].data.startswith(PNG)


async def test_sources_list_each_link(
    shop: Application, bot_api: FakeBotApi, clock: ManualClock
) -> None:
    await populate(shop, clock)
    await say(shop, TelegramCustomer(ADMIN, "Boss", "en"), "/sources all", clock)
    text = last_text(bot_api, ADMIN)
    assert "<b>c-winter_a-vk (winter)</b>: 1 starts, 1 dialogs, 1 conversions (100.0 %)" in text
    assert "₽1,500" in text


async def test_customer_card_and_its_buttons(
    shop: Application, bot_api: FakeBotApi, clock: ManualClock
) -> None:
    people = await populate(shop, clock)
    anna = people["anna"]
    admin = TelegramCustomer(ADMIN, "Boss", "en")
    await say(shop, admin, "/customer @Anna_K", clock)
    card = last_text(bot_api, ADMIN)
    assert f"Customer #{anna.id}" in card and "@anna_k" in card
    assert "Segments" in card and "Lead hotness" in card and "Active hours" in card
    assert "winter" in card and "conversions: 1" in card
    assert "Latest messages" in card and "доставка" in card

    await press(shop, bot_api, ADMIN, f"adm:fix:{anna.id}")
    (markup,) = bot_api.calls_to("editMessageReplyMarkup")
    buttons = [
        b["callback_data"] for row in markup.params["reply_markup"]["inline_keyboard"] for b in row
    ]
    assert f"adm:set:{anna.id}:0:1" in buttons and f"adm:cu:{anna.id}" in buttons

    await press(shop, bot_api, ADMIN, f"adm:set:{anna.id}:0:1")  # she IS urgent
    (feedback,) = await stored_rows(shop, SegmentFeedback)
    assert (feedback.customer_id, feedback.segment, feedback.value, feedback.by) == (
        anna.id,
        "urgent",
        1.0,
        str(ADMIN),
    )
    profile = await shop.conversation.profile("telegram", "1001")
    assert profile is not None
    urgent = next(v for k, v in profile.assessment.segments.items() if k.value == "urgent")
    assert urgent.value > 0.8
    edited = bot_api.calls_to("editMessageText")[-1]
    assert "(corrected)" in edited.params["text"]

    await press(shop, bot_api, ADMIN, f"adm:op:{anna.id}")
    (handoff,) = await stored_rows(shop, Handoff)
    assert (handoff.customer_id, handoff.reason) == (anna.id, "admin")
    card_post = bot_api.sent_messages(OPERATORS)[-1]["text"]
    assert "admin" in card_post.lower() or "администратор" in card_post.lower()
    await press(shop, bot_api, ADMIN, f"adm:op:{anna.id}")
    assert len(await stored_rows(shop, Handoff)) == 1  # already with a person


async def test_customer_lookup_by_id_and_unknown(
    shop: Application, bot_api: FakeBotApi, clock: ManualClock
) -> None:
    people = await populate(shop, clock)
    admin = TelegramCustomer(ADMIN, "Boss", "en")
    await say(shop, admin, f"/customer {people['boris'].id}", clock)
    assert "Boris" in last_text(bot_api, ADMIN) and "4/5" in last_text(bot_api, ADMIN)
    await say(shop, admin, "/customer 1002", clock)  # the Telegram user id works too
    assert f"Customer #{people['boris'].id}" in last_text(bot_api, ADMIN)
    await say(shop, admin, "/customer @nobody", clock)
    assert "No customer “@nobody”" in last_text(bot_api, ADMIN)
    await say(shop, admin, "/customer", clock)
    assert "/customer 42" in last_text(bot_api, ADMIN)


async def test_export_sends_two_csv_files_with_a_bom(
    shop: Application, bot_api: FakeBotApi, clock: ManualClock
) -> None:
    await populate(shop, clock)
    await say(shop, TelegramCustomer(ADMIN, "Boss", "en"), "/export", clock)
    documents = bot_api.calls_to("sendDocument")
    assert len(documents) == 2
    customers, dialogs = (d.params["document"] for d in documents)
    assert customers.filename.startswith("customers-") and dialogs.filename.startswith("dialogs-")
    for upload in (customers, dialogs):
        assert upload.data.startswith(BOM)
    rows = list(csv.reader(io.StringIO(customers.data.decode("utf-8-sig"))))
    assert rows[0][0] == "id" and len(rows) == 3  # the header and two customers
    names = {row[rows[0].index("first_name")] for row in rows[1:]}
    assert names == {"Anna", "Boris"}
    dialog_rows = list(csv.reader(io.StringIO(dialogs.data.decode("utf-8-sig"))))
    header = dialog_rows[0]
    converted = sorted(row[header.index("converted")] for row in dialog_rows[1:])
    assert converted == ["0", "1"]


async def test_nobody_else_reaches_the_admin_commands(
    shop: Application, bot_api: FakeBotApi, clock: ManualClock
) -> None:
    anna = (await populate(shop, clock))["anna_chat"]
    for command in ("/stats", "/stats ab", "/segments", "/customer 1", "/sources", "/export"):
        await say(shop, anna, command, clock)
        reply = last_text(bot_api, 1001)
        assert "Statistics" not in reply and "Customer #" not in reply
        assert "/help" in reply  # answered as an unknown command
    assert bot_api.calls_to("sendDocument") == []
    # A forged admin button from a customer does nothing an admin's would.
    for data in ("adm:st:all", "adm:ch:funnel:7d", "adm:set:1:0:1", "adm:op:1"):
        await press(shop, bot_api, 1001, data, language="en")
    assert bot_api.calls_to("editMessageText") == []
    assert bot_api.calls_to("sendPhoto") == []
    assert await stored_rows(shop, SegmentFeedback) == []
    assert await stored_rows(shop, Handoff) == []


async def test_stale_or_malformed_buttons_are_answered_politely(
    shop: Application, bot_api: FakeBotApi, clock: ManualClock
) -> None:
    await say(shop, TelegramCustomer(ADMIN, "Boss", "en"), "/stats", clock)
    for data in ("adm:st:yesterday", "adm:ch:pie:7d", "adm:set:x:9:1", "adm:set:1:99:1"):
        await press(shop, bot_api, ADMIN, data)
    answers = bot_api.calls_to("answerCallbackQuery")
    assert len(answers) == 4
    assert all("out of date" in a.params.get("text", "") for a in answers)


async def test_the_admin_menu_is_set_for_each_admin_chat_only(
    shop: Application, bot_api: FakeBotApi
) -> None:
    assert await set_admin_menu(shop.bot, frozenset({ADMIN, 7002}))
    calls = bot_api.calls_to("setMyCommands")
    scopes = {(c.params["scope"]["type"], c.params["scope"].get("chat_id")) for c in calls}
    assert scopes == {("chat", ADMIN), ("chat", 7002)}
    commands = {cmd["command"] for c in calls for cmd in c.params["commands"]}
    assert {"stats", "segments", "customer", "sources", "export", "help"} <= commands


async def test_admin_commands_in_a_group_are_not_answered(
    shop: Application, bot_api: FakeBotApi, clock: ManualClock
) -> None:
    """A card or an export must never land in a group, even when an admin asks there."""
    await populate(shop, clock)
    group = -100900
    for command in ("/stats", "/customer @anna_k", "/export"):
        update = TelegramCustomer(ADMIN, "Boss", "en").message(command, clock())
        update["message"]["chat"] = {"id": group, "type": "supergroup", "title": "Friends"}
        await feed(shop, update)
    texts = [str(m.get("text", "")) for m in bot_api.sent_messages(group)]
    assert not any("Statistics" in x or "Customer #" in x for x in texts)
    assert bot_api.calls_to("sendDocument") == []


async def test_a_double_tap_and_an_erased_customer_are_answered(
    shop: Application, bot_api: FakeBotApi, clock: ManualClock
) -> None:
    people = await populate(shop, clock)
    anna = people["anna"]
    await say(shop, TelegramCustomer(ADMIN, "Boss", "en"), "/stats 7d", clock)
    for _ in range(2):  # the second edit would change nothing: no error for the admin
        await press(shop, bot_api, ADMIN, "adm:st:30d")
    assert len(bot_api.calls_to("answerCallbackQuery")) == 2
    # The customer erases their data; the admin's card buttons say so.
    await say(shop, people["anna_chat"], "/forget", clock)
    await press(shop, bot_api, 1001, "forget:yes", language="ru")
    for data in (f"adm:op:{anna.id}", f"adm:set:{anna.id}:0:1", f"adm:cu:{anna.id}"):
        await press(shop, bot_api, ADMIN, data)
    answers = [a.params.get("text", "") for a in bot_api.calls_to("answerCallbackQuery")[-3:]]
    assert all("gone" in text for text in answers), answers
    assert await stored_rows(shop, Customer, Customer.external_id == "1001") == []


async def test_an_admins_handover_is_not_an_escalation(
    shop: Application, bot_api: FakeBotApi, clock: ManualClock
) -> None:
    people = await populate(shop, clock)
    await say(shop, TelegramCustomer(ADMIN, "Boss", "en"), "/stats", clock)
    await press(shop, bot_api, ADMIN, f"adm:op:{people['anna'].id}")
    await press(shop, bot_api, ADMIN, "adm:st:all")
    edited = bot_api.calls_to("editMessageText")[-1].params["text"]
    assert "Handed to a human: <b>0.0 %</b> (0)" in edited
