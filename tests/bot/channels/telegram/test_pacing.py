"""The session middleware against the fake Bot API over HTTP: pacing, 429 pauses, retries.

Every test drives aiogram's real `Bot` and `AiohttpSession`, so the exceptions are the ones
aiogram raises for Telegram's real answers. Flood pauses and backoff run on a fake clock;
the limiters run on the event loop's, with short real timings.
"""

from __future__ import annotations

import time
from collections.abc import Awaitable, Callable
from dataclasses import replace

import pytest
from aiogram import Bot
from aiogram.client.session.aiohttp import AiohttpSession
from aiogram.client.telegram import TelegramAPIServer
from aiogram.enums import ChatAction
from aiogram.exceptions import (
    TelegramAPIError,
    TelegramBadRequest,
    TelegramEntityTooLarge,
    TelegramForbiddenError,
    TelegramNetworkError,
    TelegramNotFound,
    TelegramRetryAfter,
    TelegramServerError,
    TelegramUnauthorizedError,
)
from aiogram.types import BufferedInputFile

from bot.channels.telegram.factory import build_telegram_bot
from bot.channels.telegram.limits import TelegramLimits
from bot.channels.telegram.pacing import PacedRequests, backoff_delay
from tests.bot.channels.telegram.conftest import MakeRig, Rig
from tests.fakes.telegram_server import FakeTelegramServer, tiny_png

CHAT = 5
OTHER = 6
NO_PACING = TelegramLimits.unlimited()


def flood(tg: FakeTelegramServer, method: str, retry_after: int, times: int = 1) -> None:
    tg.fail_next(
        method,
        error_code=429,
        description=f"Too Many Requests: retry after {retry_after}",
        retry_after=retry_after,
        times=times,
    )


def limits(*, max_attempts: int) -> TelegramLimits:
    """No pacing (the fake clock can't drive aiolimiter), with this retry budget."""
    return replace(NO_PACING, max_attempts=max_attempts)


# ------------------------------------------------------------------ every method the same way
Call = Callable[[Bot], Awaitable[object]]


async def prepare(tg: FakeTelegramServer, bot: Bot) -> dict[str, Call]:
    """One call per Bot API method the bot uses, each ready to succeed against the fake."""
    sent = await bot.send_message(CHAT, "Латте?")
    tg.push_callback_query("drink:latte", message_id=sent.message_id, user_id=CHAT)
    query = tg.pending_updates[-1]["callback_query"]["id"]
    png = BufferedInputFile(tiny_png(), filename="menu.png")
    doc = BufferedInputFile(b"price list", filename="prices.txt")
    return {
        "sendMessage": lambda b: b.send_message(OTHER, "Капучино?"),
        "sendPhoto": lambda b: b.send_photo(OTHER, png),
        "sendDocument": lambda b: b.send_document(OTHER, doc),
        "sendChatAction": lambda b: b.send_chat_action(OTHER, ChatAction.TYPING),
        "editMessageText": lambda b: b.edit_message_text(
            "Латте — 200 ₽", chat_id=CHAT, message_id=sent.message_id
        ),
        "answerCallbackQuery": lambda b: b.answer_callback_query(query, text="Готово"),
    }


METHODS = [
    "sendMessage",
    "sendPhoto",
    "sendDocument",
    "sendChatAction",
    "editMessageText",
    "answerCallbackQuery",
]


@pytest.mark.parametrize("method", METHODS)
async def test_a_429_on_any_method_waits_retry_after_then_retries(
    make_rig: MakeRig, tg: FakeTelegramServer, method: str
) -> None:
    rig = make_rig()
    calls = await prepare(tg, rig.bot)
    before = len(tg.calls_to(method))
    flood(tg, method, retry_after=2)
    await calls[method](rig.bot)
    assert rig.time.sleeps == [2.0]
    assert len(tg.calls_to(method)) - before == 2 and tg.calls_to(method)[-1].ok


@pytest.mark.parametrize("method", METHODS)
async def test_a_429_pauses_every_method_and_chat(
    make_rig: MakeRig, tg: FakeTelegramServer, method: str
) -> None:
    rig = make_rig(limits(max_attempts=1))
    calls = await prepare(tg, rig.bot)
    flood(tg, "sendMessage", retry_after=5)
    with pytest.raises(TelegramRetryAfter):
        await rig.bot.send_message(CHAT, "the one that hit the limit")
    assert rig.time.sleeps == [] and rig.pacing.paused_for() == 5.0
    await calls[method](rig.bot)  # another chat or no chat at all: it waits all the same
    assert rig.time.sleeps == [5.0] and tg.calls[-1].ok


async def test_429_waits_retry_after_each_time_then_succeeds(
    rig: Rig, tg: FakeTelegramServer
) -> None:
    flood(tg, "sendMessage", retry_after=7, times=2)
    message = await rig.bot.send_message(CHAT, "hi")
    assert message.text == "hi"
    assert rig.time.sleeps == [7.0, 7.0]
    assert len(tg.calls_to("sendMessage")) == 3


async def test_429_forever_gives_up_after_max_attempts(
    make_rig: MakeRig, tg: FakeTelegramServer
) -> None:
    rig = make_rig(limits(max_attempts=3))
    flood(tg, "sendMessage", retry_after=1, times=10)
    with pytest.raises(TelegramRetryAfter) as raised:
        await rig.bot.send_message(CHAT, "hi")
    assert raised.value.retry_after == 1
    assert len(tg.calls_to("sendMessage")) == 3
    assert rig.time.sleeps == [1.0, 1.0]
    assert rig.pacing.paused_for() == 1.0  # the last 429 still holds for everyone else


async def test_a_long_retry_after_is_raised_not_waited(rig: Rig, tg: FakeTelegramServer) -> None:
    flood(tg, "sendMessage", retry_after=300)
    with pytest.raises(TelegramRetryAfter):
        await rig.bot.send_message(CHAT, "hi")
    assert rig.time.sleeps == [] and len(tg.calls_to("sendMessage")) == 1
    # The ban is the bot's: nobody else asks Telegram until it ends, and nobody is held for
    # five minutes either: they fail at once with the same 429.
    assert rig.pacing.paused_for() == 300
    with pytest.raises(TelegramRetryAfter) as other:
        await rig.bot.send_message(CHAT + 1, "other chat")
    assert other.value.retry_after == 300
    assert len(tg.calls_to("sendMessage")) == 1 and rig.time.sleeps == []
    rig.time.now += 301  # the ban is over: requests flow again
    await rig.bot.send_message(CHAT + 1, "later")
    assert len(tg.calls_to("sendMessage")) == 2


async def test_an_unreadable_answer_is_retried_then_reported(rig: Rig) -> None:
    """An HTML error page from a proxy instead of Telegram's JSON: retried like a 5xx; the
    sender reports a failure instead of raising."""
    from aiogram.exceptions import ClientDecodeError

    from bot.channels.sender import SendStatus
    from bot.channels.telegram.sender import TelegramSender

    calls = 0
    original = rig.bot.session.make_request

    async def html_page(*args: object, **kwargs: object) -> object:
        nonlocal calls
        calls += 1
        raise ClientDecodeError("Failed to deserialize object", ValueError("<html>"), "<html>")

    rig.bot.session.make_request = html_page  # type: ignore[method-assign]
    try:
        result = await TelegramSender(rig.bot).send_text(str(CHAT), "hi")
    finally:
        rig.bot.session.make_request = original  # type: ignore[method-assign]
    assert result.status is SendStatus.FAILED and "unreadable" in (result.error or "")
    assert calls == rig.pacing.limits.max_attempts


@pytest.mark.parametrize(
    ("code", "description", "error"),
    [
        (400, "Bad Request: chat not found", TelegramBadRequest),
        (403, "Forbidden: bot was blocked by the user", TelegramForbiddenError),
        (404, "Not Found", TelegramNotFound),
        (409, "Conflict: something", TelegramAPIError),
        (401, "Unauthorized", TelegramUnauthorizedError),
        (413, "Request Entity Too Large", TelegramEntityTooLarge),  # a NetworkError in aiogram
    ],
)
async def test_refusals_are_raised_at_once(
    rig: Rig, tg: FakeTelegramServer, code: int, description: str, error: type[Exception]
) -> None:
    tg.fail_next("sendMessage", error_code=code, description=description)
    with pytest.raises(error):
        await rig.bot.send_message(CHAT, "hi")
    assert len(tg.calls_to("sendMessage")) == 1 and rig.time.sleeps == []


async def test_a_blocked_chat_is_not_retried(rig: Rig, tg: FakeTelegramServer) -> None:
    tg.block_chat(CHAT)
    with pytest.raises(TelegramForbiddenError):
        await rig.bot.send_chat_action(CHAT, ChatAction.TYPING)
    assert len(tg.calls_to("sendChatAction")) == 1


async def test_5xx_is_retried_with_backoff(rig: Rig, tg: FakeTelegramServer) -> None:
    tg.fail_next("sendMessage", error_code=502, description="Bad Gateway", times=2)
    assert (await rig.bot.send_message(CHAT, "hi")).text == "hi"
    assert rig.time.sleeps == [0.5, 1.0]
    assert len(tg.calls_to("sendMessage")) == 3


async def test_5xx_exhausted_is_raised(make_rig: MakeRig, tg: FakeTelegramServer) -> None:
    rig = make_rig(limits(max_attempts=4))
    tg.fail_next("sendMessage", error_code=500, description="Internal Server Error", times=9)
    with pytest.raises(TelegramServerError):
        await rig.bot.send_message(CHAT, "hi")
    assert rig.time.sleeps == [0.5, 1.0, 2.0]
    assert len(tg.calls_to("sendMessage")) == 4


async def test_network_errors_are_retried_then_raised(make_rig: MakeRig, dead_url: str) -> None:
    rig = make_rig(base_url=dead_url)
    with pytest.raises(TelegramNetworkError):
        await rig.bot.send_message(CHAT, "hi")
    assert rig.time.sleeps == [0.5, 1.0]


def test_backoff_doubles_and_is_capped() -> None:
    assert [backoff_delay(n) for n in range(1, 7)] == [0.5, 1.0, 2.0, 4.0, 5.0, 5.0]


# ------------------------------------------------------------------ long polling
async def test_get_updates_is_neither_paced_nor_paused(
    make_rig: MakeRig, tg: FakeTelegramServer
) -> None:
    rig = make_rig(limits(max_attempts=1))
    flood(tg, "sendMessage", retry_after=30)
    with pytest.raises(TelegramRetryAfter):
        await rig.bot.send_message(CHAT, "hi")
    assert rig.pacing.paused_for() == 30.0
    await rig.bot.get_updates(timeout=0)
    assert rig.time.sleeps == []  # incoming messages are not held up by our own flood wait


async def test_get_updates_is_not_retried(rig: Rig, tg: FakeTelegramServer) -> None:
    tg.fail_next("getUpdates", error_code=502, description="Bad Gateway")
    with pytest.raises(TelegramServerError):
        await rig.bot.get_updates(timeout=0)
    assert len(tg.calls_to("getUpdates")) == 1 and rig.time.sleeps == []


async def test_get_updates_skips_the_global_limiter(make_rig: MakeRig) -> None:
    rig = make_rig(TelegramLimits(global_per_second=1), real_time=True)
    started = time.monotonic()
    for _ in range(5):
        await rig.bot.get_updates(timeout=0)
    assert time.monotonic() - started < 1.5  # paced, these would take 4 s


# ------------------------------------------------------------------ pacing (real time)
async def test_a_burst_to_one_chat_is_paced_whatever_the_method(
    make_rig: MakeRig, tg: FakeTelegramServer
) -> None:
    rig = make_rig(
        TelegramLimits(global_per_second=1000, per_chat_per_second=20, per_chat_burst=3),
        real_time=True,
    )
    bot = rig.bot
    started = time.monotonic()
    first = await bot.send_message(CHAT, "one")
    await bot.send_chat_action(CHAT, ChatAction.TYPING)
    await bot.send_photo(CHAT, BufferedInputFile(tiny_png(), filename="menu.png"))
    await bot.send_document(CHAT, BufferedInputFile(b"prices", filename="prices.txt"))
    await bot.edit_message_text("one, edited", chat_id=CHAT, message_id=first.message_id)
    await bot.send_message(CHAT, "six")
    # Three go at once (the burst), the next three wait 50 ms each.
    assert time.monotonic() - started >= 0.13


async def test_different_chats_do_not_wait_for_each_other(make_rig: MakeRig) -> None:
    rig = make_rig(
        TelegramLimits(global_per_second=1000, per_chat_per_second=2, per_chat_burst=1),
        real_time=True,
    )
    started = time.monotonic()
    for chat in range(1, 7):
        await rig.bot.send_message(chat, "hi")
    assert time.monotonic() - started < 1.0  # one chat alone would take 2.5 s


async def test_the_global_limiter_paces_calls_without_a_chat(
    make_rig: MakeRig, tg: FakeTelegramServer
) -> None:
    rig = make_rig(TelegramLimits(global_per_second=20), real_time=True)
    sent = await rig.bot.send_message(CHAT, "Латте?")
    queries = []
    for _ in range(25):
        tg.push_callback_query("drink:latte", message_id=sent.message_id, user_id=CHAT)
        queries.append(tg.pending_updates[-1]["callback_query"]["id"])
    started = time.monotonic()
    for query in queries:
        await rig.bot.answer_callback_query(query)
    # 20 were left in the one-second bucket after the first message; 5 more at 20/s.
    assert time.monotonic() - started >= 0.2
    assert rig.pacing.tracked_chats == [CHAT]  # answers have no chat to pace


async def test_unlimited_does_not_pace(make_rig: MakeRig) -> None:
    rig = make_rig(TelegramLimits.unlimited(), real_time=True)
    started = time.monotonic()
    for _ in range(20):
        await rig.bot.send_message(CHAT, "hi")
    assert time.monotonic() - started < 2.0  # paced by default, these would take 17 s
    assert rig.pacing.tracked_chats == []


async def test_the_per_chat_memory_is_a_bounded_lru(make_rig: MakeRig) -> None:
    rig = make_rig(TelegramLimits(chat_memory=3), real_time=True)
    for chat in (1, 2, 3, 4, 5):
        await rig.bot.send_chat_action(chat, ChatAction.TYPING)
    assert rig.pacing.tracked_chats == [3, 4, 5]
    await rig.bot.send_chat_action(3, ChatAction.TYPING)  # used again: now the most recent
    await rig.bot.send_chat_action(6, ChatAction.TYPING)
    assert rig.pacing.tracked_chats == [5, 3, 6]


def test_limits_reject_nonsense() -> None:
    with pytest.raises(ValueError):
        TelegramLimits(per_chat_per_second=0)
    with pytest.raises(ValueError):
        TelegramLimits(max_attempts=0)


def test_the_defaults_are_telegrams() -> None:
    limits = TelegramLimits()
    assert (limits.global_per_second, limits.per_chat_per_second, limits.per_chat_burst) == (
        30,
        1,
        3,
    )
    assert (limits.max_attempts, limits.max_retry_after_s, limits.chat_memory) == (3, 30, 10_000)


# ------------------------------------------------------------------ the factory
async def test_the_factory_registers_pacing_and_html(tg: FakeTelegramServer) -> None:
    bot = build_telegram_bot(tg.token, api_url=tg.base_url, limits=TelegramLimits(max_attempts=5))
    try:
        [pacing] = [m for m in bot.session.middleware if isinstance(m, PacedRequests)]
        assert pacing.limits.max_attempts == 5
        await bot.send_message(CHAT, "<b>Латте</b>")
        assert tg.sent_messages(CHAT)[0]["parse_mode"] == "HTML"
        assert pacing.tracked_chats == [CHAT]
    finally:
        await bot.session.close()


async def test_the_factory_paces_a_given_session(tg: FakeTelegramServer) -> None:
    session = AiohttpSession(api=TelegramAPIServer.from_base(tg.base_url))
    bot = build_telegram_bot(tg.token, session=session, limits=None)
    try:
        assert bot.session is session
        assert [type(m) for m in session.middleware] == [PacedRequests]
        assert bot.id == tg.bot_id
    finally:
        await session.close()
