"""Finding one customer for an admin (/customer <id | @username | shop id>) and the parts of
their card that only analytics reads: their check-ins, their CSAT answers, their totals."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from sqlalchemy import func
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col, select

from storage.models import (
    Checkin,
    Conversion,
    Customer,
    Dialog,
    SegmentSnapshot,
    ShopCustomer,
    Survey,
)

# Telegram user ids and internal ids are both digits; ids past this are never internal.
_MAX_INT = 2**63 - 1


async def find_customer(session: AsyncSession, query: str) -> int | None:
    """The customer `query` names: "@name" (a username, any case); digits (the internal id,
    else the channel's user id, else the shop's customer id); anything else (the shop's
    customer id). None when nobody matches."""
    query = query.strip()
    if not query:
        return None
    if query.startswith("@"):
        name = query[1:].lower()
        if not name:
            return None
        result = await session.execute(
            select(Customer.id)
            .where(func.lower(col(Customer.username)) == name)
            .order_by(col(Customer.last_seen_at).desc())
            .limit(1)
        )
        return result.scalar_one_or_none()
    if query.isdigit() and int(query) <= _MAX_INT:
        found = await session.get(Customer, int(query))
        if found is not None:
            return found.id
        result = await session.execute(
            select(Customer.id).where(col(Customer.external_id) == query).limit(1)
        )
        by_external = result.scalar_one_or_none()
        if by_external is not None:
            return by_external
    result = await session.execute(
        select(ShopCustomer.customer_id).where(col(ShopCustomer.shop_id) == query).limit(1)
    )
    return result.scalar_one_or_none()


@dataclass(frozen=True, slots=True)
class CustomerTotals:
    dialogs: int
    conversions: int
    revenue: float


async def totals(session: AsyncSession, customer_id: int) -> CustomerTotals:
    dialogs = await session.scalar(
        select(func.count()).select_from(Dialog).where(col(Dialog.customer_id) == customer_id)
    )
    conversions, revenue = (
        await session.execute(
            select(func.count(), func.coalesce(func.sum(Conversion.revenue), 0.0)).where(
                col(Conversion.customer_id) == customer_id
            )
        )
    ).one()
    return CustomerTotals(int(dialogs or 0), int(conversions or 0), float(revenue or 0.0))


async def recent_checkins(
    session: AsyncSession, customer_id: int, limit: int = 5
) -> Sequence[Checkin]:
    """The customer's latest check-ins, newest first (planned ones by their due time)."""
    result = await session.execute(
        select(Checkin)
        .where(col(Checkin.customer_id) == customer_id)
        .order_by(func.coalesce(Checkin.sent_at, Checkin.due_at).desc(), col(Checkin.id).desc())
        .limit(limit)
    )
    return list(result.scalars())


async def recent_surveys(
    session: AsyncSession, customer_id: int, limit: int = 5
) -> Sequence[Survey]:
    result = await session.execute(
        select(Survey)
        .where(col(Survey.customer_id) == customer_id)
        .order_by(col(Survey.asked_at).desc(), col(Survey.id).desc())
        .limit(limit)
    )
    return list(result.scalars())


async def snapshot_day(session: AsyncSession, *, on_or_before: date | None) -> date | None:
    """The day of the latest segment snapshot on or before `on_or_before`; with None, the
    first snapshot's day."""
    if on_or_before is None:
        return await session.scalar(select(func.min(SegmentSnapshot.day)))
    return await session.scalar(
        select(func.max(SegmentSnapshot.day)).where(col(SegmentSnapshot.day) <= on_or_before)
    )
