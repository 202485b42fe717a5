"""`barista import-telegram-export`: customers, messages and profiles from a Desktop export."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from sqlmodel import col, select

from bot.app import Application, build_application
from bot.settings import load_settings
from bot.tools.telegram_import import ImportReport, TelegramExportError, import_telegram_export
from storage.models import Customer, Message, Profile
from tests.factories import ManualClock

T0 = 1_767_261_600  # 2026-01-01 10:00 UTC
SHOP_ID = "user5550001"


def msg(
    message_id: int,
    ts: int,
    from_id: str,
    text: Any,
    *,
    kind: str = "message",
    unix: bool = True,
) -> dict[str, Any]:
    item: dict[str, Any] = {
        "id": message_id,
        "type": kind,
        "date": datetime.fromtimestamp(ts, UTC).strftime("%Y-%m-%dT%H:%M:%S"),
        "from": "someone",
        "from_id": from_id,
        "text": text,
    }
    if unix:
        item["date_unixtime"] = str(ts)
    return item


def personal_chat(chat_id: int, name: str, messages: list[dict[str, Any]]) -> dict[str, Any]:
    return {"name": name, "type": "personal_chat", "id": chat_id, "messages": messages}


def olga_chat() -> dict[str, Any]:
    olga = "user101"
    return personal_chat(
        101,
        "Ольга Смирнова",
        [
            msg(1, T0, olga, "Здравствуйте! Сколько стоит кофемолка?"),
            msg(2, T0 + 60, SHOP_ID, "Добрый день! 4 990 ₽, есть в наличии."),
            msg(3, T0 + 180, olga, [{"type": "bold", "text": "А доставка"}, " в Казань есть?"]),
            msg(4, T0 + 200, olga, "", unix=False),  # a sticker: no text
            msg(5, T0 + 210, "user101", "pinned", kind="service"),
            msg(6, T0 + 260, SHOP_ID, "Да, 2-3 дня."),
            msg(7, T0 + 400, olga, "Отлично, беру!"),
        ],
    )


def mike_chat() -> dict[str, Any]:
    mike = "user202"
    return personal_chat(
        202,
        "Mike",
        [
            msg(10, T0 + 3600, mike, "Where is my order?? Waiting for two weeks!!!"),
            msg(11, T0 + 3700, SHOP_ID, "Sorry! Checking right now."),
            # An old export without date_unixtime: the naive date is read as UTC.
            msg(12, T0 + 3900, mike, "ok, thanks", unix=False),
        ],
    )


def full_export() -> dict[str, Any]:
    group = {
        "name": "Coffee lovers",
        "type": "private_group",
        "id": 303,
        "messages": [msg(20, T0, "user9", "hello group")],
    }
    bot_chat = {
        "name": "Some bot",
        "type": "bot_chat",
        "id": 404,
        "messages": [msg(21, T0, "user404", "hi")],
    }
    saved = {"type": "saved_messages", "id": 5550001, "messages": [msg(22, T0, SHOP_ID, "note")]}
    return {
        "about": "Here is the data you requested.",
        "personal_information": {"user_id": 5550001, "first_name": "Shop"},
        "chats": {"about": "...", "list": [olga_chat(), group, bot_chat, mike_chat(), saved]},
    }


def write(tmp_path: Path, data: Any, name: str = "result.json") -> str:
    path = tmp_path / name
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return str(path)


@pytest.fixture
async def app(tmp_path: Path) -> AsyncIterator[Application]:
    settings = load_settings(
        database_url=f"sqlite+aiosqlite:///{tmp_path}/t.db",
        bot_token="1:test",
        # A shop importing past chats profiles them under a notice (opt-in would keep only
        # each customer's last dialog and no profile: tests/bot/privacy).
        consent_mode="notice",
        _env_file=None,
    )
    application = build_application(
        settings, clock=ManualClock(datetime(2026, 1, 2, 9, 0, tzinfo=UTC))
    )
    await application.start()
    try:
        yield application
    finally:
        await application.close()


async def rows(app: Application, model: Any, *order: Any) -> list[Any]:
    async with app.session_factory() as session:
        result = await session.execute(select(model).order_by(*order))
        return list(result.scalars().all())


@pytest.mark.asyncio
async def test_full_export_imports_personal_chats_only(app: Application, tmp_path: Path):
    report = await import_telegram_export(app, write(tmp_path, full_export()))
    assert report == ImportReport(
        chats=2, customers_created=2, messages_imported=8, messages_skipped=2, errors=[]
    )
    customers = await rows(app, Customer, col(Customer.external_id))
    assert [(c.channel, c.external_id, c.address, c.first_name) for c in customers] == [
        ("telegram", "101", "101", "Ольга Смирнова"),
        ("telegram", "202", "202", "Mike"),
    ]
    olga, mike = customers
    assert (olga.language, mike.language) == ("ru", "en")
    # Last seen is when the customer last wrote, not the import time.
    assert olga.last_seen_at is not None
    assert olga.last_seen_at.replace(tzinfo=UTC).timestamp() == T0 + 400

    messages = await rows(app, Message, col(Message.id))
    by_customer = {c.id: [m for m in messages if m.customer_id == c.id] for c in customers}
    olga_rows = by_customer[olga.id]
    assert [(m.external_id, m.direction, m.status) for m in olga_rows] == [
        ("export:1", "in", "received"),
        ("export:2", "out", "sent"),
        ("export:3", "in", "received"),
        ("export:6", "out", "sent"),
        ("export:7", "in", "received"),
    ]
    assert olga_rows[2].text == "А доставка в Казань есть?"
    assert olga_rows[2].latency_s == 120.0 and olga_rows[2].gap_s == 180.0
    assert olga_rows[0].features is not None and olga_rows[0].features["intent"]
    mike_in = [m for m in by_customer[mike.id] if m.direction == "in"]
    assert mike_in[-1].created_at.replace(tzinfo=UTC).timestamp() == T0 + 3900
    assert mike_in[0].features is not None and mike_in[0].features["sentiment"] == "negative"

    profiles = {p.customer_id: p for p in await rows(app, Profile, col(Profile.customer_id))}
    assert profiles[olga.id].messages_total == 3
    assert profiles[mike.id].messages_total == 2
    assert profiles[mike.id].irritated > 0.0
    assert profiles[olga.id].state["outgoing_total"] == 2


@pytest.mark.asyncio
async def test_reimport_does_not_duplicate(app: Application, tmp_path: Path):
    path = write(tmp_path, full_export())
    await import_telegram_export(app, path)
    before = [(m.customer_id, m.external_id) for m in await rows(app, Message, col(Message.id))]
    profiles_before = {p.customer_id: p.state for p in await rows(app, Profile)}

    again = await import_telegram_export(app, path)
    assert (again.chats, again.customers_created, again.messages_imported) == (2, 0, 0)
    assert again.messages_skipped == 10  # 8 already imported + the sticker and service message
    after = [(m.customer_id, m.external_id) for m in await rows(app, Message, col(Message.id))]
    assert after == before
    assert {p.customer_id: p.state for p in await rows(app, Profile)} == profiles_before
    assert len(await rows(app, Customer)) == 2


@pytest.mark.asyncio
async def test_newer_export_adds_only_new_messages(app: Application, tmp_path: Path):
    chat = mike_chat()
    await import_telegram_export(app, write(tmp_path, chat))
    chat["messages"].append(msg(13, T0 + 7200, "user202", "Got it, all good now"))
    report = await import_telegram_export(app, write(tmp_path, chat, "newer.json"))
    assert (report.customers_created, report.messages_imported, report.messages_skipped) == (
        0,
        1,
        3,
    )
    (profile,) = await rows(app, Profile)
    assert profile.messages_total == 3


@pytest.mark.asyncio
async def test_single_chat_export(app: Application, tmp_path: Path):
    report = await import_telegram_export(app, write(tmp_path, olga_chat()))
    assert (report.chats, report.customers_created, report.messages_imported) == (1, 1, 5)
    (customer,) = await rows(app, Customer)
    assert customer.external_id == "101"


@pytest.mark.asyncio
async def test_malformed_messages_are_reported_and_skipped(app: Application, tmp_path: Path):
    chat = olga_chat()
    chat["messages"] += [
        {"id": 30, "type": "message", "from_id": "user101", "text": "no date at all"},
        {"id": 31, "type": "message", "date_unixtime": "soon", "from_id": "user101", "text": "x"},
        {"id": 32, "type": "message", "date_unixtime": str(T0 + 500), "text": "who wrote it?"},
        {
            "id": 33,
            "type": "message",
            "date_unixtime": str(T0 + 500),
            "from_id": "user101",
            "text": {"not": "text"},
        },
        "not an object",
    ]
    report = await import_telegram_export(app, write(tmp_path, chat))
    assert report.messages_imported == 5
    assert len(report.errors) == 5
    assert all(e.startswith("chat 101, message ") for e in report.errors)
    assert "no date" in report.errors[0] and "date_unixtime" in report.errors[1]


@pytest.mark.asyncio
async def test_malformed_chat_does_not_stop_the_rest(app: Application, tmp_path: Path):
    export = full_export()
    export["chats"]["list"].insert(0, {"type": "personal_chat", "name": "No id", "messages": []})
    export["chats"]["list"].insert(0, "garbage")
    report = await import_telegram_export(app, write(tmp_path, export))
    assert report.chats == 2 and report.messages_imported == 8
    assert len(report.errors) == 2


@pytest.mark.asyncio
@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("{this is not json", "is not JSON"),
        ("[1, 2, 3]", "not a Telegram Desktop JSON export"),
        ('{"chats": {"list": "nope"}}', "not a Telegram Desktop JSON export"),
        ('{"name": "x", "id": 1}', "not a Telegram Desktop JSON export"),
    ],
)
async def test_malformed_file_raises_one_line_value_error(
    app: Application, tmp_path: Path, content: str, message: str
):
    path = tmp_path / "bad.json"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(TelegramExportError) as caught:
        await import_telegram_export(app, str(path))
    assert isinstance(caught.value, ValueError)
    assert message in str(caught.value) and "\n" not in str(caught.value)
    assert await rows(app, Customer) == []


@pytest.mark.asyncio
async def test_missing_file_raises(app: Application, tmp_path: Path):
    with pytest.raises(TelegramExportError, match="cannot read"):
        await import_telegram_export(app, str(tmp_path / "absent.json"))


@pytest.mark.asyncio
async def test_an_opted_out_customer_gets_messages_but_no_analysis(
    app: Application, tmp_path: Path
) -> None:
    """Objecting to profiling holds for imports too: the texts are kept, nothing derived."""
    from storage.repositories.customers import CustomerIdentity, load_or_create

    async with app.session_factory() as session:
        olga, _ = await load_or_create(
            session,
            CustomerIdentity("telegram", "101", address="101"),
            now=datetime(2025, 12, 1, tzinfo=UTC),
            default_language="ru",
        )
        olga.profiling_opt_out = True
        await session.commit()
    report = await import_telegram_export(app, write(tmp_path, olga_chat()))
    assert report.messages_imported > 0
    incoming = [m for m in await rows(app, Message, col(Message.id)) if m.direction == "in"]
    assert incoming and all(m.features is None for m in incoming)
    assert all(m.gap_s is None and m.latency_s is None for m in incoming)
    assert await rows(app, Profile) == []


@pytest.mark.asyncio
async def test_imported_profiles_start_in_the_customers_language(
    app: Application, tmp_path: Path
) -> None:
    """A customer whose messages never show a language ("👍", "42") keeps the language the
    bot knows them by, instead of the engine's default."""
    from storage.repositories.customers import CustomerIdentity, load_or_create

    async with app.session_factory() as session:
        await load_or_create(
            session,
            CustomerIdentity("telegram", "303", address="303"),
            now=datetime(2025, 12, 1, tzinfo=UTC),
            default_language="en",  # what the live bot took from Telegram's language_code
        )
        await session.commit()
    mute = personal_chat(
        303, "Sam", [msg(1, T0, "user303", "👍"), msg(2, T0 + 60, "user303", "42")]
    )
    await import_telegram_export(app, write(tmp_path, mute))
    (profile,) = await rows(app, Profile)
    assert profile.state["lang"] == "en"
