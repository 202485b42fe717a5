"""Marks a customer who sends more than `per_minute` messages in a sliding minute.

Marked messages still reach the core and are recorded (nothing is lost); the core just does
not answer each of them. A handler flagged `flood_exempt` (/start: how a customer starts
over) is always answered. Runs as an inner middleware, where the handler's flags are known.
"""

from __future__ import annotations

import time
from collections import deque
from collections.abc import Awaitable, Callable
from typing import Any

from aiogram import BaseMiddleware
from aiogram.dispatcher.flags import get_flag
from aiogram.types import TelegramObject, User

Handler = Callable[[TelegramObject, dict[str, Any]], Awaitable[Any]]

FLOOD_EXEMPT = "flood_exempt"


class FloodControl(BaseMiddleware):
    def __init__(
        self, per_minute: int, monotonic: Callable[[], float] = time.monotonic, memory: int = 50_000
    ) -> None:
        self.per_minute = per_minute
        self._monotonic = monotonic
        self._memory = memory
        self._windows: dict[int, deque[float]] = {}

    async def __call__(self, handler: Handler, event: TelegramObject, data: dict[str, Any]) -> Any:
        user: User | None = data.get("event_from_user")
        flooding = False
        if user is not None:
            now = self._monotonic()
            window = self._windows.setdefault(user.id, deque())
            while window and now - window[0] > 60.0:
                window.popleft()
            window.append(now)
            flooding = len(window) > self.per_minute
            if len(self._windows) > self._memory:
                self._windows = {k: w for k, w in self._windows.items() if w and now - w[-1] < 60}
        data["answer"] = not flooding or bool(get_flag(data, FLOOD_EXEMPT))
        return await handler(event, data)
