"""The handoff sweeper: a periodic task that times out handoffs nobody picked up.

Every `interval_s` it claims the waiting handoffs past their deadline (one atomic statement:
marked timed out and returned, so two sweepers — two processes during a deploy — never both
tell a customer) and hands each to the core (`Conversation.on_handoff_timeout`), which tells
the customer honestly and notes it in the operator chat. It starts and stops with the
application (`bot.runtime`); `sweep_once(now)` runs one round, for tests and tools.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from contextlib import suppress
from datetime import datetime

from bot.clock import Clock, as_utc
from bot.handoff.service import HandoffDesk
from bot.handoff.values import HandoffRef
from storage.db import SessionFactory
from storage.repositories import handoffs

log = logging.getLogger(__name__)

INTERVAL_S = 5.0
BATCH = 100
# A failed round (the database away) waits interval × 2^n, at most this long.
MAX_BACKOFF_S = 60.0
STOP_GRACE_S = 10.0  # a round in flight may finish its messages this long when stopping


class HandoffSweeper:
    def __init__(
        self,
        session_factory: SessionFactory,
        desk: HandoffDesk,
        on_timeout: Callable[[HandoffRef], Awaitable[object]],
        *,
        clock: Clock,
        interval_s: float = INTERVAL_S,
        batch: int = BATCH,
    ) -> None:
        self.session_factory = session_factory
        self.desk = desk
        self.on_timeout = on_timeout
        self.clock = clock
        self.interval_s = interval_s
        self.batch = batch
        self._task: asyncio.Task[None] | None = None
        self._stopping = asyncio.Event()

    async def sweep_once(self, now: datetime | None = None) -> int:
        """Time out what is due at `now` (default: the clock's now); how many were."""
        moment = as_utc(now if now is not None else self.clock())
        total = 0
        while True:
            async with self.session_factory() as session:
                claimed = await handoffs.claim_expired(session, moment, self.batch)
                await session.commit()
            refs = [HandoffRef.of(row) for row in claimed]
            for ref in refs:
                # Nobody holds the dialog any more: the customer's next message is answered
                # even before they are told.
                self.desk.ended(ref.customer_id)
            # Different customers: told concurrently (each takes their own turn).
            await asyncio.gather(*(self._tell(ref) for ref in refs))
            total += len(refs)
            if len(refs) < self.batch:
                return total

    async def _tell(self, ref: HandoffRef) -> None:
        try:
            await self.on_timeout(ref)
        except Exception:
            # Claimed already: this customer is not told (rather than told twice).
            log.exception(
                "handoff %s timed out, but telling customer %s failed", ref.id, ref.customer_id
            )

    # -- lifecycle -------------------------------------------------------------------------

    @property
    def running(self) -> bool:
        return self._task is not None and not self._task.done()

    def start(self) -> None:
        if self.running:
            return
        self._stopping = asyncio.Event()
        self._task = asyncio.get_running_loop().create_task(self._loop(), name="handoff-sweeper")

    async def stop(self, grace_s: float = STOP_GRACE_S) -> None:
        """Stop sweeping; a round in flight gets `grace_s` to finish telling customers."""
        self._stopping.set()
        task, self._task = self._task, None
        if task is None:
            return
        done, _ = await asyncio.wait({task}, timeout=grace_s)
        if not done:
            task.cancel()
        try:
            await task
        except asyncio.CancelledError:
            if not task.cancelled():  # our own caller is being cancelled
                raise
        except Exception:
            log.exception("the handoff sweeper failed while stopping")

    async def _loop(self) -> None:
        failures = 0
        while not self._stopping.is_set():
            try:
                await self.sweep_once()
            except Exception:
                failures += 1
                log.exception("handoff sweep failed (%d in a row)", failures)
            else:
                failures = 0
            delay = min(MAX_BACKOFF_S, self.interval_s * 2.0**failures)
            with suppress(TimeoutError):
                await asyncio.wait_for(self._stopping.wait(), delay)
