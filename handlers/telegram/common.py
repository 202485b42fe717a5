"""Small helpers shared by the handlers: turning a Telegram message into a pipeline input."""

from __future__ import annotations

from aiogram.types import Message

from bot.conversation.pipeline import IncomingMessage
from bot.settings import Settings
from bot.texts.catalog import pick_language


def message_key(message: Message) -> str:
    """A message's identity for de-duplication: Telegram numbers messages per chat and per
    bot, so the bot's id is part of the key (another bot on the same database starts over)."""
    bot_id = message.bot.id if message.bot is not None else 0
    return f"{bot_id}:{message.message_id}"


def incoming_from(message: Message, settings: Settings, text: str | None = None) -> IncomingMessage:
    user = message.from_user
    code = user.language_code if user else None
    hint = pick_language(code, settings.default_language) if code else None
    return IncomingMessage(
        text=text if text is not None else (message.text or message.caption or ""),
        sent_at=message.date,
        external_id=message_key(message),
        language_hint=hint,
    )
