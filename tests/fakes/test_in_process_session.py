"""The in-process session answers as the fake does over HTTP: same params reach the fake,
same results and same aiogram exceptions come back."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import Any

import pytest
from aiogram import Bot
from aiogram.client.default import DefaultBotProperties
from aiogram.client.session.aiohttp import AiohttpSession
from aiogram.client.session.middlewares.base import (
    BaseRequestMiddleware,
    NextRequestMiddlewareType,
)
from aiogram.client.telegram import TelegramAPIServer
from aiogram.enums import ParseMode
from aiogram.exceptions import (
    TelegramBadRequest,
    TelegramForbiddenError,
    TelegramRetryAfter,
    TelegramUnauthorizedError,
)
from aiogram.methods import TelegramMethod
from aiogram.methods.base import Response, TelegramType
from aiogram.types import (
    BufferedInputFile,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    Message,
)

from tests.fakes import FakeTelegramServer, UploadedFile, tiny_png
from tests.fakes.bot_api import FakeBotApi
from tests.fakes.session import InProcessBotApi

CUSTOMER = 1001
T0 = 1_700_000_000.0


@dataclass
class Rig:
    bot: Bot
    api: FakeBotApi


def html_bot(token: str, session: Any) -> Bot:
    # As production builds it: HTML by default, the default being the ParseMode enum.
    return Bot(token, session=session, default=DefaultBotProperties(parse_mode=ParseMode.HTML))


@pytest.fixture
async def in_process() -> AsyncIterator[Rig]:
    api = FakeBotApi(clock=lambda: T0)
    bot = html_bot(api.token, InProcessBotApi(api))
    yield Rig(bot, api)
    await bot.session.close()


@pytest.fixture
async def over_http() -> AsyncIterator[Rig]:
    async with FakeTelegramServer(clock=lambda: T0) as server:
        session = AiohttpSession(api=TelegramAPIServer.from_base(server.base_url))
        bot = html_bot(server.token, session)
        yield Rig(bot, server.api)
        await bot.session.close()


@pytest.fixture(params=["in_process", "over_http"])
def rig(request: pytest.FixtureRequest) -> Rig:
    """Each behaviour below is checked on both transports of the same fake."""
    return request.getfixturevalue(request.param)


def keyboard() -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(
        inline_keyboard=[[InlineKeyboardButton(text="Латте", callback_data="drink:latte")]]
    )


async def conversation(bot: Bot) -> list[Message]:
    """A few calls covering HTML, a keyboard, an explicit parse mode, a reply and uploads."""
    first = await bot.send_message(CUSTOMER, "<b>Латте</b> за 200 ₽ &amp; <i>круассан</i>")
    return [
        first,
        await bot.send_message(
            CUSTOMER, "Что-нибудь ещё?", reply_markup=keyboard(), parse_mode=ParseMode.HTML
        ),
        await bot.send_message(CUSTOMER, "*plain*", parse_mode=None),
        await bot.send_message(CUSTOMER, "Ответ", reply_to_message_id=first.message_id),
        await bot.send_photo(
            CUSTOMER, BufferedInputFile(tiny_png(3, 2), "menu.png"), caption="<u>Меню</u>"
        ),
        await bot.send_document(CUSTOMER, BufferedInputFile(b"a;b\n", "prices.csv")),
    ]


def recorded(api: FakeBotApi) -> list[tuple[str, int, dict[str, Any], Any]]:
    """The calls as the fake saw them; an upload's form field name is random, so it is left out."""

    def plain(value: Any) -> Any:
        if isinstance(value, UploadedFile):
            return (value.filename, value.content_type, value.data)
        return value

    return [
        (call.method, call.status, {k: plain(v) for k, v in call.params.items()}, call.response)
        for call in api.calls
    ]


async def test_the_fake_receives_and_answers_the_same_as_over_http(
    in_process: Rig, over_http: Rig
) -> None:
    local = await conversation(in_process.bot)
    remote = await conversation(over_http.bot)

    assert [m.model_dump() for m in local] == [m.model_dump() for m in remote]
    assert recorded(in_process.api) == recorded(over_http.api)
    # What the fake received: the default parse mode as the string "HTML", the keyboard as
    # JSON decoded back to a dict, the photo as the bytes of a named file.
    first, second, plain, _, photo, _ = in_process.api.calls
    assert first.params["parse_mode"] == "HTML" and "parse_mode" not in plain.params
    assert second.params["reply_markup"] == keyboard().model_dump(exclude_none=True)
    assert photo.params["photo"].filename == "menu.png"
    assert photo.params["photo"].data == tiny_png(3, 2)


async def test_html_is_parsed_into_text_and_entities(rig: Rig) -> None:
    message = await rig.bot.send_message(CUSTOMER, "<b>Латте</b> за 200 ₽ &lt;3")

    assert message.text == "Латте за 200 ₽ <3"
    assert [(e.type, e.offset, e.length) for e in message.entities or []] == [("bold", 0, 5)]
    assert rig.api.sent_messages(CUSTOMER) == [
        {"chat_id": CUSTOMER, "text": "<b>Латте</b> за 200 ₽ &lt;3", "parse_mode": "HTML"}
    ]


async def test_get_me(rig: Rig) -> None:
    me = await rig.bot.get_me()

    assert (me.id, me.is_bot, me.username) == (rig.bot.id, True, "barista_test_bot")
    assert [(call.method, call.status) for call in rig.api.calls] == [("getMe", 200)]


INJECTED: list[tuple[dict[str, Any], type[Exception], str]] = [
    (
        {"error_code": 429, "description": "Too Many Requests: retry after 7", "retry_after": 7},
        TelegramRetryAfter,
        "retry after 7",
    ),
    (
        {"error_code": 403, "description": "Forbidden: bot was blocked by the user"},
        TelegramForbiddenError,
        "blocked by the user",
    ),
    (
        {"error_code": 400, "description": "Bad Request: chat not found"},
        TelegramBadRequest,
        "chat not found",
    ),
]


@pytest.mark.parametrize(("injected", "error", "fragment"), INJECTED, ids=["429", "403", "400"])
async def test_injected_failures_arrive_as_aiogram_exceptions(
    rig: Rig, injected: dict[str, Any], error: type[Exception], fragment: str
) -> None:
    rig.api.fail_next("sendMessage", **injected)

    with pytest.raises(error, match=fragment) as raised:
        await rig.bot.send_message(CUSTOMER, "Hi")

    if isinstance(raised.value, TelegramRetryAfter):
        assert raised.value.retry_after == 7
    assert rig.api.calls[-1].status == injected["error_code"]
    assert rig.api.sent_messages() == []
    assert (await rig.bot.send_message(CUSTOMER, "ok")).text == "ok"  # the failure is used up


async def test_the_fakes_own_refusals_map_the_same_way(rig: Rig) -> None:
    rig.api.block_chat(CUSTOMER)
    with pytest.raises(TelegramForbiddenError, match="bot was blocked by the user"):
        await rig.bot.send_message(CUSTOMER, "Мы скучаем!")
    with pytest.raises(TelegramBadRequest, match='Unsupported start tag "3"'):
        await rig.bot.send_message(2002, "Анна <3 кофе")
    intruder = Bot("42:NOT-THE-TOKEN", session=InProcessBotApi(rig.api))
    with pytest.raises(TelegramUnauthorizedError, match="Unauthorized"):
        await intruder.get_me()
    assert [call.status for call in rig.api.calls] == [403, 400, 401]


async def test_a_long_poll_waits_for_a_pushed_update(in_process: Rig) -> None:
    waiting = asyncio.create_task(in_process.bot.get_updates(timeout=5))
    await in_process.api.wait_until(lambda: bool(in_process.api.calls_to("getUpdates")))
    assert not waiting.done()

    update_id = in_process.api.push_message("Вы открыты?")
    (update,) = await asyncio.wait_for(waiting, 2)

    assert update.update_id == update_id
    assert update.message is not None and update.message.text == "Вы открыты?"


class Recording(BaseRequestMiddleware):
    def __init__(self) -> None:
        self.methods: list[str] = []

    async def __call__(
        self,
        make_request: NextRequestMiddlewareType[TelegramType],
        bot: Bot,
        method: TelegramMethod[TelegramType],
    ) -> Response[TelegramType]:
        self.methods.append(method.__api_method__)
        return await make_request(bot, method)


async def test_session_middlewares_see_every_request(in_process: Rig) -> None:
    recording = Recording()
    in_process.bot.session.middleware(recording)

    await in_process.bot.get_me()
    in_process.api.block_chat(CUSTOMER)
    with pytest.raises(TelegramForbiddenError):
        await in_process.bot.send_message(CUSTOMER, "Hi")

    assert recording.methods == ["getMe", "sendMessage"]
