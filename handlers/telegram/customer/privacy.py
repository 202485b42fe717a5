"""The customer's data rights: /privacy, /mydata, /forget (with a confirmation button),
/profiling_off and /profiling_on, /stop_checkins and /start_checkins, and the consent
buttons. Thin: each calls its entrance of the core."""

from __future__ import annotations

from aiogram import Router
from aiogram.filters import Command
from aiogram.types import CallbackQuery, Message

from bot.channels.sender import Markup
from bot.conversation.checkin_events import STOP_CHECKINS
from bot.conversation.contact import Contact, IncomingMessage
from bot.conversation.core import Conversation
from bot.conversation.privacy_events import CONSENT_NO, CONSENT_YES, FORGET_NO, FORGET_YES
from bot.texts.catalog import t
from handlers.telegram.filters import ButtonData


def _pressed(query: CallbackQuery, conversation: Conversation, text: str) -> IncomingMessage:
    # A press Telegram delivers twice is handled once (its id is the message's).
    return IncomingMessage(text=text, sent_at=conversation.clock(), external_id=f"cb:{query.id}")


def router() -> Router:
    r = Router(name="privacy")

    @r.message(Command("privacy"))
    async def privacy(
        _m: Message, contact: Contact, incoming: IncomingMessage, conversation: Conversation
    ) -> None:
        await conversation.on_privacy(contact, incoming)

    @r.message(Command("mydata"))
    async def mydata(
        _m: Message, contact: Contact, incoming: IncomingMessage, conversation: Conversation
    ) -> None:
        await conversation.on_data_request(contact, incoming)

    @r.message(Command("forget"))
    async def forget(
        _m: Message, contact: Contact, incoming: IncomingMessage, conversation: Conversation
    ) -> None:
        await conversation.on_command(
            contact,
            incoming,
            lambda lang: t("forget.confirm", lang),
            markup=lambda lang: Markup.choices(
                (t("forget.yes", lang), FORGET_YES), (t("forget.no", lang), FORGET_NO)
            ),
        )

    @r.message(Command("profiling_off", "profiling_on"))
    async def profiling(
        message: Message, contact: Contact, incoming: IncomingMessage, conversation: Conversation
    ) -> None:
        on = (message.text or "").split()[0].split("@")[0] == "/profiling_on"
        await conversation.on_profiling(contact, incoming, on=on)

    @r.message(Command("stop_checkins", "start_checkins"))
    async def checkins(
        message: Message, contact: Contact, incoming: IncomingMessage, conversation: Conversation
    ) -> None:
        on = (message.text or "").split()[0].split("@")[0] == "/start_checkins"
        await conversation.on_checkins(contact, incoming, on=on)

    @r.callback_query(ButtonData(STOP_CHECKINS))
    async def stop_checkins(
        query: CallbackQuery, contact: Contact, conversation: Conversation
    ) -> None:
        await query.answer()
        pressed = _pressed(query, conversation, "/stop_checkins")
        await conversation.on_checkins(contact, pressed, on=False)

    @r.callback_query(ButtonData(CONSENT_YES))
    async def accept(query: CallbackQuery, contact: Contact, conversation: Conversation) -> None:
        await query.answer()
        await conversation.on_consent(contact, _pressed(query, conversation, "✓"), True)

    @r.callback_query(ButtonData(CONSENT_NO))
    async def decline(query: CallbackQuery, contact: Contact, conversation: Conversation) -> None:
        await query.answer()
        await conversation.on_consent(contact, _pressed(query, conversation, "✗"), False)

    @r.callback_query(ButtonData(FORGET_YES))
    async def erase(query: CallbackQuery, contact: Contact, conversation: Conversation) -> None:
        await query.answer()
        await conversation.on_forget(contact)

    @r.callback_query(ButtonData(FORGET_NO))
    async def keep(query: CallbackQuery, contact: Contact, conversation: Conversation) -> None:
        await query.answer()
        await conversation.on_command(
            contact,
            _pressed(query, conversation, "✗"),
            lambda lang: t("forget.cancelled", lang),
        )

    return r
