"""The catch-all router, registered last: unknown commands, non-text, and conversation."""

from __future__ import annotations

from dataclasses import replace

from aiogram import Router
from aiogram.types import Message

from bot.conversation.contact import Contact, IncomingMessage
from bot.conversation.core import Conversation
from bot.texts.catalog import t
from handlers.telegram.filters import HasText, SlashCommand


def router() -> Router:
    r = Router(name="chat")

    @r.message(SlashCommand())
    async def unknown_command(
        message: Message, contact: Contact, incoming: IncomingMessage, conversation: Conversation
    ) -> None:
        command = (message.text or "/").split()[0][:32]
        await conversation.on_command(
            contact, incoming, lambda lang: t("unknown_command", lang, command=command)
        )

    @r.message(HasText())
    async def converse(
        _message: Message,
        contact: Contact,
        incoming: IncomingMessage,
        conversation: Conversation,
    ) -> None:
        await conversation.on_message(contact, incoming)

    @r.message()
    async def non_text(
        message: Message, contact: Contact, incoming: IncomingMessage, conversation: Conversation
    ) -> None:
        kind = message.content_type.value if message.content_type else "unknown"
        await conversation.on_command(
            contact, replace(incoming, text=f"[{kind}]"), lambda lang: t("non_text", lang)
        )

    return r
