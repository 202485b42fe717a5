"""/start with or without a deep-link payload: record the touch, greet the customer."""

from __future__ import annotations

import logging

from aiogram import Router
from aiogram.filters import CommandObject, CommandStart
from aiogram.types import Message
from sqlalchemy.ext.asyncio import AsyncSession

from bot.clock import Clock
from bot.conversation.identify import Customer
from bot.conversation.onboarding import greet_and_attribute
from bot.conversation.pipeline import ConversationService
from bot.settings import Settings
from handlers.telegram.common import incoming_from

log = logging.getLogger(__name__)


def router() -> Router:
    r = Router(name="start")

    @r.message(CommandStart())
    async def start(
        message: Message,
        command: CommandObject,
        session: AsyncSession,
        customer: Customer,
        customer_created: bool,
        conversation: ConversationService,
        settings: Settings,
        clock: Clock,
    ) -> None:
        greeting = await greet_and_attribute(
            session,
            customer,
            payload=command.args,
            is_new=customer_created,
            default_language=settings.default_language,
            now=clock(),
        )
        # /start is always answered, even in a flood: it is how a customer starts over.
        await conversation.record_command(
            session, customer, incoming_from(message, settings), greeting
        )

    return r
