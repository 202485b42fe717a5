"""A press on a CSAT rating button (`csat:<survey id>:<rating>`, `bot.csat.keyboard`). Thin:
parse the data, give the rating to the core, answer the press — with a short note when it did
not count (a malformed or forged button, someone else's survey, rated already)."""

from __future__ import annotations

from aiogram import Router
from aiogram.types import CallbackQuery

from bot.conversation.contact import Contact, IncomingMessage
from bot.conversation.core import Conversation
from bot.csat.keyboard import PREFIX, parse_rating
from bot.settings import Settings
from bot.texts.catalog import t
from handlers.telegram.filters import ButtonPrefix


def router() -> Router:
    r = Router(name="csat")

    @r.callback_query(ButtonPrefix(PREFIX))
    async def rating(
        query: CallbackQuery, contact: Contact, conversation: Conversation, settings: Settings
    ) -> None:
        parsed = parse_rating(query.data)
        if parsed is None:  # an old, broken or forged button: nothing to record
            lang = contact.language or settings.default_language
            await query.answer(t("csat.not_yours", lang))
            return
        survey_id, stars = parsed
        pressed = IncomingMessage(
            text=query.data or "",
            sent_at=conversation.clock(),
            # A press Telegram delivers twice is counted once.
            external_id=f"cb:{query.id}",
        )
        note = await conversation.on_csat_rating(contact, pressed, survey_id, stars)
        await query.answer(note)

    return r
