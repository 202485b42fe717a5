"""The outbox dispatcher: delivers committed events to the CRM, signed, with retries.

One round (`run_once`): claim up to `batch_size` due events under a lease (one short
transaction), POST them concurrently (at most `concurrency` at a time) through one aiohttp
session, then write every outcome in one more transaction. Any number of dispatchers — in
one process or many, on PostgreSQL or SQLite — can share an outbox: a claim is atomic, so
two never hold the same event at once, and an instance that dies loses its claims when their
lease runs out. A delivery is started only if its timeout ends well inside the lease, so a
slow batch cannot outlive its claim and overlap another instance's delivery.

Delivery is at least once: an event whose outcome was not recorded (a crash, a lost
connection to the database) is sent again later with the same `webhook-id`, which receivers
de-duplicate on.
"""

from __future__ import annotations

import asyncio
import logging
import os
import random
import secrets
import socket
import time
from collections.abc import Sequence
from contextlib import suppress
from dataclasses import dataclass
from datetime import timedelta
from types import TracebackType

import aiohttp
from pydantic import SecretStr

from bot.clock import Clock, as_utc
from bot.settings import Settings
from bot.signals.delivery import (
    USER_AGENT,
    Attempt,
    Verdict,
    backoff_s,
    describe_error,
    post,
)
from bot.signals.signing import Signer
from storage.db import SessionFactory
from storage.repositories import outbox as repository
from storage.repositories.outbox import ClaimedEvent, Failure, Retry

log = logging.getLogger(__name__)

# After a failed round (the database unreachable), wait poll × 2^n, at most this long.
MAX_ROUND_BACKOFF_S = 30.0
# Deliveries start only while at least this share of the lease is left after their timeout:
# the rest is for writing the outcomes before the claim lapses.
LEASE_RESERVE = 0.25


def default_instance_id() -> str:
    """Host, process and a random tag: unique per dispatcher, readable in `outbox list`."""
    return f"{socket.gethostname()[:80]}:{os.getpid()}:{secrets.token_hex(3)}"


@dataclass(slots=True)
class DispatchStats:
    """What this dispatcher did since it was built (for logs, status and benchmarks)."""

    rounds: int = 0
    claimed: int = 0
    delivered: int = 0
    retried: int = 0
    dead: int = 0
    released: int = 0


class OutboxDispatcher:
    def __init__(
        self,
        session_factory: SessionFactory,
        *,
        url: str,
        secret: SecretStr | str,
        clock: Clock,
        instance_id: str | None = None,
        max_attempts: int,
        backoff_base_s: float,
        backoff_max_s: float,
        timeout_s: float,
        batch_size: int = 50,
        lease_s: float = 60.0,
        poll_interval_s: float = 1.0,
        concurrency: int = 16,
        rng: random.Random | None = None,
    ) -> None:
        if max_attempts < 1 or batch_size < 1 or concurrency < 1:
            raise ValueError("max_attempts, batch_size and concurrency must be at least 1")
        if timeout_s <= 0 or timeout_s >= lease_s * (1 - LEASE_RESERVE):
            raise ValueError(
                f"lease_s ({lease_s}) must be well above timeout_s ({timeout_s}): "
                f"more than timeout_s / {1 - LEASE_RESERVE}"
            )
        self.session_factory = session_factory
        self.url = url
        self._signer = Signer(secret)  # the secret is kept nowhere else
        self.clock = clock
        self.instance_id = (instance_id or default_instance_id())[:128]
        self.max_attempts = max_attempts
        self.backoff_base_s = backoff_base_s
        self.backoff_max_s = backoff_max_s
        self.timeout_s = timeout_s
        self.batch_size = batch_size
        self.lease_s = lease_s
        self.poll_interval_s = poll_interval_s
        self.concurrency = concurrency
        self.stats = DispatchStats()
        self._rng = rng or random.Random()
        self._slots = asyncio.Semaphore(concurrency)
        self._wake = asyncio.Event()
        self._stopping = False
        self._task: asyncio.Task[None] | None = None
        self._http_session: aiohttp.ClientSession | None = None

    def __repr__(self) -> str:
        return f"OutboxDispatcher(url={self.url!r}, instance_id={self.instance_id!r})"

    # -- lifecycle -----------------------------------------------------------------------

    def start(self) -> None:
        """Run rounds in a background task until `stop()`."""
        if self._task is not None and not self._task.done():
            return
        self._stopping = False
        self._task = asyncio.get_running_loop().create_task(
            self._loop(), name=f"outbox-dispatcher {self.instance_id}"
        )

    @property
    def running(self) -> bool:
        return self._task is not None and not self._task.done()

    def notify(self) -> None:
        """Events were committed: start a round now instead of at the next poll."""
        self._wake.set()

    async def stop(self, timeout: float | None = None) -> None:
        """Stop polling; a round in flight gets `timeout` seconds (default: one request
        timeout and a second) to finish. After that its deliveries are cancelled, those
        already sent are recorded and the rest are given back, due at once, for the next
        instance to take without waiting for the lease."""
        self._stopping = True
        self._wake.set()
        task, self._task = self._task, None
        if task is not None:
            grace = self.timeout_s + 1.0 if timeout is None else timeout
            done, _ = await asyncio.wait({task}, timeout=grace)
            if not done:
                task.cancel()
            try:
                await task
            except asyncio.CancelledError:
                if not task.cancelled():  # our own caller is being cancelled
                    raise
            except Exception:
                log.exception("outbox dispatcher %s failed while stopping", self.instance_id)
        if self._http_session is not None:
            await self._http_session.close()
            self._http_session = None

    async def __aenter__(self) -> OutboxDispatcher:
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        await self.stop()

    async def _loop(self) -> None:
        failures = 0
        while not self._stopping:
            self._wake.clear()  # a notify() during the round starts the next one at once
            try:
                handled = await self.run_once()
            except Exception:
                failures += 1
                delay = min(MAX_ROUND_BACKOFF_S, self.poll_interval_s * 2.0**failures)
                log.exception(
                    "outbox dispatcher %s: round failed, next in %.0f s", self.instance_id, delay
                )
            else:
                failures = 0
                if handled >= self.batch_size:
                    continue  # a full batch: more are probably due
                delay = self.poll_interval_s
            if self._stopping:
                break
            with suppress(TimeoutError):
                await asyncio.wait_for(self._wake.wait(), delay)

    # -- one round -----------------------------------------------------------------------

    async def run_once(self) -> int:
        """Claim due events, deliver them, record the outcomes; returns how many were
        claimed."""
        now = as_utc(self.clock())
        async with self.session_factory() as session:
            claimed = await repository.claim_due(
                session,
                instance_id=self.instance_id,
                now=now,
                lease_until=now + timedelta(seconds=self.lease_s),
                limit=self.batch_size,
            )
            await session.commit()
        self.stats.rounds += 1
        if not claimed:
            return 0
        self.stats.claimed += len(claimed)
        # Real elapsed time, whatever the clock says: the lease bounds how long we may hold
        # the events, and a delivery that could outlast it is not started.
        last_start = time.monotonic() + self.lease_s * (1 - LEASE_RESERVE) - self.timeout_s
        started: set[int] = set()
        tasks = [asyncio.ensure_future(self._attempt(e, last_start, started)) for e in claimed]
        try:
            await asyncio.wait(tasks)
        except asyncio.CancelledError:
            for task in tasks:
                task.cancel()
            await asyncio.wait(tasks)
            # Shielded: the outcomes of what was sent must be kept even though we stop.
            await asyncio.shield(self._record(_collect(claimed, tasks, started)))
            raise
        await self._record(_collect(claimed, tasks, started))
        return len(claimed)

    def _http(self) -> aiohttp.ClientSession:
        if self._http_session is None or self._http_session.closed:
            self._http_session = aiohttp.ClientSession(
                timeout=aiohttp.ClientTimeout(total=self.timeout_s),
                connector=aiohttp.TCPConnector(limit=self.concurrency),
                headers={"user-agent": USER_AGENT},
            )
        return self._http_session

    async def _attempt(self, event: ClaimedEvent, last_start: float, started: set[int]) -> Attempt:
        async with self._slots:
            if time.monotonic() > last_start:
                return Attempt(event, Verdict.NOT_STARTED)
            started.add(event.id)
            # Signed at the moment of sending: receivers reject stale timestamps.
            return await post(self._http(), self.url, self._signer, event, as_utc(self.clock()))

    async def _record(self, attempts: Sequence[Attempt]) -> None:
        now = as_utc(self.clock())
        delivered: list[tuple[int, int]] = []
        retries: list[Retry] = []
        dead: list[Failure] = []
        not_started: list[int] = []
        interrupted: list[int] = []
        for attempt in attempts:
            event, verdict = attempt.event, attempt.verdict
            if verdict is Verdict.DELIVERED:
                delivered.append((event.id, attempt.status_code or 200))
            elif verdict is Verdict.NOT_STARTED:
                not_started.append(event.id)
            elif verdict is Verdict.INTERRUPTED:
                interrupted.append(event.id)
            elif verdict is Verdict.GONE or event.attempts >= self.max_attempts:
                dead.append(Failure(event.id, attempt.error or "", attempt.status_code))
                log.warning(
                    "webhook %s (%s) dead-lettered after %d attempt(s): %s",
                    event.webhook_id,
                    event.event_type,
                    event.attempts,
                    attempt.error,
                )
            else:
                delay = backoff_s(
                    event.attempts,
                    base_s=self.backoff_base_s,
                    max_s=self.backoff_max_s,
                    rng=self._rng,
                )
                retries.append(
                    Retry(
                        event.id,
                        now + timedelta(seconds=delay),
                        attempt.error or "",
                        attempt.status_code,
                    )
                )
                log.info(
                    "webhook %s attempt %d failed (%s); retry in %.1f s",
                    event.webhook_id,
                    event.attempts,
                    attempt.error,
                    delay,
                )
        mine = self.instance_id
        async with self.session_factory() as session:
            await repository.mark_delivered(session, delivered, now=now)
            await repository.schedule_retry(session, retries, instance_id=mine)
            await repository.mark_dead(session, dead, instance_id=mine, now=now)
            await repository.release(
                session, not_started, instance_id=mine, now=now, attempted=False
            )
            await repository.release(
                session, interrupted, instance_id=mine, now=now, attempted=True
            )
            await session.commit()
        stats = self.stats
        stats.delivered += len(delivered)
        stats.retried += len(retries)
        stats.dead += len(dead)
        stats.released += len(not_started) + len(interrupted)


def _collect(
    claimed: Sequence[ClaimedEvent], tasks: Sequence[asyncio.Future[Attempt]], started: set[int]
) -> list[Attempt]:
    """Each claimed event's attempt. A cancelled one (a stop) is interrupted if it was sent,
    else not started; an unexpected error counts as a failed attempt, so a payload that can
    never be sent ends dead instead of being retried forever."""
    attempts = []
    for event, task in zip(claimed, tasks, strict=True):
        if task.cancelled():
            verdict = Verdict.INTERRUPTED if event.id in started else Verdict.NOT_STARTED
            attempts.append(Attempt(event, verdict))
        elif (exc := task.exception()) is not None:
            log.error("webhook %s: delivery failed", event.webhook_id, exc_info=exc)
            attempts.append(Attempt(event, Verdict.FAILED, error=describe_error(exc)))
        else:
            attempts.append(task.result())
    return attempts


def dispatcher_from_settings(
    settings: Settings,
    session_factory: SessionFactory,
    *,
    clock: Clock,
    instance_id: str | None = None,
) -> OutboxDispatcher | None:
    """The dispatcher the settings ask for; None when no CRM webhook URL is set."""
    if not settings.crm_webhook_url or settings.crm_webhook_secret is None:
        return None
    return OutboxDispatcher(
        session_factory,
        url=settings.crm_webhook_url,
        secret=settings.crm_webhook_secret,
        clock=clock,
        instance_id=instance_id,
        max_attempts=settings.outbox_max_attempts,
        backoff_base_s=settings.outbox_backoff_base_s,
        backoff_max_s=settings.outbox_backoff_max_s,
        timeout_s=settings.crm_webhook_timeout,
        lease_s=max(60.0, settings.crm_webhook_timeout * 4),
    )
