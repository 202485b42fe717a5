"""The fake Bot API server, driven by aiogram's real Bot, AiohttpSession and Dispatcher."""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator
from typing import Any

import aiohttp
import pytest
from aiogram import Bot, Dispatcher, F
from aiogram.client.session.aiohttp import AiohttpSession
from aiogram.client.telegram import TelegramAPIServer
from aiogram.exceptions import (
    TelegramBadRequest,
    TelegramConflictError,
    TelegramForbiddenError,
    TelegramRetryAfter,
    TelegramUnauthorizedError,
)
from aiogram.types import (
    BotCommand,
    BotCommandScopeAllPrivateChats,
    BufferedInputFile,
    CallbackQuery,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    Message,
)

from tests.fakes import ApiError, FakeTelegramServer, UploadedFile, parse_html, tiny_png

CUSTOMER = 1001


def make_bot(server: FakeTelegramServer, token: str | None = None) -> Bot:
    session = AiohttpSession(api=TelegramAPIServer.from_base(server.base_url))
    return Bot(token or server.token, session=session)


@pytest.fixture
async def server() -> AsyncIterator[FakeTelegramServer]:
    async with FakeTelegramServer() as fake:
        yield fake


@pytest.fixture
async def bot(server: FakeTelegramServer) -> AsyncIterator[Bot]:
    bot = make_bot(server)
    try:
        yield bot
    finally:
        await bot.session.close()


def order_keyboard() -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(
        inline_keyboard=[[InlineKeyboardButton(text="Латте", callback_data="drink:latte")]]
    )


@pytest.mark.asyncio
async def test_get_me_describes_the_bot(server: FakeTelegramServer, bot: Bot) -> None:
    me = await bot.get_me()

    assert (me.id, me.is_bot, me.username) == (bot.id, True, "barista_test_bot")
    assert me.can_join_groups is True
    assert [call.method for call in server.calls] == ["getMe"]
    assert server.calls[0].ok


@pytest.mark.asyncio
async def test_sent_messages_are_recorded_with_decoded_params(
    server: FakeTelegramServer, bot: Bot
) -> None:
    first = await bot.send_message(
        CUSTOMER, "Hello! What would you like?", reply_markup=order_keyboard()
    )
    second = await bot.send_message(CUSTOMER, "Ещё что-нибудь?")
    server.push_message("Нет, спасибо", user_id=CUSTOMER)
    third = await bot.send_message(CUSTOMER, "До встречи!")
    other = await bot.send_message(2002, "Hi")

    # One id sequence per chat, shared with the customer's own messages.
    assert [first.message_id, second.message_id, third.message_id] == [1, 2, 4]
    assert other.message_id == 1
    assert first.chat.type == "private" and first.from_user is not None
    assert first.from_user.id == bot.id
    assert first.reply_markup is not None
    assert first.reply_markup.model_dump() == order_keyboard().model_dump()
    sent = server.sent_messages(CUSTOMER)
    assert [params["text"] for params in sent] == [
        "Hello! What would you like?",
        "Ещё что-нибудь?",
        "До встречи!",
    ]
    assert sent[0]["chat_id"] == CUSTOMER  # decoded to int, not the form string "1001"
    assert sent[0]["reply_markup"]["inline_keyboard"][0][0]["callback_data"] == "drink:latte"
    assert len(server.sent_messages()) == 4


@pytest.mark.asyncio
async def test_html_parse_mode_returns_plain_text_and_entities(bot: Bot) -> None:
    message = await bot.send_message(CUSTOMER, "<b>Латте</b> за 200 ₽", parse_mode="HTML")

    assert message.text == "Латте за 200 ₽"
    assert message.entities is not None
    assert [(e.type, e.offset, e.length) for e in message.entities] == [("bold", 0, 5)]


ERROR_CASES: list[tuple[str, dict[str, Any] | None, str, type[Exception], str]] = [
    (
        "flood",
        {"error_code": 429, "description": "Too Many Requests: retry after 7", "retry_after": 7},
        "Hi",
        TelegramRetryAfter,
        "retry after 7",
    ),
    (
        "blocked",
        {"error_code": 403, "description": "Forbidden: bot was blocked by the user"},
        "Hi",
        TelegramForbiddenError,
        "blocked by the user",
    ),
    ("too long", None, "я" * 4097, TelegramBadRequest, "message is too long"),
    ("unescaped html", None, "Анна <3 кофе", TelegramBadRequest, 'Unsupported start tag "3"'),
]


@pytest.mark.asyncio
@pytest.mark.parametrize(
    ("injected", "text", "error", "fragment"),
    [case[1:] for case in ERROR_CASES],
    ids=[c[0] for c in ERROR_CASES],
)
async def test_errors_map_to_aiogram_exceptions(
    server: FakeTelegramServer,
    bot: Bot,
    injected: dict[str, Any] | None,
    text: str,
    error: type[Exception],
    fragment: str,
) -> None:
    if injected is not None:
        server.fail_next("sendMessage", **injected)

    with pytest.raises(error, match=fragment) as raised:
        await bot.send_message(CUSTOMER, text, parse_mode="HTML")

    if isinstance(raised.value, TelegramRetryAfter):
        assert raised.value.retry_after == 7
    assert server.sent_messages() == []
    # An injected failure is used up; the next call goes through.
    assert (await bot.send_message(CUSTOMER, "ok")).text == "ok"


@pytest.mark.asyncio
async def test_fail_next_times_and_blocked_chats(server: FakeTelegramServer, bot: Bot) -> None:
    server.fail_next(
        "sendChatAction",
        error_code=429,
        description="Too Many Requests: retry after 1",
        retry_after=1,
        times=2,
    )
    for _ in range(2):
        with pytest.raises(TelegramRetryAfter):
            await bot.send_chat_action(CUSTOMER, "typing")
    assert await bot.send_chat_action(CUSTOMER, "typing") is True

    server.block_chat(CUSTOMER)
    with pytest.raises(TelegramForbiddenError, match="bot was blocked by the user"):
        await bot.send_message(CUSTOMER, "Мы скучаем!")
    assert (await bot.send_message(2002, "Still here")).chat.id == 2002


@pytest.mark.asyncio
async def test_a_foreign_token_is_unauthorized(server: FakeTelegramServer) -> None:
    intruder = make_bot(server, token="42:NOT-THE-TOKEN")
    try:
        with pytest.raises(TelegramUnauthorizedError, match="Unauthorized"):
            await intruder.get_me()
    finally:
        await intruder.session.close()
    assert server.calls[-1].status == 401


RAW_CASES: list[tuple[str, str, dict[str, Any], int, str | None]] = [
    ("POST", "sendSticker", {"data": {"chat_id": "1"}}, 404, "Not Found: method not found"),
    ("POST", "sendMessage", {"data": {"text": "hi"}}, 400, "Bad Request: chat_id is empty"),
    ("POST", "sendMessage", {"data": {"chat_id": "1"}}, 400, "Bad Request: message text is empty"),
    (
        "POST",
        "sendChatAction",
        {"json": {"chat_id": 1, "action": "dancing"}},
        400,
        "Bad Request: wrong parameter action in request",
    ),
    ("GET", "getme", {"params": {}}, 200, None),
    ("POST", "sendMessage", {"json": {"chat_id": 1, "text": "json body"}}, 200, None),
]


@pytest.mark.asyncio
@pytest.mark.parametrize(
    ("verb", "method", "request_kwargs", "status", "description"),
    RAW_CASES,
    ids=[f"{c[1]}-{c[3]}" for c in RAW_CASES],
)
async def test_raw_http_protocol(
    server: FakeTelegramServer,
    verb: str,
    method: str,
    request_kwargs: dict[str, Any],
    status: int,
    description: str | None,
) -> None:
    url = f"{server.base_url}/bot{server.token}/{method}"
    async with aiohttp.ClientSession() as http, http.request(verb, url, **request_kwargs) as resp:
        body = await resp.json()

    assert resp.status == status
    assert body["ok"] is (status == 200)
    if description is not None:
        assert body == {"ok": False, "error_code": status, "description": description}


@pytest.mark.asyncio
async def test_offset_confirms_updates(server: FakeTelegramServer, bot: Bot) -> None:
    first = server.push_message("Добрый день")
    second = server.push_message("/start promo_vk")

    assert [u.update_id for u in await bot.get_updates(limit=1)] == [first]
    # Unconfirmed updates come back again on the next call.
    updates = await bot.get_updates()
    assert [u.update_id for u in updates] == [first, second]
    command = updates[1].message
    assert command is not None and command.entities is not None
    assert (command.entities[0].type, command.entities[0].length) == ("bot_command", 6)

    assert [u.update_id for u in await bot.get_updates(offset=first + 1)] == [second]
    assert await bot.get_updates(offset=second + 1) == []
    assert server.pending_updates == []


@pytest.mark.asyncio
async def test_long_polling_waits_and_wakes(server: FakeTelegramServer, bot: Bot) -> None:
    started = time.monotonic()
    assert await bot.get_updates(timeout=1) == []
    assert 0.9 <= time.monotonic() - started < 2.0

    waiting = asyncio.create_task(bot.get_updates(timeout=5))
    await asyncio.sleep(0.1)
    started = time.monotonic()
    update_id = server.push_message("Are you open?", language_code="en")
    updates = await asyncio.wait_for(waiting, 2)
    assert time.monotonic() - started < 1.0
    assert [u.update_id for u in updates] == [update_id]


@pytest.mark.asyncio
async def test_a_waiting_long_poll_is_terminated_by_a_newer_one_or_a_webhook(bot: Bot) -> None:
    waiting = asyncio.create_task(bot.get_updates(timeout=5))
    await asyncio.sleep(0.1)
    assert await bot.get_updates() == []
    with pytest.raises(TelegramConflictError, match="terminated by other getUpdates request"):
        await asyncio.wait_for(waiting, 2)

    waiting = asyncio.create_task(bot.get_updates(timeout=5))
    await asyncio.sleep(0.1)
    assert await bot.set_webhook("https://shop.example/telegram")
    with pytest.raises(TelegramConflictError, match="terminated by setWebhook request"):
        await asyncio.wait_for(waiting, 2)


async def stop(dispatcher: Dispatcher, polling: asyncio.Task[None]) -> None:
    await dispatcher.stop_polling()
    await asyncio.wait_for(polling, 3)


@pytest.mark.asyncio
async def test_dispatcher_polling_handles_each_update_once(
    server: FakeTelegramServer, bot: Bot
) -> None:
    handled: list[int] = []
    dispatcher = Dispatcher()

    @dispatcher.message(F.text)
    async def reply(message: Message) -> None:
        handled.append(message.message_id)
        await message.answer(f"Вы написали: {message.text}")

    polling = asyncio.create_task(
        dispatcher.start_polling(
            bot, handle_signals=False, close_bot_session=False, polling_timeout=5
        )
    )
    try:
        server.push_message("Привет!")
        await server.wait_for_call("sendMessage", count=1)
        last = server.push_message("Сколько стоит капучино?")
        await server.wait_for_call("sendMessage", count=2)
        # The next poll carries offset = last + 1, which confirms the update.
        await server.wait_until(lambda: not server.pending_updates)
    finally:
        await stop(dispatcher, polling)

    assert handled == [1, 3]
    assert [m["text"] for m in server.sent_messages(CUSTOMER)] == [
        "Вы написали: Привет!",
        "Вы написали: Сколько стоит капучино?",
    ]
    offsets = [call.params.get("offset") for call in server.calls_to("getUpdates")]
    assert last + 1 in offsets
    assert server.calls_to("getUpdates")[0].params["allowed_updates"] == ["message"]


@pytest.mark.asyncio
async def test_callback_query_is_answered_and_message_edited(
    server: FakeTelegramServer, bot: Bot
) -> None:
    dispatcher = Dispatcher()

    @dispatcher.callback_query(F.data.startswith("drink:"))
    async def choose(callback: CallbackQuery) -> None:
        await callback.answer("Готово")
        assert isinstance(callback.message, Message)
        await callback.message.edit_text("Вы выбрали латте")

    menu = await bot.send_message(CUSTOMER, "Что будете пить?", reply_markup=order_keyboard())
    polling = asyncio.create_task(
        dispatcher.start_polling(
            bot, handle_signals=False, close_bot_session=False, polling_timeout=5
        )
    )
    try:
        server.push_callback_query("drink:latte", message_id=menu.message_id)
        [edit] = await server.wait_for_call("editMessageText")
    finally:
        await stop(dispatcher, polling)

    [answer] = server.calls_to("answerCallbackQuery")
    assert answer.ok and answer.params["text"] == "Готово"
    assert edit.ok and edit.response is not None
    assert edit.response["result"]["text"] == "Вы выбрали латте"
    assert "reply_markup" not in edit.response["result"]  # editing text drops the keyboard
    with pytest.raises(TelegramBadRequest, match="query ID is invalid"):
        await bot.answer_callback_query(answer.params["callback_query_id"])
    with pytest.raises(TelegramBadRequest, match="message is not modified"):
        await bot.edit_message_text(
            "Вы выбрали латте", chat_id=CUSTOMER, message_id=menu.message_id
        )


@pytest.mark.asyncio
async def test_multipart_photo_and_document_uploads(server: FakeTelegramServer, bot: Bot) -> None:
    picture = tiny_png(3, 2)
    message = await bot.send_photo(
        CUSTOMER,
        BufferedInputFile(picture, filename="cup.png"),
        caption="<i>Капучино</i>",
        parse_mode="HTML",
    )

    upload = server.calls_to("sendPhoto")[0].params["photo"]
    assert isinstance(upload, UploadedFile)
    assert (upload.filename, upload.size, upload.data) == ("cup.png", len(picture), picture)
    assert message.photo is not None
    assert (message.photo[-1].width, message.photo[-1].height) == (3, 2)
    assert message.caption == "Капучино" and message.caption_entities is not None
    assert message.caption_entities[0].type == "italic"
    # A file_id from an earlier upload can be sent again without re-uploading.
    again = await bot.send_photo(CUSTOMER, message.photo[-1].file_id)
    assert again.photo is not None and again.photo[-1].file_id == message.photo[-1].file_id

    with pytest.raises(TelegramBadRequest, match="IMAGE_PROCESS_FAILED"):
        await bot.send_photo(CUSTOMER, BufferedInputFile(b"not an image", filename="x.png"))

    document = await bot.send_document(
        CUSTOMER, BufferedInputFile("Меню: латте, раф".encode(), filename="menu.txt")
    )
    assert document.document is not None
    assert document.document.file_name == "menu.txt"
    assert document.document.mime_type == "text/plain"
    assert document.document.file_size == len("Меню: латте, раф".encode())


@pytest.mark.asyncio
async def test_commands_webhook_and_service_methods(server: FakeTelegramServer, bot: Bot) -> None:
    scope = BotCommandScopeAllPrivateChats()
    commands = [
        BotCommand(command="start", description="Начать"),
        BotCommand(command="menu", description="Меню"),
    ]
    assert await bot.set_my_commands(commands, scope=scope, language_code="ru")
    stored = await bot.get_my_commands(scope=scope, language_code="ru")
    assert [(c.command, c.description) for c in stored] == [("start", "Начать"), ("menu", "Меню")]
    assert await bot.get_my_commands() == []  # another scope/language is a separate list
    assert await bot.delete_my_commands(scope=scope, language_code="ru")
    assert await bot.get_my_commands(scope=scope, language_code="ru") == []
    with pytest.raises(TelegramBadRequest, match="BOT_COMMAND_INVALID"):
        await bot.set_my_commands([BotCommand(command="Start!", description="x")])

    with pytest.raises(TelegramBadRequest, match="HTTPS URL must be provided"):
        await bot.set_webhook("http://shop.example/telegram")
    server.push_message("Здравствуйте")
    assert await bot.set_webhook("https://shop.example/telegram", secret_token="s3cret-token")
    info = await bot.get_webhook_info()
    assert (info.url, info.pending_update_count) == ("https://shop.example/telegram", 1)
    with pytest.raises(TelegramConflictError, match="webhook is active"):
        await bot.get_updates()
    assert await bot.delete_webhook(drop_pending_updates=True)
    assert (await bot.get_webhook_info()).pending_update_count == 0

    assert await bot.close() is True
    assert await bot.log_out() is True


HTML_CASES: list[tuple[str, str, list[dict[str, Any]]]] = [
    ("fish & chips", "fish & chips", []),
    ("&lt;3 &amp; &#128512;", "<3 & 😀", []),
    (
        "<b>Hi</b> 😀 <i>you</i>",
        "Hi 😀 you",
        [{"type": "bold", "offset": 0, "length": 2}, {"type": "italic", "offset": 6, "length": 3}],
    ),
    (
        '<a href="https://example.com/?a=1&amp;b=2">сайт</a>',
        "сайт",
        [{"type": "text_link", "offset": 0, "length": 4, "url": "https://example.com/?a=1&b=2"}],
    ),
    (
        '<pre><code class="language-python">x = 1</code></pre>',
        "x = 1",
        [{"type": "pre", "offset": 0, "length": 5, "language": "python"}],
    ),
    (
        '<span class="tg-spoiler">секрет</span><b></b>',
        "секрет",
        [{"type": "spoiler", "offset": 0, "length": 6}],
    ),
    (
        "<b>a<i>b</i></b>",
        "ab",
        [{"type": "bold", "offset": 0, "length": 2}, {"type": "italic", "offset": 1, "length": 1}],
    ),
]


@pytest.mark.parametrize(("source", "text", "entities"), HTML_CASES)
def test_parse_html(source: str, text: str, entities: list[dict[str, Any]]) -> None:
    assert parse_html(source) == (text, entities)


HTML_ERRORS: list[tuple[str, str]] = [
    ("Анна <3 кофе", 'Unsupported start tag "3" at byte offset 9'),
    ("Анна <3", "Unclosed start tag at byte offset 9"),
    ("<b>жирный", 'Can\'t find end tag corresponding to start tag "b"'),
    ("<b><i>x</b></i>", 'Unmatched end tag at byte offset 7, expected "</i>", found "</b>"'),
    ("text</b>", "Unexpected end tag at byte offset 4"),
    ("price <b", "Unclosed start tag at byte offset 6"),
    ("<span>x</span>", 'Tag "span" must have class "tg-spoiler"'),
]


@pytest.mark.parametrize(("source", "fragment"), HTML_ERRORS)
def test_parse_html_rejects_what_telegram_rejects(source: str, fragment: str) -> None:
    with pytest.raises(ApiError, match="can't parse entities") as raised:
        parse_html(source)
    assert fragment in raised.value.description
    assert raised.value.code == 400
