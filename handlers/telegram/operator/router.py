"""The operator router: everything in OPERATOR_CHAT_ID, declared once on the router."""

from __future__ import annotations

import logging

from aiogram import Router
from aiogram.filters import Command
from aiogram.types import Message

from bot.settings import Settings
from bot.texts.catalog import pick_language, t
from handlers.telegram.filters import InOperatorChat

log = logging.getLogger(__name__)


def operator_router(settings: Settings) -> Router:
    router = Router(name="operator")
    router.message.filter(InOperatorChat(settings.operator_chat_id))
    router.callback_query.filter(InOperatorChat(settings.operator_chat_id))

    @router.message(Command("help"))
    async def operator_help(message: Message) -> None:
        user = message.from_user
        lang = pick_language(user.language_code if user else None, settings.default_language)
        await message.answer(t("operator.help", lang))

    @router.message()
    async def operator_chatter(message: Message) -> None:
        # Operators talk among themselves here: nothing for the bot to do, and above all
        # nobody in this chat becomes a customer (even when it is a person's private chat).
        log.debug("operator chat message %s left alone", message.message_id)

    return router
