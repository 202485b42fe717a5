"""One request middleware on the bot's session that every Bot API call passes through.

Because it sits under `Bot`, a reply, a photo, a typing action, an edited keyboard and an
answered button press all share the same pacing and the same reaction to Telegram's errors,
whoever makes the call (the sender, a handler, the error router):

- pacing: one global limiter plus one per chat (a short burst, then `per_chat_per_second`);
- 429: Telegram's flood wait is the bot's, not the chat's, so EVERY request waits it out;
  a wait longer than `max_retry_after_s` is not served: that request and every other one
  made before the wait ends fail at once with the 429 (nobody keeps hitting a banned bot,
  nobody holds a customer's turn for minutes);
- network errors, 5xx and undecodable answers (an HTML error page from a proxy): retried
  with exponential backoff;
- 400, 403 and everything else Telegram refuses: raised at once, retrying can't help.

`GetUpdates` is passed straight through: aiogram's polling loop has its own backoff, and a
long poll held by a limiter or a flood pause would only delay incoming messages.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections import OrderedDict
from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING

from aiogram.client.session.middlewares.base import (
    BaseRequestMiddleware,
    NextRequestMiddlewareType,
)
from aiogram.exceptions import (
    ClientDecodeError,
    TelegramEntityTooLarge,
    TelegramNetworkError,
    TelegramRetryAfter,
    TelegramServerError,
)
from aiogram.methods import GetUpdates, TelegramMethod
from aiogram.methods.base import Response, TelegramType
from aiolimiter import AsyncLimiter

from bot.channels.telegram.limits import TelegramLimits

if TYPE_CHECKING:
    from aiogram import Bot

log = logging.getLogger(__name__)

ChatKey = int | str  # a numeric chat id or a public "@username"

BACKOFF_FIRST_S = 0.5
# How often a proactive message looks again for room in the global budget.
ROOM_POLL_S = 0.02
BACKOFF_MAX_S = 5.0


def backoff_delay(attempt: int) -> float:
    """Seconds to wait after failed attempt number `attempt` (1-based): 0.5, 1, 2, 4, 5, 5…"""
    return min(BACKOFF_FIRST_S * 2.0 ** (attempt - 1), BACKOFF_MAX_S)


def bucket(per_second: float, burst: float) -> AsyncLimiter:
    """A limiter that lets `burst` requests go at once, then `per_second` (aiolimiter counts
    `max_rate` per `time_period`, and `max_rate` is also the burst)."""
    return AsyncLimiter(burst, burst / per_second)


class PacedRequests(BaseRequestMiddleware):
    """Paces and retries every Bot API request made through the session it is registered on."""

    def __init__(
        self,
        limits: TelegramLimits | None = None,
        *,
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
        monotonic: Callable[[], float] = time.monotonic,
    ) -> None:
        self.limits = limits or TelegramLimits()
        # Injected so tests can check flood pauses and backoff without waiting for them;
        # the limiters themselves run on the event loop's clock.
        self._sleep = sleep
        self._monotonic = monotonic
        # One second's worth of requests may go at once, as Telegram counts per second.
        rate = self.limits.global_per_second
        self._global = bucket(rate, max(1.0, rate)) if self.limits.paces_globally else None
        self._chats: OrderedDict[ChatKey, AsyncLimiter] = OrderedDict()
        # Nothing is sent before this moment (our monotonic clock): Telegram's last 429.
        self._paused_until = float("-inf")

    async def make_room(self, reserve: int) -> None:
        """Wait until the global budget could take `reserve` more requests besides one: a
        proactive message goes out only while customers' replies are not short of budget
        (replies first when it is tight)."""
        limiter = self._global
        if limiter is None:
            return
        while not limiter.has_capacity(reserve + 1) or self._monotonic() < self._paused_until:
            await self._sleep(ROOM_POLL_S)

    # ------------------------------------------------------------ the middleware
    async def __call__(
        self,
        make_request: NextRequestMiddlewareType[TelegramType],
        bot: Bot,
        method: TelegramMethod[TelegramType],
    ) -> Response[TelegramType]:
        if isinstance(method, GetUpdates):
            return await make_request(bot, method)
        chat_id: ChatKey | None = getattr(method, "chat_id", None)
        name = type(method).__name__
        attempt = 0
        while True:
            attempt += 1
            await self._wait_for_turn(chat_id, method)
            try:
                return await make_request(bot, method)
            except TelegramRetryAfter as exc:
                self._on_flood(exc, name, chat_id, attempt)
            except TelegramEntityTooLarge:
                raise  # a 413 is a NetworkError in aiogram, but the same file stays too large
            except (TelegramNetworkError, TelegramServerError, ClientDecodeError) as exc:
                # Retried even for sends: a timed-out request may have reached Telegram, so in
                # rare cases the customer sees a message twice rather than never.
                if attempt >= self.limits.max_attempts:
                    raise
                delay = backoff_delay(attempt)
                log.warning(
                    "%s to chat %s failed (attempt %d/%d), retrying in %.1fs: %s",
                    name,
                    chat_id,
                    attempt,
                    self.limits.max_attempts,
                    delay,
                    exc,
                )
                await self._sleep(delay)

    # ------------------------------------------------------------ 429
    def _on_flood(
        self, exc: TelegramRetryAfter, name: str, chat_id: ChatKey | None, attempt: int
    ) -> None:
        """Pause the whole bot for `retry_after`, or re-raise when it is too long or the
        attempts are spent (the pause still applies to everyone else then)."""
        retry_after = float(exc.retry_after)
        # Everyone waits, whether or not this request will: the ban is the bot's.
        self._paused_until = max(self._paused_until, self._monotonic() + retry_after)
        if retry_after > self.limits.max_retry_after_s:
            # Not served: holding every customer's turn for minutes helps nobody.
            log.warning(
                "429 on %s to chat %s with retry_after=%ss: too long, not waiting",
                name,
                chat_id,
                exc.retry_after,
            )
            raise exc
        if attempt >= self.limits.max_attempts:
            log.warning("429 on %s to chat %s: giving up after %d attempts", name, chat_id, attempt)
            raise exc
        log.warning(
            "429 on %s to chat %s: pausing every request for %ss (attempt %d/%d)",
            name,
            chat_id,
            exc.retry_after,
            attempt,
            self.limits.max_attempts,
        )

    async def _serve_pause(self, method: TelegramMethod[TelegramType]) -> None:
        # A loop, because another request may extend the pause while we sleep.
        while (remaining := self._paused_until - self._monotonic()) > 0:
            if remaining > self.limits.max_retry_after_s:
                # A long ban: fail now, as Telegram itself would, without asking it.
                raise TelegramRetryAfter(
                    method=method,
                    message="flood wait in progress (not sent)",
                    retry_after=max(1, round(remaining)),
                )
            await self._sleep(remaining)

    def paused_for(self) -> float:
        """Seconds left of the current flood pause (0 when none)."""
        return max(0.0, self._paused_until - self._monotonic())

    # ------------------------------------------------------------ pacing
    async def _wait_for_turn(
        self, chat_id: ChatKey | None, method: TelegramMethod[TelegramType]
    ) -> None:
        """Serve any flood pause, then take a slot from the chat's and the global limiter.

        Checked again after the limiters: a 429 that arrived while we queued there would
        otherwise let everyone queued fire the moment the pause ends."""
        while True:
            await self._serve_pause(method)
            if chat_id is not None and (chat := self._chat_limiter(chat_id)) is not None:
                await chat.acquire()
            if self._global is not None:
                await self._global.acquire()
            if self.paused_for() <= 0:
                return

    def _chat_limiter(self, chat_id: ChatKey) -> AsyncLimiter | None:
        if not self.limits.paces_per_chat:
            return None
        limiter = self._chats.get(chat_id)
        if limiter is not None:
            self._chats.move_to_end(chat_id)
            return limiter
        limiter = bucket(self.limits.per_chat_per_second, self.limits.per_chat_burst)
        self._chats[chat_id] = limiter
        while len(self._chats) > self.limits.chat_memory:
            # The least recently used chat: its bucket has most likely refilled, so forgetting it
            # loses little; anyone still queued on it keeps their reference.
            self._chats.popitem(last=False)
        return limiter

    @property
    def tracked_chats(self) -> list[ChatKey]:
        """Chats that currently have a limiter, least recently used first."""
        return list(self._chats)
