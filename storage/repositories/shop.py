"""Shop customers, orders with their status history, website visitors and site events.

Like every repository: reads and writes in the caller's session, never commits.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col, select

from storage.models import ShopCustomer, ShopOrder, SiteEvent, SiteVisitor
from storage.repositories.upsert import insert_ignore

# -- shop customers ----------------------------------------------------------------------


async def customer_by_shop_id(session: AsyncSession, shop_id: str) -> ShopCustomer | None:
    result = await session.execute(select(ShopCustomer).where(ShopCustomer.shop_id == shop_id))
    return result.scalar_one_or_none()


async def customers_by_shop_ids(
    session: AsyncSession, shop_ids: Iterable[str], *, lock: bool = False
) -> dict[str, ShopCustomer]:
    """With `lock`, the rows stay locked until the transaction ends (taken in id order, so
    two units never wait on each other in a circle)."""
    ids = sorted(set(shop_ids))
    if not ids:
        return {}
    query = select(ShopCustomer).where(col(ShopCustomer.shop_id).in_(ids))
    if lock:
        query = query.order_by(col(ShopCustomer.shop_id)).with_for_update()
    result = await session.execute(query)
    return {row.shop_id: row for row in result.scalars()}


async def customer_by_token(
    session: AsyncSession, token: str, *, lock: bool = False
) -> ShopCustomer | None:
    query = select(ShopCustomer).where(ShopCustomer.link_token == token)
    result = await session.execute(query.with_for_update() if lock else query)
    return result.scalar_one_or_none()


async def customers_by_phone(
    session: AsyncSession, phone: str, *, lock: bool = False
) -> list[ShopCustomer]:
    query = select(ShopCustomer).where(ShopCustomer.phone == phone).order_by(col(ShopCustomer.id))
    result = await session.execute(query.with_for_update() if lock else query)
    return list(result.scalars())


async def linked_to(session: AsyncSession, customer_id: int) -> ShopCustomer | None:
    """The shop customer a chat customer is linked to (the earliest, if several)."""
    result = await session.execute(
        select(ShopCustomer)
        .where(ShopCustomer.customer_id == customer_id)
        .order_by(col(ShopCustomer.id))
        .limit(1)
    )
    return result.scalar_one_or_none()


# -- orders ------------------------------------------------------------------------------


async def customer_and_order(
    session: AsyncSession, shop_customer_id: str, shop_order_id: str
) -> tuple[ShopCustomer | None, ShopOrder | None]:
    """The shop customer and the order (whoever it belongs to), in one query: a PUT of an
    order reads one row pair and writes one row."""
    result = await session.execute(
        select(ShopCustomer, ShopOrder)
        .outerjoin(ShopOrder, col(ShopOrder.shop_id) == shop_order_id)
        .where(ShopCustomer.shop_id == shop_customer_id)
        # The shop customer's row is the lock of everything about them across processes:
        # an order, a link, site events run one after another (PostgreSQL; SQLite has one
        # writer anyway and ignores it).
        .with_for_update(of=ShopCustomer)
    )
    row = result.first()
    if row is None:
        return None, await order_by_shop_id(session, shop_order_id)
    return row[0], row[1]


async def order_by_shop_id(session: AsyncSession, shop_id: str) -> ShopOrder | None:
    result = await session.execute(select(ShopOrder).where(ShopOrder.shop_id == shop_id))
    return result.scalar_one_or_none()


async def orders_of(session: AsyncSession, shop_customer_id: int) -> list[ShopOrder]:
    result = await session.execute(
        select(ShopOrder)
        .where(ShopOrder.shop_customer_id == shop_customer_id)
        .order_by(col(ShopOrder.ordered_at), col(ShopOrder.id))
    )
    return list(result.scalars())


async def unapplied_orders(session: AsyncSession, shop_customer_id: int) -> list[ShopOrder]:
    """Orders with statuses not yet fed into a chat customer's profile."""
    result = await session.execute(
        select(ShopOrder)
        .where(
            ShopOrder.shop_customer_id == shop_customer_id,
            col(ShopOrder.applied) < col(ShopOrder.statuses),
        )
        .order_by(col(ShopOrder.ordered_at), col(ShopOrder.id))
    )
    return list(result.scalars())


# -- visitors and site events ------------------------------------------------------------


async def visitor(session: AsyncSession, visitor_id: str) -> SiteVisitor | None:
    return await session.get(SiteVisitor, visitor_id)


async def visitors(session: AsyncSession, visitor_ids: Iterable[str]) -> dict[str, SiteVisitor]:
    ids = sorted(set(visitor_ids))
    if not ids:
        return {}
    result = await session.execute(select(SiteVisitor).where(col(SiteVisitor.visitor_id).in_(ids)))
    return {row.visitor_id: row for row in result.scalars()}


async def link_visitor(
    session: AsyncSession, visitor_id: str, customer_id: int, now: datetime
) -> bool:
    """Join a visitor to a chat customer; False when the visitor was joined before."""
    return await insert_ignore(
        session,
        SiteVisitor,
        {"visitor_id": visitor_id, "customer_id": customer_id, "linked_at": now},
        ["visitor_id"],
    )


async def existing_event_keys(session: AsyncSession, keys: Iterable[str]) -> set[str]:
    wanted = sorted(set(keys))
    if not wanted:
        return set()
    result = await session.execute(
        select(SiteEvent.event_key).where(col(SiteEvent.event_key).in_(wanted))
    )
    return {key for key in result.scalars() if key is not None}


async def claim_events(
    session: AsyncSession,
    customer_id: int,
    *,
    visitor_id: str | None = None,
    shop_customer_id: int | None = None,
) -> None:
    """Give a chat customer the events recorded for their visitor id or shop customer."""
    if visitor_id is not None:
        await session.execute(
            update(SiteEvent)
            .where(SiteEvent.visitor_id == visitor_id, col(SiteEvent.customer_id).is_(None))
            .values(customer_id=customer_id)
        )
    if shop_customer_id is not None:
        await session.execute(
            update(SiteEvent)
            .where(
                SiteEvent.shop_customer_id == shop_customer_id,
                col(SiteEvent.customer_id).is_(None),
            )
            .values(customer_id=customer_id)
        )


async def unapplied_events(session: AsyncSession, customer_id: int) -> list[SiteEvent]:
    result = await session.execute(
        select(SiteEvent)
        .where(SiteEvent.customer_id == customer_id, col(SiteEvent.applied).is_(False))
        .order_by(col(SiteEvent.at), col(SiteEvent.id))
    )
    return list(result.scalars())


async def mark_events_applied(session: AsyncSession, ids: Sequence[int]) -> None:
    if ids:
        await session.execute(
            update(SiteEvent).where(col(SiteEvent.id).in_(list(ids))).values(applied=True)
        )


async def latest_event_source(session: AsyncSession, visitor_id: str) -> dict[str, Any] | None:
    """The ad source the visitor's latest sourced event carried."""
    result = await session.execute(
        select(SiteEvent.source)
        .where(SiteEvent.visitor_id == visitor_id, col(SiteEvent.source).is_not(None))
        .order_by(col(SiteEvent.at).desc(), col(SiteEvent.id).desc())
        .limit(1)
    )
    return result.scalar_one_or_none()


async def recent_events(session: AsyncSession, customer_id: int, limit: int) -> list[SiteEvent]:
    result = await session.execute(
        select(SiteEvent)
        .where(SiteEvent.customer_id == customer_id)
        .order_by(col(SiteEvent.at).desc(), col(SiteEvent.id).desc())
        .limit(limit)
    )
    return list(result.scalars())
