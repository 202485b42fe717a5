"""Inline buttons under the bot's messages. "More details" under a short answer asks for the
fuller one: it reaches the core as the customer's own «Подробнее» / "More details", so the
dialog state turns it into the last answer at full length. An option button (offered when the
bot could not tell what the customer wants) reaches it as the question its label asks."""

from __future__ import annotations

from aiogram import Router
from aiogram.types import CallbackQuery

from bot.conversation.contact import Contact, IncomingMessage
from bot.conversation.core import MORE, OPTION, Conversation
from bot.replies.base import OPTIONS
from bot.settings import Settings
from bot.texts.catalog import supported_language, t
from handlers.telegram.filters import ButtonData, ButtonPrefix


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

    @r.callback_query(ButtonPrefix(OPTION))
    async def option(
        query: CallbackQuery, contact: Contact, conversation: Conversation, settings: Settings
    ) -> None:
        key, _, shown = (query.data or "")[len(OPTION) :].partition(":")
        await query.answer()
        if key not in OPTIONS:  # an old or forged button: nothing to ask
            return
        lang = supported_language(shown) or contact.language or settings.default_language
        pressed = IncomingMessage(
            text=t(f"option.{key}", lang),
            sent_at=conversation.clock(),
            external_id=f"cb:{query.id}",
        )
        await conversation.on_message(contact, pressed)

    return r
