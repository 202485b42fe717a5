"""Delivery against the fake Bot API over HTTP: limits, 429, 403, 400, splitting."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
from aiogram import Bot
from aiogram.client.session.aiohttp import AiohttpSession
from aiogram.client.telegram import TelegramAPIServer

from bot.channels.telegram.delivery import (
    DeliveryLimits,
    DeliveryStatus,
    TelegramDelivery,
    TokenBucket,
    split_text,
)
from tests.fakes.telegram_server import FakeTelegramServer


class FakeTime:
    """Monotonic time that only moves when someone sleeps."""

    def __init__(self) -> None:
        self.now = 0.0
        self.sleeps: list[float] = []

    def monotonic(self) -> float:
        return self.now

    async def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        self.now += seconds


@pytest.fixture
async def bot(tg: FakeTelegramServer) -> AsyncIterator[Bot]:
    session = AiohttpSession(api=TelegramAPIServer.from_base(tg.base_url))
    bot = Bot(tg.token, session=session)
    yield bot
    await session.close()


def delivery(bot: Bot, fake: FakeTime, **limits: float) -> TelegramDelivery:
    return TelegramDelivery(
        bot,
        DeliveryLimits(**limits),
        sleep=fake.sleep,
        monotonic=fake.monotonic,  # type: ignore[arg-type]
    )


async def test_sends_and_returns_the_message_id(bot: Bot, tg: FakeTelegramServer) -> None:
    result = await delivery(bot, FakeTime()).send_text(5, "Привет, <b>Анна</b>")
    assert result.status is DeliveryStatus.SENT and result.external_id
    assert tg.sent_messages(5)[0]["parse_mode"] == "HTML"


async def test_429_sleeps_retry_after_then_succeeds(bot: Bot, tg: FakeTelegramServer) -> None:
    fake = FakeTime()
    tg.fail_next(
        "sendMessage",
        error_code=429,
        description="Too Many Requests: retry after 7",
        retry_after=7,
        times=2,
    )
    result = await delivery(bot, fake).send_text(5, "hi")
    assert result.status is DeliveryStatus.SENT
    assert fake.sleeps.count(7.0) == 2
    assert len(tg.calls_to("sendMessage")) == 3


async def test_429_forever_gives_up_after_max_attempts(bot: Bot, tg: FakeTelegramServer) -> None:
    tg.fail_next(
        "sendMessage",
        error_code=429,
        description="Too Many Requests: retry after 1",
        retry_after=1,
        times=10,
    )
    result = await delivery(bot, FakeTime(), max_attempts=3).send_text(5, "hi")
    assert result.status is DeliveryStatus.FAILED and "429" in (result.error or "")
    assert len(tg.calls_to("sendMessage")) == 3


async def test_403_is_blocked_and_400_is_not_retried(bot: Bot, tg: FakeTelegramServer) -> None:
    tg.block_chat(9)
    blocked = await delivery(bot, FakeTime()).send_text(9, "hi")
    assert blocked.status is DeliveryStatus.BLOCKED
    tg.fail_next("sendMessage", error_code=400, description="Bad Request: chat not found")
    rejected = await delivery(bot, FakeTime()).send_text(10, "hi")
    assert rejected.status is DeliveryStatus.REJECTED
    assert len(tg.calls_to("sendMessage")) == 2  # one each, no retries


async def test_long_text_is_split_below_the_limit(bot: Bot, tg: FakeTelegramServer) -> None:
    text = ("Абзац про доставку и возврат. " * 60 + "\n\n") * 5
    result = await delivery(bot, FakeTime()).send_text(5, text)
    assert result.status is DeliveryStatus.SENT
    parts = [m["text"] for m in tg.sent_messages(5)]
    assert len(parts) >= 2 and all(len(p) <= 4096 for p in parts)
    assert "".join(parts).replace(" ", "").replace("\n", "") == text.replace(" ", "").replace(
        "\n", ""
    )


async def test_per_chat_limit_paces_a_burst() -> None:
    fake = FakeTime()
    bucket = TokenBucket(1.0, 3, monotonic=fake.monotonic, sleep=fake.sleep)
    for _ in range(6):
        await bucket.acquire()
    # Three go at once (the burst), the next three wait about a second each.
    assert fake.now == pytest.approx(3.0)


def test_split_text_keeps_short_text_whole() -> None:
    assert split_text("short") == ["short"]
    assert split_text("x" * 5000, limit=4096) == ["x" * 4096, "x" * 904]


async def test_long_retry_after_is_reported_not_waited(bot: Bot, tg: FakeTelegramServer) -> None:
    fake = FakeTime()
    tg.fail_next(
        "sendMessage",
        error_code=429,
        description="Too Many Requests: retry after 300",
        retry_after=300,
    )
    result = await delivery(bot, fake).send_text(5, "hi")
    assert result.status is DeliveryStatus.FAILED
    assert fake.sleeps == [] and len(tg.calls_to("sendMessage")) == 1


async def test_a_429_pauses_sends_to_other_chats_too(bot: Bot, tg: FakeTelegramServer) -> None:
    fake = FakeTime()
    sender = delivery(bot, fake)
    tg.fail_next(
        "sendMessage", error_code=429, description="Too Many Requests: retry after 5", retry_after=5
    )
    assert (await sender.send_text(5, "one")).status is DeliveryStatus.SENT
    paused_at = fake.now
    assert (await sender.send_text(6, "two")).status is DeliveryStatus.SENT
    assert paused_at >= 5.0 and fake.now == paused_at  # the pause was already served


async def test_other_telegram_errors_are_rejected_not_raised(
    bot: Bot, tg: FakeTelegramServer
) -> None:
    tg.fail_next("sendMessage", error_code=404, description="Not Found")
    result = await delivery(bot, FakeTime()).send_text(5, "hi")
    assert result.status is DeliveryStatus.REJECTED


def test_split_text_prefers_paragraphs_and_keeps_entities_whole() -> None:
    text = "a" * 3000 + "\n\n" + "b " * 400 + "&amp;" + "c" * 2000
    parts = split_text(text, limit=4096)
    assert parts[0] == "a" * 3000
    assert all(p.count("&amp;") == text.count("&amp;") or "&amp" not in p for p in parts)
    entity_cut = split_text("x" * 4093 + "&amp;tail", limit=4096)
    assert entity_cut[0] == "x" * 4093 and entity_cut[1].startswith("&amp;")
