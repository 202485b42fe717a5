"""Finding a customer's orders by phone: /link shows the "share my phone number" button, and
the contact it sends is matched to the shop's customers.

Only the sender's own contact is accepted (Telegram fills `user_id` of a contact shared with
the button; a forwarded card or someone else's contact carries another id or none), so nobody
can open another person's orders by sending their number.
"""

from __future__ import annotations

from dataclasses import replace

from aiogram import Router
from aiogram.filters import Command
from aiogram.types import Message

from bot.channels.sender import Markup
from bot.conversation.contact import Contact, IncomingMessage
from bot.conversation.core import Conversation
from bot.texts.catalog import t
from handlers.telegram.filters import SharedContact


def router() -> Router:
    r = Router(name="link")

    @r.message(Command("link"))
    async def link_command(
        _message: Message, contact: Contact, incoming: IncomingMessage, conversation: Conversation
    ) -> None:
        await conversation.on_command(
            contact,
            incoming,
            lambda lang: t("phone.ask", lang),
            markup=lambda lang: Markup.ask_phone(t("phone.button", lang)),
        )

    @r.message(SharedContact())
    async def shared_contact(
        message: Message, contact: Contact, incoming: IncomingMessage, conversation: Conversation
    ) -> None:
        card = message.contact
        assert card is not None  # the filter checked it
        # The phone number is personal data: the message log keeps only that one was shared.
        logged = replace(incoming, text="[contact]")
        sender = message.from_user
        if sender is None or card.user_id != sender.id:
            await conversation.on_command(
                contact,
                logged,
                lambda lang: t("phone.not_own", lang),
                markup=lambda lang: Markup.ask_phone(t("phone.button", lang)),
            )
            return
        await conversation.on_phone_shared(contact, logged, card.phone_number)

    return r
