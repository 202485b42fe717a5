"""Batched logging of the bot's replies, written after delivery.

The customer's message and the profile are committed before the reply is sent (one short
transaction per message). The reply itself is logged once Telegram has answered — with its
final status ("sent", "blocked", "rejected", "failed") and Telegram's message id — in batches:
one executemany INSERT per batch instead of a statement and a commit per message. If the
process dies before a batch is written, only the log lines of those replies are missing; what
customers sent is never among them.
"""

from __future__ import annotations

import asyncio
import logging
from dataclasses import asdict, dataclass
from datetime import datetime

from sqlalchemy import insert

from storage.db import SessionFactory
from storage.models import Message

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class LoggedReply:
    customer_id: int
    text: str
    created_at: datetime
    status: str
    external_id: str | None


class ReplyLog:
    def __init__(
        self, session_factory: SessionFactory, *, max_batch: int = 200, max_delay_s: float = 0.05
    ) -> None:
        self.session_factory = session_factory
        self.max_batch = max_batch
        self.max_delay_s = max_delay_s
        self._queue: list[LoggedReply] = []
        self._timer: asyncio.Task[None] | None = None
        self._lock = asyncio.Lock()

    def record(self, reply: LoggedReply) -> None:
        self._queue.append(reply)
        if len(self._queue) >= self.max_batch:
            asyncio.get_running_loop().create_task(self.flush())
        elif self._timer is None or self._timer.done():
            self._timer = asyncio.get_running_loop().create_task(self._flush_later())

    async def _flush_later(self) -> None:
        await asyncio.sleep(self.max_delay_s)
        await self.flush()

    async def flush(self) -> None:
        """Write everything recorded so far (also called at shutdown and by tests)."""
        async with self._lock:
            batch, self._queue = self._queue, []
            if not batch:
                return
            rows = [
                {
                    **asdict(reply),
                    "direction": "out",
                    "chars": len(reply.text),
                    "gap_s": None,
                    "latency_s": None,
                    "features": None,
                }
                for reply in batch
            ]
            try:
                async with self.session_factory() as session:
                    await session.execute(insert(Message), rows)
                    await session.commit()
            except Exception:
                log.exception("could not log %d replies", len(rows))

    async def close(self) -> None:
        if self._timer is not None and not self._timer.done():
            self._timer.cancel()
        await self.flush()
