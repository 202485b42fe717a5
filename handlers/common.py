"""Small helpers shared by the handlers: turning a Telegram message into a pipeline input."""

from __future__ import annotations

from aiogram.types import Message

from bot.conversation import IncomingMessage
from bot.texts import pick_language
from profiling.types import Lang


def incoming_from(message: Message, text: str | None = None) -> IncomingMessage:
    user = message.from_user
    hint = pick_language(user.language_code, Lang.RU) if user and user.language_code else None
    return IncomingMessage(
        text=text if text is not None else (message.text or message.caption or ""),
        sent_at=message.date,
        external_id=str(message.message_id),
        language_hint=hint,
    )
