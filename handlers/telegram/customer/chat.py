"""The catch-all router, registered last: unknown commands, non-text, and conversation."""

from __future__ import annotations

from aiogram import F, Router
from aiogram.types import Message
from sqlalchemy.ext.asyncio import AsyncSession

from bot.conversation.identify import Customer, customer_language
from bot.conversation.pipeline import ConversationService
from bot.settings import Settings
from bot.texts.catalog import t
from handlers.telegram.common import incoming_from


def router() -> Router:
    r = Router(name="chat")

    @r.message(F.text.startswith("/"))
    async def unknown_command(
        message: Message,
        session: AsyncSession,
        customer: Customer,
        conversation: ConversationService,
        settings: Settings,
        throttled: bool = False,
    ) -> None:
        lang = customer_language(customer, settings.default_language)
        command = (message.text or "/").split()[0][:32]
        reply = t("unknown_command", lang, command=command)
        await conversation.record_command(
            session, customer, incoming_from(message, settings), reply, answer=not throttled
        )

    @r.message(F.text | F.caption)
    async def converse(
        message: Message,
        session: AsyncSession,
        customer: Customer,
        conversation: ConversationService,
        settings: Settings,
        throttled: bool = False,
    ) -> None:
        await conversation.handle(
            session, customer, incoming_from(message, settings), answer=not throttled
        )

    @r.message()
    async def non_text(
        message: Message,
        session: AsyncSession,
        customer: Customer,
        conversation: ConversationService,
        settings: Settings,
        throttled: bool = False,
    ) -> None:
        lang = customer_language(customer, settings.default_language)
        kind = message.content_type.value if message.content_type else "unknown"
        await conversation.record_command(
            session,
            customer,
            incoming_from(message, settings, text=f"[{kind}]"),
            t("non_text", lang),
            answer=not throttled,
        )

    return r
