"""/help: what the bot can do, in the customer's language."""

from __future__ import annotations

from aiogram import Router
from aiogram.filters import Command
from aiogram.types import Message
from sqlalchemy.ext.asyncio import AsyncSession

from bot.conversation.identify import Customer, customer_language
from bot.conversation.pipeline import ConversationService
from bot.settings import Settings
from bot.texts.catalog import t
from handlers.telegram.common import incoming_from


def router() -> Router:
    r = Router(name="help")

    @r.message(Command("help"))
    async def help_command(
        message: Message,
        session: AsyncSession,
        customer: Customer,
        conversation: ConversationService,
        settings: Settings,
        throttled: bool = False,
    ) -> None:
        lang = customer_language(customer, settings.default_language)
        await conversation.record_command(
            session,
            customer,
            incoming_from(message, settings),
            t("help", lang),
            answer=not throttled,
        )

    return r
