"""One customer's events run one at a time; different customers run in parallel.

Messages, button presses, shop events and check-ins of the same customer all change the same
cached profile and customer row, so the core serialises them per customer key. Locks exist
only while someone holds or waits for them, so memory follows the work in flight, not the
number of customers ever seen.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Hashable
from contextlib import asynccontextmanager


class CustomerTurns:
    def __init__(self) -> None:
        self._locks: dict[Hashable, asyncio.Lock] = {}
        self._holders: dict[Hashable, int] = {}  # holding or waiting

    @asynccontextmanager
    async def take(self, key: Hashable) -> AsyncIterator[None]:
        lock = self._locks.setdefault(key, asyncio.Lock())
        self._holders[key] = self._holders.get(key, 0) + 1
        try:
            async with lock:
                yield
        finally:
            self._holders[key] -= 1
            if self._holders[key] == 0:
                del self._holders[key]
                del self._locks[key]

    def __len__(self) -> int:
        """Customers with a turn held or awaited (for tests and diagnostics)."""
        return len(self._locks)
