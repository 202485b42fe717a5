"""Proactive check-ins: the plan, the sweeper's atomic claims, attempts and outcomes.

The plan lives in the database, so a restart loses nothing. A customer has at most one
planned check-in per trigger (a partial unique index); planning again moves it (an upsert
against that index, safe when two writers plan at once).

Sweepers, possibly in several processes, *claim* due check-ins: at most one per customer per
claim, the earliest due. The customer's other due check-ins are skipped as "coalesced" and
those due too long ago as "stale" in the same transaction, so a bot that was down sends one
message per customer, not a burst. A customer with a check-in in flight gets no second one
until it ends. Two claimers never get the same row nor rows of the same customer:

- PostgreSQL: the claimer first locks the customers it will serve (`FOR NO KEY UPDATE SKIP
  LOCKED` on their `customer` rows, so another claimer skips them without waiting), then
  changes their check-ins in statements that see everything committed before those locks.
- SQLite: one writer at a time; each change re-checks its conditions when it runs.

A claim holds a lease. A claimed check-in whose lease ran out (its process was killed) is
marked "lost" and never sent again: a missed check-in is better than a repeated one. Outcomes
are written back guarded by the claim's instance id.

Status changes go through ORM-enabled UPDATE statements, so a `Checkin` the session already
holds shows the new values. Functions take the caller's session and never commit.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import JSON, ColumnElement, String, and_, cast, exists, func, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import aliased
from sqlmodel import col

from storage.models import Checkin, Customer
from storage.models.checkin import (
    ATTEMPT_OUTCOMES,
    CANCELLED,
    CLAIMED,
    ENDED_STATUSES,
    FAILED,
    FINISH_STATUSES,
    LOST,
    MAX_ERROR_CHARS,
    MAX_SLOT_REASON_CHARS,
    OUTCOMES,
    PLANNED,
    PLANNED_WHERE,
    SENT,
    SKIP_COALESCED,
    SKIP_STALE,
    SKIPPED,
    TRIGGERS,
)

__all__ = [
    "ATTEMPT_OUTCOMES",
    "CANCELLED",
    "CLAIMED",
    "ENDED_STATUSES",
    "FAILED",
    "LOST",
    "OUTCOMES",
    "PLANNED",
    "SENT",
    "SKIPPED",
    "SKIP_COALESCED",
    "SKIP_STALE",
    "TRIGGERS",
    "cancel_for",
    "claim_due",
    "due",
    "finish",
    "last_sent",
    "mark_lost",
    "plan",
    "planned_for",
    "planned_until",
    "record_attempt",
    "record_outcome",
    "sent_since",
    "stats",
]

_FETCH = {"synchronize_session": "fetch"}


def _clip(value: str | None, limit: int) -> str | None:
    if value is None or len(value) <= limit:
        return value
    return value[: limit - 1] + "…"


def _rowcount(result: Any) -> int:
    return int(result.rowcount)


def _is_postgres(session: AsyncSession) -> bool:
    return session.get_bind().dialect.name == "postgresql"


# -- planning ----------------------------------------------------------------------------


async def plan(
    session: AsyncSession,
    *,
    customer_id: int,
    trigger: str,
    due_at: datetime,
    slot_reason: str,
    detail: dict[str, Any] | None,
    now: datetime,
) -> Checkin:
    """Plan a check-in: a new planned one, or the customer's planned one for `trigger` moved
    to `due_at` with the new reason and detail (and `planned_at=now`).

    One INSERT … ON CONFLICT (customer_id, trigger) WHERE status = 'planned' DO UPDATE, so two
    writers planning at once leave one planned row. A check-in already claimed or ended is not
    touched: the new plan is a new row. `slot_reason` is clipped to 300 characters.
    """
    insert_ = postgresql.insert if _is_postgres(session) else sqlite.insert
    statement = insert_(Checkin).values(
        customer_id=customer_id,
        trigger=trigger,
        status=PLANNED,
        due_at=due_at,
        slot_reason=_clip(slot_reason, MAX_SLOT_REASON_CHARS),
        detail=detail,
        planned_at=now,
        attempts=[],
    )
    statement = statement.on_conflict_do_update(
        index_elements=["customer_id", "trigger"],
        index_where=PLANNED_WHERE,
        set_={
            "due_at": statement.excluded.due_at,
            "slot_reason": statement.excluded.slot_reason,
            "detail": statement.excluded.detail,
            "planned_at": statement.excluded.planned_at,
        },
    ).returning(Checkin)
    result = await session.execute(statement, execution_options={"populate_existing": True})
    return result.scalar_one()


async def cancel_for(
    session: AsyncSession,
    customer_id: int,
    *,
    reason: str,
    now: datetime,
    triggers: Sequence[str] | None = None,
) -> int:
    """The customer's planned check-ins (only those of `triggers` when given) → cancelled,
    with `reason` ("opted_out", "blocked", "consent_withdrawn", "superseded"…). Claimed ones
    are left to their sweeper. Returns how many were cancelled."""
    conditions = [col(Checkin.customer_id) == customer_id, col(Checkin.status) == PLANNED]
    if triggers is not None:
        if not triggers:
            return 0
        conditions.append(col(Checkin.trigger).in_(list(triggers)))
    result = await session.execute(
        update(Checkin)
        .where(*conditions)
        .values(status=CANCELLED, skip_reason=reason, ended_at=now),
        execution_options=_FETCH,
    )
    return _rowcount(result)


# -- reading the plan --------------------------------------------------------------------


async def _planned(
    session: AsyncSession, *conditions: ColumnElement[bool], limit: int | None
) -> list[Checkin]:
    query = (
        select(Checkin)
        .where(col(Checkin.status) == PLANNED, *conditions)
        .order_by(col(Checkin.due_at), col(Checkin.id))
    )
    if limit is not None:
        query = query.limit(limit)
    return list((await session.execute(query)).scalars())


async def due(session: AsyncSession, now: datetime, *, limit: int = 100) -> list[Checkin]:
    """Planned check-ins due at `now` (`due_at <= now`), oldest first; read only (for
    `barista checkins preview`)."""
    return await _planned(session, col(Checkin.due_at) <= now, limit=limit)


async def planned_until(
    session: AsyncSession, until: datetime, *, limit: int = 1000
) -> list[Checkin]:
    """Planned check-ins due by `until`, oldest first; read only."""
    return await _planned(session, col(Checkin.due_at) <= until, limit=limit)


async def planned_for(session: AsyncSession, customer_id: int) -> list[Checkin]:
    """The customer's planned check-ins, soonest first."""
    return await _planned(session, col(Checkin.customer_id) == customer_id, limit=None)


# -- the sweeper's side ------------------------------------------------------------------


async def _customers_to_serve(session: AsyncSession, now: datetime, limit: int) -> list[int]:
    """Up to `limit` customers with a due planned check-in and none in flight, the longest
    waiting first. On PostgreSQL their `customer` rows are locked (FOR NO KEY UPDATE, which
    does not block inserts that reference them) and rows another claimer holds are skipped."""
    due_rows = (
        select(
            col(Checkin.customer_id).label("customer_id"),
            func.min(col(Checkin.due_at)).label("first_due"),
        )
        .where(col(Checkin.status) == PLANNED, col(Checkin.due_at) <= now)
        .group_by(col(Checkin.customer_id))
        .subquery("due_customers")
    )
    in_flight = aliased(Checkin, name="in_flight")
    query = (
        select(col(Customer.id))
        .join(due_rows, due_rows.c.customer_id == col(Customer.id))
        .where(
            ~exists()
            .where(
                col(in_flight.customer_id) == col(Customer.id),
                col(in_flight.status) == CLAIMED,
            )
            .correlate(Customer)
        )
        .order_by(due_rows.c.first_due, col(Customer.id))
        .limit(limit)
        .with_for_update(skip_locked=True, key_share=True, of=Customer)
    )
    return [int(customer_id) for customer_id in (await session.execute(query)).scalars()]


async def claim_due(
    session: AsyncSession,
    now: datetime,
    *,
    instance: str,
    lease_s: float,
    limit: int = 100,
    stale_after_s: float,
) -> list[Checkin]:
    """Claim due planned check-ins for `instance`: at most one per customer (its earliest
    due), for up to `limit` customers, the longest waiting first. Returns the claimed rows
    (status "claimed", `claimed_by=instance`, `claimed_at=now`, `lease_until=now+lease_s`),
    oldest due first.

    In the same transaction, for the customers served: planned check-ins due before
    `now - stale_after_s` are skipped as "stale"; a customer's other due ones are skipped as
    "coalesced" once one of theirs is claimed. Customers with a check-in in flight are left
    alone until it ends. A customer whose due check-ins were all stale takes one of the
    `limit` places and yields no claim, so fewer than `limit` rows may come back while more
    are due: the sweeper simply claims again. Commit right after the claim, before sending:
    on PostgreSQL the served customers' rows stay locked until then.
    """
    customer_ids = await _customers_to_serve(session, now, limit)
    if not customer_ids:
        return []
    stale_before = now - timedelta(seconds=stale_after_s)
    mine = col(Checkin.customer_id).in_(customer_ids)
    planned = col(Checkin.status) == PLANNED

    await session.execute(
        update(Checkin)
        .where(mine, planned, col(Checkin.due_at) < stale_before)
        .values(status=SKIPPED, skip_reason=SKIP_STALE, ended_at=now),
        execution_options=_FETCH,
    )

    candidate = aliased(Checkin, name="candidate")
    in_flight = aliased(Checkin, name="in_flight")
    ranked = (
        select(
            col(candidate.id).label("id"),
            func.row_number()
            .over(
                partition_by=col(candidate.customer_id),
                order_by=(col(candidate.due_at), col(candidate.id)),
            )
            .label("rank"),
        )
        .where(
            col(candidate.customer_id).in_(customer_ids),
            col(candidate.status) == PLANNED,
            col(candidate.due_at) <= now,
            col(candidate.due_at) >= stale_before,
            ~exists()
            .where(
                col(in_flight.customer_id) == col(candidate.customer_id),
                col(in_flight.status) == CLAIMED,
            )
            .correlate(candidate),
        )
        .subquery("ranked")
    )
    firsts = select(ranked.c.id).where(ranked.c.rank == 1)
    result = await session.execute(
        update(Checkin)
        .where(col(Checkin.id).in_(firsts), planned)
        .values(
            status=CLAIMED,
            claimed_by=instance,
            claimed_at=now,
            lease_until=now + timedelta(seconds=lease_s),
        )
        .returning(Checkin),
        execution_options=_FETCH,
    )
    claimed = list(result.scalars())
    if claimed:
        await session.execute(
            update(Checkin)
            .where(
                col(Checkin.customer_id).in_([c.customer_id for c in claimed]),
                planned,
                col(Checkin.due_at) <= now,
            )
            .values(status=SKIPPED, skip_reason=SKIP_COALESCED, ended_at=now),
            execution_options=_FETCH,
        )
    # RETURNING does not promise an order.
    claimed.sort(key=lambda checkin: (checkin.due_at, checkin.id or 0))
    return claimed


async def record_attempt(
    session: AsyncSession,
    checkin_id: int,
    *,
    at: datetime,
    outcome: str,
    error: str | None = None,
) -> bool:
    """Append one send attempt {"at", "outcome", "error"} to the check-in's `attempts`, in
    one statement (no read back). `outcome` is one of ATTEMPT_OUTCOMES; `error` is clipped
    to 500 characters. False when there is no such check-in."""
    if outcome not in ATTEMPT_OUTCOMES:
        raise ValueError(f"an attempt's outcome is one of {ATTEMPT_OUTCOMES}, not {outcome!r}")
    entry = {"at": at.isoformat(), "outcome": outcome, "error": _clip(error, MAX_ERROR_CHARS)}
    attempts = col(Checkin.attempts)
    appended: Any
    if _is_postgres(session):
        # The column is `json`: append as jsonb (array || array), store as json.
        tail = cast(cast(json.dumps([entry], ensure_ascii=False), String), JSONB)
        appended = cast(cast(attempts, JSONB).op("||")(tail), JSON)
    else:
        appended = func.json_insert(attempts, "$[#]", func.json(json.dumps(entry)))
    result = await session.execute(
        update(Checkin).where(col(Checkin.id) == checkin_id).values(attempts=appended),
        execution_options=_FETCH,
    )
    return _rowcount(result) == 1


async def finish(
    session: AsyncSession,
    checkin_id: int,
    *,
    status: str,
    at: datetime,
    message_id: str | None = None,
    skip_reason: str | None = None,
    instance: str,
) -> bool:
    """End a claimed check-in as "sent" (with `sent_at=at` and the channel's `message_id`),
    "failed", "skipped" or "cancelled" (with `skip_reason`). Only where `instance` holds the
    claim: True when this call ended it.

    A check-in marked lost because its lease ran out while its (slow, not dead) sweeper was
    still sending is ended too by that same instance, so what really happened is recorded;
    nobody else ever sends a lost check-in, so no other sweeper's outcome is overwritten.
    """
    if status not in FINISH_STATUSES:
        raise ValueError(f"a claimed check-in ends as one of {FINISH_STATUSES}, not {status!r}")
    values: dict[str, Any] = {"status": status, "ended_at": at, "lease_until": None}
    if status == SENT:
        values.update(sent_at=at, message_id=message_id)
    if skip_reason is not None:
        values["skip_reason"] = skip_reason
    result = await session.execute(
        update(Checkin)
        .where(
            col(Checkin.id) == checkin_id,
            col(Checkin.status).in_((CLAIMED, LOST)),
            col(Checkin.claimed_by) == instance,
        )
        .values(values),
        execution_options=_FETCH,
    )
    return _rowcount(result) == 1


async def mark_lost(session: AsyncSession, now: datetime) -> int:
    """Claimed check-ins whose lease ran out before `now` (their process died) → "lost",
    never to be sent again. Returns how many. On PostgreSQL rows another transaction is
    changing are skipped (the next sweep sees them)."""
    lapsed = (col(Checkin.status) == CLAIMED, col(Checkin.lease_until) < now)
    values = {"status": LOST, "ended_at": now}
    if _is_postgres(session):
        ids = select(col(Checkin.id)).where(*lapsed).with_for_update(skip_locked=True).cte("lapsed")
        statement = update(Checkin).where(col(Checkin.id) == ids.c.id, *lapsed)
    else:
        statement = update(Checkin).where(*lapsed)
    result = await session.execute(statement.values(values), execution_options=_FETCH)
    return _rowcount(result)


# -- caps and outcomes -------------------------------------------------------------------

_SENT = col(Checkin.status) == SENT


async def last_sent(session: AsyncSession, customer_id: int) -> datetime | None:
    """When the customer was last sent a check-in, if ever."""
    result = await session.execute(
        select(func.max(col(Checkin.sent_at))).where(col(Checkin.customer_id) == customer_id, _SENT)
    )
    return result.scalar_one_or_none()


async def sent_since(session: AsyncSession, customer_id: int, since: datetime) -> int:
    """How many check-ins the customer was sent at or after `since` (frequency caps)."""
    result = await session.execute(
        select(func.count()).where(
            col(Checkin.customer_id) == customer_id, _SENT, col(Checkin.sent_at) >= since
        )
    )
    return int(result.scalar_one())


async def record_outcome(
    session: AsyncSession, customer_id: int, *, outcome: str, at: datetime, within_s: float
) -> int:
    """Attribute what the customer did at `at` ("replied", "converted", "opted_out") to the
    check-in they were sent last, if it was sent within `within_s` before `at` and has no
    outcome yet (the first outcome counts; a later one is not moved to an older check-in).
    Returns the rows updated, 0 or 1."""
    if outcome not in OUTCOMES:
        raise ValueError(f"a check-in's outcome is one of {OUTCOMES}, not {outcome!r}")
    latest = (
        select(col(Checkin.id))
        .where(
            col(Checkin.customer_id) == customer_id,
            _SENT,
            col(Checkin.sent_at) <= at,
            col(Checkin.sent_at) >= at - timedelta(seconds=within_s),
        )
        .order_by(col(Checkin.sent_at).desc(), col(Checkin.id).desc())
        .limit(1)
        .scalar_subquery()
    )
    result = await session.execute(
        update(Checkin)
        .where(col(Checkin.id) == latest, col(Checkin.outcome).is_(None))
        .values(outcome=outcome, outcome_at=at),
        execution_options=_FETCH,
    )
    return _rowcount(result)


async def stats(session: AsyncSession, since: datetime) -> dict[str, dict[str, int]]:
    """Check-ins due at or after `since`: {"status": {status: n}, "outcome": {outcome: n},
    "skip_reason": {reason: n}} (skipped and cancelled ones by reason)."""
    recent = col(Checkin.due_at) >= since
    counts: dict[str, dict[str, int]] = {}
    for name, column, condition in (
        ("status", col(Checkin.status), None),
        ("outcome", col(Checkin.outcome), col(Checkin.outcome).is_not(None)),
        ("skip_reason", col(Checkin.skip_reason), col(Checkin.skip_reason).is_not(None)),
    ):
        query = select(column, func.count()).where(recent).group_by(column)
        if condition is not None:
            query = query.where(and_(condition))
        result = await session.execute(query)
        counts[name] = {str(key): int(n) for key, n in result.all()}
    return counts
