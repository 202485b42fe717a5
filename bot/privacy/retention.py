"""The daily retention job: message texts older than MESSAGE_RETENTION_DAYS and site events
older than EVENT_RETENTION_DAYS are deleted; the aggregate profile (which holds no text)
stays. Batched, with a commit after each batch, so no long lock is held on a big table;
idempotent (a second run finds nothing); logged, and noted in the erasure log when it
deleted anything."""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy.ext.asyncio import AsyncSession

from storage.db import SessionFactory
from storage.models.privacy import REASON_RETENTION
from storage.repositories import privacy

log = logging.getLogger(__name__)

BATCH = 1000


# Messages of a customer without consent are kept no longer than the dialog they belong to;
# a day is past the end of any dialog (30 minutes of silence end one).
UNCONSENTED_KEEP = timedelta(days=1)


@dataclass(frozen=True, slots=True)
class RetentionResult:
    messages: int
    site_events: int
    unconsented: int = 0
    survey_comments: int = 0


async def _drain(
    session_factory: SessionFactory,
    delete: Callable[[AsyncSession, datetime, int], Awaitable[int]],
    before: datetime,
    batch: int,
) -> int:
    total = 0
    while True:
        async with session_factory() as session:
            deleted = await delete(session, before, batch)
            await session.commit()
        total += deleted
        if deleted < batch:
            return total


async def run_retention(
    session_factory: SessionFactory,
    *,
    now: datetime,
    message_days: int,
    event_days: int,
    consent_version: str,
    opt_in: bool,
    batch: int = BATCH,
) -> RetentionResult:
    """Delete what is past its retention, batch by batch; returns the counts."""

    async def unconsented(session: AsyncSession, before: datetime, size: int) -> int:
        return await privacy.delete_unconsented_history(
            session, before, version=consent_version, opt_in=opt_in, batch=size
        )

    messages = await _drain(
        session_factory,
        privacy.delete_old_message_texts,
        now - timedelta(days=message_days),
        batch,
    )
    events = await _drain(
        session_factory,
        privacy.delete_old_site_events,
        now - timedelta(days=event_days),
        batch,
    )
    without = await _drain(session_factory, unconsented, now - UNCONSENTED_KEEP, batch)
    async with session_factory() as session:
        comments = await privacy.clear_old_survey_comments(
            session,
            now - timedelta(days=message_days),
            unconsented_before=now - UNCONSENTED_KEEP,
            version=consent_version,
            opt_in=opt_in,
        )
        await session.commit()
    if messages or events or without or comments:
        async with session_factory() as session:
            await privacy.add_erasure_log(
                session,
                at=now,
                channel="all",
                reason=REASON_RETENTION,
                requested_by="retention_job",
                subject_hash=None,
                rows_deleted={
                    "message": messages + without,
                    "site_event": events,
                    "survey_comment": comments,
                },
            )
            await session.commit()
    log.info(
        "retention: deleted %d messages older than %d days, %d site events older than %d "
        "days, %d messages of customers without consent, %d survey comments",
        messages,
        message_days,
        events,
        event_days,
        without,
        comments,
    )
    return RetentionResult(messages, events, without, comments)
