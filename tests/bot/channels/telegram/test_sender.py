"""`TelegramSender` against the fake Bot API over HTTP: what the core hears back.

The bot under it carries the real pacing middleware (unlimited pacing, fake clock), so these
tests see the whole path: retries below, channel-neutral results here.
"""

from __future__ import annotations

import logging
from dataclasses import replace

import pytest

from bot.channels.sender import Sender, SendStatus
from bot.channels.telegram.limits import TelegramLimits
from bot.channels.telegram.sender import TelegramSender, chat_id_of
from tests.bot.channels.telegram.conftest import MakeRig, Rig
from tests.fakes.telegram_server import FakeTelegramServer

CHAT = 5


def sender_of(rig: Rig) -> TelegramSender:
    return TelegramSender(rig.bot)


def unpaced(*, max_attempts: int) -> TelegramLimits:
    return replace(TelegramLimits.unlimited(), max_attempts=max_attempts)


def flood(tg: FakeTelegramServer, retry_after: int, times: int = 1) -> None:
    tg.fail_next(
        "sendMessage",
        error_code=429,
        description=f"Too Many Requests: retry after {retry_after}",
        retry_after=retry_after,
        times=times,
    )


def test_it_is_a_sender(rig: Rig) -> None:
    sender: Sender = sender_of(rig)
    assert sender.channel == "telegram"


async def test_sends_html_and_returns_the_message_id(rig: Rig, tg: FakeTelegramServer) -> None:
    result = await sender_of(rig).send_text(str(CHAT), "Привет, <b>Анна</b>")
    assert result.sent and result.status is SendStatus.SENT
    assert result.external_id == f"{tg.bot_id}:1"
    assert tg.sent_messages(CHAT)[0]["parse_mode"] == "HTML"


async def test_a_group_chat_address_is_negative(rig: Rig, tg: FakeTelegramServer) -> None:
    assert (await sender_of(rig).send_text("-1001234567890", "hi")).sent
    assert tg.sent_messages(-1001234567890)


@pytest.mark.parametrize("address", ["", "abc", "@barista", "12a", "1.5"])
async def test_an_address_that_is_not_a_chat_id_is_rejected_without_a_call(
    rig: Rig, tg: FakeTelegramServer, address: str
) -> None:
    result = await sender_of(rig).send_text(address, "hi")
    assert result.status is SendStatus.REJECTED and "chat id" in (result.error or "")
    assert tg.calls == []


def test_chat_id_of() -> None:
    assert [chat_id_of(a) for a in ("5", " 42 ", "-100123", "x5")] == [5, 42, -100123, None]


async def test_empty_text_is_rejected_without_a_call(rig: Rig, tg: FakeTelegramServer) -> None:
    result = await sender_of(rig).send_text(str(CHAT), " \n ")
    assert result.status is SendStatus.REJECTED and tg.calls == []


async def test_429_waits_retry_after_then_succeeds(rig: Rig, tg: FakeTelegramServer) -> None:
    flood(tg, retry_after=7, times=2)
    result = await sender_of(rig).send_text(str(CHAT), "hi")
    assert result.status is SendStatus.SENT
    assert rig.time.sleeps == [7.0, 7.0]
    assert len(tg.calls_to("sendMessage")) == 3


async def test_429_forever_gives_up_after_max_attempts(
    make_rig: MakeRig, tg: FakeTelegramServer
) -> None:
    rig = make_rig(unpaced(max_attempts=3))
    flood(tg, retry_after=1, times=10)
    result = await sender_of(rig).send_text(str(CHAT), "hi")
    assert result.status is SendStatus.FAILED and "429" in (result.error or "")
    assert result.retry_after_s == 1.0
    assert len(tg.calls_to("sendMessage")) == 3


async def test_a_long_retry_after_is_reported_not_waited(rig: Rig, tg: FakeTelegramServer) -> None:
    flood(tg, retry_after=300)
    result = await sender_of(rig).send_text(str(CHAT), "hi")
    assert result.status is SendStatus.FAILED and result.retry_after_s == 300.0
    assert rig.time.sleeps == [] and len(tg.calls_to("sendMessage")) == 1


async def test_a_429_pauses_sends_to_other_chats_too(
    make_rig: MakeRig, tg: FakeTelegramServer
) -> None:
    rig = make_rig(unpaced(max_attempts=1))
    sender = sender_of(rig)
    flood(tg, retry_after=5)
    assert (await sender.send_text(str(CHAT), "one")).status is SendStatus.FAILED
    assert rig.time.sleeps == []
    assert (await sender.send_text("6", "two")).status is SendStatus.SENT
    assert rig.time.sleeps == [5.0]  # the other chat waited out the bot's flood pause


async def test_403_is_blocked_and_400_is_not_retried(rig: Rig, tg: FakeTelegramServer) -> None:
    sender = sender_of(rig)
    tg.block_chat(9)
    blocked = await sender.send_text("9", "hi")
    assert blocked.status is SendStatus.BLOCKED and "blocked" in (blocked.error or "")
    tg.fail_next("sendMessage", error_code=400, description="Bad Request: chat not found")
    rejected = await sender.send_text("10", "hi")
    assert rejected.status is SendStatus.REJECTED and "chat not found" in (rejected.error or "")
    assert len(tg.calls_to("sendMessage")) == 2  # one each, no retries
    assert rig.time.sleeps == []


@pytest.mark.parametrize(
    ("code", "description"),
    [(404, "Not Found"), (401, "Unauthorized"), (413, "Request Entity Too Large")],
)
async def test_other_telegram_errors_are_rejected_not_raised(
    rig: Rig, tg: FakeTelegramServer, code: int, description: str
) -> None:
    tg.fail_next("sendMessage", error_code=code, description=description)
    result = await sender_of(rig).send_text(str(CHAT), "hi")
    assert result.status is SendStatus.REJECTED and result.error == description
    assert len(tg.calls_to("sendMessage")) == 1


async def test_unescaped_html_is_rejected(rig: Rig, tg: FakeTelegramServer) -> None:
    result = await sender_of(rig).send_text(str(CHAT), "Анна <3 кофе")
    assert result.status is SendStatus.REJECTED and "start tag" in (result.error or "")


async def test_server_errors_exhausted_fail(rig: Rig, tg: FakeTelegramServer) -> None:
    tg.fail_next("sendMessage", error_code=500, description="Internal Server Error", times=5)
    result = await sender_of(rig).send_text(str(CHAT), "hi")
    assert result.status is SendStatus.FAILED and result.retry_after_s is None
    assert len(tg.calls_to("sendMessage")) == 3 and rig.time.sleeps == [0.5, 1.0]


async def test_network_errors_exhausted_fail(make_rig: MakeRig, dead_url: str) -> None:
    rig = make_rig(base_url=dead_url)
    result = await sender_of(rig).send_text(str(CHAT), "hi")
    assert result.status is SendStatus.FAILED and result.error


async def test_long_text_is_split_below_the_limit(rig: Rig, tg: FakeTelegramServer) -> None:
    text = ("Абзац про доставку и возврат. " * 60 + "\n\n") * 5
    result = await sender_of(rig).send_text(str(CHAT), text)
    assert result.status is SendStatus.SENT
    parts = [m["text"] for m in tg.sent_messages(CHAT)]
    assert len(parts) >= 2 and all(len(p) <= 4096 for p in parts)
    assert "".join(parts).replace(" ", "").replace("\n", "") == text.replace(" ", "").replace(
        "\n", ""
    )
    assert result.external_id == f"{tg.bot_id}:{len(parts)}"  # the last part's


async def test_a_failed_part_stops_the_rest(rig: Rig, tg: FakeTelegramServer) -> None:
    text = "a" * 3000 + "\n\n" + "Анна <3 кофе. " * 100 + "\n\n" + "b" * 3000
    result = await sender_of(rig).send_text(str(CHAT), text)
    assert result.status is SendStatus.REJECTED
    assert [m["text"] for m in tg.sent_messages(CHAT)] == ["a" * 3000]
    assert len(tg.calls_to("sendMessage")) == 2


async def test_show_typing_sends_the_typing_action(rig: Rig, tg: FakeTelegramServer) -> None:
    await sender_of(rig).show_typing(str(CHAT))
    [call] = tg.calls_to("sendChatAction")
    assert call.ok and call.params["action"] == "typing" and call.params["chat_id"] == CHAT


async def test_show_typing_swallows_and_logs_errors(
    rig: Rig, tg: FakeTelegramServer, caplog: pytest.LogCaptureFixture
) -> None:
    sender = sender_of(rig)
    tg.block_chat(CHAT)
    with caplog.at_level(logging.INFO, logger="bot.channels.telegram.sender"):
        await sender.show_typing(str(CHAT))
        await sender.show_typing("not-a-chat")
    assert len(tg.calls_to("sendChatAction")) == 1
    assert "blocked" in caplog.text and "not-a-chat" in caplog.text


async def test_show_typing_survives_exhausted_retries(rig: Rig, tg: FakeTelegramServer) -> None:
    tg.fail_next("sendChatAction", error_code=503, description="Service Unavailable", times=5)
    await sender_of(rig).show_typing(str(CHAT))
    assert len(tg.calls_to("sendChatAction")) == 3
