"""/start with or without a deep-link payload: the core records the touch and greets."""

from __future__ import annotations

from aiogram import Router
from aiogram.filters import CommandObject, CommandStart
from aiogram.types import Message

from bot.conversation.contact import Contact, IncomingMessage
from bot.conversation.core import Conversation
from handlers.telegram.middlewares.flood import FLOOD_EXEMPT


def router() -> Router:
    r = Router(name="start")

    # Always answered, even in a flood: /start is how a customer starts over.
    @r.message(CommandStart(), flags={FLOOD_EXEMPT: True})
    async def start(
        _message: Message,
        command: CommandObject,
        contact: Contact,
        incoming: IncomingMessage,
        conversation: Conversation,
    ) -> None:
        await conversation.on_start(contact, incoming, command.args)

    return r
