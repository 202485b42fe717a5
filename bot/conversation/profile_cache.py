"""Profiles in memory, written behind in batches.

A profile is derived data: it can always be rebuilt from the message log, which is written
synchronously with every message. So instead of a JSON read and an UPDATE per message, the
pipeline reads profiles from an LRU cache and marks them dirty; dirty profiles are written in
one transaction per batch (every `max_delay_s`, or sooner when `max_batch` are waiting, and at
shutdown). A crash loses at most the last batch of profile *updates*, never a message.

The cache holds committed states only: `load()` hands out a copy for the unit of work to
change, and `put()` — called after the unit commits — makes that copy the cached state. A unit
that fails simply drops its copy: nothing uncommitted can reach the cache, the database or the
next message, and nothing committed is thrown away.

One process owns a bot's profiles (the same assumption as the conversation core's
per-customer turns); another process writing profiles (an import) runs while the bot is
stopped, or the bot calls `forget()`.
"""

from __future__ import annotations

import asyncio
import logging
from collections import OrderedDict
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm.exc import StaleDataError

from bot.conversation.batching import WRITE_BEHIND_S, BatchFlusher
from profiling.engine import Assessment
from profiling.profile.state import ProfileState
from storage.db import SessionFactory
from storage.repositories import profiles

log = logging.getLogger(__name__)


@dataclass(slots=True)
class _Entry:
    state: ProfileState
    columns: dict[str, Any] | None = None  # pending indexed columns; None when clean
    persisted: bool = True  # a row exists in the database
    dialog: dict[str, Any] | None = None  # the current dialog's state, JSON-ready


class ProfileCache:
    def __init__(
        self,
        session_factory: SessionFactory,
        *,
        capacity: int = 20_000,
        max_batch: int = 500,
        max_delay_s: float = WRITE_BEHIND_S,
    ) -> None:
        self.session_factory = session_factory
        self.capacity = capacity
        self.max_batch = max_batch
        self._cache: OrderedDict[int, _Entry] = OrderedDict()
        self._dirty: set[int] = set()
        self._writing: set[int] = set()  # taken from _dirty by the flush in progress
        self._lock = asyncio.Lock()
        self._flusher = BatchFlusher(
            self.flush, lambda: bool(self._dirty), delay_s=max_delay_s, name="profile-store"
        )

    async def load(self, session: AsyncSession, customer_id: int) -> ProfileState | None:
        """A copy of the customer's committed state (from the cache, else the database), for
        the caller to change and `put()` back after its commit; None without a profile."""
        entry = self._cache.get(customer_id)
        if entry is not None:
            self._cache.move_to_end(customer_id)
            return entry.state.copy()
        row = await profiles.load(session, customer_id)
        state = profiles.load_state(row)
        if state is None:
            return None
        self._remember(customer_id, _Entry(state, dialog=profiles.load_dialog(row)))
        return state.copy()

    async def peek(self, session: AsyncSession, customer_id: int) -> ProfileState | None:
        """The customer's latest state for reading only (an admin's card): from the cache
        when it is there, else from the database — without filling the cache, so a reader
        outside the customer's turn can never put an older state back over a newer one."""
        entry = self._cache.get(customer_id)
        if entry is not None:
            return entry.state.copy()
        return profiles.load_state(await profiles.load(session, customer_id))

    def dialog(self, customer_id: int) -> dict[str, Any] | None:
        """The committed dialog state of a customer whose profile `load()` read (JSON-ready,
        for the caller to parse; never changed in place)."""
        entry = self._cache.get(customer_id)
        return entry.dialog if entry is not None else None

    def put(
        self,
        customer_id: int,
        state: ProfileState,
        assessment: Assessment,
        now: datetime,
        dialog: dict[str, Any] | None = None,
    ) -> None:
        """Make `state` the committed state (call after the commit); it reaches the
        database with the next batch. `dialog`, when given, replaces the dialog state."""
        entry = self._cache.get(customer_id)
        if entry is None:
            # Not cached means load() found no row: this is a new profile.
            entry = _Entry(state, persisted=False)
            self._remember(customer_id, entry)
        entry.state = state
        if dialog is not None:
            entry.dialog = dialog
        entry.columns = profiles.score_columns(state, assessment, now)
        self._dirty.add(customer_id)
        self._flusher.poke()

    async def forget(self, customer_id: int) -> None:
        """Drop a customer's cached profile (after an erase, an external rewrite, or a failed
        transaction that changed the cached state). Waits for a flush in progress, so a row
        being written cannot reappear after the caller deletes it."""
        async with self._lock:
            self._drop(customer_id)

    def _drop(self, customer_id: int) -> None:
        self._cache.pop(customer_id, None)
        self._dirty.discard(customer_id)

    def _remember(self, customer_id: int, entry: _Entry) -> None:
        self._cache[customer_id] = entry
        while len(self._cache) > self.capacity:
            oldest = next(iter(self._cache))
            if oldest in self._dirty or oldest in self._writing:
                break  # never drop unwritten state; the next flush makes it evictable
            del self._cache[oldest]

    async def flush(self) -> bool:
        """Write every dirty profile, `max_batch` per transaction.

        A batch that fails is retried row by row, so one bad row cannot block everyone
        else's profiles: a row the database rejects (an integrity error: its customer was
        deleted) is dropped from the cache; rows that fail for other reasons (the database is
        locked or down) stay dirty and the method returns False so the caller retries later.
        """
        async with self._lock:
            while self._dirty:
                ids = list(self._dirty)[: self.max_batch]
                rows_new, rows_old = self._rows(ids)
                self._dirty.difference_update(ids)
                self._writing = set(ids)
                try:
                    try:
                        await self._write_batch(rows_new, rows_old)
                    except Exception:
                        log.warning("profile batch of %d failed; retrying row by row", len(ids))
                        if not await self._write_rows_one_by_one(rows_new, rows_old):
                            return False
                    self._mark_clean(rows_new, rows_old)
                finally:
                    self._writing = set()
            return True

    def _rows(self, ids: list[int]) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
        rows_new: list[dict[str, Any]] = []
        rows_old: list[dict[str, Any]] = []
        for customer_id in ids:
            entry = self._cache.get(customer_id)
            if entry is None or entry.columns is None:
                continue
            row = profiles.row(customer_id, entry.state, entry.columns, entry.dialog)
            (rows_old if entry.persisted else rows_new).append(row)
        return rows_new, rows_old

    async def _write_batch(
        self, rows_new: list[dict[str, Any]], rows_old: list[dict[str, Any]]
    ) -> None:
        if not rows_new and not rows_old:
            return
        async with self.session_factory() as session:
            await self._write(session, rows_new, rows_old)
            await session.commit()

    async def _write_rows_one_by_one(
        self, rows_new: list[dict[str, Any]], rows_old: list[dict[str, Any]]
    ) -> bool:
        retry: list[int] = []
        for row, new in [(r, True) for r in rows_new] + [(r, False) for r in rows_old]:
            customer_id = row["customer_id"]
            try:
                await self._write_batch([row] if new else [], [] if new else [row])
            except (IntegrityError, StaleDataError) as exc:
                log.error("profile of customer %s rejected, dropped: %s", customer_id, exc)
                self._drop(customer_id)
            except Exception as exc:
                log.warning("profile of customer %s not written yet: %s", customer_id, exc)
                retry.append(customer_id)
            else:
                self._mark_clean([row] if new else [], [] if new else [row])
        self._dirty.update(retry)
        return not retry

    def _mark_clean(self, rows_new: list[dict[str, Any]], rows_old: list[dict[str, Any]]) -> None:
        for row in (*rows_new, *rows_old):
            entry = self._cache.get(row["customer_id"])
            if entry is not None:
                entry.persisted = True
                if row["customer_id"] not in self._dirty:
                    entry.columns = None

    @staticmethod
    async def _write(
        session: AsyncSession, rows_new: list[dict[str, Any]], rows_old: list[dict[str, Any]]
    ) -> None:
        if rows_new:
            # A profile may have been created meanwhile by another path: those become
            # updates instead of failing the whole batch on the primary key.
            existing = await profiles.existing_ids(session, [r["customer_id"] for r in rows_new])
            rows_old = rows_old + [r for r in rows_new if r["customer_id"] in existing]
            rows_new = [r for r in rows_new if r["customer_id"] not in existing]
            await profiles.insert_many(session, rows_new)
        await profiles.update_many(session, rows_old)

    async def close(self) -> None:
        await self._flusher.close()
