"""Telegram re-sends an update when our answer to the webhook was lost; handle it once.

An update is remembered once it was handled, not when it arrives: a redelivery that comes
while the first attempt is still running (a slow reply) or after it failed is handled again,
and the core stores a message only once (by its message id), so nothing is answered twice
and nothing is dropped on the strength of an attempt that did not finish."""

from __future__ import annotations

import logging
from collections import OrderedDict
from collections.abc import Awaitable, Callable
from typing import Any

from aiogram import BaseMiddleware
from aiogram.types import TelegramObject, Update

log = logging.getLogger(__name__)

Handler = Callable[[TelegramObject, dict[str, Any]], Awaitable[Any]]


class DeduplicateUpdates(BaseMiddleware):
    def __init__(self, memory: int = 10_000) -> None:
        self._seen: OrderedDict[int, None] = OrderedDict()
        self._memory = memory

    async def __call__(self, handler: Handler, event: TelegramObject, data: dict[str, Any]) -> Any:
        if not isinstance(event, Update):
            return await handler(event, data)
        if event.update_id in self._seen:
            log.info("duplicate update %s dropped", event.update_id)
            return None
        result = await handler(event, data)
        self._seen[event.update_id] = None
        if len(self._seen) > self._memory:
            self._seen.popitem(last=False)
        return result
