"""Shop units that arrive together share one transaction (group commit).

A unit of work costs one transaction, and on SQLite through aiosqlite a transaction's fixed
cost (begin, commit, the driver's thread hops) is larger than the unit's own statements. When
the shop pushes orders and events in parallel, the units waiting at the same moment run one
after another in ONE session and commit once; each caller still gets its own result.

Units in a batch concern different customers: each caller holds its customers' turns while
its unit waits here, so two units of one customer are never in the same batch. If any unit
of a batch fails, the whole transaction is rolled back and every unit of it runs again
alone, so a failure reaches only its own caller and nothing of it is stored. A unit must
therefore be safe to run twice when the first run was rolled back — every unit of the core
is: it reads what it needs inside its transaction.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from contextlib import suppress
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from sqlalchemy.ext.asyncio import AsyncSession

from bot.conversation.work import Work
from storage.db import SessionFactory

log = logging.getLogger(__name__)

T = TypeVar("T")
UnitWork = Callable[[Work], Awaitable[Any]]


@dataclass(slots=True)
class _Queued(Generic[T]):
    work: Callable[[Work], Awaitable[T]]
    done: asyncio.Future[T]


class GroupCommit:
    def __init__(
        self,
        session_factory: SessionFactory,
        new_work: Callable[[AsyncSession], Work],
        *,
        max_batch: int = 64,
    ) -> None:
        self.session_factory = session_factory
        self.new_work = new_work
        self.max_batch = max_batch
        self._queue: list[_Queued[Any]] = []
        self._runner: asyncio.Task[None] | None = None
        self.batches = 0  # transactions committed with more than one unit (diagnostics)

    async def run(self, work: Callable[[Work], Awaitable[T]]) -> T:
        """Run `work` in a transaction, alone or with the units queued beside it."""
        done: asyncio.Future[T] = asyncio.get_running_loop().create_future()
        self._queue.append(_Queued(work, done))
        if self._runner is None or self._runner.done():
            self._runner = asyncio.create_task(self._drain(), name="shop-group-commit")
        try:
            return await asyncio.shield(done)
        except asyncio.CancelledError:
            # The caller holds its customers' turns until its unit has really finished:
            # another unit of theirs must not start while this one may still commit.
            with suppress(BaseException):
                await done
            raise

    async def _drain(self) -> None:
        batch: list[_Queued[Any]] = []
        try:
            while self._queue:
                batch, self._queue = self._queue[: self.max_batch], self._queue[self.max_batch :]
                if len(batch) == 1 or not await self._together(batch):
                    for queued in batch:
                        await self._alone(queued)
                batch = []
        finally:
            # Cancelled or broken: no caller may wait for ever (they hold customers' turns).
            left, self._queue = [*batch, *self._queue], []
            for queued in left:
                if not queued.done.done():
                    queued.done.set_exception(RuntimeError("the shop unit runner stopped"))

    async def _together(self, batch: list[_Queued[Any]]) -> bool:
        """All units in one transaction; False (all rolled back) if any of them failed."""
        results: list[Any] = []
        try:
            async with self.session_factory() as session:
                unit = self.new_work(session)
                try:
                    for queued in batch:
                        results.append(await queued.work(unit))
                    await unit.commit()
                except Exception:
                    await session.rollback()
                    return False
        except Exception:  # the session itself failed (closing it): run them alone
            log.warning("a shared shop transaction failed; its units run one by one")
            return False
        self.batches += 1
        for queued, result in zip(batch, results, strict=True):
            if not queued.done.done():
                queued.done.set_result(result)
        return True

    async def _alone(self, queued: _Queued[Any]) -> None:
        try:
            async with self.session_factory() as session:
                unit = self.new_work(session)
                try:
                    result = await queued.work(unit)
                    await unit.commit()
                except BaseException:
                    await session.rollback()
                    raise
        except BaseException as exc:
            if not queued.done.done():
                queued.done.set_exception(exc)
            if not isinstance(exc, Exception):
                raise
            return
        if not queued.done.done():
            queued.done.set_result(result)
