"""The one path every outgoing Telegram message takes.

It keeps to Telegram's limits (about 30 messages/s overall, about 1/s per chat with short
bursts allowed), sleeps `retry_after` on 429, reports a 403 as "blocked" so the caller can
mark the customer, never retries a 400, and retries network errors a few times.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from enum import StrEnum

from aiogram import Bot
from aiogram.enums import ParseMode
from aiogram.exceptions import (
    TelegramAPIError,
    TelegramForbiddenError,
    TelegramNetworkError,
    TelegramRetryAfter,
    TelegramServerError,
)

log = logging.getLogger(__name__)

TELEGRAM_TEXT_LIMIT = 4096


class DeliveryStatus(StrEnum):
    SENT = "sent"
    BLOCKED = "blocked"  # 403: the customer blocked the bot or deleted the account
    REJECTED = "rejected"  # 400: our request is wrong; retrying can't help
    FAILED = "failed"  # retries exhausted (429 storms, network, 5xx)


@dataclass(frozen=True, slots=True)
class DeliveryResult:
    status: DeliveryStatus
    external_id: str | None = None
    error: str | None = None


@dataclass(frozen=True, slots=True)
class DeliveryLimits:
    global_per_second: float = 30.0
    per_chat_per_second: float = 1.0
    per_chat_burst: int = 3  # a reply right after a message should not wait a full second
    max_attempts: int = 3
    max_retry_after_s: float = 30.0

    @classmethod
    def unlimited(cls) -> DeliveryLimits:
        """No pacing: for a console or a fake API that is not Telegram (shell, tests,
        benchmarks); Telegram's errors are still handled the same way."""
        return cls(global_per_second=1e9, per_chat_per_second=1e9, per_chat_burst=10**9)


class TokenBucket:
    """A classic token bucket on an injected monotonic clock and sleep (testable)."""

    def __init__(
        self,
        rate: float,
        capacity: float,
        *,
        monotonic: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
    ) -> None:
        self.rate = rate
        self.capacity = capacity
        self._tokens = capacity
        self._updated = monotonic()
        self._monotonic = monotonic
        self._sleep = sleep
        self._lock = asyncio.Lock()

    async def acquire(self) -> None:
        async with self._lock:
            while True:
                now = self._monotonic()
                self._tokens = min(self.capacity, self._tokens + (now - self._updated) * self.rate)
                self._updated = now
                if self._tokens >= 1:
                    self._tokens -= 1
                    return
                await self._sleep((1 - self._tokens) / self.rate)

    def idle(self) -> bool:
        now = self._monotonic()
        return self._tokens + (now - self._updated) * self.rate >= self.capacity


class TelegramDelivery:
    """Sends text with limits and Telegram's error semantics; returns what happened."""

    def __init__(
        self,
        bot: Bot,
        limits: DeliveryLimits | None = None,
        *,
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
        monotonic: Callable[[], float] = time.monotonic,
    ) -> None:
        self.bot = bot
        self.limits = limits or DeliveryLimits()
        self._sleep = sleep
        self._monotonic = monotonic
        self._global = TokenBucket(
            self.limits.global_per_second,
            self.limits.global_per_second,
            monotonic=monotonic,
            sleep=sleep,
        )
        self._chats: dict[int, TokenBucket] = {}
        # Telegram's 429 applies to the bot as a whole: nothing is sent before this moment.
        self._paused_until = 0.0

    def _chat_bucket(self, chat_id: int) -> TokenBucket:
        bucket = self._chats.get(chat_id)
        if bucket is None:
            if len(self._chats) > 10_000:
                # Forget chats whose bucket has refilled: they would start full anyway.
                self._chats = {k: b for k, b in self._chats.items() if not b.idle()}
            bucket = TokenBucket(
                self.limits.per_chat_per_second,
                self.limits.per_chat_burst,
                monotonic=self._monotonic,
                sleep=self._sleep,
            )
            self._chats[chat_id] = bucket
        return bucket

    async def send_text(self, chat_id: int, text: str) -> DeliveryResult:
        """Send `text` (split at the 4096-character limit); the id is the last part's."""
        parts = split_text(text) or [" "]
        result = DeliveryResult(DeliveryStatus.SENT)
        for part in parts:
            result = await self._send_one(chat_id, part)
            if result.status is not DeliveryStatus.SENT:
                return result
        return result

    async def _wait_for_flood_pause(self) -> None:
        remaining = self._paused_until - self._monotonic()
        if remaining > 0:
            await self._sleep(remaining)

    async def _send_one(self, chat_id: int, text: str) -> DeliveryResult:
        last_error = ""
        for attempt in range(1, self.limits.max_attempts + 1):
            await self._chat_bucket(chat_id).acquire()
            await self._global.acquire()
            await self._wait_for_flood_pause()
            try:
                message = await self.bot.send_message(chat_id, text, parse_mode=ParseMode.HTML)
            except TelegramRetryAfter as exc:
                last_error = f"429 retry_after={exc.retry_after}"
                if exc.retry_after > self.limits.max_retry_after_s:
                    # Holding a customer's turn that long helps nobody: report it instead.
                    log.warning(
                        "429 for chat %s with retry_after=%s: giving up", chat_id, exc.retry_after
                    )
                    return DeliveryResult(DeliveryStatus.FAILED, error=last_error)
                # A flood limit is the bot's, not the chat's: every send waits it out.
                self._paused_until = max(
                    self._paused_until, self._monotonic() + float(exc.retry_after)
                )
                log.warning(
                    "429 for chat %s: pausing %ss (attempt %d)", chat_id, exc.retry_after, attempt
                )
            except TelegramForbiddenError as exc:
                log.info("403 for chat %s: %s", chat_id, exc.message)
                return DeliveryResult(DeliveryStatus.BLOCKED, error=exc.message)
            except (TelegramNetworkError, TelegramServerError) as exc:
                # Retried: a timed-out request may have reached Telegram, so in rare cases
                # the customer sees the message twice rather than never.
                last_error = str(exc)
                log.warning("send to chat %s failed (attempt %d): %s", chat_id, attempt, exc)
                if attempt < self.limits.max_attempts:
                    await self._sleep(min(2.0**attempt * 0.25, 5.0))
            except TelegramAPIError as exc:
                # 400 and everything else Telegram refuses (404, 401, 413…): never retried.
                log.error("send to chat %s refused, not retried: %s", chat_id, exc.message)
                return DeliveryResult(DeliveryStatus.REJECTED, error=exc.message)
            else:
                # Keyed like incoming messages: Telegram's ids are per bot and chat.
                return DeliveryResult(
                    DeliveryStatus.SENT, external_id=f"{self.bot.id}:{message.message_id}"
                )
        return DeliveryResult(DeliveryStatus.FAILED, error=last_error)


def _safe_cut(window: str, cut: int) -> int:
    """Move a cut back out of an HTML tag or entity (`<b …>`, `&amp;`)."""
    for opener, closer in (("<", ">"), ("&", ";")):
        start = window.rfind(opener, 0, cut)
        if start != -1 and window.find(closer, start, cut) == -1 and start > 0:
            cut = start
    return cut


def split_text(text: str, limit: int = TELEGRAM_TEXT_LIMIT) -> list[str]:
    """Split at paragraph, then line, then word boundaries so no part exceeds `limit`."""
    parts: list[str] = []
    rest = text
    while len(rest) > limit:
        window = rest[:limit]
        # Prefer a paragraph break, then a line break, then a space, in the second half.
        cut = next(
            (
                found
                for separator in ("\n\n", "\n", " ")
                if (found := window.rfind(separator)) >= limit // 2
            ),
            limit,
        )
        cut = _safe_cut(window, cut)
        parts.append(rest[:cut].rstrip())
        rest = rest[cut:].lstrip()
    if rest.strip():
        parts.append(rest)
    return parts
