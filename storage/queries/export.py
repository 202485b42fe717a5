"""/export: every customer and every dialog of a period as rows of text, for CSV files.

The rows come a batch at a time (keyset pagination by id, `BATCH` rows per statement), so
100,000 customers never sit in memory at once and no statement holds a cursor open across
the caller's writing. Each batch reads its aggregates (dialogs, conversions, ratings) for
the batch's id range only, through the tables' customer and dialog indexes.

Values are strings: "" for none, "1"/"0" for yes/no, ISO-8601 UTC for times, scores
rounded to 3 places, money to 2.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Select, func, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import aliased
from sqlmodel import col

from storage.models import AdSource, Conversion, Customer, Dialog, Profile, Survey
from storage.queries.common import SEGMENTS, in_period, segment_expression
from storage.queries.cube import escalated_dialogs

BATCH = 5_000

CUSTOMER_COLUMNS: tuple[str, ...] = (
    "id",
    "channel",
    "username",
    "first_name",
    "language",
    "holdout",
    "created_at",
    "last_seen_at",
    "first_source",
    "last_source",
    "consent",
    "profiling_opt_out",
    "checkins_opt_out",
    "blocked",
    "segment",
    *SEGMENTS,
    "hotness",
    "churn",
    "dialogs",
    "conversions",
    "revenue",
    "csat_mean",
)
DIALOG_COLUMNS: tuple[str, ...] = (
    "dialog_id",
    "customer_id",
    "started_at",
    "source",
    "group",
    "segment",
    "converted",
    "conversion_kind",
    "seconds_to_action",
    "revenue",
    "escalated",
    "csat",
)


def text(value: Any, places: int = 3) -> str:
    """One CSV field: "" for None, "1"/"0" for booleans, ISO-8601 UTC for datetimes, floats
    rounded to `places`."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, datetime):
        # SQLite hands back naive datetimes that are UTC already: never read them as the
        # server's local time.
        aware = value if value.tzinfo is not None else value.replace(tzinfo=UTC)
        return aware.astimezone(UTC).isoformat()
    if isinstance(value, float):
        return str(round(value, places))
    return str(value)


def _customer_batch(after: int) -> Select[Any]:
    first_source, last_source = aliased(AdSource), aliased(AdSource)
    return (
        select(
            Customer.id,
            Customer.channel,
            Customer.username,
            Customer.first_name,
            Customer.language,
            Customer.holdout,
            Customer.created_at,
            Customer.last_seen_at,
            first_source.payload,
            last_source.payload,
            Customer.consent,
            Customer.profiling_opt_out,
            Customer.checkins_opt_out,
            Customer.blocked,
            segment_expression(),
            *(getattr(Profile, name) for name in SEGMENTS),
            Profile.hotness,
            Profile.churn,
        )
        .outerjoin(first_source, first_source.id == col(Customer.first_source_id))
        .outerjoin(last_source, last_source.id == col(Customer.last_source_id))
        .outerjoin(Profile, col(Profile.customer_id) == col(Customer.id))
        .where(col(Customer.id) > after)
        .order_by(col(Customer.id))
        .limit(BATCH)
    )


async def _per_customer(
    session: AsyncSession, statement: Select[Any], column: Any, low: int, high: int
) -> dict[int, tuple[Any, ...]]:
    """`statement` (grouped by `column`) for the customers low..high: id → the rest."""
    rows = await session.execute(statement.where(column.between(low, high)).group_by(column))
    return {int(row[0]): tuple(row[1:]) for row in rows.all()}


async def customer_rows(session: AsyncSession) -> AsyncIterator[tuple[str, ...]]:
    """Every customer, by id, as CUSTOMER_COLUMNS: who they are, their choices, their
    current segment and scores (empty without a profile), and their totals over all time —
    dialogs, conversions, revenue and mean CSAT rating."""
    after = 0
    while True:
        batch = (await session.execute(_customer_batch(after))).all()
        if not batch:
            return
        low, high = int(batch[0][0]), int(batch[-1][0])
        dialogs = await _per_customer(
            session, select(Dialog.customer_id, func.count()), col(Dialog.customer_id), low, high
        )
        conversions = await _per_customer(
            session,
            select(Conversion.customer_id, func.count(), func.sum(Conversion.revenue)),
            col(Conversion.customer_id),
            low,
            high,
        )
        ratings = await _per_customer(
            session,
            select(Survey.customer_id, func.avg(Survey.rating)).where(
                col(Survey.rating).between(1, 5)
            ),
            col(Survey.customer_id),
            low,
            high,
        )
        for row in batch:
            customer_id = int(row[0])
            converted, revenue = conversions.get(customer_id, (0, None))
            (csat,) = ratings.get(customer_id, (None,))
            yield (
                *(text(value) for value in row),  # scores "" without a profile
                text(dialogs.get(customer_id, (0,))[0]),
                text(converted),
                text(float(revenue or 0.0), places=2),
                text(None if csat is None else float(csat)),  # "" if never rated
            )
        after = high


def _dialog_batch(since: datetime | None, until: datetime, after: int) -> Select[Any]:
    return (
        select(
            Dialog.id,
            Dialog.customer_id,
            Dialog.started_at,
            AdSource.payload,
            Customer.holdout,
            segment_expression(),
            Survey.rating,
        )
        .join(Customer, col(Customer.id) == col(Dialog.customer_id))
        .outerjoin(Profile, col(Profile.customer_id) == col(Dialog.customer_id))
        .outerjoin(AdSource, col(AdSource.id) == col(Dialog.source_id))
        .outerjoin(Survey, col(Survey.dialog_id) == col(Dialog.id))
        .where(in_period(col(Dialog.started_at), since, until), col(Dialog.id) > after)
        .order_by(col(Dialog.id))
        .limit(BATCH)
    )


async def dialog_rows(
    session: AsyncSession, *, since: datetime | None, until: datetime
) -> AsyncIterator[tuple[str, ...]]:
    """Every dialog begun in the period, by id, as DIALOG_COLUMNS: its source payload
    ("" for direct), the customer's group (adaptive/holdout) and current segment, whether
    it converted (its earliest conversion's kind and seconds, the revenue of all of them),
    whether it was escalated, and its CSAT rating ("" if not rated). Definitions as in
    `metrics`."""
    # Handoffs are few: their dialogs are found once (as `metrics` finds them).
    escalated = escalated_dialogs(since)
    handed = {
        int(dialog_id)
        for (dialog_id,) in (await session.execute(select(escalated.c.dialog_id))).all()
        if dialog_id is not None
    }
    after = 0
    while True:
        batch = (await session.execute(_dialog_batch(since, until, after))).all()
        if not batch:
            return
        low, high = int(batch[0][0]), int(batch[-1][0])
        conversions = await session.execute(
            select(
                Conversion.dialog_id,
                Conversion.kind,
                Conversion.seconds_from_dialog_start,
                Conversion.revenue,
            )
            .where(col(Conversion.dialog_id).between(low, high))
            .order_by(col(Conversion.dialog_id), col(Conversion.at), col(Conversion.id))
        )
        # dialog → (earliest kind, its seconds, total revenue)
        converted: dict[int, tuple[str, float | None, float | None]] = {}
        for dialog_id, kind, seconds, revenue in conversions.all():
            earlier = converted.get(dialog_id)
            if earlier is None:
                converted[dialog_id] = (kind, seconds, revenue)
            elif revenue is not None:
                converted[dialog_id] = (*earlier[:2], (earlier[2] or 0.0) + revenue)
        for dialog_id, customer_id, started_at, payload, holdout, segment, rating in batch:
            kind, seconds, revenue = converted.get(dialog_id, (None, None, None))
            yield (
                text(dialog_id),
                text(customer_id),
                text(started_at),
                text(payload),
                "holdout" if holdout else "adaptive",
                text(segment),
                "1" if kind is not None else "0",
                text(kind),
                text(None if seconds is None else float(seconds)),
                text(None if revenue is None else float(revenue), places=2),
                "1" if dialog_id in handed else "0",
                text(rating),
            )
        after = high
