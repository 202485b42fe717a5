"""/help: what the bot can do, in the customer's language."""

from __future__ import annotations

from aiogram import Router
from aiogram.filters import Command
from aiogram.types import Message

from bot.conversation.contact import Contact, IncomingMessage
from bot.conversation.core import Conversation
from bot.texts.catalog import t


def router() -> Router:
    r = Router(name="help")

    @r.message(Command("help"))
    async def help_command(
        _message: Message,
        contact: Contact,
        incoming: IncomingMessage,
        conversation: Conversation,
    ) -> None:
        await conversation.on_command(contact, incoming, lambda lang: t("help", lang))

    return r
