"""Small helpers shared by the handlers: turning a Telegram message into a pipeline input."""

from __future__ import annotations

from aiogram.types import Message

from bot.conversation import IncomingMessage
from bot.settings import Settings
from bot.texts import pick_language


def incoming_from(message: Message, settings: Settings, text: str | None = None) -> IncomingMessage:
    user = message.from_user
    code = user.language_code if user else None
    hint = pick_language(code, settings.default_language) if code else None
    return IncomingMessage(
        text=text if text is not None else (message.text or message.caption or ""),
        sent_at=message.date,
        external_id=str(message.message_id),
        language_hint=hint,
    )
