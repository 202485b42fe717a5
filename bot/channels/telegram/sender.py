"""Telegram's side of the `Sender` protocol: text to a chat, typing, channel-neutral results;
and of `StaffChat`: posts in the operator group (replies, forum topics).

Pacing and retries happen below, in the session's `PacedRequests` middleware; by the time an
exception reaches this module Telegram's answer is final, so it is only translated.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Awaitable, Callable

from aiogram import Bot
from aiogram.enums import ChatAction, ParseMode
from aiogram.exceptions import (
    ClientDecodeError,
    TelegramAPIError,
    TelegramEntityTooLarge,
    TelegramForbiddenError,
    TelegramNetworkError,
    TelegramRetryAfter,
    TelegramServerError,
)
from aiogram.types import (
    BufferedInputFile,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    KeyboardButton,
    Message,
    ReplyKeyboardMarkup,
    ReplyKeyboardRemove,
    ReplyParameters,
)
from aiolimiter import AsyncLimiter

from bot.channels.sender import Markup, Posted, SendResult, SendStatus
from bot.channels.telegram.pacing import PacedRequests
from bot.channels.telegram.split import split_text

log = logging.getLogger(__name__)

# The share of CHECKIN_RATE_PER_S actually paced to (see `TelegramSender.__init__`).
PACE_MARGIN = 0.95

_CHAT_ID = re.compile(r"-?\d+")  # private chats are positive, groups and channels negative
MAX_TOPIC_NAME = 128  # Telegram's limit for a forum topic's name


ReplyMarkup = ReplyKeyboardMarkup | ReplyKeyboardRemove | InlineKeyboardMarkup


def reply_markup(markup: Markup | None) -> ReplyMarkup | None:
    """Telegram's drawing of channel-neutral buttons: a one-button reply keyboard that
    shares the customer's own contact, or the removal of such a keyboard."""
    if markup is None:
        return None
    if markup.buttons:
        row = [
            InlineKeyboardButton(text=label, callback_data=data) for label, data in markup.buttons
        ]
        return InlineKeyboardMarkup(inline_keyboard=[row])
    if markup.share_phone:
        return ReplyKeyboardMarkup(
            keyboard=[[KeyboardButton(text=markup.share_phone, request_contact=True)]],
            resize_keyboard=True,
            one_time_keyboard=True,
        )
    if markup.remove:
        return ReplyKeyboardRemove()
    return None


def chat_id_of(address: str) -> int | None:
    """The Telegram chat id stored as a customer's address, or None if it isn't one."""
    return int(address) if _CHAT_ID.fullmatch(address.strip()) else None


class TelegramSender:
    """Sends HTML text to Telegram chats; never raises for Telegram's refusals."""

    channel = "telegram"

    def __init__(
        self, bot: Bot, *, proactive_per_second: float = 25.0, reserve_for_replies: int = 5
    ) -> None:
        self.bot = bot
        # Proactive messages (check-ins) have their own budget, one at a time at an even
        # pace (so no one-second window holds more than the budget), and go only while the
        # global budget keeps `reserve_for_replies` for customers' replies.
        # Paced a little under the budget: a limiter's start and the clock's seconds are not
        # aligned, and two processes' sends interleave, so an exact pace can put one message
        # too many into some one-second window.
        self._proactive = AsyncLimiter(1, 1 / (proactive_per_second * PACE_MARGIN))
        self.reserve_for_replies = reserve_for_replies
        self._pacing = next(
            (m for m in bot.session.middleware if isinstance(m, PacedRequests)),
            None,
        )

    async def send_proactive(
        self, address: str, text: str, *, markup: Markup | None = None
    ) -> SendResult:
        """A message the bot starts (a check-in): paced by its own budget, after the
        customers' replies."""
        if self._pacing is not None:
            await self._pacing.make_room(self.reserve_for_replies)
        async with self._proactive:
            return await self.send_text(address, text, markup=markup)

    async def send_text(
        self, address: str, text: str, *, markup: Markup | None = None
    ) -> SendResult:
        """Send `text` (split at the 4096-character limit); the id is the last part's.

        Parts are sent in order and the first failure stops the rest, so the customer never
        gets a reply with a hole in the middle."""
        chat_id = chat_id_of(address)
        if chat_id is None:
            return SendResult(SendStatus.REJECTED, error=f"not a Telegram chat id: {address!r}")
        parts = split_text(text)
        if not parts:
            return SendResult(SendStatus.REJECTED, error="message text is empty")
        result = SendResult(SendStatus.REJECTED)
        keyboard = reply_markup(markup)
        for index, part in enumerate(parts):
            # The buttons go under the last part, where the customer's eyes end up.
            last = index == len(parts) - 1
            result, _ = await self._send_message(chat_id, part, keyboard if last else None)
            if not result.sent:
                break
        return result

    async def _send_message(
        self,
        chat_id: int,
        text: str,
        keyboard: ReplyMarkup | None = None,
        *,
        reply_to: int | None = None,
        thread_id: int | None = None,
    ) -> tuple[SendResult, int | None]:
        """One sendMessage, its result and the sent message's number in the chat."""
        # A reply still goes out when its target was deleted: the text matters more.
        replying = (
            ReplyParameters(message_id=reply_to, allow_sending_without_reply=True)
            if reply_to is not None
            else None
        )
        return await self._attempt(
            chat_id,
            lambda: self.bot.send_message(
                chat_id,
                text,
                parse_mode=ParseMode.HTML,
                reply_markup=keyboard,
                reply_parameters=replying,
                message_thread_id=thread_id,
            ),
        )

    async def send_document(
        self, address: str, filename: str, data: bytes, *, caption: str | None = None
    ) -> SendResult:
        """Send a file (a customer's data export) with an HTML caption."""
        chat_id = chat_id_of(address)
        if chat_id is None:
            return SendResult(SendStatus.REJECTED, error=f"not a Telegram chat id: {address!r}")
        document = BufferedInputFile(data, filename=filename)
        result, _ = await self._attempt(
            chat_id,
            lambda: self.bot.send_document(
                chat_id, document, caption=caption, parse_mode=ParseMode.HTML
            ),
        )
        return result

    async def _attempt(
        self, chat_id: int, call: Callable[[], Awaitable[Message]]
    ) -> tuple[SendResult, int | None]:
        """One sending call, Telegram's refusals turned into results (never raised)."""
        try:
            message = await call()
        except TelegramForbiddenError as exc:
            log.info("403 for chat %s: %s", chat_id, exc.message)
            return SendResult(SendStatus.BLOCKED, error=exc.message), None
        except TelegramRetryAfter as exc:
            # The middleware already waited what it could; the caller may try again later.
            return SendResult(
                SendStatus.FAILED,
                error=f"429 retry_after={exc.retry_after}",
                retry_after_s=float(exc.retry_after),
            ), None
        except TelegramEntityTooLarge as exc:
            return SendResult(SendStatus.REJECTED, error=exc.message), None
        except (TelegramNetworkError, TelegramServerError) as exc:
            log.warning("send to chat %s failed after retries: %s", chat_id, exc.message)
            return SendResult(SendStatus.FAILED, error=exc.message), None
        except ClientDecodeError as exc:  # an HTML error page instead of Telegram's JSON
            log.warning("send to chat %s: unreadable answer after retries: %s", chat_id, exc)
            return SendResult(SendStatus.FAILED, error=f"unreadable answer: {exc}"), None
        except TelegramAPIError as exc:
            # 400 and everything else Telegram refuses (404, 401, 409…): retrying can't help.
            log.error("send to chat %s refused: %s", chat_id, exc.message)
            return SendResult(SendStatus.REJECTED, error=exc.message), None
        # Keyed like incoming messages: Telegram's message ids are per bot and chat.
        sent = SendResult(SendStatus.SENT, external_id=f"{self.bot.id}:{message.message_id}")
        return sent, message.message_id

    async def show_typing(self, address: str) -> None:
        """Best effort: a missing "typing…" must never cost the customer their reply."""
        chat_id = chat_id_of(address)
        if chat_id is None:
            log.warning("typing not shown: not a Telegram chat id: %r", address)
            return
        try:
            await self.bot.send_chat_action(chat_id, ChatAction.TYPING)
        except TelegramAPIError as exc:
            log.info("typing not shown in chat %s: %s", chat_id, exc.message)

    # -- the operator group (StaffChat) ------------------------------------------------------

    async def post(
        self,
        address: str,
        text: str,
        *,
        reply_to: int | None = None,
        thread_id: int | None = None,
    ) -> Posted:
        """Post `text` in a group (split at the limit: every part replies to `reply_to` and
        sits in the topic `thread_id`); the numbers of the parts sent, in order."""
        chat_id = chat_id_of(address)
        if chat_id is None:
            error = f"not a Telegram chat id: {address!r}"
            return Posted(SendResult(SendStatus.REJECTED, error=error))
        parts = split_text(text)
        if not parts:
            return Posted(SendResult(SendStatus.REJECTED, error="message text is empty"))
        result = SendResult(SendStatus.REJECTED)
        ids: list[int] = []
        for part in parts:
            result, message_id = await self._send_message(
                chat_id, part, reply_to=reply_to, thread_id=thread_id
            )
            if message_id is None:
                break
            ids.append(message_id)
        return Posted(result, tuple(ids))

    async def open_topic(self, address: str, title: str) -> int | None:
        """A new forum topic in the group; None when the group is not a forum or the bot
        lacks the right to manage topics (the caller posts without one)."""
        chat_id = chat_id_of(address)
        if chat_id is None:
            return None
        name = " ".join(title.split())[:MAX_TOPIC_NAME] or "…"
        try:
            topic = await self.bot.create_forum_topic(chat_id, name)
        except TelegramAPIError as exc:
            log.warning("no forum topic in chat %s: %s", chat_id, exc.message)
            return None
        return topic.message_thread_id
