"""Inline buttons under the bot's messages. "More details" under a short answer asks for the
fuller one: it reaches the core as the customer's own «Подробнее» / "More details", so the
dialog state turns it into the last answer at full length."""

from __future__ import annotations

from aiogram import Router
from aiogram.types import CallbackQuery

from bot.conversation.contact import Contact, IncomingMessage
from bot.conversation.core import MORE, Conversation
from bot.settings import Settings
from bot.texts.catalog import t
from handlers.telegram.filters import ButtonData


def router() -> Router:
    r = Router(name="buttons")

    @r.callback_query(ButtonData(MORE))
    async def more(
        query: CallbackQuery, contact: Contact, conversation: Conversation, settings: Settings
    ) -> None:
        await query.answer()  # the button stops spinning at once; the answer follows
        lang = contact.language or settings.default_language
        pressed = IncomingMessage(
            text=t("button.more", lang),
            sent_at=conversation.clock(),
            # A press Telegram delivers twice is answered once.
            external_id=f"cb:{query.id}",
        )
        await conversation.on_message(contact, pressed)

    return r
