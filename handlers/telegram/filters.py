"""Audience filters, each declared once on its router."""

from __future__ import annotations

from aiogram.enums import ChatType
from aiogram.filters import Filter
from aiogram.types import CallbackQuery, Message


class PrivateChat(Filter):
    """Customers are people writing to the bot in a private chat."""

    async def __call__(self, event: Message | CallbackQuery) -> bool:
        message = event.message if isinstance(event, CallbackQuery) else event
        user = event.from_user
        return (
            message is not None
            and message.chat.type == ChatType.PRIVATE
            and user is not None
            and not user.is_bot
        )


class FromAdmin(Filter):
    """Sent by one of ADMIN_IDS."""

    def __init__(self, admin_ids: frozenset[int]) -> None:
        self.admin_ids = admin_ids

    async def __call__(self, event: Message | CallbackQuery) -> bool:
        return event.from_user is not None and event.from_user.id in self.admin_ids


class InOperatorChat(Filter):
    """Sent in the OPERATOR_CHAT_ID chat (no chat at all when it is not set)."""

    def __init__(self, chat_id: int | None) -> None:
        self.chat_id = chat_id

    async def __call__(self, event: Message | CallbackQuery) -> bool:
        if self.chat_id is None:
            return False
        message = event.message if isinstance(event, CallbackQuery) else event
        return message is not None and message.chat.id == self.chat_id


# Content filters as coroutines: aiogram runs a synchronous filter (a magic `F` filter among
# them) in a worker thread, which costs a thread hop on every message.
class SlashCommand(Filter):
    """Text that starts with "/": a command, known or not."""

    async def __call__(self, message: Message) -> bool:
        return bool(message.text and message.text.startswith("/"))


class HasText(Filter):
    """A text message, or media with a caption."""

    async def __call__(self, message: Message) -> bool:
        return bool(message.text or message.caption)


class SharedContact(Filter):
    """A contact card sent with the "share my phone number" button (or attached by hand)."""

    async def __call__(self, message: Message) -> bool:
        return message.contact is not None


class ButtonData(Filter):
    """A press on an inline button of ours whose data is `data`."""

    def __init__(self, data: str) -> None:
        self.data = data

    async def __call__(self, query: CallbackQuery) -> bool:
        return query.data == self.data


class ButtonPrefix(Filter):
    """A press on an inline button of ours whose data starts with `prefix`."""

    def __init__(self, prefix: str) -> None:
        self.prefix = prefix

    async def __call__(self, query: CallbackQuery) -> bool:
        return bool(query.data and query.data.startswith(self.prefix))
