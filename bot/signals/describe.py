"""Outbox events as an operator reads them (`barista outbox list`)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from bot.clock import as_utc
from storage.models import OutboxEvent
from storage.repositories import outbox as repository

STATUSES = (repository.PENDING, repository.DELIVERED, repository.DEAD)
MAX_ERROR_COLUMN = 60


@dataclass(frozen=True, slots=True)
class EventSummary:
    webhook_id: str
    event_type: str
    status: str
    attempts: int
    customer_id: int | None
    created_at: datetime
    next_attempt_at: datetime
    delivered_at: datetime | None
    last_status_code: int | None
    last_error: str | None
    claimed_by: str | None


def summarize(event: OutboxEvent) -> EventSummary:
    return EventSummary(
        webhook_id=event.webhook_id,
        event_type=event.event_type,
        status=event.status,
        attempts=event.attempts,
        customer_id=event.customer_id,
        created_at=as_utc(event.created_at),
        next_attempt_at=as_utc(event.next_attempt_at),
        delivered_at=as_utc(event.delivered_at) if event.delivered_at else None,
        last_status_code=event.last_status_code,
        last_error=event.last_error,
        claimed_by=event.claimed_by,
    )


async def list_events(
    session: AsyncSession, *, status: str | None, limit: int
) -> list[EventSummary]:
    """Newest first; `status=None` lists every status."""
    if status is not None and status not in STATUSES:
        raise ValueError(f"unknown status {status!r}: one of {', '.join(STATUSES)} or all")
    rows = await repository.list_by_status(session, status, limit=limit)
    return [summarize(row) for row in rows]


def _when(moment: datetime | None) -> str:
    return moment.strftime("%Y-%m-%d %H:%M:%S") if moment else "-"


def _short(text: str | None) -> str:
    if not text:
        return "-"
    line = " ".join(text.split())
    return line if len(line) <= MAX_ERROR_COLUMN else line[: MAX_ERROR_COLUMN - 1] + "…"


def format_table(events: Sequence[EventSummary]) -> str:
    """A plain-text table, one event per line (times in UTC)."""
    if not events:
        return "no events"
    header = ("webhook id", "type", "status", "tries", "customer", "created", "next/done", "last")
    rows = [header]
    for e in events:
        last = e.last_error or (str(e.last_status_code) if e.last_status_code else None)
        if e.status == repository.PENDING and e.claimed_by:
            last = f"claimed by {e.claimed_by}"
        rows.append(
            (
                e.webhook_id,
                e.event_type,
                e.status,
                str(e.attempts),
                str(e.customer_id) if e.customer_id is not None else "-",
                _when(e.created_at),
                _when(e.delivered_at if e.status == repository.DELIVERED else e.next_attempt_at),
                _short(last),
            )
        )
    widths = [max(len(row[i]) for row in rows) for i in range(len(header) - 1)]
    lines = [
        "  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=False))
        + "  "
        + row[-1]
        for row in rows
    ]
    return "\n".join(line.rstrip() for line in lines)
