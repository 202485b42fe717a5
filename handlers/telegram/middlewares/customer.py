"""The customer behind a private-chat update, as the core's `Contact`, and the message as an
`IncomingMessage`. No database here: the core identifies the customer inside its own unit of
work. Attached to the customer router only, so operators and admins are never profiled."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from aiogram import BaseMiddleware
from aiogram.types import Chat, Message, TelegramObject, User

from bot.settings import Settings
from handlers.telegram.common import contact_of, incoming_of

Handler = Callable[[TelegramObject, dict[str, Any]], Awaitable[Any]]


class CustomerContact(BaseMiddleware):
    async def __call__(self, handler: Handler, event: TelegramObject, data: dict[str, Any]) -> Any:
        user: User | None = data.get("event_from_user")
        chat: Chat | None = data.get("event_chat")
        if user is None or user.is_bot or chat is None:
            return None
        settings: Settings = data["settings"]
        data["contact"] = contact_of(user, chat, settings.default_language)
        if isinstance(event, Message):
            data["incoming"] = incoming_of(event, answer=data.get("answer", True))
        return await handler(event, data)
