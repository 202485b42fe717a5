"""/segments: how many customers sit in each segment and score band now, the daily snapshots
of those counts (so the command can say how they moved), and the strongest examples.

Membership here is per segment: a customer whose value of a segment is at least 0.5 counts
in it, so one customer may count in several; "none" counts the customers with a profile and
no value that high. (The breakdowns of `metrics` give each customer one segment instead:
`common.segment_expression`.) Bands cut the 0–100 scores hotness and churn.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any

from sqlalchemy import ColumnElement, and_, case, func, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from storage.models import Customer, Profile, SegmentSnapshot
from storage.queries.common import NO_SEGMENT, SEGMENT_THRESHOLD, SEGMENTS

# (band, lowest, highest) of a 0–100 score, inclusive. A value outside 0–100 (not expected)
# still lands in the nearest band.
BANDS: tuple[tuple[str, int, int], ...] = (("cold", 0, 39), ("warm", 40, 69), ("hot", 70, 100))
KIND_SEGMENT, KIND_HOTNESS, KIND_CHURN = "segment", "hotness", "churn"
KINDS = (KIND_SEGMENT, KIND_HOTNESS, KIND_CHURN)


@dataclass(frozen=True, slots=True)
class Distribution:
    """Customers per segment (value >= 0.5; several per customer possible; plus "none") and
    per band of hotness and churn (customers with a profile). Every key is present."""

    segments: dict[str, int]
    hotness: dict[str, int]
    churn: dict[str, int]

    def by_kind(self) -> dict[str, dict[str, int]]:
        return {KIND_SEGMENT: self.segments, KIND_HOTNESS: self.hotness, KIND_CHURN: self.churn}


def _count(condition: ColumnElement[bool]) -> Any:
    return func.sum(case((condition, 1), else_=0))


def _band_conditions(score: Any) -> list[ColumnElement[bool]]:
    """One condition per band, cut at the bands' upper bounds: a score below the first band
    counts in it, one above the last in the last."""
    conditions: list[ColumnElement[bool]] = []
    below: int | None = None  # the previous band's highest score
    for i, (_name, _low, high) in enumerate(BANDS):
        parts: list[ColumnElement[bool]] = [] if below is None else [score > below]
        if i < len(BANDS) - 1:
            parts.append(score <= high)
        conditions.append(and_(*parts))
        below = high
    return conditions


async def distribution(session: AsyncSession) -> Distribution:
    """Today's counts, in one pass over the profiles."""
    values = [getattr(Profile, name) for name in SEGMENTS]
    columns = [_count(value >= SEGMENT_THRESHOLD) for value in values]
    columns.append(_count(and_(*(value < SEGMENT_THRESHOLD for value in values))))
    columns += [_count(condition) for condition in _band_conditions(col(Profile.hotness))]
    columns += [_count(condition) for condition in _band_conditions(col(Profile.churn))]
    row = (await session.execute(select(*columns))).one()
    counts = [int(value or 0) for value in row]
    names = (*SEGMENTS, NO_SEGMENT)
    bands = [name for name, _low, _high in BANDS]
    hotness_at = len(names)
    churn_at = hotness_at + len(bands)
    return Distribution(
        segments=dict(zip(names, counts[:hotness_at], strict=True)),
        hotness=dict(zip(bands, counts[hotness_at:churn_at], strict=True)),
        churn=dict(zip(bands, counts[churn_at:], strict=True)),
    )


async def take_snapshot(
    session: AsyncSession, *, now: datetime, utc_offset_minutes: int = 0
) -> int:
    """Store today's counts of every segment and band — today in the shop's time zone (the
    daily run is at the end of the shop's day) — overwriting what an earlier run of the same
    day stored; the rows written. Does not commit.

    An upsert rather than delete-and-insert: two runs at once (the daily job and a
    /segments command) then both succeed, the later one's counts winning."""
    current = await distribution(session)
    day = (now.astimezone(UTC) + timedelta(minutes=utc_offset_minutes)).date()
    rows = [
        {"day": day, "kind": kind, "key": key, "customers": count, "taken_at": now}
        for kind, counts in current.by_kind().items()
        for key, count in counts.items()
    ]
    bind = session.get_bind()
    insert = postgresql.insert if bind.dialect.name == "postgresql" else sqlite.insert
    statement = insert(SegmentSnapshot)
    statement = statement.on_conflict_do_update(
        index_elements=["day", "kind", "key"],
        set_={
            "customers": statement.excluded.customers,
            "taken_at": statement.excluded.taken_at,
        },
    )
    await session.execute(statement, rows)
    return len(rows)


async def snapshot_at(session: AsyncSession, day: date) -> Distribution | None:
    """The counts of the latest snapshot taken on or before `day`; None if there is none.
    Keys missing from it (a band added later) read as 0."""
    latest = (
        select(func.max(SegmentSnapshot.day))
        .where(col(SegmentSnapshot.day) <= day)
        .scalar_subquery()
    )
    rows = (
        await session.execute(
            select(SegmentSnapshot.kind, SegmentSnapshot.key, SegmentSnapshot.customers).where(
                col(SegmentSnapshot.day) == latest
            )
        )
    ).all()
    if not rows:
        return None
    bands = {name: 0 for name, _low, _high in BANDS}
    counts: dict[str, dict[str, int]] = {
        KIND_SEGMENT: {name: 0 for name in (*SEGMENTS, NO_SEGMENT)},
        KIND_HOTNESS: dict(bands),
        KIND_CHURN: dict(bands),
    }
    for kind, key, customers in rows:
        if kind in counts:
            counts[kind][key] = int(customers)
    return Distribution(counts[KIND_SEGMENT], counts[KIND_HOTNESS], counts[KIND_CHURN])


@dataclass(frozen=True, slots=True)
class Example:
    customer_id: int
    name: str | None  # the first name, else "@username"
    value: float  # the segment's value, 0..1


async def examples(session: AsyncSession, segment: str, *, limit: int = 3) -> list[Example]:
    """The customers showing `segment` most strongly now (value >= 0.5, highest first, ties
    by id). Customers who opted out of profiling are never shown as examples. "none" has no
    value to rank by and answers []."""
    if segment == NO_SEGMENT:
        return []
    if segment not in SEGMENTS:
        raise ValueError(f"unknown segment {segment!r}; expected one of {SEGMENTS}")
    value = getattr(Profile, segment)
    rows = await session.execute(
        select(Customer.id, Customer.first_name, Customer.username, value)
        .join(Profile, col(Profile.customer_id) == col(Customer.id))
        .where(value >= SEGMENT_THRESHOLD, col(Customer.profiling_opt_out).is_(False))
        .order_by(value.desc(), col(Customer.id))
        .limit(limit)
    )
    return [
        Example(
            customer_id=int(customer_id),
            name=first_name or (f"@{username}" if username else None),
            value=float(score),
        )
        for customer_id, first_name, username, score in rows.all()
    ]
