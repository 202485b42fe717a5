"""Telegram's side of the `Sender` protocol: text to a chat, typing, channel-neutral results.

Pacing and retries happen below, in the session's `PacedRequests` middleware; by the time an
exception reaches this module Telegram's answer is final, so it is only translated.
"""

from __future__ import annotations

import logging
import re

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
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    KeyboardButton,
    ReplyKeyboardMarkup,
    ReplyKeyboardRemove,
)

from bot.channels.sender import Markup, SendResult, SendStatus
from bot.channels.telegram.split import split_text

log = logging.getLogger(__name__)

_CHAT_ID = re.compile(r"-?\d+")  # private chats are positive, groups and channels negative


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

    def __init__(self, bot: Bot) -> None:
        self.bot = bot

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
            result = await self._send_one(chat_id, part, keyboard if last else None)
            if not result.sent:
                break
        return result

    async def _send_one(
        self, chat_id: int, text: str, keyboard: ReplyMarkup | None = None
    ) -> SendResult:
        try:
            message = await self.bot.send_message(
                chat_id, text, parse_mode=ParseMode.HTML, reply_markup=keyboard
            )
        except TelegramForbiddenError as exc:
            log.info("403 for chat %s: %s", chat_id, exc.message)
            return SendResult(SendStatus.BLOCKED, error=exc.message)
        except TelegramRetryAfter as exc:
            # The middleware already waited what it could; the caller may try again later.
            return SendResult(
                SendStatus.FAILED,
                error=f"429 retry_after={exc.retry_after}",
                retry_after_s=float(exc.retry_after),
            )
        except TelegramEntityTooLarge as exc:
            return SendResult(SendStatus.REJECTED, error=exc.message)
        except (TelegramNetworkError, TelegramServerError) as exc:
            log.warning("send to chat %s failed after retries: %s", chat_id, exc.message)
            return SendResult(SendStatus.FAILED, error=exc.message)
        except ClientDecodeError as exc:  # an HTML error page instead of Telegram's JSON
            log.warning("send to chat %s: unreadable answer after retries: %s", chat_id, exc)
            return SendResult(SendStatus.FAILED, error=f"unreadable answer: {exc}")
        except TelegramAPIError as exc:
            # 400 and everything else Telegram refuses (404, 401, 409…): retrying can't help.
            log.error("send to chat %s refused: %s", chat_id, exc.message)
            return SendResult(SendStatus.REJECTED, error=exc.message)
        # Keyed like incoming messages: Telegram's message ids are per bot and chat.
        return SendResult(SendStatus.SENT, external_id=f"{self.bot.id}:{message.message_id}")

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
