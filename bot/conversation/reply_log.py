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

from sqlalchemy.exc import IntegrityError

from bot.conversation.batching import WRITE_BEHIND_S, BatchFlusher
from storage.db import SessionFactory
from storage.repositories import messages
from storage.repositories.messages import Outgoing

log = logging.getLogger(__name__)


# A logged reply is the repository's row type: one definition of what a reply line holds.
LoggedReply = Outgoing


class ReplyLog:
    # Beyond this many unwritten lines (the database is down for long), the oldest are
    # dropped with an error in the log rather than letting memory grow without bound.
    MAX_BACKLOG = 50_000

    def __init__(
        self,
        session_factory: SessionFactory,
        *,
        max_batch: int = 500,
        max_delay_s: float = WRITE_BEHIND_S,
    ) -> None:
        self.session_factory = session_factory
        self.max_batch = max_batch
        self._queue: list[LoggedReply] = []
        self._lock = asyncio.Lock()
        self._flusher = BatchFlusher(
            self.flush, lambda: bool(self._queue), delay_s=max_delay_s, name="reply-log"
        )

    def record(self, reply: LoggedReply) -> None:
        self._queue.append(reply)
        self._flusher.poke()

    async def flush(self) -> bool:
        """Write what is queued, `max_batch` lines per transaction; False if a write failed
        (the lines stay queued for the next attempt)."""
        async with self._lock:
            while self._queue:
                batch = self._queue[: self.max_batch]
                try:
                    await self._write(batch)
                except Exception:
                    log.warning("could not log %d replies at once; one by one", len(batch))
                    if not await self._write_one_by_one(batch):
                        self._trim_backlog()
                        return False
                    continue
                del self._queue[: len(batch)]
            return True

    async def _write_one_by_one(self, batch: list[LoggedReply]) -> bool:
        """Write `batch` (the head of the queue) line by line. A line the database rejects
        (its customer was erased meanwhile) is dropped; any other failure stops here and the
        rest stays queued. Returns whether the whole batch was settled."""
        for reply in batch:
            try:
                await self._write([reply])
            except IntegrityError as exc:
                log.error("reply to customer %s not logged: %s", reply.customer_id, exc)
            except Exception as exc:
                log.warning("reply log unavailable, will retry: %s", exc)
                return False
            self._queue.pop(0)
        return True

    async def _write(self, batch: list[LoggedReply]) -> None:
        async with self.session_factory() as session:
            await messages.insert_outgoing(session, batch)
            await session.commit()

    def _trim_backlog(self) -> None:
        excess = len(self._queue) - self.MAX_BACKLOG
        if excess > 0:
            log.error("reply log backlog full: dropping the %d oldest lines", excess)
            del self._queue[:excess]

    async def forget(self, customer_id: int) -> None:
        """Drop a customer's unwritten lines (an erasure), waiting for a flush in progress so
        none of them reaches the database after the caller deletes the customer's rows."""
        async with self._lock:
            self._queue = [line for line in self._queue if line.customer_id != customer_id]

    async def close(self) -> None:
        await self._flusher.close()
