"""Middlewares: the Telegram adapter's cross-cutting plumbing.

Outer (every update, before routing): drop duplicate `update_id`s, serialise one customer's
updates, flag floods. Inner (matched message handlers only): one DB session per update and the
customer loaded or created, with salvage of the received text if a handler fails.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections import OrderedDict, deque
from collections.abc import Awaitable, Callable
from typing import Any

from aiogram import BaseMiddleware
from aiogram.enums import ChatType
from aiogram.types import Chat, Message, TelegramObject, Update, User
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.conversation.identify import CustomerDirectory, CustomerIdentity
from bot.texts.catalog import pick_language
from handlers.telegram.common import message_key

log = logging.getLogger(__name__)

Handler = Callable[[TelegramObject, dict[str, Any]], Awaitable[Any]]
TELEGRAM = "telegram"


class DeduplicateUpdates(BaseMiddleware):
    """Telegram re-sends an update when our answer to the webhook was lost; handle it once."""

    def __init__(self, memory: int = 10_000) -> None:
        self._seen: OrderedDict[int, None] = OrderedDict()
        self._memory = memory

    async def __call__(self, handler: Handler, event: TelegramObject, data: dict[str, Any]) -> Any:
        if isinstance(event, Update):
            if event.update_id in self._seen:
                log.info("duplicate update %s dropped", event.update_id)
                return None
            self._seen[event.update_id] = None
            if len(self._seen) > self._memory:
                self._seen.popitem(last=False)
        return await handler(event, data)


class SerializePerUser(BaseMiddleware):
    """aiogram handles updates concurrently; one customer's updates must not race on the
    same profile row, so they run one at a time per user (other users stay parallel)."""

    def __init__(self) -> None:
        self._locks: dict[int, asyncio.Lock] = {}
        self._waiting: dict[int, int] = {}

    async def __call__(self, handler: Handler, event: TelegramObject, data: dict[str, Any]) -> Any:
        user: User | None = data.get("event_from_user")
        if user is None:
            return await handler(event, data)
        lock = self._locks.setdefault(user.id, asyncio.Lock())
        self._waiting[user.id] = self._waiting.get(user.id, 0) + 1
        try:
            async with lock:
                return await handler(event, data)
        finally:
            self._waiting[user.id] -= 1
            if self._waiting[user.id] == 0:
                # Nobody else queued for this user: forget the lock so memory stays bounded.
                del self._waiting[user.id]
                self._locks.pop(user.id, None)


class FloodControl(BaseMiddleware):
    """Flags a customer who sends more than `per_minute` messages in a sliding minute.

    Flagged messages still reach the pipeline and are recorded (nothing is lost); the
    pipeline just does not answer each of them.
    """

    def __init__(self, per_minute: int, monotonic: Callable[[], float] = time.monotonic) -> None:
        self.per_minute = per_minute
        self._monotonic = monotonic
        self._windows: dict[int, deque[float]] = {}

    async def __call__(self, handler: Handler, event: TelegramObject, data: dict[str, Any]) -> Any:
        user: User | None = data.get("event_from_user")
        data["throttled"] = False
        if user is not None:
            now = self._monotonic()
            window = self._windows.setdefault(user.id, deque())
            while window and now - window[0] > 60.0:
                window.popleft()
            window.append(now)
            data["throttled"] = len(window) > self.per_minute
            if len(self._windows) > 50_000:
                self._windows = {k: w for k, w in self._windows.items() if w and now - w[-1] < 60}
        return await handler(event, data)


def identity_of(user: User, chat_id: int) -> CustomerIdentity:
    return CustomerIdentity(
        channel=TELEGRAM,
        external_id=str(user.id),
        chat_id=chat_id,
        username=user.username,
        first_name=user.first_name,
        last_name=user.last_name,
        language=None,
    )


class CustomerSession(BaseMiddleware):
    """One DB session per update, and the customer who sent it, loaded or created.

    Customers are people in private chats with the bot: updates from groups and channels
    are ignored, so a group message can neither answer in the group nor take over the
    person's private `chat_id`.
    """

    def __init__(
        self, session_factory: async_sessionmaker[AsyncSession], directory: CustomerDirectory
    ) -> None:
        self.session_factory = session_factory
        self.directory = directory

    async def __call__(self, handler: Handler, event: TelegramObject, data: dict[str, Any]) -> Any:
        user: User | None = data.get("event_from_user")
        chat: Chat | None = data.get("event_chat")
        if user is None or user.is_bot or chat is None or chat.type != ChatType.PRIVATE:
            return None
        who = identity_of(user, chat.id)
        language = pick_language(user.language_code, self.directory.default_language)
        async with self.session_factory() as session:
            customer, created = await self.directory.identify(session, who, language)
            data["session"] = session
            data["customer"] = customer
            data["customer_created"] = created
            settled = False
            try:
                result = await handler(event, data)
                settled = not session.in_transaction()
                return result
            except Exception:
                await session.rollback()
                if isinstance(event, Message) and (event.text or event.caption):
                    await self.directory.salvage(
                        session,
                        who,
                        text=event.text or event.caption or "",
                        sent_at=event.date,
                        external_id=message_key(event),
                    )
                raise
            finally:
                if not settled:
                    # Failed, cancelled, or left uncommitted: the in-memory customer may
                    # hold changes the database never got.
                    self.directory.forget(who.channel, who.external_id)


class InFlight(BaseMiddleware):
    """Counts updates being handled so a graceful stop can wait for them to finish."""

    def __init__(self) -> None:
        self.active = 0
        self._idle = asyncio.Event()
        self._idle.set()

    async def __call__(self, handler: Handler, event: TelegramObject, data: dict[str, Any]) -> Any:
        self.active += 1
        self._idle.clear()
        try:
            return await handler(event, data)
        finally:
            self.active -= 1
            if self.active == 0:
                self._idle.set()

    async def drain(self, timeout: float) -> bool:
        """Wait until nothing is in flight; False if `timeout` passed first."""
        try:
            await asyncio.wait_for(self._idle.wait(), timeout)
        except TimeoutError:
            return False
        return True
