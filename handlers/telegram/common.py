"""Turning Telegram objects into the core's channel-neutral values."""

from __future__ import annotations

from aiogram.types import Chat, Message, User

from bot.conversation.contact import Contact, IncomingMessage
from bot.texts.catalog import pick_language
from profiling.types import Lang

TELEGRAM = "telegram"


def message_key(message: Message) -> str:
    """A message's identity for de-duplication: Telegram numbers messages per chat and per
    bot, so the bot's id is part of the key (another bot on the same database starts over)."""
    bot_id = message.bot.id if message.bot is not None else 0
    return f"{bot_id}:{message.message_id}"


def contact_of(user: User, chat: Chat, default_language: Lang) -> Contact:
    """The person in a private chat; the chat id is where replies go."""
    code = user.language_code
    return Contact(
        channel=TELEGRAM,
        external_id=str(user.id),
        address=str(chat.id),
        username=user.username,
        first_name=user.first_name,
        last_name=user.last_name,
        language=pick_language(code, default_language) if code else None,
    )


def incoming_of(
    message: Message, *, answer: bool = True, text: str | None = None
) -> IncomingMessage:
    return IncomingMessage(
        text=text if text is not None else (message.text or message.caption or ""),
        sent_at=message.date,
        external_id=message_key(message),
        answer=answer,
    )
