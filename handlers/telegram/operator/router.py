"""The operator router: everything in OPERATOR_CHAT_ID, declared once on the router.

Human handoff happens here: an operator's reply to a customer's card (or to a relayed
message), or a message in the customer's forum topic, goes to the core, which relays it to
the customer; /done there gives the dialog back to the bot. Nobody in this chat ever becomes
a customer."""

from __future__ import annotations

import logging

from aiogram import Router
from aiogram.filters import Command
from aiogram.types import Message

from bot.conversation.core import Conversation
from bot.handoff.values import OperatorMessage
from bot.settings import Settings
from bot.texts.catalog import pick_language, t
from handlers.telegram.filters import InOperatorChat

log = logging.getLogger(__name__)


def operator_message(message: Message, *, done: bool = False) -> OperatorMessage:
    """The core's value for an operator's message: where it sits (the message it replies
    to, its forum topic) and who wrote it."""
    user = message.from_user
    reply = message.reply_to_message
    return OperatorMessage(
        chat=str(message.chat.id),
        message_id=message.message_id,
        text=message.text or message.caption or "",
        sent_at=message.date,
        operator_id=str(user.id) if user is not None else "",
        operator_name=user.full_name if user is not None else None,
        reply_to=reply.message_id if reply is not None else None,
        # Only a forum's topics: a plain group numbers reply threads too, and those are not
        # a customer's.
        thread_id=message.message_thread_id if message.is_topic_message else None,
        done=done,
    )


def _about_someone(message: Message) -> bool:
    """A person's message that may be about a handoff: a reply, or in a forum topic."""
    user = message.from_user
    if user is None or user.is_bot:
        return False
    return message.reply_to_message is not None or bool(message.is_topic_message)


def operator_router(settings: Settings) -> Router:
    router = Router(name="operator")
    router.message.filter(InOperatorChat(settings.operator_chat_id))
    router.callback_query.filter(InOperatorChat(settings.operator_chat_id))

    @router.message(Command("help"))
    async def operator_help(message: Message) -> None:
        user = message.from_user
        lang = pick_language(user.language_code if user else None, settings.default_language)
        await message.answer(f"{t('operator.help', lang)}\n\n{t('handoff.help', lang)}")

    @router.message(Command("done"))
    async def operator_done(message: Message, conversation: Conversation) -> None:
        await conversation.on_operator_message(operator_message(message, done=True))

    @router.message()
    async def operator_chatter(message: Message, conversation: Conversation) -> None:
        # Operators talk among themselves here too: only a reply or a topic message may be
        # for a customer, and another bot's command never is. Above all, nobody in this chat
        # becomes a customer (even when it is a person's private chat).
        text = message.text or message.caption or ""
        if not _about_someone(message) or text.startswith("/"):
            log.debug("operator chat message %s left alone", message.message_id)
            return
        await conversation.on_operator_message(operator_message(message))

    return router
