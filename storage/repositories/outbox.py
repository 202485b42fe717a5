"""The webhook outbox and the signal state behind it.

Outbox rows are added in the caller's transaction (the event exists only if the change that
caused it commits) and delivered by dispatchers that may run in several processes at once.
A dispatcher *claims* due rows before sending them: the claim marks them with its instance id
and moves `next_attempt_at` to the end of a lease, in one atomic statement, so no other
dispatcher sees them as due until the lease runs out — which is how the claims of an instance
that died are taken over. Outcomes are written back guarded by that claim: a dispatcher whose
lease was taken over cannot overwrite the new owner's retry schedule.

Functions take the caller's session and never commit.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import bindparam, func, insert, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from storage.models import OutboxEvent, ShopCustomer, SignalState
from storage.models.outbox import DEAD, DELIVERED, PENDING

__all__ = [
    "DEAD",
    "DELIVERED",
    "PENDING",
    "ClaimedEvent",
    "Failure",
    "Retry",
    "active_signals",
    "add",
    "claim_due",
    "count_by_status",
    "get",
    "linked_shop_id",
    "list_by_status",
    "mark_dead",
    "mark_delivered",
    "release",
    "requeue_dead",
    "schedule_retry",
    "set_signal",
]

_T = OutboxEvent.__table__  # Core statements: no ORM identity map work on the hot paths
MAX_ERROR_CHARS = 500


@dataclass(frozen=True, slots=True)
class ClaimedEvent:
    """A row a dispatcher now holds under its lease."""

    id: int
    webhook_id: str
    event_type: str
    payload: dict[str, Any]
    attempts: int  # including the one this claim starts


@dataclass(frozen=True, slots=True)
class Retry:
    event_id: int
    at: datetime
    error: str
    status_code: int | None = None


@dataclass(frozen=True, slots=True)
class Failure:
    event_id: int
    error: str
    status_code: int | None = None


# -- writing events ----------------------------------------------------------------------


async def add(
    session: AsyncSession,
    *,
    webhook_id: str,
    event_type: str,
    customer_id: int | None,
    payload: dict[str, Any],
    now: datetime,
) -> None:
    """Add a pending event, due at once (one INSERT, nothing read back)."""
    await session.execute(
        insert(_T),
        {
            "webhook_id": webhook_id,
            "event_type": event_type,
            "customer_id": customer_id,
            "payload": payload,
            "status": PENDING,
            "attempts": 0,
            "next_attempt_at": now,
            "created_at": now,
        },
    )


# -- the dispatcher's side ---------------------------------------------------------------


async def claim_due(
    session: AsyncSession,
    *,
    instance_id: str,
    now: datetime,
    lease_until: datetime,
    limit: int,
) -> list[ClaimedEvent]:
    """Claim up to `limit` due pending events for `instance_id`, oldest first, atomically.

    PostgreSQL: the due rows are locked with `FOR UPDATE SKIP LOCKED` in a CTE and updated in
    the same statement, so two dispatchers claiming at once get disjoint rows without waiting
    for each other. SQLite: `UPDATE … WHERE id IN (SELECT …)` is one write statement, and
    SQLite runs one writer at a time. The claim counts as an attempt, so an event whose
    delivery kills its dispatcher every time still ends up dead instead of looping forever.
    """
    due_filter = (_T.c.status == PENDING, _T.c.next_attempt_at <= now)
    values = {
        "claimed_by": instance_id,
        "claimed_until": lease_until,
        "next_attempt_at": lease_until,
        "attempts": _T.c.attempts + 1,
    }
    returning = (_T.c.id, _T.c.webhook_id, _T.c.event_type, _T.c.payload, _T.c.attempts)
    bind = session.get_bind()
    if bind.dialect.name == "postgresql":
        due = (
            select(_T.c.id)
            .where(*due_filter)
            .order_by(_T.c.next_attempt_at, _T.c.id)
            .limit(limit)
            .with_for_update(skip_locked=True)
            .cte("due")
        )
        statement = update(_T).where(_T.c.id == due.c.id).values(values).returning(*returning)
    else:
        due_ids = (
            select(_T.c.id)
            .where(*due_filter)
            .order_by(_T.c.next_attempt_at, _T.c.id)
            .limit(limit)
            .scalar_subquery()
        )
        statement = update(_T).where(_T.c.id.in_(due_ids)).values(values).returning(*returning)
    result = await session.execute(statement)
    claimed = [ClaimedEvent(*row) for row in result.all()]
    # RETURNING does not promise an order: deliver oldest first.
    claimed.sort(key=lambda event: event.id)
    return claimed


def _clip(error: str) -> str:
    return error if len(error) <= MAX_ERROR_CHARS else error[: MAX_ERROR_CHARS - 1] + "…"


async def mark_delivered(
    session: AsyncSession, delivered: Sequence[tuple[int, int]], *, now: datetime
) -> None:
    """(event id, HTTP status) pairs the receiver accepted.

    Not guarded by the claim: a success is a fact whoever learned it, and an event delivered
    once must not be sent again by an instance that took over a lapsed lease.
    """
    if not delivered:
        return
    statement = (
        update(_T)
        .where(_T.c.id == bindparam("event_id"), _T.c.status == PENDING)
        .values(
            status=DELIVERED,
            delivered_at=now,
            last_status_code=bindparam("code"),
            last_error=None,
            claimed_by=None,
            claimed_until=None,
        )
    )
    connection = await session.connection()
    await connection.execute(statement, [{"event_id": i, "code": c} for i, c in delivered])


async def schedule_retry(
    session: AsyncSession, retries: Sequence[Retry], *, instance_id: str
) -> None:
    """Failed attempts: pending again, due at each retry's time; only where `instance_id`
    still holds the claim."""
    if not retries:
        return
    statement = (
        update(_T)
        .where(
            _T.c.id == bindparam("event_id"),
            _T.c.status == PENDING,
            _T.c.claimed_by == instance_id,
        )
        .values(
            next_attempt_at=bindparam("at"),
            last_error=bindparam("error"),
            last_status_code=bindparam("code"),
            claimed_by=None,
            claimed_until=None,
        )
    )
    connection = await session.connection()
    await connection.execute(
        statement,
        [
            {"event_id": r.event_id, "at": r.at, "error": _clip(r.error), "code": r.status_code}
            for r in retries
        ],
    )


async def mark_dead(
    session: AsyncSession, failures: Sequence[Failure], *, instance_id: str, now: datetime
) -> None:
    """Give up on events (attempts exhausted, or the receiver said 410 Gone); only where
    `instance_id` still holds the claim. `next_attempt_at` keeps when it died."""
    if not failures:
        return
    statement = (
        update(_T)
        .where(
            _T.c.id == bindparam("event_id"),
            _T.c.status == PENDING,
            _T.c.claimed_by == instance_id,
        )
        .values(
            status=DEAD,
            next_attempt_at=now,
            last_error=bindparam("error"),
            last_status_code=bindparam("code"),
            claimed_by=None,
            claimed_until=None,
        )
    )
    connection = await session.connection()
    await connection.execute(
        statement,
        [
            {"event_id": f.event_id, "error": _clip(f.error), "code": f.status_code}
            for f in failures
        ],
    )


async def release(
    session: AsyncSession,
    event_ids: Sequence[int],
    *,
    instance_id: str,
    now: datetime,
    attempted: bool,
) -> None:
    """Give claimed events back, due at once (a dispatcher stopping, or a lease too short to
    start them). `attempted=False` un-counts the attempt the claim counted."""
    if not event_ids:
        return
    await session.execute(
        update(_T)
        .where(
            _T.c.id.in_(list(event_ids)),
            _T.c.status == PENDING,
            _T.c.claimed_by == instance_id,
        )
        .values(
            next_attempt_at=now,
            claimed_by=None,
            claimed_until=None,
            attempts=_T.c.attempts if attempted else _T.c.attempts - 1,
        )
    )


# -- reading and operating ---------------------------------------------------------------


async def get(session: AsyncSession, webhook_id: str) -> OutboxEvent | None:
    result = await session.execute(select(OutboxEvent).where(OutboxEvent.webhook_id == webhook_id))
    return result.scalar_one_or_none()


async def list_by_status(
    session: AsyncSession, status: str | None, *, limit: int = 50
) -> list[OutboxEvent]:
    """Events with `status` (every status when None), newest first."""
    query = select(OutboxEvent)
    if status is not None:
        query = query.where(OutboxEvent.status == status)
    query = query.order_by(col(OutboxEvent.id).desc()).limit(limit)
    return list((await session.execute(query)).scalars())


async def count_by_status(session: AsyncSession) -> dict[str, int]:
    result = await session.execute(
        select(OutboxEvent.status, func.count()).group_by(OutboxEvent.status)
    )
    return {status: int(n) for status, n in result.all()}


async def requeue_dead(
    session: AsyncSession, *, webhook_ids: Sequence[str] | None, now: datetime
) -> int:
    """Dead events back to pending, attempts reset, due now; `webhook_ids=None` means every
    dead event. Returns how many were re-queued (ids that are not dead are left alone)."""
    statement = update(_T).where(_T.c.status == DEAD)
    if webhook_ids is not None:
        if not webhook_ids:
            return 0
        statement = statement.where(_T.c.webhook_id.in_(list(webhook_ids)))
    result = await session.execute(
        statement.values(
            status=PENDING,
            attempts=0,
            next_attempt_at=now,
            claimed_by=None,
            claimed_until=None,
        )
    )
    return int(result.rowcount)  # type: ignore[attr-defined]


# -- signal state ------------------------------------------------------------------------


async def active_signals(session: AsyncSession) -> list[tuple[int, str]]:
    """(customer id, signal key) of every signal that fired and was not re-armed."""
    result = await session.execute(
        select(SignalState.customer_id, SignalState.key).where(col(SignalState.active))
    )
    return [(int(customer_id), key) for customer_id, key in result.all()]


async def set_signal(
    session: AsyncSession,
    *,
    customer_id: int,
    key: str,
    active: bool,
    value: float,
    now: datetime,
) -> None:
    """Record that a customer's signal fired (`active`) or was re-armed."""
    table = SignalState.__table__
    insert_ = (
        postgresql.insert if session.get_bind().dialect.name == "postgresql" else sqlite.insert
    )
    statement = insert_(table).values(
        customer_id=customer_id, key=key, active=active, value=value, changed_at=now
    )
    statement = statement.on_conflict_do_update(
        index_elements=["customer_id", "key"],
        set_={
            "active": statement.excluded.active,
            "value": statement.excluded.value,
            "changed_at": statement.excluded.changed_at,
        },
    )
    await session.execute(statement)


async def linked_shop_id(session: AsyncSession, customer_id: int) -> str | None:
    """The shop's own id of the customer a chat is linked to (the earliest link), for the
    webhook payload; read only when a signal fires."""
    result = await session.execute(
        select(ShopCustomer.shop_id)
        .where(ShopCustomer.customer_id == customer_id)
        .order_by(col(ShopCustomer.id))
        .limit(1)
    )
    return result.scalar_one_or_none()
