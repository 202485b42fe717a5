"""The application's scheduler: APScheduler 3's `AsyncIOScheduler`, started and stopped with
the program, on the event loop. Jobs are few and fixed (the daily retention run; the
check-in sweeper; the CSAT sweep): in-memory job store, one instance at a time,
missed runs coalesced into one, and a grace time that survives a stalled loop."""

from __future__ import annotations

import logging
import os
import secrets
import socket
from collections.abc import Awaitable, Callable
from datetime import timedelta, timezone, tzinfo

from apscheduler.schedulers.asyncio import AsyncIOScheduler
from apscheduler.triggers.cron import CronTrigger
from apscheduler.triggers.interval import IntervalTrigger

from bot.checkins.config import CheckinConfig
from bot.clock import Clock
from bot.conversation.core import Conversation
from bot.privacy.retention import run_retention
from bot.settings import Settings
from storage.db import SessionFactory
from storage.queries.segments import take_snapshot

log = logging.getLogger(__name__)

# A retention run missed by up to this long (the bot was down at 04:00) still runs.
RETENTION_GRACE_S = 6 * 3600


def build_scheduler(
    settings: Settings,
    session_factory: SessionFactory,
    clock: Clock,
    conversation: Conversation | None = None,
) -> AsyncIOScheduler:
    """The scheduler with its jobs, not started (`start()` needs the running loop)."""
    zone = timezone(timedelta(minutes=settings.timezone_offset_minutes))
    scheduler = AsyncIOScheduler(
        timezone=zone,
        job_defaults={"coalesce": True, "max_instances": 1, "misfire_grace_time": 60},
    )

    async def retention() -> None:
        try:
            await run_retention(
                session_factory,
                now=clock(),
                message_days=settings.message_retention_days,
                event_days=settings.event_retention_days,
                consent_version=settings.consent_version,
                opt_in=settings.consent_mode == "opt_in",
            )
        except Exception:  # logged; tomorrow's run takes what is left (it is idempotent)
            log.exception("the retention run failed")

    scheduler.add_job(
        retention,
        CronTrigger(hour=settings.retention_hour, minute=0, timezone=zone),
        id="retention",
        name="retention: delete old message texts and site events",
        misfire_grace_time=RETENTION_GRACE_S,
        replace_existing=True,
    )
    if conversation is not None and settings.checkins_enabled:
        instance = f"{socket.gethostname()}:{os.getpid()}:{secrets.token_hex(3)}"
        config = CheckinConfig.from_settings(settings)

        async def checkins_job() -> None:
            try:
                await conversation.sweep_checkins(
                    now=clock(),
                    instance=instance,
                    batch=config.batch,
                    stale_after_s=config.stale_after_s,
                )
            except Exception:  # logged; the next sweep tries again
                log.exception("the check-in sweep failed")

        _every(
            scheduler,
            checkins_job,
            settings.checkin_sweep_seconds,
            zone,
            "checkins",
            "check-ins: send the due ones",
        )
    if conversation is not None and settings.csat_enabled:

        async def csat_job() -> None:
            try:
                await conversation.sweep_surveys(clock())
            except Exception:  # logged; the next sweep tries again
                log.exception("the CSAT sweep failed")

        _every(
            scheduler,
            csat_job,
            settings.csat_sweep_seconds,
            zone,
            "csat",
            "CSAT: ask customers whose dialog ended",
        )

    async def segment_snapshot() -> None:
        try:
            async with session_factory() as session:
                await take_snapshot(
                    session, now=clock(), utc_offset_minutes=settings.timezone_offset_minutes
                )
                await session.commit()
        except Exception:  # logged; /segments and tomorrow's run take one again
            log.exception("the segment snapshot failed")

    # The day's last counts per segment and score band: /segments compares with them.
    scheduler.add_job(
        segment_snapshot,
        CronTrigger(hour=23, minute=50, timezone=zone),
        id="segment_snapshot",
        name="analytics: customers per segment and band at the end of the day",
        misfire_grace_time=RETENTION_GRACE_S,
        replace_existing=True,
    )
    return scheduler


def _every(
    scheduler: AsyncIOScheduler,
    job: Callable[[], Awaitable[None]],
    seconds: float,
    zone: tzinfo,
    job_id: str,
    name: str,
) -> None:
    """A sweep every `seconds`: one at a time; sweeps missed while the loop stalled
    collapse into one."""
    scheduler.add_job(
        job,
        IntervalTrigger(seconds=seconds, timezone=zone),
        id=job_id,
        name=name,
        max_instances=1,
        coalesce=True,
        misfire_grace_time=int(max(60, 2 * seconds)),
        replace_existing=True,
    )
